// A SQLite VFS for tests only, wrapping the default one as SQLite's own crash tests do
// (test6.c): every write since a file's last sync is remembered with the bytes it replaced, so
// that a simulated power cut can take back what the disk had not been told to keep — all of it,
// or any later part of it, since a disk writes in order up to the moment the power goes. It can
// also make syncs fail, as a dying disk does.
#pragma once

#include <random>
#include <string>

namespace rencontres::testing {

class crash_vfs {
public:
    static constexpr const char* name = "crash";
    // Registers the VFS (once); connections use it with connection_settings::vfs = name.
    static void install();
    // The next `count` syncs of a write-ahead log fail with SQLITE_IOERR_FSYNC.
    static void fail_log_syncs(int count);
    // The power goes: from now on every write, truncation, sync and deletion fails and changes
    // nothing on disk.
    static void cut_power();
    // The power goes at the `n`-th sync from now (of any file), instead of that sync: the writes
    // it should have made durable are among those a restore may take back.
    static void cut_power_at_sync(int n);
    static bool power_is_cut();
    // After the process that used the files is gone: reverts the writes that were never synced
    // (a random number of the latest ones, at least one when there are any, or all of them),
    // forgets the shared-memory index (it lived in memory), and powers the disk back on.
    // Returns how many writes were taken back.
    static int restore_after_cut(std::mt19937& random);
    // Forgets every remembered write and failure.
    static void reset();
};

} // namespace rencontres::testing
