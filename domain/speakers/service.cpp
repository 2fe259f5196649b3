#include "domain/speakers/service.hpp"

#include "domain/agenda/repository.hpp"
#include "domain/audit/service.hpp"
#include "domain/common/fields.hpp"
#include "domain/common/text.hpp"
#include "domain/events/repository.hpp"
#include "domain/speakers/repository.hpp"
#include "domain/store.hpp"

namespace rencontres {
namespace {

void apply(validation& v, const speaker_fields& f, speaker& target) {
    if (f.full_name) target.full_name = check_text(v, "full_name", *f.full_name, 1, 200);
    if (f.title) target.title = check_optional_text(v, "title", *f.title, 200);
    if (f.organization)
        target.organization = check_optional_text(v, "organization", *f.organization, 200);
    if (f.bio) target.bio = check_optional_text(v, "bio", *f.bio, 5'000, true);
    if (f.links) target.links = check_links(v, *f.links);
    if (f.email) {
        target.email.reset();
        if (*f.email) {
            const auto email = normalize_email(**f.email);
            if (plausible_email(email))
                target.email = email;
            else
                v.fail("email", field_rule::format, "is not a valid email address");
        }
    }
}

// Speakers are shared across events: an admin, the account that created one, or an organizer of
// an event where it is scheduled may change it; other organizers may only schedule it.
result<void> may_change(unit_of_work& uow, const actor& who, const speaker& s) {
    if (auto allowed = require(who, capability::organize_events); !allowed) return allowed;
    if (who.role == role::admin || (s.created_by && who.is(*s.created_by))) return {};
    for (const auto event_id : uow.sessions().events_of_speaker(s.id))
        if (const auto e = uow.events().find(event_id); e && e->managed_by(who)) return {};
    return forbidden(rule::not_allowed,
                     "Only an admin, the speaker's creator or an organizer of an event where the "
                     "speaker is scheduled may change this speaker.");
}

} // namespace

result<speaker> speaker_service::create_speaker(const actor& who, const speaker_fields& fields,
                                                instant now) {
    if (auto allowed = require(who, capability::organize_events); !allowed) return allowed.error();
    validation v;
    if (!fields.full_name) v.fail("full_name", field_rule::required, "is required");
    speaker draft;
    apply(v, fields, draft);
    if (!v.ok()) return v.error();
    draft.created_at = draft.updated_at = now;
    draft.created_by = who.account_id;
    auto uow = db_.begin(access::write);
    auto created = uow->speakers().insert(draft);
    record_change(uow->audit(), who, "create_speaker", "speaker", id_text(created.id), now,
                  created.full_name);
    uow->commit();
    return created;
}

result<speaker> speaker_service::update_speaker(const actor& who, id_t id,
                                                const speaker_fields& fields,
                                                const precondition<speaker>& expected,
                                                instant now) {
    if (auto allowed = require(who, capability::organize_events); !allowed) return allowed.error();
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::speaker, id);
    auto found = uow->speakers().find(id);
    if (!found) return not_found(rule::speaker_not_found, "No such speaker.");
    if (auto allowed = may_change(*uow, who, *found); !allowed) return allowed.error();
    if (expected && !expected(*found))
        return changed_since_read("The speaker has changed since it was read.");
    speaker changed = *found;
    validation v;
    apply(v, fields, changed);
    if (!v.ok()) return v.error();
    changed.updated_at = now;
    uow->speakers().update(changed);
    const auto events = uow->sessions().events_of_speaker(id);
    record_change(uow->audit(), who, "update_speaker", "speaker", id_text(id), now,
                  changed.full_name);
    uow->commit();
    for (const auto event_id : events)
        observer_.agenda_changed(event_id);
    return changed;
}

result<void> speaker_service::delete_speaker(const actor& who, id_t id, instant now) {
    if (auto allowed = require(who, capability::organize_events); !allowed) return allowed.error();
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::speaker, id);
    auto found = uow->speakers().find(id);
    if (!found) return not_found(rule::speaker_not_found, "No such speaker.");
    if (auto allowed = may_change(*uow, who, *found); !allowed) return allowed.error();
    if (uow->speakers().scheduled(id))
        return conflict(rule::speaker_scheduled,
                        "The speaker is scheduled in a session; remove them from it first.");
    uow->speakers().remove(id);
    record_change(uow->audit(), who, "delete_speaker", "speaker", id_text(id), now,
                  found->full_name);
    uow->commit();
    return {};
}

const event* speaker_profile::event_of(const session& s) const {
    for (const auto& e : events)
        if (e.id == s.event_id) return &e;
    return nullptr;
}

result<speaker_profile> speaker_service::get_speaker(id_t id) {
    auto uow = db_.begin(access::read);
    auto found = uow->speakers().find(id);
    if (!found) return not_found(rule::speaker_not_found, "No such speaker.");
    speaker_profile profile{*found, uow->sessions().published_for_speaker(id), {}};
    for (const auto& s : profile.published_sessions)
        if (!profile.event_of(s))
            if (auto e = uow->events().find(s.event_id)) profile.events.push_back(std::move(*e));
    return profile;
}

result<page<speaker>> speaker_service::list_speakers(const std::optional<std::string>& q,
                                                     const page_request& request) {
    std::optional<std::string> folded;
    if (q) folded = search_fold(trim(*q));
    auto uow = db_.begin(access::read);
    return uow->speakers().list(folded, request);
}

} // namespace rencontres
