// Who the client is, for throttles and the access log: the socket's peer, or — when the peer is
// one of the trusted reverse proxies — the right-most address of X-Forwarded-For that is not a
// trusted proxy itself. Addresses a client writes into X-Forwarded-For are believed only as far as
// a trusted proxy vouches for them, so a client cannot pick its own address.
#pragma once

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rencontres::http {

class trusted_proxies {
public:
    trusted_proxies() = default;
    // A comma-separated list of addresses and CIDRs (IPv4 or IPv6); throws std::invalid_argument
    // naming the entry that is neither.
    explicit trusted_proxies(std::string_view list);

    bool empty() const { return networks_.empty(); }
    bool contains(std::string_view address) const;
    // The client's address given the socket's peer and the X-Forwarded-For header, if any.
    std::string client(const std::string& peer,
                       std::optional<std::string_view> forwarded_for) const;

private:
    struct network {
        std::array<unsigned char, 16> bytes{}; // IPv4 as IPv4-mapped IPv6
        int prefix = 128;
    };
    std::vector<network> networks_;
};

// An address in its canonical text form (IPv4-mapped IPv6 as IPv4), or nullopt.
std::optional<std::string> canonical_address(std::string_view text);

} // namespace rencontres::http
