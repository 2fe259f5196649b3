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
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace rencontres::web {

// The session id the browser sent, if any.
std::optional<std::string> session_cookie(const request& req);

// The form token of the request's session, for the forms of the page being rendered.
std::string console_token(const request& req, context& ctx);

response see_other(const std::string& location);
// "Jeudi 11 juin 2031, 9 h 30", in the default zone: when something happened, in a listing.
std::string when_text(instant at);
// "lien valable jusqu'au lundi 14 décembre 2026, 9 h 30", or "lien expiré": an invitation's.
std::string link_validity_text(instant expires_at, instant now);
// An invitation waiting for an answer as the console lists it: name, address, the link's
// validity, and its resend and withdraw buttons (posting to `base` + "/renvoi", "/retrait").
view invitation_row(const invitation& i, instant now, const std::string& base,
                    const std::string& csrf);
// A console page: never cached, never sent as a Referer.
page_options private_page(int status = 200);

// Who may open a console page, declared where its route is added, as a route declares its lane:
// the roles, the sentence of the 403 page for the other roles, and whether an unverified email
// is sent to the console's home to verify first. Without a session the browser is sent to sign
// in; a POST must also come from this site with the session's form token (else 403).
struct audience {
    std::vector<role> roles;
    const char* refusal;
    bool verified_email = false;
};
extern const audience signed_in_accounts; // anyone signed in (the page decides the rest)
extern const audience organizers;         // organizers and admins, email verified
extern const audience jurors;             // the label's jury and admins
extern const audience admins;             // admins (the administration)
extern const audience label_admins;       // admins (the label's editions and awards)
extern const audience candidates;         // organizers and admins, email verified

// Where each role lands after signing in: admins /admin, jurors /label, the others /gestion.
std::string home_of(const account& me);
// The answer that opens a console session: its cookie, and the way to the account's home.
response enter_console(const request& req, const context& ctx, const std::string& session_id,
                       const account& holder);

// A page for `who`: the handler gets the signed-in account.
using account_page = response (*)(const request&, const route_params&, context&, const account&);
http::handler console_page(const audience& who, account_page fn);

// A page of one event of the console (its id in the route's {id}): for the signed-in organizers
// of that event and admins, email verified; anyone else gets a 404 (the console does not say
// which events exist), an absent session the way to sign in.
struct managed_event {
    account me;
    rencontres::event event;
    actor as() const { return {me.id, me.role}; }
};
using event_page_fn = response (*)(const request&, const route_params&, context&,
                                   const managed_event&);
http::handler event_page(event_page_fn fn);

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
    std::string autocomplete; // the input's autocomplete token, when it has one
};
view field_view(const form_field& f);
view_list fields_view(const std::vector<form_field>& fields);

// The error summary of a form: a count and each message linked to its field.
void set_error_summary(view& v, const std::vector<form_field>& fields);
// The same from errors whose `field` is the id of the form's element and `message` its sentence.
void set_error_summary(view& v, const std::vector<field_error>& errors);
// The message of the first error about `field`, shown beside it ("" when none).
std::string error_for(const std::vector<field_error>& errors, std::string_view field);

// The candidacies an account submitted, in every edition (label_candidacy_pages.cpp).
view_list my_candidacies(context& ctx, const account& me);

// Every territory, in the order of the list (at most 3,000), for the forms that pick one.
std::vector<territory> every_territory(context& ctx);

// A code from a name, as the console makes them for questions, options, categories and criteria:
// "Régime alimentaire" → "regime-alimentaire" (40 characters at most; "q" for a name without a
// letter or digit).
std::string code_of(const std::string& name);
// The same, made unique among `taken` with "-2", "-3"…, and added to it.
std::string unique_code(const std::string& name, std::set<std::string>& taken);

// "Brouillon", "Publiée", "Annulée".
std::string status_text(event_status s);

// The console's navigation within one event, with `current` marked (aria-current).
view event_nav(const event& e, std::string_view current);

// A step that cannot be undone, asked on a page of its own before it is taken: its button sends
// the step; the page it came from offers a link there, so that no button of the step's sits where
// another one was just pressed.
struct confirmation {
    std::string heading;     // "Publier « … » ?"
    std::string consequence; // what happens, and that it is final
    std::string action;      // where the button posts
    std::string button;
    std::string back; // where "change nothing" leads
    std::string back_text = "Ne rien changer, revenir en arrière";
    bool danger = true;
    std::optional<view> nav; // an event's tabs, on an event's page
};
response confirmation_page(const request& req, context& ctx, const confirmation& c);

} // namespace rencontres::web
