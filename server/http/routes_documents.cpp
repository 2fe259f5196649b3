// Printed documents (API.md §8): an event's name badges and a registration's attendance
// certificate, as PDF. They are read on a reader's connection and drawn on the thread that
// serves the request: the write lane never waits for them.
#include "server/documents/pdf.hpp"
#include "server/http/context.hpp"
#include "server/http/json_io.hpp"
#include "server/http/representations.hpp"

namespace rencontres::http {
namespace {

response badges(const request& req, const route_params& params, context& ctx) {
    auto layout = documents::badge_layout::a4_8;
    if (const auto wanted = req.query_value("layout")) {
        if (*wanted == "a6")
            layout = documents::badge_layout::a6;
        else if (*wanted != "a4-8")
            bad_query("layout must be a4-8 or a6.");
    }
    const auto sheet = unwrap(ctx.app.registrations.badges(ctx.caller(), params.get("id")));
    return pdf_response(
        documents::badges_pdf(sheet, layout, [&](id_t id) { return check_in_url(ctx, id); }),
        "badges-" + sheet.event.slug + ".pdf");
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
    r.add("GET", "/v1/events/{id}/badges.pdf", badges);
    r.add("GET", "/v1/registrations/{id}/certificate.pdf", certificate);
}

} // namespace rencontres::http
