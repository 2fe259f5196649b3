// The label in the console for its admins (API.md §13, §9): a new edition, its steps, the
// ranking per category (exactly the API's), awards with a preview of the palmarès, and their
// revocation.
#include "domain/common/french.hpp"
#include "domain/common/text.hpp"
#include "domain/common/zone.hpp"
#include "server/transport/router.hpp"
#include "server/web/console.hpp"
#include "server/web/label.hpp"

#include <array>
#include <cstdio>
#include <set>

namespace rencontres::web {
namespace {

// -- the admins' editions ---------------------------------------------------------------------

constexpr int category_rows = 6;
constexpr int criterion_rows = 8;

// The signed-in admin, or the response for anyone else.
// The number typed in a form ("1,5" or "1.5"), or none.
std::optional<double> form_number(std::string text) {
    for (auto& c : text)
        if (c == ',') c = '.';
    if (text.empty()) return std::nullopt;
    try {
        std::size_t used = 0;
        const double n = std::stod(text, &used);
        if (used != text.size()) return std::nullopt;
        return n;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// An error of one line of the edition form: its field, and the sentence of the French table for
// that kind of field, said of the line ("Critère 2 : indiquez un poids…").
field_error line_error(const std::string& id, std::string kind, int line) {
    const bool category_line = kind.rfind("category.", 0) == 0;
    auto e = shown("campaign", std::move(kind), field_rule::format);
    e.message =
        (category_line ? "Catégorie " : "Critère ") + std::to_string(line + 1) + " : " + e.message;
    e.field = id;
    return e;
}

// A domain error as the form shows it: "criteria[1].weight" on the line the criterion came from.
field_error form_line_error(const field_error& e, const std::vector<int>& category_lines,
                            const std::vector<int>& criterion_lines) {
    struct list_of_lines {
        std::string_view list, kind, id;
        const std::vector<int>& lines;
    };
    for (const list_of_lines& l :
         {list_of_lines{"categories[", "category.", "categorie-", category_lines},
          list_of_lines{"criteria[", "criterion.", "critere-", criterion_lines}}) {
        if (e.field.rfind(l.list, 0) != 0) continue;
        const auto close = e.field.find("].", l.list.size());
        if (close == std::string::npos) break;
        std::size_t index = 0;
        try {
            index = std::stoul(e.field.substr(l.list.size(), close - l.list.size()));
        } catch (const std::exception&) {
            break;
        }
        if (index >= l.lines.size()) break;
        const auto attribute = e.field.substr(close + 2);
        // A code is made from the name: a code taken twice is two lines of the same name.
        const std::string input = attribute == "weight"      ? "poids"
                                  : attribute == "threshold" ? "seuil"
                                                             : "nom";
        const auto line = l.lines[index];
        auto shown_error = line_error(std::string(l.id) + input + "-" + std::to_string(line),
                                      std::string(l.kind) + attribute, line);
        shown_error.broken = e.broken;
        return shown_error;
    }
    const auto field = e.field.rfind("categories", 0) == 0 ? std::string("categories")
                       : e.field.rfind("criteria", 0) == 0 ? std::string("criteria")
                                                           : e.field;
    return shown("campaign", field, e);
}

response new_edition_form(const request& req, context& ctx,
                          const std::multimap<std::string, std::string>& values,
                          const std::vector<field_error>& errors, int status) {
    view v;
    v.set("csrf", console_token(req, ctx));
    std::vector<form_field> fields{
        {"year", "Année", "number", "", "obligatoire", "", true},
        {"name", "Nom de l'édition", "text", "", "par exemple : Territoires innovants 2031", "",
         true},
        {"candidacy_opens_at", "Ouverture des candidatures", "datetime-local", "", "heure de Paris",
         "", true},
        {"candidacy_closes_at", "Clôture des candidatures", "datetime-local", "", "heure de Paris",
         "", true},
    };
    // A field's first error, beside it and in the summary.
    const auto error_of = [&](const std::string& id) { return error_for(errors, id); };
    for (auto& f : fields) {
        f.value = form_value(values, f.name);
        f.error = error_of(f.name);
    }
    v.set("fields", fields_view(fields));
    auto all = fields;
    const auto line_field = [&](view& row, const std::string& id, const char* key) {
        if (const auto message = error_of(id); !message.empty()) {
            row.set(key, message);
            all.push_back({id, "", "text", "", "", message});
        }
    };
    auto categories = list_view();
    for (int i = 0; i < category_rows; ++i) {
        view row;
        const auto n = std::to_string(i);
        row.set("n", std::to_string(i + 1));
        row.set("name_name", "categorie-nom-" + n);
        row.set("code_name", "categorie-code-" + n);
        row.set("code", form_value(values, "categorie-code-" + n));
        row.set("label", form_value(values, "categorie-nom-" + n));
        line_field(row, "categorie-nom-" + n, "name_error");
        categories.push_back(row);
    }
    v.set("categories", categories);
    auto criteria = list_view();
    for (int i = 0; i < criterion_rows; ++i) {
        view row;
        const auto n = std::to_string(i);
        row.set("n", std::to_string(i + 1));
        row.set("suffix", n);
        row.set("code", form_value(values, "critere-code-" + n));
        row.set("label", form_value(values, "critere-nom-" + n));
        row.set("weight", form_value(values, "critere-poids-" + n));
        row.set("eliminatory", flag(form_value(values, "critere-eliminatoire-" + n) == "oui"));
        row.set("threshold", form_value(values, "critere-seuil-" + n));
        line_field(row, "critere-nom-" + n, "name_error");
        line_field(row, "critere-poids-" + n, "weight_error");
        line_field(row, "critere-seuil-" + n, "threshold_error");
        criteria.push_back(row);
    }
    v.set("criteria", criteria);
    for (const auto& e : errors)
        if (e.field == "categories" || e.field == "criteria")
            all.push_back({e.field == "categories" ? "categorie-nom-0" : "critere-nom-0", "",
                           "text", "", "", e.message});
    set_error_summary(v, all);
    return page("label_edition_new",
                (errors.empty() ? "" : "Erreur : ") + std::string("Nouvelle édition du label"), v,
                private_page(status));
}

response show_new_edition(const request& req, const route_params&, context& ctx, const account&) {
    return new_edition_form(req, ctx, {}, {}, 200);
}

response create_edition(const request& req, const route_params&, context& ctx, const account& me) {
    const auto form = read_form(req);
    std::vector<field_error> errors;
    campaign_fields f;
    const auto year = form_number(form_value(form, "year"));
    if (year)
        f.year = static_cast<long long>(*year);
    else
        errors.push_back(shown("campaign", "year", field_rule::format));
    f.name = form_value(form, "name");
    for (const char* name : {"candidacy_opens_at", "candidacy_closes_at"}) {
        const auto zoned = zoned_from_local(form_value(form, name), default_zone);
        if (!zoned)
            errors.push_back(shown("campaign", name, field_rule::format));
        else
            (std::string_view(name) == "candidacy_opens_at" ? f.candidacy_opens_at
                                                            : f.candidacy_closes_at) = *zoned;
    }
    // Codes from the names (a code sent with a line, as earlier versions of the form did, is
    // kept); `lines` remembers which line of the form each category or criterion came from.
    std::set<std::string> taken;
    std::vector<int> category_lines, criterion_lines;
    for (int i = 0; i < category_rows; ++i)
        if (const auto code = form_value(form, "categorie-code-" + std::to_string(i));
            !code.empty())
            taken.insert(code);
    std::vector<category> categories;
    for (int i = 0; i < category_rows; ++i) {
        const auto n = std::to_string(i);
        auto code = form_value(form, "categorie-code-" + n);
        const auto name = form_value(form, "categorie-nom-" + n);
        if (code.empty() && trim(name).empty()) continue;
        if (code.empty()) {
            // Two lines of the same name (accents and case aside) would be one category.
            code = code_of(name);
            if (!taken.insert(code).second)
                errors.push_back(line_error("categorie-nom-" + n, "category.code", i));
        }
        categories.push_back({code, name});
        category_lines.push_back(i);
    }
    f.categories = categories;
    taken.clear();
    for (int i = 0; i < criterion_rows; ++i)
        if (const auto code = form_value(form, "critere-code-" + std::to_string(i)); !code.empty())
            taken.insert(code);
    std::vector<criterion> criteria;
    for (int i = 0; i < criterion_rows; ++i) {
        const auto n = std::to_string(i);
        criterion c;
        c.code = form_value(form, "critere-code-" + n);
        c.name = form_value(form, "critere-nom-" + n);
        if (c.code.empty() && trim(c.name).empty()) continue;
        if (c.code.empty()) {
            c.code = code_of(c.name);
            if (!taken.insert(c.code).second)
                errors.push_back(line_error("critere-nom-" + n, "criterion.code", i));
        }
        const auto weight = form_number(form_value(form, "critere-poids-" + n));
        c.weight = weight.value_or(1);
        c.eliminatory = form_value(form, "critere-eliminatoire-" + n) == "oui";
        const auto threshold = form_number(form_value(form, "critere-seuil-" + n));
        c.threshold = threshold.value_or(1);
        if (!weight) errors.push_back(line_error("critere-poids-" + n, "criterion.weight", i));
        if (!form_value(form, "critere-seuil-" + n).empty() && !threshold)
            errors.push_back(line_error("critere-seuil-" + n, "criterion.threshold", i));
        criteria.push_back(c);
        criterion_lines.push_back(i);
    }
    f.criteria = criteria;
    if (!errors.empty()) return new_edition_form(req, ctx, form, errors, 422);
    const auto created = ctx.app.labels.create_campaign(actor{me.id, me.role}, f, ctx.now);
    if (!created) {
        if (created.error().code != errc::invalid && created.error().code != errc::conflict)
            return error_page_for(created.error());
        if (created.error().code == errc::conflict)
            errors.push_back(shown("campaign", "year", field_rule::format));
        for (const auto& e : created.error().fields) {
            auto shown_error = form_line_error(e, category_lines, criterion_lines);
            if (std::none_of(errors.begin(), errors.end(),
                             [&](const field_error& x) { return x.field == shown_error.field; }))
                errors.push_back(std::move(shown_error));
        }
        return new_edition_form(req, ctx, form, errors, 422);
    }
    return see_other("/label/editions/" + id_text(created->id) + "/classement?fait=creee");
}

// Opens or closes an edition: the step its page offers.
// The steps of an edition's workflow, one way: what each is called and what it does.
struct edition_step {
    campaign_status from;
    const char* to;
    const char* label;
    const char* consequence;
};
constexpr std::array<edition_step, 3> edition_steps{{
    {campaign_status::draft, "open", "Ouvrir les candidatures",
     "Les équipes d'organisation pourront déposer leurs candidatures pendant la période de "
     "l'édition. "
     "L'édition ne reviendra pas à l'état de brouillon."},
    {campaign_status::open, "closed", "Clore l'édition",
     "Plus aucune candidature ne pourra être déposée ni modifiée ; le jury garde ses "
     "évaluations et les prix pourront être décernés. L'édition ne pourra pas être rouverte."},
    {campaign_status::closed, "awarded", "Arrêter le palmarès",
     "Le palmarès devient définitif : plus aucun prix ne pourra être décerné pour cette "
     "édition. Cette étape ne peut pas être annulée."},
}};

const edition_step* next_step(campaign_status from) {
    for (const auto& step : edition_steps)
        if (step.from == from) return &step;
    return nullptr;
}

// The confirmation page of the edition's next step; any other step asked for is sent back to
// the ranking, which shows where the edition stands.
response confirm_move(const request& req, const route_params& params, context& ctx,
                      const account& me) {
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto c = ctx.app.labels.get_campaign(actor{me.id, me.role}, *id);
    if (!c) return error_page_for(c.error());
    const auto ranking = "/label/editions/" + id_text(*id) + "/classement";
    const auto* step = next_step(c->status);
    if (!step || req.query_value("vers").value_or("") != step->to) return see_other(ranking);
    view v;
    v.set("name", c->name);
    v.set("label", std::string(step->label));
    v.set("consequence", std::string(step->consequence));
    v.set("to", std::string(step->to));
    v.set("action", "/label/editions/" + id_text(*id) + "/etat");
    v.set("back", ranking);
    v.set("csrf", console_token(req, ctx));
    return page("label_move", std::string(step->label) + " — " + c->name, v, private_page());
}

response move_edition(const request& req, const route_params& params, context& ctx,
                      const account& me) {
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    campaign_fields f;
    f.status = form_value(read_form(req), "etat");
    const auto moved = ctx.app.labels.update_campaign(actor{me.id, me.role}, *id, f, ctx.now);
    if (!moved) return error_page_for(moved.error());
    return see_other("/label/editions/" + id_text(*id) + "/classement?fait=" + *f.status);
}

// -- awards -----------------------------------------------------------------------------------

// The page for an award the domain refuses: no level, a withdrawn or eliminated candidacy, or
// one that already holds an award.
response award_refused(const domain_error& e) {
    if (e.code == errc::invalid || e.code == errc::conflict)
        return error_page(e.code == errc::invalid ? 422 : 409,
                          "Ce prix ne peut pas être décerné : choisissez un niveau (or, argent, "
                          "bronze) pour une candidature ni retirée, ni écartée, ni déjà primée.");
    return error_page_for(e);
}

// What the ranking's award form and the preview's button send.
struct award_form {
    std::string candidacy;
    std::string level;
    std::string citation; // empty: none
    std::optional<std::string> given_citation() const {
        return citation.empty() ? std::nullopt : std::optional<std::string>(citation);
    }
};

award_form read_award_form(const request& req) {
    const auto form = read_form(req);
    return {form_value(form, "candidature"), form_value(form, "niveau"),
            form_value(form, "citation")};
}

// The public palmarès as it will read with the award the admin chose, before anything is
// written: the award is given from this page's button only.
response preview_award(const request& req, const route_params& params, context& ctx,
                       const account& me) {
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto asked = read_award_form(req);
    const auto preview = ctx.app.labels.preview_award(actor{me.id, me.role}, *id, asked.candidacy,
                                                      asked.level, asked.given_citation(), ctx.now);
    if (!preview) return award_refused(preview.error());
    view v;
    v.set("name", preview->campaign.name);
    v.set("year", std::to_string(preview->campaign.year));
    v.set("back", "/label/editions/" + id_text(*id) + "/classement");
    v.set("award_action", "/label/editions/" + id_text(*id) + "/prix");
    v.set("csrf", console_token(req, ctx));
    v.set("pending_candidacy", asked.candidacy);
    v.set("pending_level", asked.level);
    v.set("pending_citation", asked.citation);
    for (const auto& group : preview->categories)
        for (const auto& line : group.awards)
            if (line.award.id == 0) v.set("pending_title", line.candidacy.initiative_title);
    set_palmares(v, *preview);
    return page("label_award_preview",
                "Aperçu du palmarès " + std::to_string(preview->campaign.year), v, private_page());
}

response give_award(const request& req, const route_params& params, context& ctx,
                    const account& me) {
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto asked = read_award_form(req);
    const auto given = ctx.app.labels.award_label(actor{me.id, me.role}, *id, asked.candidacy,
                                                  asked.level, asked.given_citation(), ctx.now);
    if (!given) return award_refused(given.error());
    return see_other("/label/editions/" + id_text(*id) + "/classement?fait=prix");
}

// (for a label admin: its callers are the admin's pages)
response show_revoke(const request& req, const route_params& params, context& ctx,
                     const std::string& error, int status) {
    const auto id = parse_id(params.get("id"));
    const auto campaign_id = parse_id(params.get("campaign"));
    if (!id || !campaign_id) return error_page(404);
    view v;
    v.set("csrf", console_token(req, ctx));
    v.set("action",
          "/label/editions/" + id_text(*campaign_id) + "/prix/" + id_text(*id) + "/retrait");
    v.set("back", "/label/editions/" + id_text(*campaign_id) + "/classement");
    std::vector<form_field> fields{{"reason", "Motif du retrait", "textarea", "",
                                    "il est conservé dans le journal", error, true}};
    v.set("fields", fields_view(fields));
    set_error_summary(v, fields);
    return page("label_revoke", (error.empty() ? "" : "Erreur : ") + std::string("Retirer un prix"),
                v, private_page(status));
}

response show_revoke_page(const request& req, const route_params& params, context& ctx,
                          const account&) {
    return show_revoke(req, params, ctx, "", 200);
}

response revoke(const request& req, const route_params& params, context& ctx, const account& me) {
    const auto id = parse_id(params.get("id"));
    const auto campaign_id = parse_id(params.get("campaign"));
    if (!id || !campaign_id) return error_page(404);
    const auto reason = form_value(read_form(req), "reason");
    const auto done = ctx.app.labels.revoke_award(actor{me.id, me.role}, *id, reason, ctx.now);
    if (!done) {
        if (done.error().code == errc::invalid)
            return show_revoke(req, params, ctx,
                               "Indiquez le motif du retrait (500 caractères au plus).", 422);
        return error_page_for(done.error());
    }
    return see_other("/label/editions/" + id_text(*campaign_id) + "/classement?fait=retrait");
}

// -- the ranking ------------------------------------------------------------------------------

response show_ranking(const request& req, const route_params& params, context& ctx,
                      const account& me) {
    const actor as{me.id, me.role};
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto c = ctx.app.labels.get_campaign(as, *id);
    if (!c) return error_page_for(c.error());
    view v;
    v.set("name", c->name);
    v.set("status", campaign_status_text(c->status));
    auto criteria = list_view();
    for (const auto& cr : c->criteria) {
        view item;
        item.set("name", cr.name);
        item.set("weight", decimal(cr.weight));
        item.set("eliminatory", flag(cr.eliminatory));
        criteria.push_back(item);
    }
    v.set("criteria", criteria);
    auto categories = list_view();
    for (const auto& cat : c->categories) {
        const auto ranked = ctx.app.labels.ranking(as, *id, cat.code);
        if (!ranked) return error_page_for(ranked.error());
        auto kept = list_view();
        auto eliminated = list_view();
        int position = 0;
        for (const auto& entry : *ranked) {
            view row;
            row.set("title", entry.candidacy.initiative_title);
            row.set("territory", territory_name(ctx, entry.candidacy.territory_id));
            row.set("total", decimal(entry.weighted_total));
            row.set("reviews", std::to_string(entry.review_count));
            auto means = list_view();
            for (const auto& cr : c->criteria) {
                view m;
                const auto it = entry.criteria_means.find(cr.code);
                m.set("mean",
                      it == entry.criteria_means.end() ? std::string("—") : decimal(it->second));
                means.push_back(m);
            }
            row.set("means", means);
            if (entry.eliminated) {
                std::string by;
                for (const auto& cr : c->criteria)
                    if (entry.eliminated_by && cr.code == *entry.eliminated_by) by = cr.name;
                row.set("eliminated_by", by);
                eliminated.push_back(row);
            } else {
                row.set("rank", std::to_string(++position));
                row.set("candidacy_id", id_text(entry.candidacy.id));
                kept.push_back(row);
            }
        }
        view category;
        category.set("name", cat.name);
        category.set("code", cat.code);
        category.set("kept", kept);
        category.set("eliminated", eliminated);
        category.set("has_kept", flag(position > 0));
        category.set("has_eliminated", flag(ranked->size() > static_cast<std::size_t>(position)));
        categories.push_back(category);
    }
    v.set("categories", categories);
    v.set("csrf", console_token(req, ctx));
    v.set("award_action", "/label/editions/" + id_text(*id) + "/prix/apercu");
    // The next step of the edition's workflow: a link to its confirmation page (none can be
    // undone), so that a second click never takes the step after.
    if (const auto* step = next_step(c->status)) {
        v.set("next_label", std::string(step->label));
        v.set("next_url", "/label/editions/" + id_text(*id) + "/etat?vers=" + step->to);
    }
    v.set("can_award",
          flag(c->status != campaign_status::draft && c->status != campaign_status::awarded));
    // The awards given, with the way to revoke each.
    auto awards = list_view();
    if (const auto p = ctx.app.labels.get_palmares(c->year))
        for (const auto& group : p->categories)
            for (const auto& line : group.awards) {
                view a;
                a.set("level", line.award.level == award_level::or_      ? std::string("Or")
                               : line.award.level == award_level::argent ? std::string("Argent")
                                                                         : std::string("Bronze"));
                a.set("title", line.candidacy.initiative_title);
                a.set("territory", line.territory.name);
                a.set("category", group.category.name);
                a.set("revoke", "/label/editions/" + id_text(*id) + "/prix/" +
                                    id_text(line.award.id) + "/retrait");
                awards.push_back(a);
            }
    v.set("awards", awards);
    v.set("year", std::to_string(c->year));
    const auto done = req.query_value("fait").value_or("");
    if (done == "creee") v.set("notice", std::string("L'édition est créée, en préparation."));
    if (done == "open") v.set("notice", std::string("Les candidatures sont ouvertes."));
    if (done == "closed") v.set("notice", std::string("L'édition est close."));
    if (done == "awarded") v.set("notice", std::string("Le palmarès est arrêté."));
    if (done == "prix")
        v.set("notice", std::string("Le prix est décerné ; il figure au palmarès."));
    if (done == "retrait") v.set("notice", std::string("Le prix est retiré du palmarès."));
    return page("label_ranking", "Classement — " + c->name, v, private_page());
}

} // namespace

void register_label_admin_pages(http::router& r) {
    r.add("GET", "/label/editions/{id}/classement", console_page(label_admins, show_ranking));
    r.add("GET", "/label/editions/nouvelle", console_page(label_admins, show_new_edition));
    r.add("POST", "/label/editions", console_page(label_admins, create_edition));
    r.add("GET", "/label/editions/{id}/etat", console_page(label_admins, confirm_move));
    r.add("POST", "/label/editions/{id}/etat", console_page(label_admins, move_edition));
    r.add("POST", "/label/editions/{id}/prix/apercu", console_page(label_admins, preview_award));
    r.add("POST", "/label/editions/{id}/prix", console_page(label_admins, give_award));
    r.add("GET", "/label/editions/{campaign}/prix/{id}/retrait",
          console_page(label_admins, show_revoke_page));
    r.add("POST", "/label/editions/{campaign}/prix/{id}/retrait",
          console_page(label_admins, revoke));
}

} // namespace rencontres::web
