// `rencontres copy`: a whole database from one adapter to the other (SQLite to PostgreSQL, and
// back), into an empty target.
#pragma once

#include <cstdint>
#include <string>

namespace rencontres::storage {

struct copy_report {
    int tables = 0;        // tables copied
    std::int64_t rows = 0; // rows copied
};

// Copies every row of `from` into `to` (each a SQLite file path or a postgresql:// URL), both
// migrated first to this version's schema. The target must hold no row: the copy keeps every id,
// so that links, tokens and references stay valid. Read on one snapshot of the source; written
// in one transaction on the target, all or nothing. The counts the target keeps itself (seats,
// answers, totals, the search index) are rebuilt there by its own triggers and code, then
// compared with the source's, as is the number of rows of every table. Throws std::runtime_error
// with a message for the operator (a non-empty target, schemas that differ, counts that differ).
copy_report copy_database(const std::string& from, const std::string& to);

} // namespace rencontres::storage
