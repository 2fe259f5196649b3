#pragma once

#include "domain/agenda/model.hpp"
#include "domain/agenda/observer.hpp"
#include "domain/common/actor.hpp"
#include "domain/common/precondition.hpp"
#include "domain/common/result.hpp"

namespace rencontres {

class store;

class session_service {
public:
    session_service(store& db, agenda_observer& observer) : db_(db), observer_(observer) {}

    result<session> create_session(const actor& who, std::string_view event_id,
                                   const session_fields& fields, instant now);
    result<session> update_session(const actor& who, std::string_view event_id, id_t session_id,
                                   const session_fields& fields,
                                   const precondition<session>& expected, instant now);
    result<void> delete_session(const actor& who, std::string_view event_id, id_t session_id,
                                instant now);
    result<session> get_session(const actor& who, std::string_view event_id, id_t session_id);
    result<std::vector<session>> list_sessions(const actor& who, std::string_view event_id);
    // The event with its sessions and their speakers, for the agenda and its calendar feed.
    result<agenda> get_agenda(const actor& who, std::string_view event_id);

private:
    store& db_;
    agenda_observer& observer_;
};

} // namespace rencontres
