// The console's registrations (API.md §13): the table (search, status, 50 a page, the waiting
// list in its order, the CSV), a cancellation on a participant's behalf behind a confirmation
// (the next one waiting is promoted, as through the API), the check-in list made for a phone at
// the door, and the numbers with a chart of registrations per day drawn by the server as SVG.
#include "domain/common/french.hpp"
#include "domain/common/text.hpp"
#include "domain/common/zone.hpp"
#include "server/api/representations.hpp"
#include "server/transport/router.hpp"
#include "server/web/console.hpp"

#include <algorithm>

namespace rencontres::web {
namespace {

constexpr int table_page_size = 50;
constexpr int door_page_size = 30;

std::string base_url(const event& e) {
    return "/gestion/evenements/" + id_text(e.id);
}

std::string workshop_url(const event& e, id_t session_id) {
    return base_url(e) + "/ateliers/" + id_text(session_id);
}

std::string registrant_url(const event& e, id_t registration_id) {
    return base_url(e) + "/inscriptions/" + id_text(registration_id);
}

// "mardi 11 juin 2031, 9 h 30", in the event's zone.
std::string when_text(instant at, const std::string& zone) {
    return french_date(at, zone) + ", " + french_time(at, zone);
}

// A query string of the non-empty pairs: "?q=...&statut=...".
std::string query_string(std::initializer_list<std::pair<const char*, std::string>> pairs) {
    std::string out;
    for (const auto& [name, value] : pairs)
        if (!value.empty())
            out += (out.empty() ? "?" : "&") + std::string(name) + "=" + query_escape(value);
    return out;
}

std::string registration_status_text(const registration& r) {
    switch (r.status) {
    case registration_status::confirmed:
        return "Confirmée";
    case registration_status::waitlisted:
        return r.waitlist_position
                   ? "Liste d'attente (" + std::to_string(*r.waitlist_position) + ")"
                   : "Liste d'attente";
    default:
        return "Annulée";
    }
}

std::string people(int n) {
    return std::to_string(n) + (n > 1 ? " personnes" : " personne");
}

// -- the table --------------------------------------------------------------------------------

response show_registrations(const request& req, const route_params&, context& ctx,
                            const managed_event& managed) {
    const auto& e = managed.event;
    const auto q = std::string(req.query_value("q").value_or(""));
    const auto status = std::string(req.query_value("statut").value_or(""));
    page_request request{table_page_size, std::nullopt};
    if (const auto after = req.query_value("apres")) {
        request.after = parse_id(*after);
        if (!request.after) return error_page(404);
    }
    std::optional<std::string> wanted;
    if (!status.empty()) {
        if (!parse_registration_status(status)) return error_page(404);
        wanted = status;
    }
    const auto found = ctx.app.registrations.list_registrations(
        managed.as(), id_text(e.id), wanted, request,
        q.empty() ? std::nullopt : std::optional<std::string>(q), list_order::by_name);
    if (!found) return error_page_for(found.error());
    view v;
    v.set("nav", event_nav(e, "/inscriptions"));
    v.set("title", e.title);
    v.set("q", q);
    v.set("action", base_url(e) + "/inscriptions");
    v.set("csv", base_url(e) + "/inscriptions.csv");
    v.set("badges", base_url(e) + "/badges.pdf");
    auto statuses = list_view();
    for (const auto& [value, label] : std::initializer_list<std::pair<std::string, std::string>>{
             {"", "Toutes"},
             {"confirmed", "Confirmées"},
             {"waitlisted", "Liste d'attente, dans l'ordre"},
             {"cancelled", "Annulées"}}) {
        view o;
        o.set("option_value", value);
        o.set("option_label", label);
        o.set("selected", flag(value == status));
        statuses.push_back(o);
    }
    v.set("statuses", statuses);
    if (const auto s = ctx.app.registrations.event_stats(managed.as(), id_text(e.id))) {
        v.set("counts_text", french_count(s->confirmed, "confirmée", "confirmées") + ", " +
                                 std::to_string(s->waitlisted) + " en liste d'attente, " +
                                 french_count(s->cancelled, "annulée", "annulées"));
    }
    auto rows = list_view();
    for (const auto& r : found->items) {
        view row;
        row.set("full_name", r.full_name);
        row.set("organization", r.organization.value_or(""));
        row.set("email", r.email);
        row.set("status", registration_status_text(r));
        row.set("created", when_text(r.created_at, e.timezone));
        if (r.checked_in_at) row.set("checked_in", french_time(*r.checked_in_at, e.timezone));
        if (r.checked_in_at && r.status == registration_status::confirmed && e.ends_at &&
            ctx.now >= *e.ends_at)
            row.set("certificate_href", registrant_url(e, r.id) + "/attestation.pdf");
        if (r.active()) row.set("cancel_href", registrant_url(e, r.id) + "/annulation");
        row.set("href", registrant_url(e, r.id));
        rows.push_back(row);
    }
    v.set("rows", rows);
    v.set("has_rows", flag(!found->items.empty()));
    if (found->next_after)
        v.set("next",
              base_url(e) + "/inscriptions" +
                  query_string(
                      {{"q", q}, {"statut", status}, {"apres", id_text(*found->next_after)}}));
    if (request.after)
        v.set("first",
              base_url(e) + "/inscriptions" + query_string({{"q", q}, {"statut", status}}));
    const auto done = req.query_value("fait").value_or("");
    if (done == "annulee")
        v.set("notice", std::string("L'inscription est annulée ; la personne est prévenue par "
                                    "courriel, et la suivante en liste d'attente a sa place."));
    return page("console_registrations", "Inscriptions — " + e.title, v, private_page());
}

response download_registrations(const request&, const route_params&, context& ctx,
                                const managed_event& managed) {
    const auto rows =
        ctx.app.registrations.export_registrations(managed.as(), id_text(managed.event.id));
    if (!rows) return error_page_for(rows.error());
    // For a spreadsheet: the French dialect (the API's ?dialect=excel-fr).
    auto r = http::registrations_excel_csv_response(*rows);
    r.set("Content-Disposition",
          "attachment; filename=\"inscriptions-" + managed.event.slug + ".csv\"");
    r.set("Cache-Control", "no-store");
    return r;
}

// -- cancelling on a participant's behalf -----------------------------------------------------

// The registration of the URL, when it belongs to the event of the URL.
std::optional<registration> registration_of(context& ctx, const managed_event& m,
                                            std::string_view id) {
    const auto rid = parse_id(id);
    if (!rid) return std::nullopt;
    auto found = ctx.app.registrations.get_registration(m.as(), *rid, std::nullopt);
    if (!found || found->event_id != m.event.id) return std::nullopt;
    return *found;
}

response show_cancel_registration(const request& req, const route_params& params, context& ctx,
                                  const managed_event& managed) {
    const auto found = registration_of(ctx, managed, params.get("registration"));
    if (!found) return error_page(404);
    view v;
    v.set("nav", event_nav(managed.event, "/inscriptions"));
    v.set("full_name", found->full_name);
    v.set("of_name", french_of(found->full_name));
    v.set("status", registration_status_text(*found));
    v.set("active", flag(found->active()));
    v.set("action", registrant_url(managed.event, found->id) + "/annulation");
    v.set("back", base_url(managed.event) + "/inscriptions");
    v.set("csrf", console_token(req, ctx));
    return page("console_cancel_registration",
                "Annuler l'inscription " + french_of(found->full_name), v, private_page());
}

response cancel_registration(const request& req, const route_params& params, context& ctx,
                             const managed_event& managed) {
    const auto found = registration_of(ctx, managed, params.get("registration"));
    if (!found) return error_page(404);
    const auto form = read_form(req);
    auto reason = form_value(form, "reason");
    // Longer than the message keeps: cut, as the form's maxlength would have.
    if (utf8_length(reason) > 500) reason = utf8_prefix(reason, 499);
    const auto done = ctx.app.registrations.cancel_registration(
        managed.as(), found->id, std::nullopt, ctx.now,
        reason.empty() ? std::nullopt : std::optional<std::string>(reason));
    if (!durable(ctx, done ? *done : done.error().durable_after)) return error_page(503);
    // Cancelled already: the table shows it.
    if (!done && done.error().code != errc::conflict) return error_page_for(done.error());
    return see_other(base_url(managed.event) + "/inscriptions?fait=annulee");
}

// -- at the door ------------------------------------------------------------------------------

// What the walk-in form holds when it comes back: the values typed, and why it was refused.
struct walk_in_state {
    int status = 422;
    walk_in_command typed;
    std::map<std::string, std::string> errors; // by field
    bool offer_beyond_capacity = false;        // the event is full: "sur place" is asked
};

response door_page(const request& req, context& ctx, const managed_event& managed,
                   const walk_in_state* walk_in) {
    const auto& e = managed.event;
    const auto q = std::string(req.query_value("q").value_or(""));
    const auto found = ctx.app.registrations.list_registrations(
        managed.as(), id_text(e.id), std::string("confirmed"), {door_page_size, std::nullopt},
        q.empty() ? std::nullopt : std::optional<std::string>(q), list_order::by_name);
    if (!found) return error_page_for(found.error());
    view v;
    v.set("nav", event_nav(e, "/accueil"));
    v.set("title", e.title);
    v.set("q", q);
    v.set("action", base_url(e) + "/accueil");
    v.set("walk_in_action", base_url(e) + "/accueil/sur-place");
    v.set("csrf", console_token(req, ctx));
    bool full = false;
    if (const auto s = ctx.app.registrations.event_stats(managed.as(), id_text(e.id))) {
        v.set("count_text",
              french_count(s->checked_in, "arrivée", "arrivées") + " sur " +
                  french_count(s->confirmed, "inscription confirmée", "inscriptions confirmées"));
        full = s->capacity && s->confirmed >= *s->capacity;
    }
    // Someone who did not register: the short form, open when it comes back with an error.
    v.set("beyond_capacity_offered", flag(full || (walk_in && walk_in->offer_beyond_capacity)));
    if (walk_in) {
        v.set("walk_in_open", flag(true));
        v.set("walk_in_given_name", walk_in->typed.given_name);
        v.set("walk_in_family_name", walk_in->typed.family_name);
        v.set("walk_in_organization", walk_in->typed.organization.value_or(""));
        v.set("walk_in_email", walk_in->typed.email.value_or(""));
        for (const auto& [field, message] : walk_in->errors)
            v.set("walk_in_" + field + "_error", message);
    }
    auto rows = list_view();
    for (const auto& r : found->items) {
        view row;
        row.set("full_name", r.full_name);
        if (r.organization) row.set("organization", *r.organization);
        if (r.checked_in_at)
            row.set("arrived", "Arrivée à " + french_time(*r.checked_in_at, e.timezone));
        row.set("check_in", "/gestion/inscriptions/" + id_text(r.id) + "/accueil");
        row.set("undo", "/gestion/inscriptions/" + id_text(r.id) + "/accueil/annulation");
        rows.push_back(row);
    }
    v.set("rows", rows);
    v.set("has_rows", flag(!found->items.empty()));
    v.set("more", flag(found->next_after.has_value()));
    // Back from checking someone in: says who, by id (no name in a URL).
    if (const auto who = req.query_value("arrivee"))
        if (const auto arrived = registration_of(ctx, managed, *who))
            v.set("notice", "Arrivée " + french_of(arrived->full_name) + " enregistrée.");
    if (const auto who = req.query_value("annulee"))
        if (const auto undone = registration_of(ctx, managed, *who))
            v.set("notice", "Arrivée " + french_of(undone->full_name) + " annulée.");
    page_options o = private_page();
    if (walk_in) o.status = walk_in->status;
    return page("console_door",
                (walk_in ? "Erreur : " : "") + std::string("Accueil des participants — ") + e.title,
                v, o);
}

response show_door(const request& req, const route_params&, context& ctx,
                   const managed_event& managed) {
    return door_page(req, ctx, managed, nullptr);
}

// Someone at the door who did not register: registered and checked in at once.
response register_walk_in(const request& req, const route_params&, context& ctx,
                          const managed_event& managed) {
    const auto form = read_form(req);
    walk_in_state state;
    state.typed.given_name = form_value(form, "given_name");
    state.typed.family_name = form_value(form, "family_name");
    if (const auto o = form_value(form, "organization"); !o.empty()) state.typed.organization = o;
    if (const auto m = form_value(form, "email"); !m.empty()) state.typed.email = m;
    state.typed.beyond_capacity = form_value(form, "sur_place") == "oui";
    const auto done = ctx.app.registrations.register_walk_in(
        managed.as(), id_text(managed.event.id), state.typed, ctx.now);
    if (done) return see_other(base_url(managed.event) + "/accueil?arrivee=" + id_text(done->id));
    const auto& error = done.error();
    if (error.code == errc::invalid) {
        for (const auto& f : error.fields)
            state.errors.emplace(f.field, render::french("walk_in", f));
    } else if (error.broken == rule::event_full) {
        state.status = 409;
        state.offer_beyond_capacity = true;
        state.errors.emplace("sur_place", render::french(error.broken));
    } else {
        return error_page_for(error);
    }
    return door_page(req, ctx, managed, &state);
}

// -- numbers ----------------------------------------------------------------------------------

// A bar chart of registrations per day, as an <svg> the page embeds: one bar per day, the
// largest count at the top of the scale, each bar titled with its figure.
std::string per_day_chart(const std::vector<registrations_on_day>& days) {
    constexpr int width = 640, height = 240, left = 40, bottom = 40, top = 10;
    int most = 1;
    for (const auto& d : days)
        most = std::max(most, d.count);
    const double slot =
        static_cast<double>(width - left - 10) / std::max<std::size_t>(days.size(), 1);
    const double bar = std::max(1.0, slot * 0.8);
    const int plot = height - bottom - top;
    std::string svg = "<svg viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
                      "\" role=\"img\" aria-labelledby=\"graphique-titre\" class=\"chart\">"
                      "<title id=\"graphique-titre\">Inscriptions par jour</title>";
    char buffer[256];
    std::snprintf(buffer, sizeof buffer,
                  "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>"
                  "<text x=\"%d\" y=\"%d\" class=\"label\" text-anchor=\"end\">%d</text>"
                  "<text x=\"%d\" y=\"%d\" class=\"label\" text-anchor=\"end\">0</text>",
                  left, height - bottom, width - 10, height - bottom, left - 6, top + 12, most,
                  left - 6, height - bottom);
    svg += buffer;
    const std::size_t label_every = std::max<std::size_t>(1, days.size() / 8);
    for (std::size_t i = 0; i < days.size(); ++i) {
        const auto& d = days[i];
        const double h = static_cast<double>(plot) * d.count / most;
        const double x = left + slot * static_cast<double>(i) + (slot - bar) / 2;
        std::snprintf(buffer, sizeof buffer,
                      "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"bar\">",
                      x, height - bottom - h, bar, h);
        svg += buffer;
        svg += "<title>" + escape_html(french_local_date(d.date)) + " : " +
               std::to_string(d.count) + "</title></rect>";
        if (i % label_every == 0) {
            std::snprintf(buffer, sizeof buffer,
                          "<text x=\"%.1f\" y=\"%d\" class=\"label\" text-anchor=\"middle\">",
                          x + bar / 2, height - bottom + 18);
            svg += buffer;
            svg += d.date.substr(8, 2) + "/" + d.date.substr(5, 2) + "</text>";
        }
    }
    return svg + "</svg>";
}

response show_numbers(const request&, const route_params&, context& ctx,
                      const managed_event& managed) {
    const auto& e = managed.event;
    const auto stats = ctx.app.registrations.event_stats(managed.as(), id_text(e.id));
    if (!stats) return error_page_for(stats.error());
    const auto days = ctx.app.registrations.registrations_per_day(managed.as(), id_text(e.id));
    if (!days) return error_page_for(days.error());
    view v;
    v.set("nav", event_nav(e, "/chiffres"));
    v.set("title", e.title);
    const int total = stats->confirmed + stats->waitlisted + stats->cancelled;
    auto figures = list_view();
    for (const auto& [label, n] : std::initializer_list<std::pair<std::string, int>>{
             {"Inscriptions reçues", total},
             {"Confirmées", stats->confirmed},
             {"En liste d'attente", stats->waitlisted},
             {"Annulées", stats->cancelled},
             {"Présents à l'accueil", stats->checked_in}}) {
        view f;
        f.set("label", label);
        f.set("value", std::to_string(n));
        figures.push_back(f);
    }
    v.set("figures", figures);
    // What the registrants answered, per option ("Déjeuner sur place : oui 143").
    if (const auto questions = ctx.app.registrations.questions(managed.as(), id_text(e.id))) {
        auto groups = list_view();
        for (const auto& q : *questions) {
            const auto counts = stats->answers.find(q.code);
            if (counts == stats->answers.end()) continue;
            auto items = list_view();
            const auto add = [&](const std::string& label, const std::string& code) {
                const auto n = counts->second.find(code);
                view item;
                item.set("option_label", label);
                item.set("count", std::to_string(n == counts->second.end() ? 0 : n->second));
                items.push_back(item);
            };
            if (q.kind == question_kind::boolean) {
                add("Oui", "true");
                add("Non", "false");
            }
            for (const auto& o : q.options)
                add(o.label, o.code);
            view g;
            g.set("question_label", q.label);
            g.set("counts", items);
            groups.push_back(g);
        }
        v.set("has_answer_counts", flag(!groups.is_empty_list()));
        v.set("answer_counts", groups);
    }
    if (stats->capacity) v.set("capacity", people(*stats->capacity));
    // How full each workshop is, each with its page (its seats and list).
    if (const auto filled = ctx.app.registrations.workshops_filled(managed.as(), id_text(e.id))) {
        auto rows = list_view();
        for (const auto& f : *filled) {
            view row;
            row.set("title", f.workshop.title);
            row.set("href", workshop_url(e, f.workshop.id));
            row.set("when", when_text(f.workshop.starts_at, e.timezone));
            row.set("confirmed", std::to_string(f.confirmed));
            row.set("capacity", std::to_string(f.workshop.capacity.value_or(0)));
            row.set("waitlisted", std::to_string(f.waitlisted));
            row.set("full", flag(f.confirmed >= f.workshop.capacity.value_or(0)));
            rows.push_back(row);
        }
        v.set("has_workshops", flag(!filled->empty()));
        v.set("workshops", rows);
    }
    v.set("has_days", flag(!days->empty()));
    if (!days->empty()) {
        v.set("chart", per_day_chart(*days));
        auto rows = list_view();
        for (const auto& d : *days) {
            view row;
            row.set("date", capitalized(french_local_date(d.date)));
            row.set("count", std::to_string(d.count));
            rows.push_back(row);
        }
        v.set("days", rows);
    }
    return page("console_numbers", "Chiffres — " + e.title, v, private_page());
}

// -- one workshop, one registrant --------------------------------------------------------------

std::string seat_text(const session_seat& s) {
    switch (s.status) {
    case registration_status::confirmed:
        return "Place confirmée";
    case registration_status::waitlisted:
        return s.waitlist_position
                   ? "Liste d'attente de l'atelier (" + std::to_string(*s.waitlist_position) + ")"
                   : "Liste d'attente de l'atelier";
    default:
        return "Annulée";
    }
}

// The workshop of the URL, with who holds a seat (by name) and who waits (in order).
result<workshop_roster> roster_of(context& ctx, const managed_event& managed,
                                  std::string_view session) {
    const auto sid = parse_id(session);
    if (!sid) return not_found(rule::session_not_found, "No such workshop.");
    return ctx.app.registrations.roster(managed.as(), id_text(managed.event.id), *sid);
}

response show_workshop(const request&, const route_params& params, context& ctx,
                       const managed_event& managed) {
    const auto& e = managed.event;
    const auto found = roster_of(ctx, managed, params.get("session"));
    if (!found) return error_page_for(found.error());
    const auto& w = found->workshop;
    view v;
    v.set("nav", event_nav(e, "/chiffres"));
    v.set("workshop_title", w.title);
    v.set("when", french_span(w.starts_at, w.ends_at, e.timezone));
    if (w.room) v.set("room", *w.room);
    const auto held = found->holders.size();
    v.set("fill", std::to_string(held) +
                      (held > 1 ? " places occupées sur " : " place occupée sur ") +
                      std::to_string(w.capacity.value_or(0)) + ", " +
                      std::to_string(found->waiting.size()) + " en liste d'attente.");
    v.set("csv", workshop_url(e, w.id) + "/liste.csv");
    v.set("back", base_url(e) + "/chiffres");
    const auto rows_of = [&](const std::vector<registration>& people) {
        auto rows = list_view();
        for (const auto& r : people) {
            view row;
            row.set("full_name", r.full_name);
            row.set("href", registrant_url(e, r.id));
            if (r.organization) row.set("organization", *r.organization);
            rows.push_back(row);
        }
        return rows;
    };
    v.set("holders", rows_of(found->holders));
    v.set("has_holders", flag(!found->holders.empty()));
    v.set("waiting", rows_of(found->waiting));
    v.set("has_waiting", flag(!found->waiting.empty()));
    return page("console_workshop", "Atelier " + w.title + " — " + e.title, v, private_page());
}

response download_workshop(const request&, const route_params& params, context& ctx,
                           const managed_event& managed) {
    auto found = roster_of(ctx, managed, params.get("session"));
    if (!found) return error_page_for(found.error());
    // The organizers' spreadsheet of the event, narrowed to this workshop: its seats, then its
    // list in order, with a column saying which.
    registration_export data{{}, std::move(found->holders), found->timezone, {found->workshop}};
    for (auto& r : found->waiting)
        data.rows.push_back(std::move(r));
    auto r = http::registrations_excel_csv_response(data);
    r.set("Content-Disposition", "attachment; filename=\"atelier-" + id_text(found->workshop.id) +
                                     "-" + managed.event.slug + ".csv\"");
    r.set("Cache-Control", "no-store");
    return r;
}

std::string message_kind_text(message_kind k) {
    switch (k) {
    case message_kind::registration_confirmed:
        return "Confirmation d'inscription";
    case message_kind::registration_waitlisted:
        return "Inscription en liste d'attente";
    case message_kind::waitlist_promoted:
        return "Place libérée : inscription confirmée";
    case message_kind::registration_cancelled:
        return "Annulation de l'inscription";
    case message_kind::event_cancelled:
        return "Annulation de la rencontre";
    case message_kind::event_changed:
        return "Changement de date ou de lieu";
    case message_kind::announcement:
        return "Message de l'équipe d'organisation";
    case message_kind::certificate_ready:
        return "Attestation de présence";
    default:
        return "Message";
    }
}

std::string delivery_text(const outbox_message& m, const std::string& zone) {
    switch (m.status) {
    case delivery_status::delivered:
        return m.delivered_at ? "Envoyé le " + when_text(*m.delivered_at, zone) : "Envoyé";
    case delivery_status::failed:
        return "Échec de l'envoi";
    case delivery_status::skipped:
        return "Non envoyé";
    default:
        return "À envoyer";
    }
}

// A change of the audit trail, as the organizers read it (the trail keeps the verb's code).
std::string audit_action_text(std::string_view action) {
    static const std::map<std::string_view, std::string_view> texts{
        {"cancel_registration", "Inscription annulée"},
        {"check_in", "Arrivée enregistrée"},
        {"undo_check_in", "Arrivée annulée"},
        {"register_walk_in", "Inscription sur place, arrivée enregistrée"},
        {"update_registration", "Inscription modifiée"},
        {"report_registration", "Signalée « ce n'est pas mon inscription »"}};
    const auto found = texts.find(action);
    return std::string(found == texts.end() ? action : found->second);
}

response show_registrant(const request&, const route_params& params, context& ctx,
                         const managed_event& managed) {
    const auto& e = managed.event;
    const auto rid = parse_id(params.get("registration"));
    if (!rid) return error_page(404);
    const auto file = ctx.app.registrations.registration_file_of(managed.as(), id_text(e.id), *rid);
    if (!file) return error_page_for(file.error());
    const auto& r = file->r;
    view v;
    v.set("nav", event_nav(e, "/inscriptions"));
    v.set("full_name", r.full_name);
    v.set("status", registration_status_text(r));
    if (r.organization) v.set("organization", *r.organization);
    if (!r.email.empty()) v.set("email", r.email);
    v.set("created", when_text(r.created_at, e.timezone));
    if (r.cancelled_at) v.set("cancelled", when_text(*r.cancelled_at, e.timezone));
    if (r.checked_in_at) v.set("checked_in", when_text(*r.checked_in_at, e.timezone));
    if (r.active()) {
        v.set("door", "/gestion/inscriptions/" + id_text(r.id) + "/accueil");
        v.set("cancel_href", registrant_url(e, r.id) + "/annulation");
    }
    auto seats = list_view();
    for (const auto& s : r.sessions) {
        const auto w = std::find_if(file->workshops.begin(), file->workshops.end(),
                                    [&](const session& x) { return x.id == s.session_id; });
        if (w == file->workshops.end() || s.status == registration_status::cancelled) continue;
        view seat;
        seat.set("title", w->title);
        seat.set("href", workshop_url(e, w->id));
        seat.set("seat", seat_text(s));
        seats.push_back(seat);
    }
    v.set("has_seats", flag(!seats.is_empty_list()));
    v.set("seats", seats);
    auto answers = list_view();
    for (const auto& q : file->questions) {
        const auto a = r.answers.find(q.code);
        if (a == r.answers.end()) continue;
        view item;
        item.set("question", q.label);
        item.set("answer", answer_text(q, a->second));
        answers.push_back(item);
    }
    v.set("has_answers", flag(!answers.is_empty_list()));
    v.set("answers", answers);
    // What was written to them: the kind and its delivery, never the body (a link in it is the
    // participant's own).
    auto messages = list_view();
    for (const auto& m : file->messages) {
        view item;
        item.set("kind", message_kind_text(m.kind));
        item.set("written", when_text(m.created_at, e.timezone));
        item.set("delivery", delivery_text(m, e.timezone));
        messages.push_back(item);
    }
    v.set("has_messages", flag(!messages.is_empty_list()));
    v.set("messages", messages);
    auto history = list_view();
    for (const auto& h : file->history) {
        view item;
        item.set("at", when_text(h.at, e.timezone));
        item.set("what", audit_action_text(h.action));
        history.push_back(item);
    }
    v.set("has_history", flag(!history.is_empty_list()));
    v.set("history", history);
    v.set("back", base_url(e) + "/inscriptions");
    return page("console_registrant", r.full_name + " — " + e.title, v, private_page());
}

} // namespace

void register_console_registration_pages(http::router& r) {
    r.add("GET", "/gestion/evenements/{id}/inscriptions", event_page(show_registrations));
    r.add("GET", "/gestion/evenements/{id}/inscriptions.csv", event_page(download_registrations));
    r.add("GET", "/gestion/evenements/{id}/inscriptions/{registration}/annulation",
          event_page(show_cancel_registration));
    r.add("POST", "/gestion/evenements/{id}/inscriptions/{registration}/annulation",
          event_page(cancel_registration));
    r.add("GET", "/gestion/evenements/{id}/accueil", event_page(show_door));
    r.add("POST", "/gestion/evenements/{id}/accueil/sur-place", event_page(register_walk_in));
    r.add("GET", "/gestion/evenements/{id}/chiffres", event_page(show_numbers));
    r.add("GET", "/gestion/evenements/{id}/ateliers/{session}", event_page(show_workshop));
    r.add("GET", "/gestion/evenements/{id}/ateliers/{session}/liste.csv",
          event_page(download_workshop));
    r.add("GET", "/gestion/evenements/{id}/inscriptions/{registration}",
          event_page(show_registrant));
}

} // namespace rencontres::web
