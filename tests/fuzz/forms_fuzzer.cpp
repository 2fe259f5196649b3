// The parsers added for the site and its mail, with arbitrary bytes. The first byte chooses one:
//  0  a form body (application/x-www-form-urlencoded): parsed, or refused with a problem; what it
//     parses encodes back into a body that parses to the same fields;
//  1  a Cookie header: the session id found is a whole value of the header, without a ';';
//  2  the webhook address classifier: on any text inet_pton reads, it agrees with a second,
//     independent classification from the special-purpose registries' blocks written as text;
//  3  RFC 2047 header encoding: no line break but the folding's, words of at most 75 octets, and
//     decoding gives back the text with its line breaks made spaces.
#include "server/notify/mail.hpp"
#include "server/notify/webhook_sender.hpp"
#include "server/transport/problem.hpp"
#include "server/web/console.hpp"
#include "server/web/pages.hpp"

#include <arpa/inet.h>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <sodium.h>
#include <string>
#include <string_view>

namespace {

using namespace rencontres;

void check(bool ok) {
    if (!ok) std::abort();
}

std::string percent_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

void fuzz_form(std::string_view body) {
    http::request req;
    req.method = "POST";
    req.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    req.body = std::string(body);
    std::multimap<std::string, std::string> fields;
    try {
        fields = web::read_form(req);
    } catch (const http::problem_exception&) {
        return; // refused as unreadable: allowed
    }
    std::string again;
    for (const auto& [name, value] : fields)
        again += (again.empty() ? "" : "&") + percent_encode(name) + "=" + percent_encode(value);
    req.body = again;
    check(web::read_form(req) == fields);
}

void fuzz_cookie(std::string_view header) {
    http::request req;
    req.headers.push_back({"Cookie", std::string(header)});
    const auto found = web::session_cookie(req);
    if (!found) return;
    check(found->find(';') == std::string::npos);
    check(header.find("rencontres_session=" + *found) != std::string_view::npos);
}

// The blocks as IANA's registries list them (and the forms the guard refuses outright), as text.
constexpr const char* v4_blocks[] = {
    "0.0.0.0/8",     "10.0.0.0/8",      "100.64.0.0/10",  "127.0.0.0/8",    "169.254.0.0/16",
    "172.16.0.0/12", "192.0.0.0/24",    "192.0.2.0/24",   "192.88.99.0/24", "192.168.0.0/16",
    "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",    "240.0.0.0/4"};
constexpr const char* v6_blocks[] = {
    "::/96",     "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64",
    "2001::/23", "2001:db8::/32", "3fff::/20",    "5f00::/16",      "fc00::/7",
    "fe80::/10", "fec0::/10",     "ff00::/8"};

bool in_block(const unsigned char* address, const char* block, int family) {
    const std::string text(block);
    const auto slash = text.find('/');
    unsigned char net[16] = {};
    check(::inet_pton(family, text.substr(0, slash).c_str(), net) == 1);
    const int bits = std::atoi(text.c_str() + slash + 1);
    for (int i = 0; i < bits; ++i) {
        const int byte = i / 8, bit = 7 - i % 8;
        if (((address[byte] >> bit) & 1) != ((net[byte] >> bit) & 1)) return false;
    }
    return true;
}

bool independent_v4(const unsigned char* b) {
    for (const auto* block : v4_blocks)
        if (in_block(b, block, AF_INET)) return false;
    return true;
}

bool independent_v6(const unsigned char* b) {
    for (const auto* block : v6_blocks)
        if (in_block(b, block, AF_INET6)) return false;
    if (in_block(b, "2002::/16", AF_INET6)) return independent_v4(b + 2); // 6to4: its IPv4
    return true;
}

void fuzz_address(std::string_view data) {
    const std::string text(data.substr(0, 64));
    unsigned char bytes[16];
    if (::inet_pton(AF_INET, text.c_str(), bytes) == 1)
        check(notify::public_address_text(text) == independent_v4(bytes));
    else if (::inet_pton(AF_INET6, text.c_str(), bytes) == 1)
        check(notify::public_address_text(text) == independent_v6(bytes));
    else
        check(!notify::public_address_text(text));
    // The raw bytes as an address too: every address is reached, not only those typed as text.
    if (data.size() >= 16) {
        char shown[INET6_ADDRSTRLEN];
        check(::inet_ntop(AF_INET6, data.data(), shown, sizeof shown) != nullptr);
        check(notify::public_address_text(shown) ==
              independent_v6(reinterpret_cast<const unsigned char*>(data.data())));
    }
    if (data.size() >= 4) {
        char shown[INET_ADDRSTRLEN];
        check(::inet_ntop(AF_INET, data.data(), shown, sizeof shown) != nullptr);
        check(notify::public_address_text(shown) ==
              independent_v4(reinterpret_cast<const unsigned char*>(data.data())));
    }
}

void fuzz_header(std::string_view text) {
    const auto encoded = notify::encode_header(text);
    std::string flat;
    for (const char c : text)
        flat.push_back(c == '\r' || c == '\n' ? ' ' : c);
    bool ascii = true;
    for (const unsigned char c : flat)
        if (c >= 0x80 || c < 0x20) ascii = false;
    if (ascii) {
        check(encoded == flat);
        return;
    }
    std::string decoded;
    std::size_t at = 0;
    while (at < encoded.size()) {
        if (at > 0) {
            check(encoded.compare(at, 3, "\r\n ") == 0);
            at += 3;
        }
        const auto end = encoded.find("?=", at + 10);
        check(encoded.compare(at, 10, "=?UTF-8?B?") == 0 && end != std::string::npos);
        check(end + 2 - at <= 75);
        const auto word = encoded.substr(at + 10, end - at - 10);
        std::string bytes(word.size(), '\0');
        std::size_t size = 0;
        check(sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(),
                                word.data(), word.size(), nullptr, &size, nullptr,
                                sodium_base64_VARIANT_ORIGINAL) == 0);
        decoded.append(bytes.data(), size);
        at = end + 2;
    }
    check(decoded == flat);
    check(encoded.find_first_of("\r\n") == std::string::npos ||
          encoded.find("\r\n ") != std::string::npos);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 4) {
    case 0:
        fuzz_form(rest);
        break;
    case 1:
        fuzz_cookie(rest);
        break;
    case 2:
        fuzz_address(rest);
        break;
    default:
        fuzz_header(rest);
        break;
    }
    return 0;
}
