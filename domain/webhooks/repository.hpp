#pragma once

#include "domain/webhooks/model.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace rencontres {

class webhooks_repository {
public:
    virtual ~webhooks_repository() = default;
    virtual webhook insert(const webhook& draft) = 0;
    virtual std::optional<webhook> find(id_t id) = 0;
    // Newest first; only the owner's unless `owner` is empty.
    virtual std::vector<webhook> list(std::optional<id_t> owner) = 0;
    // Every webhook of the event, whoever created it, newest first.
    virtual std::vector<webhook> for_event(id_t event_id) = 0;
    virtual void update(const webhook& w) = 0;
    virtual void remove(id_t id) = 0;
    // One pending delivery of `type` about `subject_id` for each active webhook that wants it:
    // those of the event `event_id`, and those of every event. In the caller's transaction. A
    // webhook whose owner may no longer read what it carries gets a `skipped` delivery instead,
    // and is disabled.
    virtual void announce(std::string_view type, std::optional<id_t> event_id, id_t subject_id,
                          instant now) = 0;
    // Pending deliveries due at `now`, each the oldest pending one of its webhook, so that a
    // webhook's deliveries arrive in order.
    virtual std::vector<due_delivery> due(instant now, int limit) = 0;
    virtual void record(id_t delivery_id, delivery_status status, const webhook_report& report,
                        std::optional<instant> next_attempt, instant now) = 0;
    virtual page<webhook_delivery> deliveries(id_t webhook_id, const page_request& request) = 0;
    // Every webhook's deliveries that failed after their last attempt, newest first.
    virtual page<webhook_delivery> failed_deliveries(const page_request& request) = 0;
    virtual std::optional<webhook_delivery> find_delivery(id_t id) = 0;
    // A failed delivery pending again, due at `now`, with its attempts counted afresh.
    virtual void requeue_delivery(id_t id, instant now) = 0;
};

} // namespace rencontres
