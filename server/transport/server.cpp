#include "server/transport/server.hpp"

#include "server/transport/logging.hpp"
#include "server/transport/metrics.hpp"
#include "server/transport/problem.hpp"
#include "server/transport/wire.hpp"

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <deque>
#include <mutex>
#include <random>
#include <spdlog/spdlog.h>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <unordered_set>

namespace rencontres::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using net::use_awaitable;
constexpr auto tuple_awaitable = net::as_tuple(net::use_awaitable);

namespace {

// Request ids only need to be unique, not secret: a per-thread generator seeded once from the
// system's randomness, instead of a system call per request.
std::string new_request_id() {
    thread_local std::mt19937_64 generator{[] {
        std::random_device seed;
        return (static_cast<std::uint64_t>(seed()) << 32) ^ seed();
    }()};
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(generator()));
    return buffer;
}

bool sane_request_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    for (const char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    return true;
}

// A connection that listens to a channel of Server-Sent Events. Its events are written on the
// server's stream thread, where the hub hands them over (deliver(), caught_up(), beat()): straight
// to the socket, one system call when the socket takes them, which is the common case, with no
// handler, timer or lock between. A tick to ten thousand listeners thus costs ten thousand
// writes on that thread, and none of the network threads' time, where votes and questions are
// answered. When the socket is full, it is waited on from the connection's strand, later events
// queue meanwhile, and the listener is dropped when what waits behind the frame on its way
// passes `max_queued` bytes, or when the socket is still full at an event or heartbeat after the
// write timeout: it reads too slowly, and resumes after its Last-Event-ID.
class connection_sink final : public live_sink,
                              public std::enable_shared_from_this<connection_sink> {
public:
    connection_sink(net::any_io_executor strand, net::any_io_executor streams, tcp::socket& socket,
                    std::int64_t after, std::size_t max_queued,
                    std::chrono::milliseconds write_timeout)
        : ended(strand), strand_(strand), streams_(streams), socket_(&socket),
          fd_(socket.native_handle()), last_id_(after), max_queued_(max_queued),
          write_timeout_(write_timeout) {}

    // On the stream thread.
    void deliver(const live_frames& frames) override {
        if (frames.last_id <= last_id_) return;
        if (holding_)
            held_.push_back(frames);
        else
            send(frames);
    }
    // From any thread.
    void caught_up(const live_frames& frames) override {
        net::post(streams_, [self = shared_from_this(), frames] {
            self->holding_ = false;
            if (frames.last_id > self->last_id_) self->send(frames);
            for (const auto& held : self->held_)
                if (held.last_id > self->last_id_) self->send(held);
            self->held_.clear();
        });
    }
    // On the stream thread: a comment, so that proxies and browsers see the stream alive.
    void beat() override {
        static const auto heartbeat = std::make_shared<const std::string>(":\n\n");
        queue(heartbeat);
    }
    // From any thread: the stream is over (the client went, the server stops, it read too
    // slowly); the connection's coroutine wakes up.
    void end() {
        if (done.exchange(true)) return;
        net::post(strand_, [self = shared_from_this()] { self->ended.cancel(); });
    }
    // On the strand, once over: the connection lets go of its socket; nothing is written to it
    // any more (the stream thread may be writing this very moment: the lock waits for it).
    void detach() {
        done = true;
        std::lock_guard lock(socket_mutex_);
        socket_ = nullptr;
        fd_ = -1;
    }

    std::atomic<bool> done = false;
    net::steady_timer ended; // on the strand: the connection's coroutine waits on it

private:
    void send(const live_frames& frames) {
        last_id_ = frames.last_id;
        if (frames.bytes && !frames.bytes->empty()) queue(frames.bytes);
    }

    void queue(std::shared_ptr<const std::string> bytes) {
        if (done) return;
        if (writing_ && std::chrono::steady_clock::now() - stalled_since_ > write_timeout_)
            return end(); // the socket stayed full
        queued_bytes_ += bytes->size();
        pending_.push_back(std::move(bytes));
        // Reads too slowly: dropped. The frame on its way does not count, so that a listener
        // that resumes after a long absence gets its one large catch-up frame.
        if (queued_bytes_ - (pending_.front()->size() - offset_) > max_queued_) return end();
        if (!writing_) flush();
    }

    // Writes what is pending until the socket is full, then waits for it to drain.
    void flush() {
        std::array<iovec, 16> parts;
        std::lock_guard lock(socket_mutex_);
        while (!pending_.empty() && fd_ >= 0 && !done) {
            std::size_t count = 0;
            for (const auto& bytes : pending_) {
                const std::size_t skip = count == 0 ? offset_ : 0;
                parts[count++] = {const_cast<char*>(bytes->data() + skip), bytes->size() - skip};
                if (count == parts.size()) break;
            }
            msghdr message{};
            message.msg_iov = parts.data();
            message.msg_iovlen = count;
            const auto sent = ::sendmsg(fd_, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (sent < 0 && errno == EINTR) continue;
            if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return wait();
            if (sent < 0) return end();
            auto written = static_cast<std::size_t>(sent);
            queued_bytes_ -= written;
            while (written > 0) {
                const std::size_t left = pending_.front()->size() - offset_;
                if (written < left) {
                    offset_ += written;
                    break;
                }
                written -= left;
                offset_ = 0;
                pending_.pop_front();
            }
        }
    }

    // The socket is full: the strand waits until it is writable, then the stream thread goes on.
    void wait() {
        writing_ = true;
        stalled_since_ = std::chrono::steady_clock::now();
        net::post(strand_, [self = shared_from_this()] {
            if (!self->socket_) return; // detached: only the strand clears it
            self->socket_->async_wait(
                tcp::socket::wait_write,
                net::bind_executor(self->strand_, [self](const beast::error_code& ec) {
                    net::post(self->streams_, [self, ec] {
                        self->writing_ = false;
                        if (ec) return self->end();
                        self->flush();
                    });
                }));
        });
    }

    net::any_io_executor strand_;  // the connection's
    net::any_io_executor streams_; // the stream thread's
    std::mutex socket_mutex_;
    tcp::socket* socket_; // until detached; read on the strand, cleared under the lock
    int fd_;              // its descriptor, written to on the stream thread under the lock
    // The rest is the stream thread's.
    std::int64_t last_id_; // the last event queued for the wire
    std::size_t max_queued_;
    std::chrono::milliseconds write_timeout_;
    bool holding_ = true;
    std::vector<live_frames> held_;
    std::deque<std::shared_ptr<const std::string>> pending_;
    std::size_t offset_ = 0; // of pending_.front(), already written
    std::size_t queued_bytes_ = 0;
    bool writing_ = false; // waiting for the socket to drain
    std::chrono::steady_clock::time_point stalled_since_{};
};

// What the shutdown needs to know about a connection: its stream while it lives, and whether a
// request is in flight. Touched only on the connection's strand.
struct connection_state {
    net::any_io_executor executor; // the connection's strand; set once
    beast::tcp_stream* stream = nullptr;
    bool busy = false;
    connection_sink* listening = nullptr; // while the connection is a stream of events
};

// The Date header (RFC 9110 §6.6.1), formatted once a second per thread.
const std::string& http_date() {
    thread_local std::time_t formatted_at = -1;
    thread_local std::string text;
    const std::time_t now = std::time(nullptr);
    if (now != formatted_at) {
        std::tm tm{};
        gmtime_r(&now, &tm);
        char buffer[64];
        const auto n = std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        text.assign(buffer, n);
        formatted_at = now;
    }
    return text;
}

// Every header a response goes out with, once each: its own (the last value of a name, as
// Beast's set() keeps it), then Date, Server and Cache-Control (no-cache unless it says).
template <class Visit> void each_header(const response& res, Visit&& visit) {
    bool cache_control = false;
    for (std::size_t i = 0; i < res.headers.size(); ++i) {
        const auto& h = res.headers[i];
        bool later = false;
        for (std::size_t j = i + 1; j < res.headers.size() && !later; ++j)
            later = iequals(res.headers[j].name, h.name);
        if (later) continue;
        cache_control = cache_control || iequals(h.name, "Cache-Control");
        visit(std::string_view(h.name), std::string_view(h.value));
    }
    visit("Date", http_date());
    visit("Server", "rencontres");
    if (!cache_control) visit("Cache-Control", "no-cache");
}

template <class Body>
bhttp::response<Body> with_headers(const response& res, unsigned version, bool keep_alive) {
    bhttp::response<Body> out{static_cast<bhttp::status>(res.status), version};
    each_header(res, [&](std::string_view name, std::string_view value) { out.set(name, value); });
    out.keep_alive(keep_alive);
    return out;
}

// The status line and headers of a response of `length` bytes as Beast would put them on the
// wire, written into `out`, which the connection reuses from one response to the next: a cached
// representation is sent without Beast's fields or serializer, and without an allocation once
// `out` has grown.
void write_head(std::string& out, const response& res, unsigned version, bool keep_alive,
                std::size_t length) {
    char number[24];
    out.clear();
    out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    out.append(number, std::to_chars(number, number + sizeof number, res.status).ptr);
    out += ' ';
    const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(res.status));
    out.append(reason.data(), reason.size());
    out += "\r\n";
    each_header(res, [&](std::string_view name, std::string_view value) {
        out += name;
        out += ": ";
        out += value;
        out += "\r\n";
    });
    out += "Content-Length: ";
    out.append(number, std::to_chars(number, number + sizeof number, length).ptr);
    out += "\r\n";
    if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
    if (version != 10 && !keep_alive) out += "Connection: close\r\n";
    out += "\r\n";
}

bhttp::response<bhttp::string_body> to_beast(response res, unsigned version, bool keep_alive) {
    auto out = with_headers<bhttp::string_body>(res, version, keep_alive);
    out.body() = std::move(res.body);
    out.prepare_payload();
    return out;
}

} // namespace

struct server::impl {
    impl(server_settings s, scheduler& l)
        : settings(std::move(s)), lanes(l), dispatch(l.dispatch()), ioc(settings.threads),
          acceptor(ioc), signals(ioc) {
        const tcp::endpoint endpoint{net::ip::make_address(settings.host), settings.port};
        acceptor.open(endpoint.protocol());
        acceptor.set_option(net::socket_base::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen(net::socket_base::max_listen_connections);
        if (settings.live) settings.live->attach(streams.get_executor());
    }

    server_settings settings;
    scheduler& lanes;
    const dispatcher& dispatch;
    net::io_context ioc;
    // The stream thread's: the hub's timers and fan-outs, and every write to a listener.
    net::io_context streams{1};
    tcp::acceptor acceptor;
    net::signal_set signals;
    std::atomic<int> active{0};
    std::atomic<bool> stopping{false};
    std::mutex connections_mutex;
    std::unordered_set<std::shared_ptr<connection_state>> connections;

    void start_stop() {
        if (stopping.exchange(true)) return;
        spdlog::info("shutting down: no new connections, draining in-flight requests");
        net::post(acceptor.get_executor(), [this] {
            beast::error_code ignored;
            acceptor.close(ignored);
            signals.cancel(ignored);
        });
        // Stage one: idle connections and streams close now; busy ones finish their current
        // request.
        for_each_connection([](connection_state& c) {
            if (!c.busy && c.stream) c.stream->cancel();
            if (c.listening) c.listening->end();
        });
        net::co_spawn(ioc, drain(), net::detached);
    }

    template <class F> void for_each_connection(F action) {
        std::lock_guard lock(connections_mutex);
        for (const auto& state : connections)
            net::post(state->executor, [state, action] { action(*state); });
    }

    net::awaitable<void> drain() {
        net::steady_timer timer(ioc);
        const auto deadline = std::chrono::steady_clock::now() + settings.drain_timeout;
        while (active.load() > 0 && std::chrono::steady_clock::now() < deadline) {
            timer.expires_after(std::chrono::milliseconds(10));
            co_await timer.async_wait(tuple_awaitable);
        }
        if (active.load() > 0) {
            // Stage two: the drain timeout is over; close what is left.
            spdlog::warn("drain timeout: closing {} connection(s)", active.load());
            for_each_connection([](connection_state& c) {
                if (c.stream) c.stream->socket().close();
            });
            timer.expires_after(std::chrono::milliseconds(100));
            co_await timer.async_wait(tuple_awaitable);
        }
        ioc.stop();
    }

    net::awaitable<void> accept_loop() {
        while (!stopping.load()) {
            auto [ec, socket] =
                co_await acceptor.async_accept(net::make_strand(ioc), tuple_awaitable);
            if (ec) {
                if (!acceptor.is_open() || stopping.load()) co_return;
                // Out of file descriptors or a transient failure: breathe, then go on.
                net::steady_timer pause(ioc, std::chrono::milliseconds(50));
                co_await pause.async_wait(tuple_awaitable);
                continue;
            }
            auto executor = socket.get_executor();
            if (active.load() >= settings.max_connections) {
                net::co_spawn(executor, refuse(std::move(socket)), net::detached);
                continue;
            }
            ++active;
            net::co_spawn(executor, session(std::move(socket)), net::detached);
        }
    }

    // Over the connection limit: a clear 503, then close.
    net::awaitable<void> refuse(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        auto res = unavailable("The server has too many open connections; try again shortly.");
        auto out = to_beast(std::move(res), 11, false);
        stream.expires_after(std::chrono::seconds(1));
        co_await bhttp::async_write(stream, out, tuple_awaitable);
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    }

    // Answers a request the transport refused (too large, malformed) and logs it like any other.
    net::awaitable<void> write_problem(beast::tcp_stream& stream,
                                       const bhttp::request<bhttp::string_body>& partial,
                                       int status, std::string detail) {
        const auto id = new_request_id();
        auto res = problem(status, std::move(detail));
        res.set("X-Request-Id", id);
        auto out = to_beast(std::move(res), 11, false);
        stream.expires_after(settings.write_timeout);
        co_await bhttp::async_write(stream, out, tuple_awaitable);
        const std::string method(partial.method_string().empty() ? "-" : partial.method_string());
        const std::string target(partial.target().empty() ? "-" : partial.target());
        dispatch.app().stats.observe(dispatch.app().stats.unmatched_slot(), status, 0);
        log_access({method, target, status, out.body().size(), 0, id});
    }

    // The scheduler answers at once what it can; the rest is queued on its lane, and the
    // connection's coroutine waits without a thread, resumed on its own executor.
    net::awaitable<response> schedule(const route_match& matched, const request& req,
                                      const std::string& id, const std::string& client) {
        if (auto now = lanes.answer_now(matched, req, id, client)) co_return std::move(*now);
        co_return co_await net::async_initiate<decltype(use_awaitable), void(response)>(
            [&](auto handler) {
                auto shared = std::make_shared<decltype(handler)>(std::move(handler));
                auto home = net::get_associated_executor(*shared);
                lanes.queue(matched, req, id, client, std::move(home),
                            [shared](response res) { (*shared)(std::move(res)); });
            },
            use_awaitable);
    }

    // Writes the head of a stream of Server-Sent Events, then hands the socket to the sink, which
    // writes what the hub delivers and the heartbeats, until the client goes, the server stops,
    // or the client reads too slowly. The body ends with the connection.
    net::awaitable<void> listen(beast::tcp_stream& stream, connection_state& state,
                                const response& res, unsigned version, std::string& head) {
        write_head(head, res, version, false, 0);
        // Close-delimited: no Content-Length (write_head's is taken out) and no chunking.
        const auto length = head.find("Content-Length: ");
        head.erase(length, head.find("\r\n", length) + 2 - length);
        head += "retry: 3000\n\n";
        stream.expires_after(settings.write_timeout);
        auto [ec, written] = co_await net::async_write(stream, net::buffer(head), tuple_awaitable);
        if (ec) co_return;
        stream.expires_never();
        auto& socket = stream.socket();
        socket.set_option(net::socket_base::send_buffer_size(settings.live_send_buffer_bytes), ec);
        auto sink = std::make_shared<connection_sink>(
            state.executor, streams.get_executor(), socket, res.live->after,
            settings.live_max_queued_bytes, settings.write_timeout);
        state.busy = false;
        state.listening = sink.get();
        settings.live->join(*res.live, sink);
        // A listener says nothing after its request: anything readable is its end closing.
        socket.async_wait(
            tcp::socket::wait_read,
            net::bind_executor(state.executor, [sink](const beast::error_code&) { sink->end(); }));
        if (stopping.load()) sink->end();
        while (!sink->done) {
            sink->ended.expires_at(std::chrono::steady_clock::time_point::max());
            co_await sink->ended.async_wait(tuple_awaitable);
        }
        state.listening = nullptr;
        sink->detach();
        settings.live->leave(res.live->channel, sink.get());
    }

    // Every listener hears a comment every `live_heartbeat`.
    net::awaitable<void> heartbeats() {
        net::steady_timer timer(streams);
        while (!stopping.load()) {
            timer.expires_after(settings.live_heartbeat);
            co_await timer.async_wait(tuple_awaitable);
            settings.live->beat();
        }
    }

    net::awaitable<void> session(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        auto state = std::make_shared<connection_state>();
        state->executor = stream.get_executor();
        state->stream = &stream;
        {
            std::lock_guard lock(connections_mutex);
            connections.insert(state);
        }
        try {
            co_await serve(stream, *state);
        } catch (const std::exception& e) {
            spdlog::error("connection failed: {}", e.what());
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        state->stream = nullptr;
        {
            std::lock_guard lock(connections_mutex);
            connections.erase(state);
        }
        --active;
    }

    net::awaitable<void> serve(beast::tcp_stream& stream, connection_state& state) {
        beast::error_code endpoint_error;
        const auto peer_endpoint = stream.socket().remote_endpoint(endpoint_error);
        auto peer_address = peer_endpoint.address();
        if (peer_address.is_v6() && peer_address.to_v6().is_v4_mapped())
            peer_address = net::ip::make_address_v4(net::ip::v4_mapped, peer_address.to_v6());
        const std::string peer = endpoint_error ? "unknown" : peer_address.to_string();
        beast::flat_buffer buffer;
        std::string headers; // of a cached response, reused by write_head
        for (;;) {
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(settings.header_max_bytes));
            parser.body_limit(settings.body_max_bytes);
            state.busy = false;
            if (stopping.load()) co_return;
            stream.expires_after(settings.idle_timeout);
            auto [ec, read] =
                co_await bhttp::async_read_header(stream, buffer, parser, tuple_awaitable);
            state.busy = true;
            const auto started = std::chrono::steady_clock::now();
            if (!ec && !parser.is_done()) {
                const auto expect = parser.get()[bhttp::field::expect];
                if (http::iequals(expect, "100-continue")) {
                    bhttp::response<bhttp::empty_body> proceed{bhttp::status::continue_, 11};
                    stream.expires_after(settings.write_timeout);
                    co_await bhttp::async_write(stream, proceed, tuple_awaitable);
                }
                stream.expires_after(settings.read_timeout);
                std::tie(ec, read) =
                    co_await bhttp::async_read(stream, buffer, parser, tuple_awaitable);
            }
            if (ec) {
                const auto& partial = parser.get();
                if (ec == bhttp::error::header_limit)
                    co_await write_problem(stream, partial, 431,
                                           "The request headers are too large.");
                else if (ec == bhttp::error::body_limit)
                    co_await write_problem(stream, partial, 413, "The request body is too large.");
                else if (ec.category() ==
                             bhttp::make_error_code(bhttp::error::bad_method).category() &&
                         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
                    co_await write_problem(stream, partial, 400,
                                           "The request is not valid HTTP/1.1.");
                co_return; // end of stream, timeout, reset, cancelled by shutdown: close quietly
            }

            auto& message = parser.get();
            request req = from_beast(message);
            // Behind a trusted reverse proxy, the client is the hop the proxy names.
            const auto client = settings.proxies.client(peer, req.header_value("X-Forwarded-For"));
            // Which scheme the browser used is believed from a trusted proxy only.
            if (!settings.proxies.contains(peer))
                std::erase_if(req.headers,
                              [](const header& h) { return iequals(h.name, "X-Forwarded-Proto"); });
            const bool head = message.method() == bhttp::verb::head;
            const auto given_id = req.header_value("X-Request-Id");
            const std::string id =
                given_id && sane_request_id(*given_id) ? std::string(*given_id) : new_request_id();

            response res;
            route_match matched;
            if (!split_target(req.target, req.path, req.query)) {
                res = problem(400, "The request target is not valid.");
                res.set("X-Request-Id", id);
            } else {
                matched = dispatch.match(req);
                res = co_await schedule(matched, req, id, client);
            }
            if (res.live && settings.live && !head) {
                log_access({req.method, req.target, res.status, 0, 0, id, client});
                buffer.clear();
                buffer.shrink_to_fit();
                co_await listen(stream, state, res, message.version(), headers);
                co_return;
            }
            const bool keep_alive = message.keep_alive() && !stopping.load();
            const int status = res.status;
            const auto bytes = res.body_size();
            stream.expires_after(settings.write_timeout);
            beast::error_code write_error;
            if (head) {
                // Same status and headers as the GET, Content-Length included; no body.
                auto out = with_headers<bhttp::empty_body>(res, message.version(), keep_alive);
                out.content_length(bytes);
                bhttp::serializer<false, bhttp::empty_body> sr{out};
                sr.split(true);
                std::tie(write_error, std::ignore) =
                    co_await bhttp::async_write_header(stream, sr, tuple_awaitable);
            } else if (res.shared_body) {
                // Cached bytes: written from where they are, kept alive by `shared` meanwhile,
                // after the headers written into the connection's own buffer.
                const auto shared = res.shared_body;
                write_head(headers, res, message.version(), keep_alive, shared->size());
                const std::array<net::const_buffer, 2> out{
                    net::buffer(headers), net::buffer(shared->data(), shared->size())};
                std::tie(write_error, std::ignore) =
                    co_await net::async_write(stream, out, tuple_awaitable);
            } else {
                auto out = to_beast(std::move(res), message.version(), keep_alive);
                std::tie(write_error, std::ignore) =
                    co_await bhttp::async_write(stream, out, tuple_awaitable);
            }
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            dispatch.app().stats.observe(matched.found ? matched.index
                                                       : dispatch.app().stats.unmatched_slot(),
                                         status, seconds);
            log_access({req.method, req.target, status, bytes, seconds * 1000.0, id, client});
            if (write_error || !keep_alive) co_return;
        }
    }
};

server::server(server_settings settings, scheduler& lanes)
    : impl_(std::make_unique<impl>(std::move(settings), lanes)) {}

server::~server() = default;

unsigned short server::port() const {
    return impl_->acceptor.local_endpoint().port();
}

void server::run() {
    auto& s = *impl_;
    if (s.settings.handle_signals) {
        s.signals.add(SIGINT);
        s.signals.add(SIGTERM);
        s.signals.async_wait([&s](const beast::error_code& ec, int) {
            if (!ec) s.start_stop();
        });
    }
    net::co_spawn(s.ioc, s.accept_loop(), net::detached);
    // The stream thread yields to the network threads when the cores are busy (nice 5, on this
    // thread only): a vote is answered first, the ten thousand copies of its count follow.
    auto streaming = net::make_work_guard(s.streams);
    std::thread stream_thread([&s] {
        ::setpriority(PRIO_PROCESS, static_cast<::id_t>(::gettid()), 5);
        s.streams.run();
    });
    if (s.settings.live) net::co_spawn(s.streams, s.heartbeats(), net::detached);
    std::vector<std::thread> threads;
    for (int i = 1; i < s.settings.threads; ++i)
        threads.emplace_back([&s] { s.ioc.run(); });
    s.ioc.run();
    for (auto& t : threads)
        t.join();
    streaming.reset();
    s.streams.stop();
    stream_thread.join();
    s.lanes.join();
    spdlog::info("stopped");
    flush_logs();
}

void server::stop() {
    impl_->start_stop();
}

} // namespace rencontres::http
