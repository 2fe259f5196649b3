#pragma once

#include "domain/common/ids.hpp"

namespace rencontres {

// Told, after commit, that what an event's agenda shows may have changed (the event, one of its
// sessions, or a speaker of one of its sessions), so that cached renderings are rebuilt.
class agenda_observer {
public:
    virtual ~agenda_observer() = default;
    virtual void agenda_changed(id_t event_id) = 0;
    // Told once a change of the event's seat counts is durable (a registration, a cancellation,
    // a change of workshops): what shows seats left is rebuilt, the agenda is not.
    virtual void seats_changed(id_t /*event_id*/) {}
    // Told once a change the session's room sees (a question, a vote, a poll) is durable: its
    // live streams pass it on. `every_session` when what changed is not known (news from other
    // instances was lost).
    virtual void floor_changed(id_t /*session_id*/) {}
    static constexpr id_t every_session = 0;
};

} // namespace rencontres
