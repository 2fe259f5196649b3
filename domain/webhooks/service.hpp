#pragma once

#include "domain/common/actor.hpp"
#include "domain/common/result.hpp"
#include "domain/events/model.hpp"
#include "domain/labels/model.hpp"
#include "domain/registrations/repository.hpp"
#include "domain/webhooks/model.hpp"

#include <string>

namespace rencontres {

class store;

// Makes signing secrets: "whsec_" and the base64 of random bytes, as Standard Webhooks has them.
class secret_source {
public:
    virtual ~secret_source() = default;
    virtual std::string make_secret() = 0;
};

// Whether a target URL may be called: not one that resolves to a loopback, private or link-local
// address (unless the server allows private targets).
class target_guard {
public:
    virtual ~target_guard() = default;
    virtual bool allowed(std::string_view url) = 0;
};

// Sends one delivery: signs it and posts it, within a timeout; checks the address it connects to.
class webhook_sender {
public:
    virtual ~webhook_sender() = default;
    virtual webhook_report send(const due_delivery& d, instant now) = 0;
};

struct webhook_policy {
    delivery_policy retries;
    int disable_after_failures = 20; // consecutive failed attempts before a webhook is disabled
};

// Who may do what: organizers own webhooks of the events they organize (event_id required),
// admins own webhooks of any or every event. A webhook is seen and changed by its owner while the
// owner keeps the rights it needs (403 once lost) and by admins; an event's organizers see every
// webhook of the event, and may pause or delete it; anyone else gets 404. A delivery is queued and
// sent only while the owner may read what it carries; otherwise it is skipped and the webhook
// disabled.
class webhook_service {
public:
    webhook_service(store& db, reply_sealer& sealer, secret_source& secrets, target_guard& guard,
                    webhook_policy policy = {})
        : db_(db), sealer_(sealer), secrets_(secrets), guard_(guard), policy_(policy) {}

    result<created_webhook> create_webhook(const actor& who, const webhook_fields& fields,
                                           instant now);
    // The caller's own webhooks that it may still hold (every webhook, for admins).
    result<std::vector<webhook>> list_webhooks(const actor& who);
    // Every webhook of an event, whoever made it: for its organizers and admins.
    result<std::vector<webhook>> event_webhooks(const actor& who, std::string_view event_id);
    result<webhook> get_webhook(const actor& who, id_t id);
    result<webhook> update_webhook(const actor& who, id_t id, const webhook_fields& fields,
                                   instant now);
    result<void> delete_webhook(const actor& who, id_t id, instant now);
    result<page<webhook_delivery>> list_deliveries(const actor& who, id_t id,
                                                   const page_request& request);
    // Admins: every webhook's failed deliveries, newest first; and one of them sent again (its
    // webhook must be active for it to go).
    result<page<webhook_delivery>> failed_deliveries(const actor& who, const page_request& request);
    result<void> retry_delivery(const actor& who, id_t delivery_id, instant now);
    // Sends the due deliveries, one by one, and records each outcome: delivered; tried again with
    // backoff; failed after the last attempt. A webhook that fails `disable_after_failures` times
    // in a row is disabled and its owner told by email. Returns how many were delivered.
    int deliver_due(webhook_sender& sender, instant now, int limit = 50);
    // What a delivery is about, as it stands (none once deleted): the data of its body.
    std::optional<registration> registration_of(id_t id);
    std::optional<event> event_of(id_t id);
    std::optional<award> award_of(id_t id);

private:
    store& db_;
    reply_sealer& sealer_;
    secret_source& secrets_;
    target_guard& guard_;
    webhook_policy policy_;
};

// Announces a change to the webhooks that want it, in the caller's transaction.
class unit_of_work;
struct account;
// Keeps an account's webhooks in step with its rights, in the caller's transaction (after a
// change of role, or its removal from an event's organizers): those it may still hold take its
// current rights version, the others are disabled.
void follow_rights(unit_of_work& uow, const account& holder, instant now);
void announce(unit_of_work& uow, std::string_view type, std::optional<id_t> event_id,
              id_t subject_id, instant now);

} // namespace rencontres
