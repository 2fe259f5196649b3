// The admins' console over HTTP: accounts searched and their roles changed with the API's rules
// (a demotion takes effect at once, the last admin stays), the failed notifications with their
// last error and a retry, and the audit log filtered by entity and actor.
#include "domain/notifications/repository.hpp"
#include "domain/store.hpp"
#include "domain/webhooks/repository.hpp"
#include "support/console_client.hpp"

#include <gtest/gtest.h>
#include <regex>

namespace rencontres::testing {
namespace {

class admin_pages : public ::testing::Test {
protected:
    // Webhooks to this machine, which nothing answers: their deliveries are the ones to fail.
    test_server server{[](config& c) { c.webhooks.allow_private_targets = true; }};
    std::string admin_token = server.token_for(role::admin, "admin@x.fr");
    std::string organizer_token = server.token_for(role::organizer, "helene.dupre@x.fr");
    console_client root{server.port()};

    void SetUp() override { ASSERT_EQ(root.sign_in("admin@x.fr").status, 303); }
};

TEST_F(admin_pages, roles_change_with_the_apis_rules_and_a_demotion_takes_effect_at_once) {
    console_client organizer{server.port()};
    ASSERT_EQ(organizer.sign_in("helene.dupre@x.fr").status, 303);
    ASSERT_EQ(organizer.get("/gestion").status, 200);
    auto r = root.get("/admin/comptes?q=HELENE");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "<td>helene.dupre@x.fr</td>"));
    EXPECT_FALSE(page_has(r.body, "<td>admin@x.fr</td>"));
    const auto id = std::to_string(server.account_id("helene.dupre@x.fr"));
    r = root.post("/admin/comptes/" + id + "/role", {{"role", "participant"}, {"q", "helene"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location"), "/admin/comptes?fait=1&q=helene");
    // Her console is gone on her next page.
    EXPECT_NE(organizer.get("/gestion").status, 200);
    EXPECT_EQ(server.call("GET", "/v1/accounts/" + id, std::nullopt, admin_token).json().at("role"),
              "participant");
    EXPECT_EQ(root.post("/admin/comptes/" + id + "/role", {{"role", "emperor"}}).status, 422);
    // The last admin stays one.
    const auto self = std::to_string(server.account_id("admin@x.fr"));
    r = root.post("/admin/comptes/" + self + "/role", {{"role", "participant"}});
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(page_has(r.body, "il faut au moins un compte qui administre"));
}

TEST_F(admin_pages, failed_notifications_show_their_error_and_go_again) {
    // A message that failed, written as the delivery worker leaves one: committed failed, so the
    // worker never holds it meanwhile.
    std::string message;
    {
        auto uow = server.app().store().begin(access::write);
        outbox_message m;
        m.kind = message_kind::registration_confirmed;
        m.recipient = "camille@x.fr";
        m.subject = "Votre inscription";
        m.body = "Bonjour";
        m.created_at = m.next_attempt_at = system_clock{}.now();
        uow->outbox().enqueue(m);
        id_t last = 0;
        for (const auto& pending :
             uow->outbox().list(delivery_status::pending, {100, std::nullopt}).items)
            last = std::max(last, pending.id);
        uow->outbox().fail(last, "550 mailbox unavailable");
        uow->commit();
        message = std::to_string(last);
    }
    auto r = root.get("/admin/notifications");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "<td>camille@x.fr</td>"));
    EXPECT_TRUE(page_has(r.body, "<td>550 mailbox unavailable</td>"));
    r = root.post("/admin/notifications/" + message + "/relance", {});
    EXPECT_EQ(r.status, 303);
    EXPECT_NE(server.call("GET", "/v1/admin/outbox?status=failed", std::nullopt, admin_token)
                  .json()
                  .at("items")
                  .as_array()
                  .size(),
              1u);
    EXPECT_TRUE(page_has(root.get("/admin/notifications?fait=1").body, "Le message repart"));
}

TEST_F(admin_pages, failed_webhook_deliveries_show_their_error_and_go_again) {
    auto r = server.call("POST", "/v1/webhooks",
                         boost::json::object{{"url", "http://127.0.0.1:9/crm"},
                                             {"events", boost::json::array{"event.published"}}},
                         admin_token);
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string hook(r.json().at("id").as_string());
    // Paused, so that the delivery worker leaves its deliveries alone.
    ASSERT_EQ(server
                  .call("PATCH", "/v1/webhooks/" + hook, boost::json::object{{"status", "paused"}},
                        admin_token)
                  .status,
              200);
    {
        // Announced while active for the length of one transaction, which the delivery worker
        // never sees: the delivery stays as this test leaves it.
        auto uow = server.app().store().begin(access::write);
        auto w = *uow->webhooks().find(std::stoll(hook));
        w.status = webhook_status::active;
        uow->webhooks().update(w);
        uow->webhooks().announce("event.published", std::nullopt, 1, system_clock{}.now());
        w.status = webhook_status::paused;
        uow->webhooks().update(w);
        uow->commit();
    }
    const auto listed =
        server.call("GET", "/v1/webhooks/" + hook + "/deliveries", std::nullopt, admin_token)
            .json();
    const std::string delivery(listed.at("items").at(0).at("id").as_string());
    {
        auto uow = server.app().store().begin(access::write);
        uow->webhooks().record(std::stoll(delivery), delivery_status::failed,
                               webhook_report{delivery_outcome::retry_later, 503, 12, "HTTP 503"},
                               std::nullopt, system_clock{}.now());
        uow->commit();
    }
    r = root.get("/admin/notifications");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "<th scope=\"row\">event.published</th><td>webhook " + hook));
    EXPECT_TRUE(page_has(r.body, "<td>HTTP 503</td>"));
    r = root.post("/admin/livraisons/" + delivery + "/relance", {});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location"), "/admin/notifications?fait=livraison");
    EXPECT_EQ(server.call("GET", "/v1/webhooks/" + hook + "/deliveries", std::nullopt, admin_token)
                  .json()
                  .at("items")
                  .at(0)
                  .at("status"),
              "pending");
    EXPECT_TRUE(page_has(root.get("/admin/notifications").body, "Aucune livraison en échec."));
    EXPECT_EQ(root.post("/admin/livraisons/999999/relance", {}).status, 404);
}

TEST_F(admin_pages, the_audit_log_is_filtered_by_entity_and_actor) {
    published_event(server.port(), organizer_token, 10);
    const auto organizer_id = std::to_string(server.account_id("helene.dupre@x.fr"));
    auto r = root.get("/admin/journal?entite=event&acteur=" + organizer_id);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "<td>publish_event</td>"));
    EXPECT_TRUE(page_has(r.body, "<td>compte " + organizer_id + "</td>"));
    r = root.get("/admin/journal?entite=territory");
    EXPECT_TRUE(page_has(r.body, "Aucune modification ne correspond."));
    EXPECT_EQ(root.get("/admin/journal?acteur=quelqu-un").status, 404);
}

} // namespace
} // namespace rencontres::testing
