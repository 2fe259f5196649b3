// The room's pages (API.md §11, §13, §14): the session's page on a phone (ask, support a
// question, answer the open poll, without JavaScript), the room's screen, and the organizers'
// moderation desk. With JavaScript allowed, /static/salle.js applies the session's live stream
// to the first two.
#include "domain/common/french.hpp"
#include "server/api/floor.hpp"
#include "server/security/form_tokens.hpp"
#include "server/transport/problem.hpp"
#include "server/web/console.hpp"
#include "server/web/pages.hpp"
#include "server/web/routes.hpp"

#include <algorithm>
#include <cmath>

namespace rencontres::web {
namespace {

constexpr int phone_top = 100; // questions a phone lists
constexpr int screen_top = 6;  // questions the screen shows, readable from the back

std::string votes_text(int votes) {
    if (votes == 0) return "aucun soutien";
    return votes == 1 ? "1 soutien" : std::to_string(votes) + " soutiens";
}

std::string room_url(const event& e, id_t session_id) {
    return "/evenements/" + e.slug + "/seances/" + id_text(session_id);
}

std::string percent(int part, int whole) {
    if (whole <= 0) return "0 %";
    return std::to_string(static_cast<int>(std::lround(100.0 * part / whole))) + " %";
}

// A horizontal bar per option, drawn by the server with SVG attributes only (no style: the
// pages' CSP allows none inline); the table beside it holds the same figures.
std::string poll_chart(const poll& p) {
    int most = 1;
    for (const auto& o : p.options)
        most = std::max(most, o.votes);
    const int row = 60, width = 400;
    const int height = row * static_cast<int>(p.options.size());
    std::string svg = "<svg class=\"poll-chart\" viewBox=\"0 0 " + std::to_string(width) + " " +
                      std::to_string(height) +
                      "\" role=\"img\" aria-label=\"Répartition des réponses (détail dans le "
                      "tableau)\" xmlns=\"http://www.w3.org/2000/svg\">";
    int y = 0;
    for (const auto& o : p.options) {
        const int bar = o.votes == 0 ? 2 : std::max(2, (width - 70) * o.votes / most);
        svg += "<text x=\"0\" y=\"" + std::to_string(y + 20) +
               "\" font-size=\"20\" fill=\"#1b1b1b\">" + escape_html(o.label) + "</text>";
        svg += "<rect data-option=\"" + id_text(o.id) + "\" x=\"0\" y=\"" + std::to_string(y + 27) +
               "\" width=\"" + std::to_string(bar) + "\" height=\"24\" fill=\"#000091\"></rect>";
        svg += "<text data-option-count=\"" + id_text(o.id) + "\" x=\"" + std::to_string(bar + 8) +
               "\" y=\"" + std::to_string(y + 47) + "\" font-size=\"20\" fill=\"#1b1b1b\">" +
               std::to_string(o.votes) + "</text>";
        y += row;
    }
    return svg + "</svg>";
}

view results_view(const poll& p) {
    view r;
    r.set("id", id_text(p.id));
    r.set("question", p.question);
    r.set("chart", poll_chart(p));
    r.set("respondents_text", p.respondents == 1
                                  ? std::string("1 personne a répondu.")
                                  : std::to_string(p.respondents) + " personnes ont répondu.");
    auto rows = list_view();
    for (const auto& o : p.options) {
        view row;
        row.set("id", id_text(o.id));
        row.set("label", o.label);
        row.set("votes", std::to_string(o.votes));
        row.set("share", percent(o.votes, p.respondents));
        rows.push_back(row);
    }
    r.set("rows", rows);
    return r;
}

view question_view(const floor_question& q) {
    view v;
    v.set("id", id_text(q.id));
    v.set("text", q.text);
    v.set("author_name", q.author_name);
    v.set("votes", std::to_string(q.votes));
    v.set("votes_text", votes_text(q.votes));
    v.set("answered", flag(q.status == floor_status::answered));
    return v;
}

// The phone's summary links a poll's error to the poll.
void set_errors(view& v, std::vector<field_error> errors) {
    for (auto& e : errors)
        if (e.field.rfind("option_ids", 0) == 0) e.field = "sondage-titre";
    set_error_summary(v, errors);
}

// What a failed post of the phone's page brings back: the values typed and what was wrong.
struct room_form {
    int status = 200;
    std::string notice;
    std::vector<field_error> errors;
    std::string text, author_name;
};

std::optional<id_t> session_of(const route_params& params) {
    return parse_id(params.get("id"));
}

std::string stream_url(id_t session_id, std::int64_t seq) {
    return "/v1/sessions/" + id_text(session_id) + "/stream?after=" + std::to_string(seq);
}

// The room as `slug` and the session's id name it; 404 when they do not belong together.
result<floor_room> find_room(context& ctx, const request& req, const route_params& params,
                             int top) {
    const auto id = session_of(params);
    if (!id) return not_found(rule::session_not_found, "No such session.");
    auto found = ctx.app.floor.room(actor::anonymous(), *id, http::voter_of(req, ctx), top);
    if (found && found->where.event.slug != params.get("slug") &&
        id_text(found->where.event.id) != params.get("slug"))
        return not_found(rule::session_not_found, "No such session.");
    return found;
}

page_options room_options(int status) {
    page_options o;
    o.status = status;
    o.script = static_url("salle.js");
    return o;
}

response room_page(const request& req, const route_params& params, context& ctx,
                   const room_form& form) {
    const auto found = find_room(ctx, req, params, phone_top);
    if (!found) return error_page_for(found.error());
    const auto& s = found->where.session;
    const auto& e = found->where.event;
    const auto self = room_url(e, s.id) + "/questions";
    const auto csrf = ctx.app.forms.issue("floor:" + id_text(s.id), ctx.now);
    view v;
    v.set("event_slug", e.slug);
    v.set("event_title", e.title);
    v.set("session_title", s.title);
    v.set("when", capitalized(french_date(s.starts_at, e.timezone) + ", " +
                              french_hours(s.starts_at, s.ends_at, e.timezone)));
    if (s.room) v.set("room", *s.room);
    v.set("self", self);
    v.set("action", self);
    v.set("csrf", csrf);
    v.set("stream", stream_url(s.id, found->seq));
    const bool live = e.status == event_status::published;
    v.set("takes_questions", flag(live && s.questions != question_mode::off));
    v.set("moderated", flag(s.questions == question_mode::moderated));
    if (!form.notice.empty()) v.set("notice", form.notice);
    set_errors(v, form.errors);
    for (const auto& err : form.errors) {
        if (err.field == "text") v.set("text_error", err.message);
        if (err.field == "author_name") v.set("author_name_error", err.message);
    }
    v.set("text_value", form.text);
    v.set("author_name_value", form.author_name);
    auto questions = list_view();
    for (const auto& q : found->questions) {
        auto item = question_view(q);
        item.set("action", self);
        item.set("csrf", csrf);
        questions.push_back(item);
    }
    v.set("has_questions", flag(!found->questions.empty()));
    v.set("questions", questions);
    bool counts_shown = false;
    if (found->poll) {
        const auto& shown = *found->poll;
        const auto& p = shown.poll;
        view pv;
        pv.set("id", id_text(p.id));
        pv.set("question", p.question);
        pv.set("open", flag(p.status == poll_status::open));
        pv.set("multiple", flag(p.multiple));
        const bool can_answer = live && p.status == poll_status::open && !shown.answered;
        pv.set("can_answer", flag(can_answer));
        pv.set("action", self);
        pv.set("csrf", csrf);
        auto options = list_view();
        for (const auto& o : p.options) {
            view ov;
            ov.set("id", id_text(o.id));
            ov.set("label", o.label);
            ov.set("input_type", p.multiple ? "checkbox" : "radio");
            options.push_back(ov);
        }
        pv.set("options", options);
        for (const auto& err : form.errors)
            if (err.field.rfind("option_ids", 0) == 0) pv.set("answer_error", err.message);
        if (shown.counts_shown) {
            pv.set("results", results_view(p));
            counts_shown = true;
        }
        v.set("poll", pv);
    }
    v.set("counts_shown", counts_shown ? "1" : "0");
    auto r = page("salle", (form.errors.empty() ? "" : "Erreur : ") + s.title + " — questions", v,
                  room_options(form.status));
    if (!http::device_cookie(req))
        r.set("Set-Cookie", http::device_cookie_header(req, ctx, http::new_device()));
    return r;
}

response show_room(const request& req, const route_params& params, context& ctx) {
    room_form form;
    const auto done = req.query_value("fait").value_or("");
    if (done == "publiee") form.notice = "Votre question est publiée.";
    if (done == "relue")
        form.notice = "Votre question est envoyée : elle sera publiée après relecture.";
    if (done == "vote") form.notice = "Votre soutien est compté.";
    if (done == "reponse") form.notice = "Votre réponse est comptée. Voici les résultats.";
    return room_page(req, params, ctx, form);
}

// A refusal of the whole post: shown on the page, in French, with its status.
response refused(const request& req, const route_params& params, context& ctx,
                 const domain_error& e, room_form form) {
    if (e.code == errc::not_found) return error_page(404);
    if (e.code == errc::invalid) {
        for (const auto& f : e.fields)
            form.errors.push_back(shown("floor", f));
        form.status = 422;
        return room_page(req, params, ctx, form);
    }
    form.status = http::status_of(e.code);
    form.notice = std::string(render::french(e.broken));
    auto r = room_page(req, params, ctx, form);
    if (e.retry_after_seconds) r.set("Retry-After", std::to_string(*e.retry_after_seconds));
    return r;
}

response post_room(const request& req, const route_params& params, context& ctx) {
    if (cross_site(req, ctx)) return error_page(403);
    const auto id = session_of(params);
    if (!id) return error_page(404);
    const auto posted = read_form(req);
    if (!ctx.app.forms.valid(form_value(posted, "csrf"), "floor:" + id_text(*id), ctx.now))
        return error_page(403);
    const auto back = "/evenements/" + std::string(params.get("slug")) + "/seances/" +
                      id_text(*id) + "/questions";
    const auto action = form_value(posted, "action");
    const auto who = actor::anonymous();
    room_form form;
    if (action == "question") {
        form.text = form_value(posted, "text");
        form.author_name = form_value(posted, "author_name");
        if (auto admitted = ctx.app.floor.admit_question(ctx.client, ctx.now); !admitted)
            return refused(req, params, ctx, admitted.error(), form);
        floor_question_fields fields{form.text, std::nullopt};
        if (!form.author_name.empty()) fields.author_name = form.author_name;
        const auto made = ctx.app.floor.post_question(who, *id, fields, ctx.now);
        if (!made) return refused(req, params, ctx, made.error(), form);
        return see_other(back +
                         "?fait=" + (made->status == floor_status::pending ? "relue" : "publiee"));
    }
    if (action == "vote" || action == "reponse") {
        if (auto admitted = ctx.app.floor.admit_vote(ctx.client, ctx.now); !admitted)
            return refused(req, params, ctx, admitted.error(), form);
        const auto target =
            parse_id(form_value(posted, action == "vote" ? "question_id" : "poll_id"));
        if (!target) return error_page(404);
        if (action == "vote") {
            const auto voted = ctx.app.floor.vote(who, *target, http::voter_of(req, ctx));
            if (!durable(ctx, voted ? voted->durable_after : voted.error().durable_after))
                return error_page(503);
            if (!voted) return refused(req, params, ctx, voted.error(), form);
            return see_other(back + "?fait=vote#question-" + id_text(*target));
        }
        const auto answered = ctx.app.floor.answer_poll(who, *target, http::voter_of(req, ctx),
                                                        form_values(posted, "option_ids"));
        if (!durable(ctx, answered ? answered->durable_after : answered.error().durable_after))
            return error_page(503);
        if (!answered) return refused(req, params, ctx, answered.error(), form);
        return see_other(back + "?fait=reponse#sondage-titre");
    }
    return error_page(400);
}

response show_screen(const request& req, const route_params& params, context& ctx) {
    const auto found = find_room(ctx, req, params, screen_top);
    if (!found) return error_page_for(found.error());
    const auto& s = found->where.session;
    const auto& e = found->where.event;
    view v;
    v.set("session_title", s.title);
    v.set("ask_url", absolute_url(ctx, room_url(e, s.id) + "/questions"));
    v.set("stream", stream_url(s.id, found->seq));
    v.set("top", std::to_string(screen_top));
    auto questions = list_view();
    for (const auto& q : found->questions)
        questions.push_back(question_view(q));
    v.set("has_questions", flag(!found->questions.empty()));
    v.set("questions", questions);
    if (found->poll) {
        // The room sees an open poll's counts as they come.
        const auto& p = found->poll->poll;
        auto pv = results_view(p);
        pv.set("open", flag(p.status == poll_status::open));
        v.set("poll", pv);
    }
    auto o = room_options(200);
    o.refresh_without_script = 15;
    o.body_class = "screen-page";
    return page("ecran", s.title + " — écran de la salle", v, o);
}

// --- the organizers' desk ---------------------------------------------------------------------

std::string desk_url(const event& e) {
    return "/gestion/evenements/" + id_text(e.id) + "/questions-salle";
}

std::string status_text(floor_status s) {
    switch (s) {
    case floor_status::pending:
        return "à relire";
    case floor_status::published:
        return "publiée";
    case floor_status::answered:
        return "répondue";
    default:
        return "masquée";
    }
}

std::string poll_status_text(poll_status s) {
    switch (s) {
    case poll_status::draft:
        return "en préparation";
    case poll_status::open:
        return "ouvert";
    default:
        return "clos";
    }
}

// The desk, with the poll form of one session as typed when it was refused.
struct desk_form {
    int status = 200;
    std::string notice;
    std::optional<id_t> poll_session;
    std::vector<field_error> errors;
    std::string question, options;
    bool multiple = false;
};

response desk_page(const request& req, context& ctx, const managed_event& m,
                   const desk_form& form) {
    const auto found = ctx.app.floor.desk(m.as(), id_text(m.event.id));
    if (!found) return error_page_for(found.error());
    const auto& e = found->event;
    const auto csrf = console_token(req, ctx);
    view v;
    v.set("nav", event_nav(e, "/questions-salle"));
    if (!form.notice.empty()) v.set("notice", form.notice);
    // The summary links to the fields of the session whose poll form was refused.
    auto summary = form.errors;
    for (auto& f : summary)
        f.field = (f.field == "question" ? "poll-question-" : "poll-options-") +
                  id_text(form.poll_session.value_or(0));
    set_errors(v, summary);
    auto sessions = list_view();
    for (const auto& entry : found->sessions) {
        const auto& s = entry.session;
        view sv;
        sv.set("id", id_text(s.id));
        sv.set("title", s.title);
        sv.set("when", capitalized(french_date(s.starts_at, e.timezone) + ", " +
                                   french_hours(s.starts_at, s.ends_at, e.timezone)));
        if (s.room) sv.set("room", *s.room);
        sv.set("public_href", room_url(e, s.id) + "/questions");
        sv.set("screen_href", room_url(e, s.id) + "/ecran");
        sv.set("action", desk_url(e));
        sv.set("csrf", csrf);
        auto modes = list_view();
        for (const auto& [mode, label] :
             {std::pair{question_mode::off, "fermées"},
              std::pair{question_mode::open, "publiées aussitôt"},
              std::pair{question_mode::moderated, "publiées après relecture"}}) {
            view mv;
            mv.set("value", std::string(to_string(mode)));
            mv.set("label", label);
            mv.set("selected", flag(s.questions == mode));
            modes.push_back(mv);
        }
        sv.set("modes", modes);
        auto questions = list_view();
        for (const auto& q : entry.questions) {
            auto qv = question_view(q);
            qv.set("status", std::string(to_string(q.status)));
            qv.set("status_text", status_text(q.status));
            qv.set("can_publish",
                   flag(q.status == floor_status::pending || q.status == floor_status::hidden));
            qv.set("can_answer", flag(q.status == floor_status::published));
            qv.set("can_hide", flag(q.status != floor_status::hidden));
            qv.set("action", desk_url(e));
            qv.set("csrf", csrf);
            questions.push_back(qv);
        }
        sv.set("has_questions", flag(!entry.questions.empty()));
        sv.set("question_count", std::to_string(entry.questions.size()));
        sv.set("questions", questions);
        auto polls = list_view();
        for (const auto& p : entry.polls) {
            view pv;
            pv.set("id", id_text(p.id));
            pv.set("question", p.question);
            pv.set("status_text", poll_status_text(p.status));
            if (p.status != poll_status::draft) pv.set("results", results_view(p));
            pv.set("can_open", flag(p.status == poll_status::draft));
            pv.set("can_close", flag(p.status == poll_status::open));
            pv.set("action", desk_url(e));
            pv.set("csrf", csrf);
            polls.push_back(pv);
        }
        sv.set("polls", polls);
        if (form.poll_session == s.id) {
            sv.set("poll_form_open", flag(true));
            sv.set("question_value", form.question);
            sv.set("options_value", form.options);
            sv.set("multiple_checked", flag(form.multiple));
            for (const auto& err : form.errors) {
                if (err.field == "question") sv.set("question_error", err.message);
                if (err.field.rfind("options", 0) == 0) sv.set("options_error", err.message);
            }
        }
        sessions.push_back(sv);
    }
    v.set("has_sessions", flag(!found->sessions.empty()));
    v.set("sessions", sessions);
    return page("console_salle",
                (form.errors.empty() ? "" : "Erreur : ") + std::string("Questions de la salle — ") +
                    e.title,
                v, private_page(form.status));
}

response show_desk(const request& req, const route_params&, context& ctx, const managed_event& m) {
    desk_form form;
    const auto done = req.query_value("fait").value_or("");
    if (done == "mode") form.notice = "Le réglage des questions est enregistré.";
    if (done == "moderee") form.notice = "La question est mise à jour.";
    if (done == "sondage") form.notice = "Le sondage est prêt : ouvrez-le au bon moment.";
    if (done == "ouvert") form.notice = "Le sondage est ouvert.";
    if (done == "ferme") form.notice = "Le sondage est clos ; ses résultats restent affichés.";
    return desk_page(req, ctx, m, form);
}

response post_desk(const request& req, const route_params&, context& ctx, const managed_event& m) {
    const auto posted = read_form(req);
    const auto action = form_value(posted, "action");
    const auto who = m.as();
    const auto back = desk_url(m.event);
    const auto failed = [&](const domain_error& e) {
        if (e.code == errc::not_found || e.code == errc::forbidden) return error_page(404);
        return error_page(http::status_of(e.code), std::string(render::french(e.broken)));
    };
    if (action == "mode") {
        const auto sid = parse_id(form_value(posted, "session_id"));
        if (!sid) return error_page(404);
        session_fields fields;
        fields.questions = form_value(posted, "questions");
        const auto saved =
            ctx.app.sessions.update_session(who, id_text(m.event.id), *sid, fields, {}, ctx.now);
        if (!saved) return failed(saved.error());
        return see_other(back + "?fait=mode#seance-" + id_text(*sid));
    }
    if (action == "moderer") {
        const auto qid = parse_id(form_value(posted, "question_id"));
        if (!qid) return error_page(404);
        const auto done = ctx.app.floor.moderate(who, *qid, form_value(posted, "status"), ctx.now);
        if (!done) return failed(done.error());
        return see_other(back + "?fait=moderee#seance-" + id_text(done->session_id));
    }
    if (action == "sondage") {
        const auto sid = parse_id(form_value(posted, "session_id"));
        if (!sid) return error_page(404);
        desk_form form;
        form.poll_session = *sid;
        form.question = form_value(posted, "question");
        form.options = form_value(posted, "options");
        form.multiple = form_value(posted, "multiple") == "1";
        const auto made = ctx.app.floor.create_poll(
            who, *sid, {form.question, nonblank_lines(form.options), form.multiple}, ctx.now);
        if (!made) {
            if (made.error().code != errc::invalid) return failed(made.error());
            for (const auto& f : made.error().fields)
                form.errors.push_back(shown("poll", f));
            form.status = 422;
            return desk_page(req, ctx, m, form);
        }
        return see_other(back + "?fait=sondage#seance-" + id_text(*sid));
    }
    if (action == "ouvrir" || action == "fermer") {
        const auto pid = parse_id(form_value(posted, "poll_id"));
        if (!pid) return error_page(404);
        const auto done = action == "ouvrir" ? ctx.app.floor.open_poll(who, *pid, ctx.now)
                                             : ctx.app.floor.close_poll(who, *pid, ctx.now);
        if (!done) return failed(done.error());
        return see_other(back + (action == "ouvrir" ? "?fait=ouvert" : "?fait=ferme") + "#seance-" +
                         id_text(done->session_id));
    }
    return error_page(400);
}

} // namespace

void register_floor_pages(http::router& r) {
    r.add("GET", "/evenements/{slug}/seances/{id}/questions", page_route(show_room));
    r.add("POST", "/evenements/{slug}/seances/{id}/questions", page_route(post_room));
    r.add("GET", "/evenements/{slug}/seances/{id}/ecran", page_route(show_screen));
    r.add("GET", "/gestion/evenements/{id}/questions-salle", event_page(show_desk));
    r.add("POST", "/gestion/evenements/{id}/questions-salle", event_page(post_desk));
}

} // namespace rencontres::web
