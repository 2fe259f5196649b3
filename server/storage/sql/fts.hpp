// Keeps the full-text index of events (events_fts) in step with what it indexes; called by the
// repositories after each write. SQLite indexes it with FTS5, PostgreSQL with a tsvector column
// (migrations of each adapter); both index the same text.
#pragma once

#include "domain/common/ids.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace rencontres::storage {

template <class Db> void reindex_event(Db& db, id_t event_id);
template <class Db> void reindex_events_of_speaker(Db& db, id_t speaker_id);
// The events a territory hosts (its name is in their text), after the territory changed.
template <class Db> void reindex_events_of_territory(Db& db, id_t territory_id);
template <class Db> void unindex_event(Db& db, id_t event_id);
// Every event indexed again (after a migration that changes what the index holds); how many.
template <class Db> int reindex_every_event(Db& db);

// A MATCH expression for free text: every word must appear, each as a prefix, quoted so that
// no word is read as FTS5 syntax. Empty when the text holds no word.
std::optional<std::string> match_expression(std::string_view text);

} // namespace rencontres::storage
