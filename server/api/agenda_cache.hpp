// Rendered agendas (JSON and iCalendar) and event pages (HTML), kept until the domain says the
// event changed; an event page, which shows seats left, also until its seat counts change.
//
// The agenda is the most-read resource: rendering it means a transaction, a few queries and
// serialization, while the bytes change only when an organizer edits the programme. Services
// report every committed change (agenda_observer), which stamps the event with the next tick of a
// counter. A rendering carries the tick read *before* its data was read: it is current while its
// event has no stamp later than that, so a change committed meanwhile makes it stale at once.
#pragma once

#include "domain/agenda/observer.hpp"
#include "domain/common/time.hpp"
#include "server/transport/message.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace rencontres::http {

struct agenda_rendering {
    id_t event_id = 0;
    bool is_public = false; // published or cancelled: served without authentication
    std::string json;
    std::string json_etag;
    std::string ics;
    std::string ics_etag;
    // An event page: it shows seats left, and whether registration is open, until `valid_until`
    // (the next opening, closing or start, when the page must change by itself).
    bool with_seats = false;
    std::string html;
    std::string html_etag;
    std::vector<header> html_headers; // the page's security headers
    std::optional<instant> valid_until;
};

class agenda_cache final : public agenda_observer {
public:
    explicit agenda_cache(std::size_t max_entries = 10'000) : max_entries_(max_entries) {}

    void agenda_changed(id_t event_id) override;
    void seats_changed(id_t event_id) override;

    // Read this before reading the data of a rendering.
    std::uint64_t tick() const;
    // The rendering stored under `key` (an id or a slug) if it is still current.
    std::shared_ptr<const agenda_rendering> find(const std::string& key) const;
    // Keeps a rendering made from data read after `tick` (ignored if already stale).
    void store(const std::string& key, std::uint64_t tick,
               std::shared_ptr<const agenda_rendering> rendering);

private:
    struct entry {
        std::uint64_t tick;
        std::shared_ptr<const agenda_rendering> rendering;
    };
    bool current(const agenda_rendering& r, std::uint64_t tick) const;

    std::size_t max_entries_;
    mutable std::mutex mutex_;
    std::uint64_t clock_ = 0;
    std::unordered_map<id_t, std::uint64_t> changed_at_;
    std::unordered_map<id_t, std::uint64_t> seats_changed_at_;
    std::unordered_map<std::string, entry> entries_;
};

} // namespace rencontres::http
