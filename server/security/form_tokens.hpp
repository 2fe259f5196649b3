// Anti-CSRF tokens of the public forms that no secret protects already (the registration form):
// "<expiry>.<MAC of purpose and expiry>", keyed by a key derived from the server's secret, so a
// token holds for its form only, until it expires, across restarts, without storing anything.
// A cross-site page cannot read one (the pages are same-origin only), so it cannot forge the POST.
#pragma once

#include "domain/common/time.hpp"

#include <array>
#include <string>
#include <string_view>

namespace rencontres::security {

class form_tokens {
public:
    explicit form_tokens(const std::array<unsigned char, 32>& server_key);
    std::string issue(std::string_view purpose, instant now) const;
    bool valid(std::string_view token, std::string_view purpose, instant now) const;

    // How long a form stays valid once shown.
    static constexpr auto lifetime = std::chrono::hours{12};

private:
    std::string mac(std::string_view purpose, long long expiry) const;
    std::array<unsigned char, 32> key_{};
};

} // namespace rencontres::security
