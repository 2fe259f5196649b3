#include "server/storage/sqlite/fts.hpp"

namespace rencontres::sqlite {
namespace {

constexpr const char* delete_entry = "DELETE FROM events_fts WHERE rowid = ?";
constexpr const char* insert_entry = R"sql(
INSERT INTO events_fts (rowid, body)
SELECT e.id,
       e.title || ' ' || e.summary || ' ' || e.description || ' ' ||
       coalesce((SELECT group_concat(s.title || ' ' || coalesce(s.abstract, ''), ' ')
                 FROM sessions s WHERE s.event_id = e.id), '') || ' ' ||
       coalesce((SELECT group_concat(sp.full_name, ' ') FROM speakers sp
                 WHERE sp.id IN (SELECT ss.speaker_id FROM session_speakers ss
                                 JOIN sessions s ON s.id = ss.session_id
                                 WHERE s.event_id = e.id)), '')
FROM events e WHERE e.id = ?)sql";
constexpr const char* events_of_speaker =
    "SELECT DISTINCT s.event_id FROM sessions s JOIN session_speakers ss ON ss.session_id = s.id "
    "WHERE ss.speaker_id = ?";

} // namespace

void reindex_event(connection& db, id_t event_id) {
    db.prepare(delete_entry).bind(1, event_id).run();
    db.prepare(insert_entry).bind(1, event_id).run();
}

void reindex_events_of_speaker(connection& db, id_t speaker_id) {
    std::vector<id_t> events;
    {
        auto query = db.prepare(events_of_speaker);
        query.bind(1, speaker_id);
        while (query.step())
            events.push_back(query.integer(0));
    }
    for (const auto id : events)
        reindex_event(db, id);
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

} // namespace rencontres::sqlite
