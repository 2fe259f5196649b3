#pragma once

#include "domain/common/ids.hpp"
#include "domain/common/time.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace rencontres {

enum class message_kind {
    registration_confirmed,
    registration_waitlisted,
    waitlist_promoted,
    registration_cancelled,
    event_cancelled,
    account_verification
};
std::string_view to_string(message_kind k);
std::optional<message_kind> parse_message_kind(std::string_view text);

// A notification written in the transaction of the change that causes it, delivered after.
struct outbox_message {
    id_t id = 0;
    message_kind kind = message_kind::registration_confirmed;
    std::string recipient;
    std::string subject;
    std::string body;
    bool delivered = false;
    int attempts = 0;
    instant next_attempt_at{};
    instant created_at{};
    std::optional<instant> delivered_at;
    std::optional<id_t> registration_id;
    std::optional<id_t> account_id; // the account the message is about (verification)
};

} // namespace rencontres
