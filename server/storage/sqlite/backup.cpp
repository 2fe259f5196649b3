// `rencontres backup`: a consistent copy of a database that may be serving meanwhile.
#include "server/storage/sqlite/store.hpp"

#include <fcntl.h>
#include <filesystem>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rencontres::sqlite {
namespace {

constexpr const char* vacuum_into = "VACUUM INTO ?";

void sync_path(const std::string& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw store_unavailable("cannot open " + path + " to sync it");
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw store_unavailable("cannot sync " + path);
}

std::string integrity_of(const std::string& path) {
    sqlite3* db = nullptr;
    std::string verdict = "cannot open the copy";
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* check = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &check, nullptr) == SQLITE_OK &&
            sqlite3_step(check) == SQLITE_ROW)
            verdict = reinterpret_cast<const char*>(sqlite3_column_text(check, 0));
        sqlite3_finalize(check);
    }
    sqlite3_close(db);
    return verdict;
}

} // namespace

// VACUUM INTO reads one snapshot of the database (in WAL mode it blocks no writer) and writes it
// compacted into a new file: the copy holds every transaction committed before it began, and
// none of the ones that commit while it runs. The copy is created 0600, synced with its folder,
// and checked before it is reported.
std::uintmax_t backup_database(const connection_settings& source, const std::string& target) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(target, ec) && fs::file_size(target, ec) > 0)
        throw std::runtime_error(target + " already exists; back up to a new file");
    if (!fs::exists(source.path, ec)) throw std::runtime_error(source.path + ": no such database");
    const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + target);
    ::close(fd);
    try {
        connection db(source);
        db.prepare(vacuum_into).bind(1, target).run();
    } catch (...) {
        fs::remove(target, ec);
        throw;
    }
    sync_path(target, O_RDONLY);
    const auto folder = fs::absolute(target).parent_path();
    sync_path(folder.string(), O_RDONLY | O_DIRECTORY);
    if (const auto verdict = integrity_of(target); verdict != "ok")
        throw store_unavailable("the copy fails its integrity check: " + verdict);
    return fs::file_size(target);
}

} // namespace rencontres::sqlite
