#include "domain/registrations/service.hpp"

#include "domain/accounts/privacy.hpp"
#include "domain/accounts/repository.hpp"
#include "domain/agenda/repository.hpp"
#include "domain/audit/repository.hpp"
#include "domain/audit/service.hpp"
#include "domain/common/fields.hpp"
#include "domain/common/names.hpp"
#include "domain/common/text.hpp"
#include "domain/common/zone.hpp"
#include "domain/events/repository.hpp"
#include "domain/events/service.hpp"
#include "domain/notifications/repository.hpp"
#include "domain/registrations/seats.hpp"
#include "domain/speakers/repository.hpp"
#include "domain/store.hpp"
#include "domain/webhooks/service.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace rencontres {
namespace {

constexpr std::array<std::string_view, 3> status_names{"confirmed", "waitlisted", "cancelled"};

std::string scope_of(id_t event_id) {
    return "POST /v1/events/" + id_text(event_id) + "/registrations";
}

// An Idempotency-Key belongs to its caller: a signed-in account, or anonymous callers.
std::string caller_of(const actor& who) {
    return who.account_id ? "account:" + id_text(*who.account_id) : "anonymous";
}

// Loads a registration the caller may manage: with its manage token, or as an organizer of its
// event or an admin. Anonymous callers without a token must authenticate; anyone else learns
// nothing (not_found).
result<std::pair<registration, event>> managed(unit_of_work& uow, token_minter& minter,
                                               const actor& who, id_t id,
                                               std::optional<std::string_view> token) {
    if (!token && !who.authenticated())
        return unauthenticated(rule::registration_token_required,
                               "Send X-Registration-Token or sign in.");
    auto found = uow.registrations().find(id);
    if (!found) return not_found(rule::registration_not_found, "No such registration.");
    auto owner = uow.events().find(found->event_id);
    if (!owner) return not_found(rule::registration_not_found, "No such registration.");
    const bool by_token = token && minter.digest(*token) == found->manage_digest;
    const bool by_role = owner->managed_by(who);
    if (!by_token && !by_role)
        return not_found(rule::registration_not_found, "No such registration.");
    return std::pair{std::move(*found), std::move(*owner)};
}

// The sessions of `e` that `ids` name, in their order: 422 naming "session_ids[i]" for one that
// is not a session of the event or is listed twice, and "session_ids" (with both ids in
// `conflicts`) for two whose times overlap.
result<std::vector<session>> sessions_named(unit_of_work& uow, const event& e,
                                            const std::vector<std::string>& ids) {
    std::vector<session> out;
    std::set<id_t> seen;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto sid = parse_id(ids[i]);
        auto s = sid ? uow.sessions().find(e.id, *sid) : std::nullopt;
        const auto field = "session_ids[" + std::to_string(i) + "]";
        if (!s) return invalid_field(field, field_rule::unknown, "is not a session of this event");
        if (!seen.insert(s->id).second)
            return invalid_field(field, field_rule::duplicate, "is listed twice");
        out.push_back(std::move(*s));
    }
    // One person cannot be in two places: no two of them may overlap (half-open intervals, so
    // one ending at 15:00 and one starting at 15:00 go together).
    for (std::size_t i = 0; i < out.size(); ++i)
        for (std::size_t j = i + 1; j < out.size(); ++j)
            if (out[i].starts_at < out[j].ends_at && out[j].starts_at < out[i].ends_at) {
                auto refused = invalid_field("session_ids", field_rule::sessions_overlap,
                                             "sessions " + id_text(out[i].id) + " and " +
                                                 id_text(out[j].id) + " overlap in time");
                refused.conflicts = {id_text(out[i].id), id_text(out[j].id)};
                return refused;
            }
    return out;
}

durability_ticket& ticket_of(registration_outcome& outcome) {
    return outcome.durable_after;
}
durability_ticket& ticket_of(durability_ticket& ticket) {
    return ticket;
}

// An answer carries what its unit of work rests on, whether it is a value or a refusal.
template <class T> result<T> with_ticket(result<T> decided, const unit_of_work& uow) {
    if (decided)
        ticket_of(*decided) |= uow.ticket();
    else
        decided.error().durable_after |= uow.ticket();
    return decided;
}

} // namespace

std::string_view to_string(registration_status s) {
    return name_of(status_names, s);
}

std::optional<registration_status> parse_registration_status(std::string_view text) {
    return parse_name<registration_status>(status_names, text);
}

std::string registration_sort_key(const std::optional<std::string>& given,
                                  const std::optional<std::string>& family,
                                  const std::string& full_name) {
    return name_sort_key(given ? std::optional<std::string_view>(*given) : std::nullopt,
                         family ? std::optional<std::string_view>(*family) : std::nullopt,
                         full_name);
}

std::string registration_search_text(const std::string& full_name,
                                     const std::optional<std::string>& organization,
                                     const std::string& email) {
    return search_fold(full_name + " " + organization.value_or("") + " " + email);
}

void set_list_keys(registration& r) {
    r.sort_key = registration_sort_key(r.given_name, r.family_name, r.full_name);
    r.search_text = registration_search_text(r.full_name, r.organization, r.email);
}

result<registration_outcome> registration_service::register_participant(
    const actor& who, std::string_view event_id, const registration_command& command,
    const std::optional<idempotency>& key, const reply_renderer& render, instant now) {
    validation v;
    std::string full_name;
    std::optional<std::string> given_name, family_name;
    if (command.given_name || command.family_name) {
        // The full name is made of the two; it is not given beside them.
        given_name = check_text(v, "given_name", command.given_name.value_or(""), 1, 100);
        family_name = check_text(v, "family_name", command.family_name.value_or(""), 1, 100);
        if (!command.full_name.empty())
            v.fail("full_name", field_rule::not_accepted,
                   "give either full_name or given_name and family_name");
        full_name = *given_name + " " + *family_name;
    } else {
        full_name = check_text(v, "full_name", command.full_name, 1, 200);
    }
    const auto email = normalize_email(command.email);
    if (!plausible_email(email))
        v.fail("email", field_rule::format, "is not a valid email address");
    const auto organization = check_optional_text(v, "organization", command.organization, 200);
    std::optional<id_t> territory;
    if (command.territory_id) {
        territory = parse_id(*command.territory_id);
        if (!territory) v.fail("territory_id", field_rule::unknown, "is not a known territory");
    }
    if (!command.consent)
        v.fail("consent", field_rule::required,
               "must be true: we need your consent to keep these details");
    if (command.session_ids.size() > 50)
        v.fail("session_ids", field_rule::count, "must hold at most 50 sessions");
    if (!v.ok()) {
        // Every problem at once: the answers too, against the event's questions as they are now
        // (checked again on the write lane when the rest is right).
        auto refused = v.error();
        if (const auto asked = questions(who, event_id))
            if (auto answered = check_answers(*asked, command.answers); !answered)
                refused.fields.insert(refused.fields.end(), answered.error().fields.begin(),
                                      answered.error().fields.end());
        return refused;
    }

    registration draft;
    draft.full_name = full_name;
    draft.given_name = given_name;
    draft.family_name = family_name;
    draft.email = email;
    draft.organization = organization;
    draft.territory_id = territory;
    draft.account_id = who.account_id;
    auto receipt = new_receipt(std::move(draft));
    // On the write lane: the commit does not wait; the answer carries the unit of work's ticket.
    auto uow = db_.begin(access::write_deferred);
    auto outcome = with_ticket(
        register_in(*uow, who, event_id, std::move(receipt), command, key, render, now), *uow);
    if (outcome && outcome->receipt)
        seats_changed_after(outcome->receipt->registration.event_id, outcome->durable_after);
    return outcome;
}

void registration_service::seats_changed_after(id_t event_id, durability_ticket ticket) {
    if (!seats_) return;
    db_.when_durable(ticket, [observer = seats_, event_id](bool durable) {
        if (durable) observer->seats_changed(event_id);
    });
}

registration_receipt registration_service::new_receipt(registration draft) {
    registration_receipt receipt{std::move(draft), minter_.mint(), {}};
    receipt.feed_key = derive_feed_key(receipt.manage_token);
    auto& r = receipt.registration;
    r.manage_digest = minter_.digest(receipt.manage_token);
    r.feed_digest = minter_.digest(receipt.feed_key);
    if (!r.email.empty()) r.sealed_link = sealer_.seal(receipt.manage_token);
    set_list_keys(r);
    return receipt;
}

result<registration_outcome>
registration_service::register_in(unit_of_work& uow, const actor& who, std::string_view event_id,
                                  registration_receipt receipt, const registration_command& checked,
                                  const std::optional<idempotency>& key,
                                  const reply_renderer& render, instant now) {
    if (const auto id = parse_id(event_id)) {
        // Everything read below before the first write, asked for at once (one round trip where
        // reads cost one), the event held first.
        uow.registrations().read_ahead(*id, receipt.registration.email,
                                       key ? std::optional(std::pair(scope_of(*id), key->key))
                                           : std::nullopt);
        uow.events().read_ahead(*id);
    }
    // Registrations for other events go on beside this one; those for this event wait.
    auto owner = held_visible_event(uow, who, event_id);
    if (!owner) return owner.error();
    const auto& e = *owner;
    if (key) {
        if (auto previous = uow.registrations().find_reply(scope_of(e.id), key->key)) {
            // Another caller's reply holds that caller's tokens: never hand it over.
            if (previous->caller != caller_of(who))
                return conflict(rule::idempotency_key_taken,
                                "This Idempotency-Key was used by another caller; choose a new "
                                "key.");
            if (previous->request_hash != key->request_hash)
                return invalid_field("Idempotency-Key", field_rule::key_reused,
                                     "was already used with a different request body");
            auto body = sealer_.open(previous->reply.body);
            if (!body)
                return domain_error{errc::unavailable, rule::stored_reply_unreadable,
                                    "The stored reply cannot be read."};
            return registration_outcome{std::nullopt, stored_reply{previous->reply.status, *body}};
        }
    }
    const auto territory = receipt.registration.territory_id;
    if (territory && !uow.events().territory_exists(*territory))
        return invalid_field("territory_id", field_rule::unknown, "is not a known territory");
    auto named = sessions_named(uow, e, checked.session_ids);
    if (!named) return named.error();
    const auto& workshops = *named;
    switch (window_of(e, now)) {
    case registration_window::open:
        break;
    case registration_window::not_published:
        return conflict(rule::event_not_published, "The event is not published yet.");
    case registration_window::cancelled:
        return conflict(rule::event_cancelled, "The event is cancelled.");
    case registration_window::started:
        return conflict(rule::event_started, "The event has already started.");
    case registration_window::not_yet_open:
        return conflict(rule::registration_not_open_yet, "Registration has not opened yet.");
    case registration_window::closed:
        return conflict(rule::registration_closed, "Registration is closed.");
    }

    const auto questions = uow.events().questions(e.id);
    auto answers = check_answers(questions, checked.answers);
    if (!answers) return answers.error();

    auto& draft = receipt.registration;
    draft.event_id = e.id;
    const auto seats = uow.registrations().seats(e.id);
    draft.status = seat_free(e, seats.confirmed) ? registration_status::confirmed
                                                 : registration_status::waitlisted;
    for (const auto& s : workshops) {
        const bool seat =
            draft.status == registration_status::confirmed && session_has_seat(uow, s);
        draft.sessions.push_back(
            {s.id, seat ? registration_status::confirmed : registration_status::waitlisted, {}});
    }
    draft.answers = std::move(*answers);
    draft.created_at = draft.updated_at = now;
    auto inserted = uow.registrations().insert(draft);
    if (!inserted) return inserted.error();
    // Positions without reading the row back: a new registration is last in every queue.
    draft.id = inserted->id;
    if (!draft.answers.empty())
        uow.registrations().put_answers(draft.id, e.id, stored_answers(questions, draft.answers));
    // Held, the event's list changes only here: a new registration is last on it.
    if (draft.status == registration_status::waitlisted)
        draft.waitlist_position = seats.waitlisted + 1;
    for (auto& seat : draft.sessions)
        if (seat.status == registration_status::waitlisted)
            seat.waitlist_position = uow.registrations().count_session_waitlisted(seat.session_id);
    notify(uow,
           draft.status == registration_status::confirmed ? message_kind::registration_confirmed
                                                          : message_kind::registration_waitlisted,
           draft, e, now);
    announce(uow, "registration.created", e.id, draft.id, now);
    if (key) {
        auto reply = render(receipt);
        reply.body = sealer_.seal(reply.body);
        uow.registrations().save_reply(scope_of(e.id), key->key, caller_of(who), key->request_hash,
                                       reply, now);
    }
    uow.commit();
    return registration_outcome{std::move(receipt), std::nullopt};
}

// Cancels an active registration: its seat goes to the first waiting, and so do its workshop
// seats; the registrant is told (unless their address is suppressed) and webhooks announced.
void registration_service::release(unit_of_work& uow, const registration& r, const event& e,
                                   instant now, const std::string& told) {
    const bool held_seat = r.status == registration_status::confirmed;
    uow.registrations().set_status(r.id, registration_status::cancelled, now);
    notify(uow, message_kind::registration_cancelled, r, e, now, told);
    announce(uow, "registration.cancelled", e.id, r.id, now);
    if (held_seat) {
        promote_from_waitlist(uow, e, now);
        for (const auto& seat : r.sessions)
            if (seat.status == registration_status::confirmed)
                if (const auto s = uow.sessions().find(e.id, seat.session_id))
                    promote_session_waitlist(uow, e, *s, now);
    }
}

result<registration_service::report_outcome>
registration_service::report_unwanted(id_t id, std::string_view manage_token, instant now) {
    auto uow = db_.begin(access::write_deferred);
    uow->registrations().hold_event_of(id);
    auto found = managed(*uow, minter_, actor::anonymous(), id, manage_token);
    if (!found) {
        found.error().durable_after |= uow->ticket();
        return found.error();
    }
    auto& [r, e] = *found;
    // Suppressed first: the cancellation notice is then not written either.
    uow->outbox().suppress(e.id, r.email, now);
    const bool cancelled = r.active();
    if (cancelled) release(*uow, r, e, now);
    // Audited although anonymous: the organizers see why a registration went.
    uow->audit().append({0, std::nullopt, "report_registration", "registration", id_text(r.id), now,
                         cancelled ? "reported as unwanted: cancelled, no more mail for the event"
                                   : "reported as unwanted again: no more mail for the event"});
    const auto ticket = uow->commit();
    if (cancelled) seats_changed_after(e.id, ticket);
    return report_outcome{cancelled, ticket};
}

result<durability_ticket>
registration_service::cancel_in(unit_of_work& uow, const actor& who, id_t id,
                                std::optional<std::string_view> manage_token, instant now,
                                const std::optional<std::string>& reason) {
    validation v;
    const auto why = check_optional_text(v, "reason", reason, 500);
    if (!v.ok()) return v.error();
    // Before the registration is read: a cancellation beside it would otherwise go unseen.
    uow.registrations().hold_event_of(id);
    auto found = managed(uow, minter_, who, id, manage_token);
    if (!found) return found.error();
    auto& [r, e] = *found;
    if (!r.active())
        return conflict(rule::registration_cancelled, "The registration is already cancelled.");
    const bool by_organizers = !manage_token || minter_.digest(*manage_token) != r.manage_digest;
    release(uow, r, e, now,
            by_organizers ? "Cette annulation est le fait de l'équipe d'organisation." +
                                (why ? " Son motif : " + *why : std::string())
                          : std::string());
    if (by_organizers)
        record_change(uow.audit(), who, "cancel_registration", "registration", id_text(r.id), now,
                      "registration cancelled by the organizer");
    const auto ticket = uow.commit();
    seats_changed_after(e.id, ticket);
    return ticket;
}

result<registration>
registration_service::get_registration(const actor& who, id_t id,
                                       std::optional<std::string_view> manage_token) {
    auto uow = db_.begin(access::read);
    auto found = managed(*uow, minter_, who, id, manage_token);
    if (!found) return found.error();
    return std::move(found->first);
}

result<durability_ticket>
registration_service::cancel_registration(const actor& who, id_t id,
                                          std::optional<std::string_view> manage_token, instant now,
                                          const std::optional<std::string>& reason) {
    auto uow = db_.begin(access::write_deferred);
    return with_ticket(cancel_in(*uow, who, id, manage_token, now, reason), *uow);
}

result<page<registration>> registration_service::list_registrations(
    const actor& who, std::string_view event_id, std::optional<std::string> status,
    const page_request& request, const std::optional<std::string>& q, list_order order) {
    std::optional<registration_status> wanted;
    if (status) {
        wanted = parse_registration_status(*status);
        if (!wanted)
            return invalid_field("status", field_rule::choice,
                                 "must be confirmed, waitlisted or cancelled");
    }
    std::optional<std::string> folded;
    if (q) {
        if (utf8_length(*q) > 100)
            return invalid_field("q", field_rule::length, "must be at most 100 characters");
        if (auto f = search_fold(trim(*q)); !f.empty()) folded = std::move(f);
    }
    auto uow = db_.begin(access::read);
    auto owner = editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    return uow->registrations().list(owner->id, wanted, folded, request, order);
}

namespace {

// The event's workshops: its sessions with a capacity, in the agenda's order.
std::vector<session> workshops_of(unit_of_work& uow, id_t event_id) {
    auto sessions = uow.sessions().list_for_event(event_id);
    std::erase_if(sessions, [](const session& s) { return !s.capacity; });
    return sessions;
}

} // namespace

result<registration_export> registration_service::export_registrations(const actor& who,
                                                                       std::string_view event_id) {
    auto uow = db_.begin(access::read);
    auto owner = editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    return registration_export{uow->events().questions(owner->id),
                               uow->registrations().all_for_event(owner->id), owner->timezone,
                               workshops_of(*uow, owner->id)};
}

result<std::vector<workshop_fill>>
registration_service::workshops_filled(const actor& who, std::string_view event_id) {
    auto uow = db_.begin(access::read);
    auto owner = editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    std::vector<workshop_fill> out;
    for (auto& s : workshops_of(*uow, owner->id)) {
        const auto confirmed = uow->registrations().count_session_confirmed(s.id);
        const auto waitlisted = uow->registrations().count_session_waitlisted(s.id);
        out.push_back({std::move(s), confirmed, waitlisted});
    }
    return out;
}

result<workshop_roster> registration_service::roster(const actor& who, std::string_view event_id,
                                                     id_t session_id) {
    auto uow = db_.begin(access::read);
    auto owner = editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    auto workshop = uow->sessions().find(owner->id, session_id);
    if (!workshop || !workshop->capacity)
        return not_found(rule::session_not_found, "No such workshop.");
    workshop_roster out{std::move(*workshop), {}, {}, owner->timezone};
    // all_for_event is by name, each seat with its place on its workshop's list.
    for (auto& r : uow->registrations().all_for_event(owner->id)) {
        if (!r.active()) continue;
        const auto seat =
            std::find_if(r.sessions.begin(), r.sessions.end(),
                         [&](const session_seat& s) { return s.session_id == session_id; });
        if (seat == r.sessions.end()) continue;
        if (seat->status == registration_status::confirmed)
            out.holders.push_back(std::move(r));
        else if (seat->status == registration_status::waitlisted)
            out.waiting.push_back(std::move(r));
    }
    const auto place = [&](const registration& r) {
        for (const auto& s : r.sessions)
            if (s.session_id == session_id) return s.waitlist_position.value_or(0);
        return 0;
    };
    std::stable_sort(
        out.waiting.begin(), out.waiting.end(),
        [&](const registration& a, const registration& b) { return place(a) < place(b); });
    return out;
}

result<void> registration_service::send_link_again(const actor& who, std::string_view event_id,
                                                   std::string_view email, instant now) {
    const auto address = normalize_email(email);
    if (!plausible_email(address))
        return invalid_field("email", field_rule::format, "is not a valid email address");
    auto uow = db_.begin(access::write);
    auto owner = held_visible_event(*uow, who, event_id);
    if (!owner) return owner.error();
    const auto& e = *owner;
    const auto found = uow->registrations().active_by_email(e.id, address);
    if (!found) return {};
    const auto& r = *found;
    const auto sent = uow->outbox().for_registration(r.id);
    if (std::any_of(sent.begin(), sent.end(), [&](const outbox_message& m) {
            return m.kind == message_kind::registration_link && m.created_at > now - link_interval;
        }))
        return {}; // one is on its way already
    auto m = message_to(r, e, message_kind::registration_link, now);
    m.subject = "Votre inscription : " + e.title;
    m.body = "Bonjour " + utf8_prefix(r.full_name, 100) +
             ",\n\nVous avez demandé le lien vers votre inscription à « " + e.title +
             " » : le voici, en fin de message. Il ouvre votre page, où vous retrouvez votre "
             "inscription et vos ateliers, et où vous pouvez l'annuler.\n\nSi vous n'avez rien "
             "demandé, ignorez ce message : rien n'a changé.\n\n" +
             organizers_signature(e);
    uow->outbox().enqueue(m);
    uow->commit();
    return {};
}

result<registration_file> registration_service::registration_file_of(const actor& who,
                                                                     std::string_view event_id,
                                                                     id_t registration_id) {
    auto uow = db_.begin(access::read);
    auto owner = editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    auto found = uow->registrations().find(registration_id);
    if (!found || found->event_id != owner->id)
        return not_found(rule::registration_not_found, "No such registration.");
    registration_file out{std::move(*found),
                          uow->events().questions(owner->id),
                          workshops_of(*uow, owner->id),
                          {},
                          {},
                          owner->timezone};
    out.messages = uow->outbox().for_registration(registration_id);
    out.history = uow->audit()
                      .list({"registration", std::nullopt, id_text(registration_id)}, {100, {}})
                      .items;
    return out;
}

result<registration> registration_service::undo_check_in(const actor& who, id_t id, instant now) {
    if (!who.authenticated()) return unauthenticated();
    auto uow = db_.begin(access::write);
    uow->registrations().hold_event_of(id);
    auto found = managed(*uow, minter_, who, id, std::nullopt);
    if (!found) return found.error();
    auto& [r, e] = *found;
    if (!r.checked_in_at)
        return conflict(rule::no_check_in_to_undo, "There is no check-in to undo.");
    uow->registrations().undo_check_in(r.id, now);
    uow->outbox().drop_pending_for_registration(message_kind::certificate_ready, r.id);
    record_change(uow->audit(), who, "undo_check_in", "registration", id_text(r.id), now,
                  "check-in of " + format_utc(*r.checked_in_at) + " undone");
    auto changed = *uow->registrations().find(r.id);
    uow->commit();
    return changed;
}

result<registration> registration_service::check_in(const actor& who, id_t id, instant now) {
    if (!who.authenticated()) return unauthenticated();
    auto uow = db_.begin(access::write);
    uow->registrations().hold_event_of(id);
    auto found = managed(*uow, minter_, who, id, std::nullopt);
    if (!found) return found.error();
    auto& [r, e] = *found;
    if (r.checked_in_at) return conflict(rule::already_checked_in, "Already checked in.");
    if (r.status != registration_status::confirmed)
        return conflict(rule::not_confirmed, "Only a confirmed registration can be checked in.");
    uow->registrations().check_in(r.id, now);
    record_change(uow->audit(), who, "check_in", "registration", id_text(r.id), now,
                  "checked in at " + format_utc(now));
    // The attendance certificate, announced when the event ends: the message waits in the
    // outbox until then (its link is the participant's page, which offers the certificate).
    if (!r.email.empty()) enqueue_certificate_notice(*uow, r, e, now);
    auto changed = *uow->registrations().find(r.id);
    uow->commit();
    return changed;
}

result<registration> registration_service::register_walk_in(const actor& who,
                                                            std::string_view event_id,
                                                            const walk_in_command& command,
                                                            instant now) {
    if (!who.authenticated()) return unauthenticated();
    validation v;
    const auto given = check_text(v, "given_name", command.given_name, 1, 100);
    const auto family = check_text(v, "family_name", command.family_name, 1, 100);
    const auto organization = check_optional_text(v, "organization", command.organization, 200);
    std::string email;
    if (command.email && !trim(*command.email).empty()) {
        email = normalize_email(*command.email);
        if (!plausible_email(email))
            v.fail("email", field_rule::format, "is not a valid email address");
    }
    if (!v.ok()) return v.error();
    // Secrets no one holds: the organizers reach the registration by their role; a person with
    // an address gets the link of their page by email.
    registration row;
    row.given_name = given;
    row.family_name = family;
    row.full_name = given + " " + family;
    row.email = email;
    row.organization = organization;
    auto draft = new_receipt(std::move(row)).registration;
    auto uow = db_.begin(access::write);
    auto owner = held_editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    const auto& e = *owner;
    if (e.status == event_status::cancelled)
        return conflict(rule::event_cancelled, "The event is cancelled.");
    if (e.status != event_status::published)
        return conflict(rule::event_not_published, "The event is not published yet.");
    if (!command.beyond_capacity && !event_has_seat(*uow, e))
        return conflict(rule::event_full,
                        "The event is full; confirm to register this person on the spot beyond "
                        "its capacity.");
    draft.event_id = e.id;
    draft.status = registration_status::confirmed;
    draft.created_at = draft.updated_at = now;
    auto inserted = uow->registrations().insert(draft);
    if (!inserted) return inserted.error();
    draft.id = inserted->id;
    uow->registrations().check_in(draft.id, now);
    draft.checked_in_at = now;
    notify(*uow, message_kind::registration_confirmed, draft, e, now);
    if (!email.empty()) enqueue_certificate_notice(*uow, draft, e, now);
    announce(*uow, "registration.created", e.id, draft.id, now);
    record_change(uow->audit(), who, "register_walk_in", "registration", id_text(draft.id), now,
                  std::string("registered and checked in at the door") +
                      (command.beyond_capacity ? ", beyond capacity" : ""));
    auto made = *uow->registrations().find(draft.id);
    uow->commit();
    if (seats_) seats_->seats_changed(e.id);
    return made;
}

void registration_service::enqueue_certificate_notice(unit_of_work& uow, const registration& r,
                                                      const event& e, instant now) {
    auto m = message_to(r, e, message_kind::certificate_ready, now);
    m.next_attempt_at = e.ends_at && *e.ends_at > now ? *e.ends_at : now;
    m.subject = "Votre attestation de présence : " + e.title;
    m.body = "Bonjour " + utf8_prefix(r.full_name, 100) + ",\n\nMerci de votre venue à « " +
             e.title +
             " ». Votre attestation de présence est disponible sur votre page d'inscription.\n\n" +
             organizers_signature(e);
    uow.outbox().enqueue(m);
}

result<registration_stats> registration_service::event_stats(const actor& who,
                                                             std::string_view event_id) {
    auto uow = db_.begin(access::read);
    auto owner = editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    auto stats = uow->registrations().stats(owner->id);
    stats.capacity = owner->capacity;
    stats.answers = with_every_option(uow->events().questions(owner->id),
                                      uow->registrations().counted_answers(owner->id));
    return stats;
}

result<std::vector<registrations_on_day>>
registration_service::registrations_per_day(const actor& who, std::string_view event_id) {
    auto uow = db_.begin(access::read);
    auto owner = editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    const auto times = uow->registrations().registration_times(owner->id);
    std::vector<registrations_on_day> out;
    if (times.empty()) return out;
    const auto [first, last] = std::minmax_element(times.begin(), times.end());
    // Every day from the first to the last, counted at noon of each date in the zone.
    for (auto day = start_of_local_date(local_date(*first, owner->timezone), owner->timezone);
         day && *day <= *last;
         day = start_of_local_date(local_date(*day + std::chrono::hours{36}, owner->timezone),
                                   owner->timezone))
        out.push_back({local_date(*day + std::chrono::hours{12}, owner->timezone), 0});
    for (const auto at : times) {
        const auto date = local_date(at, owner->timezone);
        const auto it = std::lower_bound(
            out.begin(), out.end(), date,
            [](const registrations_on_day& d, const std::string& text) { return d.date < text; });
        if (it != out.end() && it->date == date) ++it->count;
    }
    return out;
}

result<std::vector<registration>> registration_service::my_registrations(const actor& who) {
    if (auto allowed = require(who, capability::read_own_account); !allowed) return allowed.error();
    auto uow = db_.begin(access::read);
    const auto me = uow->accounts().find(*who.account_id);
    if (!me) return unauthenticated();
    return uow->registrations().for_person(me->id, proven_email(*me));
}

// The feed key is derived from the manage token, one way: whoever holds the manage token (the
// participant's page) can show the calendar link again, while the stored digests reveal neither
// and the feed key, which calendar clients keep in their subscriptions, cannot be turned back
// into the manage token.
std::string registration_service::derive_feed_key(std::string_view manage_token) {
    return minter_.digest("calendar feed\n" + std::string(manage_token));
}

std::optional<std::string> registration_service::feed_key_for(const registration& r,
                                                              std::string_view manage_token) {
    auto key = derive_feed_key(manage_token);
    if (minter_.digest(key) != r.feed_digest) return std::nullopt;
    return key;
}

result<event_availability>
registration_service::availability(const actor& who, std::string_view event_id, instant now) {
    auto uow = db_.begin(access::read);
    auto owner = visible_event(*uow, who, event_id);
    if (!owner) return owner.error();
    event_availability out;
    out.window = window_of(*owner, now);
    out.capacity = owner->capacity;
    out.confirmed = uow->registrations().count_confirmed(owner->id);
    out.waitlisted = uow->registrations().count_waitlisted(owner->id);
    for (const auto& s : uow->sessions().list_for_event(owner->id))
        if (s.capacity)
            out.session_confirmed[s.id] = uow->registrations().count_session_confirmed(s.id);
    return out;
}

result<registration>
registration_service::update_registration(const actor& who, id_t id,
                                          std::optional<std::string_view> manage_token,
                                          const registration_patch& patch, instant now) {
    validation v;
    if (patch.session_ids && patch.session_ids->size() > 50)
        v.fail("session_ids", field_rule::count, "must hold at most 50 sessions");
    std::optional<std::optional<std::string>> organization;
    if (patch.organization)
        organization = check_optional_text(v, "organization", *patch.organization, 200);
    if (!v.ok()) return v.error();
    auto uow = db_.begin(access::write);
    uow->registrations().hold_event_of(id);
    auto found = managed(*uow, minter_, who, id, manage_token);
    if (!found) return found.error();
    auto& [r, e] = *found;
    if (!r.active())
        return conflict(rule::registration_cancelled, "The registration is cancelled.");
    if (e.starts_at && now >= *e.starts_at)
        return conflict(rule::event_started, "The event has already started.");
    // Answers given replace those of the same questions; the whole set is checked again, so a
    // required answer cannot be taken away.
    std::optional<std::vector<stored_answer>> answers;
    if (patch.answers) {
        answer_map merged = patch.replace_answers ? answer_map{} : r.answers;
        for (const auto& [code, value] : *patch.answers)
            merged[code] = value;
        const auto questions = uow->events().questions(e.id);
        auto checked = check_answers(questions, merged);
        if (!checked) return checked.error();
        answers = stored_answers(questions, *checked);
    }
    if (patch.session_ids) {
        auto named = sessions_named(*uow, e, *patch.session_ids);
        if (!named) return named.error();
        std::set<id_t> wanted;
        std::vector<session> added;
        for (const auto& s : *named) {
            wanted.insert(s.id);
            const bool held =
                std::any_of(r.sessions.begin(), r.sessions.end(), [&](const auto& seat) {
                    return seat.session_id == s.id && seat.status != registration_status::cancelled;
                });
            if (!held) added.push_back(s);
        }
        // Dropped workshops first, so that their seats go to those waiting before anyone new.
        for (const auto& seat : r.sessions) {
            if (seat.status == registration_status::cancelled || wanted.count(seat.session_id))
                continue;
            uow->registrations().set_seat_status(r.id, seat.session_id,
                                                 registration_status::cancelled);
            if (seat.status == registration_status::confirmed)
                if (const auto s = uow->sessions().find(e.id, seat.session_id))
                    promote_session_waitlist(*uow, e, *s, now);
        }
        for (const auto& s : added) {
            const bool seat =
                r.status == registration_status::confirmed && session_has_seat(*uow, s);
            uow->registrations().put_seat(r.id, s.id,
                                          seat ? registration_status::confirmed
                                               : registration_status::waitlisted);
        }
    }
    if (answers) uow->registrations().put_answers(r.id, e.id, *answers);
    if (organization) uow->registrations().set_organization(r.id, *organization, now);
    if (!manage_token || minter_.digest(*manage_token) != r.manage_digest)
        record_change(uow->audit(), who, "update_registration", "registration", id_text(r.id), now,
                      "registration changed by the organizer");
    auto changed = *uow->registrations().find(r.id);
    uow->commit();
    if (seats_ && patch.session_ids) seats_->seats_changed(e.id);
    return changed;
}

std::string announcement_text(const std::string& full_name, const std::string& body,
                              const event& e) {
    return "Bonjour " + utf8_prefix(full_name, 100) + ",\n\n" + trim(body) +
           "\n\n— L'équipe d'organisation de « " + e.title + " »\n\n" + organizers_signature(e);
}

namespace {

// The statuses an announcement goes to: confirmed and waitlisted (both when none is given).
std::vector<registration_status> announcement_statuses(validation& v,
                                                       const std::vector<std::string>& given) {
    std::vector<registration_status> out;
    for (std::size_t i = 0; i < given.size(); ++i) {
        const auto s = parse_registration_status(given[i]);
        if (!s || *s == registration_status::cancelled)
            v.fail("statuses[" + std::to_string(i) + "]", field_rule::choice,
                   "must be confirmed or waitlisted");
        else if (std::find(out.begin(), out.end(), *s) == out.end())
            out.push_back(*s);
    }
    if (given.empty()) out = {registration_status::confirmed, registration_status::waitlisted};
    return out;
}

std::vector<registration> recipients_of(unit_of_work& uow, id_t event_id,
                                        const std::vector<registration_status>& statuses) {
    auto rows = uow.registrations().active_for_event(event_id);
    std::erase_if(rows, [&](const registration& r) {
        return r.email.empty() ||
               std::find(statuses.begin(), statuses.end(), r.status) == statuses.end();
    });
    return rows;
}

} // namespace

result<int> registration_service::send_announcement(const actor& who, std::string_view event_id,
                                                    const announcement_command& command,
                                                    instant now) {
    validation v;
    const auto subject = check_text(v, "subject", command.subject, 1, 200);
    const auto body = check_text(v, "body", command.body, 1, 10'000, true);
    const auto statuses = announcement_statuses(v, command.statuses);
    if (!v.ok()) return v.error();
    auto uow = db_.begin(access::write);
    auto owner = held_editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    const auto& e = *owner;
    if (auto refused = registrants_mail_refused(*uow, e.id, now)) return *refused;
    const auto recipients = recipients_of(*uow, e.id, statuses);
    for (const auto& r : recipients) {
        auto m = message_to(r, e, message_kind::announcement, now);
        m.subject = subject;
        m.body = announcement_text(r.full_name, body, e);
        uow->outbox().enqueue(m);
    }
    uow->events().record_announcement({0, e.id, subject, body, statuses,
                                       static_cast<int>(recipients.size()), who.account_id, now});
    record_change(uow->audit(), who, "announce", "event", id_text(e.id), now,
                  "announcement \"" + subject + "\" to " + std::to_string(recipients.size()) +
                      " registrations");
    uow->commit();
    return static_cast<int>(recipients.size());
}

result<int> registration_service::announcement_recipients(const actor& who,
                                                          std::string_view event_id,
                                                          const std::vector<std::string>& given) {
    validation v;
    const auto statuses = announcement_statuses(v, given);
    if (!v.ok()) return v.error();
    auto uow = db_.begin(access::read);
    auto owner = editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    const auto counts = uow->registrations().stats(owner->id);
    int n = 0;
    for (const auto s : statuses)
        n += s == registration_status::confirmed ? counts.confirmed : counts.waitlisted;
    return n;
}

result<badge_sheet> registration_service::badges(const actor& who, std::string_view event_id) {
    auto uow = db_.begin(access::read);
    auto owner = editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    // In the repository's order: by family name, then given name (name_sort_key).
    badge_sheet out{*owner, {}};
    for (const auto& r : uow->registrations().active_for_event(owner->id))
        if (r.status == registration_status::confirmed)
            out.badges.push_back({r.id,
                                  r.family_name && r.given_name
                                      ? *r.given_name + " " + french_upper(*r.family_name)
                                      : r.full_name,
                                  r.organization});
    return out;
}

result<attendance_certificate>
registration_service::certificate(const actor& who, id_t id,
                                  std::optional<std::string_view> manage_token, instant now) {
    auto uow = db_.begin(access::read);
    auto found = managed(*uow, minter_, who, id, manage_token);
    if (!found) return found.error();
    auto& [r, e] = *found;
    if (!r.checked_in_at || r.status != registration_status::confirmed)
        return conflict(rule::not_checked_in,
                        "Only a registration checked in at the event has a certificate.");
    if (!e.ends_at || now < *e.ends_at)
        return conflict(rule::event_not_over,
                        "The certificate is issued once the event has ended.");
    attendance_certificate out{r, e, {}, {}, now};
    for (auto& s : uow->sessions().list_for_event(e.id)) {
        const bool open_to_all = !s.capacity;
        const bool seated =
            std::any_of(r.sessions.begin(), r.sessions.end(), [&](const auto& seat) {
                return seat.session_id == s.id && seat.status == registration_status::confirmed;
            });
        if (open_to_all || seated) out.sessions.push_back(std::move(s));
    }
    std::sort(out.sessions.begin(), out.sessions.end(),
              [](const session& a, const session& b) { return a.starts_at < b.starts_at; });
    for (const auto account_id : e.organizer_ids)
        if (const auto a = uow->accounts().find(account_id))
            out.organizers.push_back(a->display_name);
    return out;
}

result<std::vector<question>> registration_service::questions(const actor& who,
                                                              std::string_view event_id) {
    auto uow = db_.begin(access::read);
    auto owner = visible_event(*uow, who, event_id);
    if (!owner) return owner.error();
    return uow->events().questions(owner->id);
}

result<std::vector<question>>
registration_service::replace_questions(const actor& who, std::string_view event_id,
                                        const std::vector<question_fields>& wanted, instant now) {
    auto uow = db_.begin(access::write);
    auto owner = held_editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    const auto counts = uow->registrations().stats(owner->id);
    const bool has_registrations = counts.confirmed + counts.waitlisted + counts.cancelled > 0;
    auto checked = check_questions(wanted, uow->events().questions(owner->id),
                                   uow->registrations().answered(owner->id), has_registrations);
    if (!checked) return checked.error();
    uow->events().replace_questions(owner->id, *checked);
    record_change(uow->audit(), who, "replace_questions", "event", id_text(owner->id), now,
                  std::to_string(checked->size()) + " questions");
    uow->commit();
    if (seats_) seats_->agenda_changed(owner->id); // the registration form shows them
    return checked;
}

std::optional<personal_calendar> calendar_in(unit_of_work& uow, const registration& r) {
    auto e = uow.events().find(r.event_id);
    if (!e) return std::nullopt;
    personal_calendar out{r, {*e, {}, {}}};
    std::set<id_t> speaker_ids;
    for (const auto& seat : r.sessions) {
        if (seat.status != registration_status::confirmed) continue;
        if (auto s = uow.sessions().find(e->id, seat.session_id)) {
            speaker_ids.insert(s->speaker_ids.begin(), s->speaker_ids.end());
            out.agenda.sessions.push_back(std::move(*s));
        }
    }
    std::sort(out.agenda.sessions.begin(), out.agenda.sessions.end(),
              [](const session& a, const session& b) { return a.starts_at < b.starts_at; });
    out.agenda.speakers = uow.speakers().find_many({speaker_ids.begin(), speaker_ids.end()});
    return out;
}

result<personal_calendar> registration_service::calendar(id_t id, std::string_view feed_key) {
    auto uow = db_.begin(access::read);
    auto found = uow->registrations().find(id);
    if (!found || !found->active() || feed_key.empty() ||
        minter_.digest(feed_key) != found->feed_digest)
        return not_found(rule::calendar_not_found, "No such calendar.");
    auto out = calendar_in(*uow, *found);
    if (!out) return not_found(rule::calendar_not_found, "No such calendar.");
    return *out;
}

} // namespace rencontres
