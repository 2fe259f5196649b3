#include "support/test_server.hpp"

#include "domain/accounts/repository.hpp"
#include "domain/store.hpp"
#include "server/api/openapi.hpp"
#include "server/transport/logging.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rencontres::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

std::string reply::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (http::iequals(k, name)) return v;
    return {};
}

bool reply::has_header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (http::iequals(k, name)) return true;
    return false;
}

boost::json::value reply::json() const {
    return boost::json::parse(body);
}

reply send_request(unsigned short port, const std::string& method, const std::string& target,
                   const std::string& body, const header_list& headers) {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers)
        req.set(k, v);
    if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
        req.body() = body;
        req.prepare_payload();
    }
    bhttp::write(stream, req);
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (method == "HEAD") parser.skip(true); // headers only, whatever Content-Length says
    bhttp::read(stream, buffer, parser);
    const auto& res = parser.get();
    reply out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res)
        out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    out.body = res.body();
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return out;
}

std::string raw_exchange(unsigned short port, const std::string& bytes,
                         std::chrono::milliseconds timeout) {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    stream.expires_after(timeout);
    beast::error_code ec;
    net::write(stream.socket(), net::buffer(bytes), ec);
    std::string received;
    char chunk[4096];
    for (;;) {
        stream.expires_after(timeout);
        const auto n = stream.read_some(net::buffer(chunk), ec);
        received.append(chunk, n);
        if (ec) break;
    }
    return received;
}

namespace {

const boost::json::value* resolve(const boost::json::value& doc, const boost::json::value* node) {
    while (node && node->is_object()) {
        const auto* ref = node->as_object().if_contains("$ref");
        if (!ref) break;
        const std::string pointer(ref->as_string());
        boost::system::error_code ec;
        node = doc.find_pointer(pointer.substr(1), ec);
    }
    return node;
}

} // namespace

void expect_contract(const http::router& routes, const std::string& method,
                     const std::string& target, const reply& r) {
    if (r.status == 413 || r.status == 431 || r.status == 405) return; // transport level
    http::request probe;
    probe.method = method;
    if (!http::split_target(target, probe.path, probe.query)) return;
    const auto matched = routes.find(method, probe.path);
    if (!matched.found) return;
    const auto& api = http::embedded_api();
    const auto& doc = api.json();
    std::string lower;
    for (const char c : method)
        lower.push_back(static_cast<char>(std::tolower(c)));
    std::string escaped; // a JSON pointer token: '~' is "~0", '/' is "~1"
    for (const char c : matched.found->pattern) {
        if (c == '~')
            escaped += "~0";
        else if (c == '/')
            escaped += "~1";
        else
            escaped += c;
    }
    boost::system::error_code pointer_error;
    const auto* operation = doc.find_pointer("/paths/" + escaped + "/" + lower, pointer_error);
    if (!operation) {
        ADD_FAILURE() << method << " " << matched.found->pattern
                      << " is not in the OpenAPI document";
        return;
    }
    const auto* responses = operation->as_object().if_contains("responses");
    const auto* documented =
        responses ? responses->as_object().if_contains(std::to_string(r.status)) : nullptr;
    documented = documented ? resolve(doc, documented) : nullptr;
    if (!documented) {
        ADD_FAILURE() << method << " " << matched.found->pattern << " answered " << r.status
                      << ", which the OpenAPI document does not list. Body: " << r.body;
        return;
    }
    const auto* content = documented->as_object().if_contains("content");
    if (!content || r.body.empty()) {
        if (content && r.status != 304 && r.status != 204)
            ADD_FAILURE() << method << " " << target << " answered an empty body for " << r.status;
        return;
    }
    auto media = r.header("Content-Type");
    media = media.substr(0, media.find(';'));
    const auto* entry = content->as_object().if_contains(media);
    if (!entry) {
        ADD_FAILURE() << method << " " << target << " answered " << media
                      << ", not a media type the document lists for " << r.status;
        return;
    }
    if (media.find("json") == std::string::npos) return;
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(r.body, ec);
    if (ec) {
        ADD_FAILURE() << method << " " << target << " answered invalid JSON: " << r.body;
        return;
    }
    const auto* schema = entry->as_object().if_contains("schema");
    if (!schema) return;
    for (const auto& e : api.validate_node(*schema, parsed))
        ADD_FAILURE() << method << " " << target << " " << r.status
                      << ": body breaks its schema at '" << e.field << "' (" << e.message
                      << "): " << r.body;
}

std::string make_temp_dir(const std::string& tag) {
    static std::atomic<int> counter{0};
    const auto dir =
        std::filesystem::temp_directory_path() /
        ("rencontres-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

header_list bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
}

std::string login(unsigned short port) {
    const auto r = send_request(port, "POST", "/v1/auth/token",
                                R"({"email":"admin@x.fr","password":"admin password 1"})",
                                {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 200) << r.body;
    return std::string(r.json().at("token").as_string());
}

sse_client::sse_client(unsigned short port, const std::string& target, const header_list& headers,
                       int receive_buffer) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (receive_buffer > 0)
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        throw std::runtime_error("cannot connect");
    std::string request =
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    for (const auto& [name, v] : headers)
        request += name + ": " + v + "\r\n";
    request += "\r\n";
    if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size()))
        throw std::runtime_error("cannot send");
}

sse_client::~sse_client() {
    ::close(fd_);
}

bool sse_client::wait_for(std::string_view text, std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (received.find(text) == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        char buffer[8192];
        const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n <= 0) {
            closed = true;
            return received.find(text) != std::string::npos;
        }
        received.append(buffer, static_cast<std::size_t>(n));
    }
    return true;
}

bool is_page_route(std::string_view pattern) {
    for (const std::string_view prefix :
         {"/evenements/", "/inscriptions/", "/intervenants/", "/palmares", "/static/", "/connexion",
          "/deconnexion", "/gestion", "/label", "/admin", "/invitation", "/mot-de-passe",
          "/rapports.atom"})
        if (pattern.substr(0, prefix.size()) == prefix) return true;
    return pattern == "/";
}

std::string siren(int n) {
    const auto stem = std::to_string(30'000'000 + n);
    for (char check = '0'; check <= '9'; ++check) {
        const auto candidate = stem + check;
        int sum = 0;
        for (std::size_t i = 0; i < candidate.size(); ++i) {
            int d = candidate[candidate.size() - 1 - i] - '0';
            if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        if (sum % 10 == 0) return candidate;
    }
    return {};
}

std::string published_event(unsigned short port, const std::string& token, int capacity) {
    using boost::json::object;
    const header_list auth{{"Authorization", "Bearer " + token},
                           {"Content-Type", "application/json"}};
    auto r = send_request(port, "POST", "/v1/events",
                          boost::json::serialize(object{{"title", "Assemblée générale"},
                                                        {"starts_at", "2031-06-11T09:00:00+02:00"},
                                                        {"ends_at", "2031-06-11T17:00:00+02:00"},
                                                        {"venue", object{{"city", "Limoges"}}},
                                                        {"capacity", capacity}}),
                          auth);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id(r.json().at("id").as_string());
    EXPECT_EQ(send_request(port, "POST", "/v1/events/" + id + "/publish", "", auth).status, 200);
    return id;
}

std::string tiers_lieux_workshop(unsigned short port, const std::string& token,
                                 const std::string& event, int capacity) {
    const auto r = send_request(
        port, "POST", "/v1/events/" + event + "/sessions",
        boost::json::serialize(boost::json::object{{"title", "Tiers-lieux"},
                                                   {"kind", "workshop"},
                                                   {"capacity", capacity},
                                                   {"room", "Salle B"},
                                                   {"starts_at", "2031-06-11T14:00:00+02:00"},
                                                   {"ends_at", "2031-06-11T15:00:00+02:00"}}),
        bearer(token));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json().at("id").as_string());
}

reply register_one(unsigned short port, const std::string& event, const std::string& email) {
    return send_request(
        port, "POST", "/v1/events/" + event + "/registrations",
        boost::json::serialize(boost::json::object{
            {"full_name", "Participant " + email}, {"email", email}, {"consent", true}}),
        {{"Content-Type", "application/json"}});
}

std::vector<int> one_to(int n) {
    std::vector<int> v;
    for (int i = 1; i <= n; ++i)
        v.push_back(i);
    return v;
}

seat_state read_state(unsigned short port, const std::string& event, const std::string& token) {
    seat_state s;
    std::string cursor;
    for (;;) {
        const auto r = send_request(port, "GET",
                                    "/v1/events/" + event + "/registrations?limit=200" +
                                        (cursor.empty() ? "" : "&cursor=" + cursor),
                                    "", {{"Authorization", "Bearer " + token}});
        EXPECT_EQ(r.status, 200) << r.body;
        const auto page = r.json();
        for (const auto& item : page.at("items").as_array()) {
            const std::string id(item.at("id").as_string());
            s.emails.insert(std::string(item.at("email").as_string()));
            if (item.at("status") == "confirmed") {
                ++s.confirmed;
                s.confirmed_ids.insert(id);
            }
            if (item.at("status") == "waitlisted") {
                const auto position = static_cast<int>(item.at("waitlist_position").as_int64());
                s.positions.push_back(position);
                s.position_of[id] = position;
            }
        }
        if (page.at("next_cursor").is_null()) break;
        cursor = std::string(page.at("next_cursor").as_string());
    }
    std::sort(s.positions.begin(), s.positions.end());
    return s;
}

void expect_too_many_connections(unsigned short port) {
    // The server counts a connection once it has accepted it: under load the last held ones may
    // still be in its backlog for a moment, so a success is asked again, for up to 5 s.
    auto refused = send_request(port, "GET", "/healthz");
    for (int i = 0; i < 50 && refused.status == 200; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        refused = send_request(port, "GET", "/healthz");
    }
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(refused.header("Retry-After"), "1");
    EXPECT_EQ(refused.json().at("detail"),
              "The server has too many open connections; try again shortly.");
}

std::array<std::string, 6> caller_tokens(test_server& server) {
    return {"",
            server.token_for(role::participant, "p@x.fr"),
            server.token_for(role::organizer, "owner@x.fr"),
            server.token_for(role::organizer, "other@x.fr"),
            server.token_for(role::jury, "jury@x.fr"),
            server.token_for(role::admin, "admin@x.fr")};
}

config scratch_config(const std::string& dir, const scratch_database& database) {
    security::initialize();
    config c;
    c.database.path = database.location();
    c.security.key_file = dir + "/rencontres.key";
    c.outbox.sink_path = dir + "/outbox.log";
    c.log.level = "warn";
    return c;
}

test_server::test_server(const std::function<void(config&)>& tweak,
                         const std::function<void(http::server_settings&)>& tune)
    : dir_(make_temp_dir("http")) {
    database_ = std::make_unique<testing::scratch_database>(dir_ + "/test.db");
    auto c = scratch_config(dir_, *database_);
    c.server.listen = "127.0.0.1:0";
    c.server.threads = 2;
    c.database.workers = 2;
    c.outbox.poll_interval_ms = 50;
    // The suites register many people from one address; the throttle's own tests turn it on.
    c.registrations.max_per_client = 0;
    if (tweak) tweak(c);
    validate(c);
    http::configure_logging(c.log.format, c.log.level);
    app_ = std::make_unique<application>(c);
    auto settings = app_->server_settings();
    settings.handle_signals = false;
    if (tune) tune(settings);
    server_ = std::make_unique<http::server>(settings, app_->scheduler());
    port_ = server_->port();
    app_->start_delivery();
    runner_ = std::thread([this] { server_->run(); });
}

test_server::~test_server() {
    server_->stop();
    runner_.join();
    app_->stop_delivery();
    server_.reset();
    app_.reset();
    database_.reset();
    std::filesystem::remove_all(dir_);
}

reply test_server::call(const std::string& method, const std::string& target,
                        const std::optional<boost::json::value>& body, const std::string& token,
                        const header_list& extra) {
    header_list headers = extra;
    std::string text;
    if (body) {
        text = boost::json::serialize(*body);
        headers.emplace_back("Content-Type", "application/json");
    }
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    auto r = send_request(port_, method, target, text, headers);
    expect_contract(app_->dispatcher().routes(), method, target, r);
    return r;
}

std::string forum_with_workshop(test_server& server, const std::string& token, int capacity,
                                std::string& workshop) {
    using boost::json::object;
    auto r = server.call("POST", "/v1/events",
                         object{{"title", "Forum des tiers-lieux"},
                                {"starts_at", "2031-06-11T09:00:00+02:00"},
                                {"ends_at", "2031-06-11T17:00:00+02:00"},
                                {"venue", object{{"city", "Guéret"}}},
                                {"capacity", capacity}},
                         token);
    if (r.status != 201) throw std::runtime_error("event not created: " + r.body);
    const std::string id(r.json().at("id").as_string());
    r = server.call("POST", "/v1/events/" + id + "/sessions",
                    object{{"title", "Atelier"},
                           {"kind", "workshop"},
                           {"capacity", 1},
                           {"starts_at", "2031-06-11T14:00:00+02:00"},
                           {"ends_at", "2031-06-11T15:00:00+02:00"}},
                    token);
    workshop = std::string(r.json().at("id").as_string());
    if (server.call("POST", "/v1/events/" + id + "/publish", std::nullopt, token).status != 200)
        throw std::runtime_error("event not published");
    return id;
}

std::string test_server::token_for(role r, const std::string& email) {
    const auto now = system_clock{}.now();
    // As the operator makes accounts on the command line: verified, then given the role.
    auto created = app_->accounts().create_admin({email, "correct horse battery", email}, now);
    EXPECT_TRUE(created) << email;
    {
        auto uow = app_->store().begin(access::write);
        auto found = uow->accounts().find(created->id);
        found->role = r;
        uow->accounts().update(*found);
        uow->commit();
    }
    auto issued = app_->accounts().issue_token({email, "correct horse battery", "test"}, now);
    EXPECT_TRUE(issued);
    return issued->token;
}

id_t test_server::account_id(const std::string& email) {
    auto uow = app_->store().begin(access::read);
    return uow->accounts().find_by_email(email)->id;
}

std::pair<std::string, std::string> test_server::sign_up(const std::string& email) {
    constexpr const char* password = "correct horse battery";
    const auto created =
        call("POST", "/v1/accounts",
             boost::json::object{
                 {"email", email}, {"password", password}, {"display_name", "Quelqu'un"}});
    EXPECT_EQ(created.status, 201) << created.body;
    const auto issued = call("POST", "/v1/auth/token",
                             boost::json::object{{"email", email}, {"password", password}});
    EXPECT_EQ(issued.status, 200) << issued.body;
    return {std::string(created.json().at("id").as_string()),
            std::string(issued.json().at("token").as_string())};
}

int test_server::add_organizer(const std::string& token, const std::string& event,
                               const std::string& email) {
    return call("PUT", "/v1/events/" + event + "/organizers/" + std::to_string(account_id(email)),
                std::nullopt, token)
        .status;
}

void test_server::set_role(const std::string& admin_token, const std::string& email,
                           const char* role_name) {
    const auto r = call("PATCH", "/v1/accounts/" + std::to_string(account_id(email)),
                        boost::json::object{{"role", role_name}}, admin_token);
    EXPECT_EQ(r.status, 200) << r.body;
}

std::vector<boost::json::object> test_server::mailbox() const {
    std::ifstream log(dir_ + "/outbox.log");
    std::vector<boost::json::object> out;
    for (std::string line; std::getline(log, line);)
        out.push_back(boost::json::parse(line).as_object());
    return out;
}

std::string test_server::mailed_message(id_t id, std::string_view field) {
    for (int i = 0; i < 400; ++i) {
        for (const auto& m : mailbox())
            if (m.at("id").as_string() == id_text(id)) {
                if (const auto* f = m.if_contains(field)) return std::string(f->as_string());
                ADD_FAILURE() << "message " << id << " has no " << field;
                return {};
            }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ADD_FAILURE() << "message " << id << " was not delivered";
    return {};
}

std::string test_server::mailed(const std::string& recipient, std::string_view kind,
                                std::string_view field, std::size_t skip) {
    for (int i = 0; i < 400; ++i) {
        std::size_t seen = 0;
        const auto messages = mailbox();
        for (auto it = messages.rbegin(); it != messages.rend(); ++it)
            if (it->at("recipient").as_string() == recipient &&
                it->at("kind").as_string() == kind && seen++ == skip) {
                if (const auto* f = it->if_contains(field)) return std::string(f->as_string());
                ADD_FAILURE() << "the " << kind << " message to " << recipient << " has no "
                              << field;
                return {};
            }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ADD_FAILURE() << "no " << kind << " message was delivered to " << recipient;
    return {};
}

} // namespace rencontres::testing
