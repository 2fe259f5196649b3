#include "server/storage/sql/fts.hpp"

#include "domain/common/text.hpp"
#include "server/storage/postgres/connection.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/connection.hpp"

#include <vector>

namespace rencontres::storage {
namespace {

// The indexed text: the event's, its venue's name and city, its host territory's name, its
// sessions' titles and abstracts, its speakers' names and organizations, and its report once
// published (introduction and summaries).
#define INDEXED_TEXT(concatenate)                                                                  \
    "e.title || ' ' || e.summary || ' ' || e.description || ' ' || e.venue_name || ' ' || "        \
    "e.venue_city || ' ' || coalesce((SELECT t.name FROM territories t WHERE "                     \
    "t.id = e.host_territory_id), '') || ' ' || "                                                  \
    "coalesce((SELECT " concatenate "(s.title || ' ' || coalesce(s.abstract, ''), ' ') "           \
    "FROM sessions s WHERE s.event_id = e.id), '') || ' ' || "                                     \
    "coalesce((SELECT " concatenate "(sp.full_name || ' ' || coalesce(sp.organization, ''), ' ') " \
    "FROM speakers sp WHERE sp.id IN "                                                             \
    "(SELECT ss.speaker_id FROM session_speakers ss JOIN sessions s ON s.id = ss.session_id "      \
    "WHERE s.event_id = e.id)), '') || ' ' || "                                                    \
    "coalesce((SELECT r.introduction || ' ' || coalesce((SELECT " concatenate "(rs.summary, ' ') " \
    "FROM report_sessions rs WHERE rs.event_id = r.event_id), '') FROM reports r "                 \
    "WHERE r.event_id = e.id AND r.status = 'published'), '')"
constexpr const char* delete_entry = "DELETE FROM events_fts WHERE rowid = ?";
constexpr const char* text_of =
    "SELECT " INDEXED_TEXT("group_concat") " FROM events e WHERE e.id = ?";
constexpr const char* insert_entry = "INSERT INTO events_fts (rowid, body) VALUES (?, ?)";
constexpr const char* delete_entry_postgres = "DELETE FROM events_fts WHERE event_id = ?";
constexpr const char* text_of_postgres =
    "SELECT " INDEXED_TEXT("string_agg") " FROM events e WHERE e.id = ?";
constexpr const char* insert_entry_postgres =
    "INSERT INTO events_fts (event_id, body) VALUES (?, ?)";
#undef INDEXED_TEXT
constexpr const char* every_event = "SELECT id FROM events ORDER BY id";
constexpr const char* events_of_territory =
    "SELECT id FROM events WHERE host_territory_id = ? ORDER BY id";
constexpr const char* events_of_speaker =
    "SELECT DISTINCT s.event_id FROM sessions s JOIN session_speakers ss ON ss.session_id = s.id "
    "WHERE ss.speaker_id = ?";

} // namespace

template <class Db> void unindex_event(Db& db, id_t event_id) {
    db.prepare(is_postgres<Db> ? delete_entry_postgres : delete_entry).bind(1, event_id).run();
}

// The text is folded here (search_fold: ICU, as every search of the application), not by each
// database's own tokenizer or unaccent(), so that both adapters find the same events ("Łódź"
// under "lodz", "Ørsted" under "orsted").
template <class Db> void reindex_event(Db& db, id_t event_id) {
    unindex_event(db, event_id);
    std::optional<std::string> text;
    {
        auto query = db.prepare(is_postgres<Db> ? text_of_postgres : text_of);
        query.bind(1, event_id);
        if (query.step()) text = query.optional_text(0);
    }
    if (!text) return;
    db.prepare(is_postgres<Db> ? insert_entry_postgres : insert_entry)
        .bind_all(event_id, search_fold(*text))
        .run();
}

template <class Db> int reindex_every_event(Db& db) {
    std::vector<id_t> events;
    {
        auto query = db.prepare(every_event);
        while (query.step())
            events.push_back(query.integer(0));
    }
    for (const auto id : events)
        reindex_event(db, id);
    return static_cast<int>(events.size());
}

namespace {

// Every event the query (one id bound) lists, indexed again.
template <class Db> void reindex_events_of(Db& db, const char* sql, id_t id) {
    std::vector<id_t> events;
    {
        auto query = db.prepare(sql);
        query.bind(1, id);
        while (query.step())
            events.push_back(query.integer(0));
    }
    for (const auto event_id : events)
        reindex_event(db, event_id);
}

} // namespace

template <class Db> void reindex_events_of_speaker(Db& db, id_t speaker_id) {
    reindex_events_of(db, events_of_speaker, speaker_id);
}

template <class Db> void reindex_events_of_territory(Db& db, id_t territory_id) {
    reindex_events_of(db, events_of_territory, territory_id);
}

std::optional<std::string> match_expression(std::string_view text) {
    std::string expression;
    std::string word;
    const auto flush = [&] {
        if (word.empty()) return;
        expression += (expression.empty() ? "\"" : " \"") + word + "\"*";
        word.clear();
    };
    for (const char c : text) {
        // Spaces and control characters separate words; FTS5 would read a NUL as the end of the
        // query and refuse it as an unterminated string.
        if (static_cast<unsigned char>(c) <= 0x20) {
            flush();
        } else if (c == '"') {
            word += "\"\"";
        } else {
            word.push_back(c);
        }
    }
    flush();
    if (expression.empty()) return std::nullopt;
    return expression;
}

template int reindex_every_event(sqlite::connection&);
template int reindex_every_event(postgres::connection&);
template void reindex_event(sqlite::connection&, id_t);
template void reindex_event(postgres::connection&, id_t);
template void reindex_events_of_speaker(sqlite::connection&, id_t);
template void reindex_events_of_speaker(postgres::connection&, id_t);
template void reindex_events_of_territory(sqlite::connection&, id_t);
template void reindex_events_of_territory(postgres::connection&, id_t);
template void unindex_event(sqlite::connection&, id_t);
template void unindex_event(postgres::connection&, id_t);

} // namespace rencontres::storage
