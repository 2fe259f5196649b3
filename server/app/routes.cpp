#include "server/app/routes.hpp"

#include "server/api/routes.hpp"
#include "server/web/routes.hpp"

namespace rencontres {

http::router make_router() {
    http::router r;
    http::register_operations_routes(r);
    http::register_accounts_routes(r);
    http::register_territories_routes(r);
    http::register_audit_routes(r);
    http::register_events_routes(r);
    http::register_speakers_routes(r);
    http::register_sessions_routes(r);
    http::register_registrations_routes(r);
    http::register_documents_routes(r);
    http::register_labels_routes(r);
    http::register_webhooks_routes(r);
    http::register_floor_routes(r);
    http::register_reports_routes(r);
    web::register_verification_pages(r);
    web::register_account_pages(r);
    web::register_public_pages(r);
    web::register_floor_pages(r);
    web::register_report_pages(r);
    web::register_registration_pages(r);
    web::register_console_pages(r);
    web::register_console_event_pages(r);
    web::register_console_agenda_pages(r);
    web::register_console_registration_pages(r);
    web::register_console_question_pages(r);
    web::register_label_jury_pages(r);
    web::register_label_admin_pages(r);
    web::register_label_candidacy_pages(r);
    web::register_admin_pages(r);
    return r;
}

} // namespace rencontres
