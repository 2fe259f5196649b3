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
    account_verification,
    event_changed,      // a published event's dates or venue moved
    candidacy_received, // to the one who submitted a label candidacy
    award_announced,    // to the one who submitted the candidacy that won it
    webhook_disabled,   // to a webhook's owner, when repeated failures disabled it
    announcement,       // written by an event's organizers to its registrants
    certificate_ready,  // to one who was checked in, due when the event ends
    organizer_added,    // to one made co-organizer of an event, by whom
    registration_link,  // the link to a registration's page again, asked by its address
    account_invitation, // a link to make an account with a role, sent by an admin or organizer
    password_reset      // a link to choose a new password, asked by the account's address
};
std::string_view to_string(message_kind k);
std::optional<message_kind> parse_message_kind(std::string_view text);

// `skipped`: a webhook delivery dropped because its owner may no longer read what it carries.
enum class delivery_status { pending, delivered, failed, skipped };
std::string_view to_string(delivery_status s);
std::optional<delivery_status> parse_delivery_status(std::string_view text);

// A notification written in the transaction of the change that causes it, delivered after.
struct outbox_message {
    id_t id = 0;
    message_kind kind = message_kind::registration_confirmed;
    std::string recipient;
    std::string subject;
    std::string body;
    delivery_status status = delivery_status::pending;
    int attempts = 0;
    instant next_attempt_at{};
    instant created_at{};
    std::optional<instant> delivered_at;
    std::optional<id_t> registration_id;
    std::optional<id_t> account_id; // the account the message is about (verification)
    std::optional<std::string> last_error;
    // Where a reply goes (the Reply-To): the event's contact address, for messages about one.
    std::optional<std::string> reply_to;
    // For the sink only (read with the due messages): the registration's manage token, sealed,
    // from which the link to the participant's page is written.
    std::optional<std::string> sealed_link;
    // The credential a message carries (a verification token), sealed with the server's key: the
    // stored body never holds it, and its link is written at delivery (credential_link_path).
    std::optional<std::string> sealed_token;
};

// The path, before the token, of the link a message of this kind carries as its credential;
// none for kinds that carry no credential of their own.
std::optional<std::string_view> credential_link_path(message_kind k);
// Messages that carry a credential are listed by kind and date only, in exports and listings.
inline bool carries_credential(message_kind k) {
    return credential_link_path(k).has_value();
}

// What a sink did with one message.
enum class delivery_outcome {
    sent,        // handed over for good
    retry_later, // a temporary failure (a 4xx answer, a timeout, no connection)
    rejected     // a permanent failure (a 5xx answer): retrying would not help
};
struct delivery_report {
    delivery_outcome outcome = delivery_outcome::sent;
    std::string error; // what the other side said, for the admin
};

// How failed deliveries are retried: exponential backoff from `first_retry`, at most
// `max_backoff`, with a jitter of up to a quarter; after `max_attempts` a message is `failed`.
struct delivery_policy {
    int max_attempts = 10;
    std::chrono::seconds first_retry{30};
    std::chrono::seconds max_backoff{std::chrono::hours{6}};
};

} // namespace rencontres
