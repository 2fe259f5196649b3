#pragma once

#include "domain/common/actor.hpp"
#include "domain/common/result.hpp"
#include "domain/notifications/model.hpp"

namespace rencontres {

class store;
class message_sink;

class notification_service {
public:
    explicit notification_service(store& db) : db_(db) {}

    // Hands the due messages to the sink, oldest first, as one batch, and marks them delivered in
    // one transaction; a batch the sink refuses is tried again later with exponential backoff
    // (up to an hour). Returns how many were delivered.
    int deliver_due(message_sink& sink, instant now, int limit = 100);
    result<page<outbox_message>> list_outbox(const actor& who, std::optional<bool> delivered,
                                             const page_request& request);

private:
    store& db_;
};

} // namespace rencontres
