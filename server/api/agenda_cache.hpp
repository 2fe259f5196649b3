// Rendered agendas (JSON and iCalendar) and event pages (HTML), kept until the domain says the
// event changed; an event page, which shows seats left, also until its seat counts change.
//
// The agenda is the most-read resource: rendering it means a transaction, a few queries and
// serialization, while the bytes change only when an organizer edits the programme. Services
// report every committed change (agenda_observer), which stamps the event with the next tick of a
// counter. A rendering carries the tick read *before* its data was read: it is current while its
// event has no stamp later than that, so a change committed meanwhile makes it stale at once.
//
// One rendering of a key is made at a time (find_or_make): the requests that miss while it is
// being made wait for it and share it. Without that, the first second after a start, or after a
// change to a popular event, renders the same bytes once per waiting request, and those renders
// take the CPU from every other connection (on PostgreSQL, from the requests served from
// memory too).
#pragma once

#include "domain/agenda/observer.hpp"
#include "domain/common/time.hpp"
#include "server/transport/message.hpp"

#include <condition_variable>
#include <cstdint>
#include <functional>
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

    // The rendering stored under `key` (an id or a slug) if it is still current at `now`.
    std::shared_ptr<const agenda_rendering> find(const std::string& key, instant now) const;
    // What reads the data and makes a rendering, or returns nullptr when there is nothing to keep
    // (the caller answers with an error it kept aside); it may throw.
    using maker = std::function<std::shared_ptr<const agenda_rendering>()>;
    // The rendering of `key` current at `now`, else one made by `make` and kept: by this caller's
    // `make`, or, when another request is making it already, by theirs, once it is done and if
    // nothing changed meanwhile. nullptr only when this caller's own `make` returned nullptr. The
    // rendering may be another caller's: a draft's still needs the caller's right checked.
    std::shared_ptr<const agenda_rendering> find_or_make(const std::string& key, instant now,
                                                         const maker& make);
    // How many requests are waiting for a rendering another one is making (for tests).
    std::size_t waiting() const;

private:
    struct entry {
        std::uint64_t tick;
        std::shared_ptr<const agenda_rendering> rendering;
    };
    // A rendering being made: done once its maker returned or threw (`made` null then).
    struct making {
        bool done = false;
        std::uint64_t tick = 0;
        std::shared_ptr<const agenda_rendering> made;
    };
    bool current(const agenda_rendering& r, std::uint64_t tick, instant now) const;
    // find() with the mutex held.
    std::shared_ptr<const agenda_rendering> kept(const std::string& key, instant now) const;
    void finish(const std::string& key, const std::shared_ptr<making>& turn, std::uint64_t tick,
                instant now, std::shared_ptr<const agenda_rendering> made);

    std::size_t max_entries_;
    mutable std::mutex mutex_;
    std::uint64_t clock_ = 0;
    std::unordered_map<id_t, std::uint64_t> changed_at_;
    std::unordered_map<id_t, std::uint64_t> seats_changed_at_;
    std::unordered_map<std::string, entry> entries_;
    std::unordered_map<std::string, std::shared_ptr<making>> making_;
    std::condition_variable made_;
    std::size_t waiting_ = 0;
};

} // namespace rencontres::http
