#include "server/storage/group_commit.hpp"

#include "domain/store.hpp"
#include "server/storage/postgres/connection.hpp"
#include "server/storage/sqlite/connection.hpp"

namespace rencontres::storage {

template <class Db>
group_committer<Db>::group_committer(std::unique_ptr<Db> writer, std::size_t max_batch)
    : db_(std::move(writer)), max_batch_(max_batch), committer_([this] { run(); }) {}

template <class Db> group_committer<Db>::~group_committer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    committer_wake_.notify_one();
    committer_.join();
}

template <class Db> Db& group_committer<Db>::acquire() {
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
        if (!open) {
            if (!db_->reconnect_if_broken())
                throw store_unavailable("the database cannot be reached");
            db_->begin_exclusive();
        }
        db_->prepare("SAVEPOINT unit_of_work").step();
    } catch (...) {
        lock.lock();
        if (!open) in_transaction_ = false;
        busy_ = false;
        if (open && !db_->in_transaction()) finish_group(false);
        hand_over();
        throw;
    }
    return *db_;
}

template <class Db> std::uint64_t group_committer<Db>::observed_group() const {
    std::lock_guard lock(mutex_);
    return saw_open_group_ ? group_ : 0;
}

template <class Db> void group_committer<Db>::commit() {
    wait_durable(commit_deferred());
}

template <class Db> std::uint64_t group_committer<Db>::commit_deferred() {
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

template <class Db> void group_committer<Db>::wait_durable(std::uint64_t group) {
    std::unique_lock lock(mutex_);
    committer_wake_.notify_one();
    group_settled_.wait(lock, [&] { return finished_group_ >= group; });
    if (failed_groups_.count(group))
        throw store_unavailable("the write could not be committed to disk");
}

template <class Db>
void group_committer<Db>::when_durable(std::uint64_t group, std::function<void(bool)> settled) {
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

template <class Db> void group_committer<Db>::rollback() noexcept {
    try {
        db_->execute("ROLLBACK TO unit_of_work");
        db_->execute("RELEASE unit_of_work");
    } catch (...) {
        // The statement that failed may have ended the whole transaction; see below.
    }
    std::lock_guard lock(mutex_);
    if (!db_->in_transaction()) {
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

template <class Db> void group_committer<Db>::hand_over() {
    // The next waiting write takes the connection; when none waits and none is announced, the
    // committer commits.
    if (waiting_ > 0 && released_ < max_batch_)
        connection_free_.notify_one();
    else if (announced_ == 0 || released_ >= max_batch_)
        committer_wake_.notify_one();
}

template <class Db> void group_committer<Db>::announce() {
    std::lock_guard lock(mutex_);
    ++announced_;
}

template <class Db> void group_committer<Db>::retract() {
    std::lock_guard lock(mutex_);
    if (--announced_ == 0 && !busy_ && released_ > 0) committer_wake_.notify_one();
}

template <class Db> void group_committer<Db>::finish_group(bool ok) {
    const auto group = group_;
    close_group();
    settle(group, ok);
}

template <class Db> void group_committer<Db>::close_group() {
    ++group_;
    released_ = 0;
    in_transaction_ = false;
}

template <class Db> void group_committer<Db>::settle(std::uint64_t group, bool ok) {
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

template <class Db> void group_committer<Db>::run() {
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

template <class Db> commit_stats group_committer<Db>::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

template class group_committer<sqlite::connection>;
template class group_committer<postgres::connection>;

} // namespace rencontres::storage
