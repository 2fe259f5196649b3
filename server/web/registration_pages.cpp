// Registering from the event page, and the participant's page (API.md §11): status, waiting-list
// position, workshops, calendar feed, check-in code, cancellation behind a confirmation step.
//
// Registering and cancelling take the write lane as the API's do (the same domain operations,
// the reply waiting until what they wrote is durable); a registration's answer may render the
// whole event page again (a form with errors), so it runs on the database workers, never on a
// network thread.
#include "domain/common/french.hpp"
#include "domain/store.hpp"
#include "server/api/representations.hpp"
#include "server/documents/pdf.hpp"
#include "server/render/qr.hpp"
#include "server/security/form_tokens.hpp"
#include "server/transport/problem.hpp"
#include "server/transport/router.hpp"
#include "server/web/pages.hpp"
#include "server/web/registration_form.hpp"
#include "server/web/settings.hpp"

#include <algorithm>

namespace rencontres::web {

std::string form_purpose(std::string_view slug) {
    return "register:" + std::string(slug);
}

namespace {

constexpr const char* consent_text =
    "Vos nom, adresse électronique, organisation et collectivité sont conservés pour gérer "
    "votre inscription : vous envoyer la confirmation et les informations pratiques de la "
    "rencontre, et préparer l'accueil. Seule l'équipe d'organisation de la rencontre y a accès. "
    "Vous pouvez annuler à tout moment depuis le lien reçu par courriel ; vos données sont "
    "effacées sur simple demande.";

// The registration form holds the answers to the event's questions, which have sentences of their
// own.
std::string_view registration_form_of(const field_error& e) {
    return e.field.rfind("answers.", 0) == 0 ? "answer" : "registration";
}

std::string form_field_id(const std::string& field) {
    if (field.rfind("answers.", 0) == 0) return question_field_id(field.substr(8));
    return field.rfind("session_ids", 0) == 0 ? "session_ids" : field;
}

void set_error(view& v, const form_state& state, const std::string& field, const char* key) {
    for (const auto& e : state.errors)
        if (form_field_id(e.field) == field) {
            v.set(key, e.message);
            return;
        }
}

} // namespace

// The id of the registration form's error summary, which its action ends with.
constexpr std::string_view summary_anchor = "erreurs-inscription";

// The anti-forgery token of an event's "renvoyer mon lien" form.
std::string link_purpose(std::string_view slug) {
    return "lien:" + std::string(slug);
}

void fill_registration_form(context& ctx, view& v, const agenda& a, const event_availability& seats,
                            const form_state* state) {
    const auto& e = a.event;
    const bool open = seats.window == registration_window::open;
    v.set("form_open", flag(open));
    switch (seats.window) {
    case registration_window::open:
        break;
    case registration_window::cancelled:
        v.set("closed_text",
              std::string("La rencontre est annulée : les inscriptions sont fermées."));
        break;
    case registration_window::started:
        v.set("closed_text", std::string(e.ends_at && ctx.now >= *e.ends_at
                                             ? "Cette rencontre a eu lieu."
                                             : "La rencontre a commencé : les inscriptions sont "
                                               "closes."));
        break;
    case registration_window::not_yet_open:
        v.set("closed_text", "Les inscriptions ouvriront le " +
                                 french_date(*e.registration_opens_at, e.timezone) + " à " +
                                 french_time(*e.registration_opens_at, e.timezone) + ".");
        break;
    case registration_window::closed:
    case registration_window::not_published:
        v.set("closed_text", std::string("Les inscriptions sont closes."));
        break;
    }
    // "Renvoyer mon lien", for those who registered and lost the message: open or not.
    v.set("link_action", "/evenements/" + e.slug + "/lien");
    v.set("link_csrf", ctx.app.forms.issue(link_purpose(e.slug), ctx.now));
    if (!open) return;
    const bool full = seats.seats_left() && *seats.seats_left() == 0;
    v.set("waitlist", flag(full));
    v.set("submit_text", std::string(full ? "Rejoindre la liste d'attente" : "M'inscrire"));
    // A refused form comes back with the browser on its error summary (its fragment), which
    // takes the focus: the first screen of a phone shows what is wrong, without JavaScript.
    v.set("action", "/evenements/" + e.slug + "/inscription#" + std::string(summary_anchor));
    v.set("csrf", ctx.app.forms.issue(form_purpose(e.slug), ctx.now));
    v.set("consent_text", std::string(consent_text));
    const form_state empty;
    const auto& s = state ? *state : empty;
    v.set("given_name", s.given_name);
    v.set("family_name", s.family_name);
    v.set("email", s.email);
    v.set("organization", s.organization);
    v.set("consent", flag(s.consent));
    set_error(v, s, "given_name", "given_name_error");
    set_error(v, s, "family_name", "family_name_error");
    set_error(v, s, "email", "email_error");
    set_error(v, s, "organization", "organization_error");
    set_error(v, s, "territory_id", "territory_error");
    set_error(v, s, "session_ids", "workshops_error");
    set_error(v, s, "consent", "consent_error");
    const auto questions = ctx.app.registrations.questions(actor::anonymous(), id_text(e.id));
    // The summary names each question by its label: "Régime alimentaire : répondez à cette
    // question." (beside the question, its message alone).
    std::map<std::string, std::string> labels;
    if (questions)
        for (const auto& q : *questions)
            labels.emplace(question_field_id(q.code), q.label);
    auto errors = list_view();
    for (const auto& err : s.errors) {
        view ev;
        const auto field = form_field_id(err.field);
        ev.set("field", field);
        if (const auto label = labels.find(field); label != labels.end() && !err.message.empty()) {
            auto message = err.message;
            if (message[0] >= 'A' && message[0] <= 'Z')
                message[0] = static_cast<char>(message[0] - 'A' + 'a');
            ev.set("message", label->second + " : " + message);
        } else {
            ev.set("message", err.message);
        }
        errors.push_back(ev);
    }
    v.set("has_errors", flag(!s.errors.empty() || !s.form_problem.empty()));
    v.set("errors", errors);
    if (questions) {
        std::map<std::string, std::string> by_field;
        for (const auto& err : s.errors)
            by_field.emplace(form_field_id(err.field), err.message);
        v.set("questions", question_views(*questions, s.answers, by_field));
    }
    v.set("error_count_text",
          !s.form_problem.empty() ? s.form_problem
          : s.errors.size() == 1
              ? std::string("Le formulaire contient une erreur")
              : "Le formulaire contient " + std::to_string(s.errors.size()) + " erreurs");
    // Territories, by name.
    territory_filter all;
    auto territories = ctx.app.territories.list_territories(all, page_request{200, std::nullopt});
    auto options = list_view();
    if (territories) {
        auto items = territories->items;
        std::sort(items.begin(), items.end(),
                  [](const territory& x, const territory& y) { return x.name < y.name; });
        for (const auto& t : items) {
            view o;
            o.set("id", id_text(t.id));
            o.set("name", t.name);
            o.set("selected", flag(id_text(t.id) == s.territory_id));
            options.push_back(o);
        }
    }
    v.set("territories", options);
    auto workshops = list_view();
    for (const auto& session : a.sessions) {
        if (!session.capacity) continue;
        view w;
        w.set("id", id_text(session.id));
        w.set("title", session.title);
        w.set("when", french_date(session.starts_at, e.timezone) + ", " +
                          french_hours(session.starts_at, session.ends_at, e.timezone));
        w.set("seats_text",
              workshop_seats_text(seats.session_seats_left(session.id, *session.capacity)));
        w.set("checked", flag(std::find(s.session_ids.begin(), s.session_ids.end(),
                                        id_text(session.id)) != s.session_ids.end()));
        workshops.push_back(w);
    }
    v.set("has_workshops", flag(!workshops.is_empty_list()));
    v.set("workshops", workshops);
}

namespace {

// A page holding the manage token: no cache, no Referer.
response redirect_to_registration(id_t id, const std::string& token, const std::string& done) {
    response r;
    r.status = 303;
    r.set("Location", "/inscriptions/" + id_text(id) + "?t=" + token + "&fait=" + done);
    r.set("Cache-Control", "no-store");
    r.set("Referrer-Policy", "no-referrer");
    return r;
}

response refuse_cross_site(const request& req, context& ctx) {
    if (cross_site(req, ctx.app.site_config.public_base_url)) return error_page(403);
    return response{0, {}, {}, nullptr};
}

// What a form says of a refused choice of workshops: the two that take place at the same time,
// by their titles, when the refusal names them; else the table's sentence for the field.
std::string workshops_refused_text(context& ctx, const std::string& event_key,
                                   const domain_error& error, const field_error& f) {
    if (f.broken == field_rule::sessions_overlap && error.conflicts.size() == 2)
        if (const auto a = ctx.app.sessions.get_agenda(actor::anonymous(), event_key)) {
            const auto title = [&](const std::string& id) {
                for (const auto& s : a->sessions)
                    if (id_text(s.id) == id) return s.title;
                return id;
            };
            return render::sessions_overlap_text(title(error.conflicts[0]),
                                                 title(error.conflicts[1]));
        }
    return std::string(render::french(registration_form_of(f), f));
}

// What the browser sees once the registration is durable: the participant's page, or the
// event page again with the form's values and what is wrong with them.
response registration_answer(context& ctx, const std::string& slug, form_state& state,
                             const std::vector<std::string>& order,
                             const result<registration_outcome>& done) {
    if (done) {
        const auto& receipt = *done->receipt;
        // A fragment of its own, or the browser would keep the form's (the error summary's).
        auto r =
            redirect_to_registration(receipt.registration.id, receipt.manage_token, "inscription");
        r.set("Location", std::string(r.header_value("Location").value_or("")) + "#contenu");
        return r;
    }
    const auto& error = done.error();
    if (error.code == errc::invalid) {
        for (const auto& field : order)
            for (const auto& f : error.fields)
                if (form_field_id(f.field) == field) {
                    if (f.field == "session_ids")
                        state.errors.emplace_back(field, f.broken,
                                                  workshops_refused_text(ctx, slug, error, f));
                    else
                        state.errors.push_back(shown(registration_form_of(f), field, f));
                    break;
                }
        return render_event_page(ctx, slug, &state);
    }
    if (error.broken == rule::already_registered) {
        state.status = 409;
        state.errors.emplace_back("email", field_rule::refused,
                                  std::string(render::french(error.broken)));
        return render_event_page(ctx, slug, &state);
    }
    if (error.code == errc::conflict) {
        // The window closed meanwhile: the page says so.
        auto r = render_event_page(ctx, slug, nullptr);
        if (r.status == 200) r.status = 409;
        return r;
    }
    return error_page_for(error);
}

// "Renvoyer mon lien": the page of the form, and what it says once sent — the same words whether
// or not the address is registered.
response link_page(context& ctx, std::string_view slug, const std::string& email,
                   const std::string& error, bool sent, int status) {
    const auto e = ctx.app.events.get_event(actor::anonymous(), slug);
    if (!e) return error_page_for(e.error());
    view v;
    v.set("title", e->title);
    v.set("event_href", "/evenements/" + e->slug);
    v.set("action", "/evenements/" + e->slug + "/lien");
    v.set("csrf", ctx.app.forms.issue(link_purpose(e->slug), ctx.now));
    v.set("email", email);
    if (!error.empty()) v.set("email_error", error);
    v.set("sent", flag(sent));
    page_options o;
    o.status = status;
    return page("link_again",
                (error.empty() ? "" : "Erreur : ") + std::string("Retrouver mon inscription — ") +
                    e->title,
                v, o);
}

response show_link_form(const request&, const route_params& params, context& ctx) {
    return link_page(ctx, params.get("slug"), "", "", false, 200);
}

response send_link_from_page(const request& req, const route_params& params, context& ctx) {
    if (auto refused = refuse_cross_site(req, ctx); refused.status) return refused;
    const auto form = read_form(req);
    const auto slug = std::string(params.get("slug"));
    if (!ctx.app.forms.valid(form_value(form, "csrf"), link_purpose(slug), ctx.now))
        return error_page(403);
    const auto email = form_value(form, "email");
    if (auto admitted = ctx.app.accounts.admit_registration(ctx.client, ctx.now); !admitted) {
        auto r = link_page(ctx, slug, email, std::string(render::french(admitted.error().broken)),
                           false, 429);
        if (admitted.error().retry_after_seconds)
            r.set("Retry-After", std::to_string(*admitted.error().retry_after_seconds));
        return r;
    }
    const auto sent =
        ctx.app.registrations.send_link_again(actor::anonymous(), slug, email, ctx.now);
    if (!sent && sent.error().code == errc::invalid)
        return link_page(ctx, slug, email, shown("link", "email", field_rule::format).message,
                         false, 422);
    if (!sent) return error_page_for(sent.error());
    return link_page(ctx, slug, email, "", true, 200);
}

// Prepared on the database workers (the event's questions), its transaction on the write lane
// as the API's, its answer on the database workers again: a form with errors shows the whole
// event page again.
http::write_job register_from_page(const request& req, const route_params& params, context& ctx) {
    using http::write_job;
    if (auto refused = refuse_cross_site(req, ctx); refused.status)
        return write_job::answered(std::move(refused));
    const auto form = read_form(req);
    const auto slug = std::string(params.get("slug"));
    auto state = std::make_shared<form_state>();
    state->full_name = form_value(form, "full_name");
    state->given_name = form_value(form, "given_name");
    state->family_name = form_value(form, "family_name");
    state->email = form_value(form, "email");
    state->organization = form_value(form, "organization");
    state->territory_id = form_value(form, "territory_id");
    state->session_ids = form_values(form, "session_ids");
    state->consent = form_value(form, "consent") == "oui";
    const auto questions = ctx.app.registrations.questions(actor::anonymous(), slug);
    if (!questions) return write_job::answered(error_page_for(questions.error()));
    registration_command command;
    command.answers = answers_from_form(*questions, form, state->answers);
    // A token too old (the page was left open) or not this form's: nothing is registered, and
    // the form comes back with what was typed and a fresh token, to be sent again.
    if (!ctx.app.forms.valid(form_value(form, "csrf"), form_purpose(slug), ctx.now)) {
        state->status = 403;
        state->form_problem = "Ce formulaire a expiré : vérifiez vos informations et envoyez-le à "
                              "nouveau.";
        return write_job::answered(render_event_page(ctx, slug, state.get()));
    }
    // The page asks for the two names; a full name alone (an earlier version of the form) is
    // taken as the API takes it.
    if (state->full_name.empty() || !state->given_name.empty() || !state->family_name.empty()) {
        command.given_name = state->given_name;
        command.family_name = state->family_name;
    } else {
        command.full_name = state->full_name;
    }
    command.email = state->email;
    if (!state->organization.empty()) command.organization = state->organization;
    if (!state->territory_id.empty()) command.territory_id = state->territory_id;
    command.session_ids = state->session_ids;
    command.consent = state->consent;
    // The same limit as the API's registrations without an account, with the values kept.
    if (auto admitted = ctx.app.accounts.admit_registration(ctx.client, ctx.now); !admitted) {
        const auto wait = admitted.error().retry_after_seconds.value_or(60);
        state->status = 429;
        state->errors.emplace_back("given_name", field_rule::refused,
                                   std::string(render::french(admitted.error().broken)));
        auto r = render_event_page(ctx, slug, state.get());
        r.set("Retry-After", std::to_string(wait));
        return write_job::answered(std::move(r));
    }
    // In the order of the form.
    std::vector<std::string> order{"given_name",   "family_name",  "full_name",  "email",
                                   "organization", "territory_id", "session_ids"};
    for (const auto& q : *questions)
        order.push_back(question_field_id(q.code));
    order.push_back("consent");
    auto& registrations = ctx.app.registrations;
    auto job = http::durable_write(
        [&registrations, slug, command = std::move(command), now = ctx.now] {
            const reply_renderer no_reply = [](const registration_receipt&) {
                return stored_reply{};
            };
            return registrations.register_participant(actor::anonymous(), slug, command,
                                                      std::nullopt, no_reply, now);
        },
        [state, slug, order = std::move(order)](result<registration_outcome> done,
                                                context& shown_in) {
            return registration_answer(shown_in, slug, *state, order, done);
        });
    job.answer_reads = true;
    return job;
}

std::string status_text(const registration& r) {
    switch (r.status) {
    case registration_status::confirmed:
        return r.checked_in_at ? "Confirmée — accueil effectué" : "Confirmée";
    case registration_status::waitlisted:
        return "En liste d'attente" + (r.waitlist_position
                                           ? ", position " + std::to_string(*r.waitlist_position)
                                           : std::string());
    default:
        return "Annulée";
    }
}

std::string seat_text(registration_status s, const std::optional<int>& position) {
    switch (s) {
    case registration_status::confirmed:
        return "place confirmée";
    case registration_status::waitlisted:
        return "liste d'attente" +
               (position ? ", position " + std::to_string(*position) : std::string());
    default:
        return "non choisi";
    }
}

// The registration a page names, with the manage token of its query: nothing (a 404 page) for
// anything else, however wrong.
struct held {
    registration r;
    std::string token;
};
std::optional<held> held_registration(const request& req, const route_params& params,
                                      context& ctx) {
    const auto id = parse_id(params.get("id"));
    auto token = std::string(req.query_value("t").value_or(""));
    if (!id || token.empty()) return std::nullopt;
    auto found = ctx.app.registrations.get_registration(actor::anonymous(), *id, token);
    if (!found) return std::nullopt;
    return held{std::move(*found), std::move(token)};
}

// Answers typed on the participant's page that the domain refused, shown again with its errors.
// What a participant's form that was refused shows again: the answers typed and their errors,
// or the workshops ticked and what is wrong with them.
struct answers_state {
    typed_answers typed;
    std::map<std::string, std::string> errors; // by field id
    std::optional<std::vector<std::string>> session_ids{};
    std::string workshops_error{};
};

response render_participant_page(context& ctx, const held& found, std::string_view done,
                                 const answers_state* refused) {
    const auto& r = found.r;
    const auto& token = found.token;
    const auto a = ctx.app.sessions.get_agenda(actor::anonymous(), id_text(r.event_id));
    if (!a) return error_page_for(a.error());
    const auto& e = a->event;
    view v;
    if (done == "inscription")
        v.set("notice", std::string(r.status == registration_status::waitlisted
                                        ? "Vous êtes inscrit·e en liste d'attente. Un courriel "
                                          "vous le confirme."
                                        : "Votre inscription est enregistrée. Un courriel vous "
                                          "la confirme."));
    else if (done == "annulation")
        v.set("notice", std::string("Votre inscription est annulée."));
    else if (done == "ateliers")
        v.set("notice", std::string("Vos ateliers sont enregistrés."));
    else if (done == "reponses")
        v.set("notice", std::string("Vos réponses sont enregistrées."));
    v.set("event_slug", e.slug);
    v.set("event_title", e.title);
    v.set("when", french_date(*e.starts_at, e.timezone));
    if (const auto where = event_where(e); !where.empty()) v.set("where", where);
    v.set("full_name", r.full_name);
    v.set("email", r.email);
    if (r.organization) v.set("organization", *r.organization);
    v.set("status_text", status_text(r));
    v.set("active", flag(r.active()));
    v.set("confirmed", flag(r.status == registration_status::confirmed));
    v.set("token", token);
    const auto base = "/inscriptions/" + id_text(r.id);
    v.set("workshops_action", base + "/ateliers");
    v.set("cancel_url", base + "/annulation?t=" + token);
    v.set("can_change", flag(e.starts_at && ctx.now < *e.starts_at));
    auto workshops = list_view();
    for (const auto& s : a->sessions) {
        if (!s.capacity) continue;
        const auto seat = std::find_if(r.sessions.begin(), r.sessions.end(),
                                       [&](const auto& x) { return x.session_id == s.id; });
        const bool held =
            seat != r.sessions.end() && seat->status != registration_status::cancelled;
        const bool ticked = refused && refused->session_ids
                                ? std::count(refused->session_ids->begin(),
                                             refused->session_ids->end(), id_text(s.id)) > 0
                                : held;
        view w;
        w.set("id", id_text(s.id));
        w.set("title", s.title);
        w.set("when", french_date(s.starts_at, e.timezone) + ", " +
                          french_hours(s.starts_at, s.ends_at, e.timezone));
        w.set("checked", flag(ticked));
        w.set("held", flag(held));
        w.set("state",
              held ? seat_text(seat->status, seat->waitlist_position) : std::string("non choisi"));
        workshops.push_back(w);
    }
    v.set("has_workshops", flag(!workshops.is_empty_list()));
    v.set("workshops", workshops);
    if (refused && !refused->workshops_error.empty())
        v.set("workshops_error", refused->workshops_error);
    if (const auto key = ctx.app.registrations.feed_key_for(r, token)) {
        const auto feed = "/v1/registrations/" + id_text(r.id) + "/calendar.ics?key=" + *key;
        v.set("feed_url", feed);
        v.set("feed_webcal", webcal_url(ctx, feed));
    }
    v.set("qr_svg", render::qr_svg(http::check_in_url(ctx, r.id),
                                   "Code QR d'accueil de l'inscription " + french_of(r.full_name)));
    // The questions of the event: answers to change until it starts, then to read.
    if (const auto questions = ctx.app.registrations.questions(actor::anonymous(), id_text(e.id));
        questions && !questions->empty()) {
        v.set("has_questions", flag(true));
        v.set("answers_action", base + "/reponses");
        const auto typed = refused ? refused->typed : typed_from(*questions, r.answers);
        v.set("questions",
              question_views(*questions, typed,
                             refused ? refused->errors : std::map<std::string, std::string>{}));
        auto given = list_view();
        for (const auto& q : *questions) {
            const auto it = r.answers.find(q.code);
            view item;
            item.set("question_label", q.label);
            item.set("answer", it == r.answers.end() ? std::string("sans réponse")
                                                     : answer_text(q, it->second));
            given.push_back(item);
        }
        v.set("given_answers", given);
    }
    // The attendance certificate, once the event is over, for those who came.
    if (r.checked_in_at && e.ends_at && ctx.now >= *e.ends_at)
        v.set("certificate_url", base + "/attestation.pdf?t=" + token);
    page_options o;
    o.secret = true;
    if (refused) o.status = 422;
    return page("registration",
                (refused ? "Erreur : " : "") + std::string("Votre inscription — ") + e.title, v, o);
}

response participant_page(const request& req, const route_params& params, context& ctx) {
    const auto found = held_registration(req, params, ctx);
    if (!found) return error_page(404);
    return render_participant_page(ctx, *found, req.query_value("fait").value_or(""), nullptr);
}

// A form posted from a participant's page: from this site, naming a registration and carrying its
// manage token (field "t"); anything else is refused or a 404 page.
struct participant_form {
    id_t id;
    std::multimap<std::string, std::string> form;
    std::string token;
};
std::variant<participant_form, response>
participant_post(const request& req, const route_params& params, context& ctx) {
    if (auto refused = refuse_cross_site(req, ctx); refused.status) return refused;
    const auto id = parse_id(params.get("id"));
    auto form = read_form(req);
    auto token = form_value(form, "t");
    if (!id || token.empty()) return error_page(404);
    return participant_form{*id, std::move(form), std::move(token)};
}

response answers_from_page(const request& req, const route_params& params, context& ctx) {
    auto posted = participant_post(req, params, ctx);
    if (auto* r = std::get_if<response>(&posted)) return *r;
    const auto& [id, form, token] = std::get<participant_form>(posted);
    auto found = ctx.app.registrations.get_registration(actor::anonymous(), id, token);
    if (!found) return error_page(404);
    const auto questions =
        ctx.app.registrations.questions(actor::anonymous(), id_text(found->event_id));
    if (!questions) return error_page_for(questions.error());
    answers_state state;
    registration_patch patch;
    patch.answers = answers_from_form(*questions, form, state.typed);
    patch.replace_answers = true; // what was unchecked or emptied goes
    const auto done =
        ctx.app.registrations.update_registration(actor::anonymous(), id, token, patch, ctx.now);
    if (done) return redirect_to_registration(id, token, "reponses");
    if (done.error().code != errc::invalid) return error_page_for(done.error());
    for (const auto& f : done.error().fields)
        state.errors.emplace(form_field_id(f.field), render::french(registration_form_of(f), f));
    return render_participant_page(ctx, held{std::move(*found), token}, "", &state);
}

response certificate_from_page(const request& req, const route_params& params, context& ctx) {
    const auto id = parse_id(params.get("id"));
    const auto token = std::string(req.query_value("t").value_or(""));
    if (!id || token.empty()) return error_page(404);
    const auto c = ctx.app.registrations.certificate(actor::anonymous(), *id, token, ctx.now);
    if (!c) return error_page_for(c.error());
    auto r =
        http::pdf_response(documents::certificate_pdf(*c), "attestation-" + c->event.slug + ".pdf");
    r.set("Referrer-Policy", "no-referrer");
    return r;
}

response cancel_confirmation(const request& req, const route_params& params, context& ctx) {
    const auto found = held_registration(req, params, ctx);
    if (!found) return error_page(404);
    const auto id = found->r.id;
    const auto& token = found->token;
    const auto e = ctx.app.events.get_event(actor::anonymous(), id_text(found->r.event_id));
    if (!e) return error_page_for(e.error());
    const auto back = "/inscriptions/" + id_text(id) + "?t=" + token;
    if (!found->r.active()) {
        response r;
        r.status = 303;
        r.set("Location", back);
        r.set("Cache-Control", "no-store");
        r.set("Referrer-Policy", "no-referrer");
        return r;
    }
    view v;
    v.set("event_title", e->title);
    v.set("when", event_when(*e));
    v.set("action", "/inscriptions/" + id_text(id) + "/annulation");
    v.set("token", token);
    v.set("back_url", back);
    page_options o;
    o.secret = true;
    return page("cancel", "Annuler votre inscription", v, o);
}

http::write_job cancel_from_page(const request& req, const route_params& params, context& ctx) {
    auto posted = participant_post(req, params, ctx);
    if (auto* r = std::get_if<response>(&posted)) return http::write_job::answered(std::move(*r));
    auto& [id, form, token] = std::get<participant_form>(posted);
    auto& registrations = ctx.app.registrations;
    return http::durable_write(
        [&registrations, id, token, now = ctx.now] {
            return registrations.cancel_registration(actor::anonymous(), id, token, now);
        },
        [id, token](result<durability_ticket> done) {
            if (!done && done.error().code != errc::conflict) return error_page_for(done.error());
            return redirect_to_registration(id, token, "annulation");
        });
}

response workshops_from_page(const request& req, const route_params& params, context& ctx) {
    auto posted = participant_post(req, params, ctx);
    if (auto* r = std::get_if<response>(&posted)) return *r;
    const auto& [id, form, token] = std::get<participant_form>(posted);
    registration_patch patch;
    patch.session_ids = form_values(form, "session_ids");
    const auto done =
        ctx.app.registrations.update_registration(actor::anonymous(), id, token, patch, ctx.now);
    if (done) return redirect_to_registration(id, token, "ateliers");
    if (done.error().code != errc::invalid) return error_page_for(done.error());
    // The page again, with the workshops as ticked and what is wrong with them.
    auto found = ctx.app.registrations.get_registration(actor::anonymous(), id, token);
    if (!found) return error_page(404);
    answers_state state;
    state.session_ids = patch.session_ids;
    const auto& f = done.error().fields.front();
    state.workshops_error = workshops_refused_text(ctx, id_text(found->event_id), done.error(), f);
    return render_participant_page(ctx, held{std::move(*found), token}, "", &state);
}

// "This registration is not mine": the link every message about a registration carries. The
// manage token is the only authority (the page needs no account, and a mail client's one-click
// POST, RFC 8058, carries no form token and no origin); the GET only asks, since mail scanners
// open links.
response report_page(context& ctx, const registration& r, const std::string& token,
                     std::optional<bool> cancelled) {
    const auto e = ctx.app.events.get_event(actor::anonymous(), id_text(r.event_id));
    if (!e) return error_page_for(e.error());
    view v;
    v.set("event_title", e->title);
    v.set("when", event_when(*e));
    v.set(cancelled ? "done" : "ask", flag(true));
    v.set("cancelled", flag(cancelled.value_or(false)));
    v.set("action", "/inscriptions/" + id_text(r.id) + "/signalement");
    v.set("token", token);
    page_options o;
    o.secret = true;
    return page("report",
                cancelled ? "Inscription signalée"
                          : "Signaler une inscription que vous n'avez pas faite",
                v, o);
}

response report_question(const request& req, const route_params& params, context& ctx) {
    const auto found = held_registration(req, params, ctx);
    if (!found) return error_page(404);
    return report_page(ctx, found->r, found->token, std::nullopt);
}

response report_from_mail(const request& req, const route_params& params, context& ctx) {
    const auto id = parse_id(params.get("id"));
    // The link's own token first: a mail client's one-click POST may send its body as
    // multipart/form-data (RFC 8058), which says nothing we need.
    auto token = std::string(req.query_value("t").value_or(""));
    if (token.empty()) token = form_value(read_form(req), "t");
    if (!id || token.empty()) return error_page(404);
    const auto done = ctx.app.registrations.report_unwanted(*id, token, ctx.now);
    if (!durable(ctx, done ? done->durable_after : done.error().durable_after))
        return error_page(503);
    if (!done) return error_page_for(done.error());
    const auto found = ctx.app.registrations.get_registration(actor::anonymous(), *id, token);
    if (!found) return error_page(404);
    return report_page(ctx, *found, token, done->cancelled);
}

} // namespace

void register_registration_pages(http::router& r) {
    r.add("GET", "/inscriptions/{id}/signalement", page_route(report_question));
    r.add("POST", "/inscriptions/{id}/signalement", page_route(report_from_mail));
    r.add_write("POST", "/evenements/{slug}/inscription", page_write(register_from_page),
                http::preparing::reads_database);
    r.add("GET", "/inscriptions/{id}", page_route(participant_page));
    r.add("GET", "/evenements/{slug}/lien", page_route(show_link_form));
    r.add("POST", "/evenements/{slug}/lien", page_route(send_link_from_page));
    r.add("GET", "/inscriptions/{id}/annulation", page_route(cancel_confirmation));
    r.add_write("POST", "/inscriptions/{id}/annulation", page_write(cancel_from_page));
    r.add("POST", "/inscriptions/{id}/ateliers", page_route(workshops_from_page));
    r.add("POST", "/inscriptions/{id}/reponses", page_route(answers_from_page));
    r.add("GET", "/inscriptions/{id}/attestation.pdf", page_route(certificate_from_page));
}

} // namespace rencontres::web
