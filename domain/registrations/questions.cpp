#include "domain/registrations/questions.hpp"

#include "domain/common/fields.hpp"
#include "domain/common/names.hpp"
#include "domain/common/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace rencontres {
namespace {

constexpr std::array<std::string_view, 4> kind_names{"text", "choice", "choices", "boolean"};

// Codes are what CSV columns, stats and forms are keyed by: short, lower case, stable.
bool plausible_code(std::string_view code) {
    if (code.empty() || code.size() > 40) return false;
    if (!std::isalnum(static_cast<unsigned char>(code.front()))) return false;
    return std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

const question* find_question(const std::vector<question>& list, std::string_view code) {
    const auto it =
        std::find_if(list.begin(), list.end(), [&](const question& q) { return q.code == code; });
    return it == list.end() ? nullptr : &*it;
}

} // namespace

std::string_view to_string(question_kind k) {
    return name_of(kind_names, k);
}

std::optional<question_kind> parse_question_kind(std::string_view text) {
    return parse_name<question_kind>(kind_names, text);
}

const question_option* question::find_option(std::string_view wanted) const {
    const auto it = std::find_if(options.begin(), options.end(),
                                 [&](const question_option& o) { return o.code == wanted; });
    return it == options.end() ? nullptr : &*it;
}

std::vector<stored_answer> stored_answers(const std::vector<question>& questions,
                                          const answer_map& answers) {
    std::vector<stored_answer> rows;
    for (const auto& q : questions) {
        const auto it = answers.find(q.code);
        if (it == answers.end()) continue;
        const auto& value = it->second;
        if (const auto* flag = std::get_if<bool>(&value))
            rows.push_back({q.code, q.kind, *flag ? "true" : "false", std::nullopt});
        else if (const auto* list = std::get_if<std::vector<std::string>>(&value))
            for (const auto& choice : *list)
                rows.push_back({q.code, q.kind, choice, std::nullopt});
        else if (const auto* text = std::get_if<std::string>(&value))
            rows.push_back(q.kind == question_kind::text
                               ? stored_answer{q.code, q.kind, "", *text}
                               : stored_answer{q.code, q.kind, *text, std::nullopt});
    }
    return rows;
}

answer_map answers_from(const std::vector<stored_answer>& rows) {
    answer_map out;
    for (const auto& row : rows) {
        auto& slot = out[row.question_code];
        switch (row.kind) {
        case question_kind::text:
            slot = row.text.value_or("");
            break;
        case question_kind::choice:
            slot = row.choice;
            break;
        case question_kind::boolean:
            slot = row.choice == "true";
            break;
        case question_kind::choices:
            if (auto* list = std::get_if<std::vector<std::string>>(&slot))
                list->push_back(row.choice);
            else
                slot = std::vector<std::string>{row.choice};
            break;
        }
    }
    return out;
}

result<std::vector<question>> check_questions(const std::vector<question_fields>& wanted,
                                              const std::vector<question>& current,
                                              const answered_options& answered,
                                              bool has_registrations) {
    validation v;
    if (wanted.size() > max_questions)
        v.fail("items", field_rule::count,
               "must hold at most " + std::to_string(max_questions) + " questions");
    std::vector<question> out;
    std::set<std::string> codes;
    for (std::size_t i = 0; i < wanted.size() && i < max_questions; ++i) {
        const auto& w = wanted[i];
        const auto at = "items[" + std::to_string(i) + "]";
        question q;
        q.code = w.code;
        if (!plausible_code(w.code))
            v.fail(at + ".code", field_rule::format,
                   "must be 1 to 40 lower-case letters, digits, - or _");
        else if (!codes.insert(w.code).second)
            v.fail(at + ".code", field_rule::duplicate, "is used by another question");
        q.label = check_text(v, (at + ".label").c_str(), w.label, 1, 200);
        const auto kind = parse_question_kind(w.kind);
        if (!kind)
            v.fail(at + ".kind", field_rule::choice, "must be text, choice, choices or boolean");
        else
            q.kind = *kind;
        q.required = w.required;
        q.help = check_optional_text(v, (at + ".help").c_str(), w.help, 500);
        const bool with_options =
            kind && (*kind == question_kind::choice || *kind == question_kind::choices);
        if (kind && !with_options && !w.options.empty())
            v.fail(at + ".options", field_rule::choice,
                   "are only for choice and choices questions");
        if (with_options) {
            if (w.options.empty() || w.options.size() > max_options)
                v.fail(at + ".options", field_rule::count,
                       "must hold 1 to " + std::to_string(max_options) + " options");
            std::set<std::string> option_codes;
            for (std::size_t j = 0; j < w.options.size() && j < max_options; ++j) {
                const auto oat = at + ".options[" + std::to_string(j) + "]";
                question_option o;
                o.code = w.options[j].code;
                if (!plausible_code(o.code) || o.code == "true" || o.code == "false")
                    v.fail(oat + ".code", field_rule::format,
                           "must be 1 to 40 lower-case letters, digits, - or _ "
                           "(not true or false)");
                else if (!option_codes.insert(o.code).second)
                    v.fail(oat + ".code", field_rule::duplicate, "is used by another option");
                o.label = check_text(v, (oat + ".label").c_str(), w.options[j].label, 1, 200);
                q.options.push_back(std::move(o));
            }
        }
        // A registration already made could not have answered it.
        if (has_registrations && w.required && !find_question(current, w.code))
            v.fail(at + ".required", field_rule::unchangeable,
                   "cannot be true for a question added after registrations");
        out.push_back(std::move(q));
    }
    if (!v.ok()) return v.error();
    // What registrations answered must keep its meaning.
    for (const auto& [code, chosen] : answered) {
        const auto* before = find_question(current, code);
        const auto* after = find_question(out, code);
        if (!after)
            return conflict(rule::question_answered,
                            "The question \"" + code + "\" has answers and cannot be removed.");
        if (before && before->kind != after->kind)
            return conflict(rule::question_answered,
                            "The question \"" + code +
                                "\" has answers and cannot change its kind.");
        if (after->kind == question_kind::choice || after->kind == question_kind::choices)
            for (const auto& option : chosen)
                if (!option.empty() && !after->find_option(option))
                    return conflict(rule::option_chosen,
                                    "The option \"" + option + "\" of the question \"" + code +
                                        "\" was chosen and cannot be removed.");
    }
    return out;
}

result<answer_map> check_answers(const std::vector<question>& questions, const answer_map& given) {
    validation v;
    answer_map out;
    for (const auto& [code, value] : given)
        if (!find_question(questions, code))
            v.fail("answers." + code, field_rule::unknown, "is not a question of this event");
    for (const auto& q : questions) {
        const auto field = "answers." + q.code;
        const auto it = given.find(q.code);
        if (it == given.end()) {
            if (q.required) v.fail(field, field_rule::required, "is required");
            continue;
        }
        const auto& value = it->second;
        switch (q.kind) {
        case question_kind::text: {
            const auto* text = std::get_if<std::string>(&value);
            if (!text) {
                v.fail(field, field_rule::format, "must be a string");
                break;
            }
            auto trimmed = check_text(v, field.c_str(), *text, 0, 2'000, true);
            if (!trimmed.empty())
                out[q.code] = std::move(trimmed);
            else if (q.required)
                v.fail(field, field_rule::required, "is required");
            break;
        }
        case question_kind::choice: {
            const auto* code = std::get_if<std::string>(&value);
            if (!code)
                v.fail(field, field_rule::choice, "must be the code of one option");
            else if (!q.find_option(*code))
                v.fail(field, field_rule::choice, "is not an option of this question");
            else
                out[q.code] = *code;
            break;
        }
        case question_kind::choices: {
            const auto* list = std::get_if<std::vector<std::string>>(&value);
            if (!list) {
                v.fail(field, field_rule::format, "must be a list of option codes");
                break;
            }
            std::vector<std::string> chosen;
            bool ok = true;
            for (const auto& code : *list) {
                if (!q.find_option(code)) {
                    v.fail(field, field_rule::choice,
                           "holds \"" + code.substr(0, 40) +
                               "\", which is not an option of this question");
                    ok = false;
                    break;
                }
                if (std::find(chosen.begin(), chosen.end(), code) != chosen.end()) {
                    v.fail(field, field_rule::duplicate, "lists an option twice");
                    ok = false;
                    break;
                }
                chosen.push_back(code);
            }
            if (!ok) break;
            // In the question's order, whatever the order sent.
            std::vector<std::string> ordered;
            for (const auto& o : q.options)
                if (std::find(chosen.begin(), chosen.end(), o.code) != chosen.end())
                    ordered.push_back(o.code);
            if (!ordered.empty())
                out[q.code] = std::move(ordered);
            else if (q.required)
                v.fail(field, field_rule::required, "needs at least one option");
            break;
        }
        case question_kind::boolean: {
            const auto* flag = std::get_if<bool>(&value);
            if (!flag)
                v.fail(field, field_rule::format, "must be true or false");
            else
                out[q.code] = *flag;
            break;
        }
        }
    }
    if (!v.ok()) return v.error();
    return out;
}

std::string answer_text(const question& q, const answer_value& value) {
    if (const auto* flag = std::get_if<bool>(&value)) return *flag ? "oui" : "non";
    const auto label = [&](const std::string& code) {
        const auto* o = q.find_option(code);
        return o ? o->label : code;
    };
    if (const auto* text = std::get_if<std::string>(&value))
        return q.kind == question_kind::text ? *text : label(*text);
    std::string out;
    if (const auto* list = std::get_if<std::vector<std::string>>(&value))
        for (const auto& code : *list)
            out += (out.empty() ? "" : "; ") + label(code);
    return out;
}

answer_counts with_every_option(const std::vector<question>& questions, const answer_counts& kept) {
    answer_counts out;
    for (const auto& q : questions) {
        if (!q.counted()) continue;
        auto& counts = out[q.code];
        if (q.kind == question_kind::boolean) {
            counts["true"] = 0;
            counts["false"] = 0;
        }
        for (const auto& o : q.options)
            counts[o.code] = 0;
        if (const auto it = kept.find(q.code); it != kept.end())
            for (const auto& [option, n] : it->second)
                if (counts.count(option)) counts[option] = n;
    }
    return out;
}

} // namespace rencontres
