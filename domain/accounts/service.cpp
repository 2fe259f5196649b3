#include "domain/accounts/service.hpp"

#include "domain/accounts/repository.hpp"
#include "domain/audit/service.hpp"
#include "domain/common/text.hpp"
#include "domain/store.hpp"

namespace rencontres {
namespace {

void check_display_name(validation& v, const std::string& name) {
    const auto length = utf8_length(name);
    if (length == 0 || length > 120 || has_control(name))
        v.fail("display_name", "must be 1 to 120 characters, without control characters");
}

} // namespace

result<account> account_service::create(const sign_up_command& command, role r, instant now) {
    const auto email = normalize_email(command.email);
    const auto display_name = trim(command.display_name);
    validation v;
    if (!plausible_email(email)) v.fail("email", "is not a valid email address");
    if (utf8_length(command.password) < min_password_length)
        v.fail("password", "must be at least 10 characters");
    else if (command.password.size() > max_password_bytes)
        v.fail("password", "must be at most 1024 bytes");
    check_display_name(v, display_name);
    if (!v.ok()) return v.error();

    // Hash before taking the write lock: argon2id is deliberately slow.
    account draft{0, email, display_name, r, now, now, hasher_.hash(command.password)};
    auto uow = db_.begin(access::write);
    auto created = uow->accounts().insert(draft);
    if (!created) return created;
    uow->commit();
    return created;
}

result<account> account_service::sign_up(const sign_up_command& command, instant now) {
    return create(command, role::participant, now);
}

result<account> account_service::create_admin(const sign_up_command& command, instant now) {
    return create(command, role::admin, now);
}

result<issued_token> account_service::issue_token(const credentials& given, instant now) {
    const auto email = normalize_email(given.email);
    if (auto wait = throttle_.blocked(email, given.client, now)) {
        domain_error e{errc::rate_limited, "Too many failed attempts; try again later."};
        e.retry_after_seconds = wait->count();
        return e;
    }
    std::optional<account> found;
    {
        auto uow = db_.begin(access::read);
        found = uow->accounts().find_by_email(email);
    }
    // Verify even for an unknown email, so that timing does not tell which emails exist.
    const bool matches = hasher_.verify(found ? found->password_hash : decoy_hash_, given.password);
    if (!found || !matches) {
        throttle_.failed(email, given.client, now);
        return unauthenticated("The email or the password is wrong.");
    }
    throttle_.succeeded(email);

    issued_token issued{minter_.mint(), now + settings_.token_ttl, *found};
    auto uow = db_.begin(access::write);
    uow->accounts().delete_expired_tokens(now);
    uow->accounts().insert_token({minter_.digest(issued.token), found->id, now, issued.expires_at});
    uow->commit();
    return issued;
}

result<void> account_service::revoke_token(std::string_view token) {
    auto uow = db_.begin(access::write);
    uow->accounts().delete_token(minter_.digest(token));
    uow->commit();
    return {};
}

result<actor> account_service::authenticate(std::string_view token, instant now) {
    if (token.empty() || token.size() > 256) return unauthenticated("The token is not valid.");
    auto uow = db_.begin(access::read);
    const auto record = uow->accounts().find_token(minter_.digest(token));
    if (!record || record->expires_at <= now) return unauthenticated("The token is not valid.");
    const auto holder = uow->accounts().find(record->account_id);
    if (!holder) return unauthenticated("The token is not valid.");
    return actor{holder->id, holder->role};
}

result<account> account_service::me(const actor& who) {
    if (auto allowed = require(who, capability::read_own_account); !allowed) return allowed.error();
    auto uow = db_.begin(access::read);
    auto found = uow->accounts().find(*who.account_id);
    if (!found) return unauthenticated();
    return *found;
}

result<account> account_service::get(const actor& who, id_t id) {
    // Anyone signed in may read its own account; other accounts are for admins.
    if (auto allowed = require(who, capability::administer_accounts); !allowed && !who.is(id))
        return allowed.error();
    auto uow = db_.begin(access::read);
    auto found = uow->accounts().find(id);
    if (!found) return not_found("No such account.");
    return *found;
}

result<page<account>> account_service::list(const actor& who, const page_request& request) {
    if (auto allowed = require(who, capability::administer_accounts); !allowed)
        return allowed.error();
    auto uow = db_.begin(access::read);
    return uow->accounts().list(request);
}

result<account> account_service::update(const actor& who, id_t id, const account_patch& patch,
                                        const precondition<account>& expected, instant now) {
    if (auto allowed = require(who, capability::administer_accounts); !allowed)
        return allowed.error();
    validation v;
    std::optional<role> new_role;
    if (patch.role) {
        new_role = parse_role(*patch.role);
        if (!new_role) v.fail("role", "must be one of participant, organizer, jury, admin");
    }
    std::optional<std::string> new_name;
    if (patch.display_name) {
        new_name = trim(*patch.display_name);
        check_display_name(v, *new_name);
    }
    if (!v.ok()) return v.error();

    auto uow = db_.begin(access::write);
    auto found = uow->accounts().find(id);
    if (!found) return not_found("No such account.");
    if (expected && !expected(*found))
        return domain_error{errc::precondition_failed,
                            "The account has changed since it was read."};
    account changed = *found;
    std::string summary;
    if (new_role && *new_role != found->role) {
        if (found->role == role::admin && uow->accounts().count_admins() <= 1)
            return conflict("The last admin cannot lose the admin role.");
        changed.role = *new_role;
        summary += "role: " + std::string(to_string(found->role)) + " -> " +
                   std::string(to_string(*new_role)) + "; ";
    }
    if (new_name && *new_name != found->display_name) {
        changed.display_name = *new_name;
        summary += "display_name changed; ";
    }
    if (summary.empty()) return *found;
    changed.updated_at = now;
    uow->accounts().update(changed);
    record_change(uow->audit(), who, "update_account", "account", id_text(id), now, summary);
    uow->commit();
    return changed;
}

} // namespace rencontres
