#include "server/api/representations.hpp"

#include "domain/common/csv.hpp"
#include "domain/common/zone.hpp"
#include "server/api/settings.hpp"
#include "server/transport/context.hpp"

#include <algorithm>

namespace rencontres::http {
namespace {

void put_optional(boost::json::object& out, const char* key, const std::optional<std::string>& v) {
    if (v) out[key] = *v;
}

boost::json::array id_array(const std::vector<id_t>& ids) {
    boost::json::array out;
    for (const auto id : ids)
        out.push_back(boost::json::string(id_text(id)));
    return out;
}

} // namespace

boost::json::object account_json(const account& a) {
    return {{"id", id_text(a.id)},
            {"email", a.email},
            {"display_name", a.display_name},
            {"role", to_string(a.role)},
            {"email_verified", a.email_verified},
            {"created_at", format_utc(a.created_at)}};
}

boost::json::object event_json(const event& e) {
    const auto in_zone = [&](instant at) { return format_in_zone(at, e.timezone); };
    boost::json::object out{{"id", id_text(e.id)},
                            {"slug", e.slug},
                            {"title", e.title},
                            {"summary", e.summary},
                            {"description", e.description},
                            {"status", to_string(e.status)},
                            {"timezone", e.timezone}};
    if (e.starts_at) out["starts_at"] = in_zone(*e.starts_at);
    if (e.ends_at) out["ends_at"] = in_zone(*e.ends_at);
    out["venue"] = {{"name", e.venue.name},
                    {"address", e.venue.address},
                    {"postal_code", e.venue.postal_code},
                    {"city", e.venue.city}};
    if (e.host_territory_id) out["host_territory_id"] = id_text(*e.host_territory_id);
    if (e.capacity)
        out["capacity"] = *e.capacity;
    else
        out["capacity"] = nullptr;
    if (e.registration_opens_at) out["registration_opens_at"] = in_zone(*e.registration_opens_at);
    if (e.registration_closes_at)
        out["registration_closes_at"] = in_zone(*e.registration_closes_at);
    out["organizer_ids"] = id_array(e.organizer_ids);
    put_optional(out, "cancel_reason", e.cancel_reason);
    out["created_at"] = in_zone(e.created_at);
    out["updated_at"] = in_zone(e.updated_at);
    return out;
}

boost::json::object organizers_event_json(const event& e) {
    auto out = event_json(e);
    put_optional(out, "contact_email", e.contact_email);
    return out;
}

boost::json::object session_json(const session& s, const std::string& zone) {
    boost::json::object out{
        {"id", id_text(s.id)}, {"event_id", id_text(s.event_id)}, {"title", s.title}};
    put_optional(out, "abstract", s.abstract);
    out["kind"] = to_string(s.kind);
    out["starts_at"] = format_in_zone(s.starts_at, zone);
    out["ends_at"] = format_in_zone(s.ends_at, zone);
    put_optional(out, "room", s.room);
    put_optional(out, "track", s.track);
    if (s.capacity) out["capacity"] = *s.capacity;
    out["speaker_ids"] = id_array(s.speaker_ids);
    out["questions"] = to_string(s.questions);
    return out;
}

boost::json::object speaker_json(const speaker& s, bool with_email) {
    boost::json::object out{{"id", id_text(s.id)}, {"full_name", s.full_name}};
    put_optional(out, "title", s.title);
    put_optional(out, "organization", s.organization);
    put_optional(out, "bio", s.bio);
    boost::json::array links;
    for (const auto& link : s.links)
        links.push_back(boost::json::string(link));
    out["links"] = std::move(links);
    if (with_email) put_optional(out, "email", s.email);
    return out;
}

boost::json::object speaker_summary_json(const speaker& s) {
    boost::json::object out{{"id", id_text(s.id)}, {"full_name", s.full_name}};
    put_optional(out, "title", s.title);
    put_optional(out, "organization", s.organization);
    return out;
}

boost::json::object agenda_json(const agenda& a) {
    boost::json::array days;
    for (const auto& day : a.days()) {
        boost::json::array sessions;
        for (const auto* s : day.sessions) {
            auto item = session_json(*s, a.event.timezone);
            boost::json::array speakers;
            for (const auto id : s->speaker_ids)
                if (const auto* sp = a.find_speaker(id))
                    speakers.push_back(speaker_summary_json(*sp));
            item["speakers"] = std::move(speakers);
            sessions.push_back(std::move(item));
        }
        days.push_back({{"date", day.date}, {"sessions", std::move(sessions)}});
    }
    return {{"event", event_json(a.event)}, {"days", std::move(days)}};
}

boost::json::object registration_json(const registration& r) {
    boost::json::object out{
        {"id", id_text(r.id)}, {"event_id", id_text(r.event_id)}, {"full_name", r.full_name}};
    put_optional(out, "given_name", r.given_name);
    put_optional(out, "family_name", r.family_name);
    out["email"] = r.email;
    put_optional(out, "organization", r.organization);
    if (r.territory_id) out["territory_id"] = id_text(*r.territory_id);
    out["status"] = to_string(r.status);
    if (r.waitlist_position) out["waitlist_position"] = *r.waitlist_position;
    boost::json::array session_ids;
    boost::json::array sessions;
    for (const auto& seat : r.sessions) {
        session_ids.push_back(boost::json::string(id_text(seat.session_id)));
        boost::json::object item{{"session_id", id_text(seat.session_id)},
                                 {"status", to_string(seat.status)}};
        if (seat.waitlist_position) item["waitlist_position"] = *seat.waitlist_position;
        sessions.push_back(std::move(item));
    }
    out["session_ids"] = std::move(session_ids);
    out["sessions"] = std::move(sessions);
    out["answers"] = answers_json(r.answers);
    out["created_at"] = format_utc(r.created_at);
    if (r.checked_in_at) out["checked_in_at"] = format_utc(*r.checked_in_at);
    return out;
}

boost::json::object answers_json(const answer_map& answers) {
    boost::json::object out;
    for (const auto& [code, value] : answers) {
        if (const auto* flag = std::get_if<bool>(&value))
            out[code] = *flag;
        else if (const auto* text = std::get_if<std::string>(&value))
            out[code] = *text;
        else if (const auto* list = std::get_if<std::vector<std::string>>(&value)) {
            boost::json::array items;
            for (const auto& item : *list)
                items.push_back(boost::json::string(item));
            out[code] = std::move(items);
        }
    }
    return out;
}

boost::json::object question_json(const question& q) {
    boost::json::object out{{"code", q.code},
                            {"label", q.label},
                            {"kind", to_string(q.kind)},
                            {"required", q.required}};
    if (!q.options.empty()) {
        boost::json::array options;
        for (const auto& o : q.options)
            options.push_back({{"code", o.code}, {"label", o.label}});
        out["options"] = std::move(options);
    }
    put_optional(out, "help", q.help);
    return out;
}

// A message that carries a credential is listed by kind and date only: even without its link
// (kept sealed beside it), its text is nobody's business but the mailbox's.
boost::json::object message_json(const outbox_message& m) {
    boost::json::object out{{"id", id_text(m.id)},      {"kind", to_string(m.kind)},
                            {"recipient", m.recipient}, {"status", to_string(m.status)},
                            {"attempts", m.attempts},   {"created_at", format_utc(m.created_at)}};
    if (!carries_credential(m.kind)) {
        out["subject"] = m.subject;
        out["body"] = m.body;
    }
    if (m.last_error) out["last_error"] = *m.last_error;
    if (m.delivered_at) out["delivered_at"] = format_utc(*m.delivered_at);
    return out;
}

boost::json::object award_json(const award& a) {
    boost::json::object out{{"id", id_text(a.id)},
                            {"campaign_id", id_text(a.campaign_id)},
                            {"candidacy_id", id_text(a.candidacy_id)},
                            {"territory_id", id_text(a.territory_id)},
                            {"category", a.category},
                            {"level", to_string(a.level)},
                            {"awarded_at", format_utc(a.awarded_at)}};
    if (a.citation) out["citation"] = *a.citation;
    if (a.revoked_at) out["revoked_at"] = format_utc(*a.revoked_at);
    if (a.revocation_reason) out["revocation_reason"] = *a.revocation_reason;
    return out;
}

boost::json::object webhook_json(const webhook& w) {
    boost::json::array events;
    for (const auto& e : w.events)
        events.emplace_back(e);
    boost::json::object out{{"id", id_text(w.id)},
                            {"url", w.url},
                            {"events", std::move(events)},
                            {"status", to_string(w.status)},
                            {"created_at", format_utc(w.created_at)}};
    if (w.event_id) out["event_id"] = id_text(*w.event_id);
    return out;
}

boost::json::object delivery_json(const webhook_delivery& d) {
    boost::json::object out{{"id", id_text(d.id)},
                            {"type", d.type},
                            {"status", to_string(d.status)},
                            {"attempts", d.attempts},
                            {"created_at", format_utc(d.created_at)}};
    if (d.response_status) out["response_status"] = *d.response_status;
    if (d.duration_ms) out["duration_ms"] = *d.duration_ms;
    if (d.delivered_at) out["delivered_at"] = format_utc(*d.delivered_at);
    return out;
}

response registrations_csv_response(const registration_export& data) {
    // One column per question, headed by its label (API.md §8).
    std::vector<std::string> header{
        "id",           "status",       "waitlist_position", "full_name",  "email",
        "organization", "territory_id", "session_ids",       "created_at", "checked_in_at"};
    for (const auto& q : data.questions)
        header.push_back(q.label);
    std::string out = csv_record(header);
    for (const auto& r : data.rows) {
        std::string sessions;
        for (const auto& seat : r.sessions)
            if (seat.status != registration_status::cancelled) {
                if (!sessions.empty()) sessions += ' ';
                sessions += id_text(seat.session_id);
            }
        std::vector<std::string> cells{id_text(r.id),
                                       std::string(to_string(r.status)),
                                       r.waitlist_position ? std::to_string(*r.waitlist_position)
                                                           : "",
                                       r.full_name,
                                       r.email,
                                       r.organization.value_or(""),
                                       r.territory_id ? id_text(*r.territory_id) : "",
                                       sessions,
                                       format_utc(r.created_at),
                                       r.checked_in_at ? format_utc(*r.checked_in_at) : ""};
        for (const auto& q : data.questions) {
            const auto it = r.answers.find(q.code);
            cells.push_back(it == r.answers.end() ? "" : answer_text(q, it->second));
        }
        out += csv_record(cells);
    }
    response r;
    r.set("Content-Type", "text/csv; charset=utf-8");
    r.set("Content-Disposition", "attachment; filename=\"registrations.csv\"");
    r.body = std::move(out);
    return r;
}

// For organizers' spreadsheets (`?dialect=excel-fr`): what French Excel and LibreOffice open as
// they are — UTF-8 with a byte order mark, ';' between fields, French headers and statuses, times
// in the event's zone as "11/12/2018 09:30", a column per question by its label and per workshop
// by its title ("confirmé", "liste d'attente n°2" or empty); formula-safe as the other dialect.
response registrations_excel_csv_response(const registration_export& data) {
    const auto french_time = [&](instant at) {
        const auto local = local_minutes(at, data.timezone); // 2018-12-11T09:30
        return local.substr(8, 2) + "/" + local.substr(5, 2) + "/" + local.substr(0, 4) + " " +
               local.substr(11, 5);
    };
    std::vector<std::string> header{"Nom",    "Prénom",     "Organisation", "Courriel",
                                    "Statut", "Inscrit le", "Arrivée"};
    for (const auto& q : data.questions)
        header.push_back(q.label);
    for (const auto& w : data.workshops)
        header.push_back(w.title);
    std::string out = "\xEF\xBB\xBF" + csv_record(header, ';');
    for (const auto& r : data.rows) {
        std::string status;
        switch (r.status) {
        case registration_status::confirmed:
            status = "confirmée";
            break;
        case registration_status::waitlisted:
            status = "liste d'attente" + (r.waitlist_position
                                              ? " n°" + std::to_string(*r.waitlist_position)
                                              : std::string());
            break;
        case registration_status::cancelled:
            status = "annulée";
            break;
        }
        const bool named = r.family_name && r.given_name;
        std::vector<std::string> cells{named ? *r.family_name : r.full_name,
                                       named ? *r.given_name : "",
                                       r.organization.value_or(""),
                                       r.email,
                                       status,
                                       french_time(r.created_at),
                                       r.checked_in_at ? french_time(*r.checked_in_at) : ""};
        for (const auto& q : data.questions) {
            const auto it = r.answers.find(q.code);
            cells.push_back(it == r.answers.end() ? "" : answer_text(q, it->second));
        }
        for (const auto& w : data.workshops) {
            const auto seat =
                std::find_if(r.sessions.begin(), r.sessions.end(),
                             [&](const session_seat& s) { return s.session_id == w.id; });
            std::string cell;
            if (seat != r.sessions.end() && r.active()) {
                if (seat->status == registration_status::confirmed) cell = "confirmé";
                if (seat->status == registration_status::waitlisted)
                    cell =
                        "liste d'attente" + (seat->waitlist_position
                                                 ? " n°" + std::to_string(*seat->waitlist_position)
                                                 : std::string());
            }
            cells.push_back(std::move(cell));
        }
        out += csv_record(cells, ';');
    }
    response res;
    res.set("Content-Type", "text/csv; charset=utf-8");
    res.set("Content-Disposition", "attachment; filename=\"inscriptions.csv\"");
    res.body = std::move(out);
    return res;
}

std::string public_url(const context& ctx, const std::string& path) {
    auto base = ctx.app.api_config.public_base_url;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base + path;
}

std::string check_in_url(const context& ctx, id_t registration_id) {
    return public_url(ctx, "/gestion/inscriptions/" + id_text(registration_id) + "/accueil");
}

response pdf_response(std::string bytes, const std::string& filename) {
    response r;
    r.set("Content-Type", "application/pdf");
    r.set("Content-Disposition", "inline; filename=\"" + filename + "\"");
    r.set("Cache-Control", "no-store"); // names and organizations
    r.body = std::move(bytes);
    return r;
}

} // namespace rencontres::http
