#include "server/storage/sql_store.hpp"

#include "server/storage/postgres/connection.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/connection.hpp"

namespace rencontres::storage {
namespace {

constexpr const char* count_migrations = "SELECT count(*) FROM schema_migrations";
// Kept by triggers in each writing transaction: a scrape costs the same at any size.
constexpr const char* registrations_by_status =
    "SELECT status, n FROM registration_totals ORDER BY CASE status WHEN 'confirmed' THEN 0 "
    "WHEN 'waitlisted' THEN 1 ELSE 2 END";

constexpr const char* take_turn_lock = "SELECT pg_advisory_xact_lock(?)";

// The repositories of one unit of work, all on its connection.
template <class Db> struct repository_set {
    explicit repository_set(Db& db)
        : accounts(db), territories(db), audit(db), events(db), speakers(db), sessions(db),
          registrations(db), outbox(db), labels(db), webhooks(db), floor(db), reports(db) {}
    sql_accounts_repository<Db> accounts;
    sql_territories_repository<Db> territories;
    sql_audit_repository<Db> audit;
    sql_events_repository<Db> events;
    sql_speakers_repository<Db> speakers;
    sql_sessions_repository<Db> sessions;
    sql_registrations_repository<Db> registrations;
    sql_outbox_repository<Db> outbox;
    sql_labels_repository<Db> labels;
    sql_webhooks_repository<Db> webhooks;
    sql_floor_repository<Db> floor;
    sql_reports_repository<Db> reports;
};

template <class Db> class unit_of_work_base : public unit_of_work {
public:
    explicit unit_of_work_base(Db& db) : db_(db), repos_(db) {}
    // An event's turn is the row lock its registrations take (hold_event): event edits and
    // registrations meet there. Every other turn is a transaction-level advisory lock keyed by
    // the turn and the object (postgres::advisory_key::turn). SQLite's single writer holds every
    // turn already.
    bool take_turn(turn what, id_t id) override {
        if constexpr (Db::locks_rows) {
            if (what == turn::event)
                repos_.registrations.hold_event(id);
            else
                db_.prepare(take_turn_lock)
                    .bind(1, static_cast<std::int64_t>(
                                 postgres::advisory_key::turn(static_cast<int>(what), id)))
                    .run();
            return true;
        } else {
            return false;
        }
    }
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
    floor_repository& floor() override { return repos_.floor; }
    reports_repository& reports() override { return repos_.reports; }

private:
    Db& db_;
    repository_set<Db> repos_;
};

// A consistent snapshot on a pooled read connection.
template <class Db> class read_unit_of_work final : public unit_of_work_base<Db> {
public:
    read_unit_of_work(sql_store<Db>& owner, std::unique_ptr<Db> db)
        : unit_of_work_base<Db>(*db), owner_(owner), db_(std::move(db)) {
        try {
            db_->begin_snapshot();
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
    // Read connections only ever see durable groups (group_committer): nothing to wait for.
    durability_ticket commit() override { return {}; }
    durability_ticket ticket() const override { return {}; }

private:
    sql_store<Db>& owner_;
    std::unique_ptr<Db> db_;
};

// A savepoint in the writer's group transaction. Its ticket is the group it wrote into, or the
// open group it could read (others had released writes into it when it started).
template <class Db> class write_unit_of_work final : public unit_of_work_base<Db> {
public:
    write_unit_of_work(group_committer<Db>& writer, bool deferred)
        : unit_of_work_base<Db>(writer.acquire()), writer_(writer),
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
    group_committer<Db>& writer_;
    bool deferred_;
    durability_ticket ticket_;
    bool done_ = false;
};

// A write unit of work of the pooled path: its own transaction on a writer connection, begun
// with no lock: the turns the domain takes (take_turn) and the rows' own locks decide between
// writes, which run beside each other on every instance. Committed by commit() before it
// returns, so that its ticket is always empty.
template <class Db>
class pooled_write_unit_of_work final : private leased_writer<Db>, public unit_of_work_base<Db> {
public:
    explicit pooled_write_unit_of_work(sql_store<Db>& owner)
        : leased_writer<Db>(owner.writers()), unit_of_work_base<Db>(*this->db), owner_(owner),
          round_trips_before_(this->db->round_trips()) {
        this->db->begin_write();
    }
    ~pooled_write_unit_of_work() override {
        if (done_) return;
        try {
            this->db->execute("ROLLBACK");
        } catch (...) {
            // The connection is gone, its transaction with it (leased_writer closes it).
        }
        owner_.count_pooled_write(sql_store<Db>::pooled_end::rolled_back, round_trips());
    }
    durability_ticket commit() override {
        done_ = true;
        try {
            this->db->commit_write();
        } catch (...) {
            try {
                if (this->db->in_transaction()) this->db->execute("ROLLBACK");
            } catch (...) {
            }
            owner_.count_pooled_write(sql_store<Db>::pooled_end::failed, round_trips());
            throw;
        }
        owner_.count_pooled_write(sql_store<Db>::pooled_end::committed, round_trips());
        return {};
    }
    durability_ticket ticket() const override { return {}; }

private:
    std::uint64_t round_trips() const { return this->db->round_trips() - round_trips_before_; }

    sql_store<Db>& owner_;
    std::uint64_t round_trips_before_;
    bool done_ = false;
};

} // namespace

template <class Db> std::unique_ptr<Db> connection_pool<Db>::acquire() {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (!idle_.empty()) {
            auto db = std::move(idle_.back());
            idle_.pop_back();
            lock.unlock(); // opening a connection again may take a while: not under the lock
            if (db->reconnect_if_broken()) return db;
            db.reset();
            lock.lock();
            --open_count_;
            available_.notify_one();
            throw store_unavailable("the database cannot be reached");
        }
        if (open_count_ < max_) {
            ++open_count_;
            lock.unlock();
            try {
                return open_();
            } catch (...) {
                lock.lock();
                --open_count_;
                available_.notify_one();
                throw;
            }
        }
        available_.wait(lock);
    }
}

template <class Db> void connection_pool<Db>::release(std::unique_ptr<Db> db) {
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(db));
    }
    available_.notify_one();
}

template <class Db> void connection_pool<Db>::discard(std::unique_ptr<Db> db) {
    db.reset();
    {
        std::lock_guard lock(mutex_);
        --open_count_;
    }
    available_.notify_one();
}

template <class Db>
sql_store<Db>::sql_store(opener open, write_path<Db> writes, std::size_t max_connections)
    : readers_(open, max_connections) {
    if (writes.group_writer)
        writer_ =
            std::make_unique<group_committer<Db>>(std::move(writes.group_writer), writes.max_batch);
    else
        writers_ = std::make_unique<connection_pool<Db>>(
            std::move(open), std::max<std::size_t>(1, writes.max_writers));
}

template <class Db> sql_store<Db>::~sql_store() = default;

template <class Db> std::unique_ptr<unit_of_work> sql_store<Db>::begin(access mode) {
    if (mode == access::read) return std::make_unique<read_unit_of_work<Db>>(*this, acquire());
    if (writers_) return std::make_unique<pooled_write_unit_of_work<Db>>(*this);
    return std::make_unique<write_unit_of_work<Db>>(*writer_, mode == access::write_deferred);
}

template <class Db> commit_stats sql_store<Db>::write_stats() const {
    if (writer_) return writer_->stats();
    std::lock_guard lock(pooled_stats_mutex_);
    return pooled_stats_;
}

template <class Db>
void sql_store<Db>::count_pooled_write(pooled_end end, std::uint64_t round_trips) {
    std::lock_guard lock(pooled_stats_mutex_);
    pooled_stats_.round_trips += round_trips;
    if (end == pooled_end::failed) ++pooled_stats_.failed;
    if (end != pooled_end::committed) return;
    // Each transaction commits alone (the database may still flush several in one sync).
    ++pooled_stats_.commits;
    ++pooled_stats_.writes;
    ++pooled_stats_.buckets[0];
}

template <class Db>
void sql_store<Db>::when_durable(durability_ticket ticket, std::function<void(bool)> settled) {
    if (!ticket.pending() || !writer_) return settled(true);
    writer_->when_durable(ticket.group, std::move(settled));
}

template <class Db> void sql_store<Db>::wait_durable(durability_ticket ticket) {
    if (ticket.pending() && writer_) writer_->wait_durable(ticket.group);
}

template <class Db>
std::vector<std::pair<std::string, std::int64_t>> sql_store<Db>::registration_counts() {
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

template <class Db> bool sql_store<Db>::ready() {
    std::unique_ptr<Db> db;
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

template class connection_pool<sqlite::connection>;
template class connection_pool<postgres::connection>;
template class sql_store<sqlite::connection>;
template class sql_store<postgres::connection>;

} // namespace rencontres::storage
