#pragma once

#include "domain/store.hpp"
#include "server/storage/sqlite/connection.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace rencontres::sqlite {

struct store_settings {
    connection_settings connection;
    std::size_t max_connections = 8; // one per worker thread is enough
};

// Applies the embedded migrations that are not yet recorded, each in its own transaction.
// Returns the number applied. Throws when a recorded migration does not match the embedded one.
int migrate(connection& db);

class sqlite_store final : public store {
public:
    explicit sqlite_store(store_settings settings);
    ~sqlite_store() override;

    std::unique_ptr<unit_of_work> begin(access mode) override;
    bool ready() override;

    // Connections are leased for the length of a unit of work.
    std::unique_ptr<connection> acquire();
    void release(std::unique_ptr<connection> db);

private:
    store_settings settings_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<connection>> idle_;
    std::size_t open_ = 0;
};

} // namespace rencontres::sqlite
