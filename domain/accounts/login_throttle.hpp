// Counts attempts per key in fixed windows; once a key reaches its limit, further attempts are
// refused (429) until its window ends, whatever the password.
//
// Failed logins are counted per (email, client) pair and per client. An email alone is counted
// too, but with a much higher limit: otherwise five wrong passwords typed by a stranger would lock
// a chosen person out. Sign-ups are counted per client before their password is hashed, and
// registrations made without an account per client too.
#pragma once

#include "domain/common/time.hpp"

#include <chrono>
#include <functional>
#include <memory>
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
    // Registrations made without an account, per client address (0 = no limit).
    int max_registrations_per_client = 20;
    std::chrono::seconds registration_window{600};
    // Password reset requests, per client and per email (known or not: the limit tells nothing
    // about which addresses have an account).
    int max_resets_per_client = 10;
    int max_resets_per_email = 3;
    std::chrono::seconds reset_window{3600};
};

// A counting window: failures (or sign-ups) since `started`.
struct throttle_window {
    int failures = 0;
    instant started{};
};

// The windows of one change, seen by the throttle inside throttle_windows::update.
class throttle_window_set {
public:
    virtual ~throttle_window_set() = default;
    virtual std::optional<throttle_window> find(const std::string& key) = 0;
    virtual void put(const std::string& key, const throttle_window& window) = 0;
    virtual void erase(const std::string& key) = 0;
    // Forgets the windows started at or before `cutoff` (ended) once `most` or more are kept.
    virtual void bound(std::size_t most, instant cutoff) = 0;
};

// Where the windows are kept: this process's memory (memory_throttle_windows), or, when several
// instances share a database, the database, so that a client meets the same limits whichever
// instance it reaches (the storage adapter's).
class throttle_windows {
public:
    virtual ~throttle_windows() = default;
    // Runs `change` with the windows to itself: one change at a time, applied whole.
    virtual void update(const std::function<void(throttle_window_set&)>& change) = 0;
};

class memory_throttle_windows final : public throttle_windows, private throttle_window_set {
public:
    void update(const std::function<void(throttle_window_set&)>& change) override;

private:
    std::optional<throttle_window> find(const std::string& key) override;
    void put(const std::string& key, const throttle_window& window) override;
    void erase(const std::string& key) override;
    void bound(std::size_t most, instant cutoff) override;

    std::mutex mutex_;
    std::unordered_map<std::string, throttle_window> windows_;
};

class login_throttle {
public:
    // Windows kept in this process's memory.
    explicit login_throttle(throttle_settings settings)
        : settings_(settings), own_(std::make_unique<memory_throttle_windows>()), windows_(*own_) {}
    // Windows kept in `windows` (shared by the instances of one database).
    login_throttle(throttle_settings settings, throttle_windows& windows)
        : settings_(settings), windows_(windows) {}

    // How long the caller must wait, when one of its keys is over the limit.
    std::optional<std::chrono::seconds> blocked(std::string_view email, std::string_view client,
                                                instant now);
    void failed(std::string_view email, std::string_view client, instant now);
    void succeeded(std::string_view email, std::string_view client);

    // Counts a sign-up attempt from `client`; how long to wait when it is over the limit (the
    // attempt is then not counted).
    std::optional<std::chrono::seconds> admit_sign_up(std::string_view client, instant now);
    // The same for a registration made without an account: one client cannot fill an event's
    // seats and waiting list, nor have the server mail addresses of its choice. Counted by each
    // instance in its memory.
    std::optional<std::chrono::seconds> admit_registration(std::string_view client, instant now);

    // Counts a password reset request for `email` from `client`; how long to wait past either
    // limit.
    std::optional<std::chrono::seconds> admit_password_reset(std::string_view email,
                                                             std::string_view client, instant now);

private:
    static std::optional<std::chrono::seconds> wait_for(throttle_window_set& windows,
                                                        const std::string& key, int limit,
                                                        std::chrono::seconds length, instant now);
    static void count(throttle_window_set& windows, const std::string& key,
                      std::chrono::seconds length, instant now);
    void bound_memory(throttle_window_set& windows, instant now) const;
    // Counts one attempt under `key` in `kept`, unless the key is over `limit`: then how long to
    // wait.
    std::optional<std::chrono::seconds> admit(throttle_windows& kept, const std::string& key,
                                              int limit, std::chrono::seconds length, instant now);

    throttle_settings settings_;
    std::unique_ptr<throttle_windows> own_;
    throttle_windows& windows_;
    // Anonymous registrations are counted in this process's memory even when the other windows
    // are shared: a spam limit, checked before every anonymous registration, is not worth a
    // database round trip each (with several instances, each counts its own).
    memory_throttle_windows registrations_;
};

} // namespace rencontres
