#include "server/storage/postgres/store.hpp"

#include "server/storage/postgres/migrate.hpp"

namespace rencontres::postgres {
namespace {

constexpr const char* is_primary = "SELECT NOT pg_is_in_recovery()";

} // namespace

postgres_store::postgres_store(store_settings settings)
    : sql_store(
          [connection = settings.connection] {
              return std::make_unique<postgres::connection>(connection);
          },
          {nullptr, 0, settings.max_writers}, settings.max_connections),
      settings_(settings.connection), lease_(settings.connection), throttles_(writers()) {
    auto first = acquire();
    try {
        migrate(*first);
    } catch (...) {
        release(std::move(first));
        throw;
    }
    release(std::move(first));
}

postgres_store::~postgres_store() {
    close_writer();
}

std::unique_ptr<agenda_observer> postgres_store::share_changes(agenda_observer& local) {
    return std::make_unique<change_relay>(settings_, local);
}

bool postgres_store::writable() {
    try {
        auto db = acquire();
        bool primary = false;
        try {
            auto probe = db->prepare(is_primary);
            primary = probe.step() && probe.integer(0) == 1;
        } catch (const std::exception&) {
            primary = false;
        }
        release(std::move(db));
        return primary;
    } catch (const std::exception&) {
        return false;
    }
}

} // namespace rencontres::postgres
