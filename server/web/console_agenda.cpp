// The console's agenda editor (API.md §13): the sessions of an event by day in its zone, a form
// to add or edit one (kind, room, track, capacity, speakers), speakers picked by search or
// created on the spot. A session that overlaps another in its room, or a speaker speaking
// elsewhere at that time, is refused: the form comes back with the conflict and a link to it,
// and nothing is saved.
#include "domain/common/french.hpp"
#include "domain/common/zone.hpp"
#include "server/transport/router.hpp"
#include "server/web/console.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace rencontres::web {
namespace {

constexpr std::array<session_kind, 6> kinds{session_kind::keynote,     session_kind::talk,
                                            session_kind::round_table, session_kind::workshop,
                                            session_kind::break_,      session_kind::other};

// What the session form holds: as stored, or as typed.
struct session_form {
    std::multimap<std::string, std::string> values;
    std::vector<std::string> speaker_ids; // checked
    std::string speaker_query;            // the speaker search
    std::vector<field_error> errors;
    std::vector<std::string> conflicts; // session ids
    std::string notice;
    int status = 200;
};

session_form form_of(const session& s, const std::string& zone) {
    session_form f;
    f.values = {{"title", s.title},
                {"kind", std::string(to_string(s.kind))},
                {"starts_at", local_minutes(s.starts_at, zone)},
                {"ends_at", local_minutes(s.ends_at, zone)},
                {"room", s.room.value_or("")},
                {"track", s.track.value_or("")},
                {"capacity", s.capacity ? std::to_string(*s.capacity) : ""},
                {"abstract", s.abstract.value_or("")}};
    for (const auto id : s.speaker_ids)
        f.speaker_ids.push_back(id_text(id));
    return f;
}

session_form form_of(const std::multimap<std::string, std::string>& posted) {
    session_form f;
    f.values = posted;
    f.speaker_ids = form_values(posted, "speaker_ids");
    f.speaker_query = form_value(posted, "speaker_query");
    return f;
}

// The API's fields from the form, dates read as wall time in the event's zone.
session_fields fields_of(const session_form& form, const std::string& zone,
                         std::vector<field_error>& errors) {
    session_fields f;
    f.title = form_value(form.values, "title");
    const auto abstract = form_value(form.values, "abstract");
    f.abstract = abstract.empty() ? std::optional<std::string>() : abstract;
    f.kind = form_value(form.values, "kind");
    for (const char* name : {"starts_at", "ends_at"}) {
        const auto text = form_value(form.values, name);
        const auto zoned = zoned_from_local(text, zone);
        if (!zoned)
            errors.push_back(shown("session", name, field_rule::format));
        else
            (std::string_view(name) == "starts_at" ? f.starts_at : f.ends_at) = zoned;
    }
    const auto room = form_value(form.values, "room");
    f.room = room.empty() ? std::optional<std::string>() : room;
    const auto track = form_value(form.values, "track");
    f.track = track.empty() ? std::optional<std::string>() : track;
    const auto capacity = form_value(form.values, "capacity");
    if (const auto seats = optional_count(capacity))
        f.capacity = *seats;
    else
        errors.push_back(shown("session", "capacity", field_rule::format));
    f.speaker_ids = form.speaker_ids;
    return f;
}

std::string agenda_url(const event& e) {
    return "/gestion/evenements/" + id_text(e.id) + "/programme";
}

std::string speaker_line(const speaker& s) {
    return s.full_name + (s.organization ? " (" + *s.organization + ")" : "");
}

// The page: the programme by day, and the form (new session, or `editing`).
response agenda_page(const request& req, context& ctx, const managed_event& m,
                     const session_form& form, std::optional<id_t> editing) {
    const auto& e = m.event;
    const auto a = ctx.app.sessions.get_agenda(m.as(), id_text(e.id));
    if (!a) return error_page_for(a.error());
    const auto csrf = console_token(req, ctx);
    view v;
    v.set("nav", event_nav(e, "/programme"));
    v.set("title", e.title);
    v.set("csrf", csrf);
    if (!form.notice.empty()) v.set("notice", form.notice);
    v.set("editable", flag(e.status != event_status::cancelled));
    auto days = list_view();
    for (const auto& day : a->days()) {
        view d;
        d.set("date", capitalized(french_local_date(day.date)));
        auto sessions = list_view();
        for (const auto* s : day.sessions) {
            view item;
            item.set("hours", french_hours(s->starts_at, s->ends_at, e.timezone));
            item.set("title", s->title);
            item.set("kind", session_kind_text(s->kind));
            if (s->room) item.set("room", *s->room);
            if (s->capacity) item.set("capacity", std::to_string(*s->capacity));
            std::string names;
            for (const auto id : s->speaker_ids)
                if (const auto* sp = a->find_speaker(id))
                    names += (names.empty() ? "" : ", ") + sp->full_name;
            if (!names.empty()) item.set("speakers", names);
            item.set("edit", agenda_url(e) + "/" + id_text(s->id));
            item.set("current", flag(editing && *editing == s->id));
            sessions.push_back(item);
        }
        d.set("sessions", sessions);
        days.push_back(d);
    }
    v.set("days", days);
    v.set("has_sessions", flag(!a->sessions.empty()));

    // The form's fields.
    std::vector<std::pair<std::string, std::string>> kind_options;
    for (const auto k : kinds)
        kind_options.emplace_back(std::string(to_string(k)), session_kind_text(k));
    const std::string when_hint = "dans le fuseau de la rencontre, " + e.timezone;
    std::vector<form_field> fields{
        {"title", "Titre de la séance", "text", "", "obligatoire", "", true},
        {"kind", "Type", "select", "", "", "", true, kind_options},
        {"starts_at", "Début", "datetime-local", "", when_hint, "", true},
        {"ends_at", "Fin", "datetime-local", "", when_hint, "", true},
        {"room", "Salle", "text", "",
         "deux séances ne peuvent occuper la même salle en même temps"},
        {"track", "Parcours", "text", "", "facultatif"},
        {"capacity", "Places", "number", "", "vide : sans limite ; pour les ateliers"},
        {"abstract", "Présentation", "textarea", "", "facultatif"},
    };
    for (auto& f : fields) {
        f.value = form_value(form.values, f.name);
        for (const auto& err : form.errors)
            if (err.field == f.name && f.error.empty()) f.error = err.message;
    }
    if (fields[1].value.empty()) fields[1].value = "talk";
    // A new session of a one-day meeting: its day filled in (from the meeting's start, an hour
    // long at most, within the meeting), so that only the hours are left to change.
    if (fields[2].value.empty() && fields[3].value.empty() && e.starts_at && e.ends_at) {
        const auto start = local_minutes(*e.starts_at, e.timezone);
        const auto end = local_minutes(*e.ends_at, e.timezone);
        if (start.substr(0, 10) == end.substr(0, 10)) {
            fields[2].value = start;
            fields[3].value = local_minutes(
                std::min(*e.ends_at, *e.starts_at + std::chrono::hours{1}), e.timezone);
        }
    }
    v.set("fields", fields_view(fields));
    set_error_summary(v, fields);

    // Speakers: those checked, then those the search found.
    auto speakers = list_view();
    std::set<std::string> shown;
    const auto add_speaker = [&](const speaker& s, bool checked) {
        if (!shown.insert(id_text(s.id)).second) return;
        view item;
        item.set("id", id_text(s.id));
        item.set("label", speaker_line(s));
        item.set("checked", flag(checked));
        speakers.push_back(item);
    };
    std::vector<speaker> chosen;
    for (const auto& id : form.speaker_ids)
        if (const auto pid = parse_id(id))
            if (const auto p = ctx.app.speakers.get_speaker(*pid)) {
                add_speaker(p->speaker, true);
                chosen.push_back(p->speaker);
            }
    if (!form.speaker_query.empty()) {
        const auto found = ctx.app.speakers.list_speakers(form.speaker_query, {20, std::nullopt});
        if (found) {
            for (const auto& s : found->items)
                add_speaker(s, false);
            v.set("search_done", flag(true));
            v.set("search_count", std::to_string(found->items.size()));
        }
    }
    v.set("speakers", speakers);
    v.set("has_speakers", flag(shown.size() > 0));
    v.set("speaker_query", form.speaker_query);
    if (const auto name = form_value(form.values, "speaker_name"); !name.empty())
        v.set("speaker_name", name);
    v.set("speaker_organization", form_value(form.values, "speaker_organization"));
    for (const auto& err : form.errors)
        if (err.field == "speaker_name") v.set("speaker_name_error", err.message);

    // The conflicts: sessions of this event link to their form; elsewhere, the speakers' pages.
    if (!form.conflicts.empty()) {
        auto conflicts = list_view();
        bool elsewhere = false;
        for (const auto& id : form.conflicts) {
            const auto it = std::find_if(a->sessions.begin(), a->sessions.end(),
                                         [&](const session& s) { return id_text(s.id) == id; });
            if (it == a->sessions.end()) {
                elsewhere = true;
                continue;
            }
            view c;
            c.set("title", it->title);
            c.set("hours", french_hours(it->starts_at, it->ends_at, e.timezone));
            if (it->room) c.set("room", *it->room);
            c.set("href", agenda_url(e) + "/" + id_text(it->id));
            conflicts.push_back(c);
        }
        auto speaker_links = list_view();
        if (elsewhere)
            for (const auto& s : chosen) {
                view l;
                l.set("name", s.full_name);
                l.set("href", "/intervenants/" + id_text(s.id));
                speaker_links.push_back(l);
            }
        v.set("conflict", flag(true));
        v.set("conflicts", conflicts);
        v.set("elsewhere", flag(elsewhere));
        v.set("speaker_links", speaker_links);
    }

    v.set("editing", flag(editing.has_value()));
    v.set("agenda_href", agenda_url(e));
    v.set("action", editing ? agenda_url(e) + "/" + id_text(*editing) : agenda_url(e));
    if (editing) v.set("delete_action", agenda_url(e) + "/" + id_text(*editing) + "/suppression");
    const bool failed = !form.errors.empty() || !form.conflicts.empty();
    return page("console_agenda",
                (failed ? "Erreur : " : "") + std::string("Programme — ") + e.title, v,
                private_page(form.status));
}

response show_agenda(const request& req, const route_params&, context& ctx,
                     const managed_event& managed) {
    session_form form;
    const auto done = req.query_value("fait").value_or("");
    if (done == "ajoutee") form.notice = "La séance est ajoutée au programme.";
    if (done == "enregistree") form.notice = "La séance est modifiée.";
    if (done == "supprimee") form.notice = "La séance est retirée du programme.";
    return agenda_page(req, ctx, managed, form, std::nullopt);
}

response show_session(const request& req, const route_params& params, context& ctx,
                      const managed_event& managed) {
    const auto sid = parse_id(params.get("session"));
    if (!sid) return error_page(404);
    const auto s = ctx.app.sessions.get_session(managed.as(), id_text(managed.event.id), *sid);
    if (!s) return error_page_for(s.error());
    return agenda_page(req, ctx, managed, form_of(*s, s->timezone), sid);
}

// Saves the form (a new session, or `editing`), or runs what its other buttons ask: search
// speakers, create a speaker and check them. Those re-render the form as typed.
response post_session(const request& req, context& ctx, const managed_event& m,
                      std::optional<id_t> editing) {
    const auto posted = read_form(req);
    auto form = form_of(posted);
    const auto action = form_value(posted, "action");
    if (action == "chercher") return agenda_page(req, ctx, m, form, editing);
    if (action == "creer_intervenant") {
        speaker_fields fields;
        fields.full_name = form_value(posted, "speaker_name");
        const auto organization = form_value(posted, "speaker_organization");
        if (!organization.empty()) fields.organization = std::optional<std::string>(organization);
        const auto created = ctx.app.speakers.create_speaker(m.as(), fields, ctx.now);
        if (!created) {
            if (created.error().code != errc::invalid) return error_page_for(created.error());
            form.errors.push_back(shown("session", "speaker_name", field_rule::format));
            form.status = 422;
            return agenda_page(req, ctx, m, form, editing);
        }
        form.speaker_ids.push_back(id_text(created->id));
        form.values.erase("speaker_name");
        form.values.erase("speaker_organization");
        form.notice = created->full_name + " intervient désormais dans la séance.";
        return agenda_page(req, ctx, m, form, editing);
    }
    const auto fields = fields_of(form, m.event.timezone, form.errors);
    if (form.errors.empty()) {
        const auto event_id = id_text(m.event.id);
        const auto saved =
            editing
                ? ctx.app.sessions.update_session(m.as(), event_id, *editing, fields, {}, ctx.now)
                : ctx.app.sessions.create_session(m.as(), event_id, fields, ctx.now);
        if (saved)
            return see_other(agenda_url(m.event) +
                             (editing ? "?fait=enregistree" : "?fait=ajoutee"));
        const auto& error = saved.error();
        if (error.code == errc::conflict && !error.conflicts.empty()) {
            form.conflicts = error.conflicts;
            form.status = 409;
            return agenda_page(req, ctx, m, form, editing);
        }
        if (error.code != errc::invalid) return error_page_for(error);
        for (const auto& f : error.fields)
            form.errors.push_back(shown("session", f));
    }
    form.status = 422;
    return agenda_page(req, ctx, m, form, editing);
}

response add_session(const request& req, const route_params&, context& ctx,
                     const managed_event& managed) {
    return post_session(req, ctx, managed, std::nullopt);
}

response update_session(const request& req, const route_params& params, context& ctx,
                        const managed_event& managed) {
    const auto sid = parse_id(params.get("session"));
    if (!sid) return error_page(404);
    if (const auto s = ctx.app.sessions.get_session(managed.as(), id_text(managed.event.id), *sid);
        !s)
        return error_page_for(s.error());
    return post_session(req, ctx, managed, sid);
}

response show_delete_session(const request& req, const route_params& params, context& ctx,
                             const managed_event& managed) {
    const auto sid = parse_id(params.get("session"));
    if (!sid) return error_page(404);
    const auto found = ctx.app.sessions.list_sessions(managed.as(), id_text(managed.event.id));
    if (!found) return error_page_for(found.error());
    for (const auto& s : found->items)
        if (s.id == *sid)
            return confirmation_page(
                req, ctx,
                {"Retirer « " + s.title + " » du programme ?",
                 "La séance disparaît du programme public et des agendas abonnés ; les places "
                 "prises à cet atelier sont rendues. Ce retrait est définitif : pour la remettre, "
                 "il faudra la créer de nouveau.",
                 agenda_url(managed.event) + "/" + id_text(s.id) + "/suppression",
                 "Retirer la séance du programme", agenda_url(managed.event) + "/" + id_text(s.id),
                 "Ne rien changer, revenir à la séance", true,
                 event_nav(managed.event, "/programme")});
    return error_page(404);
}

response delete_session(const request&, const route_params& params, context& ctx,
                        const managed_event& managed) {
    const auto sid = parse_id(params.get("session"));
    if (!sid) return error_page(404);
    const auto done =
        ctx.app.sessions.delete_session(managed.as(), id_text(managed.event.id), *sid, ctx.now);
    if (!done) return error_page_for(done.error());
    return see_other(agenda_url(managed.event) + "?fait=supprimee");
}

} // namespace

void register_console_agenda_pages(http::router& r) {
    r.add("GET", "/gestion/evenements/{id}/programme", event_page(show_agenda));
    r.add("POST", "/gestion/evenements/{id}/programme", event_page(add_session));
    r.add("GET", "/gestion/evenements/{id}/programme/{session}", event_page(show_session));
    r.add("POST", "/gestion/evenements/{id}/programme/{session}", event_page(update_session));
    r.add("GET", "/gestion/evenements/{id}/programme/{session}/suppression",
          event_page(show_delete_session));
    r.add("POST", "/gestion/evenements/{id}/programme/{session}/suppression",
          event_page(delete_session));
}

} // namespace rencontres::web
