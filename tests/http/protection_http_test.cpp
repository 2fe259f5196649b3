// What keeps one client from hurting others, and secrets out of files (API.md §2, §3, §10):
// HEAD and Date, trusted proxies, login and sign-up throttles, the metrics token, owner-only
// files, and a server log without a single secret.
#include "server/transport/client_address.hpp"
#include "support/process.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <signal.h>
#include <sys/stat.h>
#include <thread>

namespace rencontres::testing {
namespace {

using boost::json::object;

constexpr const char* password = "correct horse battery";
const header_list json_type{{"Content-Type", "application/json"}};

reply login(unsigned short port, const std::string& email, const std::string& given,
            const header_list& extra = {}) {
    header_list headers = json_type;
    headers.insert(headers.end(), extra.begin(), extra.end());
    return send_request(port, "POST", "/v1/auth/token",
                        R"({"email":")" + email + R"(","password":")" + given + R"("})", headers);
}

// ---- HEAD and Date ---------------------------------------------------------------------------

TEST(protection_http, every_get_route_answers_head_like_get_without_a_body) {
    test_server server;
    const auto owner = server.token_for(role::organizer, "owner@x.fr");
    const auto event = published_event(server.port(), owner, 10);
    const auto held = register_one(server.port(), event, "a@x.fr").json();
    const std::string registration(held.at("id").as_string());
    const std::string key(held.at("feed_key").as_string());
    int checked = 0;
    for (const auto& route : server.app().dispatcher().routes().routes()) {
        if (route.method != "GET") continue;
        // Every parameter named after something that exists, so most answer 200.
        std::string target = route.pattern;
        for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
                 {"{id}/calendar.ics", ""}, {"{year}", "2018"}, {"{sid}", "1"}, {"{id}", ""}}) {
            const auto at = target.find(name);
            if (at == std::string::npos) continue;
            std::string replacement = value;
            if (name == "{id}/calendar.ics")
                replacement = registration + "/calendar.ics?key=" + key;
            else if (name == "{id}")
                replacement = target.rfind("/v1/registrations", 0) == 0 ? registration : event;
            target.replace(at, name.size(), replacement);
        }
        const header_list auth{{"Authorization", "Bearer " + owner}};
        const auto get = send_request(server.port(), "GET", target, "", auth);
        const auto head = send_request(server.port(), "HEAD", target, "", auth);
        EXPECT_EQ(head.status, get.status) << target;
        EXPECT_TRUE(head.body.empty()) << target;
        // /metrics counts the GET itself, so its length moves between the two calls.
        if (target != "/metrics") {
            EXPECT_EQ(head.header("Content-Length"), std::to_string(get.body.size())) << target;
        }
        EXPECT_EQ(head.header("Content-Type"), get.header("Content-Type")) << target;
        EXPECT_EQ(head.header("ETag"), get.header("ETag")) << target;
        EXPECT_TRUE(std::regex_match(head.header("Date"),
                                     std::regex(R"([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} )"
                                                R"(\d{2}:\d{2}:\d{2} GMT)")))
            << target << ": " << head.header("Date");
        ++checked;
    }
    EXPECT_GE(checked, 25);
    // On the wire: the headers and nothing after them, even with a body of many bytes.
    const auto raw = raw_exchange(server.port(), "HEAD /v1/events/" + event +
                                                     "/agenda HTTP/1.1\r\nHost: x\r\n"
                                                     "Connection: close\r\n\r\n");
    ASSERT_EQ(raw.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << raw;
    EXPECT_EQ(raw.find("\r\n\r\n") + 4, raw.size()) << raw;
    EXPECT_EQ(raw.find("Content-Length: 0\r\n"), std::string::npos) << raw;
}

TEST(protection_http, every_response_carries_a_date_errors_included) {
    test_server server;
    for (const auto& [method, target] :
         std::vector<std::pair<std::string, std::string>>{{"GET", "/healthz"},
                                                          {"GET", "/nowhere"},
                                                          {"DELETE", "/v1/territories"},
                                                          {"GET", "/v1/me"}}) {
        const auto r = send_request(server.port(), method, target);
        EXPECT_FALSE(r.header("Date").empty()) << method << " " << target << " " << r.status;
    }
    const auto raw = raw_exchange(server.port(), "NOT HTTP AT ALL\r\n\r\n");
    EXPECT_NE(raw.find("\r\nDate: "), std::string::npos) << raw;
}

// ---- Who the client is -----------------------------------------------------------------------

TEST(trusted_proxies, the_right_most_untrusted_hop_is_the_client) {
    const http::trusted_proxies proxies("127.0.0.1, 10.0.0.0/8, ::1, fd00::/8");
    EXPECT_EQ(proxies.client("127.0.0.1", "203.0.113.5"), "203.0.113.5");
    // A client cannot pick its address: what it wrote is left of the hop our proxy added.
    EXPECT_EQ(proxies.client("127.0.0.1", "198.51.100.1, 203.0.113.5"), "203.0.113.5");
    EXPECT_EQ(proxies.client("127.0.0.1", "198.51.100.1, 203.0.113.5, 10.1.2.3"), "203.0.113.5");
    EXPECT_EQ(proxies.client("::1", " 2001:db8::7 , fd00::1"), "2001:db8::7");
    EXPECT_EQ(proxies.client("127.0.0.1", "::ffff:203.0.113.9"), "203.0.113.9");
    // Only a trusted peer is believed.
    EXPECT_EQ(proxies.client("192.0.2.10", "203.0.113.5"), "192.0.2.10");
    EXPECT_EQ(proxies.client("127.0.0.1", std::nullopt), "127.0.0.1");
    // Garbage ends the walk at the last hop a trusted proxy vouched for.
    EXPECT_EQ(proxies.client("127.0.0.1", "203.0.113.5, not-an-address"), "127.0.0.1");
    EXPECT_EQ(proxies.client("127.0.0.1", "10.0.0.2, 10.0.0.1"), "10.0.0.2");
    EXPECT_EQ(http::trusted_proxies("").client("127.0.0.1", "203.0.113.5"), "127.0.0.1");
    EXPECT_THROW(http::trusted_proxies("10.0.0.0/33"), std::invalid_argument);
    EXPECT_THROW(http::trusted_proxies("proxy.example"), std::invalid_argument);
    EXPECT_THROW(validate([] {
                     config c;
                     c.server.trusted_proxies = "10.0.0.0/8, nonsense";
                     return c;
                 }()),
                 config_error);
}

TEST(configuration, the_shipped_file_documents_the_defaults_and_takes_lists_of_proxies) {
    const auto shipped =
        load_config(std::string(RENCONTRES_SOURCE_DIR) + "/config/rencontres.toml", {});
    const config defaults;
    EXPECT_EQ(shipped.server.public_base_url, defaults.server.public_base_url);
    EXPECT_EQ(shipped.server.trusted_proxies, "");
    EXPECT_EQ(shipped.metrics.token, "");
    EXPECT_EQ(shipped.auth.login_max_failures_per_email_and_client, 5);
    EXPECT_EQ(shipped.auth.login_max_failures_per_client, 20);
    EXPECT_EQ(shipped.auth.login_max_failures_per_email, 100);
    EXPECT_EQ(shipped.auth.signup_max_per_client, defaults.auth.signup_max_per_client);
    EXPECT_EQ(shipped.auth.verification_ttl_hours, 48);
    EXPECT_EQ(shipped.floor.stream_pace_ms, defaults.floor.stream_pace_ms);
    EXPECT_EQ(shipped.floor.stream_pace_ms, 200);
    EXPECT_NO_THROW(validate(shipped));
    // The live streams' pace comes from the environment too, and is at least a millisecond.
    auto paced = load_config(std::string(RENCONTRES_SOURCE_DIR) + "/config/rencontres.toml",
                             {{"RENCONTRES_FLOOR_STREAM_PACE_MS", "400"}});
    EXPECT_EQ(paced.floor.stream_pace_ms, 400);
    paced.floor.stream_pace_ms = 0;
    EXPECT_THROW(validate(paced), config_error);

    const auto dir = make_temp_dir("config");
    {
        std::ofstream file(dir + "/r.toml");
        file << "[server]\ntrusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\n"
                "public_base_url = \"https://rencontres.example.org\"\n[metrics]\ntoken = \"t\"\n";
    }
    auto c = load_config(dir + "/r.toml", {});
    EXPECT_EQ(c.server.trusted_proxies, "127.0.0.1,10.0.0.0/8");
    EXPECT_EQ(c.metrics.token, "t");
    EXPECT_NO_THROW(validate(c));
    c = load_config(dir + "/r.toml", {{"RENCONTRES_SERVER_TRUSTED_PROXIES", "::1, 192.0.2.0/24"},
                                      {"RENCONTRES_METRICS_TOKEN", "from-env"}});
    EXPECT_EQ(c.server.trusted_proxies, "::1, 192.0.2.0/24");
    EXPECT_EQ(c.metrics.token, "from-env");
    c.server.public_base_url = "rencontres.example.org";
    EXPECT_THROW(validate(c), config_error);
    std::filesystem::remove_all(dir);
}

TEST(protection_http, behind_a_trusted_proxy_throttles_follow_the_forwarded_client) {
    test_server server([](config& c) { c.server.trusted_proxies = "127.0.0.1"; });
    server.token_for(role::participant, "victime@x.fr");
    const header_list stranger{{"X-Forwarded-For", "203.0.113.5"}};
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(login(server.port(), "victime@x.fr", "wrong password!", stranger).status, 401);
    // The stranger is held back; the person herself, from her own address, signs in.
    const auto blocked = login(server.port(), "victime@x.fr", password, stranger);
    EXPECT_EQ(blocked.status, 429);
    EXPECT_FALSE(blocked.header("Retry-After").empty());
    EXPECT_EQ(login(server.port(), "victime@x.fr", password, {{"X-Forwarded-For", "198.51.100.7"}})
                  .status,
              200);
}

TEST(protection_http, without_trusted_proxies_x_forwarded_for_changes_nothing) {
    test_server server([](config& c) { c.auth.login_max_failures_per_client = 3; });
    for (int i = 0; i < 3; ++i)
        login(server.port(), "n" + std::to_string(i) + "@x.fr", "wrong password!",
              {{"X-Forwarded-For", "203.0.113." + std::to_string(i)}});
    // The same socket peer, whatever the header says: the client limit is reached.
    EXPECT_EQ(
        login(server.port(), "z@x.fr", "wrong password!", {{"X-Forwarded-For", "198.51.100.99"}})
            .status,
        429);
}

TEST(protection_http, five_wrong_passwords_from_a_stranger_do_not_lock_a_person_out) {
    test_server server;
    server.token_for(role::organizer, "elue@x.fr");
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(login(server.port(), "elue@x.fr", "wrong password!").status, 401);
    EXPECT_EQ(login(server.port(), "elue@x.fr", password).status, 429)
        << "the same client and email pair is held back";
    // Another client: the email alone is far from its own limit.
    test_server behind_proxy([](config& c) { c.server.trusted_proxies = "127.0.0.1"; });
    behind_proxy.token_for(role::organizer, "elue@x.fr");
    for (int i = 0; i < 5; ++i)
        login(behind_proxy.port(), "elue@x.fr", "wrong password!",
              {{"X-Forwarded-For", "203.0.113.66"}});
    EXPECT_EQ(login(behind_proxy.port(), "elue@x.fr", password, {{"X-Forwarded-For", "192.0.2.44"}})
                  .status,
              200);
}

TEST(protection_http, a_flood_of_sign_ups_cannot_keep_a_client_from_signing_in) {
    test_server server([](config& c) {
        c.auth.hash_workers = 1;
        c.auth.hash_queue_max = 64;
    });
    server.token_for(role::participant, "habitant@x.fr");
    std::atomic<int> created{0}, throttled{0}, busy{0}, other{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> flood;
    for (int i = 0; i < 90; ++i)
        flood.emplace_back([&, i] {
            while (!go.load())
                std::this_thread::yield();
            const auto r = send_request(server.port(), "POST", "/v1/accounts",
                                        R"({"email":"bot)" + std::to_string(i) +
                                            R"(@x.fr","password":"0123456789","display_name":"B"})",
                                        json_type);
            if (r.status == 201)
                ++created;
            else if (r.status == 429 && !r.header("Retry-After").empty())
                ++throttled;
            else if (r.status == 503)
                ++busy;
            else
                ++other;
        });
    go = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const auto signed_in = login(server.port(), "habitant@x.fr", password);
    for (auto& t : flood)
        t.join();
    EXPECT_EQ(signed_in.status, 200) << signed_in.body;
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(created.load(), 10) << "auth.signup_max_per_client";
    EXPECT_EQ(throttled.load() + busy.load(), 80);
    EXPECT_GE(throttled.load(), 48);
}

// ---- The metrics token -----------------------------------------------------------------------

TEST(protection_http, metrics_need_the_token_when_one_is_set) {
    test_server server([](config& c) { c.metrics.token = "scrape-me-0123456789"; });
    auto r = send_request(server.port(), "GET", "/metrics");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
    EXPECT_EQ(r.body.find("rencontres_"), std::string::npos);
    r = send_request(server.port(), "GET", "/metrics", "",
                     {{"Authorization", "Bearer scrape-me-012345678X"}});
    EXPECT_EQ(r.status, 401);
    r = send_request(server.port(), "GET", "/metrics", "",
                     {{"Authorization", "Bearer scrape-me-0123456789"}});
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("rencontres_registrations{status=\"confirmed\"} 0"), std::string::npos);
    // Without a token set, the endpoint stays open (a scraper on the same host).
    test_server open;
    EXPECT_EQ(send_request(open.port(), "GET", "/metrics").status, 200);
}

TEST(protection_http, metrics_count_registrations_from_kept_totals) {
    test_server server;
    const auto owner = server.token_for(role::organizer, "owner@x.fr");
    const auto event = published_event(server.port(), owner, 1);
    ASSERT_EQ(register_one(server.port(), event, "a@x.fr").status, 201);
    const auto b = register_one(server.port(), event, "b@x.fr").json();
    ASSERT_EQ(register_one(server.port(), event, "c@x.fr").status, 201);
    ASSERT_EQ(
        send_request(server.port(), "DELETE",
                     "/v1/registrations/" + std::string(b.at("id").as_string()), "",
                     {{"X-Registration-Token", std::string(b.at("manage_token").as_string())}})
            .status,
        204);
    const auto body = send_request(server.port(), "GET", "/metrics").body;
    EXPECT_NE(body.find("rencontres_registrations{status=\"confirmed\"} 1\n"), std::string::npos)
        << body;
    EXPECT_NE(body.find("rencontres_registrations{status=\"waitlisted\"} 1\n"), std::string::npos);
    EXPECT_NE(body.find("rencontres_registrations{status=\"cancelled\"} 1\n"), std::string::npos);
}

// ---- Files and logs --------------------------------------------------------------------------

unsigned mode_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return 0;
    return st.st_mode & 07777;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(binary, the_log_holds_no_secret_and_private_files_are_owner_only) {
    if (on_postgres()) GTEST_SKIP() << "SQLite's own: the permissions of its files";
    const auto dir = make_temp_dir("secrets");
    const auto var = dir + "/var";
    const auto db = var + "/rencontres.db";
    auto made = run_binary({"admin", "create", "--db", db, "--email", "root@x.fr"},
                           "a long enough password\n");
    ASSERT_EQ(made.exit_code, 0) << made.output;
    child_server server({"--db", db}, {{"RENCONTRES_OUTBOX_POLL_INTERVAL_MS", "50"}});
    const auto port = server.port();
    std::vector<std::string> secrets;

    const auto issued = login(port, "root@x.fr", "a long enough password");
    ASSERT_EQ(issued.status, 200);
    const std::string bearer(issued.json().at("token").as_string());
    secrets.push_back(bearer);
    const auto event = published_event(port, bearer, 10);
    const auto held = register_one(port, event, "camille@x.fr").json();
    const std::string id(held.at("id").as_string());
    const std::string manage(held.at("manage_token").as_string());
    const std::string key(held.at("feed_key").as_string());
    secrets.push_back(manage);
    secrets.push_back(key);
    // The feed key in every spelling a client might use.
    for (const std::string query : {"key=", "%6Bey=", "KEY=", "k%65y=", "x=1&key=", "x=1;key="}) {
        const auto r =
            send_request(port, "GET", "/v1/registrations/" + id + "/calendar.ics?" + query + key);
        EXPECT_NE(r.status, 500) << query;
    }
    EXPECT_EQ(
        send_request(port, "GET", "/v1/registrations/" + id, "", {{"X-Registration-Token", manage}})
            .status,
        200);
    // The participant's page, opened with the manage token, which the log must not keep.
    EXPECT_EQ(send_request(port, "GET", "/inscriptions/" + id + "?t=" + manage).status, 200);

    // A sign-up and its verification token, read from the mail sink as the person would.
    ASSERT_EQ(send_request(port, "POST", "/v1/accounts",
                           R"({"email":"agent@x.fr","password":"0123456789","display_name":"A"})",
                           json_type)
                  .status,
              201);
    std::string token;
    for (int i = 0; i < 100 && token.empty(); ++i) {
        std::smatch m;
        const auto sink = read_file(var + "/outbox.log");
        if (std::regex_search(sink, m, std::regex(R"(verification\?token=([A-Za-z0-9_-]+))")))
            token = m[1];
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_FALSE(token.empty());
    secrets.push_back(token);
    // The link opens a page that asks for a press of the button; the press proves the address.
    const auto shown = send_request(port, "GET", "/verification?token=" + token);
    ASSERT_EQ(shown.status, 200);
    EXPECT_NE(shown.body.find("<input type=\"hidden\" name=\"token\" value=\"" + token + "\">"),
              std::string::npos)
        << shown.body;
    std::smatch csrf;
    ASSERT_TRUE(
        std::regex_search(shown.body, csrf, std::regex(R"re(name="csrf" value="([^"]+)")re")));
    const auto pressed = send_request(port, "POST", "/verification",
                                      "csrf=" + std::string(csrf[1]) + "&token=" + token,
                                      {{"Content-Type", "application/x-www-form-urlencoded"}});
    ASSERT_EQ(pressed.status, 200) << pressed.body;
    EXPECT_NE(pressed.body.find("<h1>Adresse confirmée</h1>"), std::string::npos);
    EXPECT_EQ(send_request(port, "POST", "/v1/accounts/verify", R"({"token":")" + token + R"("})",
                           json_type)
                  .status,
              422)
        << "used once";
    const auto agent = login(port, "agent@x.fr", "0123456789");
    secrets.emplace_back(agent.json().at("token").as_string());

    // An invitation and a password link, each opened from its message: neither token is logged.
    const auto link_in_sink = [&](const std::string& pattern) {
        std::string found;
        for (int i = 0; i < 100 && found.empty(); ++i) {
            std::smatch m;
            const auto sink = read_file(var + "/outbox.log");
            if (std::regex_search(sink, m, std::regex(pattern)))
                found = m[1];
            else
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return found;
    };
    ASSERT_EQ(
        send_request(port, "POST", "/v1/accounts/invitations",
                     R"({"email":"juree@x.fr","display_name":"J","role":"jury"})",
                     {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + bearer}})
            .status,
        201);
    const auto invitation = link_in_sink(R"(invitation\?token=([A-Za-z0-9_-]+))");
    ASSERT_FALSE(invitation.empty());
    secrets.push_back(invitation);
    EXPECT_EQ(send_request(port, "GET", "/invitation?token=" + invitation).status, 200);
    ASSERT_EQ(send_request(port, "POST", "/v1/auth/password-reset", R"({"email":"agent@x.fr"})",
                           json_type)
                  .status,
              202);
    const auto reset = link_in_sink(R"(mot-de-passe\?token=([A-Za-z0-9_-]+))");
    ASSERT_FALSE(reset.empty());
    secrets.push_back(reset);
    EXPECT_EQ(send_request(port, "GET", "/mot-de-passe?token=" + reset).status, 200);

    // Owner-only files, in a folder only the owner may enter.
    EXPECT_EQ(mode_of(var), 0700u);
    for (const auto* file : {"rencontres.db", "rencontres.db-wal", "rencontres.db-shm",
                             "rencontres.key", "outbox.log"})
        EXPECT_EQ(mode_of(var + "/" + file), 0600u) << file;

    server.signal(SIGTERM);
    ASSERT_EQ(server.wait(std::chrono::seconds(10)), 0);
    const auto log = server.output();
    EXPECT_NE(log.find("calendar.ics?key=redacted"), std::string::npos) << log;
    EXPECT_NE(log.find("calendar.ics?%6Bey=redacted"), std::string::npos) << log;
    EXPECT_NE(log.find("client=127.0.0.1"), std::string::npos) << log;
    for (const auto& secret : secrets) {
        ASSERT_GE(secret.size(), 22u);
        EXPECT_EQ(log.find(secret), std::string::npos) << "a secret reached the log: " << secret;
    }
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace rencontres::testing
