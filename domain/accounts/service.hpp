#pragma once

#include "domain/accounts/login_throttle.hpp"
#include "domain/accounts/model.hpp"
#include "domain/accounts/ports.hpp"
#include "domain/common/precondition.hpp"
#include "domain/common/result.hpp"
#include "domain/common/sealer.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace rencontres {

class store;
class unit_of_work;

struct account_settings {
    std::chrono::seconds token_ttl{std::chrono::hours{24 * 30}};
    std::chrono::seconds verification_ttl{std::chrono::hours{48}};
    std::chrono::seconds reset_ttl{std::chrono::hours{1}};
    // New verification messages an account may ask for: at most this many per hour, and not
    // two within `verification_interval`.
    int verifications_per_hour = 5;
    std::chrono::seconds verification_interval{60};
    // A console session ends after this long without a request.
    std::chrono::seconds session_idle{std::chrono::hours{2}};
    // ... and this long after it was opened, however busy.
    std::chrono::seconds session_max{std::chrono::hours{12}};
};

struct sign_up_command {
    std::string email;
    std::string password;
    std::string display_name;
};

struct credentials {
    std::string email;
    std::string password;
    std::string client; // the caller's address, for rate limiting
};

struct issued_token {
    std::string token; // shown once
    instant expires_at{};
    account holder;
};

struct account_patch {
    std::optional<std::string> role;
    std::optional<std::string> display_name;
};

inline constexpr std::size_t min_password_length = 10;
inline constexpr std::size_t max_password_bytes = 1024;

// The rules of a new password and of a display name, as every form of the accounts has them.
void check_new_password(validation& v, std::string_view password);
void check_display_name(validation& v, std::string_view name);

class account_service {
public:
    account_service(store& db, password_hasher& hasher, token_minter& minter,
                    login_throttle& throttle, reply_sealer& sealer, account_settings settings)
        : db_(db), hasher_(hasher), minter_(minter), throttle_(throttle), sealer_(sealer),
          settings_(settings), decoy_hash_(hasher.hash("decoy password that matches no account")) {}

    // A participant account with an unverified email, and an account_verification message
    // holding a single-use link, written in the same transaction. The message's token is kept
    // sealed beside its body, never in it: its link is written when the message is delivered.
    result<account> sign_up(const sign_up_command& command, instant now);
    // Counts a sign-up from `client` before its password is hashed: rate_limited (with the wait)
    // past the per-client limit.
    result<void> admit_sign_up(std::string_view client, instant now);
    // Counts a registration made without an account from `client`: rate_limited past the limit.
    result<void> admit_registration(std::string_view client, instant now);
    // Marks the email verified with a token from the verification message: invalid (422) when
    // the token is unknown, used or expired.
    result<account> verify_email(std::string_view token, instant now);
    // Queues a new verification message; rate_limited when asked too often, conflict when the
    // email is already verified.
    result<void> resend_verification(const actor& who, instant now);
    // The first admin, from the command line.
    result<account> create_admin(const sign_up_command& command, instant now);
    // An account with the role, made by the operator on the command line (verified, as
    // create_admin): how the first organizers of a deployment are made.
    result<account> create_with_role(const sign_up_command& command, role r, instant now);
    result<issued_token> issue_token(const credentials& given, instant now);
    // A bearer token, or a console session, for an account that proved itself otherwise (an
    // accepted invitation).
    issued_token token_for(const account& holder, instant now);
    issued_token session_for(const account& holder, instant now);
    // Queues a password_reset message with a single-use link when the address has an account;
    // the same answer otherwise. rate_limited past the limits per client and per address.
    result<void> request_password_reset(std::string_view email, std::string_view client,
                                        instant now);
    // Sets a new password with a link from that message: every token and console session of the
    // account ends, and the address counts as verified (the link reached it). invalid (422) when
    // the token is unknown, used or expired.
    result<account> reset_password(std::string_view token, std::string_view password, instant now);
    // Whether a password link still opens (a page asks before showing its form).
    bool reset_link_usable(std::string_view token, instant now);
    result<void> revoke_token(std::string_view token);
    // Signs in to the console (same checks and throttles as issue_token): a new session, whose
    // id is returned once and kept only as a digest.
    result<issued_token> open_session(const credentials& given, instant now);
    // The account of a live session: unknown, idle too long, or opened under another role or
    // password, it is ended and unauthenticated.
    result<account> session_account(std::string_view session_id, instant now);
    void close_session(std::string_view session_id);
    // Resolves a bearer token to the acting account; unauthenticated when unknown or expired.
    result<actor> authenticate(std::string_view token, instant now);

    result<account> me(const actor& who);
    result<account> get(const actor& who, id_t id);
    // `q`: accounts whose email or name contains it, ignoring case and accents.
    result<page<account>> list(const actor& who, const page_request& request,
                               const std::optional<std::string>& q = {});
    result<account> update(const actor& who, id_t id, const account_patch& patch,
                           const precondition<account>& expected, instant now);

private:
    // `vouched`: made by the operator, whose word proves the email.
    result<account> create(const sign_up_command& command, role r, bool vouched, instant now);
    // The account these credentials open, under the login throttles.
    result<account> check_credentials(const credentials& given, instant now);
    void send_verification(unit_of_work& uow, const account& holder, instant now);

    store& db_;
    password_hasher& hasher_;
    token_minter& minter_;
    login_throttle& throttle_;
    reply_sealer& sealer_;
    account_settings settings_;
    std::string decoy_hash_; // verified against for unknown emails, so timing tells nothing
};

} // namespace rencontres
