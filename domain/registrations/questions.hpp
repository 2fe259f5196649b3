// The questions an event asks its registrants (lunch, accessibility needs, job title…) and the
// rules of their answers (API.md §8). Pure: the services load and store, these decide.
#pragma once

#include "domain/common/result.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rencontres {

enum class question_kind { text, choice, choices, boolean };
std::string_view to_string(question_kind k);
std::optional<question_kind> parse_question_kind(std::string_view text);

struct question_option {
    std::string code;
    std::string label;
};

struct question {
    std::string code;
    std::string label;
    question_kind kind = question_kind::text;
    std::vector<question_option> options; // choice and choices only
    bool required = false;
    std::optional<std::string> help;

    const question_option* find_option(std::string_view code) const;
    // Whether the question is counted per option in the stats.
    bool counted() const { return kind != question_kind::text; }
};

// A question as a client sends it: `kind` unchecked yet.
struct question_fields {
    std::string code;
    std::string label;
    std::string kind;
    std::vector<question_option> options;
    bool required = false;
    std::optional<std::string> help;
};

// An answer as sent: a boolean, a string, a list of strings — or a value of any other kind
// (monostate), which no question accepts.
using answer_value = std::variant<std::monostate, bool, std::string, std::vector<std::string>>;
// Answers by question code. Stored answers are checked: text for `text`, an option code for
// `choice`, option codes for `choices`, a boolean for `boolean`.
using answer_map = std::map<std::string, answer_value>;

// An answer as stored: one row per chosen option ("true" or "false" for a boolean), or one row
// with an empty choice and the text. The kind is kept so that an answer reads back in the shape
// it was given in, whatever becomes of the question.
struct stored_answer {
    std::string question_code;
    question_kind kind = question_kind::text;
    std::string choice; // empty for a text answer
    std::optional<std::string> text;
};

// The rows of checked answers, in the questions' order (and each list in its options' order).
std::vector<stored_answer> stored_answers(const std::vector<question>& questions,
                                          const answer_map& answers);
// The answers those rows hold.
answer_map answers_from(const std::vector<stored_answer>& rows);

// What registrations already hold, by question code: the options chosen at least once ("" for a
// text answer). A question absent from it has no answers.
using answered_options = std::map<std::string, std::set<std::string>>;

// Counts per option of the questions that have options, over active registrations.
using answer_counts = std::map<std::string, std::map<std::string, int>>;

constexpr std::size_t max_questions = 30;
constexpr std::size_t max_options = 30;

// Checks a new list of questions against the one it replaces and what was answered:
// 422 for malformed questions (fields "items[i].…"), and — once the event has registrations —
// for a new required question; 409 when an answered question would vanish or change kind, or a
// chosen option would vanish.
result<std::vector<question>> check_questions(const std::vector<question_fields>& wanted,
                                              const std::vector<question>& current,
                                              const answered_options& answered,
                                              bool has_registrations);

// Checks answers against the questions: 422 naming "answers.<code>" for a missing required
// answer, an unknown code, or a value of the wrong kind or option. Text answers come back
// trimmed; blank text and empty lists count as no answer.
result<answer_map> check_answers(const std::vector<question>& questions, const answer_map& given);

// An answer as people read it (a spreadsheet cell, a page): the text, the option's label, the
// labels of a list joined by "; ", "oui" or "non".
std::string answer_text(const question& q, const answer_value& value);

// The counts of every option of the counted questions, zero where nobody chose it.
answer_counts with_every_option(const std::vector<question>& questions, const answer_counts& kept);

} // namespace rencontres
