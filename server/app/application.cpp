#include "server/app/application.hpp"

#include "server/api/openapi.hpp"
#include "server/app/routes.hpp"
#include "server/notify/smtp_sink.hpp"
#include "server/storage/postgres/store.hpp"
#include "server/storage/sqlite/store.hpp"
#include "server/web/view.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace rencontres {

namespace {

// The database holds personal data: its folder (when we make it) is 0700, and the file is
// created 0600 before SQLite opens it, so that its -wal and -shm, which SQLite creates with the
// database's permissions, are owner-only too. Files left readable by an older version are
// narrowed.
void make_private_folder_of(const std::filesystem::path& file) {
    namespace fs = std::filesystem;
    if (file.has_parent_path() && !fs::exists(file.parent_path())) {
        fs::create_directories(file.parent_path());
        fs::permissions(file.parent_path(), fs::perms::owner_all, fs::perm_options::replace);
    }
}

void prepare_private_files(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    make_private_folder_of(path);
    if (!fs::exists(path)) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) ::close(fd);
    }
    for (const auto* suffix : {"", "-wal", "-shm"}) {
        const fs::path file = path.string() + suffix;
        std::error_code ignored;
        if (fs::exists(file, ignored))
            fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write,
                            fs::perm_options::replace, ignored);
    }
}

} // namespace

std::unique_ptr<storage::server_store> open_store(const config& c, std::size_t connections) {
    if (postgres::is_database_url(c.database.path)) {
        // No database folder to keep them: the key file's and the outbox log's folders are made
        // as SQLite's would be (var/ by default).
        make_private_folder_of(c.key_file());
        make_private_folder_of(c.outbox_sink_path());
        postgres::store_settings settings;
        settings.connection.url = c.database.path;
        settings.connection.statement_timeout_ms = c.database.busy_timeout_ms;
        settings.max_connections = connections;
        settings.max_writers = static_cast<std::size_t>(c.database.max_writers);
        return std::make_unique<postgres::postgres_store>(settings);
    }
    const std::filesystem::path path(c.database.path);
    prepare_private_files(path);
    sqlite::store_settings settings;
    settings.connection.path = c.database.path;
    settings.connection.busy_timeout_ms = c.database.busy_timeout_ms;
    settings.connection.synchronous = c.database.synchronous == "normal"
                                          ? sqlite::synchronous_mode::normal
                                          : sqlite::synchronous_mode::full;
    settings.connection.mmap_bytes = std::int64_t{c.database.mmap_mib} * 1024 * 1024;
    settings.max_connections = connections;
    settings.max_batch = static_cast<std::size_t>(c.database.max_batch);
    settings.writer_cache_kib = c.database.writer_cache_mib * 1024;
    settings.checkpoint_pages = c.database.checkpoint_pages;
    return std::make_unique<sqlite::sqlite_store>(settings);
}

namespace {

std::string public_base(std::string url) {
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}

std::size_t connections_for(const config& c) {
    // Every thread that may touch the database at once gets its connection.
    return static_cast<std::size_t>(effective_workers(c.database.workers) + c.auth.hash_workers +
                                    effective_threads(c.server.threads) + 1);
}

std::vector<http::metrics::route_label> metric_labels(const http::router& r) {
    std::vector<http::metrics::route_label> labels;
    for (const auto& route : r.routes())
        labels.push_back({route.pattern, route.method});
    return labels;
}

// Commit groups of the writer and registrations by status, in the Prometheus text format.
std::string storage_metrics(storage::server_store& db) {
    const auto stats = db.write_stats();
    std::string out =
        "# HELP rencontres_db_commit_batch_size Writes committed together by one COMMIT.\n"
        "# TYPE rencontres_db_commit_batch_size histogram\n";
    for (std::size_t i = 0; i < storage::commit_stats::bounds.size(); ++i)
        out += "rencontres_db_commit_batch_size_bucket{le=\"" +
               std::to_string(storage::commit_stats::bounds[i]) + "\"} " +
               std::to_string(stats.buckets[i]) + "\n";
    out += "rencontres_db_commit_batch_size_bucket{le=\"+Inf\"} " + std::to_string(stats.commits) +
           "\n";
    out += "rencontres_db_commit_batch_size_sum " + std::to_string(stats.writes) + "\n";
    out += "rencontres_db_commit_batch_size_count " + std::to_string(stats.commits) + "\n";
    out += "# HELP rencontres_db_commit_failures_total Commit groups that could not be written.\n"
           "# TYPE rencontres_db_commit_failures_total counter\n"
           "rencontres_db_commit_failures_total " +
           std::to_string(stats.failed) + "\n";
    out += "# HELP rencontres_db_write_round_trips_total Round trips to the database made by write "
           "transactions (PostgreSQL; 0 on SQLite, which has none).\n"
           "# TYPE rencontres_db_write_round_trips_total counter\n"
           "rencontres_db_write_round_trips_total " +
           std::to_string(stats.round_trips) + "\n";
    out += "# HELP rencontres_registrations Registrations by status.\n"
           "# TYPE rencontres_registrations gauge\n";
    for (const auto& [status, count] : db.registration_counts())
        out +=
            "rencontres_registrations{status=\"" + status + "\"} " + std::to_string(count) + "\n";
    return out;
}

} // namespace

application::application(config c)
    : config_(std::move(c)), store_(open_store(config_, connections_for(config_))),
      sealer_(config_.key_file()),
      hasher_({static_cast<std::size_t>(config_.auth.argon2_memory_kib) * 1024,
               static_cast<unsigned long long>(config_.auth.argon2_passes)}),
      throttle_({config_.auth.login_max_failures_per_email_and_client,
                 config_.auth.login_max_failures_per_client,
                 config_.auth.login_max_failures_per_email,
                 std::chrono::seconds{config_.auth.login_window_seconds},
                 config_.auth.signup_max_per_client,
                 std::chrono::seconds{config_.auth.signup_window_seconds}, 100'000,
                 config_.registrations.max_per_client,
                 std::chrono::seconds{config_.registrations.window_seconds}},
                store_->throttles()),
      accounts_(*store_, hasher_, minter_, throttle_, sealer_,
                {.token_ttl = std::chrono::hours{config_.auth.token_ttl_hours},
                 .verification_ttl = std::chrono::hours{config_.auth.verification_ttl_hours},
                 .session_idle = std::chrono::seconds{config_.auth.session_idle_seconds},
                 .session_max = std::chrono::hours{config_.auth.session_max_hours}}),
      territories_(*store_), audit_(*store_), floor_source_(floor_),
      live_(std::make_unique<http::live_hub>(
          floor_source_, std::chrono::milliseconds{config_.floor.stream_pace_ms})),
      local_(agendas_, *live_), relay_(store_->share_changes(local_)),
      changes_(relay_ ? *relay_ : static_cast<agenda_observer&>(local_)),
      events_(*store_, changes_, std::chrono::seconds{config_.outbox.event_change_hold_seconds}),
      invitations_(*store_, hasher_, minter_, sealer_, events_, changes_),
      speakers_(*store_, changes_), sessions_(*store_, changes_),
      registrations_(*store_, minter_, sealer_, &changes_), privacy_(*store_),
      notifications_(*store_, {config_.outbox.max_attempts,
                               std::chrono::seconds{config_.outbox.first_retry_seconds},
                               std::chrono::seconds{config_.outbox.max_backoff_seconds}}),
      labels_(*store_, &changes_), forms_(security::load_or_create_key(config_.key_file())),
      webhook_guard_(config_.webhooks.allow_private_targets),
      webhooks_(
          *store_, sealer_, webhook_secrets_, webhook_guard_,
          {{config_.outbox.max_attempts, std::chrono::seconds{config_.outbox.first_retry_seconds},
            std::chrono::seconds{config_.outbox.max_backoff_seconds}},
           config_.webhooks.disable_after_failures}),
      floor_(*store_, changes_,
             {config_.floor.questions_per_client, config_.floor.votes_per_client,
              std::chrono::seconds{config_.floor.window_seconds}}),
      reports_(*store_, changes_), api_config_{config_.server.public_base_url,
                                               config_.metrics.token},
      site_config_{config_.server.public_base_url}, router_(make_router()),
      metrics_(metric_labels(router_)),
      services_{*store_,      clock_,
                accounts_,    invitations_,
                territories_, audit_,
                events_,      speakers_,
                sessions_,    registrations_,
                privacy_,     notifications_,
                labels_,      webhooks_,
                floor_,       reports_,
                agendas_,     http::embedded_api(),
                metrics_,     api_config_,
                site_config_, [this] { return storage_metrics(*store_); },
                forms_},
      dispatcher_(router_, services_, [] { return web::error_page(404); }) {}

// The SMTP password comes from the environment or a file, never from the TOML in clear.
static std::string smtp_password(const smtp_config& c) {
    if (const char* env = std::getenv("RENCONTRES_SMTP_PASSWORD")) return env;
    if (c.password_file.empty()) return {};
    std::ifstream in(c.password_file);
    std::string password;
    if (!in || !std::getline(in, password))
        throw config_error("smtp.password_file cannot be read: " + c.password_file);
    return password;
}

// The host part of the public address, for Message-IDs.
static std::string host_of(const std::string& url) {
    auto host = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
    host = host.substr(0, host.find_first_of(":/"));
    return host.empty() ? "localhost" : host;
}

void application::start_delivery() {
    if (!config_.smtp.url.empty()) {
        notify::smtp_settings s;
        s.url = config_.smtp.url;
        s.starttls = config_.smtp.url.rfind("smtp://", 0) == 0 && config_.smtp.tls == "starttls";
        s.identity = {config_.smtp.from, config_.smtp.reply_to,
                      host_of(config_.server.public_base_url)};
        s.username = config_.smtp.username;
        s.password = smtp_password(config_.smtp);
        s.connect_timeout = std::chrono::milliseconds{config_.smtp.connect_timeout_ms};
        s.timeout = std::chrono::milliseconds{config_.smtp.timeout_ms};
        s.public_base_url = public_base(config_.server.public_base_url);
        sink_ = std::make_unique<notify::smtp_sink>(std::move(s), notifications_, sealer_, clock_);
    } else {
        sink_ = std::make_unique<notify::file_sink>(
            config_.outbox_sink_path(),
            notify::link_writer(public_base(config_.server.public_base_url), sealer_));
    }
    const auto interval = std::chrono::milliseconds{config_.outbox.poll_interval_ms};
    delivery_ = std::make_unique<notify::outbox_worker>(
        "outbox",
        [this] {
            return store_->may_deliver() ? notifications_.deliver_due(*sink_, clock_.now(), 500)
                                         : 0;
        },
        500, interval);
    webhook_sender_ = std::make_unique<notify::http_webhook_sender>(
        notify::webhook_sender_settings{config_.webhooks.allow_private_targets,
                                        std::chrono::milliseconds{config_.webhooks.timeout_ms}},
        sealer_, [this](std::string_view type, id_t subject, instant now) {
            return http::webhook_payload(webhooks_, type, subject, now);
        });
    webhook_delivery_ = std::make_unique<notify::outbox_worker>(
        "webhooks",
        [this] {
            return store_->may_deliver() ? webhooks_.deliver_due(*webhook_sender_, clock_.now(), 50)
                                         : 0;
        },
        50, interval);
}

void application::stop_delivery() {
    webhook_delivery_.reset();
    delivery_.reset();
}

http::server_settings application::server_settings() const {
    http::server_settings s;
    http::parse_listen(config_.server.listen, s.host, s.port);
    s.threads = effective_threads(config_.server.threads);
    s.max_connections = config_.server.max_connections;
    s.drain_timeout = std::chrono::milliseconds{config_.server.drain_timeout_ms};
    s.idle_timeout = std::chrono::milliseconds{config_.limits.idle_timeout_ms};
    s.read_timeout = std::chrono::milliseconds{config_.limits.read_timeout_ms};
    s.write_timeout = std::chrono::milliseconds{config_.limits.write_timeout_ms};
    s.body_max_bytes = config_.limits.body_max_bytes;
    s.header_max_bytes = config_.limits.header_max_bytes;
    s.proxies = http::trusted_proxies{config_.server.trusted_proxies};
    s.live = live_.get();
    return s;
}

http::scheduler& application::scheduler() {
    if (scheduler_) return *scheduler_;
    http::scheduler_settings s;
    s.database_workers = effective_workers(config_.database.workers);
    s.hash_workers = config_.auth.hash_workers;
    s.hash_queue_max = config_.auth.hash_queue_max;
    auto* db = store_.get();
    // The write lane: one thread before SQLite's single writer; on PostgreSQL one per writer
    // connection, each running its write beside the others.
    s.write_lanes =
        postgres::is_database_url(config_.database.path) ? config_.database.max_writers : 1;
    s.writes.announce = [db] { db->announce_write(); };
    s.writes.retract = [db] { db->retract_write(); };
    s.writes.when_durable = [db](durability_ticket ticket, std::function<void(bool)> settled) {
        db->when_durable(ticket, std::move(settled));
    };
    scheduler_ = std::make_unique<http::scheduler>(std::move(s), dispatcher_);
    floor_source_.run_with(
        [this](std::function<void()> job) { scheduler_->run_on_database(std::move(job)); });
    return *scheduler_;
}

} // namespace rencontres
