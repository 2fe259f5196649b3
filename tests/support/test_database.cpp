#include "support/test_database.hpp"

#include "server/storage/postgres/connection.hpp"

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

namespace rencontres::testing {
namespace {

// The throwaway server's socket folder: the build's (tests/CMakeLists.txt), or
// RENCONTRES_TEST_POSTGRES.
std::string socket_folder() {
    const char* folder = std::getenv("RENCONTRES_TEST_POSTGRES");
    return folder && *folder ? folder : RENCONTRES_TEST_POSTGRES_DIR;
}

postgres::connection server() {
    return postgres::connection({"host=" + socket_folder() + " user=postgres dbname=postgres"});
}

} // namespace

bool on_postgres() {
    const char* adapter = std::getenv("RENCONTRES_TEST_ADAPTER");
    return adapter && std::string(adapter) == "postgres";
}

scratch_database::scratch_database(std::string sqlite_path) {
    if (!on_postgres()) {
        location_ = std::move(sqlite_path);
        return;
    }
    create_on_server();
}

scratch_database::scratch_database(on_postgres_server_t) {
    create_on_server();
}

void scratch_database::create_on_server() {
    static std::atomic<int> made{0};
    name_ = "t" + std::to_string(::getpid()) + "_" + std::to_string(++made);
    auto admin = server();
    admin.execute(("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)").c_str());
    admin.execute(("CREATE DATABASE " + name_).c_str());
    location_ = "postgresql://postgres@/" + name_ + "?host=" + socket_folder();
}

scratch_database::~scratch_database() {
    if (name_.empty()) return;
    try {
        server().execute(("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)").c_str());
    } catch (const std::exception&) {
        // The server is gone (the suite is ending): its folder goes with it.
    }
}

} // namespace rencontres::testing
