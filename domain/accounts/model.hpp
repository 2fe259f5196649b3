#pragma once

#include "domain/common/actor.hpp"
#include "domain/common/ids.hpp"
#include "domain/common/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rencontres {

struct account {
    id_t id = 0;
    std::string email; // normalized: trimmed, lower case
    std::string display_name;
    rencontres::role role = role::participant;
    instant created_at{};
    instant updated_at{};
    std::string password_hash; // argon2id string; never leaves the server
    // Proven by a verification link sent to the address (or vouched by the operator for
    // accounts made on the command line). Until then the email is only a claim.
    bool email_verified = false;
    // Counted up at every change of role: what was granted under an earlier version (a console
    // session, a webhook) is not honoured again by a later promotion to the same role.
    std::int64_t rights_version = 1;
};

// A bearer token as stored: only its digest is kept, the token itself is shown once.
struct token_record {
    std::string digest;
    id_t account_id = 0;
    instant created_at{};
    instant expires_at{};
};

// A console session as stored: only the digest of the id its cookie holds.
struct console_session {
    std::string digest;
    id_t account_id = 0;
    rencontres::role role = role::participant; // when it was opened
    std::string password_stamp;                // a digest of the password hash then
    instant created_at{};
    instant last_seen_at{};
    std::int64_t rights_version = 1; // the account's when it was opened
};

// What a single-use link sent to an account's address proves or allows.
enum class link_purpose {
    email,         // the address is the account's (a sign-up's verification)
    password_reset // a new password may be chosen
};
std::string_view to_string(link_purpose p);
std::optional<link_purpose> parse_link_purpose(std::string_view text);

// A single-use link sent to an account's address, as stored: only the token's digest is kept.
struct verification_record {
    std::string digest;
    id_t account_id = 0;
    instant created_at{};
    instant expires_at{};
    std::optional<instant> used_at;
    link_purpose purpose = link_purpose::email;
};

// An invitation to make an account with a role, sent by an admin (or, to co-organize one event,
// by its organizers). Only the digest of its link's token is kept; accepted, it is deleted.
struct invitation {
    id_t id = 0;
    std::string digest;
    std::string email; // normalized
    std::string display_name;
    rencontres::role role = role::participant;
    std::optional<id_t> event_id;   // the event the person will co-organize
    std::optional<id_t> invited_by; // gone when the inviter's account is erased
    instant created_at{};           // when it was (last) sent
    instant expires_at{};
};

} // namespace rencontres
