// `rencontres backup` while the server takes a burst of registrations (API.md §1, §10).
#include "support/process.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

#include <atomic>
#include <filesystem>
#include <gtest/gtest.h>
#include <mutex>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <thread>

namespace rencontres::testing {
namespace {

std::string single_text(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    std::string out;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
            out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return out;
}

TEST(binary, backup_during_a_burst_holds_everything_acknowledged_before_it_and_serves) {
    if (on_postgres())
        GTEST_SKIP() << "SQLite's own: a backup of its file (PostgreSQL has its own tools)";
    const auto dir = make_temp_dir("backup");
    const auto db = dir + "/r.db";
    auto made = run_binary({"admin", "create", "--db", db, "--email", "root@x.fr"},
                           "a long enough password\n");
    ASSERT_EQ(made.exit_code, 0) << made.output;
    child_server server({"--db", db});
    const auto token = send_request(server.port(), "POST", "/v1/auth/token",
                                    R"({"email":"root@x.fr","password":"a long enough password"})",
                                    {{"Content-Type", "application/json"}})
                           .json()
                           .at("token");
    const auto event = published_event(server.port(), std::string(token.as_string()), 100'000);

    std::mutex guard;
    std::vector<std::pair<std::string, std::chrono::steady_clock::time_point>> acknowledged;
    std::atomic<bool> stop{false};
    std::vector<std::thread> burst;
    for (int c = 0; c < 4; ++c)
        burst.emplace_back([&, c] {
            for (int i = 0; !stop.load(); ++i) {
                const auto r =
                    register_one(server.port(), event,
                                 "b" + std::to_string(c) + "-" + std::to_string(i) + "@x.fr");
                if (r.status != 201) continue;
                const auto at = std::chrono::steady_clock::now();
                std::lock_guard lock(guard);
                acknowledged.emplace_back(std::string(r.json().at("id").as_string()), at);
            }
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    const auto began = std::chrono::steady_clock::now();
    const auto copy = dir + "/copy.db";
    const auto backup = run_binary({"backup", "--db", db, "--to", copy});
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
    for (auto& t : burst)
        t.join();
    ASSERT_EQ(backup.exit_code, 0) << backup.output;
    EXPECT_NE(backup.output.find("written to " + copy), std::string::npos) << backup.output;
    EXPECT_NE(backup.output.find("integrity ok"), std::string::npos);

    struct stat st {};
    ASSERT_EQ(::stat(copy.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(single_text(copy, "PRAGMA integrity_check"), "ok");
    std::size_t before = 0, after = 0;
    for (const auto& [id, at] : acknowledged) {
        if (at >= began) {
            ++after;
            continue;
        }
        ++before;
        EXPECT_EQ(single_text(copy, "SELECT status FROM registrations WHERE id = " + id),
                  "confirmed")
            << "registration " << id << " was acknowledged before the backup began";
    }
    EXPECT_GT(before, 20u) << "the burst did not get going before the backup";
    EXPECT_GT(after, 0u) << "the backup did not run during the burst";
    // The kept counts came along, consistent with the rows.
    EXPECT_EQ(single_text(copy, "SELECT confirmed = (SELECT count(*) FROM registrations WHERE "
                                "event_id = " +
                                    event + ") FROM event_counts WHERE event_id = " + event),
              "1");

    // The copy serves on its own.
    server.signal(SIGTERM);
    EXPECT_EQ(server.wait(std::chrono::seconds(10)), 0);
    child_server restored({"--db", copy});
    EXPECT_EQ(send_request(restored.port(), "GET", "/readyz").status, 200);
    const auto listed = send_request(restored.port(), "GET", "/v1/events/" + event);
    EXPECT_EQ(listed.status, 200);
    EXPECT_EQ(send_request(restored.port(), "POST", "/v1/auth/token",
                           R"({"email":"root@x.fr","password":"a long enough password"})",
                           {{"Content-Type", "application/json"}})
                  .status,
              200);

    // A second backup to the same file is refused, and changes nothing.
    const auto again = run_binary({"backup", "--db", db, "--to", copy});
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(again.output.find("already exists"), std::string::npos) << again.output;
    EXPECT_EQ(single_text(copy, "PRAGMA integrity_check"), "ok");
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace rencontres::testing
