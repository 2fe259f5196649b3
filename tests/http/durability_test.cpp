// Nothing shown before it is durable (API.md §2, DESIGN.md): the real registration operation on
// the real SQLite store, over a VFS that makes syncs fail or cuts the power at random points.
#include "domain/events/repository.hpp"
#include "domain/notifications/repository.hpp"
#include "domain/registrations/repository.hpp"
#include "domain/registrations/service.hpp"
#include "server/security/sealer.hpp"
#include "server/security/sodium.hpp"
#include "server/storage/sqlite/store.hpp"
#include "support/crash_vfs.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

#include <atomic>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <sqlite3.h>
#include <thread>

namespace rencontres::testing {
namespace {

namespace fs = std::filesystem;

struct durability : ::testing::Test {
    std::string dir = make_temp_dir("durability");
    security::random_token_minter minter;
    std::unique_ptr<security::secretbox_sealer> sealer;
    const instant now = system_clock{}.now();

    void SetUp() override {
        if (on_postgres()) GTEST_SKIP() << "SQLite's own: faults injected in its file system layer";
        security::initialize();
        crash_vfs::install();
        crash_vfs::reset();
        sealer = std::make_unique<security::secretbox_sealer>(dir + "/key");
    }
    void TearDown() override {
        crash_vfs::reset();
        fs::remove_all(dir);
    }
    std::unique_ptr<sqlite::sqlite_store> open(const std::string& path, bool crashing) {
        sqlite::store_settings s;
        s.connection.path = path;
        s.connection.busy_timeout_ms = 2000;
        if (crashing) s.connection.vfs = crash_vfs::name;
        s.max_connections = 6;
        // Checkpoints often, on the checkpointer's thread, so that cuts fall during them too.
        s.checkpoint_pages = 8;
        return std::make_unique<sqlite::sqlite_store>(s);
    }
    id_t published_event(store& db, int capacity) {
        auto uow = db.begin(access::write);
        event e;
        e.slug = "forum";
        e.title = "Forum";
        e.status = event_status::published;
        e.starts_at = now + std::chrono::hours{24 * 30};
        e.ends_at = *e.starts_at + std::chrono::hours{8};
        e.venue.city = "Limoges";
        e.capacity = capacity;
        e.created_at = e.updated_at = now;
        const auto id = uow->events().insert(e)->id;
        uow->commit();
        return id;
    }
    static registration_command person(const std::string& email) {
        return {"Camille", email, std::nullopt, std::nullopt, {}, true};
    }
    static stored_reply render(const registration_receipt& r) {
        return {201, "{\"id\":\"" + id_text(r.registration.id) + "\"}"};
    }
};

TEST_F(durability, a_failed_log_sync_fails_the_write_and_the_replay_that_read_it) {
    auto db = open(dir + "/r.db", true);
    registration_service service(*db, minter, *sealer);
    const auto event = id_text(published_event(*db, 10));
    const idempotency key{"k-1", "hash-of-the-body"};

    // Two requests on the write lane, back to back in one group: the registration, then its
    // replay, which reads the stored reply of a group that is not yet durable.
    auto& writer = db->writer();
    writer.announce();
    writer.announce();
    crash_vfs::fail_log_syncs(1);
    const auto first =
        service.register_participant(actor::anonymous(), event, person("a@x.fr"), key, render, now);
    writer.retract();
    ASSERT_TRUE(first);
    ASSERT_TRUE(first->receipt);
    const auto replay =
        service.register_participant(actor::anonymous(), event, person("a@x.fr"), key, render, now);
    writer.retract();
    ASSERT_TRUE(replay);
    ASSERT_TRUE(replay->replay) << "the replay found the first reply in the open group";
    ASSERT_TRUE(first->durable_after.pending());
    EXPECT_EQ(replay->durable_after, first->durable_after)
        << "the replay waits for the group it read";
    EXPECT_THROW(db->wait_durable(first->durable_after), store_unavailable);
    EXPECT_THROW(db->wait_durable(replay->durable_after), store_unavailable);
    {
        auto uow = db->begin(access::read);
        EXPECT_EQ(uow->registrations().stats(std::stoll(event)).confirmed, 0);
        EXPECT_FALSE(
            uow->registrations().find_reply("POST /v1/events/" + event + "/registrations", "k-1"));
    }
    // The disk is back: the same request is served anew, and durably.
    const auto again =
        service.register_participant(actor::anonymous(), event, person("a@x.fr"), key, render, now);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->receipt);
    db->wait_durable(again->durable_after);
    auto uow = db->begin(access::read);
    EXPECT_EQ(uow->registrations().stats(std::stoll(event)).confirmed, 1);
}

TEST_F(durability, a_rollback_that_read_nothing_pending_waits_for_nothing) {
    auto db = open(dir + "/r.db", true);
    registration_service service(*db, minter, *sealer);
    const auto event = id_text(published_event(*db, 10));
    const auto once = service.register_participant(actor::anonymous(), event, person("a@x.fr"),
                                                   std::nullopt, render, now);
    ASSERT_TRUE(once);
    db->wait_durable(once->durable_after);
    // Refused (already registered) on a durable state: nothing to wait for.
    const auto twice = service.register_participant(actor::anonymous(), event, person("a@x.fr"),
                                                    std::nullopt, render, now);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, errc::conflict);
    EXPECT_FALSE(twice.error().durable_after.pending());
}

// Power cuts at random points while registrations, cancellations and the outbox run; after each,
// the database is reopened as the disk left it: it is sound, and everything a client or the
// outbox was shown is there.
TEST_F(durability, after_a_power_cut_everything_acknowledged_or_delivered_is_there) {
    std::mt19937 random(20261129);
    int reverted = 0;
    int acknowledged_total = 0;
    for (int round = 0; round < 16; ++round) {
        const auto path = dir + "/power-" + std::to_string(round) + ".db";
        std::map<id_t, registration_status> acknowledged; // last acknowledged status
        std::set<id_t> delivered;                         // messages the outbox handed over
        std::mutex seen;
        id_t event_id = 0;
        {
            auto db = open(path, true);
            registration_service service(*db, minter, *sealer);
            event_id = published_event(*db, 20);
            const auto event = id_text(event_id);
            std::atomic<bool> stop{false};
            std::vector<std::thread> clients;
            for (int c = 0; c < 3; ++c)
                clients.emplace_back([&, c] {
                    try {
                        for (int i = 0; !stop.load(); ++i) {
                            const auto email =
                                "p" + std::to_string(c) + "-" + std::to_string(i) + "@x.fr";
                            const auto made = service.register_participant(
                                actor::anonymous(), event, person(email), std::nullopt, render,
                                now);
                            if (!made || !made->receipt) continue;
                            // Acknowledged only once durable, as the server answers.
                            db->wait_durable(made->durable_after);
                            const auto& r = made->receipt->registration;
                            {
                                std::lock_guard lock(seen);
                                acknowledged[r.id] = r.status;
                            }
                            if (i % 3 != 0) continue;
                            const auto cancelled = service.cancel_registration(
                                actor::anonymous(), r.id, made->receipt->manage_token, now);
                            if (!cancelled) continue;
                            db->wait_durable(*cancelled);
                            std::lock_guard lock(seen);
                            acknowledged[r.id] = registration_status::cancelled;
                        }
                    } catch (const store_unavailable&) {
                        // The power is gone.
                    }
                });
            std::thread outbox([&] {
                try {
                    while (!stop.load()) {
                        auto uow = db->begin(access::read);
                        for (const auto& m : uow->outbox().due(now, 50)) {
                            std::lock_guard lock(seen);
                            delivered.insert(m.id);
                        }
                    }
                } catch (const store_unavailable&) {
                }
            });
            // Half the cuts come at a random moment, half in place of a random sync, in the
            // middle of a COMMIT or a checkpoint.
            if (round % 2 == 0) {
                std::this_thread::sleep_for(
                    std::chrono::milliseconds(std::uniform_int_distribution<int>(5, 60)(random)));
            } else {
                crash_vfs::cut_power_at_sync(std::uniform_int_distribution<int>(1, 80)(random));
                for (int i = 0; i < 2'000 && !crash_vfs::power_is_cut(); ++i)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            crash_vfs::cut_power();
            stop = true;
            for (auto& t : clients)
                t.join();
            outbox.join();
        } // the store closes on a dead disk: its last checkpoint goes nowhere
        reverted += crash_vfs::restore_after_cut(random);
        acknowledged_total += static_cast<int>(acknowledged.size());

        sqlite3* raw = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
        sqlite3_stmt* check = nullptr;
        sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &check, nullptr);
        ASSERT_EQ(sqlite3_step(check), SQLITE_ROW);
        EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(check, 0)), "ok")
            << "round " << round;
        sqlite3_finalize(check);
        sqlite3_close(raw);

        auto db = open(path, false);
        auto uow = db->begin(access::read);
        for (const auto& [id, status] : acknowledged) {
            const auto found = uow->registrations().find(id);
            ASSERT_TRUE(found) << "round " << round << ": registration " << id << " was lost";
            // A cancellation may be durable though its answer never left: only an acknowledged
            // one is required.
            if (status == registration_status::cancelled) {
                EXPECT_EQ(found->status, registration_status::cancelled) << id;
            }
        }
        std::set<id_t> present;
        for (const auto& m : uow->outbox().list(std::nullopt, {200000, std::nullopt}).items)
            present.insert(m.id);
        for (const auto id : delivered)
            EXPECT_TRUE(present.count(id)) << "round " << round << ": message " << id
                                           << " was handed to the outbox, then lost";
        const auto stats = uow->registrations().stats(event_id);
        EXPECT_LE(stats.confirmed, 20) << "round " << round;
        const auto totals = db->registration_counts();
        EXPECT_EQ(totals[0].second, stats.confirmed) << "round " << round;
        EXPECT_EQ(totals[1].second, stats.waitlisted) << "round " << round;
        EXPECT_EQ(totals[2].second, stats.cancelled) << "round " << round;
    }
    EXPECT_GT(acknowledged_total, 100);
    EXPECT_GT(reverted, 0) << "some cuts must take unsynced writes back";
}

} // namespace
} // namespace rencontres::testing
