// Registrations over HTTP: statuses, tokens, organizer views, exports, feeds, personal data.
#include "support/process.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <thread>

namespace rencontres::testing {
namespace {

using boost::json::object;
using boost::json::value;

struct registrations_http : ::testing::Test {
    test_server server;
    std::string owner = server.token_for(role::organizer, "owner@x.fr");
    std::string workshop; // set by make_event, so declared before `event`
    std::string event = make_event(2);

    std::string make_event(int capacity) {
        return forum_with_workshop(server, owner, capacity, workshop);
    }
    reply enrol(const std::string& name, boost::json::array sessions = {},
                const header_list& extra = {}, const std::string& token = {}) {
        return server.call("POST", "/v1/events/" + event + "/registrations",
                           object{{"full_name", name},
                                  {"email", name + "@x.fr"},
                                  {"consent", true},
                                  {"session_ids", sessions}},
                           token, extra);
    }
};

TEST_F(registrations_http, confirmed_then_waitlisted_with_secrets_shown_once) {
    auto r = enrol("camille", {value(workshop)});
    ASSERT_EQ(r.status, 201) << r.body;
    auto body = r.json().as_object();
    EXPECT_EQ(body.at("status"), "confirmed");
    EXPECT_EQ(body.at("email"), "camille@x.fr");
    EXPECT_EQ(body.at("sessions"),
              boost::json::parse(R"([{"session_id":")" + workshop + R"(","status":"confirmed"}])"));
    EXPECT_EQ(r.header("Location"), "/v1/registrations/" + std::string(body.at("id").as_string()));
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    EXPECT_GE(body.at("manage_token").as_string().size(), 43u);
    EXPECT_GE(body.at("feed_key").as_string().size(), 43u);
    ASSERT_EQ(enrol("jean").json().at("status"), "confirmed");
    r = enrol("lea", {value(workshop)});
    body = r.json().as_object();
    EXPECT_EQ(body.at("status"), "waitlisted");
    EXPECT_EQ(body.at("waitlist_position"), 1);
    EXPECT_EQ(enrol("zoe").json().at("waitlist_position"), 2);
    // Read with the token: the secrets are not shown again.
    const std::string id(body.at("id").as_string());
    const auto read =
        server.call("GET", "/v1/registrations/" + id, std::nullopt, {},
                    {{"X-Registration-Token", std::string(body.at("manage_token").as_string())}});
    ASSERT_EQ(read.status, 200);
    EXPECT_FALSE(read.json().as_object().contains("manage_token"));
    EXPECT_EQ(read.json().at("waitlist_position"), 1);
}

// The desk's case (capacity 2, a workshop of one seat): the organizers cancel Sophie, who held
// the workshop's seat; Jean-Pierre, waiting for the event and second on the workshop's list, gets
// the event seat; Amélie, first on the list, gets the workshop seat. The API and the
// participant's page say so.
TEST_F(registrations_http, a_freed_workshop_seat_goes_to_the_first_on_its_list_with_an_event_seat) {
    const auto sophie = enrol("sophie", {value(workshop)}).json();
    const auto amelie = enrol("amelie", {value(workshop)}).json();
    const auto jean_pierre = enrol("jean-pierre", {value(workshop)}).json();
    ASSERT_EQ(jean_pierre.at("status"), "waitlisted");
    ASSERT_EQ(amelie.at("sessions"), boost::json::parse(R"([{"session_id":")" + workshop +
                                                        R"(","status":"waitlisted",)"
                                                        R"("waitlist_position":1}])"));
    const std::string sophie_id(sophie.at("id").as_string());
    ASSERT_EQ(server.call("DELETE", "/v1/registrations/" + sophie_id, std::nullopt, owner).status,
              204);
    const auto read = [&](const boost::json::value& r) {
        return server
            .call("GET", "/v1/registrations/" + std::string(r.at("id").as_string()), std::nullopt,
                  owner)
            .json();
    };
    const auto a = read(amelie), j = read(jean_pierre);
    EXPECT_EQ(a.at("status"), "confirmed");
    EXPECT_EQ(a.at("sessions"),
              boost::json::parse(R"([{"session_id":")" + workshop + R"(","status":"confirmed"}])"));
    EXPECT_EQ(j.at("status"), "confirmed");
    EXPECT_EQ(j.at("sessions"), boost::json::parse(R"([{"session_id":")" + workshop +
                                                   R"(","status":"waitlisted",)"
                                                   R"("waitlist_position":1}])"));
    // Jean-Pierre's page: confirmed for the event, first on the workshop's list.
    const auto page =
        send_request(server.port(), "GET",
                     "/inscriptions/" + std::string(jean_pierre.at("id").as_string()) +
                         "?t=" + std::string(jean_pierre.at("manage_token").as_string()),
                     "", {{"Accept", "text/html"}});
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Confirmée"), std::string::npos);
    EXPECT_NE(page.body.find("position 1"), std::string::npos) << page.body;
}

TEST_F(registrations_http, refusals) {
    auto r = server.call("POST", "/v1/events/" + event + "/registrations",
                         object{{"full_name", "A"}, {"email", "a@x.fr"}}, {});
    EXPECT_EQ(r.status, 422) << "consent is required";
    r = server.call("POST", "/v1/events/" + event + "/registrations",
                    object{{"full_name", "A"}, {"email", "a@x.fr"}, {"consent", false}}, {});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "consent");
    r = server.call("POST", "/v1/events/" + event + "/registrations",
                    object{{"full_name", "A"}, {"email", "not-an-email"}, {"consent", true}}, {});
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "email");
    r = server.call(
        "POST", "/v1/events/" + event + "/registrations",
        object{{"full_name", "A"}, {"email", "a@x.fr"}, {"consent", true}, {"vip", true}}, {});
    EXPECT_EQ(r.status, 422);
    ASSERT_EQ(enrol("a").status, 201);
    r = server.call("POST", "/v1/events/" + event + "/registrations",
                    object{{"full_name", "A"}, {"email", " A@X.FR "}, {"consent", true}}, {});
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("detail"), "This email already holds a registration for this event.");
    // A session of another event.
    const auto other_event = make_event(5);
    const auto other_workshop = workshop;
    r = server.call("POST", "/v1/events/" + event + "/registrations",
                    object{{"full_name", "B"},
                           {"email", "b@x.fr"},
                           {"consent", true},
                           {"session_ids", boost::json::array{value(other_workshop)}}},
                    {});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("message"), "is not a session of this event");
    // A cancelled event, an unknown one.
    ASSERT_EQ(
        server.call("POST", "/v1/events/" + other_event + "/cancel", object{{"reason", "x"}}, owner)
            .status,
        200);
    EXPECT_EQ(server
                  .call("POST", "/v1/events/" + other_event + "/registrations",
                        object{{"full_name", "C"}, {"email", "c@x.fr"}, {"consent", true}}, {})
                  .status,
              409);
    EXPECT_EQ(server
                  .call("POST", "/v1/events/99999/registrations",
                        object{{"full_name", "C"}, {"email", "c@x.fr"}, {"consent", true}}, {})
                  .status,
              404);
}

TEST_F(registrations_http, an_event_that_already_started_or_a_closed_window_is_409) {
    auto r = server.call("POST", "/v1/events",
                         object{{"title", "Passé"},
                                {"starts_at", "2020-01-01T09:00:00+01:00"},
                                {"ends_at", "2020-01-01T17:00:00+01:00"},
                                {"venue", object{{"city", "Pau"}}}},
                         owner);
    const std::string past(r.json().at("id").as_string());
    ASSERT_EQ(server.call("POST", "/v1/events/" + past + "/publish", std::nullopt, owner).status,
              200);
    r = server.call("POST", "/v1/events/" + past + "/registrations",
                    object{{"full_name", "A"}, {"email", "a@x.fr"}, {"consent", true}}, {});
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("detail"), "The event has already started.");
    ASSERT_EQ(server
                  .call("PATCH", "/v1/events/" + event,
                        object{{"registration_opens_at", "2031-01-01T00:00:00Z"}}, owner)
                  .status,
              200);
    EXPECT_EQ(enrol("b").json().at("detail"), "Registration has not opened yet.");
    ASSERT_EQ(server
                  .call("PATCH", "/v1/events/" + event,
                        object{{"registration_opens_at", nullptr},
                               {"registration_closes_at", "2020-01-01T00:00:00Z"}},
                        owner)
                  .status,
              200);
    EXPECT_EQ(enrol("b").json().at("detail"), "Registration is closed.");
}

TEST_F(registrations_http, the_same_idempotency_key_replays_the_first_response) {
    const header_list key{{"Idempotency-Key", "retry-after-network-failure"}};
    const auto first = enrol("camille", {}, key);
    ASSERT_EQ(first.status, 201);
    const auto second = enrol("camille", {}, key);
    EXPECT_EQ(second.status, 201);
    EXPECT_EQ(second.body, first.body);
    EXPECT_EQ(second.header("Idempotent-Replayed"), "true");
    const auto stats = server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, owner);
    EXPECT_EQ(stats.json().at("confirmed"), 1);
    const auto other = enrol("jean", {}, key);
    EXPECT_EQ(other.status, 422);
    EXPECT_EQ(other.json().at("errors").at(0).at("field"), "Idempotency-Key");
    // The stored reply holds the one-time tokens only encrypted.
    const auto token = std::string(first.json().at("manage_token").as_string());
    if (on_postgres()) return; // the bytes of SQLite's files
    std::ifstream file(server.dir() + "/test.db", std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(file)),
                            std::istreambuf_iterator<char>());
    std::ifstream wal(server.dir() + "/test.db-wal", std::ios::binary);
    const std::string wal_bytes((std::istreambuf_iterator<char>(wal)),
                                std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(token), std::string::npos);
    EXPECT_EQ(wal_bytes.find(token), std::string::npos);
}

TEST_F(registrations_http,
       cancelling_promotes_the_first_waitlisted_and_reads_need_the_token_or_the_organizer) {
    const auto a = enrol("a").json();
    enrol("b");
    const auto c = enrol("c").json();
    const std::string a_id(a.at("id").as_string()), c_id(c.at("id").as_string());
    const std::string a_token(a.at("manage_token").as_string());
    EXPECT_EQ(server.call("GET", "/v1/registrations/" + a_id).status, 401);
    EXPECT_EQ(server
                  .call("GET", "/v1/registrations/" + a_id, std::nullopt, {},
                        {{"X-Registration-Token", "wrong"}})
                  .status,
              404);
    const auto other = server.token_for(role::organizer, "other@x.fr");
    EXPECT_EQ(server.call("GET", "/v1/registrations/" + a_id, std::nullopt, other).status, 404);
    EXPECT_EQ(server.call("DELETE", "/v1/registrations/" + a_id, std::nullopt, other).status, 404);
    EXPECT_EQ(server.call("GET", "/v1/registrations/" + a_id, std::nullopt, owner).status, 200);
    EXPECT_EQ(server
                  .call("DELETE", "/v1/registrations/" + a_id, std::nullopt, {},
                        {{"X-Registration-Token", a_token}})
                  .status,
              204);
    EXPECT_EQ(server
                  .call("DELETE", "/v1/registrations/" + a_id, std::nullopt, {},
                        {{"X-Registration-Token", a_token}})
                  .status,
              409);
    EXPECT_EQ(
        server.call("GET", "/v1/registrations/" + c_id, std::nullopt, owner).json().at("status"),
        "confirmed");
    const auto stats =
        server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, owner).json();
    EXPECT_EQ(
        stats,
        boost::json::parse(
            R"({"confirmed":2,"waitlisted":0,"cancelled":1,"checked_in":0,"capacity":2,"answers":{}})"));
}

TEST_F(registrations_http, organizer_views_list_csv_check_in_and_stats) {
    const auto a = enrol("a").json();
    enrol("b");
    const auto c = enrol("c").json();
    auto r = server.call("GET", "/v1/events/" + event + "/registrations?status=waitlisted",
                         std::nullopt, owner);
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.json().at("items").as_array().size(), 1u);
    EXPECT_EQ(r.json().at("items").at(0).at("email"), "c@x.fr");
    EXPECT_EQ(
        server.call("GET", "/v1/events/" + event + "/registrations?limit=2", std::nullopt, owner)
            .json()
            .at("items")
            .as_array()
            .size(),
        2u);
    EXPECT_EQ(
        server
            .call("GET", "/v1/events/" + event + "/registrations?status=maybe", std::nullopt, owner)
            .status,
        422);
    EXPECT_EQ(server.call("GET", "/v1/events/" + event + "/registrations").status, 401);
    const auto participant = server.token_for(role::participant, "p@x.fr");
    EXPECT_EQ(
        server.call("GET", "/v1/events/" + event + "/registrations", std::nullopt, participant)
            .status,
        403);
    EXPECT_EQ(
        server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, participant).status,
        403);
    EXPECT_EQ(
        server.call("GET", "/v1/events/" + event + "/registrations.csv", std::nullopt, participant)
            .status,
        403);

    const std::string a_id(a.at("id").as_string()), c_id(c.at("id").as_string());
    r = server.call("POST", "/v1/registrations/" + a_id + "/check-in", std::nullopt, owner);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.json().as_object().contains("checked_in_at"));
    EXPECT_EQ(
        server.call("POST", "/v1/registrations/" + a_id + "/check-in", std::nullopt, owner).status,
        409);
    EXPECT_EQ(
        server.call("POST", "/v1/registrations/" + c_id + "/check-in", std::nullopt, owner).status,
        409);
    EXPECT_EQ(server.call("POST", "/v1/registrations/" + a_id + "/check-in").status, 401);
    EXPECT_EQ(server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, owner)
                  .json()
                  .at("checked_in"),
              1);
}

TEST_F(registrations_http,
       the_csv_export_parses_with_an_independent_reader_and_neutralises_formulas) {
    ASSERT_EQ(server
                  .call("POST", "/v1/events/" + event + "/registrations",
                        object{{"full_name", "=HYPERLINK(\"http://evil\",\"clic\")"},
                               {"email", "evil@x.fr"},
                               {"organization", "Grand Guéret, \"La Quincaillerie\"; site 2"},
                               {"consent", true}},
                        {})
                  .status,
              201);
    ASSERT_EQ(server
                  .call("POST", "/v1/events/" + event + "/registrations",
                        object{{"full_name", "@SUM(A1)"},
                               {"email", "plus@x.fr"},
                               {"organization", "+33 5 55"},
                               {"consent", true}},
                        {})
                  .status,
              201);
    const auto r =
        server.call("GET", "/v1/events/" + event + "/registrations.csv", std::nullopt, owner);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), "text/csv; charset=utf-8");
    const auto file = server.dir() + "/registrations.csv";
    std::ofstream(file, std::ios::binary) << r.body;
    const auto parsed = run_python({"tests/tools/check_csv.py", file});
    ASSERT_EQ(parsed.exit_code, 0) << parsed.output;
    EXPECT_EQ(parsed.output, "id|status|waitlist_position|full_name|email|organization|territory_"
                             "id|session_ids|created_at|checked_in_at\n"
                             "confirmed|'@SUM(A1)|plus@x.fr|'+33 5 55\n"
                             "confirmed|'=HYPERLINK(\"http://evil\",\"clic\")|evil@x.fr|Grand "
                             "Guéret, \"La Quincaillerie\"; site 2\n");
}

TEST_F(registrations_http, the_personal_calendar_feed_needs_its_key) {
    const auto a = enrol("a", {value(workshop)}).json();
    const std::string id(a.at("id").as_string()), key(a.at("feed_key").as_string());
    auto r = server.call("GET", "/v1/registrations/" + id + "/calendar.ics?key=" + key);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), "text/calendar; charset=utf-8");
    const auto file = server.dir() + "/mine.ics";
    std::ofstream(file, std::ios::binary) << r.body;
    const auto parsed = run_python({"tests/tools/check_ics.py", file});
    ASSERT_EQ(parsed.exit_code, 0) << parsed.output;
    EXPECT_NE(
        parsed.output.find(
            "\t2031-06-11T07:00:00Z\t2031-06-11T15:00:00Z\t1\tCONFIRMED\tForum des tiers-lieux\n"),
        std::string::npos)
        << parsed.output;
    EXPECT_NE(
        parsed.output.find("\t2031-06-11T12:00:00Z\t2031-06-11T13:00:00Z\t1\tCONFIRMED\tAtelier\n"),
        std::string::npos)
        << parsed.output;
    EXPECT_EQ(server.call("GET", "/v1/registrations/" + id + "/calendar.ics?key=wrong").status,
              404);
    EXPECT_EQ(server.call("GET", "/v1/registrations/" + id + "/calendar.ics").status, 404);
    // Cancelling revokes the feed.
    ASSERT_EQ(server.call("DELETE", "/v1/registrations/" + id, std::nullopt, owner).status, 204);
    EXPECT_EQ(server.call("GET", "/v1/registrations/" + id + "/calendar.ics?key=" + key).status,
              404);
}

TEST_F(registrations_http, notifications_reach_the_sink_and_the_admin_outbox) {
    enrol("a");
    enrol("b");
    enrol("c");
    const auto admin = server.token_for(role::admin, "admin@x.fr");
    EXPECT_EQ(server.call("GET", "/v1/admin/outbox", std::nullopt, owner).status, 403);
    EXPECT_EQ(server.call("GET", "/v1/admin/outbox?status=lost", std::nullopt, admin).status, 400);
    // The worker delivers within its poll interval (50 ms in tests).
    std::string delivered_log;
    for (int i = 0; i < 100; ++i) {
        std::ifstream log(server.dir() + "/outbox.log");
        delivered_log.assign((std::istreambuf_iterator<char>(log)),
                             std::istreambuf_iterator<char>());
        if (std::count(delivered_log.begin(), delivered_log.end(), '\n') == 3) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(std::count(delivered_log.begin(), delivered_log.end(), '\n'), 3) << delivered_log;
    EXPECT_NE(delivered_log.find(R"("kind":"registration_waitlisted","recipient":"c@x.fr")"),
              std::string::npos);
    const auto page =
        server.call("GET", "/v1/admin/outbox?status=delivered", std::nullopt, admin).json();
    ASSERT_EQ(page.at("items").as_array().size(), 3u);
    EXPECT_EQ(page.at("items").at(0).at("subject"), "Liste d'attente : Forum des tiers-lieux");
    EXPECT_EQ(server.call("GET", "/v1/admin/outbox?status=pending", std::nullopt, admin)
                  .json()
                  .at("items")
                  .as_array()
                  .size(),
              0u);
}

TEST_F(registrations_http, personal_data_export_and_erasure) {
    const auto me = server.token_for(role::participant, "camille@x.fr");
    ASSERT_EQ(enrol("camille").status, 201); // by email, no token
    ASSERT_EQ(enrol("jean").status, 201);
    auto r = server.call("GET", "/v1/me/registrations", std::nullopt, me);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("items").as_array().size(), 1u);
    r = server.call("GET", "/v1/me/export", std::nullopt, me);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("account").at("email"), "camille@x.fr");
    EXPECT_EQ(r.json().at("registrations").at(0).at("full_name"), "camille");
    EXPECT_EQ(r.body.find("argon2"), std::string::npos);
    EXPECT_EQ(server.call("GET", "/v1/me/export").status, 401);

    EXPECT_EQ(server.call("DELETE", "/v1/me", std::nullopt, me).status, 204);
    EXPECT_EQ(server.call("GET", "/v1/me", std::nullopt, me).status, 401);
    const auto stats =
        server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, owner).json();
    EXPECT_EQ(stats.at("confirmed"), 2) << "seats and counts stay as they were";
    const auto list =
        server.call("GET", "/v1/events/" + event + "/registrations", std::nullopt, owner).json();
    EXPECT_EQ(list.at("items").at(0).at("full_name"), "Anonyme");
    EXPECT_EQ(list.at("items").at(0).at("email").as_string().find("camille"), std::string::npos);
    EXPECT_EQ(list.at("items").at(1).at("full_name"), "jean");
    const auto admin = server.token_for(role::admin, "admin@x.fr");
    const auto last_admin = server.call("DELETE", "/v1/me", std::nullopt, admin);
    EXPECT_EQ(last_admin.status, 409);
}

} // namespace
} // namespace rencontres::testing
