#pragma once

#include "domain/common/result.hpp"
#include "domain/common/sealer.hpp"
#include "domain/registrations/model.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace rencontres {

struct idempotency_record {
    std::string request_hash;
    stored_reply reply; // body as stored (sealed)
    std::string caller; // whose key it is: "account:<id>" or "anonymous"
};

// How a list of registrations is ordered: as they registered (the API, programs), or by name
// (the console's lists, read by people).
enum class list_order { registered, by_name };

class registrations_repository {
public:
    virtual ~registrations_repository() = default;
    // conflict when the email already holds an active registration for the event.
    virtual result<registration> insert(const registration& draft) = 0;
    virtual std::optional<registration> find(id_t id) = 0; // with positions and seats
    // Until the unit of work ends, no other write changes the event's registrations, seats,
    // waiting lists or counts: it is the event's turn, which unit_of_work::take_turn with
    // turn::event takes. Writes call it before they read any of these; where writes never run
    // beside each other (SQLite's single writer) it takes nothing more.
    virtual void hold_event(id_t event_id) = 0;
    // The same for the event of registration `id` (a registration never changes event); nothing
    // when there is no such registration.
    virtual void hold_event_of(id_t registration_id) = 0;
    // Tells the store what a registration on the event is about to do, before it does it: hold
    // the event (hold_event), then read its seats (seats), whether `email` holds an active
    // registration (insert) and, with a key, the reply stored under it in `scope` (find_reply).
    // Where each read costs a round trip (PostgreSQL), they are asked for at once, with the
    // event's own rows (events_repository::read_ahead); elsewhere it does nothing. The calls
    // that follow are the usual ones, and read what was asked for.
    virtual void read_ahead(id_t event_id, std::string_view email,
                            std::optional<std::pair<std::string, std::string>> scope_and_key) = 0;
    virtual event_seats seats(id_t event_id) = 0;
    virtual int count_confirmed(id_t event_id) = 0;
    virtual int count_session_confirmed(id_t session_id) = 0;
    virtual int count_waitlisted(id_t event_id) = 0;
    virtual int count_session_waitlisted(id_t session_id) = 0;
    // The oldest waitlisted registration of the event (FIFO).
    virtual std::optional<id_t> first_waitlisted(id_t event_id) = 0;
    // The oldest waitlisted seat of a session held by a confirmed registration.
    virtual std::optional<id_t> first_waitlisted_seat(id_t session_id) = 0;
    virtual void set_status(id_t id, registration_status status, instant now) = 0;
    virtual void set_seat_status(id_t registration_id, id_t session_id,
                                 registration_status status) = 0;
    // Gives the registration a seat row for the session, or sets the status of the one it has.
    virtual void put_seat(id_t registration_id, id_t session_id, registration_status status) = 0;
    virtual void check_in(id_t id, instant now) = 0;
    virtual void undo_check_in(id_t id, instant now) = 0;
    // Replaces the registration's answers (checked), in the caller's transaction; the counts
    // per option follow.
    virtual void put_answers(id_t registration_id, id_t event_id,
                             const std::vector<stored_answer>& answers) = 0;
    virtual void set_organization(id_t registration_id, const std::optional<std::string>& value,
                                  instant now) = 0;
    // The options chosen in the event's answers, cancelled registrations included.
    virtual answered_options answered(id_t event_id) = 0;
    // Counts per question and option over active registrations, as kept (no zero rows).
    virtual answer_counts counted_answers(id_t event_id) = 0;
    // In registration order (by id), or by name as a French list is (name_sort_key, then id; the
    // page's cursor is still the last row's id); `folded_query` (search_fold'ed) keeps those whose
    // name, organization or email contains it.
    virtual page<registration> list(id_t event_id, std::optional<registration_status> status,
                                    const std::optional<std::string>& folded_query,
                                    const page_request& request,
                                    list_order order = list_order::registered) = 0;
    virtual std::vector<registration> all_for_event(id_t event_id) = 0;
    virtual registration_stats stats(id_t event_id) = 0;
    // When each registration of the event was made (cancelled ones too), oldest first.
    virtual std::vector<instant> registration_times(id_t event_id) = 0;
    // Registrations linked to the account, and — when `verified_email` is given — those made
    // without an account under that email.
    virtual std::vector<registration>
    for_person(std::optional<id_t> account_id, std::optional<std::string_view> verified_email) = 0;
    // Personal data: name, email and organization replaced, text answers removed; status, seats
    // and chosen options kept.
    virtual void anonymize_for_person(std::optional<id_t> account_id,
                                      std::optional<std::string_view> verified_email,
                                      instant now) = 0;
    // Active registrations of an event (for cancellation notices).
    virtual std::vector<registration> active_for_event(id_t event_id) = 0;
    // The active registration made with this (normalized) address for the event, if any.
    virtual std::optional<registration> active_by_email(id_t event_id, std::string_view email) = 0;

    virtual std::optional<idempotency_record> find_reply(std::string_view scope,
                                                         std::string_view key) = 0;
    virtual void save_reply(std::string_view scope, std::string_view key, std::string_view caller,
                            std::string_view request_hash, const stored_reply& reply,
                            instant now) = 0;
};

} // namespace rencontres
