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
std::string registration_key(std::string_view client) {
    return "r:" + std::string(client);
}
std::string reset_client_key(std::string_view client) {
    return "rc:" + std::string(client);
}
std::string reset_email_key(std::string_view email) {
    return "re:" + std::string(email);
}

std::optional<std::chrono::seconds> longest(std::optional<std::chrono::seconds> a,
                                            std::optional<std::chrono::seconds> b) {
    if (a && b) return std::max(*a, *b);
    return a ? a : b;
}

} // namespace

void memory_throttle_windows::update(const std::function<void(throttle_window_set&)>& change) {
    std::lock_guard lock(mutex_);
    change(*this);
}

std::optional<throttle_window> memory_throttle_windows::find(const std::string& key) {
    const auto it = windows_.find(key);
    if (it == windows_.end()) return std::nullopt;
    return it->second;
}

void memory_throttle_windows::put(const std::string& key, const throttle_window& window) {
    windows_[key] = window;
}

void memory_throttle_windows::erase(const std::string& key) {
    windows_.erase(key);
}

void memory_throttle_windows::bound(std::size_t most, instant cutoff) {
    if (windows_.size() < most) return;
    std::erase_if(windows_, [&](const auto& entry) { return entry.second.started <= cutoff; });
}

std::optional<std::chrono::seconds> login_throttle::wait_for(throttle_window_set& windows,
                                                             const std::string& key, int limit,
                                                             std::chrono::seconds length,
                                                             instant now) {
    const auto window = windows.find(key);
    if (!window) return std::nullopt;
    const auto ends = window->started + length;
    if (now >= ends) {
        windows.erase(key);
        return std::nullopt;
    }
    if (window->failures < limit) return std::nullopt;
    return std::max(std::chrono::seconds{1}, ends - now);
}

std::optional<std::chrono::seconds> login_throttle::blocked(std::string_view email,
                                                            std::string_view client, instant now) {
    std::optional<std::chrono::seconds> wait;
    windows_.update([&](throttle_window_set& windows) {
        const auto w = settings_.window;
        wait = wait_for(windows, pair_key(email, client),
                        settings_.max_failures_per_email_and_client, w, now);
        wait = longest(
            wait, wait_for(windows, client_key(client), settings_.max_failures_per_client, w, now));
        wait = longest(
            wait, wait_for(windows, email_key(email), settings_.max_failures_per_email, w, now));
    });
    return wait;
}

void login_throttle::count(throttle_window_set& windows, const std::string& key,
                           std::chrono::seconds length, instant now) {
    auto window = windows.find(key).value_or(throttle_window{});
    if (window.failures == 0 || now >= window.started + length) window = {0, now};
    ++window.failures;
    windows.put(key, window);
}

void login_throttle::bound_memory(throttle_window_set& windows, instant now) const {
    const auto longest_window = std::max(settings_.window, settings_.sign_up_window);
    windows.bound(settings_.max_tracked_keys, now - longest_window);
}

void login_throttle::failed(std::string_view email, std::string_view client, instant now) {
    windows_.update([&](throttle_window_set& windows) {
        bound_memory(windows, now);
        count(windows, pair_key(email, client), settings_.window, now);
        count(windows, client_key(client), settings_.window, now);
        count(windows, email_key(email), settings_.window, now);
    });
}

void login_throttle::succeeded(std::string_view email, std::string_view client) {
    windows_.update([&](throttle_window_set& windows) { windows.erase(pair_key(email, client)); });
}

std::optional<std::chrono::seconds> login_throttle::admit(throttle_windows& kept,
                                                          const std::string& key, int limit,
                                                          std::chrono::seconds length,
                                                          instant now) {
    std::optional<std::chrono::seconds> wait;
    kept.update([&](throttle_window_set& windows) {
        wait = wait_for(windows, key, limit, length, now);
        if (wait) return;
        bound_memory(windows, now);
        count(windows, key, length, now);
    });
    return wait;
}

std::optional<std::chrono::seconds> login_throttle::admit_sign_up(std::string_view client,
                                                                  instant now) {
    return admit(windows_, sign_up_key(client), settings_.max_sign_ups_per_client,
                 settings_.sign_up_window, now);
}

std::optional<std::chrono::seconds> login_throttle::admit_registration(std::string_view client,
                                                                       instant now) {
    if (settings_.max_registrations_per_client == 0) return std::nullopt;
    return admit(registrations_, registration_key(client), settings_.max_registrations_per_client,
                 settings_.registration_window, now);
}

std::optional<std::chrono::seconds>
login_throttle::admit_password_reset(std::string_view email, std::string_view client, instant now) {
    if (auto wait = admit(windows_, reset_client_key(client), settings_.max_resets_per_client,
                          settings_.reset_window, now))
        return wait;
    return admit(windows_, reset_email_key(email), settings_.max_resets_per_email,
                 settings_.reset_window, now);
}

} // namespace rencontres
