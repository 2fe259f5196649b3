#include "domain/events/service.hpp"

#include "domain/accounts/repository.hpp"
#include "domain/agenda/repository.hpp"
#include "domain/audit/service.hpp"
#include "domain/common/fields.hpp"
#include "domain/common/names.hpp"
#include "domain/common/text.hpp"
#include "domain/common/zone.hpp"
#include "domain/events/repository.hpp"
#include "domain/notifications/repository.hpp"
#include "domain/registrations/repository.hpp"
#include "domain/registrations/seats.hpp"
#include "domain/store.hpp"
#include "domain/webhooks/service.hpp"

#include <algorithm>
#include <array>

namespace rencontres {
namespace {

constexpr std::array<std::string_view, 3> status_names{"draft", "published", "cancelled"};

std::optional<instant> optional_instant(validation& v, const char* field,
                                        const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    return check_instant(v, field, *text);
}

// Applies the client's fields onto `target` and checks the result as a whole.
void apply(validation& v, unit_of_work& uow, const event_fields& f, event& target) {
    if (f.title) target.title = check_text(v, "title", *f.title, 1, 200);
    if (f.summary) target.summary = check_text(v, "summary", *f.summary, 0, 500, true);
    if (f.description)
        target.description = check_text(v, "description", *f.description, 0, 20'000, true);
    if (f.timezone) {
        if (known_zone(*f.timezone))
            target.timezone = *f.timezone;
        else
            v.fail("timezone", field_rule::choice, "is not a known IANA time zone");
    }
    if (f.starts_at) target.starts_at = check_instant(v, "starts_at", *f.starts_at);
    if (f.ends_at) target.ends_at = check_instant(v, "ends_at", *f.ends_at);
    if (f.venue_name) target.venue.name = check_text(v, "venue.name", *f.venue_name, 0, 200);
    if (f.venue_address)
        target.venue.address = check_text(v, "venue.address", *f.venue_address, 0, 300);
    if (f.venue_postal_code)
        target.venue.postal_code = check_text(v, "venue.postal_code", *f.venue_postal_code, 0, 10);
    if (f.venue_city) target.venue.city = check_text(v, "venue.city", *f.venue_city, 0, 100);
    if (f.host_territory_id) {
        target.host_territory_id = *f.host_territory_id;
        if (target.host_territory_id && !uow.events().territory_exists(*target.host_territory_id))
            v.fail("host_territory_id", field_rule::unknown, "is not a known territory");
    }
    if (f.capacity) {
        target.capacity.reset();
        if (*f.capacity) target.capacity = check_count(v, "capacity", **f.capacity, 0, 1'000'000);
    }
    if (f.registration_opens_at)
        target.registration_opens_at =
            optional_instant(v, "registration_opens_at", *f.registration_opens_at);
    if (f.registration_closes_at)
        target.registration_closes_at =
            optional_instant(v, "registration_closes_at", *f.registration_closes_at);
    if (f.contact_email) {
        auto email = normalize_email(*f.contact_email);
        if (plausible_email(email))
            target.contact_email = std::move(email);
        else
            v.fail("contact_email", field_rule::format, "is not a valid email address");
    }

    if (target.starts_at && target.ends_at && *target.ends_at <= *target.starts_at)
        v.fail("ends_at", field_rule::order, "must be after starts_at");
    if (target.registration_opens_at && target.registration_closes_at &&
        *target.registration_closes_at <= *target.registration_opens_at)
        v.fail("registration_closes_at", field_rule::order, "must be after registration_opens_at");
}

result<void> require_organizer_role(const actor& who) {
    return require(who, capability::organize_events);
}

std::optional<id_t> id_of(std::string_view id_or_slug) {
    return parse_id(id_or_slug);
}

} // namespace

std::string_view to_string(event_status s) {
    return name_of(status_names, s);
}

std::optional<event_status> parse_event_status(std::string_view text) {
    return parse_name<event_status>(status_names, text);
}

bool can_move(event_status from, event_status to) {
    switch (from) {
    case event_status::draft:
        return to == event_status::published; // a draft is deleted, never cancelled
    case event_status::published:
        return to == event_status::cancelled;
    case event_status::cancelled:
        return false;
    }
    return false;
}

bool event::organized_by(std::optional<id_t> account) const {
    return account &&
           std::find(organizer_ids.begin(), organizer_ids.end(), *account) != organizer_ids.end();
}

bool event::managed_by(const actor& who) const {
    if (!who.authenticated()) return false;
    if (who.role == role::admin) return true;
    return who.role == role::organizer && organized_by(who.account_id);
}

std::string slugify(std::string_view title) {
    const auto folded = search_fold(title);
    std::string slug;
    for (const char c : folded) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (keep)
            slug.push_back(c);
        else if (!slug.empty() && slug.back() != '-')
            slug.push_back('-');
        if (slug.size() >= 80) break;
    }
    while (!slug.empty() && slug.back() == '-')
        slug.pop_back();
    return slug.empty() ? "event" : slug;
}

result<event> visible_event(unit_of_work& uow, const actor& who, std::string_view id_or_slug) {
    std::optional<event> found;
    if (const auto id = id_of(id_or_slug))
        found = uow.events().find(*id);
    else if (!id_or_slug.empty() && id_or_slug.size() <= 100)
        found = uow.events().find_by_slug(id_or_slug);
    if (!found) return not_found(rule::event_not_found, "No such event.");
    if (found->status == event_status::draft && !found->managed_by(who))
        return not_found(rule::event_not_found, "No such event.");
    return *found;
}

result<event> editable_event(unit_of_work& uow, const actor& who, std::string_view id_or_slug) {
    if (!who.authenticated()) {
        // Anonymous callers learn nothing about drafts, and must sign in for the rest.
        auto seen = visible_event(uow, who, id_or_slug);
        if (!seen) return seen;
        return unauthenticated();
    }
    auto found = visible_event(uow, who, id_or_slug);
    if (!found) return found;
    if (!found->managed_by(who))
        return forbidden(rule::not_an_organizer, "Only the event's organizers may change it.");
    return found;
}

namespace {

using event_reader = result<event> (*)(unit_of_work&, const actor&, std::string_view);

// An id is held before the event is read (the turn and the read go together where reads cost a
// round trip); a slug is read, its event held, and read again if others could have written.
result<event> held_event(unit_of_work& uow, const actor& who, std::string_view id_or_slug,
                         event_reader read) {
    if (const auto id = parse_id(id_or_slug)) {
        uow.take_turn(turn::event, *id);
        return read(uow, who, id_or_slug);
    }
    auto found = read(uow, who, id_or_slug);
    if (!found || !uow.take_turn(turn::event, found->id)) return found;
    return read(uow, who, id_text(found->id));
}

} // namespace

result<event> held_visible_event(unit_of_work& uow, const actor& who, std::string_view id_or_slug) {
    return held_event(uow, who, id_or_slug, visible_event);
}

result<event> held_editable_event(unit_of_work& uow, const actor& who,
                                  std::string_view id_or_slug) {
    return held_event(uow, who, id_or_slug, editable_event);
}

result<event> event_service::create_event(const actor& who, const event_fields& fields,
                                          instant now) {
    if (auto allowed = require_organizer_role(who); !allowed) return allowed.error();
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::new_events); // the slug chosen below stays free until the insert
    validation v;
    if (!fields.title) v.fail("title", field_rule::required, "is required");
    event draft;
    apply(v, *uow, fields, draft);
    if (!v.ok()) return v.error();
    const auto base = slugify(draft.title);
    draft.slug = base;
    for (int n = 2; uow->events().slug_taken(draft.slug); ++n)
        draft.slug = base + "-" + std::to_string(n);
    draft.organizer_ids = {*who.account_id};
    if (!draft.contact_email)
        if (const auto creator = uow->accounts().find(*who.account_id))
            draft.contact_email = creator->email;
    draft.created_at = draft.updated_at = now;
    auto created = uow->events().insert(draft);
    if (!created) return created;
    record_change(uow->audit(), who, "create_event", "event", id_text(created->id), now,
                  created->title);
    uow->commit();
    return created;
}

result<event> event_service::get_event(const actor& who, std::string_view id_or_slug) {
    auto uow = db_.begin(access::read);
    return visible_event(*uow, who, id_or_slug);
}

result<event_page> event_service::list_events(const actor& who, event_filter filter) {
    // Drafts are listed to the organizers who hold the role now, and to admins.
    const bool organizes = who.role == role::organizer || who.role == role::admin;
    filter.viewer = organizes ? who.account_id : std::nullopt;
    filter.viewer_is_admin = who.role == role::admin;
    auto uow = db_.begin(access::read);
    return uow->events().list(filter);
}

result<event> event_service::update_event(const actor& who, std::string_view id,
                                          const event_fields& fields,
                                          const precondition<event>& expected, instant now) {
    auto uow = db_.begin(access::write);
    auto found = held_editable_event(*uow, who, id);
    if (!found) return found;
    if (expected && !expected(*found))
        return changed_since_read("The event has changed since it was read.");
    if (found->status == event_status::cancelled)
        return conflict(rule::event_cancelled, "A cancelled event cannot be changed.");
    event changed = *found;
    validation v;
    apply(v, *uow, fields, changed);
    if (v.ok() && changed.starts_at && changed.ends_at) {
        for (const auto& s : uow->sessions().list_for_event(changed.id)) {
            if (s.starts_at < *changed.starts_at || s.ends_at > *changed.ends_at) {
                v.fail("starts_at", field_rule::outside_event,
                       "would leave session " + id_text(s.id) + " outside the event");
                break;
            }
        }
    }
    if (!v.ok()) return v.error();
    changed.revision += 1;
    changed.updated_at = now;
    uow->events().update(changed);
    // A raised capacity fills from the waiting list; a lowered one never un-confirms anyone.
    if (changed.capacity != found->capacity) promote_from_waitlist(*uow, changed, now);
    // A published meeting that moves in time or place: every active registrant is told, once
    // for the whole change.
    const bool moved = changed.starts_at != found->starts_at || changed.ends_at != found->ends_at ||
                       changed.timezone != found->timezone ||
                       changed.venue.name != found->venue.name ||
                       changed.venue.address != found->venue.address ||
                       changed.venue.postal_code != found->venue.postal_code ||
                       changed.venue.city != found->venue.city;
    if (moved && changed.status == event_status::published) {
        // Changes within the hold (15 minutes) make one message per registrant: the first change
        // holds the messages back that long, and a later one rewrites them, due at the same time.
        // Each held batch counts against the announcements' daily limit.
        auto due = uow->outbox().pending_for_event(message_kind::event_changed, changed.id);
        const auto registrants = uow->registrations().active_for_event(changed.id);
        if (due) {
            uow->outbox().drop_pending_for_event(message_kind::event_changed, changed.id);
        } else if (!registrants.empty()) {
            if (auto refused = registrants_mail_refused(*uow, changed.id, now)) return *refused;
            due = now + change_hold_;
            uow->events().record_announcement(
                {0,
                 changed.id,
                 "Changement pour " + changed.title,
                 "(date ou lieu modifiés)",
                 {registration_status::confirmed, registration_status::waitlisted},
                 static_cast<int>(registrants.size()),
                 who.account_id,
                 now});
        }
        for (const auto& r : registrants)
            notify(*uow, message_kind::event_changed, r, changed, now, {}, due);
    }
    record_change(uow->audit(), who, "update_event", "event", id_text(changed.id), now,
                  changed.title);
    if (changed.status == event_status::published)
        announce(*uow, "event.changed", changed.id, changed.id, now);
    uow->commit();
    observer_.agenda_changed(changed.id);
    return changed;
}

result<event> event_service::publish_event(const actor& who, std::string_view id, instant now) {
    auto uow = db_.begin(access::write);
    auto found = held_editable_event(*uow, who, id);
    if (!found) return found;
    if (!can_move(found->status, event_status::published))
        return conflict(rule::event_not_draft, "Only a draft can be published.");
    validation v;
    if (found->title.empty())
        v.fail("title", field_rule::required_to_publish, "is required to publish");
    if (!found->starts_at)
        v.fail("starts_at", field_rule::required_to_publish, "is required to publish");
    if (!found->ends_at)
        v.fail("ends_at", field_rule::required_to_publish, "is required to publish");
    if (found->venue.city.empty())
        v.fail("venue.city", field_rule::required_to_publish, "is required to publish");
    if (!v.ok()) {
        auto error = v.error();
        error.message = "The event cannot be published yet.";
        return error;
    }
    event changed = *found;
    changed.status = event_status::published;
    changed.revision += 1;
    changed.updated_at = now;
    uow->events().update(changed);
    record_change(uow->audit(), who, "publish_event", "event", id_text(changed.id), now,
                  changed.title);
    announce(*uow, "event.published", changed.id, changed.id, now);
    uow->commit();
    observer_.agenda_changed(changed.id);
    return changed;
}

result<event> event_service::cancel_event(const actor& who, std::string_view id,
                                          const std::string& reason, instant now) {
    auto uow = db_.begin(access::write);
    auto found = held_editable_event(*uow, who, id);
    if (!found) return found;
    validation v;
    const auto why = check_text(v, "reason", reason, 1, 500, true);
    if (!v.ok()) return v.error();
    if (found->status == event_status::draft)
        return conflict(rule::event_is_draft,
                        "A draft cannot be cancelled: it was never public; delete it instead.");
    if (!can_move(found->status, event_status::cancelled))
        return conflict(rule::event_cancelled, "The event is already cancelled.");
    event changed = *found;
    changed.status = event_status::cancelled;
    changed.cancel_reason = why;
    changed.revision += 1;
    changed.updated_at = now;
    uow->events().update(changed);
    for (const auto& r : uow->registrations().active_for_event(changed.id))
        notify(*uow, message_kind::event_cancelled, r, changed, now);
    record_change(uow->audit(), who, "cancel_event", "event", id_text(changed.id), now, why);
    announce(*uow, "event.cancelled", changed.id, changed.id, now);
    uow->commit();
    observer_.agenda_changed(changed.id);
    return changed;
}

result<void> event_service::delete_event(const actor& who, std::string_view id, instant now) {
    auto uow = db_.begin(access::write);
    auto found = held_editable_event(*uow, who, id);
    if (!found) return found.error();
    if (found->status != event_status::draft)
        return conflict(rule::event_not_draft,
                        "Only a draft can be deleted; cancel a published event instead.");
    uow->events().remove(found->id);
    record_change(uow->audit(), who, "delete_event", "event", id_text(found->id), now,
                  found->title);
    uow->commit();
    observer_.agenda_changed(found->id);
    return {};
}

result<event> event_service::add_organizer(const actor& who, std::string_view id, id_t account_id,
                                           instant now) {
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::account, account_id); // its role, as an admin may change it meanwhile
    auto found = held_editable_event(*uow, who, id);
    if (!found) return found;
    const auto target = uow->accounts().find(account_id);
    if (!target) return not_found(rule::account_not_found, "No such account.");
    if (target->role != role::organizer && target->role != role::admin)
        return invalid_field("account_id", field_rule::not_eligible,
                             "must be an account with the organizer or admin role; ask an admin "
                             "to give it the organizer role first");
    if (found->organized_by(account_id)) return found;
    uow->events().add_organizer(found->id, account_id);
    found->organizer_ids.push_back(account_id);
    record_change(uow->audit(), who, "add_organizer", "event", id_text(found->id), now,
                  "account " + id_text(account_id));
    // The person added is told, by whom: nobody is made to share an event unawares.
    outbox_message m;
    m.kind = message_kind::organizer_added;
    m.recipient = target->email;
    m.account_id = target->id;
    m.created_at = m.next_attempt_at = now;
    m.subject = "Vous organisez désormais « " + found->title + " »";
    const auto by = who.account_id ? uow->accounts().find(*who.account_id) : std::nullopt;
    m.body = "Bonjour,\n\n" +
             (by ? by->display_name + " (" + by->email + ")" : "L'administration du réseau") +
             " vous a ajouté·e à l'équipe d'organisation de la rencontre « " + found->title +
             " ». Vous la retrouvez dans votre espace de gestion de Rencontres.\n\nSi vous ne "
             "deviez pas l'organiser, répondez à la personne qui vous a ajouté.";
    uow->outbox().enqueue(m);
    uow->commit();
    observer_.agenda_changed(found->id);
    return found;
}

result<event> event_service::add_organizer_by_email(const actor& who, std::string_view id,
                                                    std::string_view email, instant now) {
    std::optional<id_t> account_id;
    {
        auto uow = db_.begin(access::read);
        auto found = editable_event(*uow, who, id);
        if (!found) return found;
        if (!plausible_email(normalize_email(email)))
            return invalid_field("email", field_rule::format, "must be a valid email address");
        if (const auto target = uow->accounts().find_by_email(normalize_email(email));
            target && (target->role == role::organizer || target->role == role::admin))
            account_id = target->id;
    }
    // One answer whether the address has no account or an account without the role: the form
    // does not tell who has an account.
    if (!account_id)
        return invalid_field("email", field_rule::not_eligible,
                             "is not the email of an organizer's account");
    return add_organizer(who, id, *account_id, now);
}

result<std::vector<organizer_entry>> event_service::organizers(const actor& who,
                                                               std::string_view id) {
    auto uow = db_.begin(access::read);
    auto found = editable_event(*uow, who, id);
    if (!found) return found.error();
    std::vector<organizer_entry> out;
    for (const auto account_id : found->organizer_ids)
        if (const auto a = uow->accounts().find(account_id))
            out.push_back({a->id, a->display_name, a->email});
    return out;
}

result<event> event_service::remove_organizer(const actor& who, std::string_view id,
                                              id_t account_id, instant now) {
    auto uow = db_.begin(access::write);
    auto found = held_editable_event(*uow, who, id);
    if (!found) return found;
    if (!found->organized_by(account_id))
        return not_found(rule::organizer_not_found, "This account does not organize the event.");
    if (found->organizer_ids.size() <= 1)
        return conflict(rule::last_organizer, "The last organizer of an event cannot be removed.");
    uow->events().remove_organizer(found->id, account_id);
    std::erase(found->organizer_ids, account_id);
    // Its webhooks of this event stop at once: they carried what it may no longer read.
    if (const auto removed = uow->accounts().find(account_id)) follow_rights(*uow, *removed, now);
    record_change(uow->audit(), who, "remove_organizer", "event", id_text(found->id), now,
                  "account " + id_text(account_id));
    uow->commit();
    observer_.agenda_changed(found->id);
    return found;
}

} // namespace rencontres
