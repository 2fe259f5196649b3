#include "server/notify/webhook_sender.hpp"

#include <arpa/inet.h>
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <curl/curl.h>
#include <memory>
#include <mutex>
#include <netdb.h>
#include <sodium.h>
#include <sys/socket.h>
#include <thread>

namespace rencontres::notify {
namespace {

// IANA's IPv4 Special-Purpose Address Registry, every block not globally reachable (and a few
// that are but reach no ordinary web server): a webhook never goes there.
bool public_v4(std::uint32_t host_order) {
    const auto in = [&](std::uint32_t net, int bits) {
        const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
        return (host_order & mask) == net;
    };
    return !(in(0x00000000, 8) ||  // "this" network, 0.0.0.0
             in(0x0A000000, 8) ||  // 10/8
             in(0x64400000, 10) || // 100.64/10, shared address space
             in(0x7F000000, 8) ||  // loopback
             in(0xA9FE0000, 16) || // link-local, cloud metadata
             in(0xAC100000, 12) || // 172.16/12
             in(0xC0000000, 24) || // 192.0.0/24, IETF protocol assignments
             in(0xC0000200, 24) || // 192.0.2/24, documentation (TEST-NET-1)
             in(0xC0586300, 24) || // 192.88.99/24, 6to4 relay anycast (deprecated)
             in(0xC0A80000, 16) || // 192.168/16
             in(0xC6120000, 15) || // 198.18/15, benchmarking
             in(0xC6336400, 24) || // 198.51.100/24, documentation (TEST-NET-2)
             in(0xCB007100, 24) || // 203.0.113/24, documentation (TEST-NET-3)
             in(0xE0000000, 4) ||  // multicast
             in(0xF0000000, 4));   // 240/4 reserved, and the broadcast address
}

std::uint32_t v4_at(const unsigned char* b) { // four bytes in network order
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
           b[3];
}

// IANA's IPv6 Special-Purpose Address Registry, likewise; forms that carry an IPv4 address
// (mapped, compatible, NAT64, 6to4) are refused, or judged by it (6to4).
bool public_v6(const unsigned char* b) {
    const auto zero = [&](int from, int to) {
        for (int i = from; i < to; ++i)
            if (b[i] != 0) return false;
        return true;
    };
    // IPv4-mapped ::ffff:a.b.c.d (a name resolves to IPv4 itself, never to this form), ::, ::1
    // and the deprecated IPv4-compatible ::a.b.c.d.
    if (zero(0, 10) && ((b[10] == 0xFF && b[11] == 0xFF) || (b[10] == 0 && b[11] == 0)))
        return false;
    if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)
        return false; // 64:ff9b::/96 NAT64 and 64:ff9b:1::/48 local-use NAT64
    if (b[0] == 0x01 && b[1] == 0x00 && zero(2, 8)) return false;  // 100::/64 discard-only
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02) return false; // 2001::/23 IETF protocols
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)
        return false;                                                 // 2001:db8::/32 documentation
    if (b[0] == 0x20 && b[1] == 0x02) return public_v4(v4_at(b + 2)); // 6to4 of its IPv4
    if (b[0] == 0x3F && b[1] == 0xFF && (b[2] & 0xF0) == 0x00)
        return false;                                        // 3fff::/20 documentation
    if (b[0] == 0x5F && b[1] == 0x00) return false;          // 5f00::/16 segment routing
    if ((b[0] & 0xFE) == 0xFC) return false;                 // fc00::/7 unique local
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return false; // fe80::/10 link-local
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return false; // fec0::/10 site-local
    if (b[0] == 0xFF) return false;                          // multicast
    return true;
}

std::string url_host(std::string_view url) {
    auto rest = url.substr(url.find("://") + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
    if (!rest.empty() && rest.front() == '[')
        return std::string(rest.substr(1, rest.find(']') - 1));
    return std::string(rest.substr(0, rest.find(':')));
}

std::string base64(const unsigned char* data, std::size_t size) {
    std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

struct guard_context {
    bool allow_private;
    bool refused = false;
};

// Called by libcurl with the address it is about to connect to, after resolving.
curl_socket_t open_checked(void* user, curlsocktype, curl_sockaddr* address) {
    auto* guard = static_cast<guard_context*>(user);
    if (!guard->allow_private && !public_address(&address->addr)) {
        guard->refused = true;
        return CURL_SOCKET_BAD;
    }
    return ::socket(address->family, address->socktype, address->protocol);
}

std::size_t discard(char*, std::size_t size, std::size_t count, void*) {
    return size * count;
}

} // namespace

bool public_address(const void* sockaddr_ptr) {
    const auto* sa = static_cast<const sockaddr*>(sockaddr_ptr);
    if (sa->sa_family == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(sa);
        return public_v4(ntohl(v4->sin_addr.s_addr));
    }
    if (sa->sa_family == AF_INET6)
        return public_v6(reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr.s6_addr);
    return false;
}

bool public_address_text(const std::string& text) {
    sockaddr_in v4{};
    sockaddr_in6 v6{};
    if (::inet_pton(AF_INET, text.c_str(), &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        return public_address(&v4);
    }
    if (::inet_pton(AF_INET6, text.c_str(), &v6.sin6_addr) == 1) {
        v6.sin6_family = AF_INET6;
        return public_address(&v6);
    }
    return false;
}

// The name is resolved on a thread of its own, waited for at most `resolve_timeout`: a slow DNS
// answer makes the request fail (422), never holds the worker longer.
bool network_guard::allowed(std::string_view url) {
    const auto host = url_host(url);
    if (host.empty()) return false;
    struct lookup {
        std::mutex mutex;
        std::condition_variable done_cv;
        bool done = false;
        bool ok = false;
    };
    auto shared = std::make_shared<lookup>();
    std::thread([shared, host, allow_private = allow_private_] {
        addrinfo hints{};
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* found = nullptr;
        bool ok = ::getaddrinfo(host.c_str(), nullptr, &hints, &found) == 0 && found != nullptr;
        for (auto* a = found; ok && a; a = a->ai_next)
            if (!allow_private && !public_address(a->ai_addr)) ok = false;
        if (found) ::freeaddrinfo(found);
        std::lock_guard lock(shared->mutex);
        shared->ok = ok;
        shared->done = true;
        shared->done_cv.notify_all();
    }).detach();
    std::unique_lock lock(shared->mutex);
    return shared->done_cv.wait_for(lock, resolve_timeout_, [&] { return shared->done; }) &&
           shared->ok;
}

std::string sodium_secrets::make_secret() {
    std::array<unsigned char, 24> key{};
    randombytes_buf(key.data(), key.size());
    return "whsec_" + base64(key.data(), key.size());
}

std::string standard_webhooks_signature(std::string_view secret, std::string_view id,
                                        long long timestamp, std::string_view body) {
    constexpr std::string_view prefix = "whsec_";
    if (secret.substr(0, prefix.size()) != prefix) return {};
    const auto encoded = secret.substr(prefix.size());
    std::vector<unsigned char> key(encoded.size());
    std::size_t key_size = 0;
    if (sodium_base642bin(key.data(), key.size(), encoded.data(), encoded.size(), nullptr,
                          &key_size, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
        return {};
    const auto message =
        std::string(id) + "." + std::to_string(timestamp) + "." + std::string(body);
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, key.data(), key_size);
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&state, mac);
    return "v1," + base64(mac, sizeof mac);
}

http_webhook_sender::http_webhook_sender(webhook_sender_settings settings, reply_sealer& sealer,
                                         payload_source payloads)
    : settings_(settings), sealer_(sealer), payloads_(std::move(payloads)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

webhook_report http_webhook_sender::send(const due_delivery& d, instant now) {
    const auto secret = sealer_.open(d.sealed_secret);
    if (!secret) return {delivery_outcome::rejected, std::nullopt, 0, "the secret cannot be read"};
    const auto id = "msg_" + id_text(d.delivery.id);
    const auto timestamp =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    const auto body = payloads_(d.delivery.type, d.delivery.subject_id, now);
    const auto signature = standard_webhooks_signature(*secret, id, timestamp, body);

    const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> handle(curl_easy_init(),
                                                                     &curl_easy_cleanup);
    if (!handle) return {delivery_outcome::retry_later, std::nullopt, 0, "libcurl did not start"};
    CURL* h = handle.get();
    curl_slist* headers = nullptr;
    for (const auto& line :
         {std::string("Content-Type: application/json"), "webhook-id: " + id,
          "webhook-timestamp: " + std::to_string(timestamp), "webhook-signature: " + signature,
          std::string("User-Agent: Rencontres-Webhooks/1")})
        headers = curl_slist_append(headers, line.c_str());
    const std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(
        headers, &curl_slist_free_all);
    guard_context guard{settings_.allow_private_targets};
    char error[CURL_ERROR_SIZE];
    error[0] = '\0';
    curl_easy_setopt(h, CURLOPT_URL, d.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L); // a redirect could lead anywhere
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_checked);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &guard);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count()));
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
    const auto started = std::chrono::steady_clock::now();
    const auto rc = curl_easy_perform(h);
    const auto duration = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::steady_clock::now() - started)
                                               .count());
    if (guard.refused)
        return {delivery_outcome::retry_later, std::nullopt, duration,
                "the target resolved to a loopback, private or link-local address"};
    if (rc != CURLE_OK)
        return {delivery_outcome::retry_later, std::nullopt, duration,
                error[0] ? error : curl_easy_strerror(rc)};
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300)
        return {delivery_outcome::sent, static_cast<int>(status), duration, {}};
    return {delivery_outcome::retry_later, static_cast<int>(status), duration,
            "the receiver answered " + std::to_string(status)};
}

} // namespace rencontres::notify
