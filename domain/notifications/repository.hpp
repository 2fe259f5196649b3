#pragma once

#include "domain/notifications/model.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace rencontres {

class outbox_repository {
public:
    virtual ~outbox_repository() = default;
    // Not written when the message is about a registration whose event and recipient are
    // suppressed.
    virtual void enqueue(const outbox_message& message) = 0;
    // When the pending messages of `kind` about the event's registrations fall due (the earliest),
    // if there are any; and those messages dropped, to be written again (coalescing).
    virtual std::optional<instant> pending_for_event(message_kind kind, id_t event_id) = 0;
    virtual void drop_pending_for_event(message_kind kind, id_t event_id) = 0;
    // The pending messages of `kind` about one registration dropped (a check-in undone).
    virtual void drop_pending_for_registration(message_kind kind, id_t registration_id) = 0;
    // No more mail to `email` about the event's registrations (kept once).
    virtual void suppress(id_t event_id, std::string_view email, instant now) = 0;
    // Pending messages due at `now`, oldest first, with the sealed link of their registration.
    virtual std::vector<outbox_message> due(instant now, int limit) = 0;
    virtual std::optional<outbox_message> find(id_t id) = 0;
    virtual void mark_delivered(const std::vector<id_t>& ids, instant now) = 0;
    // One more attempt failed: tried again at `next_attempt`.
    virtual void postpone(id_t id, instant next_attempt, std::string_view error) = 0;
    // Given up: `failed` with its last error, until an admin queues it again.
    virtual void fail(id_t id, std::string_view error) = 0;
    // A failed message pending again, due at `now`, with its attempts counted from zero.
    virtual void requeue(id_t id, instant now) = 0;
    // Newest first; `status` filters when given.
    virtual page<outbox_message> list(std::optional<delivery_status> status,
                                      const page_request& request) = 0;
    // A person's messages: those about its account or the registrations linked to it, and, when
    // `verified_email` is given, every message sent to that address.
    virtual std::vector<outbox_message>
    for_person(id_t account_id, std::optional<std::string_view> verified_email) = 0;
    // The messages about one registration, oldest first (its page in the console).
    virtual std::vector<outbox_message> for_registration(id_t registration_id) = 0;
    // Personal data: the same messages lose their recipient and body.
    virtual void erase_for_person(id_t account_id,
                                  std::optional<std::string_view> verified_email) = 0;
};

// Where delivered messages go: a log file, or a mail server.
class message_sink {
public:
    virtual ~message_sink() = default;
    // One report per message of the batch, in its order.
    virtual std::vector<delivery_report> deliver(const std::vector<outbox_message>& batch) = 0;
};

} // namespace rencontres
