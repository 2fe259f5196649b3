#pragma once

#include "server/storage/postgres/connection.hpp"

namespace rencontres::postgres {

// Applies the embedded PostgreSQL migrations not yet recorded, in one transaction, under an
// advisory lock so that instances starting together apply them once. Returns the number
// applied. Throws when a recorded migration does not match the embedded one.
int migrate(connection& db);

} // namespace rencontres::postgres
