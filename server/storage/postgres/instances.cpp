#include "server/storage/postgres/instances.hpp"

#include "domain/store.hpp"
#include "server/storage/sql/repositories.hpp"

#include <charconv>
#include <libpq-fe.h>
#include <poll.h>
#include <random>
#include <vector>

namespace rencontres::postgres {
namespace {

constexpr const char* listen_for_changes = "LISTEN rencontres_changes";
constexpr const char* notify = "SELECT pg_notify('rencontres_changes', ?)";
// The key of the delivery lease (advisory_key lists them all).
const std::string take_lease =
    "SELECT pg_try_advisory_lock(" + std::to_string(advisory_key::delivery) + ")";
constexpr const char* alive = "SELECT 1";
constexpr const char* every_event = "SELECT id FROM events";
constexpr const char* find_window =
    "SELECT failures, started_at FROM throttle_windows WHERE key = ?";
constexpr const char* put_window =
    "INSERT INTO throttle_windows (key, failures, started_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (key) DO UPDATE SET failures = ?2, started_at = ?3";
constexpr const char* erase_window = "DELETE FROM throttle_windows WHERE key = ?";
constexpr const char* erase_ended_windows = "DELETE FROM throttle_windows WHERE started_at <= ?";

// A throttle key as stored: hexadecimal, since it holds a NUL, which TEXT cannot.
std::string stored_key(const std::string& key) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(key.size() * 2);
    for (const unsigned char c : key) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

const std::string begin_throttles =
    "BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(advisory_key::throttles) + ")";

class window_rows final : public throttle_window_set {
public:
    explicit window_rows(connection& db) : db_(db) {}
    std::optional<throttle_window> find(const std::string& key) override {
        auto query = db_.prepare(find_window);
        query.bind(1, stored_key(key));
        if (!query.step()) return std::nullopt;
        return throttle_window{static_cast<int>(query.integer(0)),
                               storage::at_seconds(query.integer(1))};
    }
    void put(const std::string& key, const throttle_window& window) override {
        wrote_ = true;
        db_.prepare(put_window)
            .bind_all(stored_key(key), window.failures, storage::seconds(window.started))
            .run();
    }
    void erase(const std::string& key) override {
        wrote_ = true;
        db_.prepare(erase_window).bind(1, stored_key(key)).run();
    }
    // The table is not memory: ended windows go at every bound, however many there are.
    void bound(std::size_t, instant cutoff) override {
        wrote_ = true;
        db_.prepare(erase_ended_windows).bind(1, storage::seconds(cutoff)).run();
    }

    bool wrote() const { return wrote_; }

private:
    connection& db_;
    bool wrote_ = false;
};

std::string random_mark() {
    std::random_device entropy;
    const auto value = (static_cast<std::uint64_t>(entropy()) << 32) | entropy();
    char buffer[17];
    const auto end = std::to_chars(buffer, buffer + 16, value, 16).ptr;
    return std::string(buffer, end);
}

} // namespace

change_relay::change_relay(connection_settings settings, agenda_observer& local)
    : settings_(std::move(settings)), local_(local), instance_(random_mark()) {
    connect(); // a first failure is retried by the thread
    thread_ = std::thread([this] { run(); });
}

change_relay::~change_relay() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void change_relay::agenda_changed(id_t event_id) {
    local_.agenda_changed(event_id);
    std::lock_guard lock(mutex_);
    pending_.emplace('a', event_id);
}

void change_relay::seats_changed(id_t event_id) {
    local_.seats_changed(event_id);
    std::lock_guard lock(mutex_);
    pending_.emplace('s', event_id);
}

void change_relay::floor_changed(id_t session_id) {
    local_.floor_changed(session_id);
    std::lock_guard lock(mutex_);
    pending_.emplace('f', session_id);
}

bool change_relay::connect() {
    try {
        db_ = std::make_unique<connection>(settings_);
        db_->execute(listen_for_changes);
        return true;
    } catch (const std::exception&) {
        db_.reset();
        return false;
    }
}

void change_relay::run() {
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (stopping_) return;
        }
        if (!db_) {
            std::unique_lock lock(mutex_);
            if (wake_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_; })) return;
            lock.unlock();
            if (!connect()) continue;
            try {
                forget_all(); // what was said while nobody listened is lost
            } catch (const std::exception&) {
                db_.reset();
                continue;
            }
        }
        pollfd socket{PQsocket(db_->handle()), POLLIN, 0};
        ::poll(&socket, 1, 100);
        try {
            receive();
            send();
        } catch (const std::exception&) {
            db_.reset();
        }
    }
}

void change_relay::forget_all() {
    std::vector<id_t> events;
    {
        auto query = db_->prepare(every_event);
        while (query.step())
            events.push_back(query.integer(0));
    }
    for (const auto id : events)
        local_.agenda_changed(id);
    local_.floor_changed(every_session);
}

void change_relay::receive() {
    if (!PQconsumeInput(db_->handle())) throw store_unavailable("the listening connection broke");
    while (PGnotify* heard = PQnotifies(db_->handle())) {
        // "<instance> <a|s> <event id>"
        const std::string_view payload(heard->extra);
        const auto space = payload.find(' ');
        if (space != std::string_view::npos && payload.substr(0, space) != instance_ &&
            payload.size() > space + 3) {
            id_t event_id = 0;
            const auto digits = payload.substr(space + 3);
            std::from_chars(digits.data(), digits.data() + digits.size(), event_id);
            if (payload[space + 1] == 'a')
                local_.agenda_changed(event_id);
            else if (payload[space + 1] == 'f')
                local_.floor_changed(event_id); // a session's id
            else
                local_.seats_changed(event_id);
            ++heard_;
        }
        PQfreemem(heard);
    }
}

void change_relay::send() {
    std::set<std::pair<char, id_t>> batch;
    {
        std::lock_guard lock(mutex_);
        batch.swap(pending_);
    }
    for (auto it = batch.begin(); it != batch.end();) {
        const auto& [kind, event_id] = *it;
        try {
            db_->prepare(notify)
                .bind(1, instance_ + ' ' + kind + ' ' + std::to_string(event_id))
                .run();
        } catch (...) {
            // Kept for the next connection.
            std::lock_guard lock(mutex_);
            pending_.insert(it, batch.end());
            throw;
        }
        it = batch.erase(it);
    }
}

bool delivery_lease::held() {
    std::lock_guard lock(mutex_);
    try {
        if (!db_) {
            db_ = std::make_unique<connection>(settings_);
            holding_ = false;
        }
        if (holding_) {
            db_->prepare(alive).run();
            return true;
        }
        auto taken = db_->prepare(take_lease.c_str());
        holding_ = taken.step() && taken.integer(0) == 1;
        return holding_;
    } catch (const std::exception&) {
        // The session is gone, and the lease with it.
        db_.reset();
        holding_ = false;
        return false;
    }
}

void shared_throttle_windows::update(const std::function<void(throttle_window_set&)>& change) {
    storage::leased_writer<connection> lease(writers_);
    auto& db = *lease.db;
    try {
        // The windows' own lock: a check reads a window and writes it back, and the checks of
        // every instance take their turn on it. No other write waits for it.
        db.execute(begin_throttles.c_str());
        window_rows rows(db);
        change(rows);
        // A check that changed nothing (most sign-ins) does not commit.
        if (rows.wrote())
            db.commit_write();
        else
            db.execute("ROLLBACK");
    } catch (...) {
        try {
            if (db.in_transaction()) db.execute("ROLLBACK");
        } catch (...) {
            // Still in its transaction: the lease closes the connection.
        }
        throw;
    }
}

} // namespace rencontres::postgres
