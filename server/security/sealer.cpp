#include "server/security/sealer.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <stdexcept>
#include <unistd.h>
#include <vector>

namespace rencontres::security {
namespace {

std::string to_base64(const std::vector<unsigned char>& raw) {
    std::string out(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                    '\0');
    sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::optional<std::vector<unsigned char>> from_base64(std::string_view text) {
    std::vector<unsigned char> raw(text.size());
    std::size_t length = 0;
    if (sodium_base642bin(raw.data(), raw.size(), text.data(), text.size(), nullptr, &length,
                          nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return std::nullopt;
    raw.resize(length);
    return raw;
}

} // namespace

std::array<unsigned char, 32> load_or_create_key(const std::string& key_file) {
    std::array<unsigned char, 32> key{};
    int fd = ::open(key_file.c_str(), O_RDONLY);
    if (fd < 0) {
        // First start: a fresh key, written once, owner-only.
        randombytes_buf(key.data(), key.size());
        fd = ::open(key_file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd >= 0) {
            const bool written =
                ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
            const bool synced = ::fsync(fd) == 0;
            ::close(fd);
            if (!written || !synced)
                throw std::runtime_error("cannot write the key file " + key_file);
            return key;
        }
        fd = ::open(key_file.c_str(), O_RDONLY); // another process created it meanwhile
        if (fd < 0) throw std::runtime_error("cannot create the key file " + key_file);
    }
    const auto n = ::read(fd, key.data(), key.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(key.size()))
        throw std::runtime_error("the key file " + key_file + " does not hold a 32-byte key");
    return key;
}

secretbox_sealer::secretbox_sealer(const std::string& key_file)
    : key_(load_or_create_key(key_file)) {}

std::string secretbox_sealer::seal(std::string_view plain) {
    std::vector<unsigned char> out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                   plain.size());
    randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                          out.data(), key_.data());
    return to_base64(out);
}

std::optional<std::string> secretbox_sealer::open(std::string_view sealed) {
    const auto raw = from_base64(sealed);
    if (!raw || raw->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return std::nullopt;
    std::string plain(raw->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                   raw->data() + crypto_secretbox_NONCEBYTES,
                                   raw->size() - crypto_secretbox_NONCEBYTES, raw->data(),
                                   key_.data()) != 0)
        return std::nullopt;
    return plain;
}

std::string sha256_hex(std::string_view bytes) {
    unsigned char hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    return hex;
}

} // namespace rencontres::security
