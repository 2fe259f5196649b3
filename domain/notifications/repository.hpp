#pragma once

#include "domain/notifications/model.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace rencontres {

class outbox_repository {
public:
    virtual ~outbox_repository() = default;
    virtual void enqueue(const outbox_message& message) = 0;
    // Pending messages due at `now`, oldest first.
    virtual std::vector<outbox_message> due(instant now, int limit) = 0;
    virtual void mark_delivered(const std::vector<id_t>& ids, instant now) = 0;
    virtual void postpone(const std::vector<id_t>& ids, instant next_attempt) = 0;
    // Newest first; `delivered` filters when given.
    virtual page<outbox_message> list(std::optional<bool> delivered,
                                      const page_request& request) = 0;
    // A person's messages: those about its account or the registrations linked to it, and, when
    // `verified_email` is given, every message sent to that address.
    virtual std::vector<outbox_message>
    for_person(id_t account_id, std::optional<std::string_view> verified_email) = 0;
    // Personal data: the same messages lose their recipient and body.
    virtual void erase_for_person(id_t account_id,
                                  std::optional<std::string_view> verified_email) = 0;
};

// Where delivered messages go (a log file today; webhooks and SMTP later).
class message_sink {
public:
    virtual ~message_sink() = default;
    // True once every message of the batch is safely handed over (all or nothing).
    virtual bool deliver(const std::vector<outbox_message>& batch) = 0;
};

} // namespace rencontres
