#include "server/notify/webhook_sender.hpp"

#include <arpa/inet.h>
#include <array>
#include <chrono>
#include <cstring>
#include <curl/curl.h>
#include <memory>
#include <mutex>
#include <netdb.h>
#include <sodium.h>
#include <sys/socket.h>

namespace rencontres::notify {
namespace {

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
             in(0xC0A80000, 16) || // 192.168/16
             in(0xE0000000, 4) ||  // multicast
             in(0xF0000000, 4));   // reserved, broadcast
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
    if (sa->sa_family == AF_INET6) {
        const auto* v6 = reinterpret_cast<const sockaddr_in6*>(sa);
        const auto* b = v6->sin6_addr.s6_addr;
        if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
            const std::uint32_t v4 = (std::uint32_t{b[12]} << 24) | (std::uint32_t{b[13]} << 16) |
                                     (std::uint32_t{b[14]} << 8) | b[15];
            return public_v4(v4);
        }
        if (IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr) || IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr) ||
            IN6_IS_ADDR_LINKLOCAL(&v6->sin6_addr) || IN6_IS_ADDR_MULTICAST(&v6->sin6_addr))
            return false;
        if ((b[0] & 0xFE) == 0xFC) return false; // unique local, fc00::/7
        return true;
    }
    return false;
}

bool network_guard::allowed(std::string_view url) {
    const auto host = url_host(url);
    if (host.empty()) return false;
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return false;
    bool ok = found != nullptr;
    for (auto* a = found; a; a = a->ai_next)
        if (!allow_private_ && !public_address(a->ai_addr)) ok = false;
    ::freeaddrinfo(found);
    return ok;
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
