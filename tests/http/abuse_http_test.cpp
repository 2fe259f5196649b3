// Hostile clients: thousands of idle connections, and strings that look like SQL or script.
// (The other abuse tests, on limits, nesting, invalid UTF-8, garbage and slow clients, are with
// the transport in server_http_test.cpp.)
#include "support/test_server.hpp"

#include <atomic>
#include <boost/asio.hpp>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <thread>

namespace rencontres::testing {
namespace {

using boost::json::object;
namespace net = boost::asio;

// Both ends of every connection live in this process: raise the soft limit on open files.
bool allow_open_files(rlim_t wanted) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
    if (limit.rlim_cur >= wanted) return true;
    if (limit.rlim_max < wanted) return false;
    limit.rlim_cur = wanted;
    return ::setrlimit(RLIMIT_NOFILE, &limit) == 0;
}

TEST(abuse, two_thousand_idle_connections_do_not_stop_new_requests) {
    constexpr int idle = 2'000;
    constexpr int limit = idle + 10;
    if (!allow_open_files(2 * limit + 256))
        GTEST_SKIP() << "the open-file limit is too low for " << idle << " connections";
    test_server server([](config& c) { c.server.max_connections = limit; });
    net::io_context ioc;
    std::vector<net::ip::tcp::socket> held;
    held.reserve(limit);
    for (int i = 0; i < idle; ++i) {
        held.emplace_back(ioc);
        held.back().connect({net::ip::make_address("127.0.0.1"), server.port()});
    }
    // A few idle ones have sent half a request, which is no different.
    for (int i = 0; i < 10; ++i)
        net::write(held[static_cast<std::size_t>(i)], net::buffer(std::string("GET /v1/ev")));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));

    for (int i = 0; i < 5; ++i) {
        const auto r = server.call("GET", "/healthz");
        EXPECT_EQ(r.status, 200);
    }
    EXPECT_EQ(server.call("GET", "/v1/events").status, 200);

    // Up to the limit, then a clear refusal instead of a hang.
    for (int i = idle; i < limit; ++i) {
        held.emplace_back(ioc);
        held.back().connect({net::ip::make_address("127.0.0.1"), server.port()});
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    expect_too_many_connections(server.port());

    held.clear();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(server.call("GET", "/healthz").status, 200);
}

TEST(abuse, sql_and_script_looking_strings_are_stored_and_returned_verbatim) {
    test_server server;
    const auto admin = server.token_for(role::admin, "admin@x.fr");
    const std::string sql_name = "Robert'); DROP TABLE speakers;-- \" OR 1=1 /*";
    const std::string script_bio = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    const std::string like_org = "100% _solidaire_ \\ %' OR '1'='1";
    auto r = server.call(
        "POST", "/v1/speakers",
        object{{"full_name", sql_name}, {"bio", script_bio}, {"organization", like_org}}, admin);
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string id(r.json().at("id").as_string());
    r = server.call("GET", "/v1/speakers/" + id);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("full_name").as_string(), sql_name);
    EXPECT_EQ(r.json().at("bio").as_string(), script_bio);
    EXPECT_EQ(r.json().at("organization").as_string(), like_org);
    EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");

    // The table is still there, and search treats these strings as text, not as syntax.
    r = server.call("POST", "/v1/speakers", object{{"full_name", "Jeanne Martin"}}, admin);
    ASSERT_EQ(r.status, 201);
    r = server.call("GET", "/v1/speakers?q=zz%27%20OR%20%27a%27%3D%27a");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("items").as_array().size(), 0u);
    r = server.call("GET", "/v1/speakers?q=" + std::string("Robert%27)%3B%20DROP"));
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.json().at("items").as_array().size(), 1u);
    EXPECT_EQ(r.json().at("items").at(0).at("full_name").as_string(), sql_name);

    r = server.call("POST", "/v1/events",
                    object{{"title", sql_name},
                           {"summary", script_bio},
                           {"starts_at", "2031-06-11T09:00:00+02:00"},
                           {"ends_at", "2031-06-11T17:00:00+02:00"},
                           {"venue", object{{"city", "Guéret"}}}},
                    admin);
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string event(r.json().at("id").as_string());
    EXPECT_EQ(r.json().at("title").as_string(), sql_name);
    ASSERT_EQ(server.call("POST", "/v1/events/" + event + "/publish", std::nullopt, admin).status,
              200);
    // Full-text search syntax in q is only text: quotes, operators, prefixes, NEAR.
    for (const std::string q :
         {"%22DROP%22", "DROP%20OR%20*", "NEAR(a%20b)", "%22", "-", "*", "title%3Aalert", "%27",
          "AND%20OR%20NOT", "DROP%00TABLE", "%01%1F"}) {
        r = server.call("GET", "/v1/events?q=" + q);
        EXPECT_EQ(r.status, 200) << q << ": " << r.body;
    }
    // A NUL in a search is a separator; in an id or a path it is refused.
    const std::vector<std::pair<std::string, int>> nul_bytes{{"/v1/speakers?q=a%00b", 200},
                                                             {"/v1/territories?q=a%00b", 200},
                                                             {"/v1/events?territory=1%00", 400},
                                                             {"/v1/speakers/1%00", 400}};
    for (const auto& [target, status] : nul_bytes) {
        const auto answer = send_request(server.port(), "GET", target);
        EXPECT_EQ(answer.status, status) << target << ": " << answer.body;
    }
    r = server.call("GET", "/v1/events?q=DROP%20TABLE");
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.json().at("items").as_array().size(), 1u);
    EXPECT_EQ(r.json().at("items").at(0).at("summary").as_string(), script_bio);
    r = server.call("GET", "/v1/events/" + event + "/agenda");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("event").at("summary").as_string(), script_bio);
}

TEST(abuse, a_body_that_stops_coming_is_cut_off_at_the_read_timeout) {
    test_server server([](config& c) { c.limits.read_timeout_ms = 800; });
    net::io_context ioc;
    net::ip::tcp::socket stalled(ioc);
    stalled.connect({net::ip::make_address("127.0.0.1"), server.port()});
    net::write(stalled, net::buffer(std::string("POST /v1/accounts HTTP/1.1\r\nHost: x\r\n"
                                                "Content-Type: application/json\r\n"
                                                "Content-Length: 100\r\n\r\n{\"email\":")));
    const auto started = std::chrono::steady_clock::now();
    boost::system::error_code ec;
    std::string answer(256, '\0');
    const auto n = stalled.read_some(net::buffer(answer), ec); // blocks until the server acts
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(n, 0u) << answer.substr(0, n);
    EXPECT_TRUE(ec == net::error::eof || ec == net::error::connection_reset) << ec.message();
    EXPECT_GE(took, std::chrono::milliseconds(700));
    EXPECT_LT(took, std::chrono::milliseconds(3'000));
    EXPECT_EQ(server.call("GET", "/healthz").status, 200);
}

TEST(abuse, a_burst_of_sign_ins_beyond_the_hashing_queue_is_503_not_a_pile_up) {
    test_server server([](config& c) {
        c.auth.hash_workers = 1;
        c.auth.hash_queue_max = 2;
        c.auth.login_max_failures_per_client = 1'000;
        c.auth.login_max_failures_per_email = 1'000;
    });
    std::atomic<int> busy{0}, refused{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 16; ++i)
        clients.emplace_back([&, i] {
            const auto r = send_request(server.port(), "POST", "/v1/auth/token",
                                        R"({"email":"nobody)" + std::to_string(i) +
                                            R"(@x.fr","password":"wrong password 1"})",
                                        {{"Content-Type", "application/json"}});
            if (r.status == 503 && r.header("Retry-After") == "1") ++busy;
            if (r.status == 401) ++refused;
        });
    for (auto& t : clients)
        t.join();
    EXPECT_EQ(busy + refused, 16);
    EXPECT_GT(busy.load(), 0) << "16 sign-ins at once should overflow a queue of 2";
    EXPECT_GT(refused.load(), 0);
}

} // namespace
} // namespace rencontres::testing
