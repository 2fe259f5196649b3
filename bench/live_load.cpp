// The load of `scripts/bench.sh live`: a room of listeners on one session's stream of
// Server-Sent Events, while questions and votes are posted at fixed rates. Prints how long
// published questions took to reach the listeners, and the latency of the votes (measured from
// when each was due, so that a slow server cannot hide its queue). The listeners run on two
// threads, as a room's phones read each on its own; the questions and votes on a third: a vote's
// latency is the server's, not the time the load's own listeners kept it from being sent.
//
// Usage: live_load <port> <session id> <listeners> <seconds> <questions/s> <votes/s>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;
constexpr auto tuple_awaitable = net::as_tuple(net::use_awaitable);

namespace {

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               clock_type::now().time_since_epoch())
        .count();
}

// Milliseconds, to 0.1 ms, up to 60 s.
struct histogram {
    std::vector<std::uint64_t> buckets = std::vector<std::uint64_t>(600'001);
    std::uint64_t count = 0;
    void add(std::int64_t ns) {
        const auto tenth = std::min<std::int64_t>(std::max<std::int64_t>(ns / 100'000, 0), 600'000);
        ++buckets[static_cast<std::size_t>(tenth)];
        ++count;
    }
    double quantile(double q) const {
        if (count == 0) return 0;
        const auto wanted = static_cast<std::uint64_t>(q * static_cast<double>(count));
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < buckets.size(); ++i) {
            seen += buckets[i];
            if (seen > wanted) return static_cast<double>(i) / 10.0;
        }
        return 60'000;
    }
    double share_within(double ms) const {
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i <= static_cast<std::size_t>(ms * 10) && i < buckets.size(); ++i)
            seen += buckets[i];
        return count ? static_cast<double>(seen) / static_cast<double>(count) : 0;
    }
};

struct shared_state {
    tcp::endpoint server;
    std::string session;
    histogram votes;
    std::atomic<std::uint64_t> listeners_up = 0, listeners_lost = 0;
    std::uint64_t vote_errors = 0, question_errors = 0;
    std::uint64_t questions_posted = 0;
    std::deque<std::string> recent_questions; // ids that votes go to
    std::atomic<bool> stopping = false;
};

// A listener: reads the stream and notes when each question "L<n>:<ns>" first arrives.
net::awaitable<void> listen(shared_state& s, histogram& delivery) {
    tcp::socket socket(co_await net::this_coro::executor);
    auto [ec] = co_await socket.async_connect(s.server, tuple_awaitable);
    if (ec) {
        ++s.listeners_lost;
        co_return;
    }
    const std::string request =
        "GET /v1/sessions/" + s.session +
        "/stream HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n";
    std::tie(ec, std::ignore) =
        co_await net::async_write(socket, net::buffer(request), tuple_awaitable);
    if (ec) {
        ++s.listeners_lost;
        co_return;
    }
    ++s.listeners_up;
    std::array<char, 16384> buffer;
    std::string carry;
    std::vector<bool> seen; // question numbers this listener has heard of
    while (!s.stopping) {
        auto [read_error, n] =
            co_await socket.async_read_some(net::buffer(buffer), tuple_awaitable);
        if (read_error) {
            if (!s.stopping) ++s.listeners_lost;
            co_return;
        }
        const auto at = now_ns();
        carry.append(buffer.data(), n);
        std::size_t pos = 0;
        static constexpr std::string_view marker = "\"text\":\"L";
        while ((pos = carry.find(marker, pos)) != std::string::npos) {
            const auto start = pos + marker.size();
            const auto end = carry.find('"', start);
            if (end == std::string::npos) break;
            const auto colon = carry.find(':', start);
            if (colon != std::string::npos && colon < end) {
                const long number = std::strtol(carry.c_str() + start, nullptr, 10);
                const long long sent = std::strtoll(carry.c_str() + colon + 1, nullptr, 10);
                // A question's first event may follow a later question's (its votes gave it a
                // later seq in the same read): each is counted the first time it shows.
                if (number >= 0) {
                    if (seen.size() <= static_cast<std::size_t>(number)) seen.resize(number + 64);
                    if (!seen[static_cast<std::size_t>(number)]) {
                        seen[static_cast<std::size_t>(number)] = true;
                        delivery.add(at - sent);
                    }
                }
            }
            pos = end;
        }
        // Keep what could be the start of a cut marker.
        carry.erase(0, carry.size() > 256 ? carry.size() - 256 : 0);
    }
}

// Posts on one keep-alive connection; `make` gives the target and body of each request, due
// every `period`; `done` sees each answer.
template <class Make, class Done>
net::awaitable<void> post_at_rate(shared_state& s, std::chrono::nanoseconds period, Make make,
                                  Done done) {
    beast::tcp_stream stream(co_await net::this_coro::executor);
    auto [ec] = co_await stream.async_connect(s.server, tuple_awaitable);
    if (ec) co_return;
    beast::flat_buffer buffer;
    auto due = clock_type::now();
    net::steady_timer timer(co_await net::this_coro::executor);
    while (!s.stopping) {
        due += period;
        timer.expires_at(due);
        co_await timer.async_wait(tuple_awaitable);
        auto [target, body, cookie] = make();
        if (target.empty()) continue;
        http::request<http::string_body> req{http::verb::post, target, 11};
        req.set(http::field::host, "bench");
        req.set(http::field::content_type, "application/json");
        if (!cookie.empty()) req.set(http::field::cookie, cookie);
        req.body() = body;
        req.prepare_payload();
        std::tie(ec, std::ignore) = co_await http::async_write(stream, req, tuple_awaitable);
        http::response<http::string_body> res;
        if (!ec)
            std::tie(ec, std::ignore) =
                co_await http::async_read(stream, buffer, res, tuple_awaitable);
        done(ec ? 0 : res.result_int(), res.body(), clock_type::now() - due);
        if (ec) co_return;
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 7) {
        std::fprintf(
            stderr,
            "usage: live_load <port> <session> <listeners> <seconds> <questions/s> <votes/s>\n");
        return 2;
    }
    shared_state s;
    s.server = {net::ip::make_address("127.0.0.1"),
                static_cast<unsigned short>(std::atoi(argv[1]))};
    s.session = argv[2];
    const int listeners = std::atoi(argv[3]), seconds = std::atoi(argv[4]);
    const int question_rate = std::atoi(argv[5]), vote_rate = std::atoi(argv[6]);
    // The room fills up, on two threads, then the questions and votes come.
    constexpr int rooms = 2;
    std::array<net::io_context, rooms> io;
    std::array<histogram, rooms> delivery;
    for (int i = 0; i < listeners; ++i)
        net::co_spawn(io[i % rooms], listen(s, delivery[i % rooms]), net::detached);
    std::vector<std::thread> room_threads;
    for (auto& room : io)
        room_threads.emplace_back([&room] {
            auto guard = net::make_work_guard(room);
            room.run();
        });
    const auto start = clock_type::now();
    while (s.listeners_up + s.listeners_lost < static_cast<std::uint64_t>(listeners) &&
           clock_type::now() - start < std::chrono::seconds{60})
        std::this_thread::sleep_for(std::chrono::milliseconds{50});
    std::printf("  listeners connected: %llu of %d (%llu failed)\n",
                static_cast<unsigned long long>(s.listeners_up.load()), listeners,
                static_cast<unsigned long long>(s.listeners_lost.load()));
    s.listeners_lost = 0;
    std::uint64_t device = 0;
    net::io_context posting; // questions and votes, on their own thread
    net::co_spawn(posting,
                  post_at_rate(
                      s, std::chrono::nanoseconds{1'000'000'000LL / std::max(question_rate, 1)},
                      [&] {
                          return std::tuple{"/v1/sessions/" + s.session + "/floor-questions",
                                            "{\"text\":\"L" + std::to_string(s.questions_posted++) +
                                                ":" + std::to_string(now_ns()) + "\"}",
                                            std::string()};
                      },
                      [&](int status, const std::string& body, auto) {
                          if (status != 201) {
                              ++s.question_errors;
                              return;
                          }
                          const auto id = body.find("\"id\":\"");
                          if (id == std::string::npos) return;
                          s.recent_questions.push_back(
                              body.substr(id + 6, body.find('"', id + 6) - id - 6));
                          if (s.recent_questions.size() > 10) s.recent_questions.pop_front();
                      }),
                  net::detached);
    // Votes from 32 connections, each device voting once.
    constexpr int voters = 32;
    for (int v = 0; v < voters; ++v)
        net::co_spawn(
            posting,
            post_at_rate(
                s, std::chrono::nanoseconds{1'000'000'000LL * voters / std::max(vote_rate, 1)},
                [&] {
                    if (s.recent_questions.empty())
                        return std::tuple{std::string(), std::string(), std::string()};
                    const auto& q = s.recent_questions[device % s.recent_questions.size()];
                    return std::tuple{"/v1/floor-questions/" + q + "/vote", std::string(),
                                      "rencontres_device=bench" +
                                          std::to_string(100'000'000 + device++) + "xxxxxxxx"};
                },
                [&](int status, const std::string&, auto waited) {
                    if (status != 200) ++s.vote_errors;
                    s.votes.add(
                        std::chrono::duration_cast<std::chrono::nanoseconds>(waited).count());
                }),
            net::detached);
    std::thread poster([&] { posting.run_for(std::chrono::seconds{seconds}); });
    poster.join();
    s.stopping = true;
    for (auto& room : io)
        room.stop();
    for (auto& t : room_threads)
        t.join();
    histogram heard;
    for (const auto& room : delivery) {
        for (std::size_t i = 0; i < heard.buckets.size(); ++i)
            heard.buckets[i] += room.buckets[i];
        heard.count += room.count;
    }
    const auto expected = s.questions_posted * static_cast<std::uint64_t>(listeners);
    std::printf("  questions posted: %llu (%llu refused); deliveries %llu of %llu expected\n",
                static_cast<unsigned long long>(s.questions_posted),
                static_cast<unsigned long long>(s.question_errors),
                static_cast<unsigned long long>(heard.count),
                static_cast<unsigned long long>(expected));
    std::printf(
        "  delivery of a question to a listener: p50 %.1f ms, p99 %.1f ms; within 1 s: %.2f %%\n",
        heard.quantile(0.5), heard.quantile(0.99), 100.0 * heard.share_within(1000));
    std::printf("  votes: %llu (%llu refused), %.0f/s; latency p50 %.1f ms, p99 %.1f ms\n",
                static_cast<unsigned long long>(s.votes.count),
                static_cast<unsigned long long>(s.vote_errors),
                static_cast<double>(s.votes.count) / seconds, s.votes.quantile(0.5),
                s.votes.quantile(0.99));
    std::printf("  listeners dropped during the run: %llu\n",
                static_cast<unsigned long long>(s.listeners_lost.load()));
    return 0;
}
