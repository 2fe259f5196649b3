#include "domain/common/text.hpp"
#include "server/storage/postgres/connection.hpp"
#include "server/storage/sql/fts.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/connection.hpp"

namespace rencontres::storage {
namespace {

constexpr const char* insert_speaker =
    "INSERT INTO speakers (full_name, search_name, title, organization, bio, links, email, "
    "created_at, updated_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* update_speaker =
    "UPDATE speakers SET full_name = ?, search_name = ?, title = ?, organization = ?, bio = ?, "
    "links = ?, email = ?, updated_at = ? WHERE id = ?";
constexpr const char* speaker_by_id =
    "SELECT id, full_name, title, organization, bio, links, email, created_at, updated_at, "
    "created_by FROM speakers WHERE id = ?";
constexpr const char* list_speakers =
    "SELECT id, full_name, title, organization, bio, links, email, created_at, updated_at, "
    "created_by FROM speakers WHERE id > ?1 AND (search_name LIKE ?2 ESCAPE '\\' OR ?2 IS NULL) "
    "ORDER BY id LIMIT ?3";
constexpr const char* delete_speaker = "DELETE FROM speakers WHERE id = ?";
constexpr const char* speaker_scheduled =
    "SELECT 1 FROM session_speakers WHERE speaker_id = ? LIMIT 1";

speaker read_speaker(const auto& row) {
    return {row.integer(0),
            row.text(1),
            row.optional_text(2),
            row.optional_text(3),
            row.optional_text(4),
            split_lines(row.text(5)),
            row.optional_text(6),
            at_seconds(row.integer(7)),
            at_seconds(row.integer(8)),
            row.optional_integer(9)};
}

std::string search_name(const speaker& s) {
    return search_fold(s.full_name + " " + s.organization.value_or(""));
}

} // namespace

template <class Db> speaker sql_speakers_repository<Db>::insert(const speaker& draft) {
    speaker created = draft;
    created.id =
        insert_returning_id(db_, insert_speaker, draft.full_name, search_name(draft), draft.title,
                            draft.organization, draft.bio, join_lines(draft.links), draft.email,
                            seconds(draft.created_at), seconds(draft.updated_at), draft.created_by);
    return created;
}

template <class Db> void sql_speakers_repository<Db>::update(const speaker& s) {
    db_.prepare(update_speaker)
        .bind_all(s.full_name, search_name(s), s.title, s.organization, s.bio, join_lines(s.links),
                  s.email, seconds(s.updated_at), s.id)
        .run();
    reindex_events_of_speaker(db_, s.id);
}

template <class Db> std::optional<speaker> sql_speakers_repository<Db>::find(id_t id) {
    auto query = db_.prepare(speaker_by_id);
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return read_speaker(query);
}

template <class Db>
std::vector<speaker> sql_speakers_repository<Db>::find_many(const std::vector<id_t>& ids) {
    std::vector<speaker> out;
    for (const auto id : ids)
        if (auto found = find(id)) out.push_back(std::move(*found));
    return out;
}

template <class Db>
page<speaker> sql_speakers_repository<Db>::list(const std::optional<std::string>& q,
                                                const page_request& request) {
    auto query = db_.prepare(list_speakers);
    query.bind(1, request.after.value_or(0));
    if (q && !q->empty())
        query.bind(2, like_pattern(*q));
    else
        query.bind(2, std::nullopt);
    query.bind(3, request.limit + 1);
    std::vector<speaker> rows;
    while (query.step())
        rows.push_back(read_speaker(query));
    return finish_page(std::move(rows), request.limit, [](const speaker& s) { return s.id; });
}

template <class Db> void sql_speakers_repository<Db>::remove(id_t id) {
    db_.prepare(delete_speaker).bind(1, id).run();
}

template <class Db> bool sql_speakers_repository<Db>::scheduled(id_t id) {
    auto query = db_.prepare(speaker_scheduled);
    query.bind(1, id);
    return query.step();
}

template class sql_speakers_repository<sqlite::connection>;
template class sql_speakers_repository<postgres::connection>;

} // namespace rencontres::storage
