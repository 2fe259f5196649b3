#include "server/security/form_tokens.hpp"

#include <charconv>
#include <sodium.h>

namespace rencontres::security {

form_tokens::form_tokens(const std::array<unsigned char, 32>& server_key) {
    // A key of its own: a MAC made here can never be mistaken for anything the sealer makes.
    crypto_kdf_derive_from_key(key_.data(), key_.size(), 1, "formcsrf", server_key.data());
}

std::string form_tokens::mac(std::string_view purpose, long long expiry) const {
    const auto message = std::string(purpose) + "\n" + std::to_string(expiry);
    unsigned char out[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(out, reinterpret_cast<const unsigned char*>(message.data()),
                           message.size(), key_.data());
    char hex[sizeof out * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

std::string form_tokens::issue(std::string_view purpose, instant now) const {
    const auto expiry =
        std::chrono::duration_cast<std::chrono::seconds>((now + lifetime).time_since_epoch())
            .count();
    return std::to_string(expiry) + "." + mac(purpose, expiry);
}

bool form_tokens::valid(std::string_view token, std::string_view purpose, instant now) const {
    const auto dot = token.find('.');
    if (dot == std::string_view::npos) return false;
    long long expiry = 0;
    const auto digits = token.substr(0, dot);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), expiry);
    if (ec != std::errc{} || end != digits.data() + digits.size()) return false;
    if (std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() >= expiry)
        return false;
    const auto expected = mac(purpose, expiry);
    const auto given = token.substr(dot + 1);
    return given.size() == expected.size() &&
           sodium_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

} // namespace rencontres::security
