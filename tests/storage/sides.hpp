// The two sides a storage contract runs on: the in-memory fakes of the domain's unit tests
// (tests/unit/fakes.hpp) and the adapter of the suite's run (SQLite, or PostgreSQL for the
// postgres.* tests) on a fresh database.
#pragma once

#include "server/storage/postgres/store.hpp"
#include "server/storage/sqlite/store.hpp"
#include "support/test_database.hpp"
#include "unit/fakes.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <memory>
#include <unistd.h>

namespace rencontres::testing {

namespace fs = std::filesystem;

// The in-memory fakes.
struct fakes {
    // Random steps of a property test: the fakes read by scanning, so fewer.
    static constexpr int property_steps = 300;
    memory_store db;
    store& get() { return db; }
};

// The adapter of this run, on a fresh database.
struct adapter {
    static constexpr int property_steps = 2000;
    fs::path dir = fs::temp_directory_path() /
                   ("rencontres-contract-" + std::to_string(::getpid()) + "-" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::unique_ptr<scratch_database> database;
    std::unique_ptr<storage::server_store> db;

    adapter() {
        fs::remove_all(dir);
        fs::create_directories(dir);
        database = std::make_unique<scratch_database>((dir / "contract.db").string());
        if (on_postgres()) {
            postgres::store_settings s;
            s.connection.url = database->location();
            s.max_connections = 2;
            db = std::make_unique<postgres::postgres_store>(s);
        } else {
            sqlite::store_settings s;
            s.connection.path = (dir / "contract.db").string();
            s.max_connections = 2;
            db = std::make_unique<sqlite::sqlite_store>(s);
        }
    }
    ~adapter() {
        db.reset();
        database.reset();
        fs::remove_all(dir);
    }
    store& get() { return *db; }
};

} // namespace rencontres::testing
