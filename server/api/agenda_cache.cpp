#include "server/api/agenda_cache.hpp"

namespace rencontres::http {

// Current: no change to its event since `tick`, and, for an event page, before its own end of
// validity (it changes by itself when registration opens or closes).
bool agenda_cache::current(const agenda_rendering& r, std::uint64_t tick, instant now) const {
    const auto later = [&](const std::unordered_map<id_t, std::uint64_t>& stamps) {
        const auto it = stamps.find(r.event_id);
        return it != stamps.end() && it->second > tick;
    };
    return !later(changed_at_) && !(r.with_seats && later(seats_changed_at_)) &&
           !(r.valid_until && now >= *r.valid_until);
}

// Called for every registration: a stamp, no scan of the entries (a stale page is replaced when
// next rendered).
void agenda_cache::seats_changed(id_t event_id) {
    std::lock_guard lock(mutex_);
    seats_changed_at_[event_id] = ++clock_;
}

void agenda_cache::agenda_changed(id_t event_id) {
    std::lock_guard lock(mutex_);
    changed_at_[event_id] = ++clock_;
    std::erase_if(entries_,
                  [&](const auto& e) { return e.second.rendering->event_id == event_id; });
}

std::shared_ptr<const agenda_rendering> agenda_cache::kept(const std::string& key,
                                                           instant now) const {
    const auto it = entries_.find(key);
    if (it == entries_.end() || !current(*it->second.rendering, it->second.tick, now))
        return nullptr;
    return it->second.rendering;
}

std::shared_ptr<const agenda_rendering> agenda_cache::find(const std::string& key,
                                                           instant now) const {
    std::lock_guard lock(mutex_);
    return kept(key, now);
}

std::shared_ptr<const agenda_rendering> agenda_cache::find_or_make(const std::string& key,
                                                                   instant now, const maker& make) {
    std::shared_ptr<making> turn;
    std::uint64_t tick = 0;
    {
        std::unique_lock lock(mutex_);
        for (;;) {
            if (auto found = kept(key, now)) return found;
            const auto other = making_.find(key);
            if (other == making_.end()) break;
            const auto theirs = other->second;
            ++waiting_;
            made_.wait(lock, [&] { return theirs->done; });
            --waiting_;
            // Theirs, if they made one and nothing changed since they read its data; otherwise
            // (their error, or a change meanwhile) look again, and make one if nobody is.
            if (theirs->made && current(*theirs->made, theirs->tick, now)) return theirs->made;
        }
        turn = std::make_shared<making>();
        making_[key] = turn;
        tick = clock_;
    }
    std::shared_ptr<const agenda_rendering> made;
    try {
        made = make(); // from data read after `tick`
    } catch (...) {
        finish(key, turn, tick, now, nullptr);
        throw;
    }
    finish(key, turn, tick, now, made);
    return made;
}

void agenda_cache::finish(const std::string& key, const std::shared_ptr<making>& turn,
                          std::uint64_t tick, instant now,
                          std::shared_ptr<const agenda_rendering> made) {
    {
        std::lock_guard lock(mutex_);
        if (made && current(*made, tick, now)) {
            if (entries_.size() >= max_entries_) entries_.clear();
            entries_[key] = {tick, made};
        }
        turn->done = true;
        turn->tick = tick;
        turn->made = std::move(made);
        making_.erase(key);
    }
    made_.notify_all();
}

std::size_t agenda_cache::waiting() const {
    std::lock_guard lock(mutex_);
    return waiting_;
}

} // namespace rencontres::http
