// Refusals carry stable codes: in the JSON problem (`code`, and `errors[].code`), and the French
// table of the pages and emails has a sentence for every one of them.
#include "server/render/french_messages.hpp"
#include "support/test_server.hpp"

#include <gtest/gtest.h>
#include <set>

namespace rencontres::testing {
namespace {

using boost::json::object;
using boost::json::value;

bool snake_case(std::string_view name) {
    if (name.empty() || name.front() == '_' || name.back() == '_') return false;
    for (const char c : name)
        if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
    return true;
}

TEST(rule_codes, every_rule_has_a_unique_name_and_a_french_sentence) {
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < rule_names.size(); ++i) {
        const auto r = static_cast<rule>(i);
        EXPECT_TRUE(snake_case(name_of(r))) << name_of(r);
        EXPECT_TRUE(seen.insert(name_of(r)).second) << name_of(r) << " twice";
        const auto text = render::french(r);
        EXPECT_GE(text.size(), 10u) << name_of(r) << " has no French sentence";
        EXPECT_TRUE(text.back() == '.') << name_of(r) << ": " << text;
    }
    for (std::size_t i = 0; i < field_rule_names.size(); ++i) {
        const auto r = static_cast<field_rule>(i);
        EXPECT_TRUE(snake_case(name_of(r))) << name_of(r);
        EXPECT_TRUE(seen.insert(name_of(r)).second) << name_of(r) << " twice";
        EXPECT_GE(render::french(r).size(), 10u) << name_of(r) << " has no French sentence";
    }
}

TEST(rule_codes, a_form_field_has_its_own_sentence_before_the_rule_s) {
    EXPECT_EQ(render::french("session", {"starts_at", field_rule::outside_event, "x"}),
              "La séance doit se tenir pendant la rencontre.");
    EXPECT_EQ(render::french("session", {"starts_at", field_rule::event_undated, "x"}),
              "Donnez d'abord ses dates à la rencontre.");
    EXPECT_EQ(render::french("session", {"starts_at", field_rule::format, "x"}),
              "Indiquez une date et une heure de début valides.");
    EXPECT_EQ(render::french("event", {"venue.city", field_rule::required_to_publish, "x"}),
              "Indiquez la commune où se tient la rencontre.");
    EXPECT_EQ(render::french("event", {"venue.city", field_rule::length, "x"}),
              "La commune doit tenir en 100 caractères au plus.");
    // A prefix row covers the items under the field, not a field that only starts alike.
    EXPECT_EQ(render::french("candidacy", {"links[3]", field_rule::format, "x"}),
              "Chaque lien est une adresse web complète (https://…), 20 liens au plus.");
    EXPECT_EQ(render::french("candidacy", {"linksets", field_rule::format, "x"}),
              render::french(field_rule::format));
    EXPECT_EQ(render::french("answer", {"answers.regime", field_rule::required, "x"}),
              "Répondez à cette question.");
    // A form without a row of its own for the field: the rule's sentence.
    EXPECT_EQ(render::french("event", {"speaker_ids[0]", field_rule::unknown, "x"}),
              "Cet élément n'existe pas ou plus.");
}

struct rule_codes_http : ::testing::Test {
    test_server server;
    std::string owner = server.token_for(role::organizer, "owner@x.fr");
    std::string participant = server.token_for(role::participant, "p@x.fr");
};

TEST_F(rule_codes_http, each_refusal_names_its_rule_whatever_its_wording) {
    // 401, 403, 404
    auto r = server.call("POST", "/v1/events", object{{"title", "Forum"}});
    ASSERT_EQ(r.status, 401);
    EXPECT_EQ(r.json().at("code"), "authentication_required");
    r = server.call("POST", "/v1/events", object{{"title", "Forum"}}, participant);
    ASSERT_EQ(r.status, 403);
    EXPECT_EQ(r.json().at("code"), "not_allowed");
    r = server.call("GET", "/v1/events/999999");
    ASSERT_EQ(r.status, 404);
    EXPECT_EQ(r.json().at("code"), "event_not_found");

    // 422: the code of the first field error, and each error its own.
    r = server.call("POST", "/v1/events",
                    object{{"title", ""},
                           {"starts_at", "2018-12-11T09:00:00+01:00"},
                           {"ends_at", "2018-12-11T08:00:00+01:00"}},
                    owner);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json().at("code"), "length");
    EXPECT_EQ(
        r.json().at("errors"),
        boost::json::parse(
            R"([{"field":"title","code":"length","message":"must be 1 to 200 characters, without control characters"},)"
            R"({"field":"ends_at","code":"order","message":"must be after starts_at"}])"));

    // 409: a state rule.
    r = server.call("POST", "/v1/events",
                    object{{"title", "Forum"},
                           {"starts_at", "2030-12-11T09:00:00+01:00"},
                           {"ends_at", "2030-12-11T17:00:00+01:00"},
                           {"venue", object{{"city", "Aixe-sur-Vienne"}}}},
                    owner);
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string event(r.json().at("id").as_string());
    r = server.call("POST", "/v1/events/" + event + "/cancel", object{{"reason", "Neige"}}, owner);
    ASSERT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.json().at("code"), "event_is_draft");
    ASSERT_EQ(server.call("POST", "/v1/events/" + event + "/publish", std::nullopt, owner).status,
              200);
    const object registration{
        {"full_name", "Camille Martin"}, {"email", "camille@x.fr"}, {"consent", true}};
    ASSERT_EQ(server.call("POST", "/v1/events/" + event + "/registrations", registration).status,
              201);
    r = server.call("POST", "/v1/events/" + event + "/registrations", registration);
    ASSERT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.json().at("code"), "already_registered");
    EXPECT_FALSE(r.json().as_object().contains("errors"));
}

TEST_F(rule_codes_http, the_contract_lists_every_code) {
    const auto r = server.call("GET", "/openapi.json");
    ASSERT_EQ(r.status, 200);
    const auto document = r.json();
    const auto& problem = document.at("components").at("schemas").at("Problem").at("properties");
    boost::json::array all, fields;
    for (const auto name : rule_names)
        all.emplace_back(name);
    for (const auto name : field_rule_names) {
        all.emplace_back(name);
        fields.emplace_back(name);
    }
    EXPECT_EQ(problem.at("code").at("enum"), all);
    EXPECT_EQ(problem.at("errors").at("items").at("properties").at("code").at("enum"), fields);
}

} // namespace
} // namespace rencontres::testing
