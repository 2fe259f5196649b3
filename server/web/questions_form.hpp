// An event's questions in its forms (the public registration form, the participant's page):
// each question as fields, read back into answers, and the domain's errors beside each one.
#pragma once

#include "domain/common/result.hpp"
#include "domain/registrations/questions.hpp"
#include "server/web/view.hpp"

#include <map>
#include <string>
#include <vector>

namespace rencontres::web {

// The values of the form by question code, as typed (what a form shown again keeps).
using typed_answers = std::map<std::string, std::vector<std::string>>;

// The id of a question's field, and of the error beside it: "reponse-<code>".
std::string question_field_id(const std::string& code);

// The answers of a submitted form (fields "reponse-<code>"): what was left empty is no answer.
answer_map answers_from_form(const std::vector<question>& questions,
                             const std::multimap<std::string, std::string>& form,
                             typed_answers& typed);

// The same values as a form shows them, from answers already given.
typed_answers typed_from(const std::vector<question>& questions, const answer_map& answers);

// The questions as the "question_fields" partial renders them (under the key "questions"), with
// `errors` (by field id).
view_list question_views(const std::vector<question>& questions, const typed_answers& typed,
                         const std::map<std::string, std::string>& errors);

} // namespace rencontres::web
