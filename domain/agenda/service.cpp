#include "domain/agenda/service.hpp"

#include "domain/agenda/repository.hpp"
#include "domain/audit/service.hpp"
#include "domain/common/fields.hpp"
#include "domain/common/names.hpp"
#include "domain/common/zone.hpp"
#include "domain/events/service.hpp"
#include "domain/registrations/seats.hpp"
#include "domain/speakers/repository.hpp"
#include "domain/store.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace rencontres {
namespace {

constexpr std::array<std::string_view, 6> kind_names{"keynote",  "talk",  "round_table",
                                                     "workshop", "break", "other"};

// Applies the fields, then checks the session against its event and its speakers' other
// sessions. Rule failures are `invalid`; overlaps are a `conflict` naming the sessions.
result<void> apply_and_check(unit_of_work& uow, const event& owner, const session_fields& f,
                             session& target, std::optional<id_t> exclude) {
    validation v;
    if (f.title) target.title = check_text(v, "title", *f.title, 1, 300);
    if (f.abstract) target.abstract = check_optional_text(v, "abstract", *f.abstract, 5'000, true);
    if (f.kind) {
        if (auto kind = parse_session_kind(*f.kind))
            target.kind = *kind;
        else
            v.fail("kind", field_rule::choice, "is not a known kind of session");
    }
    if (f.starts_at)
        if (auto at = check_instant(v, "starts_at", *f.starts_at)) target.starts_at = *at;
    if (f.ends_at)
        if (auto at = check_instant(v, "ends_at", *f.ends_at)) target.ends_at = *at;
    if (f.room) target.room = check_optional_text(v, "room", *f.room, 100);
    if (f.track) target.track = check_optional_text(v, "track", *f.track, 100);
    if (f.capacity) {
        target.capacity.reset();
        if (*f.capacity) target.capacity = check_count(v, "capacity", **f.capacity, 0, 1'000'000);
    }
    if (f.questions) {
        if (auto mode = parse_question_mode(*f.questions))
            target.questions = *mode;
        else
            v.fail("questions", field_rule::choice, "must be off, open or moderated");
    }
    {
        // The turns of the speakers it had and is given, in the order of their ids, before they
        // are read: no other session takes them at the same time elsewhere, and none of them is
        // removed meanwhile.
        std::set<id_t> held(target.speaker_ids.begin(), target.speaker_ids.end());
        if (f.speaker_ids)
            for (const auto& text : *f.speaker_ids)
                if (const auto id = parse_id(text)) held.insert(*id);
        for (const auto id : held)
            uow.take_turn(turn::speaker, id);
    }
    if (f.speaker_ids) {
        target.speaker_ids.clear();
        std::set<id_t> seen;
        for (std::size_t i = 0; i < f.speaker_ids->size(); ++i) {
            const auto id = parse_id((*f.speaker_ids)[i]);
            const auto field = "speaker_ids[" + std::to_string(i) + "]";
            if (!id || !uow.speakers().find(*id))
                v.fail(field, field_rule::unknown, "is not a known speaker");
            else if (!seen.insert(*id).second)
                v.fail(field, field_rule::duplicate, "is listed twice");
            else
                target.speaker_ids.push_back(*id);
        }
    }
    if (!v.ok()) return v.error();

    if (target.ends_at <= target.starts_at)
        v.fail("ends_at", field_rule::order, "must be after starts_at");
    if (!owner.starts_at || !owner.ends_at)
        v.fail("starts_at", field_rule::event_undated,
               "the event needs its start and end before sessions can be scheduled");
    else if (target.starts_at < *owner.starts_at || target.ends_at > *owner.ends_at)
        v.fail("starts_at", field_rule::outside_event,
               "must lie within the event (" + format_in_zone(*owner.starts_at, owner.timezone) +
                   " to " + format_in_zone(*owner.ends_at, owner.timezone) + ")");
    if (!v.ok()) return v.error();

    std::set<id_t> clashes;
    if (target.room)
        for (const auto id : uow.sessions().overlapping_in_room(
                 owner.id, *target.room, target.starts_at, target.ends_at, exclude))
            clashes.insert(id);
    for (const auto id : uow.sessions().overlapping_for_speakers(
             target.speaker_ids, target.starts_at, target.ends_at, exclude))
        clashes.insert(id);
    if (!clashes.empty()) {
        domain_error e =
            conflict(rule::session_clash,
                     "The session overlaps another in the same room, or one of its speakers speaks "
                     "elsewhere at that time.");
        for (const auto id : clashes)
            e.conflicts.push_back(id_text(id));
        return e;
    }
    return {};
}

} // namespace

std::string_view to_string(session_kind k) {
    return name_of(kind_names, k);
}

std::optional<session_kind> parse_session_kind(std::string_view text) {
    return parse_name<session_kind>(kind_names, text);
}

std::vector<agenda_day> agenda::days() const {
    std::vector<agenda_day> out;
    for (const auto& s : sessions) {
        auto date = local_date(s.starts_at, event.timezone);
        if (out.empty() || out.back().date != date) out.push_back({std::move(date), {}});
        out.back().sessions.push_back(&s);
    }
    return out;
}

const speaker* agenda::find_speaker(id_t id) const {
    for (const auto& s : speakers)
        if (s.id == id) return &s;
    return nullptr;
}

result<shown_session> session_service::create_session(const actor& who, std::string_view event_id,
                                                      const session_fields& fields, instant now) {
    auto uow = db_.begin(access::write);
    auto owner = held_editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    if (owner->status == event_status::cancelled)
        return conflict(rule::event_cancelled, "A cancelled event cannot be changed.");
    validation required;
    if (!fields.title) required.fail("title", field_rule::required, "is required");
    if (!fields.kind) required.fail("kind", field_rule::required, "is required");
    if (!fields.starts_at) required.fail("starts_at", field_rule::required, "is required");
    if (!fields.ends_at) required.fail("ends_at", field_rule::required, "is required");
    if (!required.ok()) return required.error();
    session draft;
    draft.event_id = owner->id;
    if (auto checked = apply_and_check(*uow, *owner, fields, draft, std::nullopt); !checked)
        return checked.error();
    draft.created_at = draft.updated_at = now;
    auto created = uow->sessions().insert(draft);
    record_change(uow->audit(), who, "create_session", "session", id_text(created.id), now,
                  created.title);
    uow->commit();
    observer_.agenda_changed(owner->id);
    return shown_session{created, owner->timezone};
}

result<shown_session> session_service::update_session(const actor& who, std::string_view event_id,
                                                      id_t session_id, const session_fields& fields,
                                                      const precondition<shown_session>& expected,
                                                      instant now) {
    auto uow = db_.begin(access::write);
    auto owner = held_editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    auto found = uow->sessions().find(owner->id, session_id);
    if (!found) return not_found(rule::session_not_found, "No such session in this event.");
    if (expected && !expected(shown_session{*found, owner->timezone}))
        return changed_since_read("The session has changed since it was read.");
    if (owner->status == event_status::cancelled)
        return conflict(rule::event_cancelled, "A cancelled event cannot be changed.");
    session changed = *found;
    if (auto checked = apply_and_check(*uow, *owner, fields, changed, session_id); !checked)
        return checked.error();
    changed.sequence += 1;
    changed.updated_at = now;
    uow->sessions().update(changed);
    promote_session_waitlist(*uow, *owner, changed, now); // a raised workshop capacity
    record_change(uow->audit(), who, "update_session", "session", id_text(session_id), now,
                  changed.title);
    uow->commit();
    observer_.agenda_changed(owner->id);
    return shown_session{changed, owner->timezone};
}

result<void> session_service::delete_session(const actor& who, std::string_view event_id,
                                             id_t session_id, instant now) {
    auto uow = db_.begin(access::write);
    auto owner = held_editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    auto found = uow->sessions().find(owner->id, session_id);
    if (!found) return not_found(rule::session_not_found, "No such session in this event.");
    if (owner->status == event_status::cancelled)
        return conflict(rule::event_cancelled, "A cancelled event cannot be changed.");
    uow->sessions().remove(session_id);
    record_change(uow->audit(), who, "delete_session", "session", id_text(session_id), now,
                  found->title);
    uow->commit();
    observer_.agenda_changed(owner->id);
    return {};
}

result<shown_session> session_service::get_session(const actor& who, std::string_view event_id,
                                                   id_t session_id) {
    auto uow = db_.begin(access::read);
    auto owner = visible_event(*uow, who, event_id);
    if (!owner) return owner.error();
    auto found = uow->sessions().find(owner->id, session_id);
    if (!found) return not_found(rule::session_not_found, "No such session in this event.");
    return shown_session{*found, owner->timezone};
}

result<shown_sessions> session_service::list_sessions(const actor& who, std::string_view event_id) {
    auto uow = db_.begin(access::read);
    auto owner = visible_event(*uow, who, event_id);
    if (!owner) return owner.error();
    return shown_sessions{uow->sessions().list_for_event(owner->id), owner->timezone};
}

result<agenda> session_service::get_agenda(const actor& who, std::string_view event_id) {
    auto uow = db_.begin(access::read);
    auto owner = visible_event(*uow, who, event_id);
    if (!owner) return owner.error();
    agenda out{*owner, uow->sessions().list_for_event(owner->id), {}};
    std::set<id_t> ids;
    for (const auto& s : out.sessions)
        ids.insert(s.speaker_ids.begin(), s.speaker_ids.end());
    out.speakers = uow->speakers().find_many({ids.begin(), ids.end()});
    return out;
}

} // namespace rencontres
