#include "domain/accounts/login_throttle.hpp"

#include <algorithm>

namespace rencontres {

std::optional<std::chrono::seconds> login_throttle::wait_for(const std::string& key, int limit,
                                                             instant now) {
    const auto it = windows_.find(key);
    if (it == windows_.end()) return std::nullopt;
    const auto ends = it->second.started + settings_.window;
    if (now >= ends) {
        windows_.erase(it);
        return std::nullopt;
    }
    if (it->second.failures < limit) return std::nullopt;
    return std::max(std::chrono::seconds{1}, ends - now);
}

std::optional<std::chrono::seconds> login_throttle::blocked(std::string_view email,
                                                            std::string_view client, instant now) {
    std::lock_guard lock(mutex_);
    auto by_email = wait_for("e:" + std::string(email), settings_.max_failures_per_email, now);
    auto by_client = wait_for("c:" + std::string(client), settings_.max_failures_per_client, now);
    if (by_email && by_client) return std::max(*by_email, *by_client);
    return by_email ? by_email : by_client;
}

void login_throttle::count(const std::string& key, instant now) {
    auto& w = windows_[key];
    if (w.failures == 0 || now >= w.started + settings_.window) w = {0, now};
    ++w.failures;
}

void login_throttle::failed(std::string_view email, std::string_view client, instant now) {
    std::lock_guard lock(mutex_);
    if (windows_.size() >= settings_.max_tracked_keys) {
        std::erase_if(windows_, [&](const auto& entry) {
            return now >= entry.second.started + settings_.window;
        });
    }
    count("e:" + std::string(email), now);
    count("c:" + std::string(client), now);
}

void login_throttle::succeeded(std::string_view email) {
    std::lock_guard lock(mutex_);
    windows_.erase("e:" + std::string(email));
}

} // namespace rencontres
