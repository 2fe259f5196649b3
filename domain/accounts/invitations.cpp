#include "domain/accounts/invitations.hpp"

#include "domain/accounts/repository.hpp"
#include "domain/accounts/service.hpp"
#include "domain/agenda/observer.hpp"
#include "domain/audit/service.hpp"
#include "domain/common/text.hpp"
#include "domain/events/repository.hpp"
#include "domain/events/service.hpp"
#include "domain/notifications/repository.hpp"
#include "domain/store.hpp"

namespace rencontres {
namespace {

domain_error link_refused() {
    return invalid_field("token", field_rule::link_expired,
                         "is not a valid invitation link: it is unknown, was already used, was "
                         "withdrawn or has expired. Ask the person who invited you for a new one.");
}

// What the invited person will do, in the message's words.
std::string_view role_words(role r) {
    switch (r) {
    case role::organizer:
        return "pour organiser des rencontres";
    case role::jury:
        return "comme membre du jury du label « Territoires innovants »";
    case role::admin:
        return "pour l'administrer";
    case role::participant:
        break;
    }
    return "pour vous inscrire aux rencontres et suivre vos inscriptions";
}

bool may_organize(role r) {
    return r == role::organizer || r == role::admin;
}

} // namespace

result<invitation> invitation_service::invite(const actor& who, const invitation_command& command,
                                              instant now) {
    if (!who.authenticated()) return unauthenticated();
    const bool admin = who.role == role::admin;
    if (!admin && !(who.role == role::organizer && command.event_id))
        return forbidden(rule::not_allowed,
                         "Only admins invite accounts; an event's organizers invite its "
                         "co-organizers (with its event_id).");
    const auto email = normalize_email(command.email);
    const auto name = trim(command.display_name);
    validation v;
    if (!plausible_email(email))
        v.fail("email", field_rule::format, "is not a valid email address");
    check_display_name(v, name);
    const auto r = parse_role(command.role);
    if (!r)
        v.fail("role", field_rule::choice, "must be one of participant, organizer, jury, admin");
    else if (command.event_id && *r != role::organizer)
        v.fail("role", field_rule::not_eligible,
               "must be organizer to co-organize an event (event_id)");
    if (!v.ok()) return v.error();

    if (command.event_id) {
        // Rights on the event first: its organizers and admins (others are told it is not theirs,
        // or that it does not exist, as on every route of the event).
        const auto listed = events_.organizers(who, id_text(*command.event_id));
        if (!listed) return listed.error();
    }

    std::optional<account> existing;
    {
        auto uow = db_.begin(access::read);
        existing = uow->accounts().find_by_email(email);
    }
    if (existing) {
        if (command.event_id && may_organize(existing->role)) {
            const auto added =
                events_.add_organizer(who, id_text(*command.event_id), existing->id, now);
            if (!added) return added.error();
            return conflict(rule::organizer_added_directly,
                            "This email already has an account that may organize: it was added "
                            "to the event's organizers directly.");
        }
        return conflict(rule::email_taken, "An account with this email already exists.");
    }

    const auto token = minter_.mint();
    invitation draft{0,         minter_.digest(token), email,          name,
                     *r,        command.event_id,      who.account_id, now,
                     now + ttl_};
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::invitations);
    // One invitation at a time to an address for the same purpose: a second is a resend.
    for (const auto& each : uow->accounts().invitations_to(email))
        if (each.event_id == command.event_id) {
            if (each.expires_at > now)
                return conflict(rule::invitation_pending,
                                "An invitation to this email is already waiting for an answer; "
                                "send it again instead.");
            uow->accounts().delete_invitation(each.id);
        }
    const auto stored = uow->accounts().insert_invitation(draft);
    send(*uow, stored, token, who.account_id);
    record_change(uow->audit(), who, "invite_account", "invitation", id_text(stored.id), now,
                  "role " + std::string(to_string(*r)) +
                      (command.event_id ? "; event " + id_text(*command.event_id) : ""));
    uow->commit();
    return stored;
}

void invitation_service::send(unit_of_work& uow, const invitation& sent, std::string_view token,
                              const std::optional<id_t>& sender) {
    const auto by = sender ? uow.accounts().find(*sender) : std::nullopt;
    const auto event = sent.event_id ? uow.events().find(*sent.event_id) : std::nullopt;
    outbox_message m;
    m.kind = message_kind::account_invitation;
    m.recipient = sent.email;
    m.created_at = m.next_attempt_at = sent.created_at;
    const std::string who =
        by ? by->display_name + " (" + by->email + ")" : "L'équipe de Rencontres";
    if (event) {
        m.subject = "Invitation à co-organiser « " + event->title + " »";
        m.body = "Bonjour " + sent.display_name + ",\n\n" + who +
                 " vous invite à co-organiser la rencontre « " + event->title +
                 " » sur Rencontres.";
    } else {
        m.subject = "Invitation à rejoindre Rencontres";
        m.body = "Bonjour " + sent.display_name + ",\n\n" + who +
                 " vous invite à rejoindre Rencontres " + std::string(role_words(sent.role)) + ".";
    }
    m.body += "\n\nLe lien ci-dessous, valable " +
              std::to_string(std::chrono::duration_cast<std::chrono::hours>(ttl_).count() / 24) +
              " jours et une seule fois, vous permet de choisir votre mot de passe : votre compte "
              "sera alors prêt.\n\nSi vous ne connaissez pas cette personne, ignorez ce message : "
              "sans ce lien, aucun compte n'est créé.";
    m.sealed_token = sealer_.seal(token);
    uow.outbox().enqueue(m);
}

result<invitation> invitation_service::visible(unit_of_work& uow, const actor& who, id_t id) {
    if (!who.authenticated()) return unauthenticated();
    if (who.role != role::admin && who.role != role::organizer) return forbidden();
    auto found = uow.accounts().find_invitation(id);
    // Another organizer's invitation does not exist for the caller.
    if (!found || (who.role != role::admin && found->invited_by != who.account_id))
        return not_found(rule::invitation_not_found, "No such invitation.");
    return *found;
}

result<page<invitation>> invitation_service::list(const actor& who, const page_request& request) {
    if (!who.authenticated()) return unauthenticated();
    if (who.role != role::admin && who.role != role::organizer) return forbidden();
    auto uow = db_.begin(access::read);
    return uow->accounts().list_invitations(who.role == role::admin ? std::nullopt : who.account_id,
                                            request);
}

result<invitation> invitation_service::resend(const actor& who, id_t id, instant now) {
    const auto token = minter_.mint();
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::invitations);
    auto found = visible(*uow, who, id);
    if (!found) return found;
    found->digest = minter_.digest(token);
    found->created_at = now;
    found->expires_at = now + ttl_;
    uow->accounts().renew_invitation(*found);
    send(*uow, *found, token, who.account_id);
    record_change(uow->audit(), who, "resend_invitation", "invitation", id_text(id), now,
                  "new link");
    uow->commit();
    return found;
}

result<void> invitation_service::withdraw(const actor& who, id_t id, instant now) {
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::invitations);
    const auto found = visible(*uow, who, id);
    if (!found) return found.error();
    uow->accounts().delete_invitation(id);
    record_change(uow->audit(), who, "withdraw_invitation", "invitation", id_text(id), now,
                  "withdrawn");
    uow->commit();
    return {};
}

result<invitation_preview> invitation_service::preview(std::string_view token, instant now) {
    if (token.empty() || token.size() > 256) return link_refused();
    auto uow = db_.begin(access::read);
    const auto found = uow->accounts().find_invitation_by_digest(minter_.digest(token));
    if (!found || found->expires_at <= now) return link_refused();
    invitation_preview out{found->email, found->display_name, found->role, std::nullopt};
    if (found->event_id)
        if (const auto e = uow->events().find(*found->event_id)) out.event_title = e->title;
    return out;
}

result<account> invitation_service::accept(const acceptance& given, instant now) {
    if (given.token.empty() || given.token.size() > 256) return link_refused();
    validation v;
    check_new_password(v, given.password);
    std::optional<std::string> name;
    if (given.display_name) {
        name = trim(*given.display_name);
        check_display_name(v, *name);
    }
    const auto digest = minter_.digest(given.token);
    {
        // A link that does not open is said before the password's quality, and before hashing.
        auto uow = db_.begin(access::read);
        const auto found = uow->accounts().find_invitation_by_digest(digest);
        if (!found || found->expires_at <= now) return link_refused();
    }
    if (!v.ok()) return v.error();
    // Hashed outside the write: argon2id is deliberately slow.
    const auto hash = hasher_.hash(given.password);

    auto uow = db_.begin(access::write);
    uow->take_turn(turn::invitations);
    const auto found = uow->accounts().find_invitation_by_digest(digest);
    if (!found || found->expires_at <= now) return link_refused(); // used meanwhile
    account draft{0,    found->email, name.value_or(found->display_name), found->role, now, now,
                  hash, true};
    auto created = uow->accounts().insert(draft);
    if (!created) return created; // an account was made with the address meanwhile
    const actor holder{created->id, created->role};
    std::vector<id_t> organized;
    // Every invitation to the address is answered by this account: the events it was invited to
    // co-organize (by anyone) are its own now, as long as its role may organize.
    for (const auto& each : uow->accounts().invitations_to(found->email)) {
        if (each.event_id && each.expires_at > now && may_organize(created->role))
            if (const auto e = uow->events().find(*each.event_id);
                e && !e->organized_by(created->id)) {
                uow->events().add_organizer(e->id, created->id);
                record_change(uow->audit(), holder, "add_organizer", "event", id_text(e->id), now,
                              "account " + id_text(created->id) + " by invitation");
                organized.push_back(e->id);
            }
        uow->accounts().delete_invitation(each.id);
    }
    record_change(uow->audit(), holder, "accept_invitation", "account", id_text(created->id), now,
                  "invitation " + id_text(found->id) + "; role " +
                      std::string(to_string(created->role)));
    uow->commit();
    for (const auto id : organized)
        observer_.agenda_changed(id);
    return created;
}

} // namespace rencontres
