// The database a test runs on. ctest runs the storage and HTTP suites once per adapter: on
// SQLite, and again with RENCONTRES_TEST_ADAPTER=postgres on the throwaway PostgreSQL server
// (tests/support/test-postgres.sh, its socket folder named by the build).
#pragma once

#include <string>

namespace rencontres::testing {

// The suite runs on PostgreSQL.
bool on_postgres();

// A fresh, empty database for one test: on PostgreSQL a database of its own on the test server,
// dropped with this object; on SQLite the file `sqlite_path` (its folder is the test's).
class scratch_database {
public:
    explicit scratch_database(std::string sqlite_path);
    // A database on the test PostgreSQL server, whichever adapter the suite runs on.
    struct on_postgres_server_t {};
    static constexpr on_postgres_server_t on_postgres_server{};
    explicit scratch_database(on_postgres_server_t);
    ~scratch_database();
    scratch_database(const scratch_database&) = delete;
    scratch_database& operator=(const scratch_database&) = delete;

    // What --db and database.path take: the file path, or a postgresql:// URL.
    const std::string& location() const { return location_; }

private:
    void create_on_server();
    std::string name_; // the PostgreSQL database; empty on SQLite
    std::string location_;
};

} // namespace rencontres::testing
