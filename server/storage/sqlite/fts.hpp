// Keeps events_fts in step with what it indexes; called by the repositories after each write.
#pragma once

#include "domain/common/ids.hpp"
#include "server/storage/sqlite/connection.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace rencontres::sqlite {

void reindex_event(connection& db, id_t event_id);
void reindex_events_of_speaker(connection& db, id_t speaker_id);

// A MATCH expression for free text: every word must appear, each as a prefix, quoted so that
// no word is read as FTS5 syntax. Empty when the text holds no word.
std::optional<std::string> match_expression(std::string_view text);

} // namespace rencontres::sqlite
