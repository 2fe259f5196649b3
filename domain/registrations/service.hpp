#pragma once

#include "domain/accounts/ports.hpp"
#include "domain/agenda/model.hpp"
#include "domain/agenda/observer.hpp"
#include "domain/audit/model.hpp"
#include "domain/common/actor.hpp"
#include "domain/common/result.hpp"
#include "domain/events/model.hpp"
#include "domain/notifications/model.hpp"
#include "domain/registrations/model.hpp"
#include "domain/registrations/repository.hpp"

#include <chrono>
#include <functional>

namespace rencontres {

class store;
class unit_of_work;

// Either a new registration (with its secrets), or the reply stored for the same
// Idempotency-Key and body.
struct registration_outcome {
    std::optional<registration_receipt> receipt;
    std::optional<stored_reply> replay;
    // Show nothing of it before this is durable (store::when_durable): the registration's writes,
    // or the writes a replay read.
    durability_ticket durable_after{};
};

// The badges of an event: its confirmed registrations sorted by family name, then given name
// (French collation, accents and case aside; by full name for those given alone).
struct badge_sheet {
    rencontres::event event;
    std::vector<badge> badges;
};

// What an attendance certificate states: who, which event, the sessions held for that person
// (those open to all, and the workshops where they had a seat), who issues it, and when.
struct attendance_certificate {
    rencontres::registration registration;
    rencontres::event event;
    std::vector<session> sessions;
    std::vector<std::string> organizers;
    instant issued_at{};
};

// The message a registrant receives for an announcement (and the console's preview shows).
std::string announcement_text(const std::string& full_name, const std::string& body,
                              const event& e);

// Renders the reply to keep for an Idempotency-Key, inside the transaction.
using reply_renderer = std::function<stored_reply(const registration_receipt&)>;

// What a personal calendar feed shows: the event and the workshops the registration holds.
struct personal_calendar {
    rencontres::registration registration;
    rencontres::agenda agenda;
};

// The calendar of a registration: its event and the workshops where it holds a seat.
std::optional<personal_calendar> calendar_in(unit_of_work& uow, const registration& r);

struct registration_file {
    registration r;
    std::vector<question> questions;
    std::vector<session> workshops; // the event's sessions with a capacity
    std::vector<outbox_message> messages;
    std::vector<audit_entry> history; // newest first
    std::string timezone;             // the event's
};

class registration_service {
public:
    registration_service(store& db, token_minter& minter, reply_sealer& sealer,
                         agenda_observer* seats = nullptr)
        : db_(db), minter_(minter), sealer_(sealer), seats_(seats) {}

    result<registration_outcome> register_participant(const actor& who, std::string_view event_id,
                                                      const registration_command& command,
                                                      const std::optional<idempotency>& key,
                                                      const reply_renderer& render, instant now);
    // Allowed with the manage token, or to the event's organizers and admins.
    result<registration> get_registration(const actor& who, id_t id,
                                          std::optional<std::string_view> manage_token);
    // Like register_participant, on the write lane: the value (or the error) holds the ticket to
    // await before answering.
    // Cancelled by its organizers (not with the manage token), the message says so, with their
    // `reason` when given (500 characters at most), and how to reach them.
    result<durability_ticket> cancel_registration(const actor& who, id_t id,
                                                  std::optional<std::string_view> manage_token,
                                                  instant now,
                                                  const std::optional<std::string>& reason = {});
    // "This registration is not mine", from the link of its messages (the manage token): no more
    // mail to its address about the event, and the registration cancelled if it is still active
    // (seats freed and promoted as on any cancellation). `cancelled` tells whether this call
    // cancelled it; a second report changes nothing.
    struct report_outcome {
        bool cancelled = false;
        durability_ticket durable_after{};
    };
    result<report_outcome> report_unwanted(id_t id, std::string_view manage_token, instant now);
    result<page<registration>> list_registrations(const actor& who, std::string_view event_id,
                                                  std::optional<std::string> status,
                                                  const page_request& request,
                                                  const std::optional<std::string>& q = {},
                                                  list_order order = list_order::registered);
    result<registration_export> export_registrations(const actor& who, std::string_view event_id);
    // Each workshop of the event with its seats held and waiting list, in the agenda's order.
    result<std::vector<workshop_fill>> workshops_filled(const actor& who,
                                                        std::string_view event_id);
    // One workshop's seats and list; 404 (session_not_found) for a session of another event or
    // one without a capacity.
    result<workshop_roster> roster(const actor& who, std::string_view event_id, id_t session_id);
    // Everything the organizers know of one registration of their event: its workshops by title,
    // the questions its answers reply to, the messages written to it and the changes made to it
    // (audit). 404 (registration_not_found) for one of another event.
    result<registration_file> registration_file_of(const actor& who, std::string_view event_id,
                                                   id_t registration_id);
    // "Renvoyer mon lien": someone who lost the message asks for the link to their registration
    // again, by address. The same answer whether or not the address is registered (nothing to
    // learn from it); each active registration of that address for the published event gets a
    // message with its link (the manage token unchanged), at most one per registration every
    // `link_interval`. 404 for an event one may not see, 422 for an address that cannot be one.
    result<void> send_link_again(const actor& who, std::string_view event_id,
                                 std::string_view email, instant now);
    static constexpr std::chrono::minutes link_interval{10};
    result<registration> check_in(const actor& who, id_t id, instant now);
    // Someone who arrives without having registered, entered by the event's organizers at the
    // door: registered confirmed and checked in at once (audited). A full event takes them only
    // with `beyond_capacity` ("sur place"), else 409 (event_full). Without an email address
    // nothing is ever sent to them.
    result<registration> register_walk_in(const actor& who, std::string_view event_id,
                                          const walk_in_command& command, instant now);
    // A check-in made by mistake, undone by the event's organizers (audited): the registration
    // is expected again, and the attendance certificate's message, not sent yet, is withdrawn.
    // 409 (no_check_in_to_undo) when it was not checked in.
    result<registration> undo_check_in(const actor& who, id_t id, instant now);
    result<registration_stats> event_stats(const actor& who, std::string_view event_id);
    // Registrations made each day in the event's zone, from the first day to the last one with
    // any (days without any count 0).
    result<std::vector<registrations_on_day>> registrations_per_day(const actor& who,
                                                                    std::string_view event_id);
    // Registrations linked to the caller's account or made with its email.
    result<std::vector<registration>> my_registrations(const actor& who);
    result<personal_calendar> calendar(id_t id, std::string_view feed_key);
    // The calendar feed key of a registration, from its manage token (already checked); none
    // for a registration whose key was not derived from it.
    std::optional<std::string> feed_key_for(const registration& r, std::string_view manage_token);
    // Seats left, waiting list and whether registration is open, for anyone who may see the
    // event.
    result<event_availability> availability(const actor& who, std::string_view event_id,
                                            instant now);
    // Changes a registration while the event has not started (PATCH): workshops added get a
    // seat or a waiting-list place by the same rules as a registration, workshops dropped free
    // their seat for the next one waiting; answers are merged and checked again; the
    // organization is set or cleared. Allowed with the manage token, or to the event's
    // organizers and admins.
    result<registration> update_registration(const actor& who, id_t id,
                                             std::optional<std::string_view> manage_token,
                                             const registration_patch& patch, instant now);

    // Writes one message per active registration of the chosen statuses to the outbox (its
    // organizers, admins), at most five per event in any 24 hours; returns how many.
    result<int> send_announcement(const actor& who, std::string_view event_id,
                                  const announcement_command& command, instant now);
    // How many would receive it, for the console's preview.
    result<int> announcement_recipients(const actor& who, std::string_view event_id,
                                        const std::vector<std::string>& statuses);

    // The event's organizers and admins.
    result<badge_sheet> badges(const actor& who, std::string_view event_id);
    // With the manage token, or to the event's organizers and admins: for a checked-in
    // registration once the event has ended (conflict otherwise).
    result<attendance_certificate> certificate(const actor& who, id_t id,
                                               std::optional<std::string_view> manage_token,
                                               instant now);

    // The questions the event asks, for anyone who may see it.
    result<std::vector<question>> questions(const actor& who, std::string_view event_id);
    // Replaces them (its organizers, admins), under the rules of check_questions.
    result<std::vector<question>> replace_questions(const actor& who, std::string_view event_id,
                                                    const std::vector<question_fields>& wanted,
                                                    instant now);

private:
    // The decisions inside the write unit of work, from checked input; the public operations add
    // the unit of work's ticket to whatever these return.
    // `receipt` comes from new_receipt; register_in decides the rest of its registration.
    result<registration_outcome>
    register_in(unit_of_work& uow, const actor& who, std::string_view event_id,
                registration_receipt receipt, const registration_command& checked,
                const std::optional<idempotency>& key, const reply_renderer& render, instant now);
    // A new registration as far as it is known before its write: the names, address and
    // organization of `draft`, its secrets (the manage token minted, digested and, with an
    // address, sealed for the links of messages; the feed key digested) and its list keys. What
    // costs CPU is done here, before the write lane opens, which then only decides and writes.
    registration_receipt new_receipt(registration draft);
    result<durability_ticket> cancel_in(unit_of_work& uow, const actor& who, id_t id,
                                        std::optional<std::string_view> manage_token, instant now,
                                        const std::optional<std::string>& reason);
    // `told` is a paragraph added to the cancellation's message (who cancelled, and why).
    void release(unit_of_work& uow, const registration& r, const event& e, instant now,
                 const std::string& told = {});
    // The attendance certificate's notice, held in the outbox until the event ends.
    void enqueue_certificate_notice(unit_of_work& uow, const registration& r, const event& e,
                                    instant now);

    std::string derive_feed_key(std::string_view manage_token);
    // Tells the seats observer about the event once `ticket` is durable.
    void seats_changed_after(id_t event_id, durability_ticket ticket);

    store& db_;
    token_minter& minter_;
    reply_sealer& sealer_;
    agenda_observer* seats_;
};

} // namespace rencontres
