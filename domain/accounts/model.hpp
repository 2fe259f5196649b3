#pragma once

#include "domain/common/actor.hpp"
#include "domain/common/ids.hpp"
#include "domain/common/time.hpp"

#include <string>

namespace rencontres {

struct account {
    id_t id = 0;
    std::string email; // normalized: trimmed, lower case
    std::string display_name;
    rencontres::role role = role::participant;
    instant created_at{};
    instant updated_at{};
    std::string password_hash; // argon2id string; never leaves the server
};

// A bearer token as stored: only its digest is kept, the token itself is shown once.
struct token_record {
    std::string digest;
    id_t account_id = 0;
    instant created_at{};
    instant expires_at{};
};

} // namespace rencontres
