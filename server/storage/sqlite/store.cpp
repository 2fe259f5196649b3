#include "server/storage/sqlite/store.hpp"

#include "server/storage/sqlite/repositories.hpp"

namespace rencontres::sqlite {
namespace {

constexpr const char* count_migrations = "SELECT count(*) FROM schema_migrations";

class sqlite_unit_of_work final : public unit_of_work {
public:
    sqlite_unit_of_work(sqlite_store& owner, std::unique_ptr<connection> db, access mode)
        : owner_(owner), db_(std::move(db)), accounts_(*db_), territories_(*db_), audit_(*db_),
          events_(*db_), speakers_(*db_), sessions_(*db_) {
        try {
            db_->execute(mode == access::write ? "BEGIN IMMEDIATE" : "BEGIN");
        } catch (...) {
            owner_.release(std::move(db_));
            throw;
        }
    }
    ~sqlite_unit_of_work() override {
        if (!done_) {
            try {
                db_->execute("ROLLBACK");
            } catch (...) {
                // The transaction is gone already (the connection rolled it back itself).
            }
        }
        owner_.release(std::move(db_));
    }

    accounts_repository& accounts() override { return accounts_; }
    territories_repository& territories() override { return territories_; }
    audit_repository& audit() override { return audit_; }
    events_repository& events() override { return events_; }
    speakers_repository& speakers() override { return speakers_; }
    sessions_repository& sessions() override { return sessions_; }
    void commit() override {
        db_->execute("COMMIT");
        done_ = true;
    }

private:
    sqlite_store& owner_;
    std::unique_ptr<connection> db_;
    sqlite_accounts_repository accounts_;
    sqlite_territories_repository territories_;
    sqlite_audit_repository audit_;
    sqlite_events_repository events_;
    sqlite_speakers_repository speakers_;
    sqlite_sessions_repository sessions_;
    bool done_ = false;
};

} // namespace

sqlite_store::sqlite_store(store_settings settings) : settings_(std::move(settings)) {
    auto first = std::make_unique<connection>(settings_.connection);
    migrate(*first);
    ++open_;
    idle_.push_back(std::move(first));
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
    return std::make_unique<sqlite_unit_of_work>(*this, acquire(), mode);
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

} // namespace rencontres::sqlite
