#include "domain/notifications/service.hpp"

#include "domain/audit/service.hpp"
#include "domain/common/names.hpp"
#include "domain/notifications/repository.hpp"
#include "domain/registrations/repository.hpp"
#include "domain/store.hpp"

#include <algorithm>
#include <array>

namespace rencontres {
namespace {

constexpr std::array<std::string_view, 16> kind_names{
    "registration_confirmed", "registration_waitlisted",
    "waitlist_promoted",      "registration_cancelled",
    "event_cancelled",        "account_verification",
    "event_changed",          "candidacy_received",
    "award_announced",        "webhook_disabled",
    "announcement",           "certificate_ready",
    "organizer_added",        "registration_link",
    "account_invitation",     "password_reset"};

constexpr std::array<std::string_view, 4> status_names{"pending", "delivered", "failed", "skipped"};

} // namespace

std::string_view to_string(message_kind k) {
    return name_of(kind_names, k);
}

std::optional<message_kind> parse_message_kind(std::string_view text) {
    return parse_name<message_kind>(kind_names, text);
}

std::optional<std::string_view> credential_link_path(message_kind k) {
    switch (k) {
    case message_kind::account_verification:
        return "/verification?token=";
    case message_kind::account_invitation:
        return "/invitation?token=";
    case message_kind::password_reset:
        return "/mot-de-passe?token=";
    default:
        return std::nullopt;
    }
}

std::string_view to_string(delivery_status s) {
    return name_of(status_names, s);
}

std::optional<delivery_status> parse_delivery_status(std::string_view text) {
    return parse_name<delivery_status>(status_names, text);
}

instant next_attempt_after(const delivery_policy& policy, int attempts, id_t id, instant now) {
    // attempts counts the failures before this one: 1st retry after first_retry, then doubling.
    const int doublings = std::min(attempts, 20);
    auto wait =
        std::min<std::chrono::seconds>(policy.first_retry * (1ll << doublings), policy.max_backoff);
    // Jitter of up to a quarter, spread by message id rather than drawn at random, so that
    // messages that failed together do not all come back together, and tests can tell when.
    const auto spread = static_cast<std::int64_t>((id * 2654435761u) % 1000);
    wait += std::chrono::seconds{wait.count() * spread / 4000};
    return now + wait;
}

int notification_service::deliver_due(message_sink& sink, instant now, int limit) {
    std::vector<outbox_message> due;
    {
        auto uow = db_.begin(access::read);
        due = uow->outbox().due(now, limit);
    }
    if (due.empty()) return 0;
    const auto reports = sink.deliver(due);
    std::vector<id_t> sent;
    // Marks on these messages alone: registrations writing new ones go on beside it.
    auto uow = db_.begin(access::write_beside);
    for (std::size_t i = 0; i < due.size(); ++i) {
        const auto& m = due[i];
        const auto report = i < reports.size()
                                ? reports[i]
                                : delivery_report{delivery_outcome::retry_later, "not attempted"};
        switch (report.outcome) {
        case delivery_outcome::sent:
            sent.push_back(m.id);
            break;
        case delivery_outcome::retry_later:
            if (m.attempts + 1 >= policy_.max_attempts)
                uow->outbox().fail(m.id, report.error);
            else
                uow->outbox().postpone(m.id, next_attempt_after(policy_, m.attempts, m.id, now),
                                       report.error);
            break;
        case delivery_outcome::rejected:
            uow->outbox().fail(m.id, report.error);
            break;
        }
    }
    uow->outbox().mark_delivered(sent, now);
    uow->commit();
    return static_cast<int>(sent.size());
}

result<page<outbox_message>> notification_service::list_outbox(const actor& who,
                                                               std::optional<std::string> status,
                                                               const page_request& request) {
    if (auto allowed = require(who, capability::read_outbox); !allowed) return allowed.error();
    std::optional<delivery_status> wanted;
    if (status) {
        wanted = parse_delivery_status(*status);
        if (!wanted)
            return invalid_field("status", field_rule::choice,
                                 "must be pending, delivered or failed");
    }
    auto uow = db_.begin(access::read);
    return uow->outbox().list(wanted, request);
}

result<outbox_message> notification_service::retry_message(const actor& who, id_t id, instant now) {
    if (auto allowed = require(who, capability::read_outbox); !allowed) return allowed.error();
    // No turn: two retries at once leave the message queued, as one would.
    auto uow = db_.begin(access::write);
    const auto found = uow->outbox().find(id);
    if (!found) return not_found(rule::message_not_found, "No such message.");
    if (found->status != delivery_status::failed)
        return conflict(rule::message_not_failed, "Only a failed message can be queued again.");
    uow->outbox().requeue(id, now);
    record_change(uow->audit(), who, "retry_message", "outbox", id_text(id), now,
                  "queued again after: " + found->last_error.value_or(""));
    auto queued = *uow->outbox().find(id);
    uow->commit();
    return queued;
}

std::optional<personal_calendar> notification_service::calendar_of(id_t registration_id) {
    auto uow = db_.begin(access::read);
    const auto r = uow->registrations().find(registration_id);
    if (!r) return std::nullopt;
    return calendar_in(*uow, *r);
}

} // namespace rencontres
