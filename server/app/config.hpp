// Typed configuration: defaults here, then config/rencontres.toml, then RENCONTRES_<SECTION>_<KEY>
// environment variables, then command-line flags. Filled once at start and validated.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace rencontres {

struct server_config {
    std::string listen = "127.0.0.1:8080";
    int threads = 0;               // network threads; 0 = number of cores
    int max_connections = 4096;    // beyond: 503 and close
    int drain_timeout_ms = 10'000; // how long in-flight requests may finish after SIGTERM
    // Where people reach this server: links in messages and pages start with it.
    std::string public_base_url = "http://127.0.0.1:8080";
    // Addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed (comma-separated).
    std::string trusted_proxies;
};

struct limits_config {
    std::size_t body_max_bytes = 1024 * 1024;
    std::size_t header_max_bytes = 16 * 1024;
    int idle_timeout_ms = 30'000;  // waiting for (the header of) the next request
    int read_timeout_ms = 15'000;  // reading a request body
    int write_timeout_ms = 15'000; // writing a response
};

struct database_config {
    std::string path = "var/rencontres.db";
    int busy_timeout_ms = 5'000;
    std::string synchronous = "full"; // full: every acknowledged write survives power loss
    int workers = 0;                  // threads running database work; 0 = 4 per core, at least 16
    int max_batch = 512;              // writes committed together at most (group commit)
    int max_writers = 8;              // PostgreSQL: writer connections, writes running at once
    int writer_cache_mib = 64;        // page cache of the single writer connection
    int mmap_mib = 256;               // of the file read through a memory map; 0: read(2) only
    int checkpoint_pages = 1000;      // log pages after which a checkpoint runs beside the writer
};

struct outbox_config {
    std::string sink_path;      // "" = outbox.log beside the database (when smtp.url is "")
    int poll_interval_ms = 500; // how often due messages are handed to the sink
    int max_attempts = 10;      // temporary failures before a message is failed
    int first_retry_seconds = 30;
    int max_backoff_seconds = 6 * 3600;
    // Changes of a published event's date or place within this long make one message per
    // registrant, sent at its end.
    int event_change_hold_seconds = 15 * 60;
};

// Email over SMTP (libcurl). With an empty url, messages go to the outbox log instead.
struct smtp_config {
    std::string url;              // smtp://host:587 (STARTTLS) or smtps://host:465
    std::string tls = "starttls"; // smtp:// only: starttls (required) or none (a local relay)
    std::string from = "Rencontres <rencontres@localhost>";
    std::string reply_to;      // "" = none
    std::string username;      // "" = no authentication
    std::string password_file; // the password, read from this file (or RENCONTRES_SMTP_PASSWORD)
    int connect_timeout_ms = 10'000;
    int timeout_ms = 30'000; // a whole message, connection included
};

struct webhooks_config {
    bool allow_private_targets = false; // loopback, private and link-local targets (tests only)
    int timeout_ms = 10'000;            // a whole delivery, connection included
    int disable_after_failures = 20;    // consecutive failed attempts before a webhook is disabled
};

// Questions from the floor and polls: what one client address may post, per window (0: no
// limit). A village hall often reaches the server from one address (its Wi-Fi), so the votes'
// limit is high; it bounds a script, not a room.
struct floor_config {
    int questions_per_client = 10;
    int votes_per_client = 600; // votes on questions and poll answers
    int window_seconds = 60;
    // How often, at most, a session's stream is read and sent to its listeners: the events of
    // that time go out together, once per listener.
    int stream_pace_ms = 200;
};

struct security_config {
    std::string key_file; // "" = rencontres.key beside the database; created on first start
};

struct auth_config {
    int token_ttl_hours = 24 * 30;
    int login_max_failures_per_email_and_client = 5;
    int login_max_failures_per_client = 20;
    int login_max_failures_per_email = 100; // from any client: only a spray at one account
    int login_window_seconds = 15 * 60;
    int signup_max_per_client = 10;
    int signup_window_seconds = 15 * 60;
    int verification_ttl_hours = 48;
    int session_idle_seconds = 2 * 3600; // a console session ends after this long unused
    int session_max_hours = 12;          // and this long after sign-in, whatever its use
    int argon2_memory_kib = 19 * 1024;   // OWASP minimum for argon2id: 19 MiB
    int argon2_passes = 2;
    int hash_workers = 1;    // threads hashing passwords
    int hash_queue_max = 64; // queued hashing requests beyond which the server answers 503
};

// Registrations made without a bearer token, counted per client address (0 = no limit).
struct registrations_config {
    int max_per_client = 20;
    int window_seconds = 600;
};

struct metrics_config {
    std::string token; // "" = /metrics is open; else it needs Authorization: Bearer <token>
};

struct log_config {
    std::string format = "text"; // text or json
    std::string level = "info";  // trace, debug, info, warn, error
};

struct config {
    server_config server;
    limits_config limits;
    database_config database;
    auth_config auth;
    registrations_config registrations;
    outbox_config outbox;
    smtp_config smtp;
    webhooks_config webhooks;
    floor_config floor;
    security_config security;
    metrics_config metrics;
    log_config log;

    // Paths that default to the database's folder.
    std::string outbox_sink_path() const;
    std::string key_file() const;
};

class config_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reads the TOML file (when given or when the default file exists), then the environment
// (`environment` maps variable names to values; pass the process environment). Throws
// config_error naming the key at fault.
config load_config(const std::optional<std::string>& file,
                   const std::map<std::string, std::string>& environment);

std::map<std::string, std::string> process_environment();

// Rejects impossible values with a message that names the key.
void validate(const config& c);

int effective_threads(int configured);
// Database workers: mostly waiting on the disk (group commit), so several per core.
int effective_workers(int configured);

} // namespace rencontres
