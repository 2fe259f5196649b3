#include "server/storage/sqlite/store.hpp"

#include <fcntl.h>
#include <filesystem>
#include <sqlite3.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace rencontres::sqlite {
checkpointer::checkpointer(const connection_settings& settings, int pages)
    : db_(std::make_unique<connection>(settings)), pages_(pages), thread_([this] { run(); }) {}

checkpointer::~checkpointer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void checkpointer::watch(connection& writer) {
    sqlite3_wal_hook(writer.handle(), &checkpointer::on_commit, this);
}

// Called by SQLite on the writer's thread after each COMMIT, with the pages now in the log.
int checkpointer::on_commit(void* self, sqlite3* db, const char* schema, int pages) {
    auto& me = *static_cast<checkpointer*>(self);
    if (pages / 4 >= me.pages_) {
        // The fallback of the class comment, SQLite's own automatic checkpoint on the writer,
        // once the thread's checkpoint under way (if any) is over: the writes wait, as they
        // would for SQLite's, so that the log cannot outgrow the disk's pace.
        std::lock_guard running(me.running_);
        sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (pages >= me.pages_) {
        {
            std::lock_guard lock(me.mutex_);
            me.due_ = true;
        }
        me.wake_.notify_one();
    }
    return SQLITE_OK;
}

void checkpointer::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return due_ || stopping_; });
        if (stopping_) return;
        due_ = false;
        lock.unlock();
        {
            // A failure (an I/O error) leaves the log as it was: the next wake-up, or the
            // writer's fallback, tries again.
            std::lock_guard running(running_);
            if (sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                          nullptr, nullptr) == SQLITE_OK)
                ++done_;
        }
        lock.lock();
    }
}

namespace {

std::unique_ptr<connection> open_writer(const store_settings& settings) {
    auto writer = settings.connection;
    writer.cache_kib = settings.writer_cache_kib;
    return std::make_unique<connection>(writer);
}

} // namespace

sqlite_store::sqlite_store(store_settings settings)
    : sql_store(
          [connection = settings.connection] {
              return std::make_unique<sqlite::connection>(connection);
          },
          {open_writer(settings), settings.max_batch}, settings.max_connections),
      settings_(std::move(settings)),
      checkpointer_(settings_.connection, settings_.checkpoint_pages) {
    checkpointer_.watch(writer().connection());
    auto first = acquire();
    migrate(*first);
    release(std::move(first));
}

sqlite_store::~sqlite_store() {
    close_writer();
}

// A read-only mount, or a file or folder without write permission (SQLite then opens the
// database read-only): every write would fail, so the service says so before one is tried.
bool sqlite_store::writable() {
    const auto& path = settings_.connection.path;
    const auto folder = std::filesystem::absolute(path).parent_path();
    struct statvfs mount {};
    if (::statvfs(folder.c_str(), &mount) == 0 && (mount.f_flag & ST_RDONLY) != 0) return false;
    return ::access(path.c_str(), W_OK) == 0 && ::access(folder.c_str(), W_OK) == 0;
}

} // namespace rencontres::sqlite
