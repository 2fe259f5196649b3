// Encrypts stored idempotent replies (they hold one-time tokens) with libsodium's secretbox, under
// a key kept in a file beside the database (created on first use, readable by the owner only).
#pragma once

#include "domain/registrations/repository.hpp"

#include <array>
#include <string>

namespace rencontres::security {

// The server's 32-byte secret, read from `key_file`, which is created (0600) on first use.
std::array<unsigned char, 32> load_or_create_key(const std::string& key_file);

class secretbox_sealer final : public reply_sealer {
public:
    explicit secretbox_sealer(const std::string& key_file);
    std::string seal(std::string_view plain) override;
    std::optional<std::string> open(std::string_view sealed) override;

private:
    std::array<unsigned char, 32> key_{};
};

// Lower-case hex SHA-256 of some bytes.
std::string sha256_hex(std::string_view bytes);

} // namespace rencontres::security
