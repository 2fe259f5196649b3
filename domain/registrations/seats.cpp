#include "domain/registrations/seats.hpp"

#include "domain/agenda/repository.hpp"
#include "domain/common/french.hpp"
#include "domain/common/text.hpp"
#include "domain/common/zone.hpp"
#include "domain/events/repository.hpp"
#include "domain/notifications/repository.hpp"
#include "domain/registrations/repository.hpp"
#include "domain/store.hpp"
#include "domain/webhooks/service.hpp"

namespace rencontres {
namespace {

bool started(const event& e, instant now) {
    return e.starts_at && now >= *e.starts_at;
}

std::string when(const event& e) {
    if (!e.starts_at || !e.ends_at) return "date à venir";
    return french_span(*e.starts_at, *e.ends_at, e.timezone);
}

} // namespace

registration_window window_of(const event& e, instant now) {
    if (e.status == event_status::draft) return registration_window::not_published;
    if (e.status == event_status::cancelled) return registration_window::cancelled;
    if (started(e, now)) return registration_window::started;
    if (e.registration_opens_at && now < *e.registration_opens_at)
        return registration_window::not_yet_open;
    if (e.registration_closes_at && now >= *e.registration_closes_at)
        return registration_window::closed;
    return registration_window::open;
}

bool seat_free(const event& e, int confirmed) {
    return !e.capacity || confirmed < *e.capacity;
}

bool event_has_seat(unit_of_work& uow, const event& e) {
    return seat_free(e, uow.registrations().count_confirmed(e.id));
}

bool session_has_seat(unit_of_work& uow, const session& s) {
    return !s.capacity || uow.registrations().count_session_confirmed(s.id) < *s.capacity;
}

int promote_from_waitlist(unit_of_work& uow, const event& e, instant now) {
    if (started(e, now) || e.status != event_status::published) return 0;
    int promoted = 0;
    while (event_has_seat(uow, e)) {
        const auto next = uow.registrations().first_waitlisted(e.id);
        if (!next) break;
        uow.registrations().set_status(*next, registration_status::confirmed, now);
        const auto r = *uow.registrations().find(*next);
        notify(uow, message_kind::waitlist_promoted, r, e, now);
        announce(uow, "registration.promoted", e.id, r.id, now);
        ++promoted;
        // Its places in workshop lists are kept: a seat free there goes to whoever is first on
        // that list with an event seat, which may be someone who joined the list before them.
        for (const auto& seat : r.sessions)
            if (seat.status == registration_status::waitlisted)
                if (const auto s = uow.sessions().find(e.id, seat.session_id))
                    promote_session_waitlist(uow, e, *s, now);
    }
    return promoted;
}

int promote_session_waitlist(unit_of_work& uow, const event& e, const session& s, instant now) {
    if (started(e, now) || e.status != event_status::published) return 0;
    int promoted = 0;
    while (session_has_seat(uow, s)) {
        const auto next = uow.registrations().first_waitlisted_seat(s.id);
        if (!next) break;
        uow.registrations().set_seat_status(*next, s.id, registration_status::confirmed);
        const auto r = *uow.registrations().find(*next);
        notify(uow, message_kind::waitlist_promoted, r, e, now, "Atelier : " + s.title);
        ++promoted;
    }
    return promoted;
}

std::optional<domain_error> registrants_mail_refused(unit_of_work& uow, id_t event_id,
                                                     instant now) {
    const auto sent = uow.events().announcements_since(event_id, now - std::chrono::hours{24});
    if (sent.size() < static_cast<std::size_t>(announcements_per_day)) return std::nullopt;
    domain_error refused{errc::rate_limited, rule::too_many_announcements,
                         "The registrants were already written to 5 times in 24 hours "
                         "(announcements and changes of date or place); try again later."};
    refused.retry_after_seconds = std::max<std::int64_t>(
        1, std::chrono::duration_cast<std::chrono::seconds>(
               sent[sent.size() - announcements_per_day] + std::chrono::hours{24} - now)
               .count());
    return refused;
}

outbox_message message_to(const registration& r, const event& e, message_kind kind, instant now) {
    outbox_message m;
    m.kind = kind;
    m.recipient = r.email;
    m.registration_id = r.id;
    m.created_at = m.next_attempt_at = now;
    m.reply_to = e.contact_email;
    return m;
}

std::string organizers_signature(const event& e) {
    return "Ce message vous est envoyé par Rencontres au nom de l'équipe d'organisation de « " +
           e.title + " »." +
           (e.contact_email
                ? " Pour lui écrire, répondez à ce message ou écrivez à " + *e.contact_email + "."
                : std::string());
}

namespace {

// The workshops a registration holds or waits for, a line each, for its confirmation.
std::string workshops_text(unit_of_work& uow, const registration& r, const event& e) {
    if (r.sessions.empty()) return {};
    std::string out;
    const auto sessions = uow.sessions().list_for_event(e.id);
    for (const auto& seat : r.sessions) {
        if (seat.status == registration_status::cancelled) continue;
        const auto s = std::find_if(sessions.begin(), sessions.end(),
                                    [&](const session& x) { return x.id == seat.session_id; });
        if (s == sessions.end()) continue;
        out += "\n- " + s->title + " (" + french_span(s->starts_at, s->ends_at, e.timezone) +
               (s->room ? ", " + *s->room : std::string()) + ") : " +
               (seat.status == registration_status::confirmed
                    ? std::string("place confirmée")
                    : "liste d'attente" +
                          (seat.waitlist_position
                               ? " (position " + std::to_string(*seat.waitlist_position) + ")"
                               : std::string()));
    }
    return out.empty() ? out : "\n\nVos ateliers :" + out;
}

} // namespace

void notify(unit_of_work& uow, message_kind kind, const registration& r, const event& e,
            instant now, const std::string& extra, std::optional<instant> due) {
    if (r.email.empty()) return; // registered at the door without an address
    auto m = message_to(r, e, kind, now);
    m.next_attempt_at = due.value_or(now);
    // The name is the registrant's own words, sent to an address of their choice: it only ever
    // follows the fixed greeting, cut to 100 characters.
    const std::string greeting = "Bonjour " + utf8_prefix(r.full_name, 100) + ",\n\n";
    std::string place = e.venue.name;
    if (!e.venue.city.empty()) place += (place.empty() ? "" : ", ") + e.venue.city;
    const std::string about = e.title + ", " + when(e) + (place.empty() ? "" : ", " + place);
    switch (kind) {
    case message_kind::registration_confirmed:
        m.subject = "Inscription confirmée : " + e.title;
        m.body = greeting + "Votre inscription est confirmée pour " + about + "." +
                 workshops_text(uow, r, e);
        break;
    case message_kind::registration_waitlisted:
        m.subject = "Liste d'attente : " + e.title;
        m.body = greeting + "L'événement " + about +
                 " est complet. Vous êtes en liste d'attente (position " +
                 std::to_string(r.waitlist_position.value_or(0)) +
                 ") et serez prévenu·e si une place se libère.";
        break;
    case message_kind::waitlist_promoted:
        m.subject = "Une place s'est libérée : " + e.title;
        m.body = greeting + "Une place s'est libérée : votre inscription est confirmée pour " +
                 about + "." + workshops_text(uow, r, e);
        break;
    case message_kind::registration_cancelled:
        m.subject = "Inscription annulée : " + e.title;
        m.body = greeting + "Votre inscription à " + about + " est annulée.";
        break;
    case message_kind::event_cancelled:
        m.subject = "Événement annulé : " + e.title;
        m.body = greeting + "L'événement " + about + " est annulé." +
                 (e.cancel_reason ? " Motif : " + *e.cancel_reason : std::string());
        break;
    case message_kind::event_changed:
        m.subject = "Changement pour " + e.title;
        m.body = greeting + "L'équipe d'organisation a modifié la rencontre à laquelle vous êtes " +
                 "inscrit·e. Désormais : " + about + ".";
        break;
    case message_kind::account_verification:
    case message_kind::candidacy_received:
    case message_kind::award_announced:
    case message_kind::webhook_disabled:
    case message_kind::announcement:
    case message_kind::certificate_ready:
    case message_kind::organizer_added:
    case message_kind::registration_link:
    case message_kind::account_invitation:
    case message_kind::password_reset:
        return; // about an account, written by its own service; never about a registration
    }
    if (!extra.empty()) m.body += "\n\n" + extra;
    m.body += "\n\n" + organizers_signature(e) +
              " Si vous n'êtes pas à l'origine de cette inscription, le lien « Signaler une "
              "inscription que je n'ai pas faite », en fin de message, l'annule : plus aucun "
              "message ne vous sera envoyé pour cette rencontre.";
    uow.outbox().enqueue(m);
}

} // namespace rencontres
