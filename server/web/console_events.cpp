// The console's events (API.md §13): create a draft, edit it, publish it (the page lists what is
// missing, as the API's 422 does), cancel a published event with a reason behind a confirmation,
// and share it with co-organizers. Dates are typed as wall time in the event's own zone.
#include "domain/common/french.hpp"
#include "domain/common/text.hpp"
#include "domain/common/zone.hpp"
#include "server/transport/router.hpp"
#include "server/web/console.hpp"

#include <array>

namespace rencontres::web {
namespace {

// The zones of France's territories, mainland first.
constexpr std::array<std::pair<std::string_view, std::string_view>, 11> french_zones{{
    {"Europe/Paris", "France métropolitaine (Europe/Paris)"},
    {"America/Guadeloupe", "Guadeloupe, Saint-Martin, Saint-Barthélemy"},
    {"America/Martinique", "Martinique"},
    {"America/Cayenne", "Guyane"},
    {"Indian/Reunion", "La Réunion"},
    {"Indian/Mayotte", "Mayotte"},
    {"America/Miquelon", "Saint-Pierre-et-Miquelon"},
    {"Pacific/Noumea", "Nouvelle-Calédonie"},
    {"Pacific/Tahiti", "Polynésie française (Tahiti)"},
    {"Pacific/Wallis", "Wallis-et-Futuna"},
    {"UTC", "Temps universel (UTC)"},
}};

// Form field names are the API's with '_' for '.' (venue.city -> venue_city).
std::string form_name(std::string field) {
    for (auto& c : field)
        if (c == '.') c = '_';
    return field;
}

// The values the event form shows: as stored, or as typed.

std::string local_or_empty(const std::optional<instant>& at, const std::string& zone) {
    return at ? local_minutes(*at, zone) : std::string();
}

form_values_t values_of(const event& e) {
    form_values_t v{
        {"title", e.title},
        {"summary", e.summary},
        {"description", e.description},
        {"timezone", e.timezone},
        {"starts_at", local_or_empty(e.starts_at, e.timezone)},
        {"ends_at", local_or_empty(e.ends_at, e.timezone)},
        {"venue_name", e.venue.name},
        {"venue_address", e.venue.address},
        {"venue_postal_code", e.venue.postal_code},
        {"venue_city", e.venue.city},
        {"capacity", e.capacity ? std::to_string(*e.capacity) : ""},
        {"registration_opens_at", local_or_empty(e.registration_opens_at, e.timezone)},
        {"registration_closes_at", local_or_empty(e.registration_closes_at, e.timezone)},
        {"host_territory_id", e.host_territory_id ? id_text(*e.host_territory_id) : ""},
        {"contact_email", e.contact_email.value_or("")},
    };
    return v;
}

std::vector<std::pair<std::string, std::string>> territory_options(context& ctx) {
    std::vector<std::pair<std::string, std::string>> out{{"", "Aucun"}};
    for (const auto& t : every_territory(ctx))
        out.emplace_back(id_text(t.id), t.name);
    return out;
}

std::vector<form_field> event_form(context& ctx, const form_values_t& values,
                                   const std::vector<field_error>& errors) {
    std::vector<std::pair<std::string, std::string>> zones;
    for (const auto& [zone, label] : french_zones)
        zones.emplace_back(std::string(zone), std::string(label));
    const auto zone = form_value(values, "timezone");
    if (!zone.empty() &&
        std::none_of(zones.begin(), zones.end(), [&](const auto& z) { return z.first == zone; }))
        zones.emplace_back(zone, zone);
    const auto when_hint = "date et heure dans le fuseau de la rencontre";
    std::vector<form_field> fields{
        {"title", "Titre", "text", "", "obligatoire", "", true},
        {"summary", "Résumé", "textarea", "", "une ou deux phrases, 500 caractères au plus"},
        {"description", "Description", "textarea", "",
         "séparez les paragraphes par une ligne vide"},
        {"timezone", "Fuseau horaire", "select", "", "", "", true, zones},
        {"starts_at", "Début", "datetime-local", "", when_hint},
        {"ends_at", "Fin", "datetime-local", "", when_hint},
        {"venue_name", "Lieu", "text", "", "par exemple : Salle des fêtes"},
        {"venue_address", "Adresse", "text"},
        {"venue_postal_code", "Code postal", "text"},
        {"venue_city", "Commune", "text", "", "nécessaire pour publier"},
        {"capacity", "Nombre de places", "number", "", "vide : sans limite"},
        {"registration_opens_at", "Ouverture des inscriptions", "datetime-local", "",
         "vide : dès la publication"},
        {"registration_closes_at", "Clôture des inscriptions", "datetime-local", "",
         "vide : au début de la rencontre"},
        {"host_territory_id", "Territoire hôte", "select", "", "", "", false,
         territory_options(ctx)},
        {"contact_email", "Adresse de contact", "email", "",
         "les réponses des personnes inscrites à nos messages y arrivent ; vide : votre adresse"},
    };
    for (auto& f : fields) {
        f.value = form_value(values, f.name);
        for (const auto& e : errors)
            if (form_name(e.field) == f.name && f.error.empty()) f.error = e.message;
    }
    return fields;
}

// The API's fields from the form; a date that cannot be read in the zone is an error of its own.
event_fields fields_of(const form_values_t& form, std::vector<field_error>& errors) {
    event_fields f;
    f.title = form_value(form, "title");
    f.summary = form_value(form, "summary");
    f.description = form_value(form, "description");
    const auto zone = form_value(form, "timezone");
    f.timezone = zone;
    const auto instant_of = [&](const char* name) -> std::optional<std::string> {
        const auto text = form_value(form, name);
        if (text.empty()) return std::nullopt;
        if (auto zoned = zoned_from_local(text, known_zone(zone) ? zone : "UTC")) return zoned;
        errors.push_back(shown("event", name, field_rule::format));
        return std::nullopt;
    };
    if (auto at = instant_of("starts_at")) f.starts_at = at;
    if (auto at = instant_of("ends_at")) f.ends_at = at;
    f.venue_name = form_value(form, "venue_name");
    f.venue_address = form_value(form, "venue_address");
    f.venue_postal_code = form_value(form, "venue_postal_code");
    f.venue_city = form_value(form, "venue_city");
    if (auto contact = form_value(form, "contact_email"); !contact.empty())
        f.contact_email = std::move(contact);
    const auto capacity = form_value(form, "capacity");
    if (const auto seats = optional_count(capacity))
        f.capacity = *seats;
    else
        errors.push_back(shown("event", "capacity", field_rule::format));
    f.registration_opens_at = instant_of("registration_opens_at");
    f.registration_closes_at = instant_of("registration_closes_at");
    const auto territory = form_value(form, "host_territory_id");
    if (territory.empty())
        f.host_territory_id = std::optional<id_t>();
    else if (const auto id = parse_id(territory))
        f.host_territory_id = std::optional<id_t>(*id);
    else
        errors.push_back(shown("event", "host_territory_id", field_rule::format));
    return f;
}

void add_french_errors(std::vector<field_error>& into, const domain_error& e) {
    for (const auto& f : e.fields)
        into.push_back(shown("event", f));
}

// -- creating ---------------------------------------------------------------------------------

response new_event_form(const request& req, context& ctx, const form_values_t& values,
                        const std::vector<field_error>& errors, int status) {
    view v;
    v.set("csrf", console_token(req, ctx));
    const auto fields = event_form(ctx, values, errors);
    v.set("fields", fields_view(fields));
    set_error_summary(v, fields);
    return page("console_event_new",
                (errors.empty() ? "" : "Erreur : ") + std::string("Créer une rencontre"), v,
                private_page(status));
}

response show_new_event(const request& req, const route_params&, context& ctx, const account&) {
    return new_event_form(req, ctx, {{"timezone", std::string(default_zone)}}, {}, 200);
}

response create_event(const request& req, const route_params&, context& ctx, const account& me) {
    const auto form = read_form(req);
    std::vector<field_error> errors;
    const auto fields = fields_of(form, errors);
    if (!errors.empty()) return new_event_form(req, ctx, form, errors, 422);
    const auto created = ctx.app.events.create_event(actor{me.id, me.role}, fields, ctx.now);
    if (!created) {
        if (created.error().code != errc::invalid) return error_page_for(created.error());
        add_french_errors(errors, created.error());
        return new_event_form(req, ctx, form, errors, 422);
    }
    return see_other("/gestion/evenements/" + id_text(created->id) + "?fait=creee");
}

// -- the event's page -------------------------------------------------------------------------

struct event_page_state {
    form_values_t values;               // as typed, when the edit form failed
    std::vector<field_error> errors;    // of the edit form
    std::vector<field_error> missing;   // what publishing needs
    std::vector<field_error> organizer; // of the co-organizer form
    std::string organizer_email;
    std::string organizer_name;
    std::string notice;
    int status = 200;
};

response event_console_page(const request& req, context& ctx, const managed_event& m,
                            const event_page_state& state) {
    const auto& e = m.event;
    const auto csrf = console_token(req, ctx);
    view v;
    v.set("nav", event_nav(e, ""));
    v.set("id", id_text(e.id));
    v.set("title", e.title);
    v.set("slug", e.slug);
    v.set("csrf", csrf);
    v.set("revision", std::to_string(e.revision));
    v.set("status", status_text(e.status));
    v.set("when", event_when(e));
    v.set("public", flag(e.status != event_status::draft));
    v.set("draft", flag(e.status == event_status::draft));
    v.set("published", flag(e.status == event_status::published));
    v.set("editable", flag(e.status != event_status::cancelled));
    if (e.cancel_reason) v.set("cancel_reason", *e.cancel_reason);
    if (!state.notice.empty()) v.set("notice", state.notice);
    const auto fields =
        event_form(ctx, state.values.empty() ? values_of(e) : state.values, state.errors);
    v.set("fields", fields_view(fields));
    set_error_summary(v, fields);
    auto missing = list_view();
    for (const auto& f : state.missing) {
        view item;
        item.set("field", form_name(f.field));
        item.set("message", f.message);
        missing.push_back(item);
    }
    v.set("missing_any", flag(!state.missing.empty()));
    v.set("missing", missing);
    auto organizers = list_view();
    if (const auto found = ctx.app.events.organizers(m.as(), id_text(e.id))) {
        for (const auto& o : *found) {
            view item;
            item.set("name", o.display_name);
            item.set("email", o.email);
            item.set("account_id", id_text(o.account_id));
            item.set("id", id_text(e.id));
            item.set("csrf", csrf);
            item.set("removable", flag(found->size() > 1 && e.status != event_status::cancelled));
            organizers.push_back(item);
        }
    }
    v.set("organizers", organizers);
    const auto organizer_error = [&](std::string_view field) {
        return error_for(state.organizer, field);
    };
    form_field organizer{"organizer_email",
                         "Adresse électronique",
                         "email",
                         state.organizer_email,
                         "",
                         organizer_error("organizer_email")};
    organizer.autocomplete = "off";
    v.set("organizer_field", field_view(organizer));
    v.set("organizer_name_field",
          field_view({"organizer_name", "Nom", "text", state.organizer_name,
                      "pour une invitation : prénom et nom", organizer_error("organizer_name")}));
    auto invitations = list_view();
    if (const auto found = ctx.app.invitations.list(m.as(), {200, std::nullopt}))
        for (const auto& i : found->items) {
            if (i.event_id != e.id) continue;
            invitations.push_back(invitation_row(
                i, ctx.now,
                "/gestion/evenements/" + id_text(e.id) + "/invitations/" + id_text(i.id), csrf));
        }
    v.set("has_invitations", flag(invitations.is_non_empty_list()));
    v.set("invitations", invitations);
    auto hooks = list_view();
    bool any_hook = false;
    if (const auto found = ctx.app.webhooks.event_webhooks(m.as(), id_text(e.id))) {
        any_hook = !found->empty();
        for (const auto& w : *found) {
            view item;
            item.set("url", w.url);
            item.set("state", w.status == webhook_status::active   ? "actif"
                              : w.status == webhook_status::paused ? "en pause"
                                                                   : "désactivé");
            item.set("created", when_text(w.created_at));
            item.set("pausable", flag(w.status == webhook_status::active));
            item.set("event_id", id_text(e.id));
            item.set("hook_id", id_text(w.id));
            item.set("csrf", csrf);
            hooks.push_back(item);
        }
    }
    v.set("has_webhooks", flag(any_hook));
    v.set("webhooks", hooks);
    const bool failed = !state.errors.empty() || !state.organizer.empty();
    return page("console_event", (failed ? "Erreur : " : "") + e.title, v,
                private_page(state.status));
}

std::string done_notice(const request& req) {
    const auto done = req.query_value("fait").value_or("");
    if (done == "creee") return "Le brouillon est créé. Complétez-le, puis publiez-le.";
    if (done == "enregistree") return "Les modifications sont enregistrées.";
    if (done == "publiee") return "La rencontre est publiée.";
    if (done == "annulee")
        return "La rencontre est annulée ; les personnes inscrites sont prévenues.";
    if (done == "organisateur") return "L'équipe d'organisation est à jour.";
    if (done == "invitation")
        return "L'invitation est envoyée : la personne rejoindra l'équipe d'organisation en "
               "ouvrant son compte.";
    if (done == "renvoi") return "L'invitation est renvoyée avec un nouveau lien, valable 7 jours.";
    if (done == "retrait") return "L'invitation est retirée : son lien ne fonctionne plus.";
    if (done == "webhook") return "Les webhooks sont à jour.";
    return {};
}

response show_event(const request& req, const route_params&, context& ctx,
                    const managed_event& managed) {
    event_page_state state;
    state.notice = done_notice(req);
    return event_console_page(req, ctx, managed, state);
}

response update_event(const request& req, const route_params&, context& ctx,
                      const managed_event& managed) {
    const auto form = read_form(req);
    event_page_state state;
    state.values = form;
    const auto fields = fields_of(form, state.errors);
    if (state.errors.empty()) {
        // Whoever saves a page opened before another organizer's change is told, not obeyed.
        const auto revision = form_value(form, "revision");
        const precondition<event> unchanged = [&](const event& e) {
            return std::to_string(e.revision) == revision;
        };
        const auto updated = ctx.app.events.update_event(managed.as(), id_text(managed.event.id),
                                                         fields, unchanged, ctx.now);
        if (updated)
            return see_other("/gestion/evenements/" + id_text(managed.event.id) +
                             "?fait=enregistree");
        if (updated.error().code == errc::precondition_failed) {
            state.values.clear();
            state.notice =
                "Quelqu'un d'autre de l'équipe a modifié la rencontre pendant que vous la "
                "modifiiez : voici sa version. Reportez vos changements et "
                "enregistrez à nouveau.";
            state.status = 409;
            return event_console_page(req, ctx, managed, state);
        }
        if (updated.error().code == errc::rate_limited) {
            // The typed values stay: the change can be saved again later.
            state.notice =
                "Les personnes inscrites ont déjà reçu cinq messages en 24 heures (annonces et "
                "changements de date ou de lieu) : ce changement n'est pas enregistré. "
                "Réessayez plus tard.";
            state.status = 429;
            return event_console_page(req, ctx, managed, state);
        }
        if (updated.error().code != errc::invalid) return error_page_for(updated.error());
        add_french_errors(state.errors, updated.error());
    }
    state.status = 422;
    return event_console_page(req, ctx, managed, state);
}

response show_publish(const request& req, const route_params&, context& ctx,
                      const managed_event& managed) {
    const auto& e = managed.event;
    if (e.status != event_status::draft) return see_other("/gestion/evenements/" + id_text(e.id));
    const auto page_of = "/gestion/evenements/" + id_text(e.id);
    return confirmation_page(
        req, ctx,
        {"Publier « " + e.title + " » ?",
         "Une fois publiée, la rencontre apparaît sur le site et les inscriptions s'ouvrent selon "
         "les dates choisies. Elle ne redevient pas un brouillon : seule une annulation, annoncée "
         "à chaque personne inscrite, l'en retire.",
         page_of + "/publication", "Publier la rencontre", page_of,
         "Ne rien changer, revenir à la rencontre", false, event_nav(e, "")});
}

response publish_event(const request& req, const route_params&, context& ctx,
                       const managed_event& managed) {
    const auto published =
        ctx.app.events.publish_event(managed.as(), id_text(managed.event.id), ctx.now);
    if (published)
        return see_other("/gestion/evenements/" + id_text(managed.event.id) + "?fait=publiee");
    if (published.error().code != errc::invalid) return error_page_for(published.error());
    event_page_state state;
    add_french_errors(state.missing, published.error());
    state.status = 422;
    return event_console_page(req, ctx, managed, state);
}

// -- cancelling -------------------------------------------------------------------------------

response cancel_form(const request& req, context& ctx, const managed_event& m,
                     const std::string& reason, const std::vector<field_error>& errors,
                     int status) {
    view v;
    v.set("nav", event_nav(m.event, ""));
    v.set("id", id_text(m.event.id));
    v.set("title", m.event.title);
    v.set("csrf", console_token(req, ctx));
    int active = 0;
    if (const auto s = ctx.app.registrations.event_stats(m.as(), id_text(m.event.id)))
        active = s->confirmed + s->waitlisted;
    v.set("active_text",
          active == 0 ? std::string("Personne n'est inscrit : aucun courriel ne partira.")
          : active == 1
              ? std::string("La personne inscrite recevra un courriel avec le motif que vous "
                            "indiquez.")
              : "Les " + std::to_string(active) +
                    " personnes inscrites ou en liste d'attente recevront un courriel avec le "
                    "motif que vous indiquez.");
    std::vector<form_field> fields{{"reason", "Motif de l'annulation", "textarea", reason,
                                    "il figure dans le courriel envoyé aux personnes inscrites", "",
                                    true}};
    if (!errors.empty()) fields.front().error = errors.front().message;
    v.set("fields", fields_view(fields));
    set_error_summary(v, fields);
    return page("console_cancel",
                (errors.empty() ? "" : "Erreur : ") + std::string("Annuler ") + m.event.title, v,
                private_page(status));
}

response show_cancel(const request& req, const route_params&, context& ctx,
                     const managed_event& managed) {
    if (managed.event.status != event_status::published)
        return see_other("/gestion/evenements/" + id_text(managed.event.id));
    return cancel_form(req, ctx, managed, "", {}, 200);
}

response cancel_event(const request& req, const route_params&, context& ctx,
                      const managed_event& managed) {
    const auto reason = form_value(read_form(req), "reason");
    const auto cancelled =
        ctx.app.events.cancel_event(managed.as(), id_text(managed.event.id), reason, ctx.now);
    if (cancelled)
        return see_other("/gestion/evenements/" + id_text(managed.event.id) + "?fait=annulee");
    if (cancelled.error().code != errc::invalid) return error_page_for(cancelled.error());
    std::vector<field_error> errors;
    add_french_errors(errors, cancelled.error());
    return cancel_form(req, ctx, managed, reason, errors, 422);
}

// -- co-organizers ----------------------------------------------------------------------------

// An address with an organizer's account is added at once. Otherwise, given a name, the person
// is invited to open an account and join; without one, the form asks for it.
response add_organizer(const request& req, const route_params&, context& ctx,
                       const managed_event& managed) {
    const auto form = read_form(req);
    const auto page_of = "/gestion/evenements/" + id_text(managed.event.id);
    event_page_state state;
    state.organizer_email = form_value(form, "organizer_email");
    state.organizer_name = form_value(form, "organizer_name");
    if (trim(state.organizer_name).empty()) {
        const auto added = ctx.app.events.add_organizer_by_email(
            managed.as(), id_text(managed.event.id), state.organizer_email, ctx.now);
        if (added) return see_other(page_of + "?fait=organisateur");
        if (added.error().code != errc::invalid) return error_page_for(added.error());
        const auto& f = added.error().fields.front();
        // No organizer's account has the address (whether another account has it is not said):
        // its name makes an invitation.
        state.organizer.push_back(shown(
            "organizer",
            f.broken == field_rule::not_eligible ? "organizer_name" : "organizer_email", f.broken));
        state.status = 422;
        return event_console_page(req, ctx, managed, state);
    }
    const auto sent = ctx.app.invitations.invite(
        managed.as(), {state.organizer_email, state.organizer_name, "organizer", managed.event.id},
        ctx.now);
    if (sent) return see_other(page_of + "?fait=invitation");
    const auto& e = sent.error();
    if (e.broken == rule::organizer_added_directly)
        return see_other(page_of + "?fait=organisateur");
    if (e.code == errc::invalid) {
        for (const auto& f : e.fields)
            state.organizer.push_back(shown(
                "organizer", f.field == "email" ? "organizer_email" : "organizer_name", f.broken));
        state.status = 422;
    } else if (e.code == errc::conflict) {
        // An account without the organizer role, or an invitation already waiting.
        state.organizer.push_back(e.broken == rule::email_taken
                                      ? shown("organizer", "organizer_email", field_rule::unknown)
                                      : field_error{"organizer_email", field_rule::refused,
                                                    std::string(render::french(e.broken))});
        state.status = 409;
    } else {
        return error_page_for(e);
    }
    return event_console_page(req, ctx, managed, state);
}

// Whether `id` is an invitation to co-organize this event that the caller sent (an admin: anyone).
bool invitation_of(context& ctx, const managed_event& managed, id_t id) {
    const auto listed = ctx.app.invitations.list(managed.as(), {200, std::nullopt});
    return listed && std::ranges::any_of(listed->items, [&](const invitation& i) {
               return i.id == id && i.event_id == managed.event.id;
           });
}

response resend_invitation(const request&, const route_params& params, context& ctx,
                           const managed_event& managed) {
    const auto id = parse_id(params.get("invitation"));
    if (!id || !invitation_of(ctx, managed, *id)) return error_page(404);
    if (const auto sent = ctx.app.invitations.resend(managed.as(), *id, ctx.now); !sent)
        return error_page_for(sent.error());
    return see_other("/gestion/evenements/" + id_text(managed.event.id) + "?fait=renvoi");
}

response withdraw_invitation(const request&, const route_params& params, context& ctx,
                             const managed_event& managed) {
    const auto id = parse_id(params.get("invitation"));
    if (!id || !invitation_of(ctx, managed, *id)) return error_page(404);
    if (const auto gone = ctx.app.invitations.withdraw(managed.as(), *id, ctx.now); !gone)
        return error_page_for(gone.error());
    return see_other("/gestion/evenements/" + id_text(managed.event.id) + "?fait=retrait");
}

response remove_organizer(const request&, const route_params& params, context& ctx,
                          const managed_event& managed) {
    const auto account_id = parse_id(params.get("account"));
    if (!account_id) return error_page(404);
    const auto removed = ctx.app.events.remove_organizer(managed.as(), id_text(managed.event.id),
                                                         *account_id, ctx.now);
    if (!removed) return error_page_for(removed.error());
    // Whoever removed themselves no longer manages the event.
    if (!removed->managed_by(managed.as())) return see_other("/gestion");
    return see_other("/gestion/evenements/" + id_text(managed.event.id) + "?fait=organisateur");
}

// -- the event's webhooks: paused or deleted by any of its organizers --------------------------

response change_webhook(const request&, const route_params& params, context& ctx,
                        const managed_event& managed, bool remove) {
    const auto hook = parse_id(params.get("hook"));
    if (!hook) return error_page(404);
    // Only a webhook of this event: another event's is not found here.
    const auto of_event = ctx.app.webhooks.event_webhooks(managed.as(), id_text(managed.event.id));
    if (!of_event) return error_page_for(of_event.error());
    if (std::none_of(of_event->begin(), of_event->end(),
                     [&](const webhook& w) { return w.id == *hook; }))
        return error_page(404);
    if (remove) {
        if (auto done = ctx.app.webhooks.delete_webhook(managed.as(), *hook, ctx.now); !done)
            return error_page_for(done.error());
    } else {
        webhook_fields paused;
        paused.status = "paused";
        if (auto done = ctx.app.webhooks.update_webhook(managed.as(), *hook, paused, ctx.now);
            !done)
            return error_page_for(done.error());
    }
    return see_other("/gestion/evenements/" + id_text(managed.event.id) + "?fait=webhook#webhooks");
}

response pause_webhook(const request& req, const route_params& params, context& ctx,
                       const managed_event& managed) {
    return change_webhook(req, params, ctx, managed, false);
}

response delete_webhook(const request& req, const route_params& params, context& ctx,
                        const managed_event& managed) {
    return change_webhook(req, params, ctx, managed, true);
}

response show_delete_webhook(const request& req, const route_params& params, context& ctx,
                             const managed_event& managed) {
    const auto hook = parse_id(params.get("hook"));
    if (!hook) return error_page(404);
    const auto found = ctx.app.webhooks.event_webhooks(managed.as(), id_text(managed.event.id));
    if (!found) return error_page_for(found.error());
    for (const auto& w : *found)
        if (w.id == *hook) {
            const auto page_of = "/gestion/evenements/" + id_text(managed.event.id);
            return confirmation_page(
                req, ctx,
                {"Supprimer le webhook " + w.url + " ?",
                 "Cette adresse ne recevra plus rien de cette rencontre, et ses envois en attente "
                 "sont abandonnés. La suppression est définitive : pour l'abonner de nouveau, il "
                 "faudra créer un autre webhook, avec un nouveau secret.",
                 page_of + "/webhooks/" + id_text(w.id) + "/suppression",
                 "Supprimer définitivement le webhook", page_of,
                 "Ne rien changer, revenir à la rencontre", true, event_nav(managed.event, "")});
        }
    return error_page(404);
}

} // namespace

void register_console_event_pages(http::router& r) {
    r.add("POST", "/gestion/evenements/{id}/webhooks/{hook}/pause", event_page(pause_webhook));
    r.add("GET", "/gestion/evenements/{id}/webhooks/{hook}/suppression",
          event_page(show_delete_webhook));
    r.add("POST", "/gestion/evenements/{id}/webhooks/{hook}/suppression",
          event_page(delete_webhook));
    r.add("GET", "/gestion/evenements/nouvelle", console_page(organizers, show_new_event));
    r.add("POST", "/gestion/evenements", console_page(organizers, create_event));
    r.add("GET", "/gestion/evenements/{id}", event_page(show_event));
    r.add("POST", "/gestion/evenements/{id}", event_page(update_event));
    r.add("GET", "/gestion/evenements/{id}/publication", event_page(show_publish));
    r.add("POST", "/gestion/evenements/{id}/publication", event_page(publish_event));
    r.add("GET", "/gestion/evenements/{id}/annulation", event_page(show_cancel));
    r.add("POST", "/gestion/evenements/{id}/annulation", event_page(cancel_event));
    r.add("POST", "/gestion/evenements/{id}/organisateurs", event_page(add_organizer));
    r.add("POST", "/gestion/evenements/{id}/organisateurs/{account}/retrait",
          event_page(remove_organizer));
    r.add("POST", "/gestion/evenements/{id}/invitations/{invitation}/renvoi",
          event_page(resend_invitation));
    r.add("POST", "/gestion/evenements/{id}/invitations/{invitation}/retrait",
          event_page(withdraw_invitation));
}

} // namespace rencontres::web
