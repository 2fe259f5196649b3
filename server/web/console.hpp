// What the console's pages share (API.md §13): the session cookie, the signed-in account, the
// per-session form token, and the shapes of their forms.
#pragma once

#include "domain/accounts/model.hpp"
#include "domain/common/result.hpp"
#include "domain/events/model.hpp"
#include "domain/territories/model.hpp"
#include "server/web/pages.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace rencontres::web {

// The session id the browser sent, if any.
std::optional<std::string> session_cookie(const request& req);

// The signed-in account, or the response that sends the browser to sign in.
std::variant<account, response> signed_in(const request& req, context& ctx);
// A form posted from the console: from this site, by a live session, with that session's token.
std::variant<account, response> signed_in_post(const request& req, context& ctx);
// The signed-in account when its role is one of `roles`, else a 403 page saying `refusal`
// (or the way to sign in); `posting` checks a form as signed_in_post does.
std::variant<account, response> signed_in_as(const request& req, context& ctx, bool posting,
                                             std::initializer_list<role> roles,
                                             const char* refusal);
// The form token of the request's session, for the forms of the page being rendered.
std::string console_token(const request& req, context& ctx);

response see_other(const std::string& location);
// "Jeudi 11 juin 2031, 9 h 30", in the default zone: when something happened, in a listing.
std::string when_text(instant at);
// A console page: never cached, never sent as a Referer.
page_options private_page(int status = 200);

// Why the signed-in account may not use the console's pages, as the response to send: none for
// organizers and admins whose email is verified; the sign-in page without a session; a 403 for
// other roles; the console's home, which asks to verify, for an unverified email.
std::optional<response> console_refusal(const std::variant<account, response>& who);

// The event of a console URL with the signed-in organizer's (or admin's) rights over it; anyone
// else gets the page for "not found" or "forbidden" (a 404 either way: the console does not say
// which events exist), an absent session the way to sign in.
struct managed_event {
    account me;
    rencontres::event event;
    actor as() const { return {me.id, me.role}; }
};
std::variant<managed_event, response> console_event(const request& req, context& ctx,
                                                    std::string_view id, bool posting);

// A form's optional whole number: empty is "none" (an engaged empty optional), digits are the
// number; anything else is not a value (nullopt).
std::optional<std::optional<long long>> optional_count(const std::string& text);

// One field of a console form, rendered by the `field` template.
struct form_field {
    std::string name;
    std::string label;
    std::string type = "text"; // text, email, number, datetime-local, textarea, select, search
    std::string value;
    std::string hint;
    std::string error;
    bool required = false;
    std::vector<std::pair<std::string, std::string>> options; // value, label (select)
};
view field_view(const form_field& f);
view_list fields_view(const std::vector<form_field>& fields);

// The error summary of a form: a count and each message linked to its field.
void set_error_summary(view& v, const std::vector<form_field>& fields);

// The candidacies an account submitted, in every edition (label_candidacy_pages.cpp).
view_list my_candidacies(context& ctx, const account& me);

// Every territory, in the order of the list (at most 3,000), for the forms that pick one.
std::vector<territory> every_territory(context& ctx);

// "Brouillon", "Publiée", "Annulée".
std::string status_text(event_status s);

// The console's navigation within one event, with `current` marked (aria-current).
view event_nav(const event& e, std::string_view current);

} // namespace rencontres::web
