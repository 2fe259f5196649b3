// Printed documents (API.md §8): an event's name badges and a registration's attendance
// certificate, as PDF. Badges are read and drawn on the documents lane (never the database
// workers, two at once at most); a certificate, one page, where the request is served.
#include "server/api/json_io.hpp"
#include "server/api/representations.hpp"
#include "server/documents/gate.hpp"
#include "server/documents/pdf.hpp"
#include "server/transport/context.hpp"
#include "server/transport/problem.hpp"

namespace rencontres::http {
namespace {

// At most 2,000 badges a document: ?page= gives the next ones, and a Link header (rel="next")
// says there are more. One sheet of an event at a time, two in the whole server (the lane's).
response badges(const request& req, const route_params& params, context& ctx) {
    auto layout = documents::badge_layout::a4_8;
    if (const auto wanted = req.query_value("layout")) {
        if (*wanted == "a6")
            layout = documents::badge_layout::a6;
        else if (*wanted != "a4-8")
            bad_query("layout must be a4-8 or a6.");
    }
    std::size_t page = 1;
    if (const auto given = req.query_value("page")) {
        const auto n = parse_id(*given);
        if (!n || *n < 1 || *n > 1000) bad_query("page must be a whole number from 1 to 1000.");
        page = static_cast<std::size_t>(*n);
    }
    auto sheet = unwrap(ctx.app.registrations.badges(ctx.caller(), params.get("id")));
    const auto pass = documents::drawing::of_event(sheet.event.id);
    if (!pass) {
        auto busy = problem(429, "This event's badges are being drawn already; try again shortly.");
        busy.set("Retry-After", "5");
        return busy;
    }
    const auto pages = documents::badge_documents(sheet.badges.size());
    if (!documents::keep_badge_document(sheet.badges, page))
        throw problem_exception(problem(404, "No such page of badges."));
    auto r = pdf_response(
        documents::badges_pdf(sheet, layout, [&](id_t id) { return check_in_url(ctx, id); }),
        "badges-" + sheet.event.slug + (pages > 1 ? "-" + std::to_string(page) : "") + ".pdf");
    if (page < pages)
        r.set("Link", "</v1/events/" + id_text(sheet.event.id) + "/badges.pdf?layout=" +
                          (layout == documents::badge_layout::a6 ? "a6" : "a4-8") +
                          "&page=" + std::to_string(page + 1) + ">; rel=\"next\"");
    return r;
}

response certificate(const request& req, const route_params& params, context& ctx) {
    const auto id = path_id(params, "id");
    const auto c = unwrap(ctx.app.registrations.certificate(
        ctx.caller(), id, req.header_value("X-Registration-Token"), ctx.now));
    return pdf_response(documents::certificate_pdf(c),
                        "attestation-" + c.event.slug + "-" + id_text(id) + ".pdf");
}

} // namespace

void register_documents_routes(router& r) {
    r.add("GET", "/v1/events/{id}/badges.pdf", badges, lane::documents);
    r.add("GET", "/v1/registrations/{id}/certificate.pdf", certificate);
}

} // namespace rencontres::http
