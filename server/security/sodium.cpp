#include "server/security/sodium.hpp"

#include "server/security/sealer.hpp"

#include <sodium.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace rencontres::security {

void initialize() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

argon2id_hasher::argon2id_hasher(argon2_settings settings) : settings_(settings) {
    if (settings_.memory_bytes < 19 * 1024 * 1024 || settings_.passes < 2)
        throw std::invalid_argument("argon2id needs at least 19 MiB and 2 passes");
}

std::string argon2id_hasher::hash(std::string_view password) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), settings_.passes,
                              settings_.memory_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("argon2id hashing ran out of memory");
    return out;
}

bool argon2id_hasher::verify(std::string_view stored_hash, std::string_view password) {
    const std::string terminated(stored_hash);
    return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

std::string random_text(std::size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    randombytes_buf(raw.data(), raw.size());
    std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                    '\0');
    sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::string random_token_minter::mint() {
    return random_text(32);
}

std::string random_token_minter::digest(std::string_view token) {
    return sha256_hex(token);
}

} // namespace rencontres::security
