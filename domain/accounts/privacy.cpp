#include "domain/accounts/privacy.hpp"

#include "domain/accounts/repository.hpp"
#include "domain/events/repository.hpp"
#include "domain/notifications/repository.hpp"
#include "domain/registrations/repository.hpp"
#include "domain/store.hpp"

namespace rencontres {

std::optional<std::string_view> proven_email(const account& a) {
    if (!a.email_verified) return std::nullopt;
    return a.email;
}

result<personal_data> privacy_service::export_personal_data(const actor& who) {
    if (auto allowed = require(who, capability::read_own_account); !allowed) return allowed.error();
    auto uow = db_.begin(access::read);
    auto me = uow->accounts().find(*who.account_id);
    if (!me) return unauthenticated();
    me->password_hash.clear();
    const auto email = proven_email(*me);
    personal_data out{*me, uow->registrations().for_person(me->id, email),
                      uow->outbox().for_person(me->id, email)};
    return out;
}

result<void> privacy_service::erase_account(const actor& who, instant now) {
    if (auto allowed = require(who, capability::read_own_account); !allowed) return allowed.error();
    auto uow = db_.begin(access::write);
    // Who is an admin (the last admin stays), the account, then each event it organizes: none
    // loses another organizer meanwhile, and none gains this one.
    uow->take_turn(turn::admins);
    uow->take_turn(turn::account, *who.account_id);
    for (const auto event_id : uow->events().organized_by(*who.account_id))
        uow->take_turn(turn::event, event_id);
    auto me = uow->accounts().find(*who.account_id);
    if (!me) return unauthenticated();
    if (me->role == role::admin && uow->accounts().count_admins() <= 1)
        return conflict(rule::last_admin,
                        "The last admin cannot be erased; name another admin first.");
    // An event that is not over keeps someone to answer for it.
    std::string orphaned;
    for (const auto& e : uow->events().solely_organized_by(me->id)) {
        const bool over = e.status == event_status::cancelled || (e.ends_at && *e.ends_at <= now);
        if (!over)
            orphaned += (orphaned.empty() ? "" : ", ") + id_text(e.id) + " (" + e.title + ")";
    }
    if (!orphaned.empty())
        return conflict(rule::last_organizer,
                        "This account is the last organizer of events that are not over: " +
                            orphaned + ". Name another organizer first.");
    const auto email = proven_email(*me);
    uow->outbox().erase_for_person(me->id, email);
    uow->registrations().anonymize_for_person(me->id, email, now);
    uow->accounts().remove(me->id);
    uow->commit();
    return {};
}

} // namespace rencontres
