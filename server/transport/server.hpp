// The asynchronous HTTP/1.1 server: Boost.Beast over Asio, one coroutine per connection on its
// own strand, each request handed to the scheduler and awaited, graceful two-stage shutdown.
#pragma once

#include "server/transport/client_address.hpp"
#include "server/transport/live.hpp"
#include "server/transport/scheduler.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace rencontres::http {

struct server_settings {
    std::string host = "127.0.0.1";
    unsigned short port = 8080;
    int threads = 1;
    int max_connections = 4096;
    std::chrono::milliseconds drain_timeout{10'000};
    std::chrono::milliseconds idle_timeout{30'000};
    std::chrono::milliseconds read_timeout{15'000};
    std::chrono::milliseconds write_timeout{15'000};
    std::size_t body_max_bytes = 1024 * 1024;
    std::size_t header_max_bytes = 16 * 1024;
    http::trusted_proxies proxies{}; // whose X-Forwarded-For names the client
    bool handle_signals = true;      // SIGINT and SIGTERM start the graceful shutdown
    live_hub* live = nullptr;        // where streams of Server-Sent Events listen
    // A listener whose events waiting behind the frame on its way pass this is dropped (it
    // reconnects and resumes); the frame on its way does not count, so one large catch-up frame
    // still goes.
    std::size_t live_max_queued_bytes = 256 * 1024;
    // The kernel's send buffer of a listener's socket (SO_SNDBUF), instead of one that grows to
    // megabytes for a phone that stopped reading: ten thousand listeners stay cheap for the
    // kernel too, and a slow one is seen as such.
    int live_send_buffer_bytes = 64 * 1024;
    std::chrono::seconds live_heartbeat{15};
};

// "127.0.0.1:8080", "[::1]:0", "localhost:8080"; throws std::invalid_argument.
void parse_listen(const std::string& listen, std::string& host, unsigned short& port);

class server {
public:
    // Binds and listens at once, so that port() is known before run(). Requests run where
    // `lanes` puts them; run() joins its lanes when it returns.
    server(server_settings settings, scheduler& lanes);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    unsigned short port() const;
    // Serves until stop() or a signal, then drains in-flight requests and returns.
    void run();
    // Thread-safe: stop accepting, close idle connections, let in-flight requests finish within
    // the drain timeout, then return from run().
    void stop();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace rencontres::http
