// The public site (API.md §11): upcoming events, an event with its programme and registration
// form, a speaker, the label's palmarès, and the static files. French, without JavaScript.
#include "domain/common/french.hpp"
#include "domain/common/zone.hpp"
#include "server/api/agenda_cache.hpp"
#include "server/api/json_io.hpp"
#include "server/render/rich_text.hpp"
#include "server/security/form_tokens.hpp"
#include "server/security/sealer.hpp"
#include "server/transport/problem.hpp"
#include "server/transport/router.hpp"
#include "server/web/pages.hpp"
#include "server/web/registration_form.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace rencontres::web {
namespace {

// The regions of France, for the filter of the home page.
constexpr std::array<std::string_view, 18> regions{"Auvergne-Rhône-Alpes",
                                                   "Bourgogne-Franche-Comté",
                                                   "Bretagne",
                                                   "Centre-Val de Loire",
                                                   "Corse",
                                                   "Grand Est",
                                                   "Guadeloupe",
                                                   "Guyane",
                                                   "Hauts-de-France",
                                                   "Île-de-France",
                                                   "La Réunion",
                                                   "Martinique",
                                                   "Mayotte",
                                                   "Normandie",
                                                   "Nouvelle-Aquitaine",
                                                   "Occitanie",
                                                   "Pays de la Loire",
                                                   "Provence-Alpes-Côte d'Azur"};

constexpr int events_per_page = 20;

// The meetings to come (the home page) or past (most recent first), searched and filtered by
// region the same way, 20 a page.
response event_list(const request& req, context& ctx, bool past) {
    const std::string path = past ? "/evenements/passees" : "/";
    event_filter filter;
    if (past) {
        filter.ended_before = ctx.now;
        filter.most_recent_first = true;
    } else {
        filter.from = ctx.now;
    }
    filter.status = event_status::published;
    filter.limit = events_per_page;
    const auto q = std::string(req.query_value("q").value_or(""));
    const auto region = std::string(req.query_value("region").value_or(""));
    if (!q.empty()) filter.q = q.substr(0, 200);
    if (!region.empty()) filter.region = region;
    if (const auto after = req.query_value("apres")) {
        filter.after = http::parse_event_cursor(*after);
        if (!filter.after) return error_page(404);
    }
    const auto found = ctx.app.events.list_events(actor::anonymous(), filter);
    if (!found) return error_page_for(found.error());
    view v;
    v.set("q", q);
    v.set("action", path);
    v.set("past", flag(past));
    auto region_list = list_view();
    for (const auto r : regions) {
        view item;
        item.set("name", std::string(r));
        item.set("selected", flag(r == region));
        region_list.push_back(item);
    }
    v.set("regions", region_list);
    auto events = list_view();
    for (const auto& e : found->items) {
        view item;
        item.set("slug", e.slug);
        item.set("title", e.title);
        item.set("when", event_when(e));
        item.set("where", event_where(e));
        if (!e.summary.empty()) item.set("summary", e.summary);
        // Full while one may still register: the waiting list is said on the card.
        if (!past)
            if (const auto seats =
                    ctx.app.registrations.availability(actor::anonymous(), id_text(e.id), ctx.now);
                seats && seats->window == registration_window::open && seats->seats_left() &&
                *seats->seats_left() == 0)
                item.set("full", flag(true));
        events.push_back(item);
    }
    v.set("has_events", flag(!found->items.empty()));
    v.set("events", events);
    const bool filtered = !q.empty() || !region.empty();
    v.set("filtered", flag(filtered));
    v.set("clear", path);
    const auto n = found->items.size();
    v.set("count_text", n == 0   ? std::string("Aucune rencontre trouvée")
                        : n == 1 ? std::string("1 rencontre trouvée")
                                 : std::to_string(n) + (found->next ? " premières" : "") +
                                       " rencontres trouvées");
    if (found->next)
        v.set("next", path + "?q=" + query_escape(q) + "&region=" + query_escape(region) +
                          "&apres=" + http::event_cursor_text(*found->next));
    const std::string which = past ? "rencontres passées" : "rencontres à venir";
    v.set("heading", capitalized(which));
    return page("home", filtered ? "Recherche : " + which : capitalized(which), v);
}

response home(const request& req, const route_params&, context& ctx) {
    return event_list(req, ctx, false);
}

response past_events(const request& req, const route_params&, context& ctx) {
    return event_list(req, ctx, true);
}

// --- the event page, rendered once per change of the event, its programme or its seats ---------

// schema.org Event, for search engines and calendar tools. Serialized by Boost.JSON, then made
// unable to close the <script> element it sits in.
std::string json_ld(const context& ctx, const event& e) {
    // Keys in the order readers of the page have always seen them.
    boost::json::object ld{
        {"@context", "https://schema.org"}, {"@type", "Event"}, {"name", e.title}};
    if (e.starts_at) ld["startDate"] = format_in_zone(*e.starts_at, e.timezone);
    if (e.ends_at) ld["endDate"] = format_in_zone(*e.ends_at, e.timezone);
    ld["eventStatus"] = e.status == event_status::cancelled ? "https://schema.org/EventCancelled"
                                                            : "https://schema.org/EventScheduled";
    ld["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode";
    if (!e.summary.empty()) ld["description"] = e.summary;
    ld["url"] = absolute_url(ctx, "/evenements/" + e.slug);
    ld["location"] =
        boost::json::object{{"@type", "Place"},
                            {"name", e.venue.name.empty() ? e.venue.city : e.venue.name},
                            {"address", boost::json::object{{"@type", "PostalAddress"},
                                                            {"streetAddress", e.venue.address},
                                                            {"postalCode", e.venue.postal_code},
                                                            {"addressLocality", e.venue.city},
                                                            {"addressCountry", "FR"}}}};
    std::string out;
    for (const char c : boost::json::serialize(ld)) {
        if (c == '<')
            out += "\\u003c";
        else if (c == '>')
            out += "\\u003e";
        else if (c == '&')
            out += "\\u0026";
        else
            out += c;
    }
    return "<script type=\"application/ld+json\">" + out + "</script>";
}

// The next instant at which the page changes by itself: registration opens, closes, or the
// event starts; and at least every hour, so that the form's token stays fresh.
instant page_valid_until(const event& e, instant now) {
    instant until = now + std::chrono::hours{1};
    for (const auto& at : {e.registration_opens_at, e.registration_closes_at, e.starts_at})
        if (at && *at > now) until = std::min(until, *at);
    return until;
}

} // namespace

response render_event_page(context& ctx, std::string_view key, const form_state* state) {
    const auto a = ctx.app.sessions.get_agenda(actor::anonymous(), key);
    if (!a) return error_page_for(a.error());
    const auto seats = ctx.app.registrations.availability(actor::anonymous(), key, ctx.now);
    if (!seats) return error_page_for(seats.error());
    const auto& e = a->event;
    view v;
    v.set("title", e.title);
    v.set("cancelled", flag(e.status == event_status::cancelled));
    if (!e.summary.empty()) v.set("summary", e.summary);
    v.set("when", event_when(e));
    if (const auto where = event_where(e); !where.empty()) v.set("where", where);
    const auto left = seats->seats_left();
    std::string seats_text;
    if (!left)
        seats_text = "Entrée libre sur inscription, sans limite de places";
    else if (*left > 0)
        seats_text =
            *left == 1 ? "Il reste 1 place" : "Il reste " + std::to_string(*left) + " places";
    else
        seats_text =
            "Complet : liste d'attente" +
            (seats->waitlisted > 0
                 ? " (" + std::to_string(seats->waitlisted) +
                       (seats->waitlisted == 1 ? " personne" : " personnes") + " en attente)"
                 : std::string());
    // Seats matter while one can still register.
    if (seats->window == registration_window::open ||
        seats->window == registration_window::not_yet_open)
        v.set("seats_text", seats_text);
    const auto ics_path = "/v1/events/" + id_text(e.id) + "/agenda.ics";
    v.set("ics_url", ics_path);
    v.set("webcal_url", webcal_url(ctx, ics_path));
    const auto description = paragraphs(e.description);
    v.set("has_description", flag(!description.empty()));
    auto desc = list_view();
    for (const auto& p : description)
        desc.push_back(view(p));
    v.set("description", desc);

    auto days = list_view();
    for (const auto& day : a->days()) {
        view d;
        d.set("date_text", capitalized(french_local_date(day.date)));
        auto sessions = list_view();
        for (const auto* s : day.sessions) {
            view sv;
            sv.set("title", s->title);
            sv.set("hours", french_hours(s->starts_at, s->ends_at, e.timezone));
            if (s->room) sv.set("room", *s->room);
            if (s->track) sv.set("track", *s->track);
            if (s->abstract) sv.set("abstract", *s->abstract);
            sv.set("kind", session_kind_text(s->kind));
            if (s->capacity)
                sv.set("session_seats",
                       workshop_seats_text(seats->session_seats_left(s->id, *s->capacity)));
            auto speakers = list_view();
            for (std::size_t i = 0; i < s->speaker_ids.size(); ++i) {
                const auto* sp = a->find_speaker(s->speaker_ids[i]);
                if (!sp) continue;
                view spv;
                spv.set("id", id_text(sp->id));
                spv.set("name", sp->full_name);
                std::string detail = sp->title.value_or("");
                if (sp->organization) detail += (detail.empty() ? "" : ", ") + *sp->organization;
                if (!detail.empty()) spv.set("detail", detail);
                spv.set("last", flag(i + 1 == s->speaker_ids.size()));
                speakers.push_back(spv);
            }
            sv.set("has_speakers", flag(!s->speaker_ids.empty()));
            sv.set("speakers", speakers);
            if (s->questions != question_mode::off && e.status == event_status::published)
                sv.set("room_href",
                       "/evenements/" + e.slug + "/seances/" + id_text(s->id) + "/questions");
            sessions.push_back(sv);
        }
        d.set("sessions", sessions);
        days.push_back(d);
    }
    v.set("days", days);
    // The meeting's report, once published.
    if (const auto r = ctx.app.reports.get_report(actor::anonymous(), id_text(e.id))) {
        const auto& rep = r->report;
        view rv;
        rv.set("introduction", render::rich_html(rep.introduction));
        if (rep.published_at)
            rv.set("published_text", "Publié le " + french_date(*rep.published_at, e.timezone));
        auto parts = list_view();
        for (const auto& part : rep.sessions) {
            const auto it = std::find_if(a->sessions.begin(), a->sessions.end(),
                                         [&](const session& s) { return s.id == part.session_id; });
            if (it == a->sessions.end()) continue;
            view pv;
            pv.set("title", it->title);
            pv.set("summary", render::rich_html(part.summary));
            auto quotes = list_view();
            for (const auto& q : part.quotes) {
                view qv;
                qv.set("text", render::rich_html(q.text));
                if (q.speaker_id)
                    if (const auto* sp = a->find_speaker(*q.speaker_id)) {
                        qv.set("speaker", sp->full_name);
                        qv.set("speaker_href", "/intervenants/" + id_text(sp->id));
                    }
                quotes.push_back(qv);
            }
            pv.set("quotes", quotes);
            auto resources = list_view();
            for (const auto& res : part.resources) {
                view resv;
                resv.set("label", res.label);
                resv.set("url", res.url);
                resources.push_back(resv);
            }
            pv.set("has_resources", flag(!part.resources.empty()));
            pv.set("resources", resources);
            parts.push_back(pv);
        }
        rv.set("parts", parts);
        v.set("meeting_report", rv);
    }
    // The palmarès of the label's edition presented at this meeting, once one is awarded.
    if (const auto p = ctx.app.labels.palmares_presented_at(e.id); p && !p->categories.empty()) {
        view pv;
        set_palmares(pv, *p);
        pv.set("year", std::to_string(p->campaign.year));
        pv.set("intro", "Les prix de l'édition « " + p->campaign.name +
                            " » ont été remis lors de cette rencontre.");
        v.set("label_palmares", pv); // not "palmares": a template of that name exists
    }
    fill_registration_form(ctx, v, *a, *seats, state);
    page_options o;
    o.head = json_ld(ctx, e);
    const bool refused = state && (!state->errors.empty() || !state->form_problem.empty());
    if (refused) o.status = state->status;
    return page("event", (refused ? "Erreur : " : "") + e.title, v, o);
}

namespace {

// The cached bytes of an event page with the headers of every page, ETag and 304.
response serve_page(const request& req, const std::shared_ptr<const http::agenda_rendering>& made) {
    response r;
    r.status = 200;
    r.headers = made->html_headers;
    r.set("ETag", made->html_etag);
    if (const auto none_match = req.header_value("If-None-Match");
        none_match && http::etag_listed(*none_match, made->html_etag, true)) {
        r.status = 304;
        r.shared_body = nullptr;
        return r;
    }
    r.shared_body = std::shared_ptr<const std::string>(made, &made->html);
    return r;
}

std::string page_key(std::string_view slug) {
    return "page:" + std::string(slug);
}

response event_page(const request& req, const route_params& params, context& ctx) {
    response refused; // the page's error, when there is no rendering to keep
    const auto made = ctx.app.agendas.find_or_make(
        page_key(params.get("slug")), ctx.now,
        [&]() -> std::shared_ptr<const http::agenda_rendering> {
            auto r = render_event_page(ctx, params.get("slug"), nullptr);
            if (r.status != 200) {
                refused = std::move(r);
                return nullptr;
            }
            const auto e = ctx.app.events.get_event(actor::anonymous(), params.get("slug"));
            if (!e) {
                refused = error_page_for(e.error());
                return nullptr;
            }
            auto made = std::make_shared<http::agenda_rendering>();
            made->event_id = e->id;
            made->is_public = true;
            made->with_seats = true;
            made->valid_until = page_valid_until(*e, ctx.now);
            made->html = std::move(r.body);
            made->html_etag = "\"" + security::sha256_hex(made->html).substr(0, 32) + "\"";
            made->html_headers = std::move(r.headers);
            return made;
        });
    return made ? serve_page(req, made) : refused;
}

// On the network thread: the current rendering of a public event page, if any.
std::optional<response> cached_event_page(const request& req, const route_params& params,
                                          http::services& app) {
    const auto made = app.agendas.find(page_key(params.get("slug")), app.time.now());
    if (!made) return std::nullopt;
    return serve_page(req, made);
}

response speaker_page(const request&, const route_params& params, context& ctx) {
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto found = ctx.app.speakers.get_speaker(*id);
    if (!found) return error_page_for(found.error());
    const auto& sp = found->speaker;
    view v;
    v.set("full_name", sp.full_name);
    std::string detail = sp.title.value_or("");
    if (sp.organization) detail += (detail.empty() ? "" : ", ") + *sp.organization;
    if (!detail.empty()) v.set("detail", detail);
    if (sp.bio) v.set("bio", *sp.bio);
    auto links = list_view();
    for (const auto& l : sp.links)
        if (l.rfind("https://", 0) == 0 || l.rfind("http://", 0) == 0) links.push_back(view(l));
    v.set("has_links", flag(!sp.links.empty()));
    v.set("links", links);
    auto sessions = list_view();
    for (const auto& s : found->published_sessions) {
        const auto* e = found->event_of(s);
        if (!e) continue;
        view sv;
        sv.set("title", s.title);
        sv.set("when", capitalized(french_date(s.starts_at, e->timezone) + ", " +
                                   french_hours(s.starts_at, s.ends_at, e->timezone)));
        if (s.room) sv.set("room", *s.room);
        sv.set("event_slug", e->slug);
        sv.set("event_title", e->title);
        sessions.push_back(sv);
    }
    v.set("has_sessions", flag(!found->published_sessions.empty()));
    v.set("sessions", sessions);
    return page("speaker", sp.full_name, v);
}

response palmares_of(context& ctx, std::optional<int> wanted) {
    const auto campaigns = ctx.app.labels.list_campaigns(actor::anonymous());
    if (!campaigns) return error_page_for(campaigns.error());
    std::vector<int> years;
    for (const auto& c : *campaigns)
        if (c.status != campaign_status::draft) years.push_back(c.year);
    std::sort(years.rbegin(), years.rend());
    if (years.empty() && !wanted)
        return page("error", "Palmarès", [] {
            view v;
            v.set("heading", std::string("Palmarès du label « Territoires innovants »"));
            v.set("text", std::string("Aucune édition du label n'a encore été publiée."));
            return v;
        }());
    const int year = wanted.value_or(years.empty() ? 0 : years.front());
    const auto found = ctx.app.labels.get_palmares(year);
    if (!found) return error_page_for(found.error());
    view v;
    v.set("year", std::to_string(year));
    auto year_list = list_view();
    for (const auto y : years) {
        view item;
        item.set("year", std::to_string(y));
        item.set("current", flag(y == year));
        year_list.push_back(item);
    }
    v.set("has_years", flag(years.size() > 1));
    v.set("years", year_list);
    set_palmares(v, *found);
    return page("palmares", "Palmarès " + std::to_string(year), v);
}

response palmares_latest(const request&, const route_params&, context& ctx) {
    return palmares_of(ctx, std::nullopt);
}

response palmares_year(const request&, const route_params& params, context& ctx) {
    int year = 0;
    const auto text = params.get("year");
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
    if (ec != std::errc{} || end != text.data() + text.size()) return error_page(404);
    return palmares_of(ctx, year);
}

// Static files: immutable under their versioned URL.
response static_asset(const request& req, const route_params& params, context&) {
    const auto* file = static_file(params.get("file"));
    if (!file) return error_page(404);
    response r;
    const auto name = params.get("file");
    const auto ext = name.substr(name.rfind('.') + 1);
    r.set("Content-Type", ext == "css"  ? "text/css; charset=utf-8"
                          : ext == "js" ? "text/javascript; charset=utf-8"
                                        : "application/octet-stream");
    r.set("Cache-Control", "public, max-age=31536000, immutable");
    r.set("X-Content-Type-Options", "nosniff");
    const auto etag = "\"" + security::sha256_hex(*file).substr(0, 32) + "\"";
    r.set("ETag", etag);
    if (const auto none_match = req.header_value("If-None-Match");
        none_match && http::etag_listed(*none_match, etag, true)) {
        r.status = 304;
        return r;
    }
    r.body = std::string(*file);
    return r;
}

} // namespace

void register_public_pages(http::router& r) {
    r.add("GET", "/", page_route(home));
    r.add("GET", "/evenements/passees", page_route(past_events));
    r.add("GET", "/evenements/{slug}", page_route(event_page), cached_event_page);
    r.add("GET", "/intervenants/{id}", page_route(speaker_page));
    r.add("GET", "/palmares", page_route(palmares_latest));
    r.add("GET", "/palmares/{year}", page_route(palmares_year));
    r.add("GET", "/static/{file}", static_asset, http::lane::network);
}

} // namespace rencontres::web
