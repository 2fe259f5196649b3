#include "server/storage/sqlite/store.hpp"

#include "server/storage/sqlite/repositories.hpp"

#include <fcntl.h>
#include <filesystem>
#include <sqlite3.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace rencontres::sqlite {
namespace {

constexpr const char* count_migrations = "SELECT count(*) FROM schema_migrations";
// Kept by triggers in each writing transaction (V005): a scrape costs the same at any size.
constexpr const char* registrations_by_status =
    "SELECT status, n FROM registration_totals ORDER BY CASE status WHEN 'confirmed' THEN 0 "
    "WHEN 'waitlisted' THEN 1 ELSE 2 END";

// The repositories of one unit of work, all on its connection.
struct repository_set {
    explicit repository_set(connection& db)
        : accounts(db), territories(db), audit(db), events(db), speakers(db), sessions(db),
          registrations(db), outbox(db), labels(db), webhooks(db) {}
    sqlite_accounts_repository accounts;
    sqlite_territories_repository territories;
    sqlite_audit_repository audit;
    sqlite_events_repository events;
    sqlite_speakers_repository speakers;
    sqlite_sessions_repository sessions;
    sqlite_registrations_repository registrations;
    sqlite_outbox_repository outbox;
    sqlite_labels_repository labels;
    sqlite_webhooks_repository webhooks;
};

class unit_of_work_base : public unit_of_work {
public:
    explicit unit_of_work_base(connection& db) : repos_(db) {}
    accounts_repository& accounts() override { return repos_.accounts; }
    territories_repository& territories() override { return repos_.territories; }
    audit_repository& audit() override { return repos_.audit; }
    events_repository& events() override { return repos_.events; }
    speakers_repository& speakers() override { return repos_.speakers; }
    sessions_repository& sessions() override { return repos_.sessions; }
    registrations_repository& registrations() override { return repos_.registrations; }
    outbox_repository& outbox() override { return repos_.outbox; }
    labels_repository& labels() override { return repos_.labels; }
    webhooks_repository& webhooks() override { return repos_.webhooks; }

private:
    repository_set repos_;
};

// A consistent snapshot on a pooled read connection.
class read_unit_of_work final : public unit_of_work_base {
public:
    read_unit_of_work(sqlite_store& owner, std::unique_ptr<connection> db)
        : unit_of_work_base(*db), owner_(owner), db_(std::move(db)) {
        try {
            db_->execute("BEGIN");
        } catch (...) {
            owner_.release(std::move(db_));
            throw;
        }
    }
    ~read_unit_of_work() override {
        try {
            db_->execute("ROLLBACK");
        } catch (...) {
            // Nothing to undo: the snapshot is released either way.
        }
        owner_.release(std::move(db_));
    }
    // Read connections only ever see durable groups: nothing to wait for.
    durability_ticket commit() override { return {}; }
    durability_ticket ticket() const override { return {}; }

private:
    sqlite_store& owner_;
    std::unique_ptr<connection> db_;
};

// A savepoint in the writer's group transaction. Its ticket is the group it wrote into, or the
// open group it could read (others had released writes into it when it started).
class write_unit_of_work final : public unit_of_work_base {
public:
    write_unit_of_work(group_committer& writer, bool deferred)
        : unit_of_work_base(writer.acquire()), writer_(writer),
          deferred_(deferred), ticket_{writer.observed_group()} {}
    ~write_unit_of_work() override {
        if (done_) return;
        writer_.rollback();
        if (!ticket_.pending() || deferred_) return; // a deferred caller awaits ticket()
        // Nobody awaits a ticket for a waiting unit of work: wait here, so that no answer rests
        // on writes that could still be lost.
        try {
            writer_.wait_durable(ticket_.group);
        } catch (const store_unavailable&) {
            // The caller's answer does not depend on it: it wrote nothing.
        }
    }
    durability_ticket commit() override {
        done_ = true;
        if (!deferred_) {
            writer_.commit();
            return {};
        }
        ticket_ = {writer_.commit_deferred()};
        return ticket_;
    }
    durability_ticket ticket() const override { return ticket_; }

private:
    group_committer& writer_;
    bool deferred_;
    durability_ticket ticket_;
    bool done_ = false;
};

} // namespace

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

group_committer::group_committer(const connection_settings& settings, std::size_t max_batch,
                                 int checkpoint_pages)
    : db_(std::make_unique<connection>(settings)), checkpointer_(settings, checkpoint_pages),
      max_batch_(max_batch), committer_([this] { run(); }) {
    checkpointer_.watch(*db_);
}

group_committer::~group_committer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    committer_wake_.notify_one();
    committer_.join();
}

connection& group_committer::acquire() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    connection_free_.wait(lock, [&] { return !busy_ && !committing_; });
    --waiting_;
    busy_ = true;
    const bool open = in_transaction_;
    in_transaction_ = true;
    // Released writes of the open group are visible to this one, durable or not yet.
    saw_open_group_ = released_ > 0;
    lock.unlock();
    try {
        // Prepared once and kept: these run for every write, so they are not parsed each time.
        if (!open) db_->prepare("BEGIN IMMEDIATE").step();
        db_->prepare("SAVEPOINT unit_of_work").step();
    } catch (...) {
        lock.lock();
        if (!open) in_transaction_ = false;
        busy_ = false;
        if (open && sqlite3_get_autocommit(db_->handle())) finish_group(false);
        hand_over();
        throw;
    }
    return *db_;
}

std::uint64_t group_committer::observed_group() const {
    std::lock_guard lock(mutex_);
    return saw_open_group_ ? group_ : 0;
}

void group_committer::commit() {
    wait_durable(commit_deferred());
}

std::uint64_t group_committer::commit_deferred() {
    try {
        db_->prepare("RELEASE unit_of_work").step();
    } catch (...) {
        rollback();
        throw;
    }
    std::lock_guard lock(mutex_);
    busy_ = false;
    ++released_;
    hand_over();
    return group_;
}

void group_committer::wait_durable(std::uint64_t group) {
    std::unique_lock lock(mutex_);
    committer_wake_.notify_one();
    group_settled_.wait(lock, [&] { return finished_group_ >= group; });
    if (failed_groups_.count(group))
        throw store_unavailable("the write could not be committed to disk");
}

void group_committer::when_durable(std::uint64_t group, std::function<void(bool)> settled) {
    std::unique_lock lock(mutex_);
    if (finished_group_ >= group) {
        const bool ok = failed_groups_.count(group) == 0;
        lock.unlock();
        settled(ok);
        return;
    }
    // Nothing the committer waits for changes here: no wake-up (this runs for every write).
    settled_callbacks_[group].push_back(std::move(settled));
}

void group_committer::rollback() noexcept {
    try {
        db_->execute("ROLLBACK TO unit_of_work");
        db_->execute("RELEASE unit_of_work");
    } catch (...) {
        // The statement that failed may have ended the whole transaction; see below.
    }
    std::lock_guard lock(mutex_);
    if (sqlite3_get_autocommit(db_->handle())) {
        // The transaction is gone (SQLite rolled it back on an I/O or disk-full error): the
        // writes released into it are lost and must not be acknowledged.
        if (in_transaction_) finish_group(released_ == 0);
    } else if (released_ == 0) {
        // Nothing else in the transaction: end it rather than hold the write lock while idle.
        try {
            db_->execute("ROLLBACK");
        } catch (...) {
        }
        in_transaction_ = false;
    }
    busy_ = false;
    hand_over();
}

void group_committer::hand_over() {
    // The next waiting write takes the connection; when none waits and none is announced, the
    // committer commits.
    if (waiting_ > 0 && released_ < max_batch_)
        connection_free_.notify_one();
    else if (announced_ == 0 || released_ >= max_batch_)
        committer_wake_.notify_one();
}

void group_committer::announce() {
    std::lock_guard lock(mutex_);
    ++announced_;
}

void group_committer::retract() {
    std::lock_guard lock(mutex_);
    if (--announced_ == 0 && !busy_ && released_ > 0) committer_wake_.notify_one();
}

void group_committer::finish_group(bool ok) {
    const auto group = group_;
    close_group();
    settle(group, ok);
}

void group_committer::close_group() {
    ++group_;
    released_ = 0;
    in_transaction_ = false;
}

void group_committer::settle(std::uint64_t group, bool ok) {
    if (!ok) {
        failed_groups_.insert(group);
        ++stats_.failed;
    }
    if (failed_groups_.size() > 1000) failed_groups_.erase(failed_groups_.begin());
    // A group is settled only once every earlier one is: the watermark moves in order.
    settled_ahead_.insert(group);
    while (settled_ahead_.count(finished_group_ + 1) != 0) {
        settled_ahead_.erase(++finished_group_);
        const auto waiting = settled_callbacks_.find(finished_group_);
        if (waiting == settled_callbacks_.end()) continue;
        const bool durable = failed_groups_.count(finished_group_) == 0;
        for (auto& settled : waiting->second)
            settled(durable);
        settled_callbacks_.erase(waiting);
    }
    group_settled_.notify_all();
}

void group_committer::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        committer_wake_.wait(lock, [&] {
            return (stopping_ && !busy_) ||
                   (released_ > 0 && !busy_ &&
                    ((waiting_ == 0 && announced_ == 0) || released_ >= max_batch_));
        });
        if (released_ == 0) {
            if (stopping_) return;
            continue;
        }
        committing_ = true;
        const auto batch = released_;
        lock.unlock();
        bool ok = true;
        try {
            db_->prepare("COMMIT").step();
        } catch (const std::exception&) {
            ok = false;
            try {
                db_->execute("ROLLBACK");
            } catch (...) {
            }
        }
        lock.lock();
        committing_ = false;
        if (ok) {
            ++stats_.commits;
            stats_.writes += batch;
            for (std::size_t i = 0; i < commit_stats::bounds.size(); ++i)
                if (batch <= commit_stats::bounds[i]) ++stats_.buckets[i];
        }
        const auto group = group_;
        close_group();
        if (waiting_ > 0) connection_free_.notify_one(); // the next group starts
        settle(group, ok);
    }
}

commit_stats group_committer::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

sqlite_store::sqlite_store(store_settings settings) : settings_(std::move(settings)) {
    auto first = std::make_unique<connection>(settings_.connection);
    migrate(*first);
    ++open_;
    idle_.push_back(std::move(first));
    auto writer = settings_.connection;
    writer.cache_kib = settings_.writer_cache_kib;
    writer_ =
        std::make_unique<group_committer>(writer, settings_.max_batch, settings_.checkpoint_pages);
}

sqlite_store::~sqlite_store() = default;

std::unique_ptr<connection> sqlite_store::acquire() {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (!idle_.empty()) {
            auto db = std::move(idle_.back());
            idle_.pop_back();
            return db;
        }
        if (open_ < settings_.max_connections) {
            ++open_;
            lock.unlock();
            try {
                return std::make_unique<connection>(settings_.connection);
            } catch (...) {
                lock.lock();
                --open_;
                throw;
            }
        }
        available_.wait(lock);
    }
}

void sqlite_store::release(std::unique_ptr<connection> db) {
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(db));
    }
    available_.notify_one();
}

std::unique_ptr<unit_of_work> sqlite_store::begin(access mode) {
    if (mode == access::read) return std::make_unique<read_unit_of_work>(*this, acquire());
    return std::make_unique<write_unit_of_work>(*writer_, mode == access::write_deferred);
}

void sqlite_store::when_durable(durability_ticket ticket, std::function<void(bool)> settled) {
    if (!ticket.pending()) return settled(true);
    writer_->when_durable(ticket.group, std::move(settled));
}

void sqlite_store::wait_durable(durability_ticket ticket) {
    if (ticket.pending()) writer_->wait_durable(ticket.group);
}

std::vector<std::pair<std::string, std::int64_t>> sqlite_store::registration_counts() {
    auto db = acquire();
    std::vector<std::pair<std::string, std::int64_t>> out;
    try {
        auto query = db->prepare(registrations_by_status);
        while (query.step())
            out.emplace_back(query.text(0), query.integer(1));
    } catch (...) {
        release(std::move(db));
        throw;
    }
    release(std::move(db));
    return out;
}

bool sqlite_store::ready() {
    std::unique_ptr<connection> db;
    try {
        db = acquire();
    } catch (const std::exception&) {
        return false;
    }
    bool ok = false;
    try {
        auto probe = db->prepare(count_migrations);
        ok = probe.step() && probe.integer(0) > 0;
    } catch (const std::exception&) {
        ok = false;
    }
    release(std::move(db));
    return ok;
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
