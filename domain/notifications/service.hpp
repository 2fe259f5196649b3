#pragma once

#include "domain/common/actor.hpp"
#include "domain/common/result.hpp"
#include "domain/notifications/model.hpp"
#include "domain/registrations/service.hpp"

namespace rencontres {

class store;
class message_sink;

// When a message (or a webhook delivery) that failed `attempts` times before is tried again; `id`
// spreads the jitter.
instant next_attempt_after(const delivery_policy& policy, int attempts, id_t id, instant now);

class notification_service {
public:
    explicit notification_service(store& db, delivery_policy policy = {})
        : db_(db), policy_(policy) {}

    // Hands the due messages to the sink, oldest first, as one batch, then records what became
    // of each in one transaction: delivered; tried again later with backoff (a temporary
    // failure); or failed (rejected, or out of attempts). Returns how many were delivered.
    // Delivery is at least once: a crash between the sink and the record sends a message again.
    int deliver_due(message_sink& sink, instant now, int limit = 100);
    result<page<outbox_message>> list_outbox(const actor& who, std::optional<std::string> status,
                                             const page_request& request);
    // Admin: a failed message is queued again (409 for any other).
    result<outbox_message> retry_message(const actor& who, id_t id, instant now);
    // The calendar a message about this registration carries: its event and the workshops it
    // holds.
    std::optional<personal_calendar> calendar_of(id_t registration_id);

private:
    store& db_;
    delivery_policy policy_;
};

} // namespace rencontres
