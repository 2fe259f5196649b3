#include "support/test_server.hpp"

#include <gtest/gtest.h>

namespace rencontres::testing {
namespace {

using boost::json::object;

struct territories_http : ::testing::Test {
    test_server server;
    std::string organizer = server.token_for(role::organizer, "orga@x.fr");

    object gueret() {
        return {{"name", "Grand Guéret"},
                {"kind", "communaute_agglomeration"},
                {"siren", "200070878"},
                {"region", "Nouvelle-Aquitaine"},
                {"department", "23"}};
    }
};

TEST_F(territories_http, organizers_create_and_anyone_reads) {
    const auto r = server.call("POST", "/v1/territories", gueret(), organizer);
    ASSERT_EQ(r.status, 201) << r.body;
    auto expected = gueret();
    const std::string id(r.json().at("id").as_string());
    expected["id"] = id;
    EXPECT_EQ(r.json(), boost::json::value(expected));
    EXPECT_EQ(r.header("Location"), "/v1/territories/" + id);

    const auto got = server.call("GET", "/v1/territories/" + id);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.json(), boost::json::value(expected));
    EXPECT_EQ(server
                  .call("GET", "/v1/territories/" + id, std::nullopt, {},
                        {{"If-None-Match", got.header("ETag")}})
                  .status,
              304);
    EXPECT_EQ(server.call("GET", "/v1/territories/424242").status, 404);
}

TEST_F(territories_http, writes_need_an_organizer_or_admin) {
    EXPECT_EQ(server.call("POST", "/v1/territories", gueret()).status, 401);
    const auto participant = server.token_for(role::participant, "p@x.fr");
    const auto jury = server.token_for(role::jury, "j@x.fr");
    EXPECT_EQ(server.call("POST", "/v1/territories", gueret(), participant).status, 403);
    EXPECT_EQ(server.call("POST", "/v1/territories", gueret(), jury).status, 403);
    const auto admin = server.token_for(role::admin, "a@x.fr");
    const auto created = server.call("POST", "/v1/territories", gueret(), admin);
    ASSERT_EQ(created.status, 201);
    const std::string id(created.json().at("id").as_string());
    EXPECT_EQ(server.call("PATCH", "/v1/territories/" + id, object{{"region", "Limousin"}}).status,
              401);
    EXPECT_EQ(
        server.call("PATCH", "/v1/territories/" + id, object{{"region", "Limousin"}}, participant)
            .status,
        403);
    EXPECT_EQ(server.call("GET", "/v1/territories/" + id).json().at("region"),
              "Nouvelle-Aquitaine");
}

TEST_F(territories_http, siren_is_checked_and_unique) {
    auto bad = gueret();
    bad["siren"] = "200070879";
    auto r = server.call("POST", "/v1/territories", bad, organizer);
    ASSERT_EQ(r.status, 422);
    EXPECT_EQ(
        r.json().at("errors"),
        boost::json::parse(
            R"([{"field":"siren","code":"format","message":"must be 9 digits passing the Luhn check"}])"));
    bad["kind"] = "village";
    r = server.call("POST", "/v1/territories", bad, organizer);
    EXPECT_EQ(r.status, 422);
    // Shape errors (from the schema) come before rule errors (from the domain).
    EXPECT_EQ(
        r.json().at("errors"),
        boost::json::parse(
            R"([{"field":"kind","code":"choice","message":"is not one of the allowed values"}])"));

    ASSERT_EQ(server.call("POST", "/v1/territories", gueret(), organizer).status, 201);
    r = server.call("POST", "/v1/territories", gueret(), organizer);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("detail"), "A territory with this SIREN already exists.");
}

TEST_F(territories_http, list_filters_by_folded_name_and_region_and_pages) {
    ASSERT_EQ(server.call("POST", "/v1/territories", gueret(), organizer).status, 201);
    ASSERT_EQ(server
                  .call("POST", "/v1/territories",
                        object{{"name", "Pau Béarn Pyrénées"},
                               {"kind", "communaute_agglomeration"},
                               {"siren", "246400881"},
                               {"region", "Nouvelle-Aquitaine"}},
                        organizer)
                  .status,
              201);
    ASSERT_EQ(server
                  .call("POST", "/v1/territories",
                        object{{"name", "Rennes Métropole"},
                               {"kind", "metropole"},
                               {"siren", "243500139"},
                               {"region", "Bretagne"}},
                        organizer)
                  .status,
              201);
    auto names = [&](const std::string& target) {
        std::vector<std::string> out;
        const auto page = server.call("GET", target).json();
        for (const auto& item : page.at("items").as_array())
            out.emplace_back(item.at("name").as_string());
        return out;
    };
    EXPECT_EQ(names("/v1/territories?q=gueret"), std::vector<std::string>{"Grand Guéret"});
    EXPECT_EQ(names("/v1/territories?q=GU%C3%89RET"), std::vector<std::string>{"Grand Guéret"});
    EXPECT_EQ(names("/v1/territories?q=pyrenees"), std::vector<std::string>{"Pau Béarn Pyrénées"});
    EXPECT_EQ(names("/v1/territories?region=Bretagne"),
              std::vector<std::string>{"Rennes Métropole"});
    EXPECT_EQ(names("/v1/territories?q=100%25"), std::vector<std::string>{});
    const auto first = server.call("GET", "/v1/territories?limit=2");
    ASSERT_EQ(first.json().at("items").as_array().size(), 2u);
    const std::string cursor(first.json().at("next_cursor").as_string());
    EXPECT_EQ(names("/v1/territories?limit=2&cursor=" + cursor),
              std::vector<std::string>{"Rennes Métropole"});
}

TEST_F(territories_http, patch_honours_if_match_and_validates) {
    const auto created = server.call("POST", "/v1/territories", gueret(), organizer);
    const std::string id(created.json().at("id").as_string());
    const auto etag = created.header("ETag");
    auto r = server.call("PATCH", "/v1/territories/" + id, object{{"department", nullptr}},
                         organizer, {{"If-Match", etag}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(r.json().as_object().contains("department"));
    r = server.call("PATCH", "/v1/territories/" + id, object{{"name", "Stale"}}, organizer,
                    {{"If-Match", etag}});
    EXPECT_EQ(r.status, 412);
    r = server.call("PATCH", "/v1/territories/" + id, object{{"siren", "12"}}, organizer);
    EXPECT_EQ(r.status, 422);
    r = server.call("PATCH", "/v1/territories/" + id, object{{"colour", "blue"}}, organizer);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(server.call("GET", "/v1/territories/" + id).json().at("name"), "Grand Guéret");
    EXPECT_EQ(server.call("PATCH", "/v1/territories/999", object{{"name", "X"}}, organizer).status,
              404);
}

TEST_F(territories_http, changes_are_in_the_audit_trail_for_admins_only) {
    const auto created = server.call("POST", "/v1/territories", gueret(), organizer);
    const std::string id(created.json().at("id").as_string());
    const auto admin = server.token_for(role::admin, "a@x.fr");
    EXPECT_EQ(server.call("GET", "/v1/audit").status, 401);
    EXPECT_EQ(server.call("GET", "/v1/audit", std::nullopt, organizer).status, 403);
    const auto r = server.call("GET", "/v1/audit?entity=territory", std::nullopt, admin);
    ASSERT_EQ(r.status, 200);
    const auto page = r.json();
    const auto& items = page.at("items").as_array();
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].at("action"), "create_territory");
    EXPECT_EQ(items[0].at("entity_id"), boost::json::value(id));
    EXPECT_EQ(items[0].at("actor_id"),
              boost::json::value(std::to_string(server.account_id("orga@x.fr"))));
    EXPECT_EQ(items[0].at("summary"), "Grand Guéret (200070878)");
    const auto by_actor =
        server.call("GET", "/v1/audit?actor=" + std::to_string(server.account_id("a@x.fr")),
                    std::nullopt, admin);
    EXPECT_EQ(by_actor.json().at("items").as_array().size(), 0u);
    EXPECT_EQ(server.call("GET", "/v1/audit?actor=me", std::nullopt, admin).status, 400);
}

} // namespace
} // namespace rencontres::testing
