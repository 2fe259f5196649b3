// Seat decisions and waiting lists. Every function here runs inside the caller's write unit of
// work, so the count it reads and the write it makes are one atomic step.
#pragma once

#include "domain/agenda/model.hpp"
#include "domain/common/result.hpp"
#include "domain/events/model.hpp"
#include "domain/notifications/model.hpp"
#include "domain/registrations/model.hpp"

#include <chrono>
#include <optional>

namespace rencontres {

class unit_of_work;

// Whether the event takes registrations at `now`: published, not started, inside its window.
registration_window window_of(const event& e, instant now);

// Whether the event has a free seat for one more confirmed registration: from its kept count
// of `confirmed` ones (read with the event held), or read now.
bool seat_free(const event& e, int confirmed);
bool event_has_seat(unit_of_work& uow, const event& e);
bool session_has_seat(unit_of_work& uow, const session& s);

// Confirms waitlisted registrations, oldest first, while the event has seats and has not
// started; each person promoted gets a notice, and keeps their places in the workshop lists they
// joined (promote_session_waitlist runs on each). Returns how many were promoted.
int promote_from_waitlist(unit_of_work& uow, const event& e, instant now);
// The same for a workshop's seats: to those on its list who hold an event seat, in the order they
// joined the list.
int promote_session_waitlist(unit_of_work& uow, const event& e, const session& s, instant now);

// Messages that the organizers cause to reach every registrant (announcements, and changes of a
// published event's date or place) are limited per event: at most this many in 24 hours.
inline constexpr int announcements_per_day = 5;
// The refusal (rate_limited, with the wait) when the event's registrants were already written to
// `announcements_per_day` times in the last 24 hours.
std::optional<domain_error> registrants_mail_refused(unit_of_work& uow, id_t event_id, instant now);

// A message to a registrant about the event: addressed, linked to the registration, due now, its
// replies going to the event's contact address (Reply-To).
outbox_message message_to(const registration& r, const event& e, message_kind kind, instant now);
// The last paragraph of every message about an event: who writes, and how to reach them.
std::string organizers_signature(const event& e);

// Writes a notice to the outbox, in the caller's transaction; it is sent at `due` when given
// (held back to be coalesced), else at once. `extra` is a paragraph of its own after the text.
void notify(unit_of_work& uow, message_kind kind, const registration& r, const event& e,
            instant now, const std::string& extra = {}, std::optional<instant> due = {});

} // namespace rencontres
