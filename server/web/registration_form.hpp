// The registration form of an event page: its view, and what a failed submission keeps.
#pragma once

#include "domain/agenda/model.hpp"
#include "domain/common/result.hpp"
#include "domain/registrations/model.hpp"
#include "server/transport/context.hpp"
#include "server/web/questions_form.hpp"
#include "server/web/view.hpp"

#include <string>
#include <vector>

namespace rencontres::web {

// A submitted form that is shown again: the values as typed, and what is wrong with them.
struct form_state {
    int status = 422;
    std::string full_name; // sent by a form of an earlier version of the page
    std::string given_name;
    std::string family_name;
    std::string email;
    std::string organization;
    std::string territory_id;
    std::vector<std::string> session_ids;
    typed_answers answers;
    bool consent = false;
    std::vector<field_error> errors; // in the order of the form's fields
    // What is wrong with the form as a whole (its token expired): the summary's heading.
    std::string form_problem;
};

// Sets the form's values in `v`: open or why not, the fields, workshops, token and errors.
void fill_registration_form(http::context& ctx, view& v, const agenda& a,
                            const event_availability& seats, const form_state* state);

// The event page of `key` (id or slug); with `state`, the form as submitted, with its errors.
http::response render_event_page(http::context& ctx, std::string_view key, const form_state* state);

// The purpose an event's form tokens are issued for.
std::string form_purpose(std::string_view slug);

} // namespace rencontres::web
