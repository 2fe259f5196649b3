// The rules of questions and answers (domain/registrations/questions.hpp), without storage.
#include "domain/registrations/questions.hpp"

#include <gtest/gtest.h>

namespace rencontres {
namespace {

std::vector<question> lunch() {
    return {{"repas", "Déjeuner", question_kind::boolean, {}, true, std::nullopt},
            {"regime",
             "Régime",
             question_kind::choice,
             {{"aucun", "Aucun"}, {"vege", "Végétarien"}},
             false,
             std::nullopt},
            {"themes",
             "Thèmes",
             question_kind::choices,
             {{"a", "Inclusion"}, {"b", "Tiers-lieux"}},
             false,
             std::nullopt},
            {"fonction", "Fonction", question_kind::text, {}, false, "Votre métier"}};
}

std::vector<std::string> fields(const domain_error& e) {
    std::vector<std::string> out;
    for (const auto& f : e.fields)
        out.push_back(f.field + ": " + f.message);
    return out;
}

TEST(questions, answers_are_checked_by_kind_and_option) {
    const auto qs = lunch();
    auto r = check_answers(qs, {{"repas", std::string("oui")},
                                {"regime", std::string("poisson")},
                                {"themes", std::vector<std::string>{"a", "a"}},
                                {"fonction", std::monostate{}},
                                {"age", true}});
    ASSERT_FALSE(r);
    EXPECT_EQ(fields(r.error()),
              (std::vector<std::string>{"answers.age: is not a question of this event",
                                        "answers.repas: must be true or false",
                                        "answers.regime: is not an option of this question",
                                        "answers.themes: lists an option twice",
                                        "answers.fonction: must be a string"}));
    EXPECT_EQ(fields(check_answers(qs, {}).error()),
              std::vector<std::string>{"answers.repas: is required"});
    r = check_answers(qs, {{"repas", false},
                           {"themes", std::vector<std::string>{"b", "a"}},
                           {"fonction", std::string("   ")}});
    ASSERT_TRUE(r);
    // Lists in the question's order; blank text is no answer.
    EXPECT_EQ(*r, (answer_map{{"repas", false}, {"themes", std::vector<std::string>{"a", "b"}}}));
}

TEST(questions, answers_are_stored_as_rows_and_read_back_in_their_shape) {
    const auto qs = lunch();
    const answer_map given{{"repas", true},
                           {"regime", std::string("vege")},
                           {"themes", std::vector<std::string>{"a"}},
                           {"fonction", std::string("Élue")}};
    const auto rows = stored_answers(qs, given);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].choice, "true");
    EXPECT_EQ(rows[1].choice, "vege");
    EXPECT_EQ(rows[2].choice, "a");
    EXPECT_EQ(rows[3].choice, "");
    EXPECT_EQ(rows[3].text, std::optional<std::string>("Élue"));
    // A list of one option stays a list; a single choice stays a string.
    EXPECT_EQ(answers_from(rows), given);
    EXPECT_EQ(answer_text(qs[0], true), "oui");
    EXPECT_EQ(answer_text(qs[1], std::string("vege")), "Végétarien");
    EXPECT_EQ(answer_text(qs[2], std::vector<std::string>{"a", "b"}), "Inclusion; Tiers-lieux");
    EXPECT_EQ(answer_text(qs[3], std::string("Élue")), "Élue");
}

TEST(questions, counts_list_every_option_of_the_counted_questions) {
    const auto counts = with_every_option(lunch(), {{"repas", {{"true", 3}}}, {"fonction", {}}});
    EXPECT_EQ(counts, (answer_counts{{"repas", {{"false", 0}, {"true", 3}}},
                                     {"regime", {{"aucun", 0}, {"vege", 0}}},
                                     {"themes", {{"a", 0}, {"b", 0}}}}));
}

TEST(questions, a_change_keeps_what_was_answered) {
    const auto current = lunch();
    std::vector<question_fields> wanted;
    for (const auto& q : current)
        wanted.push_back(
            {q.code, q.label, std::string(to_string(q.kind)), q.options, q.required, q.help});
    const answered_options answered{{"regime", {"vege"}}, {"fonction", {""}}};
    EXPECT_TRUE(check_questions(wanted, current, answered, true));
    auto without = wanted;
    without.pop_back();
    EXPECT_EQ(check_questions(without, current, answered, true).error().code, errc::conflict);
    auto kind = wanted;
    kind[1].kind = "choices";
    EXPECT_EQ(check_questions(kind, current, answered, true).error().code, errc::conflict);
    auto option = wanted;
    option[1].options = {{"aucun", "Aucun"}};
    EXPECT_EQ(check_questions(option, current, answered, true).error().message,
              "The option \"vege\" of the question \"regime\" was chosen and cannot be removed.");
    // A new required question: refused once there are registrations, fine before.
    auto added = wanted;
    added.push_back({"acces", "Accès", "boolean", {}, true, std::nullopt});
    EXPECT_EQ(fields(check_questions(added, current, answered, true).error()),
              std::vector<std::string>{
                  "items[4].required: cannot be true for a question added after registrations"});
    EXPECT_TRUE(check_questions(added, current, {}, false));
    // Options named true or false would read as a boolean's.
    auto odd = wanted;
    odd[1].options = {{"true", "Oui"}};
    EXPECT_EQ(check_questions(odd, current, {}, false).error().fields.at(0).field,
              "items[1].options[0].code");
}

} // namespace
} // namespace rencontres
