// Transport behaviour: operations endpoints, routing errors, limits, timeouts, request ids.
#include "server/api/openapi.hpp"
#include "support/test_server.hpp"

#include <boost/asio.hpp>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <thread>

namespace rencontres::testing {
namespace {

TEST(server_http, health_readiness_metrics_and_openapi) {
    test_server server;
    auto r = server.call("GET", "/healthz");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"ok"})");
    r = server.call("GET", "/readyz");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"ready"})");

    r = server.call("GET", "/openapi.json");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("openapi"), "3.1.0");
    EXPECT_TRUE(r.json().at("paths").as_object().contains("/v1/territories/{id}"));

    server.call("GET", "/v1/territories/42");
    // A request is counted once its response is written, which the client may see first.
    for (int i = 0; i < 100; ++i) {
        r = server.call("GET", "/metrics");
        if (r.body.find(R"(route="/v1/territories/{id}",method="GET",status="404"} 1)") !=
            std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(
        r.body.find(
            R"(rencontres_http_requests_total{route="/v1/territories/{id}",method="GET",status="404"} 1)"),
        std::string::npos)
        << r.body;
    EXPECT_NE(
        r.body.find(
            R"(rencontres_http_request_duration_seconds_count{route="/healthz",method="GET"} 1)"),
        std::string::npos);
    EXPECT_NE(
        r.body.find(
            R"(rencontres_http_request_duration_seconds_bucket{route="/healthz",method="GET",le="+Inf"} 1)"),
        std::string::npos);
}

TEST(server_http, unknown_paths_are_404_and_wrong_methods_405_with_allow) {
    test_server server;
    auto r = server.call("GET", "/v1/nothing-here");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
    EXPECT_EQ(r.json().at("title"), "Not Found");
    r = server.call("DELETE", "/v1/territories");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.header("Allow"), "GET, HEAD, POST");
    r = server.call("PUT", "/v1/accounts/12");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.header("Allow"), "GET, HEAD, PATCH");
}

TEST(server_http, a_request_id_is_returned_generated_or_echoed) {
    test_server server;
    auto r = server.call("GET", "/healthz", std::nullopt, {}, {{"X-Request-Id", "abc-123"}});
    EXPECT_EQ(r.header("X-Request-Id"), "abc-123");
    r = server.call("GET", "/healthz", std::nullopt, {}, {{"X-Request-Id", "bad id\"<script>"}});
    EXPECT_EQ(r.header("X-Request-Id").size(), 16u);
    EXPECT_NE(r.header("X-Request-Id"), server.call("GET", "/healthz").header("X-Request-Id"));
}

TEST(server_http, a_body_over_the_limit_is_413_before_it_is_read) {
    test_server server;
    const auto reply =
        raw_exchange(server.port(), "POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                    "application/json\r\nContent-Length: 2000000000\r\n\r\n{");
    EXPECT_EQ(reply.rfind("HTTP/1.1 413 ", 0), 0u) << reply;
    EXPECT_NE(reply.find("application/problem+json"), std::string::npos);

    const std::string big(1024 * 1024 + 1, 'a');
    const auto r = send_request(server.port(), "POST", "/v1/accounts", big,
                                {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 413);
}

TEST(server_http, headers_over_the_limit_are_431) {
    test_server server;
    std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 10'000; ++i)
        request += "X-H" + std::to_string(i) + ": v\r\n";
    request += "\r\n";
    const auto reply = raw_exchange(server.port(), request);
    EXPECT_EQ(reply.rfind("HTTP/1.1 431 ", 0), 0u) << reply.substr(0, 200);
}

TEST(server_http, deeply_nested_json_is_400_not_a_crash) {
    test_server server;
    const std::string nested = std::string(10'000, '[') + std::string(10'000, ']');
    auto r = send_request(server.port(), "POST", "/v1/accounts", nested,
                          {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 400);
    const std::string objects =
        "{\"email\":" + std::string(5'000, '[') + std::string(5'000, ']') + "}";
    r = send_request(server.port(), "POST", "/v1/accounts", objects,
                     {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(server.call("GET", "/healthz").status, 200);
}

TEST(server_http, garbage_instead_of_http_is_400_and_closed) {
    test_server server;
    const auto reply = raw_exchange(server.port(), "HELLO THERE\r\n\r\n");
    EXPECT_EQ(reply.rfind("HTTP/1.1 400 ", 0), 0u) << reply;
}

TEST(server_http, keep_alive_serves_several_requests_on_one_connection) {
    test_server server;
    const auto reply = raw_exchange(
        server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    std::size_t count = 0;
    for (auto pos = reply.find("HTTP/1.1 200 OK"); pos != std::string::npos;
         pos = reply.find("HTTP/1.1 200 OK", pos + 1))
        ++count;
    EXPECT_EQ(count, 2u) << reply;
}

// A cached representation goes out without Beast's serializer (write_head in server.cpp): the
// same status line and headers as any other response, on HTTP/1.1 and HTTP/1.0 alike.
TEST(server_http, a_cached_representation_carries_the_headers_of_any_response) {
    test_server server;
    const auto owner = server.token_for(role::organizer, "owner@x.fr");
    std::string workshop;
    const auto event = forum_with_workshop(server, owner, 10, workshop);
    const auto target = "/v1/events/" + event + "/agenda";
    const auto fresh = server.call("GET", target);
    ASSERT_EQ(fresh.status, 200);
    const auto head_of = [](const std::string& reply) {
        return reply.substr(0, reply.find("\r\n\r\n") + 4);
    };
    const auto has = [](const std::string& head, const std::string& line) {
        return head.find("\r\n" + line + "\r\n") != std::string::npos;
    };
    const auto length = "Content-Length: " + std::to_string(fresh.body.size());

    // Two on one HTTP/1.1 connection, the second asking to close.
    const auto two = raw_exchange(server.port(),
                                  "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n" + "GET " +
                                      target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const auto second_at = two.find("HTTP/1.1 200 OK\r\n", 1);
    ASSERT_NE(second_at, std::string::npos) << two;
    const auto first = head_of(two);
    const auto second = head_of(two.substr(second_at));
    for (const auto& head : {first, second}) {
        EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
        EXPECT_TRUE(has(head, length)) << head;
        EXPECT_TRUE(has(head, "Content-Type: " + fresh.header("Content-Type"))) << head;
        EXPECT_TRUE(has(head, "ETag: " + fresh.header("ETag"))) << head;
        EXPECT_TRUE(has(head, "Cache-Control: " + fresh.header("Cache-Control"))) << head;
        EXPECT_TRUE(has(head, "Server: rencontres")) << head;
        EXPECT_NE(head.find("\r\nDate: "), std::string::npos) << head;
        EXPECT_NE(head.find("\r\nX-Request-Id: "), std::string::npos) << head;
    }
    EXPECT_EQ(first.find("Connection:"), std::string::npos) << first;
    EXPECT_TRUE(has(second, "Connection: close")) << second;
    EXPECT_EQ(two.substr(second_at + second.size()), fresh.body);

    // HTTP/1.0 asking to keep the connection is told so; without asking, it is closed.
    const auto kept =
        raw_exchange(server.port(), "GET " + target + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                     std::chrono::milliseconds{500});
    EXPECT_EQ(kept.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << kept;
    EXPECT_TRUE(has(head_of(kept), "Connection: keep-alive")) << kept;
    const auto closed = raw_exchange(server.port(), "GET " + target + " HTTP/1.0\r\n\r\n");
    EXPECT_EQ(closed.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << closed;
    EXPECT_EQ(head_of(closed).find("Connection:"), std::string::npos) << closed;
    EXPECT_EQ(closed.substr(head_of(closed).size()), fresh.body);
}

TEST(server_http, a_slow_client_is_cut_off_while_others_are_served) {
    // A byte a second never completes the request header within the timeout: the connection is
    // closed when the timeout expires, however steadily the bytes come.
    test_server server([](config& c) { c.limits.idle_timeout_ms = 1'500; });
    namespace net = boost::asio;
    net::io_context ioc;
    net::ip::tcp::socket slow(ioc);
    slow.connect({net::ip::make_address("127.0.0.1"), server.port()});
    net::write(slow, net::buffer(std::string("GET /healthz HTTP/1.1\r\n")));
    slow.non_blocking(true);
    const auto started = std::chrono::steady_clock::now();
    bool closed = false;
    for (int tick = 1; tick <= 50 && !closed; ++tick) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        // Another client is served meanwhile.
        ASSERT_EQ(server.call("GET", "/healthz").status, 200);
        boost::system::error_code ec;
        if (tick % 10 == 0) net::write(slow, net::buffer(std::string("X")), ec); // 1 byte/s
        char byte;
        slow.read_some(net::buffer(&byte, 1), ec);
        closed = ec == net::error::eof || ec == net::error::connection_reset ||
                 ec == net::error::broken_pipe;
    }
    EXPECT_TRUE(closed);
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_GE(took, std::chrono::milliseconds(1'400));
    EXPECT_LT(took, std::chrono::milliseconds(2'600));
}

TEST(server_http, connections_over_the_limit_get_a_clear_503) {
    test_server server([](config& c) { c.server.max_connections = 3; });
    namespace net = boost::asio;
    net::io_context ioc;
    std::vector<net::ip::tcp::socket> held;
    for (int i = 0; i < 3; ++i) {
        held.emplace_back(ioc);
        held.back().connect({net::ip::make_address("127.0.0.1"), server.port()});
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    expect_too_many_connections(server.port());
    held.clear();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(send_request(server.port(), "GET", "/healthz").status, 200);
}

// Generated clients (openapi-generator, openapi-typescript) need a name and the way to
// authenticate for every operation.
TEST(server_http, every_operation_has_an_operation_id_and_a_security_requirement) {
    const auto& doc = http::embedded_api().json();
    const auto& schemes = doc.at("components").at("securitySchemes").as_object();
    for (const char* name : {"bearer", "registrationToken", "feedKey", "metricsToken"})
        EXPECT_TRUE(schemes.contains(name)) << name;
    std::set<std::string> ids;
    std::size_t operations = 0;
    std::map<std::string, std::size_t> by_scheme;
    for (const auto& [path, item] : doc.at("paths").as_object())
        for (const auto& [method, operation] : item.as_object()) {
            if (method == "parameters") continue;
            ++operations;
            const auto where = std::string(method) + " " + std::string(path);
            const auto& o = operation.as_object();
            const auto* id = o.if_contains("operationId");
            ASSERT_TRUE(id && id->is_string() && !id->as_string().empty()) << where;
            EXPECT_TRUE(ids.insert(std::string(id->as_string())).second)
                << where << ": operationId " << id->as_string() << " is used twice";
            const auto* security = o.if_contains("security");
            ASSERT_TRUE(security && security->is_array()) << where << " has no security";
            for (const auto& requirement : security->as_array())
                for (const auto& [scheme, scopes] : requirement.as_object()) {
                    EXPECT_TRUE(schemes.contains(scheme)) << where << ": unknown " << scheme;
                    ++by_scheme[std::string(scheme)];
                }
        }
    EXPECT_EQ(ids.size(), operations);
    EXPECT_GE(operations, 60u);
    // Each way of authenticating is used where the contract says.
    // read, change and cancel one's registration, and its certificate
    EXPECT_EQ(by_scheme["registrationToken"], 4u);
    EXPECT_EQ(by_scheme["feedKey"], 1u); // the personal calendar feed
    EXPECT_EQ(by_scheme["metricsToken"], 1u);
    EXPECT_GE(by_scheme["bearer"], 40u);
}

TEST(server_http, every_route_is_in_the_openapi_document) {
    test_server server;
    const auto& paths = http::embedded_api().json().at("paths").as_object();
    std::size_t count = 0;
    for (const auto& route : server.app().dispatcher().routes().routes()) {
        if (is_page_route(route.pattern)) continue; // HTML, listed in API.md §11
        std::string method;
        for (const char c : route.method)
            method.push_back(static_cast<char>(std::tolower(c)));
        const auto* path = paths.if_contains(route.pattern);
        ASSERT_TRUE(path) << route.pattern << " is missing from schemas/openapi.yaml";
        const auto* operation = path->as_object().if_contains(method);
        ASSERT_TRUE(operation) << route.method << " " << route.pattern << " is missing";
        EXPECT_TRUE(operation->as_object().contains("responses"));
        ++count;
    }
    EXPECT_GE(count, 16u);
    // And the document names no route that does not exist.
    for (const auto& [path, item] : paths)
        for (const auto& [method, operation] : item.as_object()) {
            if (method == "parameters") continue;
            std::string upper;
            for (const char c : method)
                upper.push_back(static_cast<char>(std::toupper(c)));
            bool found = false;
            for (const auto& route : server.app().dispatcher().routes().routes())
                found = found || (route.pattern == path && route.method == upper);
            EXPECT_TRUE(found) << upper << " " << std::string(path)
                               << " is documented but not routed";
        }
}

} // namespace
} // namespace rencontres::testing
