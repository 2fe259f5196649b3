// What the pages and emails say of a refusal, in French: one table for the whole site, keyed by
// the stable names of domain/common/rules.hpp, never by the English wording of the API.
#pragma once

#include "domain/common/result.hpp"

#include <string>
#include <string_view>

namespace rencontres::render {

// The sentence for a refusal, e.g. "Les candidatures de cette édition sont closes."
std::string_view french(rule r);

// The sentence for an error of a field of one of the site's forms. `form` names the form
// ("event", "session", "registration", "answer", "candidacy", "campaign", "organizer"); a field
// without a sentence of its own in that form gets the sentence of its field rule.
std::string_view french(std::string_view form, const field_error& e);

// The sentence of a field rule alone.
std::string_view french(field_rule r);
// Two workshops chosen together that take place at the same time, by their titles.
std::string sessions_overlap_text(std::string_view first, std::string_view second);

} // namespace rencontres::render
