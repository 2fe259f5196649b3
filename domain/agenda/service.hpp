#pragma once

#include "domain/agenda/model.hpp"
#include "domain/agenda/observer.hpp"
#include "domain/common/actor.hpp"
#include "domain/common/precondition.hpp"
#include "domain/common/result.hpp"

namespace rencontres {

class store;

// Sessions as they are shown: with the time zone of their event, in which their instants are
// rendered, read in the same transaction as the sessions.
struct shown_session : session {
    std::string timezone;
};
struct shown_sessions {
    std::vector<session> items;
    std::string timezone;
};

class session_service {
public:
    session_service(store& db, agenda_observer& observer) : db_(db), observer_(observer) {}

    result<shown_session> create_session(const actor& who, std::string_view event_id,
                                         const session_fields& fields, instant now);
    result<shown_session> update_session(const actor& who, std::string_view event_id,
                                         id_t session_id, const session_fields& fields,
                                         const precondition<shown_session>& expected, instant now);
    result<void> delete_session(const actor& who, std::string_view event_id, id_t session_id,
                                instant now);
    result<shown_session> get_session(const actor& who, std::string_view event_id, id_t session_id);
    result<shown_sessions> list_sessions(const actor& who, std::string_view event_id);
    // The event with its sessions and their speakers, for the agenda and its calendar feed.
    result<agenda> get_agenda(const actor& who, std::string_view event_id);

private:
    store& db_;
    agenda_observer& observer_;
};

} // namespace rencontres
