#pragma once

#include "domain/agenda/model.hpp"

#include <optional>
#include <vector>

namespace rencontres {

class sessions_repository {
public:
    virtual ~sessions_repository() = default;
    virtual session insert(const session& draft) = 0; // with its speakers
    virtual void update(const session& changed) = 0;  // with its speakers
    virtual void remove(id_t id) = 0;
    virtual std::optional<session> find(id_t event_id, id_t session_id) = 0;
    // Session ids are unique across events.
    virtual std::optional<session> find_by_id(id_t session_id) = 0;
    // In time order (starts_at, ends_at, id).
    virtual std::vector<session> list_for_event(id_t event_id) = 0;
    // Sessions of the event in that room overlapping [starts, ends), except `exclude`.
    virtual std::vector<id_t> overlapping_in_room(id_t event_id, std::string_view room,
                                                  instant starts, instant ends,
                                                  std::optional<id_t> exclude) = 0;
    // Sessions of events not cancelled where one of the speakers speaks during [starts, ends).
    virtual std::vector<id_t> overlapping_for_speakers(const std::vector<id_t>& speaker_ids,
                                                       instant starts, instant ends,
                                                       std::optional<id_t> exclude) = 0;
    // Sessions of published events where the speaker speaks, in time order.
    virtual std::vector<session> published_for_speaker(id_t speaker_id) = 0;
    virtual std::vector<id_t> events_of_speaker(id_t speaker_id) = 0;
};

} // namespace rencontres
