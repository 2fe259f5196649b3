// The limit that Rencontres' registrations are compared with: the same registration
// transactions (the domain service over the SQLite store: seat decision, insert, outbox message,
// audit, in one transaction) called in a loop without HTTP, one commit per registration, so one
// fsync each with synchronous=FULL. Prints "<registrations/s> <p99 ms>" for scripts/bench.sh.
// Usage: registration_loop DATABASE SECONDS [full|normal]
#include "server/app/application.hpp"
#include "server/transport/logging.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using namespace rencontres;
    if (argc < 3) {
        std::fprintf(stderr, "usage: registration_loop DATABASE SECONDS [full|normal]\n");
        return 2;
    }
    security::initialize();
    config c;
    c.database.path = argv[1];
    c.database.synchronous = argc > 3 ? argv[3] : "full";
    c.log.level = "warn";
    validate(c);
    http::configure_logging(c.log.format, c.log.level);
    application app(c);
    const auto now = app.time().now();
    const auto admin = app.accounts().create_admin(
        {"loop@example.org", "registration loop password", "Loop"}, now);
    if (!admin) return 1;
    const actor who{admin->id, role::admin};
    event_fields fields;
    fields.title = "Inscriptions (boucle SQLite)";
    fields.starts_at = "2031-06-11T09:00:00+02:00";
    fields.ends_at = "2031-06-11T17:00:00+02:00";
    fields.venue_city = "Limoges";
    const auto created = app.events().create_event(who, fields, now);
    if (!created || !app.events().publish_event(who, id_text(created->id), now)) return 1;
    const auto event_id = id_text(created->id);
    const reply_renderer render = [](const registration_receipt&) { return stored_reply{201, {}}; };

    const auto seconds = std::chrono::seconds(std::stoi(argv[2]));
    const auto started = std::chrono::steady_clock::now();
    std::vector<double> latencies;
    for (long n = 0; std::chrono::steady_clock::now() - started < seconds; ++n) {
        registration_command command;
        command.full_name = "Participant " + std::to_string(n);
        command.email = "loop-" + std::to_string(n) + "@example.org";
        command.consent = true;
        const auto before = std::chrono::steady_clock::now();
        const auto done = app.registrations().register_participant(
            actor::anonymous(), event_id, command, std::nullopt, render, app.time().now());
        // One group per registration: its COMMIT (and fsync) before the next one.
        if (done) app.store().wait_durable(done->durable_after);
        latencies.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - before)
                .count());
        if (!done) {
            std::fprintf(stderr, "registration failed: %s\n", done.error().message.c_str());
            return 1;
        }
    }
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::sort(latencies.begin(), latencies.end());
    const double p99 = latencies[latencies.size() * 99 / 100];
    std::printf("%.2f %.3f\n", static_cast<double>(latencies.size()) / elapsed, p99);
    return 0;
}
