// `rencontres copy` both ways: SQLite → PostgreSQL → SQLite gives the same API answers, byte for
// byte, on the demo and on a generated event with 10,000 registrations; a target that holds rows
// is refused and left as it was. It needs the test PostgreSQL server, so it runs in the
// PostgreSQL pass of the suite (support/test_database.hpp).
#include "support/process.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

#include <atomic>
#include <filesystem>
#include <gtest/gtest.h>
#include <regex>
#include <thread>

namespace rencontres::testing {
namespace {

using boost::json::object;

std::map<std::string, std::string> env_in(const std::string& dir) {
    return {{"RENCONTRES_SECURITY_KEY_FILE", dir + "/rencontres.key"},
            {"RENCONTRES_OUTBOX_SINK_PATH", dir + "/outbox.log"},
            {"RENCONTRES_DATABASE_WORKERS", "16"}};
}

// What the API answers on `location` to every URL, given the same token.
std::vector<std::string> answers(const std::string& location, const std::string& dir,
                                 const std::vector<std::string>& urls, const std::string& token) {
    child_server server({"--db", location}, env_in(dir));
    std::vector<std::string> out;
    for (const auto& url : urls) {
        const auto r =
            send_request(server.port(), "GET", url, "", {{"Authorization", "Bearer " + token}});
        // A form's token is made at the time of the request: the same from one server to another
        // only up to it.
        static const std::regex form_token(R"(name="csrf" value="[^"]*")");
        out.push_back(std::to_string(r.status) + " " + url + "\n" +
                      std::regex_replace(r.body, form_token, R"(name="csrf" value="…")"));
    }
    return out;
}

TEST(copy, sqlite_to_postgresql_and_back_gives_the_same_answers) {
    if (!on_postgres()) GTEST_SKIP() << "it copies to the test PostgreSQL server";
    const auto dir = make_temp_dir("copy");
    const auto first = dir + "/first.db", back = dir + "/back.db";
    ASSERT_EQ(run_binary({"demo", "load", "--db", first}, {}, env_in(dir)).exit_code, 0);
    create_admin(first, env_in(dir));
    std::string token, generated;
    std::vector<std::string> urls{"/v1/events",      "/v1/events?q=numerique",
                                  "/v1/territories", "/v1/speakers",
                                  "/v1/accounts",    "/v1/label-campaigns",
                                  "/v1/me",          "/v1/admin/outbox?limit=200",
                                  "/palmares",       "/"};
    {
        child_server server({"--db", first}, env_in(dir));
        token = login(server.port());
        generated = published_event(server.port(), token, 4'000);
        std::atomic<int> next{0}, created{0};
        std::vector<std::thread> clients;
        for (int t = 0; t < 16; ++t)
            clients.emplace_back([&] {
                for (int i = next++; i < 10'000; i = next++)
                    if (register_one(server.port(), generated, "g" + std::to_string(i) + "@x.fr")
                            .status == 201)
                        ++created;
            });
        for (auto& c : clients)
            c.join();
        ASSERT_EQ(created.load(), 10'000);
        const auto auth = header_list{{"Authorization", "Bearer " + token}};
        // A few cancellations (promotions) and check-ins, so that every kept count moves.
        for (int i = 1; i <= 30; ++i) {
            const auto id = "/v1/registrations/" + std::to_string(i * 7);
            if (i % 2)
                send_request(server.port(), "DELETE", id, "", auth);
            else
                send_request(server.port(), "POST", id + "/check-in", "", auth);
        }
        // Every event, session list, agenda, calendar, stats and registration page.
        const auto events =
            send_request(server.port(), "GET", "/v1/events?limit=100", "", auth).json();
        for (const auto& e : events.at("items").as_array()) {
            const std::string id(e.at("id").as_string());
            for (const auto* tail :
                 {"", "/sessions", "/agenda", "/agenda.ics", "/stats", "/questions",
                  "/registrations?limit=200", "/registrations?status=waitlisted&limit=200",
                  "/registrations.csv"})
                urls.push_back("/v1/events/" + id + tail);
            urls.push_back("/evenements/" + std::string(e.at("slug").as_string()));
        }
        std::string cursor;
        for (int page = 0; page < 60; ++page) {
            const auto r = send_request(server.port(), "GET",
                                        "/v1/events/" + generated + "/registrations?limit=200" +
                                            (cursor.empty() ? "" : "&cursor=" + cursor),
                                        "", auth);
            if (r.json().at("next_cursor").is_null()) break;
            cursor = std::string(r.json().at("next_cursor").as_string());
            urls.push_back("/v1/events/" + generated + "/registrations?limit=200&cursor=" + cursor);
        }
        const auto campaigns =
            send_request(server.port(), "GET", "/v1/label-campaigns", "", auth).json();
        for (const auto& c : campaigns.at("items").as_array()) {
            const auto id = c.at("id").is_string() ? std::string(c.at("id").as_string())
                                                   : boost::json::serialize(c.at("id"));
            urls.push_back("/v1/label-campaigns/" + id + "/candidacies");
            urls.push_back("/v1/label-campaigns/" + id + "/ranking");
            urls.push_back("/v1/palmares/" + boost::json::serialize(c.at("year")));
        }
    }
    ASSERT_GT(urls.size(), 75u); // 50 pages of the generated event among them

    scratch_database middle(dir + "/unused.db");
    auto r = run_binary({"copy", "--from", first, "--to", middle.location()});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("copied "), std::string::npos) << r.output;
    r = run_binary({"copy", "--from", middle.location(), "--to", back});
    ASSERT_EQ(r.exit_code, 0) << r.output;

    const auto expected = answers(first, dir, urls, token);
    const auto on_postgres = answers(middle.location(), dir, urls, token);
    const auto copied_back = answers(back, dir, urls, token);
    ASSERT_EQ(expected.size(), urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        EXPECT_EQ(expected[i].substr(0, 4), "200 ") << expected[i].substr(0, 300);
        EXPECT_TRUE(on_postgres[i] == expected[i])
            << "on PostgreSQL: " << urls[i] << "\n"
            << on_postgres[i].substr(0, 2000) << "\nexpected:\n"
            << expected[i].substr(0, 2000);
        EXPECT_TRUE(copied_back[i] == expected[i]) << "copied back to SQLite: " << urls[i] << "\n"
                                                   << copied_back[i].substr(0, 2000);
    }

    // Into a database that holds rows: refused, and nothing changes.
    r = run_binary({"copy", "--from", first, "--to", back});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("the target is not empty (accounts has rows): copy only into a new "
                            "database"),
              std::string::npos)
        << r.output;
    EXPECT_EQ(answers(back, dir, urls, token), expected);
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace rencontres::testing
