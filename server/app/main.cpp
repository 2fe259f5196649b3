// rencontres: serve, migrate, backup, copy, admin create, account create, demo load.
#include "server/app/application.hpp"
#include "server/storage/copy.hpp"
#include "server/storage/postgres/connection.hpp"
#include "server/storage/sqlite/store.hpp"
#include "server/transport/logging.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <spdlog/spdlog.h>

namespace {

struct common_flags {
    std::optional<std::string> config_file;
    std::optional<std::string> db;
    std::optional<std::string> listen;
    std::optional<int> threads;
    std::optional<std::string> log_format;
    std::optional<std::string> log_level;
};

rencontres::config resolve(const common_flags& flags) {
    auto c = rencontres::load_config(flags.config_file, rencontres::process_environment());
    if (flags.db) c.database.path = *flags.db;
    if (flags.listen) c.server.listen = *flags.listen;
    if (flags.threads) c.server.threads = *flags.threads;
    if (flags.log_format) c.log.format = *flags.log_format;
    if (flags.log_level) c.log.level = *flags.log_level;
    rencontres::validate(c);
    return c;
}

// A database as logs and messages show it: a URL without its password.
std::string shown(const std::string& location) {
    return rencontres::postgres::is_database_url(location)
               ? rencontres::postgres::without_password(location)
               : location;
}

void add_config_flags(CLI::App* command, common_flags& flags) {
    command->add_option("--config", flags.config_file,
                        "TOML configuration file (default: config/rencontres.toml when present)");
    command->add_option("--db", flags.db,
                        "SQLite database file (default: var/rencontres.db), or "
                        "postgresql://user@host:port/dbname");
}

int serve(const common_flags& flags) {
    const auto c = resolve(flags);
    rencontres::http::configure_logging(c.log.format, c.log.level);
    rencontres::security::initialize();
    rencontres::application app(c);
    rencontres::http::server server(app.server_settings(), app.scheduler());
    spdlog::info("rencontres listening on {}:{} (database {}, {} network threads)",
                 app.server_settings().host, server.port(), shown(c.database.path),
                 app.server_settings().threads);
    app.start_delivery();
    server.run();
    app.stop_delivery();
    return 0;
}

int migrate(const common_flags& flags) {
    const auto c = resolve(flags);
    rencontres::open_store(c, 1);
    std::cout << "database " << shown(c.database.path) << " is up to date\n";
    return 0;
}

int backup(const common_flags& flags, const std::string& to) {
    const auto c = resolve(flags);
    rencontres::sqlite::connection_settings source;
    source.path = c.database.path;
    source.busy_timeout_ms = c.database.busy_timeout_ms;
    const auto bytes = rencontres::sqlite::backup_database(source, to);
    std::cout << "backup of " << c.database.path << " written to " << to << " (" << bytes
              << " bytes, integrity ok)\n";
    return 0;
}

int copy(const std::string& from, const std::string& to) {
    const auto report = rencontres::storage::copy_database(from, to);
    std::cout << "copied " << report.rows << " rows of " << report.tables << " tables from "
              << shown(from) << " to " << shown(to) << "; row counts and kept counts checked\n";
    return 0;
}

int account_create(const common_flags& flags, const std::string& email, const std::string& name,
                   const std::string& role_name) {
    const auto c = resolve(flags);
    rencontres::security::initialize();
    std::string password;
    if (!std::getline(std::cin, password)) {
        std::cerr << "admin create: give the password on the first line of standard input\n";
        return 2;
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
    rencontres::application app(c);
    const auto r = rencontres::parse_role(role_name);
    if (!r) {
        std::cerr << "account create: unknown role " << role_name << "\n";
        return 2;
    }
    auto created = app.accounts().create_with_role({email, password, name.empty() ? email : name},
                                                   *r, rencontres::system_clock{}.now());
    if (!created) {
        std::cerr << "admin create: " << created.error().message;
        for (const auto& f : created.error().fields)
            std::cerr << " " << f.field << " " << f.message << ";";
        std::cerr << "\n";
        return 1;
    }
    std::cout << role_name << " " << created->email << " created with id " << created->id << "\n";
    return 0;
}

int demo_load(const common_flags& flags) {
    const auto c = resolve(flags);
    auto db = rencontres::open_store(c, 1);
    const auto created = rencontres::load_demo(*db, rencontres::system_clock{}.now());
    for (const auto& line : created)
        std::cout << "created " << line << "\n";
    std::cout << (created.empty() ? "demo data already loaded\n" : "demo data loaded\n");
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Rencontres: events, registrations and the Territoires innovants label.\n"
                 "Settings come from config/rencontres.toml, then RENCONTRES_<SECTION>_<KEY> "
                 "environment variables, then these flags."};
    cli.require_subcommand(1);
    common_flags flags;

    auto* serve_cmd =
        cli.add_subcommand("serve", "Serve the HTTP API (migrates the database first)");
    add_config_flags(serve_cmd, flags);
    serve_cmd->add_option("--listen", flags.listen,
                          "HOST:PORT to listen on (default 127.0.0.1:8080)");
    serve_cmd->add_option("--threads", flags.threads, "network threads (default: number of cores)");
    serve_cmd->add_option("--log-format", flags.log_format, "text or json")
        ->check(CLI::IsMember({"text", "json"}));
    serve_cmd->add_option("--log-level", flags.log_level, "trace, debug, info, warn or error");

    auto* migrate_cmd = cli.add_subcommand("migrate", "Apply the database migrations and exit");
    add_config_flags(migrate_cmd, flags);

    auto* backup_cmd = cli.add_subcommand(
        "backup", "Write a consistent copy of the database to a new file, even while serving");
    add_config_flags(backup_cmd, flags);
    std::string backup_to;
    backup_cmd->add_option("--to", backup_to, "the new file (must not exist)")->required();

    auto* copy_cmd = cli.add_subcommand(
        "copy", "Copy a whole database into an empty one, between SQLite and PostgreSQL");
    std::string copy_from, copy_to;
    copy_cmd->add_option("--from", copy_from, "the database copied: a SQLite file or a URL")
        ->required();
    copy_cmd
        ->add_option("--to", copy_to, "the empty database written: a SQLite file or postgresql://…")
        ->required();

    auto* admin_cmd = cli.add_subcommand("admin", "Account administration");
    admin_cmd->require_subcommand(1);
    auto* create_cmd = admin_cmd->add_subcommand(
        "create", "Create an admin account; the password is read from the first line of stdin");
    add_config_flags(create_cmd, flags);
    std::string email, name;
    create_cmd->add_option("--email", email, "email of the new admin")->required();
    create_cmd->add_option("--name", name, "display name (default: the email)");

    auto* account_cmd = cli.add_subcommand("account", "Accounts made by the operator");
    account_cmd->require_subcommand(1);
    auto* account_create_cmd = account_cmd->add_subcommand(
        "create", "Create an account with a role (organizer, jury, admin, participant), its email "
                  "taken as verified; the password is read from the first line of stdin");
    add_config_flags(account_create_cmd, flags);
    std::string role_option;
    account_create_cmd->add_option("--email", email, "email of the new account")->required();
    account_create_cmd->add_option("--name", name, "display name (default: the email)");
    account_create_cmd->add_option("--role", role_option, "its role")
        ->required()
        ->check(CLI::IsMember({"organizer", "jury", "admin", "participant"}));

    auto* demo_cmd = cli.add_subcommand("demo", "Demo data");
    demo_cmd->require_subcommand(1);
    auto* load_cmd = demo_cmd->add_subcommand("load", "Load the demo meeting (idempotent)");
    add_config_flags(load_cmd, flags);

    CLI11_PARSE(cli, argc, argv);
    try {
        if (serve_cmd->parsed()) return serve(flags);
        if (migrate_cmd->parsed()) return migrate(flags);
        if (backup_cmd->parsed()) return backup(flags, backup_to);
        if (copy_cmd->parsed()) return copy(copy_from, copy_to);
        if (create_cmd->parsed()) return account_create(flags, email, name, "admin");
        if (account_create_cmd->parsed()) return account_create(flags, email, name, role_option);
        if (load_cmd->parsed()) return demo_load(flags);
    } catch (const std::exception& e) {
        std::cerr << "rencontres: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
