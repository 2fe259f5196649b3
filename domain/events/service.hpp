#pragma once

#include "domain/agenda/observer.hpp"
#include "domain/common/actor.hpp"
#include "domain/common/precondition.hpp"
#include "domain/common/result.hpp"
#include "domain/events/model.hpp"

namespace rencontres {

class store;
class unit_of_work;

// The event `id_or_slug` names, when the actor may see it: a draft is visible only to its
// organizers and admins (not_found for everyone else, so its existence does not leak).
result<event> visible_event(unit_of_work& uow, const actor& who, std::string_view id_or_slug);
// ...and may change it: its organizers and admins (forbidden for other callers who see it).
result<event> editable_event(unit_of_work& uow, const actor& who, std::string_view id_or_slug);
// The same, read once the write holds the event's turn (unit_of_work::take_turn): what it then
// checks and changes, no other write changes until it ends.
result<event> held_visible_event(unit_of_work& uow, const actor& who, std::string_view id_or_slug);
result<event> held_editable_event(unit_of_work& uow, const actor& who, std::string_view id_or_slug);

struct organizer_entry {
    id_t account_id = 0;
    std::string display_name;
    std::string email;
};

class event_service {
public:
    // `change_hold`: how long the messages of a change of date or place wait for further changes
    // to coalesce with.
    event_service(store& db, agenda_observer& observer,
                  std::chrono::seconds change_hold = std::chrono::minutes{15})
        : db_(db), observer_(observer), change_hold_(change_hold) {}

    result<event> create_event(const actor& who, const event_fields& fields, instant now);
    result<event> get_event(const actor& who, std::string_view id_or_slug);
    result<event_page> list_events(const actor& who, event_filter filter);
    result<event> update_event(const actor& who, std::string_view id, const event_fields& fields,
                               const precondition<event>& expected, instant now);
    result<event> publish_event(const actor& who, std::string_view id, instant now);
    result<event> cancel_event(const actor& who, std::string_view id, const std::string& reason,
                               instant now);
    result<void> delete_event(const actor& who, std::string_view id, instant now);
    result<event> add_organizer(const actor& who, std::string_view id, id_t account_id,
                                instant now);
    result<event> remove_organizer(const actor& who, std::string_view id, id_t account_id,
                                   instant now);

    // The account with this email, found for the organizers of the event (who may add it).
    result<event> add_organizer_by_email(const actor& who, std::string_view id,
                                         std::string_view email, instant now);
    // Who organizes the event, named, for those who may change it.
    result<std::vector<organizer_entry>> organizers(const actor& who, std::string_view id);

private:
    store& db_;
    agenda_observer& observer_;
    std::chrono::seconds change_hold_;
};

} // namespace rencontres
