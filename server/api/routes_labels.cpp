// The "Territoires innovants" label (API.md §9).
#include "domain/common/csv.hpp"
#include "server/api/decoders.hpp"
#include "server/api/json_io.hpp"
#include "server/api/representations.hpp"
#include "server/transport/context.hpp"

namespace rencontres::http {
namespace {

boost::json::object campaign_json(const campaign& c) {
    boost::json::array categories, criteria;
    for (const auto& cat : c.categories)
        categories.push_back({{"code", cat.code}, {"name", cat.name}});
    for (const auto& cr : c.criteria)
        criteria.push_back({{"code", cr.code},
                            {"name", cr.name},
                            {"weight", cr.weight},
                            {"eliminatory", cr.eliminatory},
                            {"threshold", cr.threshold}});
    boost::json::object out{{"id", id_text(c.id)},
                            {"year", c.year},
                            {"name", c.name},
                            {"categories", std::move(categories)},
                            {"criteria", std::move(criteria)},
                            {"candidacy_opens_at", format_utc(c.candidacy_opens_at)},
                            {"candidacy_closes_at", format_utc(c.candidacy_closes_at)},
                            {"status", to_string(c.status)}};
    if (c.final_event_id) out["final_event_id"] = id_text(*c.final_event_id);
    return out;
}

boost::json::object candidacy_json(const candidacy& c) {
    boost::json::array links;
    for (const auto& l : c.links)
        links.push_back(boost::json::string(l));
    boost::json::object out{{"id", id_text(c.id)},
                            {"campaign_id", id_text(c.campaign_id)},
                            {"territory_id", id_text(c.territory_id)},
                            {"category", c.category},
                            {"initiative_title", c.initiative_title},
                            {"summary", c.summary},
                            {"links", std::move(links)},
                            {"status", to_string(c.status)},
                            {"submitted_by", id_text(c.submitted_by)},
                            {"submitted_at", format_utc(c.submitted_at)}};
    if (c.presented_at_event_id) out["presented_at_event_id"] = id_text(*c.presented_at_event_id);
    return out;
}

boost::json::object review_json(const review& r) {
    boost::json::array scores;
    for (const auto& s : r.scores)
        scores.push_back({{"criterion", s.criterion}, {"score", s.value}});
    boost::json::object out{{"id", id_text(r.id)},
                            {"candidacy_id", id_text(r.candidacy_id)},
                            {"reviewer_id", id_text(r.reviewer_id)},
                            {"scores", std::move(scores)},
                            {"created_at", format_utc(r.created_at)}};
    if (r.comment) out["comment"] = *r.comment;
    return out;
}

boost::json::object scores_json(const ranking_entry& e) {
    boost::json::object means;
    for (const auto& [code, mean] : e.criteria_means)
        means[code] = mean;
    boost::json::object out{{"weighted_total", e.weighted_total},
                            {"review_count", e.review_count},
                            {"criteria_means", std::move(means)},
                            {"eliminated", e.eliminated}};
    if (e.eliminated_by) out["eliminated_by"] = *e.eliminated_by;
    return out;
}

std::optional<std::string> query_text(const request& req, std::string_view name) {
    const auto v = req.query_value(name);
    return v ? std::optional<std::string>(std::string(*v)) : std::nullopt;
}

response create_campaign(const request& req, const route_params&, context& ctx) {
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "CampaignCreate");
    const auto created =
        unwrap(ctx.app.labels.create_campaign(who, campaign_fields_of(body), ctx.now));
    auto r = resource_response(req, 201, campaign_json(created));
    r.set("Location", "/v1/label-campaigns/" + id_text(created.id));
    return r;
}

response list_campaigns(const request&, const route_params&, context& ctx) {
    boost::json::array items;
    for (const auto& c : unwrap(ctx.app.labels.list_campaigns(ctx.caller())))
        items.push_back(campaign_json(c));
    return json_response(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
}

response get_campaign(const request& req, const route_params& params, context& ctx) {
    return resource_response(
        req, 200,
        campaign_json(unwrap(ctx.app.labels.get_campaign(ctx.caller(), path_id(params, "id")))));
}

response patch_campaign(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "CampaignPatch");
    return resource_response(req, 200,
                             campaign_json(unwrap(ctx.app.labels.update_campaign(
                                 who, id, campaign_fields_of(body), ctx.now))));
}

response submit_candidacy(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "CandidacyCreate");
    const auto created =
        unwrap(ctx.app.labels.submit_candidacy(who, id, candidacy_fields_of(body), ctx.now));
    auto r = resource_response(req, 201, candidacy_json(created));
    r.set("Location", "/v1/candidacies/" + id_text(created.id));
    return r;
}

response list_candidacies(const request& req, const route_params& params, context& ctx) {
    const auto found = unwrap(ctx.app.labels.list_candidacies(ctx.caller(), path_id(params, "id"),
                                                              query_text(req, "category"),
                                                              query_text(req, "status")));
    boost::json::array items;
    for (const auto& c : found)
        items.push_back(candidacy_json(c));
    return json_response(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
}

response patch_candidacy(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "CandidacyPatch");
    return resource_response(req, 200,
                             candidacy_json(unwrap(ctx.app.labels.update_candidacy(
                                 who, id, candidacy_fields_of(body), ctx.now))));
}

response post_review(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "ReviewCreate");
    const auto saved = unwrap(ctx.app.labels.review_candidacy(
        who, id, scores_of(body), string_field(body, "comment"), ctx.now));
    return json_response(201, review_json(saved));
}

response get_reviews(const request&, const route_params& params, context& ctx) {
    const auto summary =
        unwrap(ctx.app.labels.candidacy_reviews(ctx.caller(), path_id(params, "id")));
    auto out = scores_json(summary.scores);
    boost::json::array reviews;
    for (const auto& r : summary.reviews)
        reviews.push_back(review_json(r));
    out["reviews"] = std::move(reviews);
    return json_response(200, out);
}

response get_ranking(const request& req, const route_params& params, context& ctx) {
    const auto entries = unwrap(
        ctx.app.labels.ranking(ctx.caller(), path_id(params, "id"), query_text(req, "category")));
    boost::json::array items;
    for (const auto& e : entries) {
        auto item = scores_json(e);
        item["candidacy"] = candidacy_json(e.candidacy);
        items.push_back(std::move(item));
    }
    return json_response(200, {{"items", std::move(items)}});
}

response post_award(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "AwardCreate");
    const auto created = unwrap(ctx.app.labels.award_label(
        who, id, *string_field(body, "candidacy_id"), *string_field(body, "level"),
        string_field(body, "citation"), ctx.now));
    return json_response(201, award_json(created));
}

response revoke_award(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto& who = ctx.caller();
    const auto body = read_body(req, ctx, "AwardRevoke");
    return json_response(200, award_json(unwrap(ctx.app.labels.revoke_award(
                                  who, id, *string_field(body, "reason"), ctx.now))));
}

int year_of(const route_params& params) {
    const auto year = parse_id(params.get("year"));
    if (!year || *year > 9999) throw problem_exception(problem(404, "No palmarès for that year."));
    return static_cast<int>(*year);
}

response get_palmares(const request& req, const route_params& params, context& ctx) {
    const auto p = unwrap(ctx.app.labels.get_palmares(year_of(params)));
    boost::json::array categories;
    for (const auto& group : p.categories) {
        boost::json::array awards;
        for (const auto& line : group.awards) {
            boost::json::object item{{"level", to_string(line.award.level)},
                                     {"territory",
                                      {{"id", id_text(line.territory.id)},
                                       {"name", line.territory.name},
                                       {"kind", to_string(line.territory.kind)},
                                       {"siren", line.territory.siren}}},
                                     {"initiative_title", line.candidacy.initiative_title}};
            if (line.award.citation)
                item["citation"] = *line.award.citation;
            else
                item["citation"] = nullptr;
            awards.push_back(std::move(item));
        }
        categories.push_back({{"code", group.category.code},
                              {"name", group.category.name},
                              {"awards", std::move(awards)}});
    }
    return resource_response(
        req, 200,
        {{"year", p.campaign.year},
         {"campaign", {{"id", id_text(p.campaign.id)}, {"name", p.campaign.name}}},
         {"categories", std::move(categories)}});
}

response get_palmares_csv(const request& req, const route_params& params, context& ctx) {
    const auto p = unwrap(ctx.app.labels.get_palmares(year_of(params)));
    std::string out = csv_record({"year", "category", "level", "territory_name", "territory_kind",
                                  "siren", "initiative_title", "citation"});
    for (const auto& group : p.categories)
        for (const auto& line : group.awards)
            out += csv_record({std::to_string(p.campaign.year), group.category.code,
                               std::string(to_string(line.award.level)), line.territory.name,
                               std::string(to_string(line.territory.kind)), line.territory.siren,
                               line.candidacy.initiative_title, line.award.citation.value_or("")});
    response r;
    r.set("Content-Type", "text/csv; charset=utf-8");
    r.set("Content-Disposition",
          "attachment; filename=\"palmares-" + std::to_string(p.campaign.year) + ".csv\"");
    r.body = std::move(out);
    return with_etag(req, std::move(r));
}

} // namespace

void register_labels_routes(router& r) {
    r.add("POST", "/v1/label-campaigns", create_campaign);
    r.add("GET", "/v1/label-campaigns", list_campaigns);
    r.add("GET", "/v1/label-campaigns/{id}", get_campaign);
    r.add("PATCH", "/v1/label-campaigns/{id}", patch_campaign);
    r.add("POST", "/v1/label-campaigns/{id}/candidacies", submit_candidacy);
    r.add("GET", "/v1/label-campaigns/{id}/candidacies", list_candidacies);
    r.add("GET", "/v1/label-campaigns/{id}/ranking", get_ranking);
    r.add("POST", "/v1/label-campaigns/{id}/awards", post_award);
    r.add("PATCH", "/v1/candidacies/{id}", patch_candidacy);
    r.add("POST", "/v1/candidacies/{id}/reviews", post_review);
    r.add("GET", "/v1/candidacies/{id}/reviews", get_reviews);
    r.add("DELETE", "/v1/awards/{id}", revoke_award);
    r.add("GET", "/v1/palmares/{year}", get_palmares);
    r.add("GET", "/v1/palmares/{year}.csv", get_palmares_csv);
}

} // namespace rencontres::http
