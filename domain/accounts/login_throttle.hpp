// Counts attempts per key in fixed windows; once a key reaches its limit, further attempts are
// refused (429) until its window ends, whatever the password.
//
// Failed logins are counted per (email, client) pair and per client. An email alone is counted
// too, but with a much higher limit: otherwise five wrong passwords typed by a stranger would lock
// a chosen person out. Sign-ups are counted per client before their password is hashed.
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
    int max_failures_per_email_and_client = 5;
    int max_failures_per_client = 20;
    int max_failures_per_email = 100; // a spray from many clients at one account
    std::chrono::seconds window{15 * 60};
    int max_sign_ups_per_client = 10;
    std::chrono::seconds sign_up_window{15 * 60};
    std::size_t max_tracked_keys = 100'000; // memory bound under a spray of addresses
};

class login_throttle {
public:
    explicit login_throttle(throttle_settings settings) : settings_(settings) {}

    // How long the caller must wait, when one of its keys is over the limit.
    std::optional<std::chrono::seconds> blocked(std::string_view email, std::string_view client,
                                                instant now);
    void failed(std::string_view email, std::string_view client, instant now);
    void succeeded(std::string_view email, std::string_view client);

    // Counts a sign-up attempt from `client`; how long to wait when it is over the limit (the
    // attempt is then not counted).
    std::optional<std::chrono::seconds> admit_sign_up(std::string_view client, instant now);

private:
    struct window {
        int failures = 0;
        instant started{};
    };
    std::optional<std::chrono::seconds> wait_for(const std::string& key, int limit,
                                                 std::chrono::seconds length, instant now);
    void count(const std::string& key, std::chrono::seconds length, instant now);
    void bound_memory(instant now);

    throttle_settings settings_;
    std::mutex mutex_;
    std::unordered_map<std::string, window> windows_;
};

} // namespace rencontres
