// The composition root: builds the store, the services and the router from a configuration.
#pragma once

#include "domain/accounts/invitations.hpp"
#include "domain/accounts/service.hpp"
#include "domain/audit/service.hpp"
#include "domain/floor/service.hpp"
#include "domain/reports/service.hpp"
#include "domain/territories/service.hpp"
#include "domain/webhooks/service.hpp"
#include "server/api/agenda_cache.hpp"
#include "server/api/floor.hpp"
#include "server/api/settings.hpp"
#include "server/app/config.hpp"
#include "server/notify/file_sink.hpp"
#include "server/notify/outbox_worker.hpp"
#include "server/notify/webhook_sender.hpp"
#include "server/security/form_tokens.hpp"
#include "server/security/sealer.hpp"
#include "server/security/sodium.hpp"
#include "server/storage/sql_store.hpp"
#include "server/transport/dispatch.hpp"
#include "server/transport/metrics.hpp"
#include "server/transport/scheduler.hpp"
#include "server/transport/server.hpp"
#include "server/web/settings.hpp"

#include <memory>

namespace rencontres {

// Opens (and migrates) the database named by the configuration: PostgreSQL for a
// postgresql:// URL, else the SQLite file, its folder created.
std::unique_ptr<storage::server_store> open_store(const config& c, std::size_t connections);

class application {
public:
    explicit application(config c);

    http::server_settings server_settings() const;
    // Starts the outbox delivery worker (serving only; commands do not deliver).
    void start_delivery();
    void stop_delivery();
    const http::dispatcher& dispatcher() const { return dispatcher_; }
    // Where requests run: the lanes, their quotas and the write lane's commit groups, made on
    // first use (commands that do not serve start no threads). One server runs on it.
    http::scheduler& scheduler();
    storage::server_store& store() { return *store_; }
    account_service& accounts() { return accounts_; }
    territory_service& territories() { return territories_; }
    event_service& events() { return events_; }
    registration_service& registrations() { return registrations_; }
    notification_service& notifications() { return notifications_; }
    webhook_service& webhooks() { return webhooks_; }
    floor_service& floor() { return floor_; }
    http::live_hub& live() { return *live_; }
    rencontres::clock& time() { return clock_; }
    const config& settings() const { return config_; }

private:
    config config_;
    std::unique_ptr<storage::server_store> store_;
    system_clock clock_;
    security::secretbox_sealer sealer_;
    security::argon2id_hasher hasher_;
    security::random_token_minter minter_;
    login_throttle throttle_;
    account_service accounts_;
    territory_service territories_;
    audit_service audit_;
    http::agenda_cache agendas_;
    // What this instance's listeners of live streams hear, read from the database.
    http::floor_stream floor_source_;
    std::unique_ptr<http::live_hub> live_;
    // What changes tell this instance: its cached renderings and its live streams.
    class local_changes final : public agenda_observer {
    public:
        local_changes(http::agenda_cache& agendas, http::live_hub& live)
            : agendas_(agendas), live_(live) {}
        void agenda_changed(id_t event_id) override { agendas_.agenda_changed(event_id); }
        void seats_changed(id_t event_id) override { agendas_.seats_changed(event_id); }
        void floor_changed(id_t session_id) override {
            live_.changed(session_id == every_session ? http::live_hub::every_channel
                                                      : static_cast<std::uint64_t>(session_id));
        }

    private:
        http::agenda_cache& agendas_;
        http::live_hub& live_;
    };
    local_changes local_;
    std::unique_ptr<agenda_observer> relay_; // to and from other instances on a shared database
    agenda_observer& changes_;               // relay_ when there is one, else local_
    event_service events_;
    invitation_service invitations_;
    speaker_service speakers_;
    session_service sessions_;
    registration_service registrations_;
    privacy_service privacy_;
    notification_service notifications_;
    label_service labels_;
    security::form_tokens forms_;
    notify::network_guard webhook_guard_;
    notify::sodium_secrets webhook_secrets_;
    webhook_service webhooks_;
    floor_service floor_;
    report_service reports_;
    http::api_settings api_config_;
    web::page_settings site_config_;
    http::router router_;
    http::metrics metrics_;
    http::services services_;
    http::dispatcher dispatcher_;
    std::unique_ptr<http::scheduler> scheduler_;
    std::unique_ptr<message_sink> sink_;
    std::unique_ptr<notify::outbox_worker> delivery_;
    std::unique_ptr<notify::http_webhook_sender> webhook_sender_;
    std::unique_ptr<notify::outbox_worker> webhook_delivery_;
};

// Loads the demo meeting (embedded from demo/aixe-sur-vienne-2018.json); running it again
// changes nothing. Returns a line per thing created.
std::vector<std::string> load_demo(store& db, instant now);

} // namespace rencontres
