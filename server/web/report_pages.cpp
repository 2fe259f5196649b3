// The meeting's report in the console (API.md §13, §15) and the Atom feed of published reports
// (RFC 4287). The event's page shows a published report (public_pages.cpp).
#include "domain/common/french.hpp"
#include "server/render/rich_text.hpp"
#include "server/transport/problem.hpp"
#include "server/web/console.hpp"
#include "server/web/pages.hpp"
#include "server/web/routes.hpp"

#include <algorithm>
#include <map>

namespace rencontres::web {
namespace {

std::string report_url(const event& e) {
    return "/gestion/evenements/" + id_text(e.id) + "/rapport";
}

std::string trimmed(std::string text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

// The form as typed, per session: summary, quotes, resources.
struct typed_part {
    std::string summary, quotes, resources;
};
struct report_form {
    int status = 200;
    std::string notice, refusal;
    std::string introduction;
    std::map<id_t, typed_part> parts;
    std::vector<field_error> errors;
};

report_form form_of(const report& r, const agenda& a) {
    report_form f;
    f.introduction = r.introduction;
    for (const auto& part : r.sessions) {
        typed_part t;
        t.summary = part.summary;
        for (const auto& q : part.quotes) {
            const auto* sp = q.speaker_id ? a.find_speaker(*q.speaker_id) : nullptr;
            t.quotes += (sp ? sp->full_name + " : " : std::string()) + q.text + "\n";
        }
        for (const auto& res : part.resources)
            t.resources += res.label + " | " + res.url + "\n";
        f.parts[part.session_id] = t;
    }
    return f;
}

response report_page(const request& req, context& ctx, const managed_event& m,
                     const report_form& form) {
    const auto a = ctx.app.sessions.get_agenda(m.as(), id_text(m.event.id));
    if (!a) return error_page_for(a.error());
    const auto current = ctx.app.reports.get_report(m.as(), id_text(m.event.id));
    const auto& e = a->event;
    view v;
    v.set("nav", event_nav(e, "/rapport"));
    v.set("action", report_url(e));
    v.set("csrf", console_token(req, ctx));
    if (!form.notice.empty()) v.set("notice", form.notice);
    if (!form.refusal.empty()) v.set("refusal", form.refusal);
    const bool published = current && current->report.status == report_status::published;
    v.set("status_text", !current    ? "Pas encore de compte rendu."
                         : published ? "Compte rendu publié."
                                     : "Brouillon, visible de l'équipe d'organisation seulement.");
    if (published) v.set("public_href", "/evenements/" + e.slug + "#compte-rendu");
    v.set("can_publish", flag(current && !published));
    v.set("introduction", form.introduction);
    for (const auto& err : form.errors)
        if (err.field == "introduction") v.set("introduction_error", err.message);
    set_error_summary(v, form.errors);
    auto sessions = list_view();
    for (const auto& s : a->sessions) {
        view sv;
        sv.set("id", id_text(s.id));
        sv.set("title", s.title);
        if (const auto it = form.parts.find(s.id); it != form.parts.end()) {
            sv.set("summary", it->second.summary);
            sv.set("quotes", it->second.quotes);
            sv.set("resources", it->second.resources);
        }
        for (const auto& err : form.errors)
            for (const auto* part : {"summary", "quotes", "resources"})
                if (err.field == std::string(part) + "-" + id_text(s.id))
                    sv.set(std::string(part) + "_error", err.message);
        sessions.push_back(sv);
    }
    v.set("sessions", sessions);
    return page("console_rapport",
                (form.errors.empty() ? "" : "Erreur : ") + std::string("Compte rendu — ") + e.title,
                v, private_page(form.status));
}

response show_report(const request& req, const route_params&, context& ctx,
                     const managed_event& m) {
    const auto a = ctx.app.sessions.get_agenda(m.as(), id_text(m.event.id));
    if (!a) return error_page_for(a.error());
    report_form form;
    if (const auto current = ctx.app.reports.get_report(m.as(), id_text(m.event.id)))
        form = form_of(current->report, *a);
    const auto done = req.query_value("fait").value_or("");
    if (done == "enregistre") form.notice = "Le compte rendu est enregistré.";
    if (done == "publie") form.notice = "Le compte rendu est publié sur la page de la rencontre.";
    return report_page(req, ctx, m, form);
}

// Which of the form's fields a domain error names: "summary-<session>", "quotes-<session>"...
std::string form_field(const std::string& field, const report_fields& fields) {
    if (field.rfind("sessions[", 0) != 0) return "introduction";
    const auto index = std::stoul(field.substr(9));
    const auto session = index < fields.sessions.size()
                             ? fields.sessions[index].session_id.value_or("")
                             : std::string();
    const auto rest = field.substr(field.find(']') + 1);
    const auto part = rest.rfind(".quotes", 0) == 0      ? "quotes"
                      : rest.rfind(".resources", 0) == 0 ? "resources"
                                                         : "summary";
    return std::string(part) + "-" + session;
}

response post_report(const request& req, const route_params&, context& ctx,
                     const managed_event& m) {
    const auto posted = read_form(req);
    const auto action = form_value(posted, "action");
    const auto back = report_url(m.event);
    if (action == "publier") {
        const auto done = ctx.app.reports.publish_report(m.as(), id_text(m.event.id), ctx.now);
        if (!done) {
            if (done.error().code != errc::conflict) return error_page_for(done.error());
            const auto a = ctx.app.sessions.get_agenda(m.as(), id_text(m.event.id));
            const auto current = ctx.app.reports.get_report(m.as(), id_text(m.event.id));
            if (!a || !current) return error_page(409);
            auto form = form_of(current->report, *a);
            form.status = 409;
            form.refusal = std::string(render::french(done.error().broken));
            return report_page(req, ctx, m, form);
        }
        return see_other(back + "?fait=publie");
    }
    if (action != "enregistrer") return error_page(400);
    const auto a = ctx.app.sessions.get_agenda(m.as(), id_text(m.event.id));
    if (!a) return error_page_for(a.error());
    report_form form;
    form.introduction = form_value(posted, "introduction");
    const auto ids = form_values(posted, "session_id");
    const auto summaries = form_values(posted, "summary");
    const auto quotes = form_values(posted, "quotes");
    const auto resources = form_values(posted, "resources");
    report_fields fields;
    fields.introduction = form.introduction;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        typed_part t{i < summaries.size() ? summaries[i] : "", i < quotes.size() ? quotes[i] : "",
                     i < resources.size() ? resources[i] : ""};
        const auto sid = parse_id(ids[i]);
        if (!sid) return error_page(400);
        form.parts[*sid] = t;
        // An empty part is left out of the report.
        if (nonblank_lines(t.summary).empty() && nonblank_lines(t.quotes).empty() &&
            nonblank_lines(t.resources).empty())
            continue;
        report_fields::session part;
        part.session_id = ids[i];
        part.summary = t.summary;
        const auto* s = [&]() -> const session* {
            for (const auto& x : a->sessions)
                if (x.id == *sid) return &x;
            return nullptr;
        }();
        for (const auto& line : nonblank_lines(t.quotes)) {
            report_fields::quote q{trimmed(line), std::nullopt};
            // "Name : quote" attributes it to a speaker of the session of that name.
            if (const auto colon = line.find(" : "); colon != std::string::npos && s)
                for (const auto speaker_id : s->speaker_ids)
                    if (const auto* sp = a->find_speaker(speaker_id);
                        sp && sp->full_name == trimmed(line.substr(0, colon))) {
                        q = {trimmed(line.substr(colon + 3)), id_text(sp->id)};
                        break;
                    }
            part.quotes.push_back(q);
        }
        for (const auto& line : nonblank_lines(t.resources)) {
            const auto bar = line.rfind('|');
            if (bar == std::string::npos)
                part.resources.push_back({std::nullopt, trimmed(line)});
            else
                part.resources.push_back(
                    {trimmed(line.substr(0, bar)), trimmed(line.substr(bar + 1))});
        }
        fields.sessions.push_back(std::move(part));
    }
    const auto saved = ctx.app.reports.put_report(m.as(), id_text(m.event.id), fields, ctx.now);
    if (!saved) {
        if (saved.error().code != errc::invalid) return error_page_for(saved.error());
        for (const auto& f : saved.error().fields) {
            // The sentence of the part ("summary"), the anchor of the session's field.
            const auto field = form_field(f.field, fields);
            auto e = shown("report", field_error{field.substr(0, field.find('-')), f.broken, {}});
            e.field = field;
            form.errors.push_back(std::move(e));
        }
        form.status = 422;
        return report_page(req, ctx, m, form);
    }
    return see_other(back + "?fait=enregistre");
}

// --- the Atom feed ----------------------------------------------------------------------------

// Text fields hold no control character (the domain's checks): the HTML escape is the XML one.
response reports_feed(const request&, const route_params&, context& ctx) {
    const auto reports = ctx.app.reports.published_reports(50);
    const auto base = absolute_url(ctx, "/");
    const auto self = absolute_url(ctx, "/rapports.atom");
    std::string updated = "1970-01-01T00:00:00Z";
    for (const auto& r : reports)
        updated = std::max(updated, format_utc(r.report.updated_at));
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n";
    out += "<title>Comptes rendus des rencontres</title>\n";
    out += "<subtitle>Les comptes rendus publiés des rencontres IntercoTour</subtitle>\n";
    out += "<id>" + escape_html(self) + "</id>\n";
    out +=
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + escape_html(self) + "\"/>\n";
    out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + escape_html(base) + "\"/>\n";
    out += "<updated>" + updated + "</updated>\n";
    out += "<author><name>Rencontres</name></author>\n";
    for (const auto& r : reports) {
        const auto url = absolute_url(ctx, "/evenements/" + r.event.slug + "#compte-rendu");
        out += "<entry>\n";
        out += "<title>Compte rendu : " + escape_html(r.event.title) + "</title>\n";
        out += "<id>" + escape_html(absolute_url(ctx, "/evenements/" + id_text(r.event.id))) +
               "/compte-rendu</id>\n";
        out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + escape_html(url) + "\"/>\n";
        out += "<published>" + format_utc(r.report.published_at.value_or(r.report.updated_at)) +
               "</published>\n";
        out += "<updated>" + format_utc(r.report.updated_at) + "</updated>\n";
        out += "<summary type=\"text\">" + escape_html(render::rich_plain(r.report.introduction)) +
               "</summary>\n";
        out += "<content type=\"html\">" + escape_html(render::rich_html(r.report.introduction)) +
               "</content>\n";
        out += "</entry>\n";
    }
    out += "</feed>\n";
    response res;
    res.set("Content-Type", "application/atom+xml; charset=utf-8");
    res.set("X-Content-Type-Options", "nosniff");
    res.body = std::move(out);
    return res;
}

} // namespace

void register_report_pages(http::router& r) {
    r.add("GET", "/rapports.atom", page_route(reports_feed));
    r.add("GET", "/gestion/evenements/{id}/rapport", event_page(show_report));
    r.add("POST", "/gestion/evenements/{id}/rapport", event_page(post_report));
}

} // namespace rencontres::web
