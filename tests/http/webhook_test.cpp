// Webhooks (API.md §12) against a real receiver (tests/tools/webhook_receiver.py) that checks
// every Standard Webhooks signature with its own HMAC code and fails the first requests.
#include "server/notify/webhook_sender.hpp"
#include "server/security/sealer.hpp"
#include "support/process.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

#include <boost/json.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <thread>

namespace rencontres::testing {
namespace {

using boost::json::object;

struct receiver {
    std::string secret_file, log;
    std::unique_ptr<child_server> process;
    receiver(const std::string& dir, int failures)
        : secret_file(dir + "/secret"), log(dir + "/log") {
        process = std::make_unique<child_server>(
            "/usr/bin/python3",
            std::vector<std::string>{std::string(RENCONTRES_SOURCE_DIR) +
                                         "/tests/tools/webhook_receiver.py",
                                     secret_file, log, std::to_string(failures)},
            std::map<std::string, std::string>{}, R"(webhooks listening on 127\.0\.0\.1:(\d+))");
    }
    std::string url() const {
        return "http://127.0.0.1:" + std::to_string(process->port()) + "/hook";
    }
    std::vector<boost::json::value> requests() const {
        std::vector<boost::json::value> out;
        std::ifstream in(log);
        for (std::string line; std::getline(in, line);)
            out.push_back(boost::json::parse(line));
        return out;
    }
};

class webhooks : public ::testing::Test {
protected:
    std::string dir = make_temp_dir("webhooks");
    scratch_database database{dir + "/r.db"};
    std::string db = database.location();
    void SetUp() override { create_admin(db); }
    void TearDown() override { std::filesystem::remove_all(dir); }
    std::map<std::string, std::string> env(bool allow_private) const {
        return {{"RENCONTRES_WEBHOOKS_ALLOW_PRIVATE_TARGETS", allow_private ? "true" : "false"},
                {"RENCONTRES_WEBHOOKS_DISABLE_AFTER_FAILURES", "3"},
                {"RENCONTRES_OUTBOX_POLL_INTERVAL_MS", "50"},
                {"RENCONTRES_OUTBOX_FIRST_RETRY_SECONDS", "1"},
                {"RENCONTRES_OUTBOX_MAX_BACKOFF_SECONDS", "1"}};
    }
};

TEST_F(webhooks, deliveries_are_signed_retried_and_arrive_once_each_in_order) {
    receiver hook(dir, 2); // two 500s, then 200s (three in a row would disable it, see env)
    child_server server({"--db", db}, env(true));
    const auto port = server.port();
    const auto token = login(port);
    auto r = send_request(
        port, "POST", "/v1/webhooks",
        boost::json::serialize(object{
            {"url", hook.url()},
            {"events", boost::json::array{"event.published", "registration.created",
                                          "registration.cancelled", "registration.promoted"}}}),
        bearer(token));
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string secret(r.json().at("secret").as_string());
    EXPECT_EQ(secret.rfind("whsec_", 0), 0u);
    const std::string webhook(r.json().at("id").as_string());
    std::ofstream(hook.secret_file) << secret;
    EXPECT_FALSE(send_request(port, "GET", "/v1/webhooks/" + webhook, "", bearer(token))
                     .json()
                     .as_object()
                     .contains("secret"))
        << "shown once";

    const auto event = published_event(port, token, 1);
    const auto a = register_one(port, event, "a@x.fr").json();
    const auto b = register_one(port, event, "b@x.fr").json();
    ASSERT_EQ(
        send_request(port, "DELETE", "/v1/registrations/" + std::string(a.at("id").as_string()), "",
                     {{"X-Registration-Token", std::string(a.at("manage_token").as_string())}})
            .status,
        204);
    boost::json::array deliveries;
    for (int i = 0; i < 400; ++i) {
        deliveries =
            send_request(port, "GET", "/v1/webhooks/" + webhook + "/deliveries", "", bearer(token))
                .json()
                .at("items")
                .as_array();
        if (deliveries.size() == 5 &&
            std::all_of(deliveries.begin(), deliveries.end(),
                        [](const auto& d) { return d.at("status").as_string() == "delivered"; }))
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(deliveries.size(), 5u) << deliveries;
    for (const auto& d : deliveries) {
        EXPECT_EQ(d.at("status").as_string(), "delivered") << d;
        EXPECT_EQ(d.at("response_status").as_int64(), 200);
    }
    // Newest first: the oldest waited through the two failures, the others went at once.
    EXPECT_EQ(deliveries.back().at("attempts").as_int64(), 3);
    EXPECT_EQ(deliveries.front().at("attempts").as_int64(), 1);

    const auto requests = hook.requests();
    ASSERT_EQ(requests.size(), 7u);
    std::map<std::string, int> delivered_per_id;
    std::vector<std::string> order;
    for (const auto& q : requests) {
        EXPECT_TRUE(q.at("valid").as_bool()) << q;
        const std::string id(q.at("id").as_string());
        if (q.at("status").as_int64() == 200) {
            ++delivered_per_id[id];
            order.emplace_back(q.at("type").as_string());
        }
    }
    EXPECT_EQ(delivered_per_id.size(), 5u);
    for (const auto& [id, n] : delivered_per_id)
        EXPECT_EQ(n, 1) << id << " delivered more than once";
    EXPECT_EQ(order, (std::vector<std::string>{"event.published", "registration.created",
                                               "registration.created", "registration.cancelled",
                                               "registration.promoted"}));
    // The retried request kept its webhook-id; the body is {type, timestamp, data}.
    EXPECT_EQ(requests.at(0).at("id"), requests.at(2).at("id"));
    const auto& promoted = requests.back().at("body");
    EXPECT_EQ(promoted.at("type").as_string(), "registration.promoted");
    EXPECT_EQ(promoted.at("data").at("id"), b.at("id"));
    EXPECT_EQ(promoted.at("data").at("status").as_string(), "confirmed");
    EXPECT_EQ(promoted.at("data").at("email").as_string(), "b@x.fr");
    EXPECT_TRUE(promoted.as_object().contains("timestamp"));
}

TEST_F(webhooks, a_webhook_failing_again_and_again_is_disabled_and_its_owner_told) {
    child_server server({"--db", db}, env(true));
    const auto port = server.port();
    const auto token = login(port);
    // Nothing listens there.
    auto r = send_request(port, "POST", "/v1/webhooks",
                          R"({"url":"http://127.0.0.1:9/nowhere","events":["event.published"]})",
                          bearer(token));
    ASSERT_EQ(r.status, 201);
    const std::string webhook(r.json().at("id").as_string());
    published_event(port, token, 5);
    std::string status;
    for (int i = 0; i < 200 && status != "disabled"; ++i) {
        status = std::string(send_request(port, "GET", "/v1/webhooks/" + webhook, "", bearer(token))
                                 .json()
                                 .at("status")
                                 .as_string());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(status, "disabled");
    const auto outbox =
        send_request(port, "GET", "/v1/admin/outbox", "", bearer(token)).json().at("items");
    EXPECT_EQ(outbox.at(0).at("kind").as_string(), "webhook_disabled");
    EXPECT_EQ(outbox.at(0).at("recipient").as_string(), "admin@x.fr");
    EXPECT_EQ(outbox.at(0).at("subject").as_string(),
              "Webhook désactivé : http://127.0.0.1:9/nowhere");
    // Its owner turns it back on.
    r = send_request(port, "PATCH", "/v1/webhooks/" + webhook, R"({"status":"active"})",
                     bearer(token));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("status").as_string(), "active");
    EXPECT_EQ(send_request(port, "PATCH", "/v1/webhooks/" + webhook, R"({"status":"disabled"})",
                           bearer(token))
                  .status,
              422);
    EXPECT_EQ(send_request(port, "DELETE", "/v1/webhooks/" + webhook, "", bearer(token)).status,
              204);
    EXPECT_EQ(send_request(port, "GET", "/v1/webhooks/" + webhook, "", bearer(token)).status, 404);
}

TEST_F(webhooks, a_private_target_is_refused_at_creation_and_at_connection) {
    child_server server({"--db", db}, env(false));
    const auto port = server.port();
    const auto token = login(port);
    for (const auto* url : {"http://127.0.0.1:8080/hook", "http://localhost/hook",
                            "http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data",
                            "http://[::1]/hook", "ftp://example.org/hook"}) {
        const auto r =
            send_request(port, "POST", "/v1/webhooks",
                         boost::json::serialize(object{
                             {"url", url}, {"events", boost::json::array{"event.published"}}}),
                         bearer(token));
        EXPECT_EQ(r.status, 422) << url << " " << r.body;
        EXPECT_EQ(r.json().at("errors").at(0).at("field").as_string(), "url") << url;
    }
    EXPECT_TRUE(send_request(port, "GET", "/v1/webhooks", "", bearer(token))
                    .json()
                    .at("items")
                    .as_array()
                    .empty());

    // At connection: a delivery whose URL now reaches a private address is never sent.
    receiver hook(dir, 0);
    security::secretbox_sealer sealer(dir + "/key");
    notify::http_webhook_sender sender({false, std::chrono::milliseconds{2000}}, sealer,
                                       [](std::string_view, id_t, instant) { return "{}"; });
    due_delivery d;
    d.delivery.id = 7;
    d.delivery.type = "event.published";
    d.url = hook.url();
    d.sealed_secret = sealer.seal("whsec_c2VjcmV0");
    const auto report = sender.send(d, system_clock{}.now());
    EXPECT_EQ(report.outcome, delivery_outcome::retry_later);
    EXPECT_EQ(report.error, "the target resolved to a loopback, private or link-local address");
    EXPECT_TRUE(hook.requests().empty());
}

TEST_F(webhooks, organizers_hold_webhooks_of_their_events_only) {
    test_server server([](config& c) { c.webhooks.allow_private_targets = true; });
    const auto tokens = caller_tokens(server);
    const auto mine = published_event(server.port(), tokens[owner], 5);
    const auto body = [&](std::optional<std::string> event) {
        object o{{"url", "http://127.0.0.1:9/hook"},
                 {"events", boost::json::array{"registration.created"}}};
        if (event) o["event_id"] = *event;
        return o;
    };
    EXPECT_EQ(server.call("POST", "/v1/webhooks", body(std::nullopt), tokens[participant]).status,
              403);
    EXPECT_EQ(server.call("POST", "/v1/webhooks", body(mine), tokens[anonymous]).status, 401);
    auto r = server.call("POST", "/v1/webhooks", body(std::nullopt), tokens[owner]);
    EXPECT_EQ(r.status, 422) << "an organizer names its event";
    EXPECT_EQ(server.call("POST", "/v1/webhooks", body(mine), tokens[other_organizer]).status, 422)
        << "not an event it organizes";
    r = server.call("POST", "/v1/webhooks", body(mine), tokens[owner]);
    ASSERT_EQ(r.status, 201);
    const std::string id(r.json().at("id").as_string());
    EXPECT_EQ(r.json().at("event_id").as_string(), mine);
    EXPECT_EQ(
        server.call("GET", "/v1/webhooks/" + id, std::nullopt, tokens[other_organizer]).status,
        404);
    EXPECT_EQ(server.call("GET", "/v1/webhooks/" + id, std::nullopt, tokens[admin]).status, 200);
    EXPECT_EQ(server.call("GET", "/v1/webhooks", std::nullopt, tokens[other_organizer])
                  .json()
                  .at("items")
                  .as_array()
                  .size(),
              0u);
    EXPECT_EQ(server
                  .call("POST", "/v1/webhooks",
                        object{{"url", "http://127.0.0.1:9/"},
                               {"events", boost::json::array{"event.deleted"}},
                               {"event_id", mine}},
                        tokens[owner])
                  .status,
              422)
        << "an unknown type is refused";
}

} // namespace
} // namespace rencontres::testing
