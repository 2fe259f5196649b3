#include "server/storage/postgres/connection.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/connection.hpp"

namespace rencontres::storage {
namespace {

constexpr const char* insert_entry =
    "INSERT INTO audit_log (actor_id, action, entity, entity_id, at, summary) "
    "VALUES (?, ?, ?, ?, ?, ?)";
// Newest first: the cursor is the smallest id seen so far.
constexpr const char* list_entries =
    "SELECT id, actor_id, action, entity, entity_id, at, summary FROM audit_log "
    "WHERE (id < ?1 OR ?1 IS NULL) AND (entity = ?2 OR ?2 IS NULL) "
    "AND (actor_id = ?3 OR ?3 IS NULL) AND (entity_id = ?5 OR ?5 IS NULL) ORDER BY id DESC "
    "LIMIT ?4";

} // namespace

template <class Db> void sql_audit_repository<Db>::append(const audit_entry& entry) {
    db_.prepare(insert_entry)
        .bind_all(entry.actor_id, entry.action, entry.entity, entry.entity_id, seconds(entry.at),
                  entry.summary)
        .run();
}

template <class Db>
page<audit_entry> sql_audit_repository<Db>::list(const audit_filter& filter,
                                                 const page_request& request) {
    auto query = db_.prepare(list_entries);
    query.bind_all(request.after, filter.entity, filter.actor_id, request.limit + 1,
                   filter.entity_id);
    std::vector<audit_entry> rows;
    while (query.step())
        rows.push_back({query.integer(0), query.optional_integer(1), query.text(2), query.text(3),
                        query.text(4), at_seconds(query.integer(5)), query.text(6)});
    return finish_page(std::move(rows), request.limit, [](const audit_entry& e) { return e.id; });
}

template class sql_audit_repository<sqlite::connection>;
template class sql_audit_repository<postgres::connection>;

} // namespace rencontres::storage
