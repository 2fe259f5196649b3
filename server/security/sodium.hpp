// libsodium implementations of the accounts' crypto ports.
#pragma once

#include "domain/accounts/ports.hpp"

#include <cstddef>

namespace rencontres::security {

// Calls sodium_init(); throws when the library cannot start.
void initialize();

struct argon2_settings {
    std::size_t memory_bytes = 19 * 1024 * 1024; // OWASP minimum for argon2id
    unsigned long long passes = 2;
};

class argon2id_hasher final : public password_hasher {
public:
    explicit argon2id_hasher(argon2_settings settings);
    std::string hash(std::string_view password) override;
    bool verify(std::string_view stored_hash, std::string_view password) override;

private:
    argon2_settings settings_;
};

// 256 random bits, base64url; stored as the hex SHA-256 digest.
class random_token_minter final : public token_minter {
public:
    std::string mint() override;
    std::string digest(std::string_view token) override;
};

// Base64url without padding of random bytes, for request ids and other opaque values.
std::string random_text(std::size_t bytes);

} // namespace rencontres::security
