#include "server/app/config.hpp"

#include "server/storage/postgres/connection.hpp"
#include "server/transport/client_address.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <functional>
#include <thread>
#include <toml++/toml.h>
#include <vector>

extern char** environ;

namespace rencontres {
namespace {

struct key_binding {
    const char* section;
    const char* key;
    std::function<void(config&, std::string_view)> set;
};

template <class Section, class Int>
std::function<void(config&, std::string_view)> integer(Section config::*section,
                                                       Int Section::*field, const char* name) {
    return [=](config& c, std::string_view text) {
        long long value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc{} || end != text.data() + text.size())
            throw config_error(std::string(name) + ": expected a whole number, got '" +
                               std::string(text) + "'");
        (c.*section).*field = static_cast<Int>(value);
    };
}

template <class Section>
std::function<void(config&, std::string_view)> boolean(Section config::*section,
                                                       bool Section::*field, const char* name) {
    return [=](config& c, std::string_view text) {
        if (text != "true" && text != "false")
            throw config_error(std::string(name) + ": expected true or false, got '" +
                               std::string(text) + "'");
        (c.*section).*field = text == "true";
    };
}

template <class Section>
std::function<void(config&, std::string_view)> text(Section config::*section,
                                                    std::string Section::*field) {
    return [=](config& c, std::string_view value) { (c.*section).*field = std::string(value); };
}

const std::vector<key_binding>& bindings() {
    static const std::vector<key_binding> all{
        {"server", "listen", text(&config::server, &server_config::listen)},
        {"server", "threads", integer(&config::server, &server_config::threads, "server.threads")},
        {"server", "max_connections",
         integer(&config::server, &server_config::max_connections, "server.max_connections")},
        {"server", "drain_timeout_ms",
         integer(&config::server, &server_config::drain_timeout_ms, "server.drain_timeout_ms")},
        {"server", "public_base_url", text(&config::server, &server_config::public_base_url)},
        {"server", "trusted_proxies", text(&config::server, &server_config::trusted_proxies)},
        {"limits", "body_max_bytes",
         integer(&config::limits, &limits_config::body_max_bytes, "limits.body_max_bytes")},
        {"limits", "header_max_bytes",
         integer(&config::limits, &limits_config::header_max_bytes, "limits.header_max_bytes")},
        {"limits", "idle_timeout_ms",
         integer(&config::limits, &limits_config::idle_timeout_ms, "limits.idle_timeout_ms")},
        {"limits", "read_timeout_ms",
         integer(&config::limits, &limits_config::read_timeout_ms, "limits.read_timeout_ms")},
        {"limits", "write_timeout_ms",
         integer(&config::limits, &limits_config::write_timeout_ms, "limits.write_timeout_ms")},
        {"database", "path", text(&config::database, &database_config::path)},
        {"database", "busy_timeout_ms",
         integer(&config::database, &database_config::busy_timeout_ms, "database.busy_timeout_ms")},
        {"database", "synchronous", text(&config::database, &database_config::synchronous)},
        {"database", "workers",
         integer(&config::database, &database_config::workers, "database.workers")},
        {"database", "max_batch",
         integer(&config::database, &database_config::max_batch, "database.max_batch")},
        {"database", "max_writers",
         integer(&config::database, &database_config::max_writers, "database.max_writers")},
        {"database", "writer_cache_mib",
         integer(&config::database, &database_config::writer_cache_mib,
                 "database.writer_cache_mib")},
        {"database", "mmap_mib",
         integer(&config::database, &database_config::mmap_mib, "database.mmap_mib")},
        {"database", "checkpoint_pages",
         integer(&config::database, &database_config::checkpoint_pages,
                 "database.checkpoint_pages")},
        {"outbox", "sink_path", text(&config::outbox, &outbox_config::sink_path)},
        {"outbox", "poll_interval_ms",
         integer(&config::outbox, &outbox_config::poll_interval_ms, "outbox.poll_interval_ms")},
        {"outbox", "event_change_hold_seconds",
         integer(&config::outbox, &outbox_config::event_change_hold_seconds,
                 "outbox.event_change_hold_seconds")},
        {"outbox", "max_attempts",
         integer(&config::outbox, &outbox_config::max_attempts, "outbox.max_attempts")},
        {"outbox", "first_retry_seconds",
         integer(&config::outbox, &outbox_config::first_retry_seconds,
                 "outbox.first_retry_seconds")},
        {"outbox", "max_backoff_seconds",
         integer(&config::outbox, &outbox_config::max_backoff_seconds,
                 "outbox.max_backoff_seconds")},
        {"smtp", "url", text(&config::smtp, &smtp_config::url)},
        {"smtp", "tls", text(&config::smtp, &smtp_config::tls)},
        {"smtp", "from", text(&config::smtp, &smtp_config::from)},
        {"smtp", "reply_to", text(&config::smtp, &smtp_config::reply_to)},
        {"smtp", "username", text(&config::smtp, &smtp_config::username)},
        {"smtp", "password_file", text(&config::smtp, &smtp_config::password_file)},
        {"smtp", "connect_timeout_ms",
         integer(&config::smtp, &smtp_config::connect_timeout_ms, "smtp.connect_timeout_ms")},
        {"smtp", "timeout_ms", integer(&config::smtp, &smtp_config::timeout_ms, "smtp.timeout_ms")},
        {"webhooks", "allow_private_targets",
         boolean(&config::webhooks, &webhooks_config::allow_private_targets,
                 "webhooks.allow_private_targets")},
        {"webhooks", "timeout_ms",
         integer(&config::webhooks, &webhooks_config::timeout_ms, "webhooks.timeout_ms")},
        {"floor", "questions_per_client",
         integer(&config::floor, &floor_config::questions_per_client,
                 "floor.questions_per_client")},
        {"floor", "votes_per_client",
         integer(&config::floor, &floor_config::votes_per_client, "floor.votes_per_client")},
        {"floor", "window_seconds",
         integer(&config::floor, &floor_config::window_seconds, "floor.window_seconds")},
        {"floor", "stream_pace_ms",
         integer(&config::floor, &floor_config::stream_pace_ms, "floor.stream_pace_ms")},
        {"webhooks", "disable_after_failures",
         integer(&config::webhooks, &webhooks_config::disable_after_failures,
                 "webhooks.disable_after_failures")},
        {"security", "key_file", text(&config::security, &security_config::key_file)},
        {"auth", "token_ttl_hours",
         integer(&config::auth, &auth_config::token_ttl_hours, "auth.token_ttl_hours")},
        {"auth", "login_max_failures_per_email_and_client",
         integer(&config::auth, &auth_config::login_max_failures_per_email_and_client,
                 "auth.login_max_failures_per_email_and_client")},
        {"auth", "login_max_failures_per_client",
         integer(&config::auth, &auth_config::login_max_failures_per_client,
                 "auth.login_max_failures_per_client")},
        {"auth", "login_max_failures_per_email",
         integer(&config::auth, &auth_config::login_max_failures_per_email,
                 "auth.login_max_failures_per_email")},
        {"auth", "login_window_seconds",
         integer(&config::auth, &auth_config::login_window_seconds, "auth.login_window_seconds")},
        {"auth", "signup_max_per_client",
         integer(&config::auth, &auth_config::signup_max_per_client, "auth.signup_max_per_client")},
        {"auth", "signup_window_seconds",
         integer(&config::auth, &auth_config::signup_window_seconds, "auth.signup_window_seconds")},
        {"auth", "verification_ttl_hours",
         integer(&config::auth, &auth_config::verification_ttl_hours,
                 "auth.verification_ttl_hours")},
        {"auth", "session_idle_seconds",
         integer(&config::auth, &auth_config::session_idle_seconds, "auth.session_idle_seconds")},
        {"auth", "session_max_hours",
         integer(&config::auth, &auth_config::session_max_hours, "auth.session_max_hours")},
        {"registrations", "max_per_client",
         integer(&config::registrations, &registrations_config::max_per_client,
                 "registrations.max_per_client")},
        {"registrations", "window_seconds",
         integer(&config::registrations, &registrations_config::window_seconds,
                 "registrations.window_seconds")},
        {"auth", "argon2_memory_kib",
         integer(&config::auth, &auth_config::argon2_memory_kib, "auth.argon2_memory_kib")},
        {"auth", "argon2_passes",
         integer(&config::auth, &auth_config::argon2_passes, "auth.argon2_passes")},
        {"auth", "hash_workers",
         integer(&config::auth, &auth_config::hash_workers, "auth.hash_workers")},
        {"auth", "hash_queue_max",
         integer(&config::auth, &auth_config::hash_queue_max, "auth.hash_queue_max")},
        {"metrics", "token", text(&config::metrics, &metrics_config::token)},
        {"log", "format", text(&config::log, &log_config::format)},
        {"log", "level", text(&config::log, &log_config::level)},
    };
    return all;
}

const key_binding* find_binding(std::string_view section, std::string_view key) {
    for (const auto& b : bindings())
        if (section == b.section && key == b.key) return &b;
    return nullptr;
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

void load_file(config& c, const std::string& path) {
    toml::table table;
    try {
        table = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        throw config_error(path + ": " + std::string(e.description()));
    }
    for (const auto& [section, node] : table) {
        const auto* inner = node.as_table();
        if (!inner)
            throw config_error(path + ": '" + std::string(section.str()) + "' is not a section");
        for (const auto& [key, value] : *inner) {
            const auto* binding = find_binding(section.str(), key.str());
            const std::string name = std::string(section.str()) + "." + std::string(key.str());
            if (!binding) throw config_error(path + ": unknown key " + name);
            if (const auto* s = value.as_string())
                binding->set(c, s->get());
            else if (const auto* i = value.as_integer())
                binding->set(c, std::to_string(i->get()));
            else if (const auto* b = value.as_boolean())
                binding->set(c, b->get() ? "true" : "false");
            else if (const auto* list = value.as_array()) {
                std::string joined;
                for (const auto& item : *list) {
                    const auto* text = item.as_string();
                    if (!text) throw config_error(path + ": " + name + " must list strings");
                    joined += (joined.empty() ? "" : ",") + text->get();
                }
                binding->set(c, joined);
            } else
                throw config_error(path + ": " + name +
                                   " must be a string, a whole number or true/false");
        }
    }
}

} // namespace

std::map<std::string, std::string> process_environment() {
    std::map<std::string, std::string> out;
    for (char** e = environ; e && *e; ++e) {
        std::string_view entry(*e);
        if (entry.rfind("RENCONTRES_", 0) != 0) continue;
        const auto eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        out.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
    return out;
}

config load_config(const std::optional<std::string>& file,
                   const std::map<std::string, std::string>& environment) {
    config c;
    if (file) {
        if (!std::filesystem::exists(*file)) throw config_error(*file + ": no such file");
        load_file(c, *file);
    } else if (std::filesystem::exists("config/rencontres.toml")) {
        load_file(c, "config/rencontres.toml");
    }
    for (const auto& b : bindings()) {
        const auto name = "RENCONTRES_" + upper(b.section) + "_" + upper(b.key);
        if (const auto it = environment.find(name); it != environment.end()) b.set(c, it->second);
    }
    // The name PostgreSQL deployments use; a file path or a URL, as database.path.
    if (const auto it = environment.find("RENCONTRES_DATABASE_URL"); it != environment.end())
        c.database.path = it->second;
    return c;
}

void validate(const config& c) {
    const auto positive = [](long long v, const char* name) {
        if (v <= 0) throw config_error(std::string(name) + " must be greater than 0");
    };
    if (c.server.listen.rfind(':') == std::string::npos)
        throw config_error("server.listen must be HOST:PORT");
    if (c.server.threads < 0) throw config_error("server.threads must be 0 (cores) or more");
    if (c.database.workers < 0) throw config_error("database.workers must be 0 (cores) or more");
    positive(c.server.max_connections, "server.max_connections");
    positive(c.database.max_writers, "database.max_writers");
    positive(c.server.drain_timeout_ms, "server.drain_timeout_ms");
    positive(static_cast<long long>(c.limits.body_max_bytes), "limits.body_max_bytes");
    positive(static_cast<long long>(c.limits.header_max_bytes), "limits.header_max_bytes");
    positive(c.limits.idle_timeout_ms, "limits.idle_timeout_ms");
    positive(c.limits.read_timeout_ms, "limits.read_timeout_ms");
    positive(c.limits.write_timeout_ms, "limits.write_timeout_ms");
    positive(c.database.busy_timeout_ms, "database.busy_timeout_ms");
    positive(c.database.max_batch, "database.max_batch");
    positive(c.database.writer_cache_mib, "database.writer_cache_mib");
    positive(c.database.checkpoint_pages, "database.checkpoint_pages");
    if (c.database.mmap_mib < 0) throw config_error("database.mmap_mib must be 0 (off) or more");
    positive(c.outbox.poll_interval_ms, "outbox.poll_interval_ms");
    positive(c.outbox.max_attempts, "outbox.max_attempts");
    positive(c.outbox.first_retry_seconds, "outbox.first_retry_seconds");
    positive(c.outbox.max_backoff_seconds, "outbox.max_backoff_seconds");
    positive(c.smtp.connect_timeout_ms, "smtp.connect_timeout_ms");
    positive(c.smtp.timeout_ms, "smtp.timeout_ms");
    positive(c.webhooks.timeout_ms, "webhooks.timeout_ms");
    positive(c.webhooks.disable_after_failures, "webhooks.disable_after_failures");
    if (c.floor.questions_per_client < 0 || c.floor.votes_per_client < 0)
        throw config_error("floor.questions_per_client and floor.votes_per_client must be 0 "
                           "(no limit) or more");
    positive(c.floor.window_seconds, "floor.window_seconds");
    positive(c.floor.stream_pace_ms, "floor.stream_pace_ms");
    if (!c.smtp.url.empty() && c.smtp.url.rfind("smtp://", 0) != 0 &&
        c.smtp.url.rfind("smtps://", 0) != 0)
        throw config_error("smtp.url must start with smtp:// or smtps://");
    if (c.smtp.tls != "starttls" && c.smtp.tls != "none")
        throw config_error("smtp.tls must be starttls or none");
    if (c.database.synchronous != "full" && c.database.synchronous != "normal")
        throw config_error("database.synchronous must be full or normal");
    positive(c.auth.token_ttl_hours, "auth.token_ttl_hours");
    positive(c.auth.session_idle_seconds, "auth.session_idle_seconds");
    positive(c.auth.session_max_hours, "auth.session_max_hours");
    if (c.outbox.event_change_hold_seconds < 0)
        throw config_error("outbox.event_change_hold_seconds must be 0 or more");
    if (c.registrations.max_per_client < 0)
        throw config_error("registrations.max_per_client must be 0 (no limit) or more");
    positive(c.registrations.window_seconds, "registrations.window_seconds");
    positive(c.auth.login_max_failures_per_email_and_client,
             "auth.login_max_failures_per_email_and_client");
    positive(c.auth.login_max_failures_per_email, "auth.login_max_failures_per_email");
    positive(c.auth.login_max_failures_per_client, "auth.login_max_failures_per_client");
    positive(c.auth.signup_max_per_client, "auth.signup_max_per_client");
    positive(c.auth.signup_window_seconds, "auth.signup_window_seconds");
    positive(c.auth.verification_ttl_hours, "auth.verification_ttl_hours");
    if (c.server.public_base_url.rfind("http://", 0) != 0 &&
        c.server.public_base_url.rfind("https://", 0) != 0)
        throw config_error("server.public_base_url must start with http:// or https://");
    try {
        http::trusted_proxies{c.server.trusted_proxies};
    } catch (const std::invalid_argument& e) {
        throw config_error(std::string("server.trusted_proxies: ") + e.what());
    }
    positive(c.auth.login_window_seconds, "auth.login_window_seconds");
    if (c.auth.argon2_memory_kib < 19 * 1024)
        throw config_error("auth.argon2_memory_kib must be at least 19456 (OWASP minimum)");
    if (c.auth.argon2_passes < 2) throw config_error("auth.argon2_passes must be at least 2");
    positive(c.auth.hash_workers, "auth.hash_workers");
    positive(c.auth.hash_queue_max, "auth.hash_queue_max");
    if (c.log.format != "text" && c.log.format != "json")
        throw config_error("log.format must be text or json");
    if (c.log.level != "trace" && c.log.level != "debug" && c.log.level != "info" &&
        c.log.level != "warn" && c.log.level != "error")
        throw config_error("log.level must be trace, debug, info, warn or error");
}

namespace {

// Beside the SQLite file; in var/ for a PostgreSQL database, where every instance must be given
// the same key file (security.key_file).
std::string beside_database(const config& c, const char* name) {
    if (postgres::is_database_url(c.database.path))
        return (std::filesystem::path("var") / name).string();
    const auto parent = std::filesystem::path(c.database.path).parent_path();
    return (parent.empty() ? std::filesystem::path(name) : parent / name).string();
}

} // namespace

std::string config::outbox_sink_path() const {
    return outbox.sink_path.empty() ? beside_database(*this, "outbox.log") : outbox.sink_path;
}

std::string config::key_file() const {
    return security.key_file.empty() ? beside_database(*this, "rencontres.key") : security.key_file;
}

int effective_workers(int configured) {
    if (configured > 0) return configured;
    return std::max(16, 4 * effective_threads(0));
}

int effective_threads(int configured) {
    if (configured > 0) return configured;
    const auto cores = std::thread::hardware_concurrency();
    return cores == 0 ? 2 : static_cast<int>(cores);
}

} // namespace rencontres
