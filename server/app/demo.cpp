// Loads demo/aixe-sur-vienne-2018.json (embedded in the binary) through the repositories.
#include "domain/agenda/repository.hpp"
#include "domain/audit/repository.hpp"
#include "domain/events/repository.hpp"
#include "domain/registrations/repository.hpp"
#include "domain/speakers/repository.hpp"
#include "domain/territories/repository.hpp"
#include "server/app/application.hpp"

#include <boost/json.hpp>
#include <map>

namespace rencontres::embedded {
extern const std::string_view demo_json;
}

namespace rencontres {

namespace {

std::string text(const boost::json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<std::string> optional_text(const boost::json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_string()) return std::nullopt;
    return std::string(v->as_string());
}

instant at(const boost::json::object& o, const char* key) {
    const auto parsed = parse_instant(text(o, key));
    if (!parsed) throw std::runtime_error(std::string("demo data: bad instant in ") + key);
    return *parsed;
}

void record(unit_of_work& uow, const char* entity, id_t id, instant now, std::string summary,
            std::vector<std::string>& created) {
    uow.audit().append({0, std::nullopt, "load_demo", entity, id_text(id), now, summary});
    created.push_back(std::string(entity) + " " + summary);
}

// The meeting, its speakers and its sessions, published; skipped when its slug exists.
void load_meeting(unit_of_work& uow, const boost::json::object& demo,
                  const std::map<std::string, id_t>& territories, instant now,
                  std::vector<std::string>& created) {
    const auto& e = demo.at("event").as_object();
    event meeting;
    meeting.title = text(e, "title");
    meeting.slug = slugify(meeting.title);
    if (uow.events().slug_taken(meeting.slug)) return;
    meeting.summary = text(e, "summary");
    meeting.description = text(e, "description");
    meeting.timezone = text(e, "timezone");
    meeting.starts_at = at(e, "starts_at");
    meeting.ends_at = at(e, "ends_at");
    const auto& v = e.at("venue").as_object();
    meeting.venue = {text(v, "name"), text(v, "address"), text(v, "postal_code"), text(v, "city")};
    if (const auto it = territories.find(text(e, "host_territory")); it != territories.end())
        meeting.host_territory_id = it->second;
    if (const auto* capacity = e.if_contains("capacity"))
        meeting.capacity = static_cast<int>(capacity->to_number<long long>());
    meeting.status = parse_event_status(text(e, "status")).value_or(event_status::published);
    meeting.created_at = meeting.updated_at = now;
    auto inserted = uow.events().insert(meeting);
    if (!inserted) throw std::runtime_error("demo event: " + inserted.error().message);
    record(uow, "event", inserted->id, now, inserted->title, created);

    std::map<std::string, id_t> speakers;
    for (const auto& item : demo.at("speakers").as_array()) {
        const auto& sp = item.as_object();
        speaker draft;
        draft.full_name = text(sp, "full_name");
        draft.title = optional_text(sp, "title");
        draft.organization = optional_text(sp, "organization");
        draft.created_at = draft.updated_at = now;
        const auto saved = uow.speakers().insert(draft);
        speakers[text(sp, "key")] = saved.id;
        record(uow, "speaker", saved.id, now, saved.full_name, created);
    }
    std::vector<id_t> session_ids;
    for (const auto& item : demo.at("sessions").as_array()) {
        const auto& s = item.as_object();
        session draft;
        draft.event_id = inserted->id;
        draft.title = text(s, "title");
        draft.abstract = optional_text(s, "abstract");
        draft.kind = parse_session_kind(text(s, "kind")).value_or(session_kind::other);
        draft.starts_at = at(s, "starts_at");
        draft.ends_at = at(s, "ends_at");
        draft.room = optional_text(s, "room");
        draft.track = optional_text(s, "track");
        if (const auto* capacity = s.if_contains("capacity"))
            draft.capacity = static_cast<int>(capacity->to_number<long long>());
        for (const auto& key : s.at("speakers").as_array())
            draft.speaker_ids.push_back(speakers.at(std::string(key.as_string())));
        draft.created_at = draft.updated_at = now;
        const auto saved = uow.sessions().insert(draft);
        session_ids.push_back(saved.id);
        record(uow, "session", saved.id, now, saved.title, created);
    }
    // A few participants, registered with consent (their secrets are random and not shown).
    security::random_token_minter minter;
    for (const auto& item : demo.at("registrations").as_array()) {
        const auto& r = item.as_object();
        registration draft;
        draft.event_id = inserted->id;
        draft.full_name = text(r, "full_name");
        draft.email = text(r, "email");
        draft.organization = optional_text(r, "organization");
        if (const auto it = territories.find(text(r, "territory")); it != territories.end())
            draft.territory_id = it->second;
        draft.status = registration_status::confirmed;
        for (const auto& index : r.at("sessions").as_array())
            draft.sessions.push_back(
                {session_ids.at(static_cast<std::size_t>(index.to_number<long long>())),
                 registration_status::confirmed,
                 {}});
        draft.manage_digest = minter.digest(minter.mint());
        draft.feed_digest = minter.digest(minter.mint());
        draft.created_at = draft.updated_at = now;
        const auto saved = uow.registrations().insert(draft);
        if (!saved) throw std::runtime_error("demo registration: " + saved.error().message);
        record(uow, "registration", saved->id, now, "a demo participant", created);
    }
}

} // namespace

std::vector<std::string> load_demo(store& db, instant now) {
    const auto demo = boost::json::parse(embedded::demo_json).as_object();
    std::vector<std::string> created;
    std::map<std::string, id_t> territories;
    auto uow = db.begin(access::write);
    for (const auto& item : demo.at("territories").as_array()) {
        const auto& t = item.as_object();
        const std::string siren(t.at("siren").as_string());
        if (const auto existing = uow->territories().find_by_siren(siren)) {
            territories[text(t, "key")] = existing->id;
            continue;
        }
        territory draft;
        draft.name = t.at("name").as_string();
        draft.kind = parse_territory_kind(t.at("kind").as_string()).value_or(territory_kind::other);
        draft.siren = siren;
        draft.region = t.at("region").as_string();
        if (const auto* d = t.if_contains("department"))
            draft.department = std::string(d->as_string());
        draft.created_at = draft.updated_at = now;
        auto inserted = uow->territories().insert(draft);
        if (!inserted)
            throw std::runtime_error("demo territory " + siren + ": " + inserted.error().message);
        territories[text(t, "key")] = inserted->id;
        record(*uow, "territory", inserted->id, now, inserted->name, created);
    }
    load_meeting(*uow, demo, territories, now, created);
    uow->commit();
    return created;
}

} // namespace rencontres
