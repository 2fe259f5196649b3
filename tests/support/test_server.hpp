// Runs the real server (application + Beast listener) on 127.0.0.1:0 with a database in a fresh
// temporary folder, and a Beast client that checks every response against schemas/openapi.yaml.
#pragma once

#include "server/app/application.hpp"
#include "support/test_database.hpp"

#include <array>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace rencontres::testing {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct reply {
    int status = 0;
    header_list headers;
    std::string body;

    std::string header(std::string_view name) const;
    bool has_header(std::string_view name) const;
    boost::json::value json() const;
};

// One request on a fresh connection.
reply send_request(unsigned short port, const std::string& method, const std::string& target,
                   const std::string& body = {}, const header_list& headers = {});

// Writes raw bytes and reads until the server closes or `timeout` passes.
std::string raw_exchange(unsigned short port, const std::string& bytes,
                         std::chrono::milliseconds timeout = std::chrono::seconds{5});

// Checks a reply against the operation of the OpenAPI document that the router matched:
// the status must be documented and a JSON body must validate against its schema.
void expect_contract(const http::router& routes, const std::string& method,
                     const std::string& target, const reply& r);

std::string make_temp_dir(const std::string& tag);

// A configuration on `database` whose files (key, outbox log) are in `dir`, logging warnings.
config scratch_config(const std::string& dir, const scratch_database& database);

// The bearer token and JSON type of a call as `token`'s holder.
header_list bearer(const std::string& token);
// A token for admin@x.fr (see create_admin), on the server at `port`.
std::string login(unsigned short port);

// A published event of the given capacity, created by the holder of `token`; its id.
std::string published_event(unsigned short port, const std::string& token, int capacity);
// A workshop of `capacity` seats in that event ("Tiers-lieux", Salle B, 11 June 2031 from 14 h to
// 15 h); its id.
std::string tiers_lieux_workshop(unsigned short port, const std::string& token,
                                 const std::string& event, int capacity = 1);

// A SIREN (9 digits passing the Luhn check) for each n.
std::string siren(int n);
// A registration with consent for `email`, on a fresh connection and without an account.
reply register_one(unsigned short port, const std::string& event, const std::string& email);

// Runs `work(i)` for i in [0, count) on `threads` threads at once.
template <class F> void in_parallel(int threads, int count, F work) {
    std::atomic<int> next{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            for (int i = next++; i < count; i = next++)
                work(i);
        });
    for (auto& t : pool)
        t.join();
}

// 1, 2, …, n.
std::vector<int> one_to(int n);

// The registrations of an event as its organizer reads them, every page.
struct seat_state {
    int confirmed = 0;
    std::vector<int> positions; // of the waitlisted, sorted
    std::set<std::string> confirmed_ids;
    std::map<std::string, int> position_of;
    std::set<std::string> emails;
};
seat_state read_state(unsigned short port, const std::string& event, const std::string& token);

// Whether a route is a page of the public site (HTML, API.md §11), outside the JSON API's
// OpenAPI document.
bool is_page_route(std::string_view pattern);

// A server at its connection limit refuses a new request at once, with a clear 503.
void expect_too_many_connections(unsigned short port);

// The six kinds of caller authorization is tested with, and a token for each ("" for anonymous;
// p@x.fr, owner@x.fr, other@x.fr, jury@x.fr and admin@x.fr for the others).
enum caller { anonymous, participant, owner, other_organizer, juror, admin };
inline constexpr const char* caller_names[] = {
    "anonymous", "participant", "organizer (owner)", "organizer (not owner)", "jury", "admin"};
// A client of a stream of Server-Sent Events on a connection of its own.
class sse_client {
public:
    // `receive_buffer`, when set, is the socket's receive buffer in bytes: a phone that reads
    // slowly.
    sse_client(unsigned short port, const std::string& target, const header_list& headers = {},
               int receive_buffer = 0);
    ~sse_client();
    sse_client(const sse_client&) = delete;
    sse_client& operator=(const sse_client&) = delete;
    // Reads until `text` has come (true) or `within` has passed (false).
    bool wait_for(std::string_view text,
                  std::chrono::milliseconds within = std::chrono::seconds{5});
    std::string received;
    bool closed = false; // the server ended the stream (a listener then reconnects and resumes)

private:
    int fd_ = -1;
};

class test_server;
std::array<std::string, 6> caller_tokens(test_server& server);

class test_server {
public:
    // `tweak` changes the configuration; `tune` the server's settings that have no configuration
    // (a heartbeat's period, how much a stream may queue).
    explicit test_server(const std::function<void(config&)>& tweak = {},
                         const std::function<void(http::server_settings&)>& tune = {});
    ~test_server();

    unsigned short port() const { return port_; }
    application& app() { return *app_; }
    const std::string& dir() const { return dir_; }
    // Where its database is: the SQLite file, or the PostgreSQL URL.
    std::string database_location() const { return database_->location(); }

    // A request with an optional JSON body and bearer token; the reply is checked against the
    // contract before it is returned.
    reply call(const std::string& method, const std::string& target,
               const std::optional<boost::json::value>& body = std::nullopt,
               const std::string& token = {}, const header_list& extra = {});

    // An account of the given role, with a verified email, and a bearer token for it.
    std::string token_for(role r, const std::string& email);
    id_t account_id(const std::string& email);
    // Signs up over HTTP, as a stranger would (password "correct horse battery"), and signs in:
    // the account's id and a bearer token.
    std::pair<std::string, std::string> sign_up(const std::string& email);
    // The organizer of `token` makes the account of `email` a co-organizer of `event`: the status.
    int add_organizer(const std::string& token, const std::string& event, const std::string& email);
    // The admin of `admin_token` gives the account of `email` the role.
    void set_role(const std::string& admin_token, const std::string& email, const char* role_name);
    // The messages the delivery worker wrote to the mailbox (the outbox log), oldest first.
    std::vector<boost::json::object> mailbox() const;
    // A field ("link", "report_link", "body") of the newest message of `kind` delivered to
    // `recipient` (`skip` newer ones passed over), waiting up to 5 s for its delivery.
    std::string mailed(const std::string& recipient, std::string_view kind,
                       std::string_view field = "link", std::size_t skip = 0);
    // A field of the message of outbox id `id`, once delivered (waiting up to 5 s).
    std::string mailed_message(id_t id, std::string_view field = "link");

private:
    std::string dir_;
    std::unique_ptr<testing::scratch_database> database_;
    std::unique_ptr<application> app_;
    std::unique_ptr<http::server> server_;
    std::thread runner_;
    unsigned short port_ = 0;
};

// "Forum des tiers-lieux" in Guéret on 11 June 2031 with `capacity` seats and one workshop of one
// seat, published by the organizer of `token`; its id, and the workshop's in `workshop`.
std::string forum_with_workshop(test_server& server, const std::string& token, int capacity,
                                std::string& workshop);

} // namespace rencontres::testing
