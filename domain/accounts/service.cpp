#include "domain/accounts/service.hpp"

#include "domain/accounts/repository.hpp"
#include "domain/audit/service.hpp"
#include "domain/common/text.hpp"
#include "domain/notifications/repository.hpp"
#include "domain/store.hpp"
#include "domain/webhooks/service.hpp"

namespace rencontres {
namespace {

// The link `digest` names, read once the write holds its account's turn: a link is used once.
std::optional<verification_record> held_link(unit_of_work& uow, std::string_view digest) {
    auto record = uow.accounts().find_verification(digest);
    if (record && uow.take_turn(turn::account, record->account_id))
        record = uow.accounts().find_verification(digest);
    return record;
}

} // namespace

std::string_view to_string(link_purpose p) {
    return p == link_purpose::password_reset ? "password_reset" : "email";
}

std::optional<link_purpose> parse_link_purpose(std::string_view text) {
    if (text == "email") return link_purpose::email;
    if (text == "password_reset") return link_purpose::password_reset;
    return std::nullopt;
}

void check_display_name(validation& v, std::string_view name) {
    const auto length = utf8_length(name);
    if (length == 0 || length > 120 || has_control(name))
        v.fail("display_name", field_rule::length,
               "must be 1 to 120 characters, without control characters");
}

void check_new_password(validation& v, std::string_view password) {
    if (utf8_length(password) < min_password_length)
        v.fail("password", field_rule::length, "must be at least 10 characters");
    else if (password.size() > max_password_bytes)
        v.fail("password", field_rule::length, "must be at most 1024 bytes");
}

result<account> account_service::create(const sign_up_command& command, role r, bool vouched,
                                        instant now) {
    const auto email = normalize_email(command.email);
    const auto display_name = trim(command.display_name);
    validation v;
    if (!plausible_email(email))
        v.fail("email", field_rule::format, "is not a valid email address");
    check_new_password(v, command.password);
    check_display_name(v, display_name);
    if (!v.ok()) return v.error();

    // Hash before taking the write lock: argon2id is deliberately slow. Accounts made on the
    // command line are vouched for by the operator; every other email must be proven.
    account draft{0, email, display_name, r, now, now, hasher_.hash(command.password), vouched};
    auto uow = db_.begin(access::write);
    auto created = uow->accounts().insert(draft);
    if (!created) return created;
    if (!created->email_verified) send_verification(*uow, *created, now);
    uow->commit();
    return created;
}

void account_service::send_verification(unit_of_work& uow, const account& holder, instant now) {
    const auto token = minter_.mint();
    uow.accounts().insert_verification(
        {minter_.digest(token), holder.id, now, now + settings_.verification_ttl, std::nullopt});
    outbox_message m;
    m.kind = message_kind::account_verification;
    m.recipient = holder.email;
    m.account_id = holder.id;
    m.created_at = m.next_attempt_at = now;
    m.subject = "Confirmez votre adresse électronique — Rencontres";
    m.body = "Bonjour,\n\nPour confirmer que cette adresse est bien la vôtre, ouvrez le lien "
             "ci-dessous dans les " +
             std::to_string(settings_.verification_ttl.count() / 3600) +
             " heures.\n\nSi vous n'avez pas créé de compte sur Rencontres, ignorez ce message : "
             "personne ne pourra l'utiliser en votre nom.";
    m.sealed_token = sealer_.seal(token);
    uow.outbox().enqueue(m);
}

result<account> account_service::verify_email(std::string_view token, instant now) {
    const auto refused = [] {
        return invalid_field("token", field_rule::link_expired,
                             "is not a valid verification link: it is unknown, was "
                             "already used, or has expired. Ask for a new one.");
    };
    if (token.empty() || token.size() > 256) return refused();
    const auto digest = minter_.digest(token);
    auto uow = db_.begin(access::write);
    const auto record = held_link(*uow, digest);
    if (!record || record->used_at || record->expires_at <= now ||
        record->purpose != link_purpose::email)
        return refused();
    auto holder = uow->accounts().find(record->account_id);
    if (!holder) return refused();
    uow->accounts().use_verification(digest, now);
    if (!holder->email_verified) {
        holder->email_verified = true;
        holder->updated_at = now;
        uow->accounts().update(*holder);
        record_change(uow->audit(), actor{holder->id, holder->role}, "verify_email", "account",
                      id_text(holder->id), now, "email verified");
    }
    uow->commit();
    return *holder;
}

result<void> account_service::resend_verification(const actor& who, instant now) {
    if (auto allowed = require(who, capability::read_own_account); !allowed) return allowed.error();
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::account, *who.account_id); // the pace of its messages
    auto holder = uow->accounts().find(*who.account_id);
    if (!holder) return unauthenticated();
    if (holder->email_verified)
        return conflict(rule::email_already_verified,
                        "The email of this account is already verified.");
    const auto too_many = [](std::chrono::seconds wait) {
        domain_error e{errc::rate_limited, rule::verification_sent_recently,
                       "A verification message was sent recently; try again later."};
        e.retry_after_seconds = std::max<std::int64_t>(1, wait.count());
        return e;
    };
    if (const auto last = uow->accounts().last_verification(holder->id);
        last && now < *last + settings_.verification_interval)
        return too_many(std::chrono::duration_cast<std::chrono::seconds>(
            *last + settings_.verification_interval - now));
    const auto hour_ago = now - std::chrono::hours{1};
    if (uow->accounts().count_verifications_since(holder->id, hour_ago) >=
        settings_.verifications_per_hour)
        return too_many(std::chrono::seconds{3600});
    send_verification(*uow, *holder, now);
    uow->commit();
    return {};
}

result<account> account_service::sign_up(const sign_up_command& command, instant now) {
    return create(command, role::participant, false, now);
}

result<account> account_service::create_admin(const sign_up_command& command, instant now) {
    return create(command, role::admin, true, now);
}

result<account> account_service::create_with_role(const sign_up_command& command, role r,
                                                  instant now) {
    return create(command, r, true, now);
}

result<void> account_service::admit_sign_up(std::string_view client, instant now) {
    if (const auto wait = throttle_.admit_sign_up(client, now)) {
        domain_error e{errc::rate_limited, rule::too_many_sign_ups,
                       "Too many sign-ups from this address; try again later."};
        e.retry_after_seconds = wait->count();
        return e;
    }
    return {};
}

result<void> account_service::admit_registration(std::string_view client, instant now) {
    if (const auto wait = throttle_.admit_registration(client, now)) {
        domain_error e{errc::rate_limited, rule::too_many_registrations,
                       "Too many registrations from this address; try again later."};
        e.retry_after_seconds = wait->count();
        return e;
    }
    return {};
}

result<account> account_service::check_credentials(const credentials& given, instant now) {
    const auto email = normalize_email(given.email);
    if (auto wait = throttle_.blocked(email, given.client, now)) {
        domain_error e{errc::rate_limited, rule::too_many_attempts,
                       "Too many failed attempts; try again later."};
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
        return unauthenticated(rule::wrong_credentials, "The email or the password is wrong.");
    }
    throttle_.succeeded(email, given.client);
    return *found;
}

result<issued_token> account_service::issue_token(const credentials& given, instant now) {
    auto found = check_credentials(given, now);
    if (!found) return found.error();
    return token_for(*found, now);
}

issued_token account_service::token_for(const account& holder, instant now) {
    issued_token issued{minter_.mint(), now + settings_.token_ttl, holder};
    // A row of its own, and expired ones deleted: nothing another write decides on.
    auto uow = db_.begin(access::write_beside);
    uow->accounts().delete_expired_tokens(now);
    uow->accounts().insert_token({minter_.digest(issued.token), holder.id, now, issued.expires_at});
    uow->commit();
    return issued;
}

result<issued_token> account_service::open_session(const credentials& given, instant now) {
    auto found = check_credentials(given, now);
    if (!found) return found.error();
    return session_for(*found, now);
}

issued_token account_service::session_for(const account& holder, instant now) {
    issued_token issued{minter_.mint(), now + settings_.session_idle, holder};
    auto uow = db_.begin(access::write_beside);
    uow->accounts().delete_sessions_idle_since(now - settings_.session_idle);
    uow->accounts().insert_session({minter_.digest(issued.token), holder.id, holder.role,
                                    minter_.digest(holder.password_hash), now, now,
                                    holder.rights_version});
    uow->commit();
    return issued;
}

result<void> account_service::request_password_reset(std::string_view email,
                                                     std::string_view client, instant now) {
    const auto normalized = normalize_email(email);
    if (!plausible_email(normalized))
        return invalid_field("email", field_rule::format, "is not a valid email address");
    if (const auto wait = throttle_.admit_password_reset(normalized, client, now)) {
        domain_error e{errc::rate_limited, rule::too_many_password_resets,
                       "Too many password reset requests; try again later."};
        e.retry_after_seconds = wait->count();
        return e;
    }
    {
        // The same answer for an address without an account: nothing tells which have one.
        auto uow = db_.begin(access::read);
        if (!uow->accounts().find_by_email(normalized)) return {};
    }
    const auto token = minter_.mint();
    auto uow = db_.begin(access::write);
    const auto holder = uow->accounts().find_by_email(normalized);
    if (!holder) return {}; // erased meanwhile
    uow->accounts().insert_verification({minter_.digest(token), holder->id, now,
                                         now + settings_.reset_ttl, std::nullopt,
                                         link_purpose::password_reset});
    outbox_message m;
    m.kind = message_kind::password_reset;
    m.recipient = holder->email;
    m.account_id = holder->id;
    m.created_at = m.next_attempt_at = now;
    m.subject = "Choisir un nouveau mot de passe — Rencontres";
    m.body = "Bonjour " + holder->display_name +
             ",\n\nUn nouveau mot de passe a été demandé pour votre compte Rencontres. Le lien "
             "ci-dessous permet de le choisir ; il sert une seule fois, dans l'heure.\n\nSi vous "
             "n'avez rien demandé, ignorez ce message : votre mot de passe actuel reste valable.";
    m.sealed_token = sealer_.seal(token);
    uow->outbox().enqueue(m);
    record_change(uow->audit(), actor{holder->id, holder->role}, "request_password_reset",
                  "account", id_text(holder->id), now, "link sent");
    uow->commit();
    return {};
}

namespace {

bool opens(const std::optional<verification_record>& r, instant now) {
    return r && !r->used_at && r->expires_at > now && r->purpose == link_purpose::password_reset;
}

} // namespace

bool account_service::reset_link_usable(std::string_view token, instant now) {
    if (token.empty() || token.size() > 256) return false;
    auto uow = db_.begin(access::read);
    return opens(uow->accounts().find_verification(minter_.digest(token)), now);
}

result<account> account_service::reset_password(std::string_view token, std::string_view password,
                                                instant now) {
    const auto refused = [] {
        return invalid_field("token", field_rule::link_expired,
                             "is not a valid password link: it is unknown, was already used, or "
                             "has expired. Ask for a new one.");
    };
    if (!reset_link_usable(token, now)) return refused();
    const auto digest = minter_.digest(token);
    validation v;
    check_new_password(v, password);
    if (!v.ok()) return v.error();
    const auto hash = hasher_.hash(password); // outside the write: argon2id is slow

    auto uow = db_.begin(access::write);
    const auto record = held_link(*uow, digest);
    if (!opens(record, now)) return refused(); // used meanwhile
    auto holder = uow->accounts().find(record->account_id);
    if (!holder) return refused();
    // Every other reset link dies with this one, and every way in opened with the old password.
    uow->accounts().use_verifications_of(holder->id, link_purpose::password_reset, now);
    holder->password_hash = hash;
    holder->email_verified = true;
    holder->updated_at = now;
    uow->accounts().update(*holder);
    uow->accounts().delete_tokens_of(holder->id);
    uow->accounts().delete_sessions_of(holder->id);
    record_change(uow->audit(), actor{holder->id, holder->role}, "reset_password", "account",
                  id_text(holder->id), now, "password changed with a reset link");
    uow->commit();
    return *holder;
}

result<account> account_service::session_account(std::string_view session_id, instant now) {
    if (session_id.empty() || session_id.size() > 256) return unauthenticated();
    const auto digest = minter_.digest(session_id);
    std::optional<console_session> session;
    std::optional<account> holder;
    {
        auto uow = db_.begin(access::read);
        session = uow->accounts().find_session(digest);
        if (session) holder = uow->accounts().find(session->account_id);
    }
    if (!session) return unauthenticated();
    // Idle too long, too old whatever its use, or opened under other rights (a demotion followed
    // by a promotion included) or another password: ended.
    const bool live = holder && session->last_seen_at + settings_.session_idle > now &&
                      session->created_at + settings_.session_max > now &&
                      holder->role == session->role &&
                      holder->rights_version == session->rights_version &&
                      minter_.digest(holder->password_hash) == session->password_stamp;
    if (!live) {
        close_session(session_id);
        return unauthenticated();
    }
    // Recorded at most once a minute: a page view is not a write.
    if (now - session->last_seen_at >= std::chrono::minutes{1}) {
        auto uow = db_.begin(access::write_beside);
        uow->accounts().touch_session(digest, now);
        uow->commit();
    }
    return *holder;
}

void account_service::close_session(std::string_view session_id) {
    auto uow = db_.begin(access::write_beside);
    uow->accounts().delete_session(minter_.digest(session_id));
    uow->commit();
}

result<void> account_service::revoke_token(std::string_view token) {
    auto uow = db_.begin(access::write_beside);
    uow->accounts().delete_token(minter_.digest(token));
    uow->commit();
    return {};
}

result<actor> account_service::authenticate(std::string_view token, instant now) {
    if (token.empty() || token.size() > 256)
        return unauthenticated(rule::token_invalid, "The token is not valid.");
    auto uow = db_.begin(access::read);
    const auto record = uow->accounts().find_token(minter_.digest(token));
    if (!record || record->expires_at <= now)
        return unauthenticated(rule::token_invalid, "The token is not valid.");
    const auto holder = uow->accounts().find(record->account_id);
    if (!holder) return unauthenticated(rule::token_invalid, "The token is not valid.");
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
    if (!found) return not_found(rule::account_not_found, "No such account.");
    return *found;
}

result<page<account>> account_service::list(const actor& who, const page_request& request,
                                            const std::optional<std::string>& q) {
    if (auto allowed = require(who, capability::administer_accounts); !allowed)
        return allowed.error();
    std::optional<std::string> folded;
    if (q) {
        if (utf8_length(*q) > 100)
            return invalid_field("q", field_rule::length, "must be at most 100 characters");
        if (auto f = search_fold(trim(*q)); !f.empty()) folded = std::move(f);
    }
    auto uow = db_.begin(access::read);
    return uow->accounts().list(folded, request);
}

result<account> account_service::update(const actor& who, id_t id, const account_patch& patch,
                                        const precondition<account>& expected, instant now) {
    if (auto allowed = require(who, capability::administer_accounts); !allowed)
        return allowed.error();
    validation v;
    std::optional<role> new_role;
    if (patch.role) {
        new_role = parse_role(*patch.role);
        if (!new_role)
            v.fail("role", field_rule::choice,
                   "must be one of participant, organizer, jury, admin");
    }
    std::optional<std::string> new_name;
    if (patch.display_name) {
        new_name = trim(*patch.display_name);
        check_display_name(v, *new_name);
    }
    if (!v.ok()) return v.error();

    auto uow = db_.begin(access::write);
    // Who is an admin first, when the role may change (the last admin stays), then the account.
    if (new_role) uow->take_turn(turn::admins);
    uow->take_turn(turn::account, id);
    auto found = uow->accounts().find(id);
    if (!found) return not_found(rule::account_not_found, "No such account.");
    if (expected && !expected(*found))
        return changed_since_read("The account has changed since it was read.");
    account changed = *found;
    std::string summary;
    if (new_role && *new_role != found->role) {
        if (found->role == role::admin && uow->accounts().count_admins() <= 1)
            return conflict(rule::last_admin, "The last admin cannot lose the admin role.");
        changed.role = *new_role;
        ++changed.rights_version;
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
    if (changed.rights_version != found->rights_version) follow_rights(*uow, changed, now);
    record_change(uow->audit(), who, "update_account", "account", id_text(id), now, summary);
    uow->commit();
    return changed;
}

} // namespace rencontres
