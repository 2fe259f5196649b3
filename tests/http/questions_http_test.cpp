// The questions an event asks and their answers over HTTP (API.md §8): the rules of a change of
// the questions, the checks of each answer, PATCH of a registration, the counts per option in
// the stats, the CSV columns, the export and the erasure of text answers.
#include "support/test_server.hpp"

#include <algorithm>
#include <gtest/gtest.h>

namespace rencontres::testing {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

const char* const lunch_questions = R"([
  {"code": "dejeuner", "label": "Déjeuner sur place", "kind": "boolean", "required": true},
  {"code": "regime", "label": "Régime", "kind": "choice", "required": false,
   "options": [{"code": "aucun", "label": "Aucun"}, {"code": "vegetarien", "label": "Végétarien"}]},
  {"code": "ateliers", "label": "Thèmes suivis", "kind": "choices", "required": false,
   "options": [{"code": "inclusion", "label": "Inclusion"}, {"code": "tiers", "label": "Tiers-lieux"},
               {"code": "commerce", "label": "Commerce local"}]},
  {"code": "fonction", "label": "Fonction", "kind": "text", "required": false,
   "help": "Par exemple : chargée de mission numérique"}
])";

struct questions_http : ::testing::Test {
    test_server server;
    std::string owner = server.token_for(role::organizer, "owner@x.fr");
    std::string other = server.token_for(role::organizer, "other@x.fr");
    std::string workshop;
    std::string event = make_event();

    std::string make_event() { return forum_with_workshop(server, owner, 100, workshop); }
    reply put_questions(const value& body, const std::string& token) {
        return server.call("PUT", "/v1/events/" + event + "/questions", body, token);
    }
    reply enrol(const std::string& name, const object& answers, const std::string& token = {}) {
        return server.call("POST", "/v1/events/" + event + "/registrations",
                           object{{"full_name", name},
                                  {"email", name + "@x.fr"},
                                  {"consent", true},
                                  {"answers", answers}},
                           token);
    }
    value stats() {
        return server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, owner)
            .json()
            .at("answers");
    }
};

// The fields a 422 names.
std::vector<std::string> fields_of(const reply& r) {
    std::vector<std::string> out;
    const auto body = r.json();
    const auto* errors = body.as_object().if_contains("errors");
    if (!errors) return {"(no errors: " + std::to_string(r.status) + ")"};
    for (const auto& e : errors->as_array())
        out.emplace_back(e.at("field").as_string());
    return out;
}

TEST_F(questions_http, organizers_replace_the_questions_and_anyone_reads_them_in_order) {
    EXPECT_EQ(server.call("GET", "/v1/events/" + event + "/questions").json(),
              boost::json::parse(R"({"items":[]})"));
    // The bare list and {items} both replace it; only the event's organizers may.
    EXPECT_EQ(put_questions(boost::json::parse(lunch_questions), other).status, 403);
    EXPECT_EQ(put_questions(boost::json::parse(lunch_questions), {}).status, 401);
    auto r = put_questions(boost::json::parse(lunch_questions), owner);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto expected = boost::json::parse(std::string(R"({"items":)") + lunch_questions + "}");
    EXPECT_EQ(r.json(), expected);
    EXPECT_EQ(server.call("GET", "/v1/events/" + event + "/questions").json(), expected);
    r = put_questions(expected, owner);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json(), expected);

    // Malformed questions: 422 naming each, nothing changed. A kind out of the list is the
    // schema's to refuse; the rest is the domain's, every error at once.
    r = put_questions(
        boost::json::parse(R"([{"code": "a", "label": "b", "kind": "date", "required": false}])"),
        owner);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(fields_of(r), std::vector<std::string>{"items[0].kind"});
    r = put_questions(boost::json::parse(R"([
        {"code": "Déjeuner", "label": "x", "kind": "boolean", "required": false},
        {"code": "a", "label": "", "kind": "choice", "required": false},
        {"code": "a", "label": "b", "kind": "text", "required": false},
        {"code": "c", "label": "c", "kind": "text", "required": false,
         "options": [{"code": "x", "label": "x"}]},
        {"code": "d", "label": "d", "kind": "choices", "required": false,
         "options": [{"code": "x", "label": "x"}, {"code": "x", "label": "y"}]}
    ])"),
                      owner);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(fields_of(r), (std::vector<std::string>{
                                "items[0].code", "items[1].label", "items[1].options",
                                "items[2].code", "items[3].options", "items[4].options[1].code"}));
    // Unknown fields are refused by the schema.
    r = put_questions(
        boost::json::parse(R"([{"code":"a","label":"a","kind":"text","required":false,"x":1}])"),
        owner);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(fields_of(r), std::vector<std::string>{"items[0].x"});
    EXPECT_EQ(server.call("GET", "/v1/events/" + event + "/questions").json(), expected);
}

TEST_F(questions_http, each_answer_is_checked_and_stored_with_the_registration) {
    ASSERT_EQ(put_questions(boost::json::parse(lunch_questions), owner).status, 200);
    auto r = enrol("camille", object{{"regime", "carnivore"},
                                     {"ateliers", array{"inclusion", "inclusion"}},
                                     {"fonction", 12},
                                     {"inconnue", true}});
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(fields_of(r), (std::vector<std::string>{"answers.fonction"}));
    r = enrol("camille", object{{"regime", "carnivore"},
                                {"ateliers", array{"inclusion", "inclusion"}},
                                {"inconnue", true}});
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(fields_of(r), (std::vector<std::string>{"answers.inconnue", "answers.dejeuner",
                                                      "answers.regime", "answers.ateliers"}));
    r = enrol("camille", object{{"dejeuner", "oui"}});
    EXPECT_EQ(fields_of(r), std::vector<std::string>{"answers.dejeuner"});
    EXPECT_EQ(server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, owner)
                  .json()
                  .at("confirmed"),
              0);

    r = enrol("camille", object{{"dejeuner", true},
                                {"regime", "vegetarien"},
                                {"ateliers", array{"commerce", "inclusion"}},
                                {"fonction", "  Chargée de mission  "}});
    ASSERT_EQ(r.status, 201) << r.body;
    // Options in the question's order, text trimmed.
    EXPECT_EQ(r.json().at("answers"),
              boost::json::parse(R"({"ateliers":["inclusion","commerce"],"dejeuner":true,)"
                                 R"("fonction":"Chargée de mission","regime":"vegetarien"})"));
    const std::string id(r.json().at("id").as_string());
    EXPECT_EQ(
        server.call("GET", "/v1/registrations/" + id, std::nullopt, owner).json().at("answers"),
        r.json().at("answers"));
    // Without the required answer: 422.
    EXPECT_EQ(fields_of(enrol("jean", object{})), std::vector<std::string>{"answers.dejeuner"});
}

TEST_F(questions_http, the_stats_count_each_option_over_active_registrations) {
    ASSERT_EQ(put_questions(boost::json::parse(lunch_questions), owner).status, 200);
    EXPECT_EQ(stats(), boost::json::parse(R"({"ateliers":{"commerce":0,"inclusion":0,"tiers":0},)"
                                          R"("dejeuner":{"false":0,"true":0},)"
                                          R"("regime":{"aucun":0,"vegetarien":0}})"));
    const auto a = enrol("a", object{{"dejeuner", true}, {"ateliers", array{"tiers", "commerce"}}});
    ASSERT_EQ(a.status, 201);
    ASSERT_EQ(enrol("b", object{{"dejeuner", true}, {"regime", "aucun"}}).status, 201);
    ASSERT_EQ(enrol("c", object{{"dejeuner", false}, {"ateliers", array{"tiers"}}}).status, 201);
    EXPECT_EQ(stats(), boost::json::parse(R"({"ateliers":{"commerce":1,"inclusion":0,"tiers":2},)"
                                          R"("dejeuner":{"false":1,"true":2},)"
                                          R"("regime":{"aucun":1,"vegetarien":0}})"));
    // A cancellation takes its answers out of the counts.
    const std::string a_id(a.json().at("id").as_string());
    ASSERT_EQ(server.call("DELETE", "/v1/registrations/" + a_id, std::nullopt, owner).status, 204);
    EXPECT_EQ(stats(), boost::json::parse(R"({"ateliers":{"commerce":0,"inclusion":0,"tiers":1},)"
                                          R"("dejeuner":{"false":1,"true":1},)"
                                          R"("regime":{"aucun":1,"vegetarien":0}})"));
}

TEST_F(questions_http, answered_questions_and_chosen_options_stay_once_registrations_exist) {
    ASSERT_EQ(put_questions(boost::json::parse(lunch_questions), owner).status, 200);
    const auto a = enrol("a", object{{"dejeuner", true}, {"regime", "vegetarien"}});
    ASSERT_EQ(a.status, 201);
    // Cancelled, its answers still hold the questions.
    ASSERT_EQ(server
                  .call("DELETE", "/v1/registrations/" + std::string(a.json().at("id").as_string()),
                        std::nullopt, owner)
                  .status,
              204);
    auto list = boost::json::parse(lunch_questions).as_array();
    // Removing an answered question: 409.
    auto without = list;
    without.erase(without.begin());
    auto r = put_questions(without, owner);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("detail"),
              "The question \"dejeuner\" has answers and cannot be removed.");
    // Changing its kind: 409.
    auto changed = list;
    changed[0].as_object()["kind"] = "text";
    EXPECT_EQ(put_questions(changed, owner).json().at("detail"),
              "The question \"dejeuner\" has answers and cannot change its kind.");
    // Removing a chosen option: 409; an option nobody chose may go.
    auto options = list;
    options[1].as_object()["options"] = boost::json::parse(R"([{"code":"aucun","label":"Aucun"}])");
    EXPECT_EQ(put_questions(options, owner).json().at("detail"),
              "The option \"vegetarien\" of the question \"regime\" was chosen and cannot be "
              "removed.");
    options[1].as_object()["options"] =
        boost::json::parse(R"([{"code":"vegetarien","label":"Végétarien"}])");
    EXPECT_EQ(put_questions(options, owner).status, 200);
    // A new question cannot be required; optional, it can come; an unanswered one can go.
    auto added = options;
    added.push_back(boost::json::parse(
        R"({"code":"acces","label":"Accès de plain-pied","kind":"boolean","required":true})"));
    r = put_questions(added, owner);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(fields_of(r), std::vector<std::string>{"items[4].required"});
    added.back().as_object()["required"] = false;
    EXPECT_EQ(put_questions(added, owner).status, 200);
    added.erase(added.begin() + 3); // "fonction", never answered
    EXPECT_EQ(put_questions(added, owner).status, 200);
    EXPECT_EQ(server.call("GET", "/v1/events/" + event + "/questions")
                  .json()
                  .at("items")
                  .as_array()
                  .size(),
              4u);
}

TEST_F(questions_http, a_registration_changes_its_answers_workshops_and_organization) {
    ASSERT_EQ(put_questions(boost::json::parse(lunch_questions), owner).status, 200);
    const auto made = enrol("camille", object{{"dejeuner", true}, {"fonction", "Élue"}});
    ASSERT_EQ(made.status, 201);
    const std::string id(made.json().at("id").as_string());
    const std::string token(made.json().at("manage_token").as_string());
    const header_list with_token{{"X-Registration-Token", token}};
    // With the manage token: answers merged, a workshop taken, the organization set.
    auto r = server.call("PATCH", "/v1/registrations/" + id,
                         object{{"answers", object{{"dejeuner", false}, {"regime", "aucun"}}},
                                {"session_ids", array{value(workshop)}},
                                {"organization", "Communauté de communes Val de Vienne"}},
                         {}, with_token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("answers"),
              boost::json::parse(R"({"dejeuner":false,"fonction":"Élue","regime":"aucun"})"));
    EXPECT_EQ(r.json().at("organization"), "Communauté de communes Val de Vienne");
    EXPECT_EQ(r.json().at("sessions"),
              boost::json::parse(R"([{"session_id":")" + workshop + R"(","status":"confirmed"}])"));
    EXPECT_EQ(stats().at("dejeuner"), boost::json::parse(R"({"false":1,"true":0})"));
    // Errors change nothing: a wrong option, a session of no event, a wrong token.
    r = server.call("PATCH", "/v1/registrations/" + id,
                    object{{"answers", object{{"regime", "poisson"}}}, {"organization", nullptr}},
                    {}, with_token);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(fields_of(r), std::vector<std::string>{"answers.regime"});
    r = server.call("PATCH", "/v1/registrations/" + id, object{{"session_ids", array{"999999"}}},
                    {}, with_token);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(fields_of(r), std::vector<std::string>{"session_ids[0]"});
    EXPECT_EQ(server
                  .call("PATCH", "/v1/registrations/" + id, object{{"organization", "X"}}, {},
                        {{"X-Registration-Token", "wrong"}})
                  .status,
              404);
    EXPECT_EQ(server.call("PATCH", "/v1/registrations/" + id, object{{"organization", "X"}}, other)
                  .status,
              404);
    EXPECT_EQ(server.call("PATCH", "/v1/registrations/" + id, object{{"nom", "X"}}, owner).status,
              422);
    auto read = server.call("GET", "/v1/registrations/" + id, std::nullopt, owner).json();
    EXPECT_EQ(read.at("organization"), "Communauté de communes Val de Vienne");
    EXPECT_EQ(read.at("answers").at("regime"), "aucun");
    // The organizer clears the organization and drops the workshop.
    r = server.call("PATCH", "/v1/registrations/" + id,
                    object{{"organization", nullptr}, {"session_ids", array{}}}, owner);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.json().as_object().contains("organization"));
    EXPECT_EQ(r.json().at("sessions"),
              boost::json::parse(R"([{"session_id":")" + workshop + R"(","status":"cancelled"}])"));
}

TEST_F(questions_http, the_csv_has_a_column_per_question_and_erasure_keeps_only_the_choices) {
    ASSERT_EQ(put_questions(boost::json::parse(lunch_questions), owner).status, 200);
    const auto participant = server.token_for(role::participant, "lea@x.fr");
    auto r = server.call("POST", "/v1/events/" + event + "/registrations",
                         object{{"full_name", "Léa"},
                                {"email", "lea@x.fr"},
                                {"consent", true},
                                {"answers", object{{"dejeuner", true},
                                                   {"ateliers", array{"inclusion", "tiers"}},
                                                   {"fonction", "=1+1 élue"}}}},
                         participant);
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string id(r.json().at("id").as_string());
    r = server.call("GET", "/v1/events/" + event + "/registrations.csv", std::nullopt, owner);
    ASSERT_EQ(r.status, 200);
    const auto header_end = r.body.find("\r\n");
    EXPECT_EQ(r.body.substr(0, header_end),
              "id,status,waitlist_position,full_name,email,organization,territory_id,session_ids,"
              "created_at,checked_in_at,Déjeuner sur place,Régime,Thèmes suivis,Fonction");
    // Labels for options, oui/non, and a formula neutralized.
    EXPECT_NE(r.body.find(",oui,,Inclusion; Tiers-lieux,'=1+1 élue\r\n"), std::string::npos)
        << r.body;
    // The export shows the answers.
    const auto mine = server.call("GET", "/v1/me/export", std::nullopt, participant).json();
    EXPECT_EQ(mine.at("registrations").at(0).at("answers").at("fonction"), "=1+1 élue");
    // Erased: what was written goes, the choices stay counted.
    ASSERT_EQ(server.call("DELETE", "/v1/me", std::nullopt, participant).status, 204);
    const auto read = server.call("GET", "/v1/registrations/" + id, std::nullopt, owner).json();
    EXPECT_EQ(read.at("answers"),
              boost::json::parse(R"({"ateliers":["inclusion","tiers"],"dejeuner":true})"));
    EXPECT_EQ(stats().at("ateliers"),
              boost::json::parse(R"({"commerce":0,"inclusion":1,"tiers":1})"));
}

TEST_F(questions_http, an_announcement_reaches_each_active_registration_of_its_statuses) {
    ASSERT_EQ(enrol("a", object{}).status, 201);
    ASSERT_EQ(enrol("b", object{}).status, 201);
    const auto c = enrol("c", object{});
    ASSERT_EQ(server
                  .call("DELETE", "/v1/registrations/" + std::string(c.json().at("id").as_string()),
                        std::nullopt, owner)
                  .status,
              204);
    const auto target = "/v1/events/" + event + "/announcements";
    // Refused without changing anything: empty subject, a cancelled status, another organizer.
    auto r = server.call("POST", target, object{{"subject", " "}, {"body", ""}}, owner);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(fields_of(r), (std::vector<std::string>{"subject", "body"}));
    r = server.call("POST", target,
                    object{{"subject", "x"}, {"body", "y"}, {"statuses", array{"cancelled"}}},
                    owner);
    EXPECT_EQ(fields_of(r), std::vector<std::string>{"statuses[0]"});
    EXPECT_EQ(server.call("POST", target, object{{"subject", "x"}, {"body", "y"}}, other).status,
              403);

    r = server.call("POST", target,
                    object{{"subject", "La salle change"},
                           {"body", "Rendez-vous salle Jean-Moulin."},
                           {"statuses", array{"confirmed"}}},
                    owner);
    ASSERT_EQ(r.status, 202) << r.body;
    EXPECT_EQ(r.json(), boost::json::parse(R"({"recipients":2})"));
    const auto admin = server.token_for(role::admin, "admin@x.fr");
    const auto outbox =
        server.call("GET", "/v1/admin/outbox?limit=100", std::nullopt, admin).json();
    std::vector<std::string> to;
    for (const auto& m : outbox.at("items").as_array())
        if (m.at("kind") == "announcement") {
            to.emplace_back(m.at("recipient").as_string());
            EXPECT_EQ(m.at("subject"), "La salle change");
            EXPECT_NE(std::string(m.at("body").as_string()).find("Rendez-vous salle Jean-Moulin."),
                      std::string::npos);
        }
    std::sort(to.begin(), to.end());
    EXPECT_EQ(to, (std::vector<std::string>{"a@x.fr", "b@x.fr"}));
    const auto audit =
        server.call("GET", "/v1/audit?entity=event", std::nullopt, admin).json().at("items");
    EXPECT_EQ(audit.at(0).at("action"), "announce");

    // Five in 24 hours, then 429 with the wait.
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(
            server.call("POST", target, object{{"subject", "Rappel"}, {"body", "Venez."}}, owner)
                .status,
            202);
    r = server.call("POST", target, object{{"subject", "Rappel"}, {"body", "Venez."}}, owner);
    EXPECT_EQ(r.status, 429);
    EXPECT_FALSE(r.header("Retry-After").empty());
}

} // namespace
} // namespace rencontres::testing
