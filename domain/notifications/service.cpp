#include "domain/notifications/service.hpp"

#include "domain/notifications/repository.hpp"
#include "domain/store.hpp"

#include <algorithm>
#include <array>

namespace rencontres {
namespace {

constexpr std::array<std::string_view, 6> kind_names{
    "registration_confirmed", "registration_waitlisted", "waitlist_promoted",
    "registration_cancelled", "event_cancelled",         "account_verification"};

} // namespace

std::string_view to_string(message_kind k) {
    return kind_names.at(static_cast<std::size_t>(k));
}

std::optional<message_kind> parse_message_kind(std::string_view text) {
    for (std::size_t i = 0; i < kind_names.size(); ++i)
        if (kind_names[i] == text) return static_cast<message_kind>(i);
    return std::nullopt;
}

int notification_service::deliver_due(message_sink& sink, instant now, int limit) {
    // A backlog is delivered batch after batch, each with one sync of the sink.
    std::vector<outbox_message> due;
    {
        auto uow = db_.begin(access::read);
        due = uow->outbox().due(now, limit);
    }
    if (due.empty()) return 0;
    std::vector<id_t> ids;
    int attempts = 0;
    for (const auto& m : due) {
        ids.push_back(m.id);
        attempts = std::max(attempts, m.attempts);
    }
    const bool ok = sink.deliver(due);
    auto uow = db_.begin(access::write);
    if (ok) {
        uow->outbox().mark_delivered(ids, now);
    } else {
        const auto wait =
            std::chrono::seconds{std::min<long long>(3600, 1ll << std::min(attempts, 12))};
        uow->outbox().postpone(ids, now + wait);
    }
    uow->commit();
    return ok ? static_cast<int>(due.size()) : 0;
}

result<page<outbox_message>> notification_service::list_outbox(const actor& who,
                                                               std::optional<bool> delivered,
                                                               const page_request& request) {
    if (auto allowed = require(who, capability::read_outbox); !allowed) return allowed.error();
    auto uow = db_.begin(access::read);
    return uow->outbox().list(delivered, request);
}

} // namespace rencontres
