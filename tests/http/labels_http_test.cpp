// The label over HTTP: the jury and award flow and the palmarès in JSON and CSV (who may call
// each label route is in authorization_matrix_test.cpp).
#include "support/process.hpp"
#include "support/test_server.hpp"

#include <fstream>
#include <functional>
#include <gtest/gtest.h>

namespace rencontres::testing {
namespace {

using boost::json::object;
using boost::json::value;

struct labels_http : ::testing::Test {
    test_server server;
    std::array<std::string, 6> tokens = caller_tokens(server);
    std::vector<std::string> territory_ids;

    void make_territories() {
        const char* sirens[] = {"200071512", "200070639", "200070878",
                                "200071629", "241900158", "246400881"};
        for (const char* siren : sirens) {
            const auto r = server.call("POST", "/v1/territories",
                                       object{{"name", std::string("T") + siren},
                                              {"kind", "commune"},
                                              {"siren", siren},
                                              {"region", "Nouvelle-Aquitaine"}},
                                       tokens[admin]);
            territory_ids.emplace_back(r.json().at("id").as_string());
        }
    }
    std::string make_campaign(int year, const char* opens = "2020-01-01T00:00:00Z",
                              const char* closes = "2040-01-01T00:00:00Z") {
        const auto r = server.call(
            "POST", "/v1/label-campaigns",
            object{
                {"year", year},
                {"name", "Label " + std::to_string(year)},
                {"categories",
                 boost::json::parse(
                     R"([{"code":"tiers-lieux","name":"Tiers-lieux"},{"code":"economie","name":"Économie"}])")},
                {"criteria",
                 boost::json::parse(
                     R"([{"code":"innovation","name":"Innovation","weight":2,"eliminatory":true,"threshold":1},{"code":"usagers","name":"Usagers","weight":1}])")},
                {"candidacy_opens_at", opens},
                {"candidacy_closes_at", closes}},
            tokens[admin]);
        EXPECT_EQ(r.status, 201) << r.body;
        const std::string id(r.json().at("id").as_string());
        EXPECT_EQ(server
                      .call("PATCH", "/v1/label-campaigns/" + id, object{{"status", "open"}},
                            tokens[admin])
                      .status,
                  200);
        return id;
    }
    std::string submit(const std::string& campaign, std::size_t territory, caller who = owner,
                       const char* category = "tiers-lieux") {
        const auto r =
            server.call("POST", "/v1/label-campaigns/" + campaign + "/candidacies",
                        object{{"territory_id", territory_ids.at(territory)},
                               {"category", category},
                               {"initiative_title", "Initiative " + std::to_string(territory)}},
                        tokens[who]);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.json().at("id").as_string());
    }
    object scores(int innovation, int usagers) {
        return object{{"scores", boost::json::array{
                                     object{{"criterion", "innovation"}, {"score", innovation}},
                                     object{{"criterion", "usagers"}, {"score", usagers}}}}};
    }
};

TEST_F(labels_http, the_jury_flow_from_candidacy_to_palmares) {
    make_territories();
    const auto campaign = make_campaign(2026);
    const auto strong = submit(campaign, 0);
    const auto eliminated = submit(campaign, 1);
    const auto second = submit(campaign, 2, owner, "economie");
    // Outside the window: 409; unknown category: 422; a second active candidacy: 409.
    const auto late = make_campaign(2030, "2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z");
    auto r = server.call("POST", "/v1/label-campaigns/" + late + "/candidacies",
                         object{{"territory_id", territory_ids[0]},
                                {"category", "economie"},
                                {"initiative_title", "x"}},
                         tokens[owner]);
    EXPECT_EQ(r.status, 409);
    r = server.call("POST", "/v1/label-campaigns/" + campaign + "/candidacies",
                    object{{"territory_id", territory_ids[0]},
                           {"category", "sport"},
                           {"initiative_title", "x"}},
                    tokens[owner]);
    EXPECT_EQ(r.status, 422);
    r = server.call("POST", "/v1/label-campaigns/" + campaign + "/candidacies",
                    object{{"territory_id", territory_ids[0]},
                           {"category", "tiers-lieux"},
                           {"initiative_title", "x"}},
                    tokens[owner]);
    EXPECT_EQ(r.status, 409);

    // Two jurors score; a score out of range is 422.
    const auto juror2 = server.token_for(role::jury, "jury2@x.fr");
    EXPECT_EQ(
        server.call("POST", "/v1/candidacies/" + strong + "/reviews", scores(6, 4), tokens[juror])
            .status,
        422);
    ASSERT_EQ(
        server.call("POST", "/v1/candidacies/" + strong + "/reviews", scores(5, 4), tokens[juror])
            .status,
        201);
    ASSERT_EQ(
        server
            .call("POST", "/v1/candidacies/" + strong + "/reviews",
                  object{{"scores", scores(3, 4).at("scores")}, {"comment", "avis du juré 2"}},
                  juror2)
            .status,
        201);
    ASSERT_EQ(
        server
            .call("POST", "/v1/candidacies/" + eliminated + "/reviews", scores(0, 5), tokens[juror])
            .status,
        201);
    ASSERT_EQ(
        server.call("POST", "/v1/candidacies/" + eliminated + "/reviews", scores(1, 5), juror2)
            .status,
        201);
    ASSERT_EQ(
        server.call("POST", "/v1/candidacies/" + second + "/reviews", scores(2, 2), juror2).status,
        201);

    // A juror sees the means and only its own review; an admin sees every review.
    auto summary =
        server.call("GET", "/v1/candidacies/" + strong + "/reviews", std::nullopt, tokens[juror])
            .json();
    EXPECT_DOUBLE_EQ(summary.at("weighted_total").as_double(),
                     ((2 * 5 + 4) / 3.0 + (2 * 3 + 4) / 3.0) / 2);
    EXPECT_DOUBLE_EQ(summary.at("criteria_means").at("innovation").as_double(), 4.0);
    ASSERT_EQ(summary.at("reviews").as_array().size(), 1u);
    EXPECT_EQ(summary.at("reviews").at(0).at("reviewer_id"),
              value(std::to_string(server.account_id("jury@x.fr"))));
    EXPECT_EQ(summary.as_object().at("reviews").at(0).as_object().contains("comment"), false);
    summary =
        server.call("GET", "/v1/candidacies/" + strong + "/reviews", std::nullopt, tokens[admin])
            .json();
    EXPECT_EQ(summary.at("reviews").as_array().size(), 2u);

    // The ranking: eliminated last, with the criterion.
    const auto ranking =
        server
            .call("GET", "/v1/label-campaigns/" + campaign + "/ranking?category=tiers-lieux",
                  std::nullopt, tokens[juror])
            .json();
    ASSERT_EQ(ranking.at("items").as_array().size(), 2u);
    EXPECT_EQ(ranking.at("items").at(0).at("candidacy").at("id"), value(strong));
    EXPECT_EQ(ranking.at("items").at(1).at("eliminated"), true);
    EXPECT_EQ(ranking.at("items").at(1).at("eliminated_by"), "innovation");

    // Awards: eliminated is 409; one active award per candidacy.
    EXPECT_EQ(server
                  .call("POST", "/v1/label-campaigns/" + campaign + "/awards",
                        object{{"candidacy_id", eliminated}, {"level", "bronze"}}, tokens[admin])
                  .status,
              409);
    ASSERT_EQ(server
                  .call("POST", "/v1/label-campaigns/" + campaign + "/awards",
                        object{{"candidacy_id", strong},
                               {"level", "argent"},
                               {"citation", "Un tiers-lieu, service public"}},
                        tokens[admin])
                  .status,
              201);
    EXPECT_EQ(server
                  .call("POST", "/v1/label-campaigns/" + campaign + "/awards",
                        object{{"candidacy_id", strong}, {"level", "or"}}, tokens[admin])
                  .status,
              409);
    const auto gold = server.call("POST", "/v1/label-campaigns/" + campaign + "/awards",
                                  object{{"candidacy_id", second}, {"level", "or"}}, tokens[admin]);
    ASSERT_EQ(gold.status, 201);
    // The submitter heard of the candidacy, then of the award, in French.
    const auto messages =
        server.call("GET", "/v1/admin/outbox", std::nullopt, tokens[admin]).json().at("items");
    std::vector<std::string> to_owner;
    for (const auto& m : messages.as_array())
        if (m.at("recipient").as_string() == "owner@x.fr")
            to_owner.emplace_back(std::string(m.at("kind").as_string()) + " " +
                                  std::string(m.at("subject").as_string()));
    ASSERT_GE(to_owner.size(), 4u);
    EXPECT_EQ(to_owner.front().rfind("award_announced Label décerné : ", 0), 0u)
        << to_owner.front();
    EXPECT_EQ(
        std::count_if(to_owner.begin(), to_owner.end(),
                      [](const std::string& s) { return s.rfind("candidacy_received ", 0) == 0; }),
        3);

    // Close then award the campaign: reviews are closed.
    ASSERT_EQ(server
                  .call("PATCH", "/v1/label-campaigns/" + campaign, object{{"status", "closed"}},
                        tokens[admin])
                  .status,
              200);
    ASSERT_EQ(server
                  .call("PATCH", "/v1/label-campaigns/" + campaign, object{{"status", "awarded"}},
                        tokens[admin])
                  .status,
              200);
    EXPECT_EQ(
        server.call("POST", "/v1/candidacies/" + strong + "/reviews", scores(5, 5), tokens[juror])
            .status,
        409);
    EXPECT_EQ(server
                  .call("PATCH", "/v1/label-campaigns/" + campaign, object{{"status", "closed"}},
                        tokens[admin])
                  .status,
              409);

    // The palmarès; a revoked award leaves it.
    auto palmares = server.call("GET", "/v1/palmares/2026");
    ASSERT_EQ(palmares.status, 200);
    auto body = palmares.json();
    ASSERT_EQ(body.at("categories").as_array().size(), 2u);
    EXPECT_EQ(body.at("categories").at(0).at("code"), "tiers-lieux");
    EXPECT_EQ(body.at("categories").at(0).at("awards").at(0).at("level"), "argent");
    EXPECT_EQ(body.at("categories").at(0).at("awards").at(0).at("citation"),
              "Un tiers-lieu, service public");
    EXPECT_EQ(server
                  .call("GET", "/v1/palmares/2026", std::nullopt, {},
                        {{"If-None-Match", palmares.header("ETag")}})
                  .status,
              304);
    const std::string gold_id(gold.json().at("id").as_string());
    EXPECT_EQ(server.call("DELETE", "/v1/awards/" + gold_id, object{}, tokens[admin]).status, 422);
    const auto revoked = server.call("DELETE", "/v1/awards/" + gold_id,
                                     object{{"reason", "Dossier incomplet"}}, tokens[admin]);
    ASSERT_EQ(revoked.status, 200);
    EXPECT_EQ(revoked.json().at("revocation_reason"), "Dossier incomplet");
    EXPECT_TRUE(revoked.json().as_object().contains("revoked_at"));
    body = server.call("GET", "/v1/palmares/2026").json();
    EXPECT_EQ(body.at("categories").as_array().size(), 1u);
    EXPECT_EQ(server.call("GET", "/v1/palmares/1999").status, 404);
    EXPECT_EQ(server.call("GET", "/v1/palmares/abcd").status, 404);
    // Every change is in the audit trail, with its actor.
    const auto audit =
        server.call("GET", "/v1/audit?entity=award", std::nullopt, tokens[admin]).json();
    EXPECT_EQ(audit.at("items").at(0).at("action"), "revoke_award");
    EXPECT_EQ(audit.at("items").at(0).at("summary"), "Dossier incomplet");
}

TEST_F(labels_http, the_demo_palmares_is_ordered_and_its_csv_reads_back) {
    load_demo(server.app().store(), system_clock{}.now());
    const auto r = server.call("GET", "/v1/palmares/2018");
    ASSERT_EQ(r.status, 200);
    const auto body = r.json();
    std::vector<std::string> codes;
    for (const auto& c : body.at("categories").as_array())
        codes.emplace_back(c.at("code").as_string());
    EXPECT_EQ(codes, (std::vector<std::string>{"citoyennete", "economie", "tiers-lieux"}));
    const auto csv = server.call("GET", "/v1/palmares/2018.csv");
    ASSERT_EQ(csv.status, 200);
    const auto file = server.dir() + "/palmares.csv";
    std::ofstream(file, std::ios::binary) << csv.body;
    const auto parsed = run_python({"tests/tools/check_csv.py", file, "--all"});
    ASSERT_EQ(parsed.exit_code, 0) << parsed.output;
    EXPECT_EQ(
        parsed.output,
        "year|category|level|territory_name|territory_kind|siren|initiative_title|citation\n"
        "2018|citoyennete|bronze|Grand Cognac|communaute_agglomeration|200070639|Accès aux droits "
        "en territoire rural avec la CAF|Le numérique au service de l'accès aux droits en milieu "
        "rural.\n"
        "2018|economie|bronze|Grand Périgueux|communaute_agglomeration|200071629|Digital "
        "Valley|Une démarche co-construite avec les entreprises du territoire.\n"
        "2018|tiers-lieux|argent|Grand Guéret|communaute_agglomeration|200070878|La Quincaillerie, "
        "tiers-lieu intercommunal|Un tiers-lieu service public, animé par la collectivité.\n");
    // The eliminated demo candidacy says why in the ranking.
    const auto admin_token = tokens[admin];
    const auto ranking = server
                             .call("GET", "/v1/label-campaigns/1/ranking?category=economie",
                                   std::nullopt, admin_token)
                             .json();
    ASSERT_EQ(ranking.at("items").as_array().size(), 2u);
    EXPECT_EQ(ranking.at("items").at(1).at("candidacy").at("initiative_title"),
              "Commerçants à l'ère du numérique");
    EXPECT_EQ(ranking.at("items").at(1).at("eliminated_by"), "innovation");
}

} // namespace
} // namespace rencontres::testing
