// Loads demo/aixe-sur-vienne-2018.json (embedded in the binary) through the repositories.
#include "domain/accounts/repository.hpp"
#include "domain/agenda/repository.hpp"
#include "domain/audit/repository.hpp"
#include "domain/events/repository.hpp"
#include "domain/labels/repository.hpp"
#include "domain/registrations/repository.hpp"
#include "domain/reports/repository.hpp"
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

// A demo account that cannot sign in (its password hash matches no password).
id_t demo_account(unit_of_work& uow, const std::string& email, const std::string& name, role r,
                  instant now, std::vector<std::string>& created) {
    if (const auto existing = uow.accounts().find_by_email(email)) return existing->id;
    auto inserted =
        uow.accounts().insert({0, email, name, r, now, now, "!demo-account-without-password"});
    if (!inserted) throw std::runtime_error("demo account: " + inserted.error().message);
    record(uow, "account", inserted->id, now, email, created);
    return inserted->id;
}

// The 2018 edition of the label: categories, criteria, candidacies, reviews and awards.
void load_label(unit_of_work& uow, const boost::json::object& demo,
                const std::map<std::string, id_t>& territories, std::optional<id_t> final_event,
                id_t submitter, instant now, std::vector<std::string>& created) {
    const auto& l = demo.at("label_campaign").as_object();
    const int year = static_cast<int>(l.at("year").to_number<long long>());
    if (uow.labels().find_campaign_by_year(year)) return;
    campaign c;
    c.year = year;
    c.name = text(l, "name");
    for (const auto& item : l.at("categories").as_array())
        c.categories.push_back({text(item.as_object(), "code"), text(item.as_object(), "name")});
    for (const auto& item : l.at("criteria").as_array()) {
        const auto& o = item.as_object();
        criterion cr{text(o, "code"), text(o, "name"), o.at("weight").to_number<double>(),
                     o.at("eliminatory").as_bool(), 1};
        if (const auto* t = o.if_contains("threshold")) cr.threshold = t->to_number<double>();
        c.criteria.push_back(cr);
    }
    c.candidacy_opens_at = at(l, "candidacy_opens_at");
    c.candidacy_closes_at = at(l, "candidacy_closes_at");
    c.final_event_id = final_event;
    c.status = campaign_status::awarded;
    c.created_at = c.updated_at = now;
    const auto saved = uow.labels().insert_campaign(c);
    if (!saved) throw std::runtime_error("demo campaign: " + saved.error().message);
    c.id = saved->id;
    record(uow, "campaign", c.id, now, c.name, created);

    std::vector<candidacy> candidacies;
    for (const auto& item : l.at("candidacies").as_array()) {
        const auto& o = item.as_object();
        candidacy draft;
        draft.campaign_id = c.id;
        draft.territory_id = territories.at(text(o, "territory"));
        draft.category = text(o, "category");
        draft.initiative_title = text(o, "initiative_title");
        draft.summary = text(o, "summary");
        draft.presented_at_event_id = final_event;
        draft.status = candidacy_status::not_awarded;
        draft.submitted_by = submitter;
        draft.submitted_at = draft.updated_at = c.candidacy_opens_at;
        const auto inserted = uow.labels().insert_candidacy(draft);
        if (!inserted) throw std::runtime_error("demo candidacy: " + inserted.error().message);
        candidacies.push_back(*inserted);
        record(uow, "candidacy", inserted->id, now, inserted->initiative_title, created);
    }
    std::map<std::string, id_t> jurors;
    for (const auto& item : l.at("jurors").as_array()) {
        const auto& o = item.as_object();
        jurors[text(o, "key")] =
            demo_account(uow, text(o, "email"), text(o, "display_name"), role::jury, now, created);
    }
    std::vector<review> reviews;
    for (const auto& item : l.at("reviews").as_array()) {
        const auto& o = item.as_object();
        review r;
        r.candidacy_id =
            candidacies.at(static_cast<std::size_t>(o.at("candidacy").to_number<long long>())).id;
        r.reviewer_id = jurors.at(text(o, "juror"));
        for (const auto& [code, value] : o.at("scores").as_object())
            r.scores.push_back({std::string(code), static_cast<int>(value.to_number<long long>())});
        r.created_at = c.candidacy_closes_at;
        reviews.push_back(uow.labels().save_review(r));
    }
    for (auto& candidate : candidacies)
        if (score_candidacy(c, candidate, reviews).eliminated) {
            candidate.status = candidacy_status::eliminated;
            (void)uow.labels().update_candidacy(candidate);
        }
    for (const auto& item : l.at("awards").as_array()) {
        const auto& o = item.as_object();
        auto& candidate =
            candidacies.at(static_cast<std::size_t>(o.at("candidacy").to_number<long long>()));
        const auto a = uow.labels().insert_award(
            {0, c.id, candidate.id, candidate.territory_id, candidate.category,
             parse_award_level(text(o, "level")).value_or(award_level::bronze),
             optional_text(o, "citation"), c.candidacy_closes_at, std::nullopt, std::nullopt});
        if (!a) throw std::runtime_error("demo award: " + a.error().message);
        candidate.status = candidacy_status::awarded;
        (void)uow.labels().update_candidacy(candidate);
        record(uow, "award", a->id, now,
               std::string(to_string(a->level)) + " " + candidate.initiative_title, created);
    }
}

// The meeting, its speakers and its sessions, published; skipped when its slug exists.
void load_meeting(unit_of_work& uow, const boost::json::object& demo,
                  const std::map<std::string, id_t>& territories, id_t organizer, instant now,
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
    meeting.organizer_ids = {organizer};
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
        if (const auto mode = optional_text(s, "questions"))
            draft.questions = parse_question_mode(*mode).value_or(question_mode::off);
        for (const auto& key : s.at("speakers").as_array())
            draft.speaker_ids.push_back(speakers.at(std::string(key.as_string())));
        draft.created_at = draft.updated_at = now;
        const auto saved = uow.sessions().insert(draft);
        session_ids.push_back(saved.id);
        record(uow, "session", saved.id, now, saved.title, created);
    }
    // The meeting's report, written from the demo's own description.
    if (const auto* written = demo.if_contains("report")) {
        const auto& r = written->as_object();
        report meeting_report;
        meeting_report.event_id = inserted->id;
        meeting_report.introduction = text(r, "introduction");
        for (const auto& item : r.at("sessions").as_array()) {
            const auto& part = item.as_object();
            report_session rs;
            rs.session_id =
                session_ids.at(static_cast<std::size_t>(part.at("session").to_number<long long>()));
            rs.summary = text(part, "summary");
            for (const auto& q : part.at("quotes").as_array())
                rs.quotes.push_back(
                    {text(q.as_object(), "text"), speakers.at(text(q.as_object(), "speaker"))});
            for (const auto& res : part.at("resources").as_array())
                rs.resources.push_back(
                    {text(res.as_object(), "label"), text(res.as_object(), "url")});
            meeting_report.sessions.push_back(std::move(rs));
        }
        if (text(r, "status") == "published") {
            meeting_report.status = report_status::published;
            meeting_report.published_at = meeting.ends_at;
        }
        meeting_report.updated_at = now;
        uow.reports().save(meeting_report);
        record(uow, "report", inserted->id, now, "the meeting's report", created);
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
    uow->take_turn(turn::demo); // two loads at once: the second finds the first's rows
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
    const auto organizer = demo_account(*uow, "organisation@demo.invalid", "Organisation (démo)",
                                        role::organizer, now, created);
    load_meeting(*uow, demo, territories, organizer, now, created);
    const auto meeting =
        uow->events().find_by_slug(slugify(text(demo.at("event").as_object(), "title")));
    load_label(*uow, demo, territories, meeting ? std::optional(meeting->id) : std::nullopt,
               organizer, now, created);
    uow->commit();
    return created;
}

} // namespace rencontres
