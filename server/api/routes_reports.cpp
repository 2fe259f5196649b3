// The meeting's report (API.md §15).
#include "domain/reports/service.hpp"
#include "server/api/json_io.hpp"
#include "server/api/representations.hpp"
#include "server/transport/context.hpp"
#include "server/transport/router.hpp"

namespace rencontres::http {
namespace {

report_fields report_fields_of(const boost::json::object& body) {
    report_fields f;
    f.introduction = string_field(body, "introduction");
    if (const auto* sessions = body.if_contains("sessions"); sessions && sessions->is_array())
        for (const auto& item : sessions->as_array()) {
            if (!item.is_object()) continue;
            const auto& s = item.as_object();
            report_fields::session rs;
            rs.session_id = string_field(s, "session_id");
            rs.summary = string_field(s, "summary");
            if (const auto* quotes = s.if_contains("quotes"); quotes && quotes->is_array())
                for (const auto& q : quotes->as_array())
                    if (q.is_object())
                        rs.quotes.push_back({string_field(q.as_object(), "text"),
                                             string_field(q.as_object(), "speaker_id")});
            if (const auto* resources = s.if_contains("resources");
                resources && resources->is_array())
                for (const auto& r : resources->as_array())
                    if (r.is_object())
                        rs.resources.push_back({string_field(r.as_object(), "label"),
                                                string_field(r.as_object(), "url")});
            f.sessions.push_back(std::move(rs));
        }
    return f;
}

} // namespace

boost::json::object report_json(const report& r) {
    boost::json::array sessions;
    for (const auto& s : r.sessions) {
        boost::json::array quotes, resources;
        for (const auto& q : s.quotes) {
            boost::json::object quote{{"text", q.text}};
            if (q.speaker_id) quote["speaker_id"] = id_text(*q.speaker_id);
            quotes.push_back(std::move(quote));
        }
        for (const auto& res : s.resources)
            resources.push_back(boost::json::object{{"label", res.label}, {"url", res.url}});
        sessions.push_back(boost::json::object{{"session_id", id_text(s.session_id)},
                                               {"summary", s.summary},
                                               {"quotes", std::move(quotes)},
                                               {"resources", std::move(resources)}});
    }
    boost::json::object out{
        {"event_id", id_text(r.event_id)},
        {"status", r.status == report_status::published ? "published" : "draft"},
        {"introduction", r.introduction},
        {"sessions", std::move(sessions)},
        {"updated_at", format_utc(r.updated_at)}};
    if (r.published_at) out["published_at"] = format_utc(*r.published_at);
    return out;
}

namespace {

response get_report(const request&, const route_params& params, context& ctx) {
    return json_response(
        200,
        report_json(unwrap(ctx.app.reports.get_report(ctx.caller(), params.get("id"))).report));
}

response put_report(const request& req, const route_params& params, context& ctx) {
    const auto body = read_body(req, ctx, "ReportPut");
    return json_response(
        200, report_json(unwrap(ctx.app.reports.put_report(ctx.caller(), params.get("id"),
                                                           report_fields_of(body), ctx.now))
                             .report));
}

response publish_report(const request&, const route_params& params, context& ctx) {
    return json_response(
        200,
        report_json(unwrap(ctx.app.reports.publish_report(ctx.caller(), params.get("id"), ctx.now))
                        .report));
}

} // namespace

void register_reports_routes(router& r) {
    r.add("GET", "/v1/events/{id}/report", get_report);
    r.add("PUT", "/v1/events/{id}/report", put_report);
    r.add("POST", "/v1/events/{id}/report/publish", publish_report);
}

} // namespace rencontres::http
