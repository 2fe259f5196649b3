#include "domain/accounts/privacy.hpp"

#include "domain/accounts/repository.hpp"
#include "domain/notifications/repository.hpp"
#include "domain/registrations/repository.hpp"
#include "domain/store.hpp"

namespace rencontres {

result<personal_data> privacy_service::export_personal_data(const actor& who) {
    if (auto allowed = require(who, capability::read_own_account); !allowed) return allowed.error();
    auto uow = db_.begin(access::read);
    auto me = uow->accounts().find(*who.account_id);
    if (!me) return unauthenticated();
    me->password_hash.clear();
    personal_data out{*me, uow->registrations().for_person(me->id, me->email),
                      uow->outbox().for_recipient(me->email)};
    return out;
}

result<void> privacy_service::erase_account(const actor& who, instant now) {
    if (auto allowed = require(who, capability::read_own_account); !allowed) return allowed.error();
    auto uow = db_.begin(access::write);
    auto me = uow->accounts().find(*who.account_id);
    if (!me) return unauthenticated();
    if (me->role == role::admin && uow->accounts().count_admins() <= 1)
        return conflict("The last admin cannot be erased; name another admin first.");
    uow->registrations().anonymize_for_person(me->id, me->email, now);
    uow->outbox().erase_recipient(me->email);
    uow->accounts().remove(me->id);
    uow->commit();
    return {};
}

} // namespace rencontres
