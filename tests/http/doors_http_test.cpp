// Who may do what, second pass (API.md §3, §8, §12; docs/RELIABILITY.md): no credential in any
// export, listing or copy of the database; webhooks that follow their owner's rights; anonymous
// registrations that cannot fill an event nor mail strangers.
#include "domain/accounts/repository.hpp"
#include "domain/events/repository.hpp"
#include "domain/store.hpp"
#include "support/console_client.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <thread>

namespace rencontres::testing {
namespace {

using boost::json::object;
using boost::json::value;

std::string file_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct doors_http : ::testing::Test {
    test_server server{[](config& c) { c.webhooks.allow_private_targets = true; }};
    std::string admin = server.token_for(role::admin, "admin@x.fr");
    std::string owner = server.token_for(role::organizer, "owner@x.fr");

    std::string published_event_of(const std::string& token) {
        auto r = server.call("POST", "/v1/events",
                             object{{"title", "Rencontre numérique"},
                                    {"starts_at", "2031-06-11T09:00:00+02:00"},
                                    {"ends_at", "2031-06-11T17:00:00+02:00"},
                                    {"venue", object{{"city", "Aixe-sur-Vienne"}}},
                                    {"capacity", 50}},
                             token);
        EXPECT_EQ(r.status, 201) << r.body;
        const std::string id(r.json().at("id").as_string());
        EXPECT_EQ(server.call("POST", "/v1/events/" + id + "/publish", std::nullopt, token).status,
                  200);
        return id;
    }
    reply register_as(const std::string& event, const std::string& email,
                      const std::string& name = "Camille Martin", const header_list& extra = {}) {
        return server.call("POST", "/v1/events/" + event + "/registrations",
                           object{{"full_name", name}, {"email", email}, {"consent", true}}, {},
                           extra);
    }
    std::pair<std::string, std::string> sign_up(const std::string& email) {
        return server.sign_up(email);
    }
    void set_role(const std::string& email, const char* role_name) {
        server.set_role(admin, email, role_name);
    }
    std::string webhook_of(const std::string& token, const std::string& event) {
        const auto r = server.call("POST", "/v1/webhooks",
                                   object{{"url", "http://127.0.0.1:9/hook"},
                                          {"events", {"registration.created"}},
                                          {"event_id", event}},
                                   token);
        EXPECT_EQ(r.status, 201) << r.body;
        secrets.emplace_back(r.json().at("secret").as_string());
        return std::string(r.json().at("id").as_string());
    }
    std::string webhook_status(const std::string& id) {
        const auto r = server.call("GET", "/v1/webhooks/" + id, std::nullopt, admin);
        EXPECT_EQ(r.status, 200) << r.body;
        return std::string(r.json().at("status").as_string());
    }
    std::vector<std::string> secrets; // every credential a test made, for the scan
};

// ---- 1. An export never holds a secret ----------------------------------------------------------

// Channels: /v1/me/export, /v1/admin/outbox (every status), /v1/audit, the admin's failed-messages
// page, the registrations CSV, the webhooks listing, and the database's own files.
TEST_F(doors_http, no_export_listing_or_copy_of_the_database_holds_a_credential) {
    const auto event = published_event_of(owner);
    auto victim = register_as(event, "victime@mairie.fr");
    ASSERT_EQ(victim.status, 201);
    secrets.emplace_back(victim.json().at("manage_token").as_string());
    secrets.emplace_back(victim.json().at("feed_key").as_string());
    secrets.push_back(owner);
    secrets.push_back(admin);
    webhook_of(owner, event);

    // The impostor signs up with the victim's email: its export lists its verification message by
    // kind and date only, so it never learns the link that would prove the address.
    const auto [impostor_id, impostor] = sign_up("victime@mairie.fr");
    secrets.push_back(impostor);
    auto r = server.call("GET", "/v1/me/export", std::nullopt, impostor);
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.json().at("messages").as_array().size(), 1u) << r.body;
    const auto exported = r.json();
    const auto& message = exported.at("messages").at(0).as_object();
    EXPECT_EQ(message.at("kind"), "account_verification");
    EXPECT_FALSE(message.contains("body"));
    EXPECT_FALSE(message.contains("subject"));
    EXPECT_EQ(r.body.find("verification?token="), std::string::npos) << r.body;

    // The link goes to the mailbox only, where the real owner of the address reads it.
    const auto link = server.mailed("victime@mairie.fr", "account_verification");
    ASSERT_NE(link.find("/verification?token="), std::string::npos) << link;
    const auto token = link.substr(link.find('=') + 1);
    ASSERT_EQ(token.size(), 43u);
    secrets.push_back(token);
    EXPECT_EQ(server.mailed("victime@mairie.fr", "account_verification", "body").find(token),
              std::string::npos);
    console_client staff(server.port());
    ASSERT_EQ(staff.sign_in("admin@x.fr").status, 303);
    secrets.push_back(staff.session);

    std::vector<std::pair<std::string, std::string>> channels;
    for (const auto& [target, token_of] : std::vector<std::pair<std::string, std::string>>{
             {"/v1/me/export", impostor},
             {"/v1/admin/outbox", admin},
             {"/v1/admin/outbox?status=pending", admin},
             {"/v1/admin/outbox?status=delivered", admin},
             {"/v1/admin/outbox?status=failed", admin},
             {"/v1/audit", admin},
             {"/v1/webhooks", owner},
             {"/v1/events/" + event + "/webhooks", owner},
             {"/v1/events/" + event + "/registrations.csv", owner},
             {"/v1/events/" + event + "/registrations", owner}}) {
        r = server.call("GET", target, std::nullopt, token_of);
        ASSERT_EQ(r.status, 200) << target << ": " << r.body;
        channels.emplace_back(target, r.body);
    }
    channels.emplace_back("/admin/notifications", staff.get("/admin/notifications").body);
    if (!on_postgres())
        for (const auto* file : {"/test.db", "/test.db-wal"})
            channels.emplace_back(file, file_text(server.dir() + file));
    for (const auto& secret : secrets) {
        ASSERT_GE(secret.size(), 20u);
        for (const auto& [channel, text] : channels)
            EXPECT_EQ(text.find(secret), std::string::npos)
                << channel << " holds a credential: " << secret;
    }
    // And the verification still works for the one who holds the mail.
    r = server.call("POST", "/v1/accounts/verify", object{{"token", token}});
    EXPECT_EQ(r.status, 200) << r.body;
}

// ---- 2. Webhooks follow the rights of their owner ------------------------------------------

TEST_F(doors_http, a_webhook_stops_when_its_owner_leaves_the_organizers) {
    const auto event = published_event_of(owner);
    const auto hook = webhook_of(owner, event);
    const auto co = server.token_for(role::organizer, "co@x.fr");
    ASSERT_EQ(server.add_organizer(owner, event, "co@x.fr"), 200);
    // The event's other organizers see it, may pause it, not redirect it.
    auto r = server.call("GET", "/v1/events/" + event + "/webhooks", std::nullopt, co);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.json().at("items").as_array().size(), 1u);
    EXPECT_EQ(r.json().at("items").at(0).at("id"), value(hook));
    EXPECT_FALSE(r.json().at("items").at(0).as_object().contains("secret"));
    EXPECT_EQ(server.call("GET", "/v1/events/" + event + "/webhooks", std::nullopt, admin).status,
              200);
    const auto stranger = server.token_for(role::organizer, "stranger@x.fr");
    EXPECT_EQ(
        server.call("GET", "/v1/events/" + event + "/webhooks", std::nullopt, stranger).status,
        403);
    EXPECT_EQ(server.call("GET", "/v1/webhooks/" + hook, std::nullopt, stranger).status, 404);
    EXPECT_EQ(server
                  .call("PATCH", "/v1/webhooks/" + hook,
                        object{{"events", {"registration.cancelled"}}}, co)
                  .status,
              403);
    EXPECT_EQ(server.call("PATCH", "/v1/webhooks/" + hook, object{{"status", "active"}}, co).status,
              403);
    // The console shows it on the event, to pause or delete.
    console_client co_console(server.port());
    ASSERT_EQ(co_console.sign_in("co@x.fr").status, 303);
    const auto page = co_console.get("/gestion/evenements/" + event);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("<tr><th scope=\"row\">http://127.0.0.1:9/hook</th><td>actif</td>"),
              std::string::npos)
        << page.body;
    EXPECT_EQ(
        co_console.post("/gestion/evenements/" + event + "/webhooks/" + hook + "/pause", {}).status,
        303);
    EXPECT_EQ(webhook_status(hook), "paused");
    // Deleting it is asked on a page of its own; opening that page deletes nothing.
    const auto asked =
        co_console.get("/gestion/evenements/" + event + "/webhooks/" + hook + "/suppression");
    ASSERT_EQ(asked.status, 200);
    EXPECT_NE(asked.body.find("<h1>Supprimer le webhook http://127.0.0.1:9/hook ?</h1>"),
              std::string::npos)
        << asked.body;
    EXPECT_NE(asked.body.find("Supprimer définitivement le webhook"), std::string::npos);
    EXPECT_EQ(webhook_status(hook), "paused");
    EXPECT_EQ(
        co_console.get("/gestion/evenements/" + event + "/webhooks/999999/suppression").status,
        404);
    r = server.call("PATCH", "/v1/webhooks/" + hook, object{{"status", "paused"}}, co);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("status"), "paused");
    ASSERT_EQ(
        server.call("PATCH", "/v1/webhooks/" + hook, object{{"status", "active"}}, owner).status,
        200);

    // The owner is removed from the organizers: the webhook is disabled at once, and the owner
    // can no longer read, change or delete it.
    ASSERT_EQ(server
                  .call("DELETE",
                        "/v1/events/" + event + "/organizers/" +
                            std::to_string(server.account_id("owner@x.fr")),
                        std::nullopt, co)
                  .status,
              200);
    EXPECT_EQ(webhook_status(hook), "disabled");
    for (const auto& [method, body] : std::vector<std::pair<std::string, std::optional<value>>>{
             {"GET", std::nullopt},
             {"PATCH", value(object{{"status", "active"}})},
             {"DELETE", std::nullopt}}) {
        r = server.call(method, "/v1/webhooks/" + hook, body, owner);
        EXPECT_EQ(r.status, 403) << method << " " << r.body;
    }
    EXPECT_EQ(server.call("GET", "/v1/webhooks", std::nullopt, owner).json().at("items"),
              boost::json::array{});
    ASSERT_EQ(register_as(event, "a@x.fr").status, 201);
    r = server.call("GET", "/v1/webhooks/" + hook + "/deliveries", std::nullopt, admin);
    EXPECT_EQ(r.json().at("items"), boost::json::array{}) << "a disabled webhook gets nothing";
    // The remaining organizer deletes it.
    EXPECT_EQ(server.call("DELETE", "/v1/webhooks/" + hook, std::nullopt, co).status, 204);
}

TEST_F(doors_http, demotion_then_promotion_brings_back_neither_a_webhook_nor_a_session) {
    const auto event = published_event_of(owner);
    const auto hook = webhook_of(owner, event);
    console_client console(server.port());
    ASSERT_EQ(console.sign_in("owner@x.fr").status, 303);
    ASSERT_EQ(console.get("/gestion").status, 200);

    set_role("owner@x.fr", "participant");
    EXPECT_EQ(webhook_status(hook), "disabled");
    EXPECT_EQ(server.call("GET", "/v1/webhooks/" + hook, std::nullopt, owner).status, 403);
    set_role("owner@x.fr", "organizer");
    // Same role as before, later rights: the session opened under the earlier ones is over, and
    // the webhook stays disabled until its owner turns it on again.
    EXPECT_EQ(console.get("/gestion").status, 303);
    EXPECT_EQ(webhook_status(hook), "disabled");
    ASSERT_EQ(register_as(event, "b@x.fr").status, 201);
    auto r = server.call("GET", "/v1/webhooks/" + hook + "/deliveries", std::nullopt, owner);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("items"), boost::json::array{});
    r = server.call("PATCH", "/v1/webhooks/" + hook, object{{"status", "active"}}, owner);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("status"), "active");
}

// The rights are checked again when a delivery is queued and when it is sent, not only when
// they change through the API: here they are taken away behind the service's back.
TEST_F(doors_http, a_delivery_is_skipped_when_the_owner_lost_the_right_at_queuing_or_sending) {
    const auto event = published_event_of(owner);
    const auto hook = webhook_of(owner, event);
    const auto owner_id = server.account_id("owner@x.fr");
    const auto event_id = std::stoll(event);
    const auto remove_owner_quietly = [&] {
        auto uow = server.app().store().begin(access::write);
        uow->events().remove_organizer(event_id, owner_id);
        uow->commit();
    };
    const auto restore_owner_quietly = [&] {
        auto uow = server.app().store().begin(access::write);
        uow->events().add_organizer(event_id, owner_id);
        uow->commit();
    };
    // At sending: queued while the owner could read it (its first attempt fails: nothing listens
    // there), the right lost before it is tried again.
    ASSERT_EQ(register_as(event, "a@x.fr").status, 201);
    // The server's own delivery worker makes that first attempt: waited for, so that its
    // outcome is not written over the one this test checks.
    for (int i = 0; i < 200; ++i) {
        const auto listed =
            server.call("GET", "/v1/webhooks/" + hook + "/deliveries", std::nullopt, admin).json();
        const auto& items = listed.at("items").as_array();
        if (!items.empty() && items.at(0).at("attempts").as_int64() >= 1) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    remove_owner_quietly();
    struct refusing_sender final : webhook_sender {
        int calls = 0;
        webhook_report send(const due_delivery&, instant) override {
            ++calls;
            return {delivery_outcome::retry_later, std::nullopt, 0, "not reached"};
        }
    } sender;
    server.app().webhooks().deliver_due(sender, server.app().time().now() + std::chrono::hours{24});
    EXPECT_EQ(sender.calls, 0);
    auto r = server.call("GET", "/v1/webhooks/" + hook + "/deliveries", std::nullopt, admin);
    ASSERT_EQ(r.json().at("items").as_array().size(), 1u) << r.body;
    EXPECT_EQ(r.json().at("items").at(0).at("status"), "skipped");
    EXPECT_EQ(webhook_status(hook), "disabled");

    // At queuing: the right lost while the webhook is active.
    restore_owner_quietly();
    ASSERT_EQ(
        server.call("PATCH", "/v1/webhooks/" + hook, object{{"status", "active"}}, owner).status,
        200);
    ASSERT_EQ(
        server.call("PATCH", "/v1/webhooks/" + hook, object{{"status", "paused"}}, owner).status,
        200);
    ASSERT_EQ(
        server.call("PATCH", "/v1/webhooks/" + hook, object{{"status", "active"}}, owner).status,
        200);
    remove_owner_quietly();
    ASSERT_EQ(register_as(event, "b@x.fr").status, 201);
    r = server.call("GET", "/v1/webhooks/" + hook + "/deliveries", std::nullopt, admin);
    ASSERT_EQ(r.json().at("items").as_array().size(), 2u) << r.body;
    EXPECT_EQ(r.json().at("items").at(0).at("status"), "skipped");
    EXPECT_EQ(webhook_status(hook), "disabled");
}

// ---- 3. Anonymous registrations cannot fill an event nor mail strangers ------------------

struct throttled_http : ::testing::Test {
    test_server limited{[](config& c) {
        c.registrations.max_per_client = 5;
        c.server.trusted_proxies = "127.0.0.1";
    }};
    std::string organizer = limited.token_for(role::organizer, "org@x.fr");
    std::string event_on_limited() { return published_event(limited.port(), organizer, 100); }
};

TEST_F(throttled_http, a_burst_from_one_client_meets_429_and_distinct_clients_pass) {
    const auto event = event_on_limited();
    const auto post = [&](int i, const header_list& extra, const std::string& token = {}) {
        return limited.call("POST", "/v1/events/" + event + "/registrations",
                            object{{"full_name", "Personne " + std::to_string(i)},
                                   {"email", "p" + std::to_string(i) + "@x.fr"},
                                   {"consent", true}},
                            token, extra);
    };
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(post(i, {{"X-Forwarded-For", "203.0.113.7"}}).status, 201) << i;
    auto r = post(5, {{"X-Forwarded-For", "203.0.113.7"}});
    ASSERT_EQ(r.status, 429) << r.body;
    EXPECT_GT(std::stoi(r.header("Retry-After")), 0);
    EXPECT_EQ(r.json().at("detail"), "Too many registrations from this address; try again later.");
    // The page's form is under the same limit, with what was typed kept.
    const auto page = send_request(limited.port(), "GET", "/evenements/" + event);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(page.body, m, std::regex(R"re(name="csrf" value="([^"]+)")re")));
    std::smatch action;
    ASSERT_TRUE(std::regex_search(page.body, action,
                                  std::regex(R"re(<form method="post" action="([^"#]+)[^"]*")re")));
    r = send_request(limited.port(), "POST", action[1],
                     "csrf=" + std::string(m[1]) +
                         "&given_name=Dominique&family_name=Lenoir&email=d%40x.fr&consent=oui",
                     {{"Content-Type", "application/x-www-form-urlencoded"},
                      {"X-Forwarded-For", "203.0.113.7"}});
    ASSERT_EQ(r.status, 429) << r.body;
    EXPECT_GT(std::stoi(r.header("Retry-After")), 0);
    EXPECT_TRUE(page_has(r.body, "Trop de demandes ont été envoyées depuis votre connexion."))
        << r.body;
    EXPECT_NE(r.body.find("value=\"Dominique\""), std::string::npos);
    EXPECT_NE(r.body.find("value=\"Lenoir\""), std::string::npos);
    // Twenty people behind the same trusted proxy, each its own address, all pass.
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(
            post(100 + i, {{"X-Forwarded-For", "198.51.100." + std::to_string(i + 1)}}).status, 201)
            << i;
    // An organizer registering someone with its token is not counted.
    EXPECT_EQ(post(200, {{"X-Forwarded-For", "203.0.113.7"}}, organizer).status, 201);
    const auto stats =
        limited.call("GET", "/v1/events/" + event + "/stats", std::nullopt, organizer).json();
    EXPECT_EQ(stats.at("confirmed"), 26);
}

TEST_F(doors_http, a_registrants_name_is_cut_and_follows_the_greeting_and_the_message_says_who) {
    const auto event = published_event_of(owner);
    const std::string name(200, 'A');
    ASSERT_EQ(register_as(event, "x@x.fr", name).status, 201);
    const auto body = server.mailed("x@x.fr", "registration_confirmed", "body");
    EXPECT_EQ(body.rfind("Bonjour " + std::string(100, 'A') + "…,\n\n", 0), 0u) << body;
    EXPECT_EQ(body.find(std::string(101, 'A')), std::string::npos);
    EXPECT_NE(body.find("au nom de l'équipe d'organisation de « Rencontre numérique »"),
              std::string::npos)
        << body;
    EXPECT_NE(
        server.mailed("x@x.fr", "registration_confirmed", "report_link").find("/signalement?t="),
        std::string::npos);
}

TEST_F(doors_http, the_report_link_cancels_once_suppresses_mail_and_needs_no_account) {
    const auto event = published_event_of(owner);
    const auto made = register_as(event, "stranger@mairie.fr");
    ASSERT_EQ(made.status, 201);
    const std::string id(made.json().at("id").as_string());
    const auto report =
        server.mailed("stranger@mairie.fr", "registration_confirmed", "report_link");
    const auto path = report.substr(report.find("/inscriptions/"));
    const auto token = path.substr(path.find("?t=") + 3);
    EXPECT_EQ(token, std::string(made.json().at("manage_token").as_string()));

    // Opening the link only asks (mail scanners open links); nothing changes.
    auto r = send_request(server.port(), "GET", path);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("Signaler une inscription que vous n"), std::string::npos);
    EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer");
    EXPECT_EQ(
        server.call("GET", "/v1/registrations/" + id, std::nullopt, owner).json().at("status"),
        "confirmed");
    EXPECT_EQ(send_request(server.port(), "GET",
                           "/inscriptions/" + id + "/signalement?t=wrong" + token.substr(5))
                  .status,
              404);
    // A mail client's one-click POST (RFC 8058): no account, no form token, no origin.
    r = send_request(server.port(), "POST", path, "List-Unsubscribe=One-Click",
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("est annulée. Vous ne recevrez plus aucun message"), std::string::npos)
        << r.body;
    EXPECT_EQ(
        server.call("GET", "/v1/registrations/" + id, std::nullopt, owner).json().at("status"),
        "cancelled");
    // Once: a second report changes nothing more (here posted as multipart, as RFC 8058 allows).
    r = send_request(server.port(), "POST", path,
                     "--b\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\n"
                     "One-Click\r\n--b--\r\n",
                     {{"Content-Type", "multipart/form-data; boundary=b"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("était déjà annulée"), std::string::npos) << r.body;
    // No cancellation notice, nor any later message for this event, reaches the address.
    ASSERT_EQ(register_as(event, "stranger@mairie.fr").status, 201);
    ASSERT_EQ(register_as(event, "someone-else@mairie.fr").status, 201);
    server.mailed("someone-else@mairie.fr", "registration_confirmed");
    int to_stranger = 0;
    for (const auto& m : server.mailbox())
        if (m.at("recipient") == "stranger@mairie.fr") ++to_stranger;
    EXPECT_EQ(to_stranger, 1) << "only the first confirmation";
    auto audit = server.call("GET", "/v1/audit", std::nullopt, admin);
    EXPECT_NE(audit.body.find("report_registration"), std::string::npos);
}

// ---- 4. Smaller doors ---------------------------------------------------------------------------

TEST_F(doors_http, a_body_naming_a_key_twice_is_malformed_and_changes_nothing) {
    const header_list json{{"Content-Type", "application/json"}};
    auto r = send_request(server.port(), "POST", "/v1/accounts",
                          R"({"email":"a@x.fr","password":"correct horse battery",)"
                          R"("display_name":"A","email":"admin@x.fr"})",
                          json);
    ASSERT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.json().at("detail"), "The body names the same key twice.");
    // Nested objects too, and keys spelt with escapes are the same keys.
    const auto event = published_event_of(owner);
    r = send_request(server.port(), "POST", "/v1/events/" + event + "/registrations",
                     R"({"full_name":"B","email":"b@x.fr","consent":true,)"
                     R"("answers":{"lunch":true,"lu\u006ech":false}})",
                     json);
    ASSERT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(server.call("GET", "/v1/accounts?q=a%40x.fr", std::nullopt, admin).json().at("items"),
              boost::json::array{});
    EXPECT_EQ(server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, owner)
                  .json()
                  .at("confirmed"),
              0);
    // The same keys in different objects are not duplicates.
    r = send_request(server.port(), "POST", "/v1/events/" + event + "/registrations",
                     R"({"full_name":"B","email":"b@x.fr","consent":true,"answers":{}})", json);
    EXPECT_EQ(r.status, 201) << r.body;
}

// People can reach each other: every message about an event goes out with its contact address
// as Reply-To (the creating organizer's unless the organizers give another, shown to them only:
// organizers' JSON yes, public JSON and webhooks no), its text says how to write to them, a
// confirmation names the workshops chosen, and a cancellation by the organizers says so, with
// their reason.
TEST_F(doors_http, messages_name_the_organizers_contact_workshops_and_why_they_cancelled) {
    const auto event = published_event_of(owner);
    auto r = server.call("GET", "/v1/events/" + event, std::nullopt, owner);
    EXPECT_EQ(r.json().at("contact_email"), "owner@x.fr");
    EXPECT_FALSE(
        server.call("GET", "/v1/events/" + event).json().as_object().contains("contact_email"));
    r = server.call("PATCH", "/v1/events/" + event, object{{"contact_email", "pas une adresse"}},
                    owner);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "contact_email");
    EXPECT_EQ(r.json().at("errors").at(0).at("code"), "format");
    EXPECT_EQ(
        server.call("GET", "/v1/events/" + event, std::nullopt, owner).json().at("contact_email"),
        "owner@x.fr");
    r = server.call("PATCH", "/v1/events/" + event, object{{"contact_email", "Contact@Tulle.fr"}},
                    owner);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("contact_email"), "contact@tulle.fr");
    const auto workshop_id = tiers_lieux_workshop(server.port(), owner, event);
    const auto enrol = [&](const std::string& email) {
        const auto made =
            server.call("POST", "/v1/events/" + event + "/registrations",
                        object{{"full_name", "Amélie Roux"},
                               {"email", email},
                               {"session_ids", boost::json::array{boost::json::value(workshop_id)}},
                               {"consent", true}});
        EXPECT_EQ(made.status, 201) << made.body;
        return made.json();
    };
    const auto amelie = enrol("amelie@x.fr");
    const auto body = server.mailed("amelie@x.fr", "registration_confirmed", "body");
    EXPECT_NE(body.find("\n\nVos ateliers :\n- Tiers-lieux (mercredi 11 juin 2031, de 14 h à "
                        "15 h, Salle B) : place confirmée\n\n"),
              std::string::npos)
        << body;
    EXPECT_NE(body.find("Pour lui écrire, répondez à ce message ou écrivez à contact@tulle.fr."),
              std::string::npos)
        << body;
    const auto second = enrol("jean@x.fr");
    EXPECT_NE(server.mailed("jean@x.fr", "registration_confirmed", "body")
                  .find("- Tiers-lieux (mercredi 11 juin 2031, de 14 h à 15 h, Salle B) : liste "
                        "d'attente (position 1)"),
              std::string::npos);

    // Cancelled by the organizers: said, with their reason. A reason too long, or a body naming
    // another field, is refused and changes nothing.
    const std::string amelie_id(amelie.at("id").as_string());
    r = server.call("DELETE", "/v1/registrations/" + amelie_id,
                    object{{"reason", std::string(501, 'x')}}, owner);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "reason");
    r = server.call("DELETE", "/v1/registrations/" + amelie_id, object{{"motif", "x"}}, owner);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "motif");
    EXPECT_EQ(server.call("GET", "/v1/registrations/" + amelie_id, std::nullopt, owner)
                  .json()
                  .at("status"),
              "confirmed");
    r = server.call("DELETE", "/v1/registrations/" + amelie_id,
                    object{{"reason", "La salle ne tient que quarante personnes."}}, owner);
    EXPECT_EQ(r.status, 204) << r.body;
    const auto cancelled = server.mailed("amelie@x.fr", "registration_cancelled", "body");
    EXPECT_NE(
        cancelled.find(" est annulée.\n\nCette annulation est le fait de l'équipe d'organisation. "
                       "Son motif : La salle ne tient que quarante personnes.\n\n"),
        std::string::npos)
        << cancelled;
    EXPECT_NE(cancelled.find("écrivez à contact@tulle.fr."), std::string::npos);
    // Cancelled by the participant: nothing of the kind.
    r = server.call("DELETE", "/v1/registrations/" + std::string(second.at("id").as_string()),
                    std::nullopt, {},
                    {{"X-Registration-Token", std::string(second.at("manage_token").as_string())}});
    EXPECT_EQ(r.status, 204);
    EXPECT_EQ(server.mailed("jean@x.fr", "registration_cancelled", "body")
                  .find("fait de l'équipe d'organisation"),
              std::string::npos);
}

// "Renvoyer mon lien": whoever lost the message asks again by address; the answer never says
// whether the address is registered, the link is the one first sent (its token unchanged), once
// every 10 minutes at most, and the page works without JavaScript.
TEST_F(doors_http, a_lost_link_is_sent_again_to_a_registered_address_only) {
    const auto event = published_event_of(owner);
    const auto made = register_as(event, "camille@x.fr");
    ASSERT_EQ(made.status, 201);
    const std::string id(made.json().at("id").as_string());
    const std::string token(made.json().at("manage_token").as_string());
    const auto ask = [&](const std::string& email) {
        return server.call("POST", "/v1/events/" + event + "/registrations/link",
                           object{{"email", email}});
    };
    auto r = ask("Camille@X.fr");
    EXPECT_EQ(r.status, 202);
    EXPECT_EQ(r.body, R"({"status":"sent_if_registered"})");
    const auto link = server.mailed("camille@x.fr", "registration_link", "link");
    EXPECT_EQ(link.substr(link.find("/inscriptions/")), "/inscriptions/" + id + "?t=" + token);
    EXPECT_NE(server.mailed("camille@x.fr", "registration_link", "body")
                  .find("Vous avez demandé le lien vers votre inscription à « Rencontre "
                        "numérique »"),
              std::string::npos);
    // Not registered: the same answer, nothing sent. Asked again at once: nothing more sent.
    r = ask("personne@x.fr");
    EXPECT_EQ(r.status, 202);
    EXPECT_EQ(r.body, R"({"status":"sent_if_registered"})");
    EXPECT_EQ(ask("camille@x.fr").status, 202);
    const auto admin_outbox =
        server.call("GET", "/v1/admin/outbox?limit=100", std::nullopt, admin).json();
    int links = 0;
    for (const auto& m : admin_outbox.at("items").as_array())
        links += m.at("kind") == "registration_link";
    EXPECT_EQ(links, 1);
    // An address that cannot be one, an event one may not see.
    r = ask("pas une adresse");
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "email");
    const auto draft = server.call("POST", "/v1/events", object{{"title", "Brouillon"}}, owner);
    EXPECT_EQ(server
                  .call("POST",
                        "/v1/events/" + std::string(draft.json().at("id").as_string()) +
                            "/registrations/link",
                        object{{"email", "camille@x.fr"}})
                  .status,
              404);

    // The page: a form on the event page, its own page, the same words either way.
    const auto slug =
        std::string(server.call("GET", "/v1/events/" + event).json().at("slug").as_string());
    auto page = send_request(server.port(), "GET", "/evenements/" + slug);
    EXPECT_TRUE(page_has(page.body, "action=\"/evenements/" + slug + "/lien\""));
    page = send_request(server.port(), "GET", "/evenements/" + slug + "/lien");
    EXPECT_EQ(page.status, 200);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(page.body, m, std::regex(R"re(name="csrf" value="([^"]+)")re")));
    const std::string csrf = m[1];
    const auto post = [&](const std::string& email) {
        return send_request(server.port(), "POST", "/evenements/" + slug + "/lien",
                            "csrf=" + csrf + "&email=" + email,
                            {{"Content-Type", "application/x-www-form-urlencoded"}});
    };
    const auto sent = "Si cette adresse est inscrite à cette rencontre, un courriel vient d'y "
                      "partir avec le lien vers votre inscription.";
    r = post("inconnu%40x.fr");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, sent));
    r = post("camille%40x.fr");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, sent));
    r = post("camille");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(page_has(r.body, "Saisissez l'adresse électronique utilisée pour vous inscrire"));
    EXPECT_TRUE(page_has(r.body, "value=\"camille\""));
    // Without the form's token: refused.
    EXPECT_EQ(send_request(server.port(), "POST", "/evenements/" + slug + "/lien",
                           "email=camille%40x.fr",
                           {{"Content-Type", "application/x-www-form-urlencoded"}})
                  .status,
              403);
}

} // namespace
} // namespace rencontres::testing
