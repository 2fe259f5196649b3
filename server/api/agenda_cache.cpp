#include "server/api/agenda_cache.hpp"

namespace rencontres::http {

bool agenda_cache::current(const agenda_rendering& r, std::uint64_t tick) const {
    const auto later = [&](const std::unordered_map<id_t, std::uint64_t>& stamps) {
        const auto it = stamps.find(r.event_id);
        return it != stamps.end() && it->second > tick;
    };
    return !later(changed_at_) && !(r.with_seats && later(seats_changed_at_));
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

std::uint64_t agenda_cache::tick() const {
    std::lock_guard lock(mutex_);
    return clock_;
}

std::shared_ptr<const agenda_rendering> agenda_cache::find(const std::string& key) const {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end() || !current(*it->second.rendering, it->second.tick)) return nullptr;
    return it->second.rendering;
}

void agenda_cache::store(const std::string& key, std::uint64_t tick,
                         std::shared_ptr<const agenda_rendering> rendering) {
    std::lock_guard lock(mutex_);
    if (!current(*rendering, tick)) return;
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_[key] = {tick, std::move(rendering)};
}

} // namespace rencontres::http
