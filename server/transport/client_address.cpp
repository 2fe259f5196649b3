#include "server/transport/client_address.hpp"

#include <arpa/inet.h>
#include <charconv>
#include <cstring>

namespace rencontres::http {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// Parses an IPv4 or IPv6 address into 16 bytes (IPv4 mapped into IPv6); `v4` tells which.
bool parse(std::string_view text, std::array<unsigned char, 16>& out, bool& v4) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
        text = text.substr(1, text.size() - 2);
    if (text.empty() || text.size() > 64) return false;
    const std::string z(text);
    in_addr a4{};
    if (::inet_pton(AF_INET, z.c_str(), &a4) == 1) {
        out.fill(0);
        out[10] = out[11] = 0xff;
        std::memcpy(out.data() + 12, &a4, 4);
        v4 = true;
        return true;
    }
    in6_addr a6{};
    if (::inet_pton(AF_INET6, z.c_str(), &a6) == 1) {
        std::memcpy(out.data(), &a6, 16);
        static constexpr unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        v4 = std::memcmp(out.data(), mapped, 12) == 0;
        return true;
    }
    return false;
}

bool within(const std::array<unsigned char, 16>& address, const std::array<unsigned char, 16>& net,
            int prefix) {
    int bits = prefix;
    for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        const unsigned char mask =
            bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
        if ((address[i] & mask) != (net[i] & mask)) return false;
    }
    return true;
}

} // namespace

std::optional<std::string> canonical_address(std::string_view text) {
    std::array<unsigned char, 16> bytes{};
    bool v4 = false;
    if (!parse(trim(text), bytes, v4)) return std::nullopt;
    char buffer[INET6_ADDRSTRLEN] = {};
    if (v4)
        ::inet_ntop(AF_INET, bytes.data() + 12, buffer, sizeof buffer);
    else
        ::inet_ntop(AF_INET6, bytes.data(), buffer, sizeof buffer);
    return std::string(buffer);
}

trusted_proxies::trusted_proxies(std::string_view list) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        const auto entry = trim(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (entry.empty()) continue;
        const auto slash = entry.find('/');
        network n;
        bool v4 = false;
        if (!parse(entry.substr(0, slash), n.bytes, v4))
            throw std::invalid_argument("'" + std::string(entry) + "' is not an address or CIDR");
        n.prefix = 128;
        if (slash != std::string_view::npos) {
            const auto digits = entry.substr(slash + 1);
            int prefix = -1;
            const auto [end, ec] =
                std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
            const int max = v4 ? 32 : 128;
            if (ec != std::errc{} || end != digits.data() + digits.size() || prefix < 0 ||
                prefix > max)
                throw std::invalid_argument("'" + std::string(entry) + "' has a bad prefix length");
            n.prefix = v4 ? prefix + 96 : prefix;
        }
        networks_.push_back(n);
    }
}

bool trusted_proxies::contains(std::string_view address) const {
    std::array<unsigned char, 16> bytes{};
    bool v4 = false;
    if (!parse(trim(address), bytes, v4)) return false;
    for (const auto& n : networks_)
        if (within(bytes, n.bytes, n.prefix)) return true;
    return false;
}

std::string trusted_proxies::client(const std::string& peer,
                                    std::optional<std::string_view> forwarded_for) const {
    if (networks_.empty() || !forwarded_for || !contains(peer)) return peer;
    // Right to left: each hop was appended by the proxy before it. The first hop that is not a
    // trusted proxy is the client; a hop that is not an address ends the walk at the last one
    // a trusted proxy vouched for.
    std::string client = peer;
    auto rest = *forwarded_for;
    while (!rest.empty()) {
        const auto comma = rest.rfind(',');
        const auto hop = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
        const auto address = canonical_address(hop);
        if (!address) return client;
        client = *address;
        if (!contains(*address)) return client;
    }
    return client;
}

} // namespace rencontres::http
