// Cryptography the accounts context needs, implemented with libsodium under server/security/.
#pragma once

#include <string>
#include <string_view>

namespace rencontres {

class password_hasher {
public:
    virtual ~password_hasher() = default;
    virtual std::string hash(std::string_view password) = 0;
    virtual bool verify(std::string_view stored_hash, std::string_view password) = 0;
};

class token_minter {
public:
    virtual ~token_minter() = default;
    // A fresh random token (at least 128 bits), printable.
    virtual std::string mint() = 0;
    // The digest stored in place of the token.
    virtual std::string digest(std::string_view token) = 0;
};

} // namespace rencontres
