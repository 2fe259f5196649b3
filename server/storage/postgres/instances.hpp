// What several instances on one PostgreSQL database share beyond the domain's rows: the news that
// a cached rendering is stale, which instance delivers the outbox, and the throttles' windows.
#pragma once

#include "domain/accounts/login_throttle.hpp"
#include "domain/agenda/observer.hpp"
#include "server/storage/postgres/connection.hpp"
#include "server/storage/sql_store.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

namespace rencontres::postgres {

// Passes each change to this instance's observer (its caches) and tells the other instances
// with NOTIFY on the channel `rencontres_changes`; what they tell, heard with LISTEN on its own
// connection, goes to this instance's observer. One thread sends and listens; changes are sent
// within 100 ms, once each per event however many came meanwhile, so a burst of registrations
// costs one notification. If the listening connection breaks, it is opened again every second;
// what was said meanwhile is lost, so every event is then taken as changed.
class change_relay final : public agenda_observer {
public:
    change_relay(connection_settings settings, agenda_observer& local);
    ~change_relay() override;

    void agenda_changed(id_t event_id) override;
    void seats_changed(id_t event_id) override;
    void floor_changed(id_t session_id) override;
    // Notifications heard from other instances (for tests and /metrics).
    std::uint64_t heard() const { return heard_.load(); }

private:
    void run();
    bool connect();
    void forget_all();
    void receive();
    void send();

    connection_settings settings_;
    agenda_observer& local_;
    std::string instance_; // this instance's mark, to skip its own notifications
    std::unique_ptr<connection> db_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::set<std::pair<char, id_t>> pending_; // 'a': agenda, 's': seats, 'f': a session's room
    bool stopping_ = false;
    std::atomic<std::uint64_t> heard_{0};
    std::thread thread_;
};

// One instance at a time delivers the outbox and the webhooks: the one whose session holds an
// advisory lock. The domain hands messages over outside any transaction (a slow mail server holds
// no lock), so a row lock could not cover a delivery; a session lock does, and passes to another
// instance as soon as the holder's connection ends (a crash, SIGKILL, a stop).
class delivery_lease {
public:
    explicit delivery_lease(connection_settings settings) : settings_(std::move(settings)) {}
    // True while this instance holds the lease (taken when free); checks the session is alive.
    bool held();

private:
    connection_settings settings_;
    std::mutex mutex_;
    std::unique_ptr<connection> db_;
    bool holding_ = false;
};

// The login and sign-up throttles' windows in the table throttle_windows, each change a write
// transaction on one of the store's writer connections, under a lock of the windows alone: a
// client meets the same limits whichever instance it reaches. Ended windows are deleted as
// changes come.
class shared_throttle_windows final : public throttle_windows {
public:
    explicit shared_throttle_windows(storage::connection_pool<connection>& writers)
        : writers_(writers) {}
    void update(const std::function<void(throttle_window_set&)>& change) override;

private:
    storage::connection_pool<connection>& writers_;
};

} // namespace rencontres::postgres
