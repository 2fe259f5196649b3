#include "server/transport/live.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <optional>

namespace rencontres::http {

namespace net = boost::asio;

struct live_hub::channel_state {
    std::vector<std::shared_ptr<live_sink>> sinks;
    // Where each sink stands in `sinks`: a listener leaves in constant time, so that ten
    // thousand leaving at once (a projector's network gone) cost ten thousand steps, not 10^8.
    std::unordered_map<const live_sink*, std::size_t> place;
    std::int64_t broadcast_id = 0; // the last id sent to every listener
    bool reading = false; // a read is scheduled, under way, or its frames still handed over
    bool dirty = false;   // changed again meanwhile: read once more after it
    std::chrono::steady_clock::time_point last_read{};
};

struct live_hub::impl {
    impl(live_source& s, std::chrono::milliseconds p) : source(s), pace(p) {}
    live_source& source;
    std::chrono::milliseconds pace;
    mutable std::mutex mutex;
    std::unordered_map<std::uint64_t, channel_state> channels;
    std::optional<net::any_io_executor> executor;
    std::size_t listeners = 0;
};

live_hub::live_hub(live_source& source, std::chrono::milliseconds pace)
    : impl_(std::make_unique<impl>(source, pace)) {}

live_hub::~live_hub() = default;

void live_hub::attach(const net::any_io_executor& executor) {
    std::lock_guard lock(impl_->mutex);
    impl_->executor = executor;
}

std::size_t live_hub::listeners() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->listeners;
}

// Under the lock: a read of the channel, at once or once `pace` has passed since the last one.
void live_hub::schedule(std::uint64_t channel, channel_state& state) {
    if (state.reading) {
        state.dirty = true;
        return;
    }
    if (!impl_->executor) return;
    state.reading = true;
    const auto due = state.last_read + impl_->pace;
    const auto now = std::chrono::steady_clock::now();
    auto timer = std::make_shared<net::steady_timer>(*impl_->executor);
    timer->expires_after(due > now ? due - now : std::chrono::steady_clock::duration::zero());
    timer->async_wait([this, channel, timer](const boost::system::error_code& ec) {
        if (ec) {
            std::lock_guard lock(impl_->mutex);
            if (const auto it = impl_->channels.find(channel); it != impl_->channels.end())
                it->second.reading = false;
            return;
        }
        read(channel);
    });
}

void live_hub::read(std::uint64_t channel) {
    std::int64_t after = 0;
    {
        std::lock_guard lock(impl_->mutex);
        const auto it = impl_->channels.find(channel);
        if (it == impl_->channels.end()) return;
        after = it->second.broadcast_id;
        it->second.last_read = std::chrono::steady_clock::now();
    }
    impl_->source.read_after(channel, after, [this, channel](live_frames frames) {
        std::lock_guard lock(impl_->mutex);
        net::post(*impl_->executor,
                  [this, channel, frames = std::move(frames)] { fan_out(channel, frames); });
    });
}

// On the hub's executor: hands the frames to every listener of the channel. The channel's next
// read waits until they are handed over, so that every listener gets a channel's frames in
// order.
void live_hub::fan_out(std::uint64_t channel, const live_frames& frames) {
    std::vector<std::shared_ptr<live_sink>> to;
    {
        std::lock_guard lock(impl_->mutex);
        const auto it = impl_->channels.find(channel);
        if (it == impl_->channels.end()) return;
        auto& state = it->second;
        if (frames.last_id > state.broadcast_id) {
            state.broadcast_id = frames.last_id;
            if (frames.bytes) to = state.sinks;
        }
    }
    for (const auto& sink : to)
        sink->deliver(frames);
    std::lock_guard lock(impl_->mutex);
    const auto it = impl_->channels.find(channel);
    if (it == impl_->channels.end()) return;
    auto& state = it->second;
    state.reading = false;
    if (state.sinks.empty()) {
        impl_->channels.erase(it);
    } else if (state.dirty) {
        state.dirty = false;
        schedule(channel, state);
    }
}

void live_hub::beat() {
    std::vector<std::shared_ptr<live_sink>> to;
    {
        std::lock_guard lock(impl_->mutex);
        to.reserve(impl_->listeners);
        for (const auto& [id, state] : impl_->channels)
            to.insert(to.end(), state.sinks.begin(), state.sinks.end());
    }
    for (const auto& sink : to)
        sink->beat();
}

void live_hub::join(const live_subscription& where, const std::shared_ptr<live_sink>& sink) {
    bool catch_up = false;
    {
        std::lock_guard lock(impl_->mutex);
        const bool fresh = !impl_->channels.contains(where.channel);
        auto& state = impl_->channels[where.channel];
        state.place.emplace(sink.get(), state.sinks.size());
        state.sinks.push_back(sink);
        ++impl_->listeners;
        if (fresh) {
            // The first listener says where the channel stands; a read tells what came since.
            state.broadcast_id = where.after;
            schedule(where.channel, state);
        } else {
            catch_up = where.after < state.broadcast_id;
        }
    }
    if (!catch_up) {
        sink->caught_up({where.after, nullptr});
        return;
    }
    impl_->source.read_after(where.channel, where.after,
                             [sink](live_frames frames) { sink->caught_up(frames); });
}

void live_hub::leave(std::uint64_t channel, const live_sink* sink) {
    std::lock_guard lock(impl_->mutex);
    const auto it = impl_->channels.find(channel);
    if (it == impl_->channels.end()) return;
    auto& state = it->second;
    auto& sinks = state.sinks;
    const auto found = state.place.find(sink);
    if (found == state.place.end()) return;
    // The last one takes its place (the order of listeners means nothing).
    const auto at = found->second;
    state.place.erase(found);
    if (at + 1 != sinks.size()) {
        sinks[at] = std::move(sinks.back());
        state.place[sinks[at].get()] = at;
    }
    sinks.pop_back();
    --impl_->listeners;
    if (sinks.empty() && !it->second.reading) impl_->channels.erase(it);
}

void live_hub::changed(std::uint64_t channel) {
    std::lock_guard lock(impl_->mutex);
    if (channel == every_channel) {
        for (auto& [id, state] : impl_->channels)
            schedule(id, state);
        return;
    }
    const auto it = impl_->channels.find(channel);
    if (it == impl_->channels.end()) return; // nobody listens
    schedule(channel, it->second);
}

} // namespace rencontres::http
