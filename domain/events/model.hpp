#pragma once

#include "domain/common/actor.hpp"
#include "domain/common/ids.hpp"
#include "domain/common/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rencontres {

enum class event_status { draft, published, cancelled };
std::string_view to_string(event_status s);
std::optional<event_status> parse_event_status(std::string_view text);

// The allowed moves: draft -> published -> cancelled, draft -> cancelled.
bool can_move(event_status from, event_status to);

struct venue {
    std::string name;
    std::string address;
    std::string postal_code;
    std::string city;
};

inline constexpr std::string_view default_zone = "Europe/Paris";

struct event {
    id_t id = 0;
    std::string slug;
    std::string title;
    std::string summary;
    std::string description;
    event_status status = event_status::draft;
    std::string timezone{default_zone};
    std::optional<instant> starts_at;
    std::optional<instant> ends_at;
    rencontres::venue venue;
    std::optional<id_t> host_territory_id;
    std::optional<int> capacity; // none: unlimited
    std::optional<instant> registration_opens_at;
    std::optional<instant> registration_closes_at;
    std::vector<id_t> organizer_ids;
    std::optional<std::string> cancel_reason;
    // Where registrants' replies go (the Reply-To of every message about the event): the
    // creating organizer's address unless the organizers give another. Shown to its organizers
    // only; none for an event made before it was kept.
    std::optional<std::string> contact_email;
    int revision = 0; // bumped on every change; part of the calendar SEQUENCE
    instant created_at{};
    instant updated_at{};

    // Listed among the organizers (membership alone grants nothing; see managed_by).
    bool organized_by(std::optional<id_t> account) const;
    // May exercise the event's rights now: an admin, or one of its organizers that holds the
    // organizer role at the time of the request (a demoted organizer loses them at once).
    bool managed_by(const actor& who) const;
};

// What a client sends. Absent fields are left alone; a nullable field set to an empty inner
// optional is cleared.
struct event_fields {
    std::optional<std::string> title;
    std::optional<std::string> summary;
    std::optional<std::string> description;
    std::optional<std::string> timezone;
    std::optional<std::string> starts_at;
    std::optional<std::string> ends_at;
    std::optional<std::string> venue_name;
    std::optional<std::string> venue_address;
    std::optional<std::string> venue_postal_code;
    std::optional<std::string> venue_city;
    std::optional<std::optional<id_t>> host_territory_id;
    std::optional<std::optional<long long>> capacity;
    std::optional<std::optional<std::string>> registration_opens_at;
    std::optional<std::optional<std::string>> registration_closes_at;
    std::optional<std::string> contact_email;
};

// Keyset position in the list order (starts_at, id).
struct event_cursor {
    instant starts_at;
    id_t id = 0;
};

struct event_filter {
    std::optional<instant> from;
    std::optional<instant> to;
    std::optional<id_t> territory;
    // Of the host territory; for an event without one, of its venue's postal code.
    std::optional<std::string> region;
    std::optional<std::string> q; // full text
    std::optional<event_status> status;
    std::optional<id_t> viewer; // sees its own drafts and cancelled events
    bool viewer_is_admin = false;
    int limit = 50;
    std::optional<event_cursor> after;
    std::optional<instant> ended_before; // over by then (the past meetings)
    bool most_recent_first = false;      // by start, latest first; `after` then goes back
};

struct event_page {
    std::vector<event> items;
    std::optional<event_cursor> next;
};

// "La révolution numérique en débat" -> "la-revolution-numerique-en-debat"
std::string slugify(std::string_view title);

} // namespace rencontres
