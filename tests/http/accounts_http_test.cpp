#include "support/test_server.hpp"

#include <gtest/gtest.h>

namespace rencontres::testing {
namespace {

using boost::json::object;
using boost::json::value;

struct accounts_http : ::testing::Test {
    test_server server;
};

TEST_F(accounts_http, sign_up_returns_the_account_without_any_secret) {
    const auto r = server.call("POST", "/v1/accounts",
                               object{{"email", " Camille@Demo.Invalid"},
                                      {"password", "correct horse battery"},
                                      {"display_name", "Camille Dupont"}});
    ASSERT_EQ(r.status, 201) << r.body;
    const auto body = r.json().as_object();
    EXPECT_EQ(body.at("email"), "camille@demo.invalid");
    EXPECT_EQ(body.at("display_name"), "Camille Dupont");
    EXPECT_EQ(body.at("role"), "participant");
    EXPECT_EQ(body.at("email_verified"), false);
    EXPECT_EQ(body.size(), 6u);
    EXPECT_EQ(r.header("Location"), "/v1/accounts/" + std::string(body.at("id").as_string()));
    EXPECT_EQ(r.body.find("argon2"), std::string::npos);
    EXPECT_EQ(r.body.find("password"), std::string::npos);
}

TEST_F(accounts_http, sign_up_errors_are_problems_with_fields) {
    auto r = server.call("POST", "/v1/accounts",
                         object{{"email", "x@y.fr"}, {"password", "short"}, {"display_name", "X"}});
    ASSERT_EQ(r.status, 422);
    EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
    EXPECT_EQ(
        r.json().at("errors"),
        boost::json::parse(
            R"([{"field":"password","code":"length","message":"must be at least 10 characters"}])"));

    r = server.call("POST", "/v1/accounts",
                    object{{"email", "x@y.fr"},
                           {"password", "0123456789"},
                           {"display_name", "X"},
                           {"role", "admin"}});
    ASSERT_EQ(r.status, 422) << "mass assignment must be refused";
    EXPECT_EQ(r.json().at("errors"),
              boost::json::parse(
                  R"([{"field":"role","code":"not_accepted","message":"is not a known field"}])"));

    r = server.call("POST", "/v1/accounts", object{{"email", 12}, {"display_name", "X"}});
    ASSERT_EQ(r.status, 422);
    EXPECT_EQ(
        r.json().at("errors"),
        boost::json::parse(
            R"([{"field":"email","code":"format","message":"has the wrong type"},{"field":"password","code":"required","message":"is required"}])"));

    ASSERT_EQ(
        server
            .call("POST", "/v1/accounts",
                  object{{"email", "x@y.fr"}, {"password", "0123456789"}, {"display_name", "X"}})
            .status,
        201);
    r = server.call("POST", "/v1/accounts",
                    object{{"email", "X@Y.FR"}, {"password", "0123456789"}, {"display_name", "X"}});
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("detail"), "An account with this email already exists.");
}

TEST_F(accounts_http, malformed_json_and_wrong_content_type_are_refused) {
    auto r = send_request(server.port(), "POST", "/v1/accounts",
                          "{\"email\": ", {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.json().at("detail"), "The body is not valid JSON.");
    r = send_request(server.port(), "POST", "/v1/accounts", "[1,2]",
                     {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 400);
    r = send_request(server.port(), "POST", "/v1/accounts", "email=x",
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(r.status, 415);
    EXPECT_EQ(r.json().at("status"), 415);
    r = send_request(server.port(), "POST", "/v1/accounts", "{\"email\":\"\xff\"}",
                     {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 400) << "invalid UTF-8";
}

TEST_F(accounts_http, a_token_opens_me_and_revoking_it_closes_it) {
    ASSERT_EQ(
        server
            .call("POST", "/v1/accounts",
                  object{{"email", "p@x.fr"}, {"password", "0123456789"}, {"display_name", "P"}})
            .status,
        201);
    auto r = server.call("POST", "/v1/auth/token",
                         object{{"email", "P@x.fr"}, {"password", "0123456789"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    const std::string token(r.json().at("token").as_string());
    EXPECT_GE(token.size(), 43u); // 256 bits in base64url
    EXPECT_EQ(r.json().at("account").at("email"), "p@x.fr");

    r = server.call("GET", "/v1/me", std::nullopt, token);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("email"), "p@x.fr");
    const auto etag = r.header("ETag");
    ASSERT_FALSE(etag.empty());
    r = server.call("GET", "/v1/me", std::nullopt, token, {{"If-None-Match", etag}});
    EXPECT_EQ(r.status, 304);
    EXPECT_TRUE(r.body.empty());

    EXPECT_EQ(server.call("DELETE", "/v1/auth/token", std::nullopt, token).status, 204);
    r = server.call("GET", "/v1/me", std::nullopt, token);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer");
}

TEST_F(accounts_http, bad_credentials_get_one_answer_and_repeated_failures_get_429) {
    ASSERT_EQ(
        server
            .call("POST", "/v1/accounts",
                  object{{"email", "p@x.fr"}, {"password", "0123456789"}, {"display_name", "P"}})
            .status,
        201);
    const auto wrong = server.call("POST", "/v1/auth/token",
                                   object{{"email", "p@x.fr"}, {"password", "nope-nope-nope"}});
    const auto unknown = server.call("POST", "/v1/auth/token",
                                     object{{"email", "q@x.fr"}, {"password", "nope-nope-nope"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.body, unknown.body);
    for (int i = 0; i < 4; ++i) // five failures in all, the limit per email
        EXPECT_EQ(server
                      .call("POST", "/v1/auth/token",
                            object{{"email", "p@x.fr"}, {"password", "nope-nope-nope"}})
                      .status,
                  401);
    const auto blocked = server.call("POST", "/v1/auth/token",
                                     object{{"email", "p@x.fr"}, {"password", "0123456789"}});
    EXPECT_EQ(blocked.status, 429);
    EXPECT_FALSE(blocked.header("Retry-After").empty());
}

TEST_F(accounts_http, me_needs_a_valid_bearer_token) {
    EXPECT_EQ(server.call("GET", "/v1/me").status, 401);
    EXPECT_EQ(server.call("GET", "/v1/me", std::nullopt, "not-a-token").status, 401);
    const auto r =
        send_request(server.port(), "GET", "/v1/me", "", {{"Authorization", "Basic dTpw"}});
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(server.call("DELETE", "/v1/auth/token").status, 401);
}

TEST_F(accounts_http, only_admins_list_read_and_change_accounts) {
    const auto admin = server.token_for(role::admin, "admin@x.fr");
    const auto organizer = server.token_for(role::organizer, "orga@x.fr");
    const auto participant = server.token_for(role::participant, "p@x.fr");
    const auto orga_id = std::to_string(server.account_id("orga@x.fr"));

    EXPECT_EQ(server.call("GET", "/v1/accounts").status, 401);
    EXPECT_EQ(server.call("GET", "/v1/accounts", std::nullopt, participant).status, 403);
    EXPECT_EQ(server.call("GET", "/v1/accounts", std::nullopt, organizer).status, 403);
    auto r = server.call("GET", "/v1/accounts?limit=2", std::nullopt, admin);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("items").as_array().size(), 2u);
    const std::string cursor(r.json().at("next_cursor").as_string());
    r = server.call("GET", "/v1/accounts?limit=2&cursor=" + cursor, std::nullopt, admin);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("items").as_array().size(), 1u);
    EXPECT_TRUE(r.json().at("next_cursor").is_null());
    EXPECT_EQ(server.call("GET", "/v1/accounts?limit=0", std::nullopt, admin).status, 400);
    EXPECT_EQ(server.call("GET", "/v1/accounts?limit=201", std::nullopt, admin).status, 400);
    EXPECT_EQ(server.call("GET", "/v1/accounts?cursor=zz", std::nullopt, admin).status, 400);

    EXPECT_EQ(server.call("PATCH", "/v1/accounts/" + orga_id, object{{"role", "admin"}}, organizer)
                  .status,
              403);
    EXPECT_EQ(server.call("GET", "/v1/accounts/" + orga_id, std::nullopt, participant).status, 403);
    r = server.call("GET", "/v1/accounts/" + orga_id, std::nullopt, admin);
    ASSERT_EQ(r.status, 200);
    const auto etag = r.header("ETag");
    r = server.call("PATCH", "/v1/accounts/" + orga_id, object{{"role", "jury"}}, admin,
                    {{"If-Match", etag}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("role"), "jury");
    // The old ETag no longer matches.
    r = server.call("PATCH", "/v1/accounts/" + orga_id, object{{"display_name", "Late"}}, admin,
                    {{"If-Match", etag}});
    EXPECT_EQ(r.status, 412);
    r = server.call("PATCH", "/v1/accounts/" + orga_id, object{{"role", "king"}}, admin);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(server.call("PATCH", "/v1/accounts/" + orga_id, object{}, admin).status, 422);
    EXPECT_EQ(server.call("PATCH", "/v1/accounts/999", object{{"role", "jury"}}, admin).status,
              404);
    EXPECT_EQ(server.call("GET", "/v1/accounts/abc", std::nullopt, admin).status, 404);
    // The role change applies to the holder's existing token at once.
    EXPECT_EQ(server.call("GET", "/v1/me", std::nullopt, organizer).json().at("role"), "jury");
}

TEST_F(accounts_http, the_last_admin_cannot_step_down) {
    const auto admin = server.token_for(role::admin, "admin@x.fr");
    const auto id = std::to_string(server.account_id("admin@x.fr"));
    const auto r =
        server.call("PATCH", "/v1/accounts/" + id, object{{"role", "participant"}}, admin);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("detail"), "The last admin cannot lose the admin role.");
}

} // namespace
} // namespace rencontres::testing
