#include "domain/common/text.hpp"
#include "server/storage/postgres/connection.hpp"
#include "server/storage/sql/fts.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/connection.hpp"

namespace rencontres::storage {
namespace {

constexpr const char* insert_territory =
    "INSERT INTO territories (name, search_name, kind, siren, region, department, created_at, "
    "updated_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
#define TERRITORY_COLUMNS                                                                          \
    "id, name, kind, siren, region, department, created_at, updated_at, created_by"
constexpr const char* update_territory =
    "UPDATE territories SET name = ?, search_name = ?, kind = ?, siren = ?, region = ?, "
    "department = ?, updated_at = ? WHERE id = ?";
constexpr const char* territory_by_id =
    "SELECT " TERRITORY_COLUMNS " FROM territories WHERE id = ?";
constexpr const char* territory_by_siren =
    "SELECT " TERRITORY_COLUMNS " FROM territories WHERE siren = ?";
// In the public record: named in an award (even a revoked one) or hosting an event that was
// published.
constexpr const char* territory_in_public_record =
    "SELECT EXISTS (SELECT 1 FROM label_awards WHERE territory_id = ?1) OR EXISTS (SELECT 1 FROM "
    "events WHERE host_territory_id = ?1 AND status <> 'draft')";
// `?3` is a LIKE pattern built from the folded query with its wildcards escaped.
constexpr const char* list_territories =
    "SELECT " TERRITORY_COLUMNS " FROM territories WHERE id > ?1 AND (region = ?2 OR ?2 IS NULL) "
    "AND (search_name LIKE ?3 ESCAPE '\\' OR ?3 IS NULL) ORDER BY id LIMIT ?4";

territory read_territory(const auto& row) {
    return {row.integer(0),
            row.text(1),
            parse_territory_kind(row.text(2)).value_or(territory_kind::other),
            row.text(3),
            row.text(4),
            row.optional_text(5),
            at_seconds(row.integer(6)),
            at_seconds(row.integer(7)),
            row.optional_integer(8)};
}

} // namespace

template <class Db>
result<territory> sql_territories_repository<Db>::insert(const territory& draft) {
    const auto id =
        insert_unique(db_, insert_territory, draft.name, search_fold(draft.name),
                      to_string(draft.kind), draft.siren, draft.region, draft.department,
                      seconds(draft.created_at), seconds(draft.updated_at), draft.created_by);
    if (!id) return conflict(rule::siren_taken, "A territory with this SIREN already exists.");
    territory created = draft;
    created.id = *id;
    return created;
}

template <class Db> result<void> sql_territories_repository<Db>::update(const territory& changed) {
    if (!write_unique(db_, update_territory, changed.name, search_fold(changed.name),
                      to_string(changed.kind), changed.siren, changed.region, changed.department,
                      seconds(changed.updated_at), changed.id))
        return conflict(rule::siren_taken, "A territory with this SIREN already exists.");
    reindex_events_of_territory(db_, changed.id);
    return {};
}

template <class Db> std::optional<territory> sql_territories_repository<Db>::find(id_t id) {
    auto query = db_.prepare(territory_by_id);
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return read_territory(query);
}

template <class Db>
std::optional<territory> sql_territories_repository<Db>::find_by_siren(std::string_view siren) {
    auto query = db_.prepare(territory_by_siren);
    query.bind(1, siren);
    if (!query.step()) return std::nullopt;
    return read_territory(query);
}

template <class Db>
page<territory> sql_territories_repository<Db>::list(const territory_filter& filter,
                                                     const page_request& request) {
    auto query = db_.prepare(list_territories);
    query.bind(1, request.after.value_or(0));
    query.bind(2, filter.region);
    if (filter.q && !filter.q->empty())
        query.bind(3, like_pattern(*filter.q));
    else
        query.bind(3, std::nullopt);
    query.bind(4, request.limit + 1);
    std::vector<territory> rows;
    while (query.step())
        rows.push_back(read_territory(query));
    return finish_page(std::move(rows), request.limit, [](const territory& t) { return t.id; });
}

template <class Db> bool sql_territories_repository<Db>::in_public_record(id_t id) {
    auto query = db_.prepare(territory_in_public_record);
    query.bind(1, id);
    return query.step() && query.integer(0) != 0;
}

template class sql_territories_repository<sqlite::connection>;
template class sql_territories_repository<postgres::connection>;

} // namespace rencontres::storage
