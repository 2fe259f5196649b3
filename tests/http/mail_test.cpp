// Email reaching a real SMTP server (Debian's python3-aiosmtpd, tests/tools/smtp_server.py): the
// server under test runs as a child process with [smtp] pointing at it, and what the SMTP server
// received is read back by Python's email package and python3-icalendar (tests/tools/
// read_mail.py), independent readers.
#include "support/process.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

#include <boost/json.hpp>
#include <csignal>
#include <filesystem>
#include <gtest/gtest.h>
#include <regex>
#include <thread>

namespace rencontres::testing {
namespace {

using boost::json::object;
using boost::json::value;

// The SMTP server, answering DATA commands as `answers` says ("451,250"), then accepting.
struct smtp_server {
    std::string maildir;
    std::unique_ptr<child_server> process;
    smtp_server(std::string dir, const std::string& answers = "", unsigned short port = 0)
        : maildir(std::move(dir)) {
        process = std::make_unique<child_server>(
            "/usr/bin/python3",
            std::vector<std::string>{std::string(RENCONTRES_SOURCE_DIR) +
                                         "/tests/tools/smtp_server.py",
                                     maildir, answers, std::to_string(port)},
            std::map<std::string, std::string>{}, R"(smtp listening on 127\.0\.0\.1:(\d+))");
    }
    unsigned short port() const { return process->port(); }
    void stop() { process.reset(); }
    // What it received, read by Python's email package.
    boost::json::array received() const {
        const auto read = run_python({"tests/tools/read_mail.py", maildir});
        EXPECT_EQ(read.exit_code, 0) << read.output;
        return boost::json::parse(read.output).as_array();
    }
};

class mail : public ::testing::Test {
protected:
    std::string dir = make_temp_dir("mail");
    scratch_database database{dir + "/r.db"};
    std::string db = database.location();
    void SetUp() override { create_admin(db); }
    void TearDown() override { std::filesystem::remove_all(dir); }

    std::map<std::string, std::string> smtp_env(unsigned short port) const {
        return {{"RENCONTRES_SMTP_URL", "smtp://127.0.0.1:" + std::to_string(port)},
                {"RENCONTRES_SMTP_TLS", "none"},
                {"RENCONTRES_SMTP_FROM", "Rencontres de l'AdCF <rencontres@adcf.test>"},
                {"RENCONTRES_SMTP_REPLY_TO", "contact@adcf.test"},
                {"RENCONTRES_SERVER_PUBLIC_BASE_URL", "https://rencontres.adcf.test"},
                {"RENCONTRES_OUTBOX_POLL_INTERVAL_MS", "50"},
                {"RENCONTRES_OUTBOX_FIRST_RETRY_SECONDS", "1"},
                {"RENCONTRES_OUTBOX_MAX_BACKOFF_SECONDS", "1"},
                {"RENCONTRES_OUTBOX_EVENT_CHANGE_HOLD_SECONDS", "0"}};
    }
    // Waits until no message is pending; returns the outbox, newest first.
    static boost::json::array settled_outbox(unsigned short port, const std::string& token) {
        for (int i = 0; i < 300; ++i) {
            const auto pending =
                send_request(port, "GET", "/v1/admin/outbox?status=pending", "", bearer(token));
            if (pending.json().at("items").as_array().empty()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return send_request(port, "GET", "/v1/admin/outbox", "", bearer(token))
            .json()
            .at("items")
            .as_array();
    }
    static value register_person(unsigned short port, const std::string& event,
                                 const std::string& name, const std::string& email) {
        const auto r = send_request(port, "POST", "/v1/events/" + event + "/registrations",
                                    boost::json::serialize(object{
                                        {"full_name", name}, {"email", email}, {"consent", true}}),
                                    {{"Content-Type", "application/json"}});
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json();
    }
};

const value* by_subject(const boost::json::array& mails, const std::string& to,
                        const std::string& subject_start) {
    for (const auto& m : mails)
        if (m.at("to").as_string() == to &&
            std::string_view(m.at("subject").as_string()).substr(0, subject_start.size()) ==
                subject_start)
            return &m;
    return nullptr;
}

TEST_F(mail, registrants_get_french_messages_with_their_calendar_and_a_working_link) {
    smtp_server smtp(dir + "/mail");
    child_server server({"--db", db}, smtp_env(smtp.port()));
    const auto port = server.port();
    const auto token = login(port);
    auto r = send_request(port, "POST", "/v1/events",
                          boost::json::serialize(object{
                              {"title", "Forum des tiers-lieux d'Égletons"},
                              {"starts_at", "2031-06-11T09:00:00+02:00"},
                              {"ends_at", "2031-06-11T17:00:00+02:00"},
                              {"venue", object{{"name", "Espace Ventadour"}, {"city", "Égletons"}}},
                              {"capacity", 1}}),
                          bearer(token));
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string event(r.json().at("id").as_string());
    ASSERT_EQ(
        send_request(port, "POST", "/v1/events/" + event + "/publish", "{}", bearer(token)).status,
        200);
    const auto first = register_person(port, event, "Camille Été", "camille@x.fr");
    const auto second = register_person(port, event, "Dominique Noël", "dominique@x.fr");
    ASSERT_EQ(second.at("status").as_string(), "waitlisted");
    // Camille cancels: Dominique is promoted. Then the meeting moves by a day.
    ASSERT_EQ(send_request(
                  port, "DELETE", "/v1/registrations/" + std::string(first.at("id").as_string()),
                  "", {{"X-Registration-Token", std::string(first.at("manage_token").as_string())}})
                  .status,
              204);
    ASSERT_EQ(
        send_request(
            port, "PATCH", "/v1/events/" + event,
            R"({"starts_at":"2031-06-12T09:00:00+02:00","ends_at":"2031-06-12T17:00:00+02:00"})",
            bearer(token))
            .status,
        200);
    const auto outbox = settled_outbox(port, token);
    for (const auto& m : outbox)
        EXPECT_EQ(m.at("status").as_string(), "delivered") << m;
    const auto mails = smtp.received();
    ASSERT_EQ(mails.size(), 5u) << mails;

    const auto* confirmed = by_subject(mails, "camille@x.fr", "Inscription confirmée : Forum");
    ASSERT_TRUE(confirmed) << mails;
    EXPECT_EQ(confirmed->at("subject").as_string(),
              "Inscription confirmée : Forum des tiers-lieux d'Égletons");
    EXPECT_EQ(confirmed->at("from").as_string(), "Rencontres de l'AdCF <rencontres@adcf.test>");
    // Replies reach the organizers: the event's contact address, by default its creator's, and
    // the text says so in both parts.
    EXPECT_EQ(confirmed->at("reply_to"), "admin@x.fr");
    EXPECT_TRUE(std::regex_match(std::string(confirmed->at("message_id").as_string()),
                                 std::regex(R"(<outbox-\d+@rencontres\.adcf\.test>)")));
    EXPECT_EQ(confirmed->at("structure"),
              (boost::json::array{"multipart/mixed", "multipart/alternative", "text/plain",
                                  "text/html", "text/calendar"}));
    const std::string text(confirmed->at("text").as_string());
    EXPECT_NE(text.find("Votre inscription est confirmée pour Forum des tiers-lieux d'Égletons, "
                        "mercredi 11 juin 2031, de 9 h à 17 h, Espace Ventadour, Égletons."),
              std::string::npos)
        << text;
    EXPECT_NE(std::string(confirmed->at("html").as_string()).find("Bonjour Camille Été,"),
              std::string::npos);
    EXPECT_NE(text.find("Pour lui écrire, répondez à ce message ou écrivez à admin@x.fr."),
              std::string::npos)
        << text;
    EXPECT_NE(
        text.find("\r\n-- \r\nMessage envoyé par Rencontres pour l'équipe d'organisation : en y "
                  "répondant, vous lui écrivez.\r\n"),
        std::string::npos)
        << text;
    EXPECT_EQ(text.find("Merci de ne pas y répondre"), std::string::npos);
    EXPECT_NE(std::string(confirmed->at("html").as_string())
                  .find("en y répondant, vous lui écrivez.</p>"),
              std::string::npos);
    // A long link wraps in the HTML part rather than widening a phone's screen.
    EXPECT_NE(std::string(confirmed->at("html").as_string()).find("word-break:break-all"),
              std::string::npos);
    const auto& calendar = confirmed->at("calendar");
    EXPECT_EQ(calendar.at("method").as_string(), "PUBLISH");
    ASSERT_EQ(calendar.at("events").as_array().size(), 1u);
    // The calendar is the event as it stands when the message leaves: the move may already be
    // in it.
    EXPECT_TRUE(std::regex_match(std::string(calendar.at("events").at(0).at("start").as_string()),
                                 std::regex(R"(2031-06-1[12]T09:00:00\+02:00)")))
        << calendar;
    EXPECT_EQ(calendar.at("events").at(0).at("tzid").as_string(), "Europe/Paris");
    // The link opens the participant's page.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(
        text, m,
        std::regex(R"(https://rencontres\.adcf\.test(/inscriptions/\d+\?t=[A-Za-z0-9_-]+))")))
        << text;
    const auto page = send_request(port, "GET", m[1]);
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("<dd>Camille Été</dd>"), std::string::npos);

    const auto* waitlisted = by_subject(mails, "dominique@x.fr", "Liste d'attente : Forum");
    ASSERT_TRUE(waitlisted);
    EXPECT_NE(std::string(waitlisted->at("text").as_string()).find("(position 1)"),
              std::string::npos);
    EXPECT_TRUE(waitlisted->at("calendar").is_null());
    ASSERT_TRUE(by_subject(mails, "camille@x.fr", "Inscription annulée : Forum"));
    const auto* promoted = by_subject(mails, "dominique@x.fr", "Une place s'est libérée : Forum");
    ASSERT_TRUE(promoted);
    EXPECT_FALSE(promoted->at("calendar").is_null());
    // One message for the move, to the one still registered, with the new date.
    const auto* changed = by_subject(mails, "dominique@x.fr", "Changement pour Forum");
    ASSERT_TRUE(changed);
    EXPECT_NE(
        std::string(changed->at("text").as_string()).find("jeudi 12 juin 2031, de 9 h à 17 h"),
        std::string::npos)
        << changed->at("text");
    EXPECT_EQ(changed->at("calendar").at("events").at(0).at("start").as_string(),
              "2031-06-12T09:00:00+02:00");
    EXPECT_FALSE(by_subject(mails, "camille@x.fr", "Changement pour Forum"));
    server.signal(SIGTERM);
    EXPECT_EQ(server.wait(std::chrono::seconds(10)), 0);
}

TEST_F(mail, a_server_answering_451_then_250_receives_exactly_one_copy) {
    smtp_server smtp(dir + "/mail", "451");
    child_server server({"--db", db}, smtp_env(smtp.port()));
    const auto token = login(server.port());
    const auto event = published_event(server.port(), token, 10);
    register_person(server.port(), event, "Alix", "alix@x.fr");
    const auto outbox = settled_outbox(server.port(), token);
    ASSERT_EQ(outbox.size(), 1u);
    EXPECT_EQ(outbox.at(0).at("status").as_string(), "delivered");
    EXPECT_EQ(outbox.at(0).at("attempts").as_int64(), 2);
    EXPECT_EQ(smtp.received().size(), 1u);
}

TEST_F(mail, a_550_fails_the_message_with_the_servers_words_until_an_admin_retries) {
    smtp_server smtp(dir + "/mail", "550");
    child_server server({"--db", db}, smtp_env(smtp.port()));
    const auto port = server.port();
    const auto token = login(port);
    const auto event = published_event(port, token, 10);
    register_person(port, event, "Alix", "alix@x.fr");
    boost::json::array failed;
    for (int i = 0; i < 200 && failed.empty(); ++i) {
        failed = send_request(port, "GET", "/v1/admin/outbox?status=failed", "", bearer(token))
                     .json()
                     .at("items")
                     .as_array();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed.at(0).at("attempts").as_int64(), 1);
    EXPECT_NE(std::string(failed.at(0).at("last_error").as_string()).find("550"), std::string::npos)
        << failed.at(0);
    EXPECT_TRUE(smtp.received().empty());
    const std::string id(failed.at(0).at("id").as_string());
    const auto retried =
        send_request(port, "POST", "/v1/admin/outbox/" + id + "/retry", "", bearer(token));
    ASSERT_EQ(retried.status, 200) << retried.body;
    EXPECT_EQ(retried.json().at("status").as_string(), "pending");
    const auto outbox = settled_outbox(port, token);
    EXPECT_EQ(outbox.at(0).at("status").as_string(), "delivered");
    EXPECT_EQ(smtp.received().size(), 1u);
}

TEST_F(mail, with_the_mail_server_down_messages_wait_and_leave_when_it_returns) {
    auto smtp = std::make_unique<smtp_server>(dir + "/mail");
    const auto smtp_port = smtp->port();
    smtp->stop();
    child_server server({"--db", db}, smtp_env(smtp_port));
    const auto port = server.port();
    const auto token = login(port);
    const auto event = published_event(port, token, 10);
    for (int i = 0; i < 3; ++i)
        register_person(port, event, "P" + std::to_string(i), "p" + std::to_string(i) + "@x.fr");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    auto pending = send_request(port, "GET", "/v1/admin/outbox?status=pending", "", bearer(token))
                       .json()
                       .at("items")
                       .as_array();
    ASSERT_EQ(pending.size(), 3u);
    EXPECT_GE(pending.at(2).at("attempts").as_int64(), 1);
    EXPECT_TRUE(pending.at(2).as_object().contains("last_error")) << pending.at(2);
    smtp = std::make_unique<smtp_server>(dir + "/mail", "", smtp_port);
    const auto outbox = settled_outbox(port, token);
    for (const auto& m : outbox)
        EXPECT_EQ(m.at("status").as_string(), "delivered") << m;
    EXPECT_EQ(smtp->received().size(), 3u);
}

TEST_F(mail, after_sigkill_every_message_is_delivered_none_lost) {
    smtp_server smtp(dir + "/mail");
    std::set<std::string> registered;
    {
        child_server server({"--db", db}, smtp_env(smtp.port()));
        const auto token = login(server.port());
        const auto event = published_event(server.port(), token, 100);
        for (int i = 0; i < 40; ++i) {
            const auto email = "k" + std::to_string(i) + "@x.fr";
            register_person(server.port(), event, "K", email);
            registered.insert(email);
        }
        server.signal(SIGKILL); // messages in flight: some sent, some not yet marked
        EXPECT_EQ(server.wait(std::chrono::seconds(10)), -SIGKILL);
    }
    child_server server({"--db", db}, smtp_env(smtp.port()));
    const auto outbox = settled_outbox(server.port(), login(server.port()));
    ASSERT_EQ(outbox.size(), 40u);
    for (const auto& m : outbox)
        EXPECT_EQ(m.at("status").as_string(), "delivered") << m;
    // At least once: each person got the message; a copy sent just before the kill may come
    // twice, with the same Message-ID.
    std::set<std::string> reached, ids;
    std::size_t copies = 0;
    for (const auto& m : smtp.received()) {
        reached.insert(std::string(m.at("to").as_string()));
        ids.insert(std::string(m.at("message_id").as_string()));
        ++copies;
    }
    EXPECT_EQ(reached, registered);
    EXPECT_EQ(ids.size(), 40u);
    EXPECT_LE(copies - ids.size(), 40u);
}

} // namespace
} // namespace rencontres::testing
