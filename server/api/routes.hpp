// The JSON API's endpoint groups, each added to the router by its routes_<group>.cpp.
#pragma once

#include "server/transport/router.hpp"

namespace rencontres::http {

void register_operations_routes(router& r);
void register_accounts_routes(router& r);
void register_territories_routes(router& r);
void register_audit_routes(router& r);
void register_events_routes(router& r);
void register_speakers_routes(router& r);
void register_sessions_routes(router& r);
void register_registrations_routes(router& r);
void register_documents_routes(router& r);
void register_labels_routes(router& r);
void register_webhooks_routes(router& r);
void register_floor_routes(router& r);
void register_reports_routes(router& r);

} // namespace rencontres::http
