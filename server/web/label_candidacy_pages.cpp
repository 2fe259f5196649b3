// Candidacies in the console (API.md §13, §9): while an edition takes candidacies, an organizer
// submits one for a territory (picked from the list, or created on the spot with its SIREN
// checked), in a category, with the initiative's title, summary and links and the IntercoTour
// meeting where it was presented; edits or withdraws it until the window closes; and reads its
// candidacies of every edition, with their status.
#include "domain/common/french.hpp"
#include "domain/common/text.hpp"
#include "server/transport/router.hpp"
#include "server/web/console.hpp"

namespace rencontres::web {
namespace {

// Organizers and admins submit candidacies.
std::string candidacy_status_text(candidacy_status s) {
    switch (s) {
    case candidacy_status::submitted:
        return "Déposée";
    case candidacy_status::withdrawn:
        return "Retirée";
    case candidacy_status::shortlisted:
        return "Retenue par le jury";
    case candidacy_status::eliminated:
        return "Écartée";
    case candidacy_status::awarded:
        return "Primée";
    default:
        return "Non primée";
    }
}

using values_t = std::multimap<std::string, std::string>;

std::vector<std::pair<std::string, std::string>> territory_choices(context& ctx) {
    std::vector<std::pair<std::string, std::string>> out{{"", "Choisir un territoire"}};
    for (const auto& t : every_territory(ctx))
        out.emplace_back(id_text(t.id), t.name + " (SIREN " + t.siren + ")");
    return out;
}

std::vector<std::pair<std::string, std::string>> meeting_choices(context& ctx) {
    std::vector<std::pair<std::string, std::string>> out{{"", "Aucune"}};
    event_filter filter;
    filter.status = event_status::published;
    filter.limit = 200;
    if (const auto found = ctx.app.events.list_events(actor::anonymous(), filter))
        for (const auto& e : found->items)
            out.emplace_back(id_text(e.id), e.title + " — " + event_when(e));
    return out;
}

// The candidacy form (new, or `editing`), with the territory to create beside it.
response candidacy_form(const request& req, context& ctx, const campaign& c,
                        std::optional<id_t> editing, const values_t& values,
                        const std::vector<field_error>& errors, const std::string& notice,
                        int status) {
    std::vector<std::pair<std::string, std::string>> categories{{"", "Choisir une catégorie"}};
    for (const auto& cat : c.categories)
        categories.emplace_back(cat.code, cat.name);
    std::vector<form_field> fields{
        {"territory_id", "Territoire", "select", "", "", "", true, territory_choices(ctx)},
        {"category", "Catégorie", "select", "", "", "", true, categories},
        {"initiative_title", "Titre de l'initiative", "text", "", "obligatoire", "", true},
        {"summary", "Résumé", "textarea", "",
         "ce que fait l'initiative, pour qui, avec quels résultats"},
        {"links", "Liens", "textarea", "", "un par ligne, https://…"},
        {"presented_at_event_id", "Présentée lors de la rencontre", "select", "",
         "l'étape de l'IntercoTour où elle a été présentée", "", false, meeting_choices(ctx)},
    };
    for (auto& f : fields) {
        f.value = form_value(values, f.name);
        for (const auto& e : errors)
            if ((e.field == f.name || e.field.rfind(f.name + "[", 0) == 0) && f.error.empty())
                f.error = e.message;
    }
    std::vector<form_field> territory{
        {"name", "Nom du nouveau territoire", "text"},
        {"siren", "Son SIREN", "text", "", "9 chiffres"},
        {"kind",
         "Sa nature",
         "select",
         "",
         "",
         "",
         false,
         {{"commune", "Commune"},
          {"communaute_de_communes", "Communauté de communes"},
          {"communaute_agglomeration", "Communauté d'agglomération"},
          {"communaute_urbaine", "Communauté urbaine"},
          {"metropole", "Métropole"},
          {"departement", "Département"},
          {"region", "Région"},
          {"other", "Autre"}}},
        {"region", "Sa région", "text"},
    };
    for (auto& f : territory) {
        f.value = form_value(values, f.name);
        for (const auto& e : errors)
            if (e.field == f.name && f.error.empty()) f.error = e.message;
    }
    view v;
    v.set("campaign", c.name);
    v.set("csrf", console_token(req, ctx));
    v.set("editing", flag(editing.has_value()));
    v.set("action", editing ? "/label/candidatures/" + id_text(*editing)
                            : "/label/editions/" + id_text(c.id) + "/candidatures");
    if (editing) v.set("withdraw", "/label/candidatures/" + id_text(*editing) + "/retrait");
    v.set("fields", fields_view(fields));
    v.set("territory_fields", fields_view(territory));
    auto all = fields;
    all.insert(all.end(), territory.begin(), territory.end());
    set_error_summary(v, all);
    if (!notice.empty()) v.set("notice", notice);
    return page("label_candidacy",
                (errors.empty() ? "" : "Erreur : ") +
                    std::string(editing ? "Modifier la candidature" : "Déposer une candidature"),
                v, private_page(status));
}

candidacy_fields fields_of(const values_t& form) {
    candidacy_fields f;
    f.territory_id = form_value(form, "territory_id");
    f.category = form_value(form, "category");
    f.initiative_title = form_value(form, "initiative_title");
    f.summary = form_value(form, "summary");
    f.links = nonblank_lines(form_value(form, "links"));
    const auto meeting = form_value(form, "presented_at_event_id");
    f.presented_at_event_id =
        meeting.empty() ? std::optional<std::string>() : std::optional<std::string>(meeting);
    return f;
}

values_t values_of(const candidacy& c) {
    std::string links;
    for (const auto& l : c.links)
        links += (links.empty() ? "" : "\n") + l;
    return {{"territory_id", id_text(c.territory_id)},
            {"category", c.category},
            {"initiative_title", c.initiative_title},
            {"summary", c.summary},
            {"links", links},
            {"presented_at_event_id",
             c.presented_at_event_id ? id_text(*c.presented_at_event_id) : ""}};
}

// "creer_territoire": makes the territory and shows the form again with it chosen.
std::optional<response> create_territory_on_the_spot(const request& req, context& ctx,
                                                     const account& me, const campaign& c,
                                                     std::optional<id_t> editing, values_t form) {
    if (form_value(form, "action") != "creer_territoire") return std::nullopt;
    territory_fields t;
    t.name = form_value(form, "name");
    t.siren = form_value(form, "siren");
    t.kind = form_value(form, "kind");
    t.region = form_value(form, "region");
    const auto created = ctx.app.territories.create_territory(actor{me.id, me.role}, t, ctx.now);
    if (!created) {
        std::vector<field_error> errors;
        if (created.error().code == errc::conflict)
            errors.push_back(shown("candidacy", "siren", field_rule::format));
        else if (created.error().code != errc::invalid)
            return error_page_for(created.error());
        for (const auto& e : created.error().fields)
            errors.push_back(shown("candidacy", e));
        return candidacy_form(req, ctx, c, editing, form, errors, "", 422);
    }
    for (const char* name : {"territory_id", "name", "siren", "kind", "region"})
        form.erase(name);
    form.emplace("territory_id", id_text(created->id));
    return candidacy_form(req, ctx, c, editing, form, {},
                          created->name + " est créé et choisi comme territoire.", 200);
}

response show_new_candidacy(const request& req, const route_params& params, context& ctx,
                            const account& me) {
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto c = ctx.app.labels.get_campaign(actor{me.id, me.role}, *id);
    if (!c) return error_page_for(c.error());
    if (!c->window_open(ctx.now))
        return error_page(409, "Cette édition ne reçoit pas de candidatures en ce moment.");
    return candidacy_form(req, ctx, *c, std::nullopt, {}, {}, "", 200);
}

response submit(const request& req, const route_params& params, context& ctx, const account& me) {
    const actor as{me.id, me.role};
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto c = ctx.app.labels.get_campaign(as, *id);
    if (!c) return error_page_for(c.error());
    const auto form = read_form(req);
    if (auto shown = create_territory_on_the_spot(req, ctx, me, *c, std::nullopt, form))
        return *shown;
    const auto made = ctx.app.labels.submit_candidacy(as, *id, fields_of(form), ctx.now);
    if (made) return see_other("/label?fait=deposee");
    std::vector<field_error> errors;
    if (made.error().broken == rule::candidacy_window_closed)
        return error_page(409, std::string(render::french(made.error().broken)));
    if (made.error().broken == rule::candidacy_exists) {
        errors.emplace_back("category", field_rule::refused,
                            std::string(render::french(made.error().broken)));
    } else if (made.error().code != errc::invalid) {
        return error_page_for(made.error());
    }
    for (const auto& e : made.error().fields)
        errors.push_back(shown("candidacy", e));
    return candidacy_form(req, ctx, *c, std::nullopt, form, errors, "", 422);
}

// The submitter's own candidacy: a form while the window is open, its status always.
response show_candidacy(const request& req, const route_params& params, context& ctx,
                        const account& me) {
    const actor as{me.id, me.role};
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto found = ctx.app.labels.get_candidacy(as, *id);
    if (!found || found->submitted_by != me.id) return error_page(404);
    const auto c = ctx.app.labels.get_campaign(as, found->campaign_id);
    if (!c) return error_page_for(c.error());
    if (c->window_open(ctx.now) && found->status == candidacy_status::submitted)
        return candidacy_form(req, ctx, *c, id, values_of(*found), {},
                              req.query_value("fait") == "1" ? "La candidature est modifiée." : "",
                              200);
    view v;
    v.set("title", found->initiative_title);
    v.set("campaign", c->name);
    v.set("status", candidacy_status_text(found->status));
    if (const auto* cat = c->find_category(found->category)) v.set("category", cat->name);
    v.set("summary", found->summary);
    v.set("closed_text", std::string(found->status == candidacy_status::withdrawn
                                         ? "Cette candidature est retirée."
                                         : "Les candidatures de cette édition ne se modifient "
                                           "plus."));
    return page("label_candidacy_read", found->initiative_title, v, private_page());
}

response update(const request& req, const route_params& params, context& ctx, const account& me) {
    const actor as{me.id, me.role};
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto found = ctx.app.labels.get_candidacy(as, *id);
    if (!found || found->submitted_by != me.id) return error_page(404);
    const auto c = ctx.app.labels.get_campaign(as, found->campaign_id);
    if (!c) return error_page_for(c.error());
    const auto form = read_form(req);
    if (auto shown = create_territory_on_the_spot(req, ctx, me, *c, id, form)) return *shown;
    const auto saved = ctx.app.labels.update_candidacy(as, *id, fields_of(form), ctx.now);
    if (saved) return see_other("/label/candidatures/" + id_text(*id) + "?fait=1");
    if (saved.error().code != errc::invalid) return error_page_for(saved.error());
    std::vector<field_error> errors;
    for (const auto& e : saved.error().fields)
        errors.push_back(shown("candidacy", e));
    return candidacy_form(req, ctx, *c, id, form, errors, "", 422);
}

response show_withdraw(const request& req, const route_params& params, context& ctx,
                       const account& me) {
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto found = ctx.app.labels.get_candidacy(actor{me.id, me.role}, *id);
    if (!found || found->submitted_by != me.id) return error_page(404);
    const auto page_of = "/label/candidatures/" + id_text(*id);
    return confirmation_page(
        req, ctx,
        {"Retirer la candidature « " + found->initiative_title + " » ?",
         "Le jury ne l'évaluera pas et elle ne pourra pas recevoir de prix. Le retrait est "
         "définitif : pendant la période des candidatures, une nouvelle candidature peut être "
         "déposée à sa place.",
         page_of + "/retrait", "Retirer définitivement la candidature", page_of,
         "Ne rien changer, revenir à la candidature", true, std::nullopt});
}

response withdraw(const request&, const route_params& params, context& ctx, const account& me) {
    const actor as{me.id, me.role};
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto found = ctx.app.labels.get_candidacy(as, *id);
    if (!found || found->submitted_by != me.id) return error_page(404);
    candidacy_fields f;
    f.status = "withdrawn";
    const auto done = ctx.app.labels.update_candidacy(as, *id, f, ctx.now);
    if (!done) return error_page_for(done.error());
    return see_other("/label?fait=retiree");
}

} // namespace

// The candidacies an account submitted, in every edition, for the label's home page.
view_list my_candidacies(context& ctx, const account& me) {
    auto out = list_view();
    const actor as{me.id, me.role};
    const auto campaigns = ctx.app.labels.list_campaigns(as);
    if (!campaigns) return out;
    for (const auto& c : *campaigns) {
        const auto mine = ctx.app.labels.list_candidacies(as, c.id, std::nullopt, std::nullopt);
        if (!mine) continue;
        for (const auto& cand : *mine) {
            if (cand.submitted_by != me.id) continue;
            view item;
            item.set("title", cand.initiative_title);
            item.set("campaign", c.name);
            item.set("status", candidacy_status_text(cand.status));
            item.set("href", "/label/candidatures/" + id_text(cand.id));
            out.push_back(item);
        }
    }
    return out;
}

void register_label_candidacy_pages(http::router& r) {
    r.add("GET", "/label/editions/{id}/candidature", console_page(candidates, show_new_candidacy));
    r.add("POST", "/label/editions/{id}/candidatures", console_page(candidates, submit));
    r.add("GET", "/label/candidatures/{id}", console_page(candidates, show_candidacy));
    r.add("POST", "/label/candidatures/{id}", console_page(candidates, update));
    r.add("GET", "/label/candidatures/{id}/retrait", console_page(candidates, show_withdraw));
    r.add("POST", "/label/candidatures/{id}/retrait", console_page(candidates, withdraw));
}

} // namespace rencontres::web
