// The organizers' console, for what they ask and what they hand out (API.md §8, §13): the
// questions of the registration form, a message to the registrants (previewed, with the number
// of people it will reach, before it is sent), and the name badges to print.
#include "domain/common/fields.hpp"
#include "domain/common/text.hpp"
#include "server/api/representations.hpp"
#include "server/documents/gate.hpp"
#include "server/documents/pdf.hpp"
#include "server/render/mail_text.hpp"
#include "server/transport/router.hpp"
#include "server/web/console.hpp"
#include "server/web/settings.hpp"

#include <set>
#include <sstream>

namespace rencontres::web {
namespace {

constexpr std::size_t blank_rows = 2; // new questions the editor offers at once

const std::vector<std::pair<std::string, std::string>> kinds{
    {"boolean", "Oui ou non"},
    {"choice", "Un choix dans une liste"},
    {"choices", "Plusieurs choix dans une liste"},
    {"text", "Texte libre"}};
const std::vector<std::pair<std::string, std::string>> yes_no{{"non", "Non"}, {"oui", "Oui"}};

// One row of the editor as typed.
struct question_row {
    std::string code; // empty for a new question
    std::string label, kind = "boolean", required = "non", help, options;
};

std::vector<question_row> rows_of(const std::vector<question>& questions) {
    std::vector<question_row> rows;
    for (const auto& q : questions) {
        question_row row{q.code,
                         q.label,
                         std::string(to_string(q.kind)),
                         q.required ? "oui" : "non",
                         q.help.value_or(""),
                         ""};
        for (const auto& o : q.options)
            row.options += o.label + "\n";
        rows.push_back(std::move(row));
    }
    return rows;
}

// The rows of a submitted editor ("q-<field>-<i>"); a row without a label is left out.
std::vector<question_row> rows_of(const std::multimap<std::string, std::string>& form) {
    std::vector<question_row> rows;
    for (std::size_t i = 0; i < max_questions + blank_rows; ++i) {
        const auto n = std::to_string(i);
        question_row row{form_value(form, "q-code-" + n), form_value(form, "q-label-" + n),
                         form_value(form, "q-kind-" + n), form_value(form, "q-required-" + n),
                         form_value(form, "q-help-" + n), form_value(form, "q-options-" + n)};
        if (!trim(row.label).empty()) rows.push_back(std::move(row));
    }
    return rows;
}

// What the domain is asked for: new questions and options get codes from their labels, options
// keep the code they had while their label is the same.
std::vector<question_fields> fields_of(const std::vector<question_row>& rows,
                                       const std::vector<question>& current) {
    std::vector<question_fields> out;
    std::set<std::string> taken;
    for (const auto& row : rows)
        if (!row.code.empty()) taken.insert(row.code);
    for (const auto& row : rows) {
        question_fields f;
        f.code = row.code;
        if (f.code.empty()) {
            f.code = unique_code(row.label, taken);
        }
        f.label = row.label;
        f.kind = row.kind;
        f.required = row.required == "oui";
        if (!trim(row.help).empty()) f.help = row.help;
        const question* before = nullptr;
        for (const auto& q : current)
            if (q.code == f.code) before = &q;
        std::istringstream lines(row.options);
        std::set<std::string> option_codes;
        for (std::string line; std::getline(lines, line);) {
            line = trim(line);
            if (line.empty()) continue;
            std::string code;
            if (before)
                for (const auto& o : before->options)
                    if (o.label == line) code = o.code;
            if (code.empty()) code = code_of(line);
            const auto base = code;
            for (int n = 2; option_codes.count(code) || code == "true" || code == "false"; ++n)
                code = base + "-" + std::to_string(n);
            option_codes.insert(code);
            f.options.push_back({code, line});
        }
        if (f.kind == "text" || f.kind == "boolean") f.options.clear();
        out.push_back(std::move(f));
    }
    return out;
}

// The editor's French message for a field error of "items[i].<field>".
std::string question_problem(const std::string& field) {
    if (field.find(".label") != std::string::npos)
        return "Le libellé tient en 200 caractères au plus.";
    if (field.find(".options") != std::string::npos)
        return "Une question à choix a de 1 à 30 options, chacune de 200 caractères au plus ; "
               "les autres n'en ont pas.";
    if (field.find(".required") != std::string::npos)
        return "Des personnes sont déjà inscrites : une nouvelle question ne peut pas être "
               "obligatoire.";
    if (field.find(".help") != std::string::npos) return "L'aide tient en 500 caractères au plus.";
    if (field.find(".kind") != std::string::npos) return "Choisissez le type de la question.";
    return "Cette question n'est pas valide.";
}

response questions_page(const request& req, context& ctx, const managed_event& managed,
                        const std::vector<question_row>& rows, const domain_error* refused) {
    const auto& e = managed.event;
    view v;
    v.set("nav", event_nav(e, "/questions"));
    v.set("title", e.title);
    v.set("csrf", console_token(req, ctx));
    v.set("action", "/gestion/evenements/" + id_text(e.id) + "/questions");
    std::vector<form_field> all_fields; // for the error summary
    auto blocks = list_view();
    for (std::size_t i = 0; i < rows.size() + blank_rows; ++i) {
        const auto n = std::to_string(i);
        const question_row blank;
        const auto& row = i < rows.size() ? rows[i] : blank;
        std::string problem;
        if (refused)
            for (const auto& f : refused->fields)
                if (f.field.rfind("items[" + n + "]", 0) == 0) problem = question_problem(f.field);
        std::vector<form_field> fields{
            {"q-label-" + n, "Question", "text", row.label,
             i < rows.size() ? "laisser vide pour la retirer"
                             : "facultatif : une nouvelle question",
             problem, false},
            {"q-kind-" + n, "Type de réponse", "select", row.kind, "", "", false, kinds},
            {"q-required-" + n, "Réponse obligatoire", "select", row.required, "", "", false,
             yes_no},
            {"q-help-" + n, "Aide", "text", row.help, "facultatif", "", false},
            {"q-options-" + n, "Options", "textarea", row.options,
             "une par ligne, pour les questions à choix", "", false}};
        all_fields.push_back(fields.front());
        view block;
        block.set("legend",
                  i < rows.size() ? "Question " + std::to_string(i + 1) : "Nouvelle question");
        block.set("code_name", "q-code-" + n);
        block.set("code", row.code);
        block.set("fields", fields_view(fields));
        blocks.push_back(block);
    }
    v.set("blocks", blocks);
    set_error_summary(v, all_fields);
    if (refused && refused->code == errc::conflict)
        v.set("conflict", std::string("une question à laquelle des personnes ont répondu reste, "
                                      "avec son type, et une option déjà choisie ne peut pas "
                                      "disparaître."));
    const auto done = req.query_value("fait").value_or("");
    if (done == "questions")
        v.set("notice", std::string("Les questions sont enregistrées : le formulaire "
                                    "d'inscription les pose désormais."));
    const int status = !refused ? 200 : refused->code == errc::conflict ? 409 : 422;
    return page("console_questions",
                (refused ? "Erreur : " : "") + std::string("Questions — ") + e.title, v,
                private_page(status));
}

response show_questions(const request& req, const route_params&, context& ctx,
                        const managed_event& managed) {
    const auto questions = ctx.app.registrations.questions(managed.as(), id_text(managed.event.id));
    if (!questions) return error_page_for(questions.error());
    return questions_page(req, ctx, managed, rows_of(*questions), nullptr);
}

response save_questions(const request& req, const route_params&, context& ctx,
                        const managed_event& managed) {
    const auto id = id_text(managed.event.id);
    const auto current = ctx.app.registrations.questions(managed.as(), id);
    if (!current) return error_page_for(current.error());
    const auto rows = rows_of(read_form(req));
    const auto saved = ctx.app.registrations.replace_questions(managed.as(), id,
                                                               fields_of(rows, *current), ctx.now);
    if (saved) return see_other("/gestion/evenements/" + id + "/questions?fait=questions");
    if (saved.error().code != errc::invalid && saved.error().code != errc::conflict)
        return error_page_for(saved.error());
    return questions_page(req, ctx, managed, rows, &saved.error());
}

// -- a message to the registrants --------------------------------------------------------------

struct message_form {
    std::string subject, body;
    std::vector<std::string> statuses;
};

message_form read_message(const request& req) {
    const auto form = read_form(req);
    return {form_value(form, "subject"), form_value(form, "body"), form_values(form, "statuses")};
}

response message_page(const request& req, context& ctx, const managed_event& managed,
                      const message_form& typed, const domain_error* refused, bool preview) {
    const auto& e = managed.event;
    const auto base = "/gestion/evenements/" + id_text(e.id);
    view v;
    v.set("nav", event_nav(e, "/message"));
    v.set("title", e.title);
    v.set("csrf", console_token(req, ctx));
    v.set("preview_action", base + "/message/apercu");
    v.set("send_action", base + "/message");
    std::string subject_error, body_error, statuses_error;
    if (refused)
        for (const auto& f : refused->fields) {
            if (f.field == "subject")
                subject_error = "Indiquez un objet de 200 caractères au plus.";
            if (f.field == "body") body_error = "Écrivez le message (10 000 caractères au plus).";
            if (f.field.rfind("statuses", 0) == 0)
                statuses_error = "Choisissez parmi les personnes confirmées et en liste d'attente.";
        }
    std::vector<form_field> fields{
        {"subject", "Objet", "text", typed.subject, "", subject_error, true},
        {"body", "Message", "textarea", typed.body,
         "chaque personne le reçoit précédé de « Bonjour » et de son nom", body_error, true}};
    v.set("fields", fields_view(fields));
    fields.push_back({"statuses", "Destinataires", "", "", "", statuses_error, false});
    set_error_summary(v, fields);
    if (!statuses_error.empty()) v.set("statuses_problem", statuses_error);
    const auto wants = [&](const char* s) {
        return typed.statuses.empty() ? std::string(s) == "confirmed"
                                      : std::find(typed.statuses.begin(), typed.statuses.end(),
                                                  s) != typed.statuses.end();
    };
    v.set("to_confirmed", flag(wants("confirmed")));
    v.set("to_waitlisted", flag(wants("waitlisted")));
    if (refused && refused->code == errc::rate_limited)
        v.set("conflict", std::string("Cinq messages ont déjà été envoyés pour cette rencontre "
                                      "ces dernières 24 heures : réessayez plus tard."));
    if (preview) {
        const auto n = ctx.app.registrations.announcement_recipients(managed.as(), id_text(e.id),
                                                                     typed.statuses);
        if (!n) return error_page_for(n.error());
        v.set("preview", flag(true));
        v.set("preview_subject", typed.subject);
        v.set("kept_body", typed.body);
        // The text part as the SMTP sink writes it, with each registrant's own links (shown
        // here with "…" in place of their number and key).
        outbox_message sample;
        sample.kind = message_kind::announcement;
        sample.body = announcement_text("Prénom Nom", typed.body, e);
        sample.reply_to = e.contact_email;
        const auto page_link = ctx.app.site_config.public_base_url + "/inscriptions/…";
        v.set("preview_body",
              render::mail_text(sample, page_link + "?t=…", page_link + "/signalement?t=…", false));
        if (e.contact_email) v.set("preview_reply_to", *e.contact_email);
        v.set("recipients",
              *n == 1 ? std::string("1 personne") : std::to_string(*n) + " personnes");
        auto kept = list_view();
        for (const auto& s : typed.statuses) {
            view item;
            item.set("status_value", s);
            kept.push_back(item);
        }
        v.set("kept_statuses", kept);
    }
    const auto done = req.query_value("fait").value_or("");
    if (!done.empty() && done.find_first_not_of("0123456789") == std::string::npos)
        v.set("notice", "Le message part vers " + std::string(done) +
                            (done == "1" ? " personne." : " personnes."));
    int status = 200;
    if (refused) status = refused->code == errc::rate_limited ? 429 : 422;
    return page("console_message",
                (refused ? "Erreur : " : "") + std::string("Écrire aux inscrits — ") + e.title, v,
                private_page(status));
}

response show_message(const request& req, const route_params&, context& ctx,
                      const managed_event& managed) {
    return message_page(req, ctx, managed, {}, nullptr, false);
}

response preview_message(const request& req, const route_params&, context& ctx,
                         const managed_event& managed) {
    const auto typed = read_message(req);
    // The checks of the message itself, before showing it.
    validation v;
    (void)check_text(v, "subject", typed.subject, 1, 200);
    (void)check_text(v, "body", typed.body, 1, 10'000, true);
    if (typed.statuses.empty()) v.fail("statuses", field_rule::required, "choose at least one");
    for (const auto& s : typed.statuses)
        if (s != "confirmed" && s != "waitlisted")
            v.fail("statuses", field_rule::choice, "unknown status");
    if (!v.ok()) {
        const auto refused = v.error();
        return message_page(req, ctx, managed, typed, &refused, false);
    }
    return message_page(req, ctx, managed, typed, nullptr, true);
}

response send_message(const request& req, const route_params&, context& ctx,
                      const managed_event& managed) {
    const auto typed = read_message(req);
    if (typed.statuses.empty()) {
        const auto refused = invalid_field("statuses", field_rule::required, "choose at least one");
        return message_page(req, ctx, managed, typed, &refused, false);
    }
    const auto sent = ctx.app.registrations.send_announcement(
        managed.as(), id_text(managed.event.id), {typed.subject, typed.body, typed.statuses},
        ctx.now);
    if (sent)
        return see_other("/gestion/evenements/" + id_text(managed.event.id) +
                         "/message?fait=" + std::to_string(*sent));
    if (sent.error().code != errc::invalid && sent.error().code != errc::rate_limited)
        return error_page_for(sent.error());
    return message_page(req, ctx, managed, typed, &sent.error(), false);
}

// -- badges ------------------------------------------------------------------------------------

response download_badges(const request& req, const route_params&, context& ctx,
                         const managed_event& managed) {
    const auto layout = req.query_value("format").value_or("a4-8") == "a6"
                            ? documents::badge_layout::a6
                            : documents::badge_layout::a4_8;
    auto sheet = ctx.app.registrations.badges(managed.as(), id_text(managed.event.id));
    if (!sheet) return error_page_for(sheet.error());
    const auto pass = documents::drawing::of_event(managed.event.id);
    if (!pass) {
        auto busy = error_page(429, "Les badges de cette rencontre sont déjà en cours de "
                                    "préparation. Réessayez dans quelques secondes.");
        busy.set("Retry-After", "5");
        return busy;
    }
    // The first 2,000 badges (sorted by name); ?page= gives the next ones.
    const auto pages = documents::badge_documents(sheet->badges.size());
    const auto page = parse_id(req.query_value("page").value_or("1")).value_or(0);
    if (!documents::keep_badge_document(sheet->badges, static_cast<std::size_t>(page)))
        return error_page(404);
    return http::pdf_response(
        documents::badges_pdf(*sheet, layout, [&](id_t id) { return http::check_in_url(ctx, id); }),
        "badges-" + managed.event.slug + (pages > 1 ? "-" + std::to_string(page) : "") + ".pdf");
}

// A participant's attendance certificate, for the event's organizers.
response download_certificate(const request&, const route_params& params, context& ctx,
                              const managed_event& managed) {
    const auto id = parse_id(params.get("registration"));
    if (!id) return error_page(404);
    const auto c = ctx.app.registrations.certificate(managed.as(), *id, std::nullopt, ctx.now);
    if (!c || c->event.id != managed.event.id)
        return c ? error_page(404) : error_page_for(c.error());
    return http::pdf_response(documents::certificate_pdf(*c),
                              "attestation-" + managed.event.slug + "-" + id_text(*id) + ".pdf");
}

} // namespace

void register_console_question_pages(http::router& r) {
    r.add("GET", "/gestion/evenements/{id}/questions", event_page(show_questions));
    r.add("POST", "/gestion/evenements/{id}/questions", event_page(save_questions));
    r.add("GET", "/gestion/evenements/{id}/message", event_page(show_message));
    r.add("POST", "/gestion/evenements/{id}/message/apercu", event_page(preview_message));
    r.add("POST", "/gestion/evenements/{id}/message", event_page(send_message));
    r.add("GET", "/gestion/evenements/{id}/badges.pdf", event_page(download_badges),
          http::lane::documents);
    r.add("GET", "/gestion/evenements/{id}/inscriptions/{registration}/attestation.pdf",
          event_page(download_certificate));
}

} // namespace rencontres::web
