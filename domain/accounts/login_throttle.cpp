#include "domain/accounts/login_throttle.hpp"

#include <algorithm>

namespace rencontres {
namespace {

// Keys of the three counters; a NUL separates email and client, which cannot hold one.
std::string pair_key(std::string_view email, std::string_view client) {
    std::string key = "p:";
    key += email;
    key += '\0';
    key += client;
    return key;
}
std::string client_key(std::string_view client) {
    return "c:" + std::string(client);
}
std::string email_key(std::string_view email) {
    return "e:" + std::string(email);
}
std::string sign_up_key(std::string_view client) {
    return "s:" + std::string(client);
}

std::optional<std::chrono::seconds> longest(std::optional<std::chrono::seconds> a,
                                            std::optional<std::chrono::seconds> b) {
    if (a && b) return std::max(*a, *b);
    return a ? a : b;
}

} // namespace

std::optional<std::chrono::seconds> login_throttle::wait_for(const std::string& key, int limit,
                                                             std::chrono::seconds length,
                                                             instant now) {
    const auto it = windows_.find(key);
    if (it == windows_.end()) return std::nullopt;
    const auto ends = it->second.started + length;
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
    const auto w = settings_.window;
    auto wait =
        wait_for(pair_key(email, client), settings_.max_failures_per_email_and_client, w, now);
    wait = longest(wait, wait_for(client_key(client), settings_.max_failures_per_client, w, now));
    return longest(wait, wait_for(email_key(email), settings_.max_failures_per_email, w, now));
}

void login_throttle::count(const std::string& key, std::chrono::seconds length, instant now) {
    auto& w = windows_[key];
    if (w.failures == 0 || now >= w.started + length) w = {0, now};
    ++w.failures;
}

void login_throttle::bound_memory(instant now) {
    if (windows_.size() < settings_.max_tracked_keys) return;
    const auto longest_window = std::max(settings_.window, settings_.sign_up_window);
    std::erase_if(windows_,
                  [&](const auto& entry) { return now >= entry.second.started + longest_window; });
}

void login_throttle::failed(std::string_view email, std::string_view client, instant now) {
    std::lock_guard lock(mutex_);
    bound_memory(now);
    count(pair_key(email, client), settings_.window, now);
    count(client_key(client), settings_.window, now);
    count(email_key(email), settings_.window, now);
}

void login_throttle::succeeded(std::string_view email, std::string_view client) {
    std::lock_guard lock(mutex_);
    windows_.erase(pair_key(email, client));
}

std::optional<std::chrono::seconds> login_throttle::admit_sign_up(std::string_view client,
                                                                  instant now) {
    std::lock_guard lock(mutex_);
    const auto key = sign_up_key(client);
    if (auto wait = wait_for(key, settings_.max_sign_ups_per_client, settings_.sign_up_window, now))
        return wait;
    bound_memory(now);
    count(key, settings_.sign_up_window, now);
    return std::nullopt;
}

} // namespace rencontres
