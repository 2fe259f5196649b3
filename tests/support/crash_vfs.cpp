#include "support/crash_vfs.hpp"

#include <cstring>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <set>
#include <sqlite3.h>
#include <stdexcept>
#include <unistd.h>
#include <vector>

namespace rencontres::testing {
namespace {

// What a write replaced: restoring `bytes` at `offset` and the size `size` undoes it.
struct undo {
    sqlite3_int64 offset = 0;
    std::string bytes;
    sqlite3_int64 size = 0;
};

struct disk_state {
    std::mutex mutex;
    std::map<std::string, std::vector<undo>> unsynced; // by path, oldest first
    std::set<std::string> databases;                   // main database files opened
    int failing_log_syncs = 0;
    int syncs_until_cut = 0; // 0: no cut planned
    bool dead = false;
};

disk_state& disk() {
    static disk_state state;
    return state;
}

sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs crash;

struct crash_file {
    sqlite3_file base;
    sqlite3_file* real;
    std::string* path;
};

sqlite3_file* real_of(sqlite3_file* f) {
    return reinterpret_cast<crash_file*>(f)->real;
}

bool ends_with(const std::string& s, const char* suffix) {
    const auto n = std::strlen(suffix);
    return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

sqlite3_int64 size_of(sqlite3_file* real) {
    sqlite3_int64 size = 0;
    real->pMethods->xFileSize(real, &size);
    return size;
}

std::string bytes_at(sqlite3_file* real, sqlite3_int64 offset, sqlite3_int64 end) {
    if (end <= offset) return {};
    std::string out(static_cast<std::size_t>(end - offset), '\0');
    real->pMethods->xRead(real, out.data(), static_cast<int>(out.size()), offset);
    return out;
}

int x_close(sqlite3_file* f) {
    auto* self = reinterpret_cast<crash_file*>(f);
    const int rc = self->real->pMethods->xClose(self->real);
    delete self->path;
    self->path = nullptr;
    return rc;
}

int x_read(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
    return real_of(f)->pMethods->xRead(real_of(f), buffer, amount, offset);
}

int x_write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
    auto* self = reinterpret_cast<crash_file*>(f);
    auto& d = disk();
    std::lock_guard lock(d.mutex);
    if (d.dead) return SQLITE_IOERR_WRITE;
    const auto size = size_of(self->real);
    d.unsynced[*self->path].push_back(
        {offset, bytes_at(self->real, offset, std::min<sqlite3_int64>(size, offset + amount)),
         size});
    return self->real->pMethods->xWrite(self->real, buffer, amount, offset);
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    auto* self = reinterpret_cast<crash_file*>(f);
    auto& d = disk();
    std::lock_guard lock(d.mutex);
    if (d.dead) return SQLITE_IOERR_TRUNCATE;
    const auto old_size = size_of(self->real);
    d.unsynced[*self->path].push_back({size, bytes_at(self->real, size, old_size), old_size});
    return self->real->pMethods->xTruncate(self->real, size);
}

int x_sync(sqlite3_file* f, int flags) {
    auto* self = reinterpret_cast<crash_file*>(f);
    auto& d = disk();
    std::lock_guard lock(d.mutex);
    if (d.dead) return SQLITE_IOERR_FSYNC;
    if (d.syncs_until_cut > 0 && --d.syncs_until_cut == 0) {
        d.dead = true;
        return SQLITE_IOERR_FSYNC;
    }
    if (ends_with(*self->path, "-wal") && d.failing_log_syncs > 0) {
        --d.failing_log_syncs;
        return SQLITE_IOERR_FSYNC;
    }
    const int rc = self->real->pMethods->xSync(self->real, flags);
    if (rc == SQLITE_OK) d.unsynced.erase(*self->path);
    return rc;
}

int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
    return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int x_lock(sqlite3_file* f, int level) {
    return real_of(f)->pMethods->xLock(real_of(f), level);
}
int x_unlock(sqlite3_file* f, int level) {
    return real_of(f)->pMethods->xUnlock(real_of(f), level);
}
int x_check_reserved_lock(sqlite3_file* f, int* out) {
    return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
    return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int x_sector_size(sqlite3_file* f) {
    return real_of(f)->pMethods->xSectorSize(real_of(f));
}
int x_device_characteristics(sqlite3_file* f) {
    return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) {
    real_of(f)->pMethods->xShmBarrier(real_of(f));
}
int x_shm_unmap(sqlite3_file* f, int delete_flag) {
    return real_of(f)->pMethods->xShmUnmap(real_of(f), delete_flag);
}

// Version 2: shared memory for WAL, no memory-mapped reads (every read goes through x_read).
const sqlite3_io_methods crash_methods = {2,
                                          x_close,
                                          x_read,
                                          x_write,
                                          x_truncate,
                                          x_sync,
                                          x_file_size,
                                          x_lock,
                                          x_unlock,
                                          x_check_reserved_lock,
                                          x_file_control,
                                          x_sector_size,
                                          x_device_characteristics,
                                          x_shm_map,
                                          x_shm_lock,
                                          x_shm_barrier,
                                          x_shm_unmap,
                                          nullptr,
                                          nullptr};

int x_open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    auto* self = reinterpret_cast<crash_file*>(f);
    self->base.pMethods = nullptr;
    self->real = reinterpret_cast<sqlite3_file*>(self + 1);
    const int rc = real_vfs->xOpen(real_vfs, name, self->real, flags, out_flags);
    if (rc != SQLITE_OK) return rc;
    self->path = new std::string(name ? name : "");
    if (flags & SQLITE_OPEN_MAIN_DB) {
        std::lock_guard lock(disk().mutex);
        disk().databases.insert(*self->path);
    }
    self->base.pMethods = &crash_methods;
    return SQLITE_OK;
}

int x_delete(sqlite3_vfs*, const char* name, int sync_dir) {
    auto& d = disk();
    std::lock_guard lock(d.mutex);
    if (d.dead) return SQLITE_IOERR_DELETE;
    d.unsynced.erase(name);
    return real_vfs->xDelete(real_vfs, name, sync_dir);
}
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
    return real_vfs->xAccess(real_vfs, name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) {
    return real_vfs->xDlOpen(real_vfs, name);
}
void x_dl_error(sqlite3_vfs*, int n, char* out) {
    real_vfs->xDlError(real_vfs, n, out);
}
void (*x_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
    return real_vfs->xDlSym(real_vfs, handle, symbol);
}
void x_dl_close(sqlite3_vfs*, void* handle) {
    real_vfs->xDlClose(real_vfs, handle);
}
int x_randomness(sqlite3_vfs*, int n, char* out) {
    return real_vfs->xRandomness(real_vfs, n, out);
}
int x_sleep(sqlite3_vfs*, int microseconds) {
    return real_vfs->xSleep(real_vfs, microseconds);
}
int x_current_time(sqlite3_vfs*, double* out) {
    return real_vfs->xCurrentTime(real_vfs, out);
}
int x_get_last_error(sqlite3_vfs*, int n, char* out) {
    return real_vfs->xGetLastError(real_vfs, n, out);
}
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

} // namespace

void crash_vfs::install() {
    static std::once_flag once;
    std::call_once(once, [] {
        real_vfs = sqlite3_vfs_find(nullptr);
        if (!real_vfs) throw std::runtime_error("no default SQLite VFS");
        crash = sqlite3_vfs{};
        crash.iVersion = 2;
        crash.szOsFile = static_cast<int>(sizeof(crash_file)) + real_vfs->szOsFile;
        crash.mxPathname = real_vfs->mxPathname;
        crash.zName = name;
        crash.xOpen = x_open;
        crash.xDelete = x_delete;
        crash.xAccess = x_access;
        crash.xFullPathname = x_full_pathname;
        crash.xDlOpen = x_dl_open;
        crash.xDlError = x_dl_error;
        crash.xDlSym = x_dl_sym;
        crash.xDlClose = x_dl_close;
        crash.xRandomness = x_randomness;
        crash.xSleep = x_sleep;
        crash.xCurrentTime = x_current_time;
        crash.xGetLastError = x_get_last_error;
        crash.xCurrentTimeInt64 = x_current_time_int64;
        if (sqlite3_vfs_register(&crash, 0) != SQLITE_OK)
            throw std::runtime_error("cannot register the crash VFS");
    });
}

void crash_vfs::fail_log_syncs(int count) {
    std::lock_guard lock(disk().mutex);
    disk().failing_log_syncs = count;
}

void crash_vfs::cut_power() {
    std::lock_guard lock(disk().mutex);
    disk().dead = true;
}

void crash_vfs::cut_power_at_sync(int n) {
    std::lock_guard lock(disk().mutex);
    disk().syncs_until_cut = n;
}

bool crash_vfs::power_is_cut() {
    std::lock_guard lock(disk().mutex);
    return disk().dead;
}

int crash_vfs::restore_after_cut(std::mt19937& random) {
    auto& d = disk();
    std::lock_guard lock(d.mutex);
    int reverted = 0;
    for (auto& [path, writes] : d.unsynced) {
        if (writes.empty()) continue;
        // The disk wrote in order up to some point: a random suffix never reached it.
        const auto lost = std::uniform_int_distribution<std::size_t>(1, writes.size())(random);
        const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
        if (fd < 0) continue;
        for (std::size_t i = 0; i < lost; ++i) {
            const auto& u = writes[writes.size() - 1 - i];
            if (::ftruncate(fd, u.size) != 0) throw std::runtime_error("restore: truncate");
            if (!u.bytes.empty() && ::pwrite(fd, u.bytes.data(), u.bytes.size(), u.offset) !=
                                        static_cast<ssize_t>(u.bytes.size()))
                throw std::runtime_error("restore: write");
            ++reverted;
        }
        ::close(fd);
    }
    // The WAL index is shared memory: a power cut leaves nothing of it worth reading.
    for (const auto& db : d.databases)
        ::unlink((db + "-shm").c_str());
    d.unsynced.clear();
    d.dead = false;
    d.failing_log_syncs = 0;
    d.syncs_until_cut = 0;
    return reverted;
}

void crash_vfs::reset() {
    std::lock_guard lock(disk().mutex);
    disk().unsynced.clear();
    disk().databases.clear();
    disk().failing_log_syncs = 0;
    disk().syncs_until_cut = 0;
    disk().dead = false;
}

} // namespace rencontres::testing
