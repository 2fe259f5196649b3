// Webhooks: other tools of the network (a CRM, a newsletter, an open-data portal) told of
// registrations, events and awards, by signed HTTP requests (API.md §12).
#pragma once

#include "domain/common/ids.hpp"
#include "domain/common/time.hpp"
#include "domain/notifications/model.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rencontres {

inline constexpr std::array<std::string_view, 8> webhook_types{
    "registration.created", "registration.cancelled", "registration.promoted", "event.published",
    "event.changed",        "event.cancelled",        "award.created",         "award.revoked"};

enum class webhook_status { active, paused, disabled };
std::string_view to_string(webhook_status s);
std::optional<webhook_status> parse_webhook_status(std::string_view text);

struct webhook {
    id_t id = 0;
    id_t owner_id = 0;
    std::string url;
    std::vector<std::string> events;
    std::optional<id_t> event_id;
    std::string sealed_secret;
    webhook_status status = webhook_status::active;
    int consecutive_failures = 0;
    instant created_at{};
    instant updated_at{};
    // The owner's rights version it was granted under (account::rights_version).
    std::int64_t rights_version = 1;
};

// What a client sends: on create, url and events (and event_id for organizers); on update, status
// (active or paused) and events.
struct webhook_fields {
    std::optional<std::string> url;
    std::optional<std::vector<std::string>> events;
    std::optional<std::string> event_id;
    std::optional<std::string> status;
};

// A webhook just made, with its signing secret, shown this once.
struct created_webhook {
    rencontres::webhook webhook;
    std::string secret;
};

struct webhook_delivery {
    id_t id = 0;
    id_t webhook_id = 0;
    std::string type;
    id_t subject_id = 0;
    delivery_status status = delivery_status::pending;
    int attempts = 0;
    instant next_attempt_at{};
    std::optional<int> response_status;
    std::optional<int> duration_ms;
    std::optional<std::string> last_error;
    instant created_at{};
    std::optional<instant> delivered_at;
};

// A due delivery with what sending it needs.
struct due_delivery {
    webhook_delivery delivery;
    std::string url;
    std::string sealed_secret;
    id_t owner_id = 0;
    bool owner_may_read = true; // the owner still has the rights the webhook was granted with
};

// What the receiver did with one delivery.
struct webhook_report {
    delivery_outcome outcome = delivery_outcome::sent;
    std::optional<int> response_status;
    int duration_ms = 0;
    std::string error;
};

} // namespace rencontres
