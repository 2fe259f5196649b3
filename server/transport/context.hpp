// What a handler may use besides its request: the application's services, the request id, the
// client address, the time of the request and the authenticated caller (resolved on demand).
#pragma once

#include "domain/accounts/invitations.hpp"
#include "domain/accounts/privacy.hpp"
#include "domain/accounts/service.hpp"
#include "domain/agenda/service.hpp"
#include "domain/audit/service.hpp"
#include "domain/common/actor.hpp"
#include "domain/events/service.hpp"
#include "domain/floor/service.hpp"
#include "domain/reports/service.hpp"
#include "domain/labels/service.hpp"
#include "domain/notifications/service.hpp"
#include "domain/registrations/service.hpp"
#include "domain/speakers/service.hpp"
#include "domain/territories/service.hpp"
#include "domain/webhooks/service.hpp"
#include "server/transport/message.hpp"

#include <functional>
#include <optional>
#include <string>

// The handlers' own types, named here and defined in their layers (api, web, security): the
// transport passes the services along without using them.
namespace rencontres {
class store;
class clock;
} // namespace rencontres

namespace rencontres::security {
class form_tokens;
}

namespace rencontres::web {
struct page_settings;
}

namespace rencontres::http {

class api_document;
class metrics;
class agenda_cache;
struct api_settings;
// The body of a webhook delivery: {type, timestamp, data} (routes_webhooks.cpp).
std::string webhook_payload(webhook_service& webhooks, std::string_view type, id_t subject,
                            instant now);

// The composition root wires one of these; handlers reach the domain only through it.
struct services {
    store& db;
    rencontres::clock& time;
    account_service& accounts;
    invitation_service& invitations;
    territory_service& territories;
    audit_service& audit;
    event_service& events;
    speaker_service& speakers;
    session_service& sessions;
    registration_service& registrations;
    privacy_service& privacy;
    notification_service& notifications;
    label_service& labels;
    webhook_service& webhooks;
    floor_service& floor;
    report_service& reports;
    agenda_cache& agendas;
    const api_document& api;
    http::metrics& stats;
    const api_settings& api_config;
    const web::page_settings& site_config;
    // Lines appended to /metrics by the storage (commit groups, registrations by status).
    std::function<std::string()> storage_metrics;
    // Anti-CSRF tokens of the public forms.
    const security::form_tokens& forms;
};

class context {
public:
    context(services& app, const request& req, std::string request_id, std::string client)
        : app(app), request_id(std::move(request_id)), client(std::move(client)),
          now(app.time.now()), req_(req) {}

    // The caller: anonymous without an Authorization header; a problem (401) when the header
    // is there but its token is not valid.
    const actor& caller();

    services& app;
    const std::string request_id;
    const std::string client;
    const instant now;

private:
    const request& req_;
    std::optional<actor> caller_;
};

} // namespace rencontres::http
