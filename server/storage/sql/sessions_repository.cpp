#include "server/storage/postgres/connection.hpp"
#include "server/storage/sql/fts.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/connection.hpp"

namespace rencontres::storage {
namespace {

#define SESSION_COLUMNS                                                                            \
    "s.id, s.event_id, s.title, s.abstract, s.kind, s.starts_at, s.ends_at, s.room, s.track, "     \
    "s.capacity, s.sequence, s.created_at, s.updated_at, s.questions"

constexpr const char* insert_session =
    "INSERT INTO sessions (event_id, title, abstract, kind, starts_at, ends_at, room, track, "
    "capacity, sequence, created_at, updated_at, questions) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr const char* update_session =
    "UPDATE sessions SET title = ?, abstract = ?, kind = ?, starts_at = ?, ends_at = ?, room = ?, "
    "track = ?, capacity = ?, sequence = ?, updated_at = ?, questions = ? WHERE id = ?";
constexpr const char* delete_session = "DELETE FROM sessions WHERE id = ?";
constexpr const char* event_of_session = "SELECT event_id FROM sessions WHERE id = ?";
constexpr const char* session_by_id =
    "SELECT " SESSION_COLUMNS " FROM sessions s WHERE s.event_id = ? AND s.id = ?";
constexpr const char* session_by_own_id =
    "SELECT " SESSION_COLUMNS " FROM sessions s WHERE s.id = ?";
constexpr const char* sessions_of_event =
    "SELECT " SESSION_COLUMNS " FROM sessions s WHERE s.event_id = ? "
    "ORDER BY s.starts_at, s.ends_at, s.id";
constexpr const char* speakers_of_session =
    "SELECT speaker_id FROM session_speakers WHERE session_id = ? ORDER BY position";
constexpr const char* delete_session_speakers = "DELETE FROM session_speakers WHERE session_id = ?";
constexpr const char* insert_session_speaker =
    "INSERT INTO session_speakers (session_id, speaker_id, position) VALUES (?, ?, ?)";
// Half-open intervals: a session ending at 10:00 does not overlap one starting at 10:00.
constexpr const char* room_overlaps =
    "SELECT s.id FROM sessions s WHERE s.event_id = ?1 AND s.room = ?2 "
    "AND s.starts_at < ?4 AND ?3 < s.ends_at AND (s.id <> ?5 OR ?5 IS NULL) ORDER BY s.id";
constexpr const char* speaker_overlaps =
    "SELECT DISTINCT s.id FROM sessions s JOIN session_speakers ss ON ss.session_id = s.id "
    "JOIN events e ON e.id = s.event_id WHERE ss.speaker_id = ?1 AND e.status <> 'cancelled' "
    "AND s.starts_at < ?3 AND ?2 < s.ends_at AND (s.id <> ?4 OR ?4 IS NULL) ORDER BY s.id";
constexpr const char* published_of_speaker =
    "SELECT " SESSION_COLUMNS " FROM sessions s JOIN session_speakers ss ON ss.session_id = s.id "
    "JOIN events e ON e.id = s.event_id WHERE ss.speaker_id = ? AND e.status = 'published' "
    "ORDER BY s.starts_at, s.id";
constexpr const char* events_with_speaker =
    "SELECT DISTINCT s.event_id FROM sessions s JOIN session_speakers ss ON ss.session_id = s.id "
    "WHERE ss.speaker_id = ?";

session read_session(const auto& row) {
    session s;
    s.id = row.integer(0);
    s.event_id = row.integer(1);
    s.title = row.text(2);
    s.abstract = row.optional_text(3);
    s.kind = parse_session_kind(row.text(4)).value_or(session_kind::other);
    s.starts_at = at_seconds(row.integer(5));
    s.ends_at = at_seconds(row.integer(6));
    s.room = row.optional_text(7);
    s.track = row.optional_text(8);
    if (const auto capacity = row.optional_integer(9)) s.capacity = static_cast<int>(*capacity);
    s.sequence = static_cast<int>(row.integer(10));
    s.created_at = at_seconds(row.integer(11));
    s.updated_at = at_seconds(row.integer(12));
    s.questions = parse_question_mode(row.text(13)).value_or(question_mode::off);
    return s;
}

std::optional<std::int64_t> capacity_of(const session& s) {
    return s.capacity ? std::optional<std::int64_t>(*s.capacity) : std::nullopt;
}

} // namespace

template <class Db> void sql_sessions_repository<Db>::load_speakers(session& s) {
    auto query = db_.prepare(speakers_of_session);
    query.bind(1, s.id);
    s.speaker_ids.clear();
    while (query.step())
        s.speaker_ids.push_back(query.integer(0));
}

template <class Db> void sql_sessions_repository<Db>::store_speakers(const session& s) {
    db_.prepare(delete_session_speakers).bind(1, s.id).run();
    int position = 0;
    for (const auto speaker_id : s.speaker_ids)
        db_.prepare(insert_session_speaker).bind_all(s.id, speaker_id, position++).run();
}

template <class Db> std::vector<session> sql_sessions_repository<Db>::read_all(auto& query) {
    std::vector<session> rows;
    while (query.step())
        rows.push_back(read_session(query));
    return rows;
}

template <class Db> session sql_sessions_repository<Db>::insert(const session& draft) {
    session created = draft;
    created.id = insert_returning_id(
        db_, insert_session, draft.event_id, draft.title, draft.abstract, to_string(draft.kind),
        seconds(draft.starts_at), seconds(draft.ends_at), draft.room, draft.track,
        capacity_of(draft), draft.sequence, seconds(draft.created_at), seconds(draft.updated_at),
        to_string(draft.questions));
    store_speakers(created);
    reindex_event(db_, created.event_id);
    return created;
}

template <class Db> void sql_sessions_repository<Db>::update(const session& s) {
    db_.prepare(update_session)
        .bind_all(s.title, s.abstract, to_string(s.kind), seconds(s.starts_at), seconds(s.ends_at),
                  s.room, s.track, capacity_of(s), s.sequence, seconds(s.updated_at),
                  to_string(s.questions), s.id)
        .run();
    store_speakers(s);
    reindex_event(db_, s.event_id);
}

template <class Db> void sql_sessions_repository<Db>::remove(id_t id) {
    std::optional<id_t> event_id;
    {
        auto query = db_.prepare(event_of_session);
        query.bind(1, id);
        if (query.step()) event_id = query.integer(0);
    }
    db_.prepare(delete_session).bind(1, id).run();
    if (event_id) reindex_event(db_, *event_id);
}

template <class Db>
std::optional<session> sql_sessions_repository<Db>::find(id_t event_id, id_t session_id) {
    std::optional<session> found;
    {
        auto query = db_.prepare(session_by_id);
        query.bind_all(event_id, session_id);
        if (query.step()) found = read_session(query);
    }
    if (found) load_speakers(*found);
    return found;
}

template <class Db>
std::optional<session> sql_sessions_repository<Db>::find_by_id(id_t session_id) {
    std::optional<session> found;
    {
        auto query = db_.prepare(session_by_own_id);
        query.bind(1, session_id);
        if (query.step()) found = read_session(query);
    }
    if (found) load_speakers(*found);
    return found;
}

template <class Db>
std::vector<session> sql_sessions_repository<Db>::list_for_event(id_t event_id) {
    std::vector<session> rows;
    {
        auto query = db_.prepare(sessions_of_event);
        query.bind(1, event_id);
        rows = read_all(query);
    }
    for (auto& s : rows)
        load_speakers(s);
    return rows;
}

template <class Db>
std::vector<id_t> sql_sessions_repository<Db>::overlapping_in_room(id_t event_id,
                                                                   std::string_view room,
                                                                   instant starts, instant ends,
                                                                   std::optional<id_t> exclude) {
    auto query = db_.prepare(room_overlaps);
    query.bind_all(event_id, room, seconds(starts), seconds(ends), exclude);
    std::vector<id_t> ids;
    while (query.step())
        ids.push_back(query.integer(0));
    return ids;
}

template <class Db>
std::vector<id_t>
sql_sessions_repository<Db>::overlapping_for_speakers(const std::vector<id_t>& speaker_ids,
                                                      instant starts, instant ends,
                                                      std::optional<id_t> exclude) {
    std::vector<id_t> ids;
    for (const auto speaker_id : speaker_ids) {
        auto query = db_.prepare(speaker_overlaps);
        query.bind_all(speaker_id, seconds(starts), seconds(ends), exclude);
        while (query.step())
            ids.push_back(query.integer(0));
    }
    return ids;
}

template <class Db>
std::vector<session> sql_sessions_repository<Db>::published_for_speaker(id_t speaker_id) {
    std::vector<session> rows;
    {
        auto query = db_.prepare(published_of_speaker);
        query.bind(1, speaker_id);
        rows = read_all(query);
    }
    for (auto& s : rows)
        load_speakers(s);
    return rows;
}

template <class Db>
std::vector<id_t> sql_sessions_repository<Db>::events_of_speaker(id_t speaker_id) {
    auto query = db_.prepare(events_with_speaker);
    query.bind(1, speaker_id);
    std::vector<id_t> ids;
    while (query.step())
        ids.push_back(query.integer(0));
    return ids;
}

template class sql_sessions_repository<sqlite::connection>;
template class sql_sessions_repository<postgres::connection>;

} // namespace rencontres::storage
