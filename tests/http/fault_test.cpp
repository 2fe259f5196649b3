// Faults: the process killed with SIGKILL again and again under a mixed write load, a disk
// that fills up, a database that becomes read-only. What was acknowledged stays, nothing is
// overbooked, failures are 503 problems and never 500, and the service recovers by itself.
//
// The disk tests mount a small tmpfs, so they need root (CI runs as root); elsewhere they are
// skipped with a message.
#include "server/storage/postgres/connection.hpp"
#include "support/process.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iostream>
#include <libpq-fe.h>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <sqlite3.h>
#include <sys/mount.h>
#include <thread>
#include <unistd.h>

namespace rencontres::testing {
namespace {

using boost::json::object;

const header_list json_type{{"Content-Type", "application/json"}};

// Reads the database directly, as a recovery would: SQLite replays the WAL on open; PostgreSQL
// has replayed its own log before it accepts a connection.
class database_file {
public:
    explicit database_file(const std::string& location) {
        if (postgres::is_database_url(location)) {
            pg_ = PQconnectdb(location.c_str());
            if (PQstatus(pg_) != CONNECTION_OK) ADD_FAILURE() << "cannot connect to " << location;
        } else if (sqlite3_open_v2(location.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) !=
                   SQLITE_OK) {
            ADD_FAILURE() << "cannot open " << location;
        }
    }
    ~database_file() {
        if (pg_) PQfinish(pg_);
        if (db_) sqlite3_close(db_);
    }
    std::string text(const std::string& sql) {
        if (pg_) return postgres_text(sql);
        sqlite3_stmt* stmt = nullptr;
        std::string out;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
            ADD_FAILURE() << sqlite3_errmsg(db_) << " in " << sql;
            return out;
        }
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            if (!out.empty()) out += "\n";
            const auto* v = sqlite3_column_text(stmt, 0);
            out += v ? reinterpret_cast<const char*>(v) : "";
        }
        sqlite3_finalize(stmt);
        return out;
    }
    long long number(const std::string& sql) { return std::stoll(text(sql)); }
    // SQLite checks its file; PostgreSQL checks its pages as it reads them.
    std::string integrity() { return pg_ ? "ok" : text("PRAGMA integrity_check"); }

private:
    std::string postgres_text(const std::string& sql) {
        std::string out;
        PGresult* result = PQexec(pg_, sql.c_str());
        if (PQresultStatus(result) != PGRES_TUPLES_OK) {
            ADD_FAILURE() << PQresultErrorMessage(result) << " in " << sql;
        } else {
            for (int row = 0; row < PQntuples(result); ++row) {
                if (!out.empty()) out += "\n";
                out += PQgetvalue(result, row, 0);
            }
        }
        PQclear(result);
        return out;
    }
    sqlite3* db_ = nullptr;
    pg_conn* pg_ = nullptr;
};

TEST(fault, twenty_sigkill_rounds_under_mixed_writes_lose_nothing_and_never_overbook) {
    constexpr int rounds = 20;
    constexpr int capacity = 25;
    const auto dir = make_temp_dir("kill");
    const scratch_database database(dir + "/r.db");
    const auto db = database.location();
    create_admin(db);

    struct held {
        std::string token;
        bool cancelled = false;  // acknowledged (204)
        bool cancelling = false; // asked: without an answer, it may or may not have happened
    };
    std::map<std::string, held> registrations; // acknowledged, by id
    std::vector<std::string> speakers;         // acknowledged
    std::mutex acked;
    std::string token, event;
    std::atomic<int> serial{0};
    std::mt19937 random(20181211);

    for (int round = 0; round < rounds; ++round) {
        {
            child_server server({"--db", db});
            const auto port = server.port();
            if (round == 0) {
                token = login(port);
                event = published_event(port, token, capacity);
            }
            std::vector<std::pair<std::string, std::string>> cancellable; // id, manage token
            for (const auto& [id, h] : registrations)
                if (!h.cancelled) cancellable.emplace_back(id, h.token);
            std::shuffle(cancellable.begin(), cancellable.end(), random);
            std::atomic<std::size_t> next_cancel{0};
            std::atomic<bool> stop{false};
            std::vector<std::thread> load;
            for (int t = 0; t < 8; ++t)
                load.emplace_back([&, t] {
                    for (int i = 0; !stop; ++i) {
                        try {
                            const int kind = (t + i) % 10;
                            if (kind < 6) { // a registration
                                const auto email = "k" + std::to_string(serial++) + "@x.fr";
                                const auto r = register_one(port, event, email);
                                if (r.status != 201) continue;
                                const auto body = r.json();
                                std::lock_guard lock(acked);
                                registrations[std::string(body.at("id").as_string())] = {
                                    std::string(body.at("manage_token").as_string())};
                            } else if (kind < 8) { // a cancellation
                                const auto n = next_cancel++;
                                if (n >= cancellable.size()) continue;
                                const auto& [id, manage] = cancellable[n];
                                {
                                    std::lock_guard lock(acked);
                                    registrations[id].cancelling = true;
                                }
                                const auto r =
                                    send_request(port, "DELETE", "/v1/registrations/" + id, "",
                                                 {{"X-Registration-Token", manage}});
                                if (r.status != 204) continue;
                                std::lock_guard lock(acked);
                                registrations[id].cancelled = true;
                            } else if (kind == 8) { // an organizer's write
                                const auto r = send_request(
                                    port, "POST", "/v1/speakers",
                                    boost::json::serialize(object{
                                        {"full_name", "Orateur " + std::to_string(serial++)}}),
                                    bearer(token));
                                if (r.status != 201) continue;
                                std::lock_guard lock(acked);
                                speakers.emplace_back(r.json().at("id").as_string());
                            } else { // a read
                                (void)send_request(port, "GET", "/v1/events/" + event + "/agenda");
                            }
                        } catch (const std::exception&) {
                            // The server is gone: this request was not acknowledged.
                        }
                    }
                });
            // A fresh server on PostgreSQL opens its connections and prepares its statements on
            // its first requests: it is given longer before the kill for its load to get going.
            const auto [shortest, longest] =
                on_postgres() ? std::pair(400, 900) : std::pair(150, 500);
            std::this_thread::sleep_for(std::chrono::milliseconds(
                std::uniform_int_distribution<>(shortest, longest)(random)));
            server.signal(SIGKILL);
            EXPECT_EQ(server.wait(std::chrono::seconds(10)), -SIGKILL);
            stop = true;
            for (auto& t : load)
                t.join();
        }

        database_file file(db);
        ASSERT_EQ(file.integrity(), "ok") << "round " << round;
        for (const auto& [id, h] : registrations) {
            const auto status = file.text("SELECT status FROM registrations WHERE id = " + id);
            ASSERT_FALSE(status.empty())
                << "round " << round << ": acknowledged registration " << id << " is missing";
            if (h.cancelled) {
                EXPECT_EQ(status, "cancelled") << "round " << round << ": registration " << id;
            } else if (!h.cancelling) {
                EXPECT_NE(status, "cancelled") << "round " << round << ": registration " << id;
            }
        }
        for (const auto& id : speakers)
            ASSERT_EQ(file.number("SELECT count(*) FROM speakers WHERE id = " + id), 1)
                << "round " << round << ": acknowledged speaker " << id << " is missing";
        const auto confirmed =
            file.number("SELECT count(*) FROM registrations WHERE event_id = " + event +
                        " AND status = 'confirmed'");
        const auto waiting =
            file.number("SELECT count(*) FROM registrations WHERE event_id = " + event +
                        " AND status = 'waitlisted'");
        EXPECT_LE(confirmed, capacity) << "round " << round;
        // The counts kept in each transaction survive the crash exactly.
        EXPECT_EQ(file.number("SELECT confirmed FROM event_counts WHERE event_id = " + event),
                  confirmed)
            << "round " << round;
        EXPECT_EQ(file.number("SELECT waitlisted FROM event_counts WHERE event_id = " + event),
                  waiting)
            << "round " << round;
        EXPECT_EQ(file.number("SELECT count(*) FROM event_counts c WHERE c.cancelled <> (SELECT "
                              "count(*) FROM registrations r WHERE r.event_id = c.event_id AND "
                              "r.status = 'cancelled') OR c.confirmed + c.waitlisted + "
                              "c.cancelled <> (SELECT count(*) FROM registrations r WHERE "
                              "r.event_id = c.event_id)"),
                  0)
            << "round " << round;
        EXPECT_EQ(file.number("SELECT count(*) FROM registration_totals t WHERE t.n <> (SELECT "
                              "count(*) FROM registrations r WHERE r.status = t.status)"),
                  0)
            << "round " << round;
        if (waiting > 0) {
            EXPECT_EQ(confirmed, capacity)
                << "round " << round << ": a seat is free while " << waiting << " wait";
        }
    }
    std::cout << "acknowledged: " << registrations.size() << " registrations, " << speakers.size()
              << " speakers\n";
    EXPECT_GT(registrations.size(), 100u) << "the load did not get going";
    const auto cancelled = std::count_if(registrations.begin(), registrations.end(),
                                         [](const auto& r) { return r.second.cancelled; });
    EXPECT_GT(cancelled, 10) << "too few cancellations were acknowledged to mean anything";
    EXPECT_GT(speakers.size(), 10u);
    std::filesystem::remove_all(dir);
}

// A tmpfs of the given size at `where`, unmounted when the test ends.
class small_disk {
public:
    small_disk(std::string where, const char* size) : where_(std::move(where)), size_(size) {
        std::filesystem::create_directories(where_);
        mounted_ = ::geteuid() == 0 &&
                   ::mount("tmpfs", where_.c_str(), "tmpfs", 0, ("size=" + size_).c_str()) == 0;
    }
    ~small_disk() { unmount(); }
    void unmount() {
        if (mounted_) ::umount2(where_.c_str(), MNT_DETACH);
        mounted_ = false;
    }
    bool mounted() const { return mounted_; }
    bool read_only(bool on) {
        const unsigned long flags = MS_REMOUNT | (on ? MS_RDONLY : 0);
        return ::mount(nullptr, where_.c_str(), nullptr, flags, ("size=" + size_).c_str()) == 0;
    }
    // Writes a file until the disk is full.
    void fill(const std::string& name) {
        std::ofstream out(where_ + "/" + name, std::ios::binary);
        const std::string chunk(64 * 1024, 'x');
        while (out.write(chunk.data(), static_cast<std::streamsize>(chunk.size())) && out.flush()) {
        }
    }

private:
    std::string where_;
    std::string size_;
    bool mounted_ = false;
};

TEST(fault, a_full_disk_refuses_writes_with_503_keeps_serving_reads_and_recovers) {
    if (on_postgres()) GTEST_SKIP() << "SQLite's own: a full disk under its file";
    const auto dir = make_temp_dir("full");
    small_disk disk(dir + "/disk", "3m");
    if (!disk.mounted()) GTEST_SKIP() << "mounting a small tmpfs needs root";
    {
        test_server server([&](config& c) { c.database.path = dir + "/disk/r.db"; });
        const auto token = server.token_for(role::admin, "admin@x.fr");
        const auto event = published_event(server.port(), token, 1000);
        std::vector<std::string> acknowledged;
        for (int i = 0; i < 20; ++i) {
            const auto r =
                register_one(server.port(), event, "before" + std::to_string(i) + "@x.fr");
            ASSERT_EQ(r.status, 201) << r.body;
            acknowledged.emplace_back(r.json().at("id").as_string());
        }

        disk.fill("filler");
        // The WAL may still have room for a few; then every write is refused, clearly.
        reply refused;
        for (int i = 0; i < 500 && refused.status != 503; ++i) {
            const auto r = register_one(server.port(), event, "full" + std::to_string(i) + "@x.fr");
            if (r.status == 201)
                acknowledged.emplace_back(r.json().at("id").as_string());
            else
                refused = r;
        }
        ASSERT_EQ(refused.status, 503) << refused.body;
        EXPECT_EQ(refused.header("Content-Type"), "application/problem+json");
        EXPECT_EQ(refused.header("Retry-After"), "1");
        EXPECT_EQ(refused.json().at("status"), 503);
        EXPECT_EQ(
            server.call("POST", "/v1/speakers", object{{"full_name", "Sur un disque plein"}}, token)
                .status,
            503);
        // Reads keep working.
        EXPECT_EQ(server.call("GET", "/v1/events/" + event).status, 200);
        EXPECT_EQ(server.call("GET", "/v1/events/" + event + "/agenda").status, 200);
        EXPECT_EQ(server.call("GET", "/healthz").status, 200);

        // Space comes back: writes resume, and nothing acknowledged was lost on the way.
        std::filesystem::remove(dir + "/disk/filler");
        const auto again = register_one(server.port(), event, "after@x.fr");
        ASSERT_EQ(again.status, 201) << again.body;
        acknowledged.emplace_back(again.json().at("id").as_string());
        for (const auto& id : acknowledged)
            EXPECT_EQ(server.call("GET", "/v1/registrations/" + id, std::nullopt, token).status,
                      200)
                << "registration " << id;
        const auto stats =
            server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, token).json();
        EXPECT_EQ(stats.at("confirmed").as_int64(), static_cast<long long>(acknowledged.size()));
    }
    disk.unmount();
    std::filesystem::remove_all(dir);
}

TEST(fault, a_read_only_database_is_reported_by_readyz_and_writes_are_503) {
    if (on_postgres()) GTEST_SKIP() << "SQLite's own: a read-only mount under its file";
    const auto dir = make_temp_dir("readonly");
    small_disk disk(dir + "/disk", "8m");
    if (!disk.mounted()) GTEST_SKIP() << "mounting a small tmpfs needs root";
    const auto db = dir + "/disk/r.db";
    // The key and the outbox log live elsewhere: only the database becomes read-only.
    const std::map<std::string, std::string> env{
        {"RENCONTRES_SECURITY_KEY_FILE", dir + "/rencontres.key"},
        {"RENCONTRES_OUTBOX_SINK_PATH", dir + "/outbox.log"}};
    create_admin(db);
    std::string token, event;
    {
        child_server server({"--db", db}, env);
        token = login(server.port());
        event = published_event(server.port(), token, 10);
        ASSERT_EQ(register_one(server.port(), event, "first@x.fr").status, 201);
        server.signal(SIGKILL); // leaves the WAL behind, as a crash would
        EXPECT_EQ(server.wait(std::chrono::seconds(10)), -SIGKILL);
    }
    ASSERT_TRUE(disk.read_only(true)) << "remounting read-only failed";
    {
        child_server server({"--db", db}, env);
        const auto port = server.port();
        const auto ready = send_request(port, "GET", "/readyz");
        EXPECT_EQ(ready.status, 503);
        EXPECT_EQ(ready.json().at("detail"),
                  "The database is read-only: reads are served, writes are refused.");
        EXPECT_EQ(send_request(port, "GET", "/healthz").status, 200);
        const auto events = send_request(port, "GET", "/v1/events");
        ASSERT_EQ(events.status, 200);
        EXPECT_EQ(events.json().at("items").as_array().size(), 1u);
        EXPECT_EQ(send_request(port, "GET", "/v1/events/" + event + "/stats", "", bearer(token))
                      .json()
                      .at("confirmed"),
                  1);
        const auto refused = register_one(port, event, "second@x.fr");
        EXPECT_EQ(refused.status, 503) << refused.body;
        EXPECT_EQ(refused.header("Content-Type"), "application/problem+json");
        EXPECT_EQ(send_request(port, "POST", "/v1/speakers", R"({"full_name":"Lecture seule"})",
                               bearer(token))
                      .status,
                  503);
        // The public site: the event page is read, its form is refused with the French page.
        const auto page = send_request(port, "GET", "/evenements/" + event);
        ASSERT_EQ(page.status, 200);
        std::smatch m;
        ASSERT_TRUE(std::regex_search(
            page.body, m,
            std::regex(
                R"re(action="([^"#]+)[^"]*"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)")re")))
            << page.body;
        const auto form =
            send_request(port, "POST", m[1],
                         "csrf=" + std::string(m[2]) + "&full_name=A&email=a%40x.fr&consent=oui",
                         {{"Content-Type", "application/x-www-form-urlencoded"}});
        EXPECT_EQ(form.status, 503);
        EXPECT_EQ(form.header("Content-Type"), "text/html; charset=utf-8");
        EXPECT_NE(form.body.find("<h1>Service momentanément indisponible</h1>"), std::string::npos)
            << form.body;
        server.signal(SIGTERM);
        EXPECT_EQ(server.wait(std::chrono::seconds(10)), 0);
    }
    ASSERT_TRUE(disk.read_only(false));
    {
        child_server server({"--db", db}, env);
        EXPECT_EQ(send_request(server.port(), "GET", "/readyz").status, 200);
        EXPECT_EQ(register_one(server.port(), event, "second@x.fr").status, 201);
    }
    disk.unmount();
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace rencontres::testing
