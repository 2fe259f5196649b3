// Server-Sent Events (HTML Living Standard §9.2): channels of listening connections, each handed
// over by the server once its response's head is written. What a channel says comes from a
// source (the application), read on the source's threads once per burst of changes and sent to
// every listener as the same bytes; no thread and no database connection per listener.
#pragma once

#include "server/transport/message.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace rencontres::http {

// Events of one channel with ids up to `last_id` (each event carries its own `id:` line),
// ready for the wire; shared by every listener.
struct live_frames {
    std::int64_t last_id = 0;
    std::shared_ptr<const std::string> bytes; // empty when nothing the listeners see changed
};

// A listening connection, as the hub sees it. deliver() and beat() are called on the hub's
// executor (one thread), caught_up() from any thread.
class live_sink {
public:
    virtual ~live_sink() = default;
    virtual void deliver(const live_frames& frames) = 0;
    // What the channel said after the id the listener resumed from, then live events again.
    virtual void caught_up(const live_frames& frames) = 0;
    // A comment that keeps the stream alive.
    virtual void beat() = 0;
};

// Where the hub reads what a channel says after an id. `done` may run on any thread.
class live_source {
public:
    virtual ~live_source() = default;
    virtual void read_after(std::uint64_t channel, std::int64_t after,
                            std::function<void(live_frames)> done) = 0;
};

class live_hub {
public:
    // Changes of a channel are read at most once per `pace`, however many came meanwhile.
    explicit live_hub(live_source& source,
                      std::chrono::milliseconds pace = std::chrono::milliseconds{200});
    ~live_hub();
    live_hub(const live_hub&) = delete;
    live_hub& operator=(const live_hub&) = delete;

    // Gives the hub the executor of its timers and fan-outs (the server's stream thread, one
    // thread); until then changes are ignored.
    void attach(const boost::asio::any_io_executor& executor);
    // A listener joins, having seen the channel up to `after`; it is caught up first when the
    // channel has said more since.
    void join(const live_subscription& where, const std::shared_ptr<live_sink>& sink);
    void leave(std::uint64_t channel, const live_sink* sink);
    // Something the channel's listeners see may have changed; `every_channel` when unknown.
    void changed(std::uint64_t channel);
    static constexpr std::uint64_t every_channel = 0;
    // On the hub's executor: every listener of every channel hears a heartbeat.
    void beat();
    std::size_t listeners() const;

private:
    struct channel_state;
    struct impl;
    void read(std::uint64_t channel);
    void schedule(std::uint64_t channel, channel_state& state);
    void fan_out(std::uint64_t channel, const live_frames& frames);
    std::unique_ptr<impl> impl_;
};

} // namespace rencontres::http
