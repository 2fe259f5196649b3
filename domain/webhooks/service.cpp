#include "domain/webhooks/service.hpp"

#include "domain/accounts/repository.hpp"
#include "domain/audit/service.hpp"
#include "domain/common/fields.hpp"
#include "domain/common/names.hpp"
#include "domain/events/repository.hpp"
#include "domain/events/service.hpp"
#include "domain/labels/repository.hpp"
#include "domain/notifications/repository.hpp"
#include "domain/notifications/service.hpp"
#include "domain/store.hpp"
#include "domain/webhooks/repository.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace rencontres {
namespace {

constexpr std::array<std::string_view, 3> status_names{"active", "paused", "disabled"};

bool known_type(std::string_view t) {
    return std::find(webhook_types.begin(), webhook_types.end(), t) != webhook_types.end();
}

bool may_hold_webhooks(const actor& who) {
    return who.role == role::organizer || who.role == role::admin;
}

// Whether `holder` may read what webhook `w` carries: an admin, or an organizer of its event.
bool may_read(unit_of_work& uow, const account& holder, const webhook& w) {
    if (holder.role == role::admin) return true;
    if (holder.role != role::organizer || !w.event_id) return false;
    const auto e = uow.events().find(*w.event_id);
    return e && e->organized_by(holder.id);
}

// What the caller may do with a webhook.
enum class hold { owner, event_organizer };

// The webhook, if the caller may see it: its owner while the owner keeps the rights it needs
// (403 once they are lost), an organizer of its event, an admin; not found for anyone else.
result<std::pair<webhook, hold>> reachable(unit_of_work& uow, const actor& who, id_t id) {
    if (!who.authenticated()) return unauthenticated();
    auto found = uow.webhooks().find(id);
    if (!found) return not_found(rule::webhook_not_found, "No such webhook.");
    if (who.role == role::admin) return std::pair{*found, hold::owner};
    const auto caller = uow.accounts().find(*who.account_id);
    if (!caller) return unauthenticated();
    const bool organizes = found->event_id && who.role == role::organizer && [&] {
        const auto e = uow.events().find(*found->event_id);
        return e && e->organized_by(caller->id);
    }();
    if (found->owner_id == caller->id) {
        if (!organizes)
            return forbidden(rule::rights_lost,
                             "You no longer have the rights this webhook needs: it is disabled.");
        return std::pair{*found, hold::owner};
    }
    if (organizes) return std::pair{*found, hold::event_organizer};
    return not_found(rule::webhook_not_found, "No such webhook.");
}

void check_events(validation& v, const std::vector<std::string>& events) {
    if (events.empty()) v.fail("events", field_rule::count, "must list at least one type");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto field = "events[" + std::to_string(i) + "]";
        if (!known_type(events[i]))
            v.fail(field, field_rule::choice, "is not a webhook type");
        else if (!seen.insert(events[i]).second)
            v.fail(field, field_rule::duplicate, "is listed twice");
    }
}

} // namespace

std::string_view to_string(webhook_status s) {
    return name_of(status_names, s);
}

std::optional<webhook_status> parse_webhook_status(std::string_view text) {
    return parse_name<webhook_status>(status_names, text);
}

void announce(unit_of_work& uow, std::string_view type, std::optional<id_t> event_id,
              id_t subject_id, instant now) {
    uow.webhooks().announce(type, event_id, subject_id, now);
}

void follow_rights(unit_of_work& uow, const account& holder, instant now) {
    for (auto w : uow.webhooks().list(holder.id)) {
        if (may_read(uow, holder, w)) {
            if (w.rights_version == holder.rights_version) continue;
            w.rights_version = holder.rights_version;
        } else {
            if (w.status == webhook_status::disabled) continue;
            w.status = webhook_status::disabled;
        }
        w.updated_at = now;
        uow.webhooks().update(w);
    }
}

result<created_webhook> webhook_service::create_webhook(const actor& who,
                                                        const webhook_fields& fields, instant now) {
    if (!who.authenticated()) return unauthenticated();
    if (!may_hold_webhooks(who))
        return forbidden(rule::not_allowed, "Only organizers and admins hold webhooks.");
    validation v;
    const auto url = fields.url.value_or("");
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
        v.fail("url", field_rule::format, "must be an http:// or https:// address");
    else if (url.size() > 2000)
        v.fail("url", field_rule::length, "must be at most 2000 characters");
    else if (!guard_.allowed(url))
        v.fail("url", field_rule::unsafe_address,
               "resolves to a loopback, private or link-local address, or to none");
    const auto events = fields.events.value_or(std::vector<std::string>{});
    check_events(v, events);
    if (who.role != role::admin && !fields.event_id)
        v.fail("event_id", field_rule::required,
               "is required: an organizer's webhook is about one of its events");
    if (!v.ok()) return v.error();
    auto uow = db_.begin(access::write);
    std::optional<id_t> event_id;
    if (fields.event_id) {
        // Held: an organizer removed meanwhile would keep a webhook of an event it no longer
        // reads (remove_organizer pauses those it finds).
        const auto e = who.role == role::admin ? held_visible_event(*uow, who, *fields.event_id)
                                               : held_editable_event(*uow, who, *fields.event_id);
        if (!e)
            return invalid_field("event_id", field_rule::unknown, "is not an event you organize");
        event_id = e->id;
    }
    created_webhook out;
    out.secret = secrets_.make_secret();
    webhook draft;
    draft.owner_id = *who.account_id;
    draft.url = url;
    draft.events = events;
    draft.event_id = event_id;
    draft.sealed_secret = sealer_.seal(out.secret);
    draft.created_at = draft.updated_at = now;
    const auto owner = uow->accounts().find(*who.account_id);
    if (!owner) return unauthenticated();
    draft.rights_version = owner->rights_version;
    out.webhook = uow->webhooks().insert(draft);
    record_change(uow->audit(), who, "create_webhook", "webhook", id_text(out.webhook.id), now,
                  url);
    uow->commit();
    return out;
}

result<std::vector<webhook>> webhook_service::list_webhooks(const actor& who) {
    if (!who.authenticated()) return unauthenticated();
    if (!may_hold_webhooks(who))
        return forbidden(rule::not_allowed, "Only organizers and admins hold webhooks.");
    auto uow = db_.begin(access::read);
    auto all = uow->webhooks().list(who.role == role::admin ? std::nullopt : who.account_id);
    if (who.role == role::admin) return all;
    // An organizer's own webhooks, of the events it still organizes.
    const auto caller = uow->accounts().find(*who.account_id);
    if (!caller) return unauthenticated();
    std::erase_if(all, [&](const webhook& w) { return !may_read(*uow, *caller, w); });
    return all;
}

result<std::vector<webhook>> webhook_service::event_webhooks(const actor& who,
                                                             std::string_view event_id) {
    auto uow = db_.begin(access::read);
    const auto e = editable_event(*uow, who, event_id);
    if (!e) return e.error();
    return uow->webhooks().for_event(e->id);
}

result<webhook> webhook_service::get_webhook(const actor& who, id_t id) {
    auto uow = db_.begin(access::read);
    auto found = reachable(*uow, who, id);
    if (!found) return found.error();
    return found->first;
}

result<webhook> webhook_service::update_webhook(const actor& who, id_t id,
                                                const webhook_fields& fields, instant now) {
    validation v;
    std::optional<webhook_status> status;
    if (fields.status) {
        status = parse_webhook_status(*fields.status);
        if (!status || *status == webhook_status::disabled)
            v.fail("status", field_rule::choice, "must be active or paused");
    }
    if (fields.events) check_events(v, *fields.events);
    if (fields.url || fields.event_id)
        v.fail("url", field_rule::unchangeable, "cannot change: create another webhook");
    if (!v.ok()) return v.error();
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::webhook, id);
    auto reached = reachable(*uow, who, id);
    if (!reached) return reached.error();
    auto& [found, held] = *reached;
    // The event's other organizers may pause a webhook they did not make, not redirect it.
    if (held == hold::event_organizer &&
        (fields.events || (status && *status != webhook_status::paused)))
        return forbidden(rule::not_the_owner,
                         "Only the webhook's owner may change it; you may pause or delete it.");
    if (status) {
        found.status = *status;
        if (*status == webhook_status::active) {
            found.consecutive_failures = 0;
            // Its owner, who holds the rights now, grants them again.
            if (const auto owner = uow->accounts().find(found.owner_id))
                found.rights_version = owner->rights_version;
        }
    }
    if (fields.events) found.events = *fields.events;
    found.updated_at = now;
    uow->webhooks().update(found);
    record_change(uow->audit(), who, "update_webhook", "webhook", id_text(id), now,
                  std::string(to_string(found.status)));
    uow->commit();
    return found;
}

result<void> webhook_service::delete_webhook(const actor& who, id_t id, instant now) {
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::webhook, id);
    auto found = reachable(*uow, who, id);
    if (!found) return found.error();
    uow->webhooks().remove(id);
    record_change(uow->audit(), who, "delete_webhook", "webhook", id_text(id), now,
                  found->first.url);
    uow->commit();
    return {};
}

result<page<webhook_delivery>> webhook_service::list_deliveries(const actor& who, id_t id,
                                                                const page_request& request) {
    auto uow = db_.begin(access::read);
    auto found = reachable(*uow, who, id);
    if (!found) return found.error();
    return uow->webhooks().deliveries(id, request);
}

int webhook_service::deliver_due(webhook_sender& sender, instant now, int limit) {
    std::vector<due_delivery> due;
    {
        auto uow = db_.begin(access::read);
        due = uow->webhooks().due(now, limit);
    }
    int sent = 0;
    for (const auto& d : due) {
        // Sent outside any transaction: a slow receiver holds no lock.
        // The owner lost the right to read it since it was queued: dropped, webhook disabled.
        // Marks on this delivery and its webhook alone (one instance delivers, one at a time).
        if (!d.owner_may_read) {
            auto uow = db_.begin(access::write_beside);
            auto hook = uow->webhooks().find(d.delivery.webhook_id);
            if (!hook) continue;
            webhook_report skipped{delivery_outcome::rejected, std::nullopt, 0,
                                   "skipped: the owner may no longer read what it carries"};
            uow->webhooks().record(d.delivery.id, delivery_status::skipped, skipped, std::nullopt,
                                   now);
            hook->status = webhook_status::disabled;
            hook->updated_at = now;
            uow->webhooks().update(*hook);
            uow->commit();
            continue;
        }
        const auto report = sender.send(d, now);
        auto uow = db_.begin(access::write_beside);
        auto hook = uow->webhooks().find(d.delivery.webhook_id);
        if (!hook) continue; // deleted meanwhile, with its deliveries
        if (report.outcome == delivery_outcome::sent) {
            uow->webhooks().record(d.delivery.id, delivery_status::delivered, report, std::nullopt,
                                   now);
            hook->consecutive_failures = 0;
            ++sent;
        } else {
            const bool last = d.delivery.attempts + 1 >= policy_.retries.max_attempts;
            // The same schedule as the outbox's, from the delivery's own attempts.
            uow->webhooks().record(
                d.delivery.id, last ? delivery_status::failed : delivery_status::pending, report,
                last ? std::nullopt
                     : std::optional(next_attempt_after(policy_.retries, d.delivery.attempts,
                                                        d.delivery.id, now)),
                now);
            if (++hook->consecutive_failures >= policy_.disable_after_failures &&
                hook->status == webhook_status::active) {
                hook->status = webhook_status::disabled;
                if (const auto owner = uow->accounts().find(hook->owner_id)) {
                    outbox_message m;
                    m.kind = message_kind::webhook_disabled;
                    m.recipient = owner->email;
                    m.account_id = owner->id;
                    m.subject = "Webhook désactivé : " + hook->url;
                    m.body = "Bonjour " + owner->display_name + ",\n\nLe webhook " + hook->url +
                             " a échoué " + std::to_string(hook->consecutive_failures) +
                             " fois de suite (dernière erreur : " + report.error +
                             "). Il est désactivé : réactivez-le une fois le destinataire réparé.";
                    m.created_at = m.next_attempt_at = now;
                    uow->outbox().enqueue(m);
                }
            }
        }
        hook->updated_at = now;
        uow->webhooks().update(*hook);
        uow->commit();
    }
    return sent;
}

std::optional<registration> webhook_service::registration_of(id_t id) {
    return db_.begin(access::read)->registrations().find(id);
}

std::optional<event> webhook_service::event_of(id_t id) {
    return db_.begin(access::read)->events().find(id);
}

std::optional<award> webhook_service::award_of(id_t id) {
    return db_.begin(access::read)->labels().find_award(id);
}

result<page<webhook_delivery>> webhook_service::failed_deliveries(const actor& who,
                                                                  const page_request& request) {
    if (!who.authenticated()) return unauthenticated();
    if (who.role != role::admin) return forbidden();
    auto uow = db_.begin(access::read);
    return uow->webhooks().failed_deliveries(request);
}

result<void> webhook_service::retry_delivery(const actor& who, id_t delivery_id, instant now) {
    if (!who.authenticated()) return unauthenticated();
    if (who.role != role::admin) return forbidden();
    // No turn: two retries at once leave the delivery queued, as one would.
    auto uow = db_.begin(access::write);
    const auto found = uow->webhooks().find_delivery(delivery_id);
    if (!found) return not_found(rule::delivery_not_found, "No such delivery.");
    if (found->status != delivery_status::failed)
        return conflict(rule::delivery_not_failed, "Only a failed delivery can be sent again.");
    uow->webhooks().requeue_delivery(delivery_id, now);
    record_change(uow->audit(), who, "retry_delivery", "webhook", id_text(found->webhook_id), now,
                  "delivery " + id_text(delivery_id) +
                      " queued again after: " + found->last_error.value_or(""));
    uow->commit();
    return {};
}

} // namespace rencontres
