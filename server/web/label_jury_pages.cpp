// The label in the console for its jury (API.md §13, §9): the editions; for jurors, the
// candidacies of an edition by category with their progress, and a scoring page per candidacy
// (a 0–5 choice per criterion, with its weight and whether it eliminates, and a comment; saving
// replaces the juror's earlier review). Jurors see their own reviews only: the ranking, which
// aggregates everyone's scores, is the admins' page (label_admin_pages.cpp).
#include "domain/common/french.hpp"
#include "domain/common/zone.hpp"
#include "server/transport/router.hpp"
#include "server/web/console.hpp"
#include "server/web/label.hpp"

#include <array>
#include <cstdio>

namespace rencontres::web {

std::string campaign_status_text(campaign_status s) {
    switch (s) {
    case campaign_status::draft:
        return "En préparation";
    case campaign_status::open:
        return "Ouverte";
    case campaign_status::closed:
        return "Close";
    default:
        return "Palmarès décerné";
    }
}

// "1,5" (French decimal comma, two decimals at most, trailing zeros dropped).
std::string decimal(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    std::string text = buffer;
    while (!text.empty() && text.back() == '0')
        text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
    for (auto& c : text)
        if (c == '.') c = ',';
    return text;
}

std::string territory_name(context& ctx, id_t id) {
    const auto t = ctx.app.territories.get_territory(id);
    return t ? t->name : "Territoire " + id_text(id);
}

namespace {

bool reviewer(const account& me) {
    return me.role == role::jury || me.role == role::admin;
}

// -- the editions -----------------------------------------------------------------------------

response show_editions(const request& req, const route_params&, context& ctx, const account& me) {
    const actor as{me.id, me.role};
    const auto campaigns = ctx.app.labels.list_campaigns(as);
    if (!campaigns) return error_page_for(campaigns.error());
    view v;
    auto items = list_view();
    for (const auto& c : *campaigns) {
        view item;
        item.set("name", c.name);
        item.set("year", std::to_string(c.year));
        item.set("status", campaign_status_text(c.status));
        if (reviewer(me) && c.status != campaign_status::draft)
            item.set("evaluate", "/label/editions/" + id_text(c.id) + "/evaluation");
        if (me.role == role::admin)
            item.set("ranking", "/label/editions/" + id_text(c.id) + "/classement");
        if ((me.role == role::organizer || me.role == role::admin) && c.window_open(ctx.now))
            item.set("apply", "/label/editions/" + id_text(c.id) + "/candidature");
        items.push_back(item);
    }
    v.set("campaigns", items);
    v.set("has_campaigns", flag(!campaigns->empty()));
    v.set("admin", flag(me.role == role::admin));
    if (me.role == role::organizer || me.role == role::admin) {
        auto mine = my_candidacies(ctx, me);
        v.set("has_mine", flag(!mine.is_empty_list()));
        v.set("mine", mine);
    }
    const auto done = req.query_value("fait").value_or("");
    if (done == "deposee") v.set("notice", std::string("La candidature est déposée."));
    if (done == "retiree") v.set("notice", std::string("La candidature est retirée."));
    return page("label_editions", "Label « Territoires innovants »", v, private_page());
}

// -- a juror's candidacies --------------------------------------------------------------------

response show_evaluation(const request&, const route_params& params, context& ctx,
                         const account& me) {
    const actor as{me.id, me.role};
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto c = ctx.app.labels.get_campaign(as, *id);
    if (!c) return error_page_for(c.error());
    const auto candidacies = ctx.app.labels.list_candidacies(as, *id, std::nullopt, std::nullopt);
    if (!candidacies) return error_page_for(candidacies.error());
    view v;
    v.set("name", c->name);
    v.set("status", campaign_status_text(c->status));
    int total = 0, scored = 0;
    auto categories = list_view();
    for (const auto& cat : c->categories) {
        auto rows = list_view();
        int in_category = 0;
        for (const auto& cand : *candidacies) {
            if (cand.category != cat.code || cand.status == candidacy_status::withdrawn) continue;
            const auto mine = ctx.app.labels.candidacy_reviews(as, cand.id);
            const bool done =
                mine && std::any_of(mine->reviews.begin(), mine->reviews.end(),
                                    [&](const review& r) { return r.reviewer_id == me.id; });
            view row;
            row.set("title", cand.initiative_title);
            row.set("territory", territory_name(ctx, cand.territory_id));
            row.set("href", "/label/candidatures/" + id_text(cand.id) + "/evaluation");
            row.set("done", flag(done));
            row.set("own", flag(cand.submitted_by == me.id));
            rows.push_back(row);
            ++in_category;
            ++total;
            scored += done;
        }
        if (in_category == 0) continue;
        view category;
        category.set("name", cat.name);
        category.set("rows", rows);
        categories.push_back(category);
    }
    v.set("categories", categories);
    v.set("has_candidacies", flag(total > 0));
    v.set("progress", std::to_string(scored) + " sur " + std::to_string(total) +
                          (total > 1 ? " candidatures évaluées" : " candidature évaluée"));
    return page("label_evaluation", "Évaluation — " + c->name, v, private_page());
}

// -- the scoring page -------------------------------------------------------------------------

struct scoring_state {
    std::map<std::string, std::string> chosen; // criterion -> "0".."5"
    std::string comment;
    std::vector<std::string> missing; // criteria without a score
    std::string refusal;              // a conflict, said on the page
    std::string notice;
    int status = 200;
};

response scoring_page(const request& req, context& ctx, const account& me, id_t candidacy_id,
                      const scoring_state& state) {
    const actor as{me.id, me.role};
    const auto summary = ctx.app.labels.candidacy_reviews(as, candidacy_id);
    if (!summary) return error_page_for(summary.error());
    const auto& cand = summary->scores.candidacy;
    const auto c = ctx.app.labels.get_campaign(as, cand.campaign_id);
    if (!c) return error_page_for(c.error());
    // The juror's saved review fills the form unless the form comes back as typed.
    auto chosen = state.chosen;
    auto comment = state.comment;
    if (state.status == 200)
        for (const auto& r : summary->reviews)
            if (r.reviewer_id == me.id) {
                for (const auto& s : r.scores)
                    chosen[s.criterion] = std::to_string(s.value);
                comment = r.comment.value_or("");
                break;
            }
    view v;
    v.set("title", cand.initiative_title);
    v.set("territory", territory_name(ctx, cand.territory_id));
    if (const auto* cat = c->find_category(cand.category)) v.set("category", cat->name);
    v.set("summary", cand.summary);
    auto links = list_view();
    for (const auto& l : cand.links) {
        view link;
        link.set("href", l);
        links.push_back(link);
    }
    v.set("links", links);
    v.set("campaign", c->name);
    v.set("back", "/label/editions/" + id_text(c->id) + "/evaluation");
    v.set("action", "/label/candidatures/" + id_text(candidacy_id) + "/evaluation");
    v.set("csrf", console_token(req, ctx));
    auto criteria = list_view();
    std::vector<form_field> errors; // the summary's entries, one per criterion left out
    for (const auto& cr : c->criteria) {
        view item;
        item.set("code", cr.code);
        item.set("name", cr.name);
        item.set("weight", decimal(cr.weight));
        item.set("eliminatory", flag(cr.eliminatory));
        item.set("threshold", decimal(cr.threshold));
        const bool missing =
            std::find(state.missing.begin(), state.missing.end(), cr.code) != state.missing.end();
        item.set("missing", flag(missing));
        if (missing)
            errors.push_back({"critere-" + cr.code + "-0", "", "radio", "", "",
                              "Choisissez une note pour « " + cr.name + " »."});
        auto choices = list_view();
        for (int n = 0; n <= 5; ++n) {
            view choice;
            choice.set("value", std::to_string(n));
            choice.set("id", "critere-" + cr.code + "-" + std::to_string(n));
            choice.set("checked",
                       flag(chosen.count(cr.code) && chosen[cr.code] == std::to_string(n)));
            choices.push_back(choice);
        }
        item.set("choices", choices);
        criteria.push_back(item);
    }
    v.set("criteria", criteria);
    v.set("comment", comment);
    set_error_summary(v, errors);
    if (!state.refusal.empty()) v.set("refusal", state.refusal);
    if (!state.notice.empty()) v.set("notice", state.notice);
    const bool failed = !state.missing.empty() || !state.refusal.empty();
    return page("label_scoring",
                (failed ? "Erreur : " : "") + std::string("Évaluer : ") + cand.initiative_title, v,
                private_page(state.status));
}

response show_scoring(const request& req, const route_params& params, context& ctx,
                      const account& me) {
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    scoring_state state;
    if (req.query_value("fait") == "1") state.notice = "Votre évaluation est enregistrée.";
    return scoring_page(req, ctx, me, *id, state);
}

response save_scoring(const request& req, const route_params& params, context& ctx,
                      const account& me) {
    const actor as{me.id, me.role};
    const auto id = parse_id(params.get("id"));
    if (!id) return error_page(404);
    const auto summary = ctx.app.labels.candidacy_reviews(as, *id);
    if (!summary) return error_page_for(summary.error());
    const auto c = ctx.app.labels.get_campaign(as, summary->scores.candidacy.campaign_id);
    if (!c) return error_page_for(c.error());
    const auto form = read_form(req);
    scoring_state state;
    state.comment = form_value(form, "comment");
    std::vector<score> scores;
    for (const auto& cr : c->criteria) {
        const auto value = form_value(form, "critere-" + cr.code);
        if (value.size() != 1 || value[0] < '0' || value[0] > '5') {
            state.missing.push_back(cr.code);
            continue;
        }
        state.chosen[cr.code] = value;
        scores.push_back({cr.code, value[0] - '0'});
    }
    if (!state.missing.empty()) {
        state.status = 422;
        return scoring_page(req, ctx, me, *id, state);
    }
    const auto saved = ctx.app.labels.review_candidacy(
        as, *id, scores,
        state.comment.empty() ? std::nullopt : std::optional<std::string>(state.comment), ctx.now);
    if (!saved) {
        if (saved.error().code != errc::conflict) return error_page_for(saved.error());
        state.status = 409;
        state.refusal = render::french(saved.error().broken);
        return scoring_page(req, ctx, me, *id, state);
    }
    return see_other("/label/candidatures/" + id_text(*id) + "/evaluation?fait=1");
}

} // namespace

void register_label_jury_pages(http::router& r) {
    r.add("GET", "/label", console_page(signed_in_accounts, show_editions));
    r.add("GET", "/label/editions/{id}/evaluation", console_page(jurors, show_evaluation));
    r.add("GET", "/label/candidatures/{id}/evaluation", console_page(jurors, show_scoring));
    r.add("POST", "/label/candidatures/{id}/evaluation", console_page(jurors, save_scoring));
}

} // namespace rencontres::web
