// Counts failed logins per email and per client address in fixed windows; once a key reaches its
// limit, further attempts are refused (429) until the window ends, whatever the password.
#pragma once

#include "domain/common/time.hpp"

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rencontres {

struct throttle_settings {
    int max_failures_per_email = 5;
    int max_failures_per_client = 20;
    std::chrono::seconds window{15 * 60};
    std::size_t max_tracked_keys = 100'000; // memory bound under a spray of addresses
};

class login_throttle {
public:
    explicit login_throttle(throttle_settings settings) : settings_(settings) {}

    // How long the caller must wait, when one of its keys is over the limit.
    std::optional<std::chrono::seconds> blocked(std::string_view email, std::string_view client,
                                                instant now);
    void failed(std::string_view email, std::string_view client, instant now);
    void succeeded(std::string_view email);

private:
    struct window {
        int failures = 0;
        instant started{};
    };
    std::optional<std::chrono::seconds> wait_for(const std::string& key, int limit, instant now);
    void count(const std::string& key, instant now);

    throttle_settings settings_;
    std::mutex mutex_;
    std::unordered_map<std::string, window> windows_;
};

} // namespace rencontres
