#include "domain/agenda/service.hpp"
#include "domain/events/service.hpp"
#include "domain/notifications/service.hpp"
#include "domain/registrations/service.hpp"
#include "fakes.hpp"

#include <gtest/gtest.h>

namespace rencontres {
namespace {

using testing::at;

struct registrations_fixture : ::testing::Test {
    testing::memory_store db;
    testing::recording_observer observer;
    testing::fake_minter minter;
    testing::fake_sealer sealer;
    event_service events{db, observer};
    session_service sessions{db, observer};
    registration_service registrations{db, minter, sealer};
    const instant now = at("2026-11-26T10:00:00Z");
    const actor owner{100, role::organizer};
    const actor admin{101, role::admin};
    std::string event_id;
    id_t workshop = 0;

    void SetUp() override {
        event_fields f;
        f.title = "Rencontre";
        f.starts_at = "2026-12-11T09:00:00+01:00";
        f.ends_at = "2026-12-11T17:00:00+01:00";
        f.venue_city = "Guéret";
        f.capacity = std::optional<long long>{2};
        const auto e = events.create_event(owner, f, now);
        event_id = id_text(e->id);
        session_fields s;
        s.title = "Atelier";
        s.kind = "workshop";
        s.starts_at = "2026-12-11T14:00:00+01:00";
        s.ends_at = "2026-12-11T15:00:00+01:00";
        s.capacity = std::optional<long long>{1};
        workshop = sessions.create_session(owner, event_id, s, now)->id;
        ASSERT_TRUE(events.publish_event(owner, event_id, now));
    }
    registration_command person(const std::string& name, std::vector<std::string> sessions = {}) {
        return {name, name + "@x.fr", std::nullopt, std::nullopt, std::move(sessions), true};
    }
    registration_receipt sign(const std::string& name, std::vector<std::string> s = {}) {
        auto r = registrations.register_participant(actor::anonymous(), event_id, person(name, s),
                                                    std::nullopt, {}, now);
        EXPECT_TRUE(r) << (r ? "" : r.error().message);
        return *r->receipt;
    }
    std::vector<message_kind> kinds() const {
        std::vector<message_kind> out;
        for (const auto& m : db.state.outbox)
            out.push_back(m.kind);
        return out;
    }
};

TEST_F(registrations_fixture, confirms_while_seats_remain_then_waitlists_in_order) {
    EXPECT_EQ(sign("a").registration.status, registration_status::confirmed);
    EXPECT_EQ(sign("b").registration.status, registration_status::confirmed);
    const auto c = sign("c").registration;
    const auto d = sign("d").registration;
    EXPECT_EQ(c.status, registration_status::waitlisted);
    EXPECT_EQ(c.waitlist_position, 1);
    EXPECT_EQ(d.waitlist_position, 2);
    EXPECT_EQ(kinds(), (std::vector<message_kind>{message_kind::registration_confirmed,
                                                  message_kind::registration_confirmed,
                                                  message_kind::registration_waitlisted,
                                                  message_kind::registration_waitlisted}));
}

TEST_F(registrations_fixture, the_secrets_are_kept_only_as_digests) {
    const auto r = sign("a");
    const auto& stored = db.state.registrations.at(r.registration.id);
    EXPECT_EQ(stored.manage_digest, "digest:" + r.manage_token);
    EXPECT_EQ(stored.feed_digest, "digest:" + r.feed_key);
    EXPECT_NE(r.manage_token, r.feed_key);
}

TEST_F(registrations_fixture,
       cancelling_a_seat_promotes_the_first_waitlisted_and_moves_the_rest_up) {
    const auto a = sign("a");
    sign("b");
    const auto c = sign("c").registration;
    const auto d = sign("d").registration;
    ASSERT_TRUE(registrations.cancel_registration(actor::anonymous(), a.registration.id,
                                                  a.manage_token, now));
    EXPECT_EQ(db.state.registrations.at(c.id).status, registration_status::confirmed);
    const auto moved = registrations.get_registration(owner, d.id, std::nullopt);
    EXPECT_EQ(moved->status, registration_status::waitlisted);
    EXPECT_EQ(moved->waitlist_position, 1);
    EXPECT_EQ(kinds().back(), message_kind::waitlist_promoted);
    EXPECT_EQ(registrations.event_stats(owner, event_id)->confirmed, 2);
}

TEST_F(registrations_fixture, cancelling_a_waitlisted_registration_promotes_nobody) {
    sign("a");
    sign("b");
    const auto c = sign("c");
    const auto d = sign("d").registration;
    ASSERT_TRUE(registrations.cancel_registration(actor::anonymous(), c.registration.id,
                                                  c.manage_token, now));
    EXPECT_EQ(db.state.registrations.at(d.id).status, registration_status::waitlisted);
    EXPECT_EQ(registrations.get_registration(owner, d.id, std::nullopt)->waitlist_position, 1);
}

TEST_F(registrations_fixture,
       a_raised_capacity_promotes_as_many_as_fit_and_a_lowered_one_unconfirms_nobody) {
    for (const auto* n : {"a", "b", "c", "d", "e"})
        sign(n);
    event_fields more;
    more.capacity = std::optional<long long>{4};
    ASSERT_TRUE(events.update_event(owner, event_id, more, {}, now));
    auto stats = registrations.event_stats(owner, event_id);
    EXPECT_EQ(stats->confirmed, 4);
    EXPECT_EQ(stats->waitlisted, 1);
    event_fields less;
    less.capacity = std::optional<long long>{1};
    ASSERT_TRUE(events.update_event(owner, event_id, less, {}, now));
    stats = registrations.event_stats(owner, event_id);
    EXPECT_EQ(stats->confirmed, 4);
    EXPECT_EQ(stats->capacity, 1);
}

TEST_F(registrations_fixture, nobody_is_promoted_once_the_event_has_started) {
    const auto a = sign("a");
    sign("b");
    const auto c = sign("c").registration;
    const auto during = at("2026-12-11T10:00:00+01:00");
    ASSERT_TRUE(registrations.cancel_registration(owner, a.registration.id, std::nullopt, during));
    EXPECT_EQ(db.state.registrations.at(c.id).status, registration_status::waitlisted);
}

TEST_F(registrations_fixture, workshops_have_their_own_seats_and_waiting_list) {
    const auto w = id_text(workshop);
    const auto a = sign("a", {w});
    const auto b = sign("b", {w});
    EXPECT_EQ(a.registration.sessions.at(0).status, registration_status::confirmed);
    EXPECT_EQ(b.registration.sessions.at(0).status, registration_status::waitlisted);
    EXPECT_EQ(b.registration.sessions.at(0).waitlist_position, 1);
    ASSERT_TRUE(registrations.cancel_registration(actor::anonymous(), a.registration.id,
                                                  a.manage_token, now));
    EXPECT_EQ(db.state.registrations.at(b.registration.id).sessions.at(0).status,
              registration_status::confirmed);
}

TEST_F(registrations_fixture, refuses_what_it_must) {
    auto no_consent = person("a");
    no_consent.consent = false;
    auto r = registrations.register_participant(actor::anonymous(), event_id, no_consent,
                                                std::nullopt, {}, now);
    EXPECT_EQ(r.error().code, errc::invalid);
    EXPECT_EQ(r.error().fields.at(0).field, "consent");
    auto bad_email = person("a");
    bad_email.email = "nope";
    EXPECT_EQ(
        registrations
            .register_participant(actor::anonymous(), event_id, bad_email, std::nullopt, {}, now)
            .error()
            .fields.at(0)
            .field,
        "email");
    sign("a");
    auto again = person("a");
    again.email = "  A@X.fr ";
    EXPECT_EQ(registrations
                  .register_participant(actor::anonymous(), event_id, again, std::nullopt, {}, now)
                  .error()
                  .code,
              errc::conflict);
    EXPECT_EQ(registrations
                  .register_participant(actor::anonymous(), event_id, person("late"), std::nullopt,
                                        {}, at("2026-12-11T09:00:00+01:00"))
                  .error()
                  .code,
              errc::conflict);
    EXPECT_EQ(registrations
                  .register_participant(actor::anonymous(), event_id, person("x", {"999"}),
                                        std::nullopt, {}, now)
                  .error()
                  .code,
              errc::invalid);
}

// One person cannot be in two places: two sessions whose times overlap are refused together,
// on registering and on changing workshops, naming both; one ending when the other starts goes.
TEST_F(registrations_fixture, sessions_that_overlap_cannot_be_held_together) {
    const auto add = [&](const char* title, const char* starts, const char* ends) {
        session_fields s;
        s.title = title;
        s.kind = "workshop";
        s.starts_at = starts;
        s.ends_at = ends;
        s.capacity = std::optional<long long>{5};
        return id_text(sessions.create_session(owner, event_id, s, now)->id);
    };
    const auto w = id_text(workshop); // 14:00-15:00
    const auto during = add("Pendant", "2026-12-11T14:30:00+01:00", "2026-12-11T15:30:00+01:00");
    const auto after = add("Après", "2026-12-11T15:00:00+01:00", "2026-12-11T16:00:00+01:00");
    const auto refused = registrations.register_participant(
        actor::anonymous(), event_id, person("a", {w, after, during}), std::nullopt, {}, now);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, errc::invalid);
    EXPECT_EQ(
        refused.error().fields,
        (std::vector<field_error>{{"session_ids", field_rule::sessions_overlap,
                                   "sessions " + w + " and " + during + " overlap in time"}}));
    EXPECT_EQ(refused.error().conflicts, (std::vector<std::string>{w, during}));
    EXPECT_TRUE(db.state.registrations.empty());
    // Back to back is fine.
    const auto held = sign("a", {w, after});
    ASSERT_EQ(held.registration.sessions.size(), 2u);
    registration_patch patch;
    patch.session_ids = std::vector<std::string>{after, during};
    const auto changed = registrations.update_registration(actor::anonymous(), held.registration.id,
                                                           held.manage_token, patch, now);
    ASSERT_FALSE(changed);
    EXPECT_EQ(changed.error().fields.at(0).broken, field_rule::sessions_overlap);
    EXPECT_EQ(changed.error().conflicts, (std::vector<std::string>{after, during}));
    // Nothing changed.
    const auto kept = registrations.get_registration(owner, held.registration.id, std::nullopt);
    ASSERT_EQ(kept->sessions.size(), 2u);
    EXPECT_EQ(id_text(kept->sessions[0].session_id), w);
    EXPECT_EQ(kept->sessions[0].status, registration_status::confirmed);
    EXPECT_EQ(id_text(kept->sessions[1].session_id), after);
}

// Names as the French write them: given and family names make the full name; the badges come
// by family name, then given name, with the family name in capitals; a full name alone still
// registers and sorts by itself.
TEST_F(registrations_fixture, given_and_family_names_make_the_full_name_and_order_the_badges) {
    event_fields more;
    more.capacity = std::optional<long long>{10};
    ASSERT_TRUE(events.update_event(owner, event_id, more, {}, now));
    const auto named = [&](const char* given, const char* family, const char* email) {
        registration_command c{"", email, std::nullopt, std::nullopt, {}, true};
        c.given_name = given;
        c.family_name = family;
        return registrations.register_participant(actor::anonymous(), event_id, c, std::nullopt, {},
                                                  now);
    };
    const auto amelie = named(" Amélie ", "Roux", "amelie@x.fr");
    ASSERT_TRUE(amelie);
    const auto& made = amelie->receipt->registration;
    EXPECT_EQ(made.full_name, "Amélie Roux");
    EXPECT_EQ(made.given_name, "Amélie");
    EXPECT_EQ(made.family_name, "Roux");
    ASSERT_TRUE(named("Jean-Pierre", "Delage", "jp@x.fr"));
    ASSERT_TRUE(named("Thomas", "Nguyen", "thomas@x.fr"));
    ASSERT_TRUE(named("Jean", "de La Fontaine", "jean@x.fr"));
    sign("camille"); // a full name alone: by itself, under C
    const auto sheet = registrations.badges(owner, event_id);
    ASSERT_TRUE(sheet);
    std::vector<std::string> printed;
    for (const auto& b : sheet->badges)
        printed.push_back(b.full_name);
    EXPECT_EQ(printed,
              (std::vector<std::string>{"camille", "Jean-Pierre DELAGE", "Jean DE LA FONTAINE",
                                        "Thomas NGUYEN", "Amélie ROUX"}));

    // One without the other, or beside a full name: 422 naming the field.
    registration_command half{"", "half@x.fr", std::nullopt, std::nullopt, {}, true};
    half.given_name = "Paul";
    auto refused = registrations.register_participant(actor::anonymous(), event_id, half,
                                                      std::nullopt, {}, now);
    ASSERT_FALSE(refused);
    EXPECT_EQ(
        refused.error().fields,
        (std::vector<field_error>{{"family_name", field_rule::length,
                                   "must be 1 to 100 characters, without control characters"}}));
    registration_command both{"Paul Martin", "both@x.fr", std::nullopt, std::nullopt, {}, true};
    both.given_name = "Paul";
    both.family_name = "Martin";
    refused = registrations.register_participant(actor::anonymous(), event_id, both, std::nullopt,
                                                 {}, now);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().fields.at(0).field, "full_name");
    EXPECT_EQ(refused.error().fields.at(0).broken, field_rule::not_accepted);
}

TEST_F(registrations_fixture, a_registration_window_is_enforced) {
    event_fields window;
    window.registration_opens_at = std::optional<std::string>{"2026-12-01T00:00:00+01:00"};
    window.registration_closes_at = std::optional<std::string>{"2026-12-05T00:00:00+01:00"};
    ASSERT_TRUE(events.update_event(owner, event_id, window, {}, now));
    EXPECT_EQ(
        registrations
            .register_participant(actor::anonymous(), event_id, person("a"), std::nullopt, {}, now)
            .error()
            .message,
        "Registration has not opened yet.");
    EXPECT_TRUE(registrations.register_participant(actor::anonymous(), event_id, person("a"),
                                                   std::nullopt, {}, at("2026-12-02T00:00:00Z")));
    EXPECT_EQ(registrations
                  .register_participant(actor::anonymous(), event_id, person("b"), std::nullopt, {},
                                        at("2026-12-06T00:00:00Z"))
                  .error()
                  .message,
              "Registration is closed.");
}

TEST_F(registrations_fixture, an_idempotency_key_replays_the_first_reply_and_refuses_another_body) {
    const auto render = [](const registration_receipt& r) {
        return stored_reply{201, "reply for " + std::to_string(r.registration.id)};
    };
    const idempotency key{"k1", "hash-1"};
    const auto first = registrations.register_participant(actor::anonymous(), event_id, person("a"),
                                                          key, render, now);
    ASSERT_TRUE(first && first->receipt);
    EXPECT_EQ(db.state.replies.begin()->second.reply.body,
              "sealed:reply for " + std::to_string(first->receipt->registration.id));
    const auto second = registrations.register_participant(actor::anonymous(), event_id,
                                                           person("a"), key, render, now);
    ASSERT_TRUE(second && second->replay);
    EXPECT_EQ(second->replay->body, "reply for " + std::to_string(first->receipt->registration.id));
    EXPECT_EQ(db.state.registrations.size(), 1u);
    const auto other = registrations.register_participant(actor::anonymous(), event_id, person("b"),
                                                          idempotency{"k1", "hash-2"}, render, now);
    EXPECT_EQ(other.error().code, errc::invalid);
}

TEST_F(registrations_fixture, only_the_token_or_the_organizers_reach_a_registration) {
    const auto a = sign("a");
    const auto id = a.registration.id;
    EXPECT_TRUE(registrations.get_registration(actor::anonymous(), id, a.manage_token));
    EXPECT_EQ(registrations.get_registration(actor::anonymous(), id, std::nullopt).error().code,
              errc::unauthenticated);
    EXPECT_EQ(
        registrations.get_registration(actor::anonymous(), id, std::string("wrong")).error().code,
        errc::not_found);
    EXPECT_EQ(
        registrations.get_registration(actor{101, role::organizer}, id, std::nullopt).error().code,
        errc::not_found);
    EXPECT_TRUE(registrations.get_registration(owner, id, std::nullopt));
    EXPECT_TRUE(registrations.get_registration(actor{102, role::admin}, id, std::nullopt));
}

TEST_F(registrations_fixture, check_in_once_and_only_when_confirmed) {
    const auto a = sign("a").registration;
    sign("b");
    const auto c = sign("c").registration;
    EXPECT_TRUE(registrations.check_in(owner, a.id, now));
    EXPECT_EQ(registrations.check_in(owner, a.id, now).error().code, errc::conflict);
    EXPECT_EQ(registrations.check_in(owner, c.id, now).error().code, errc::conflict);
    EXPECT_EQ(registrations.check_in(actor::anonymous(), a.id, now).error().code,
              errc::unauthenticated);
    EXPECT_EQ(registrations.event_stats(owner, event_id)->checked_in, 1);
}

// A check-in made by mistake is undone by the organizers: counted out again, audited, and the
// attendance certificate's message, not sent yet, withdrawn; undoing twice is a 409.
TEST_F(registrations_fixture, a_check_in_made_by_mistake_is_undone_and_audited) {
    const auto a = sign("a").registration;
    ASSERT_TRUE(registrations.check_in(owner, a.id, now));
    const auto certificates = [&] {
        return std::count_if(db.state.outbox.begin(), db.state.outbox.end(), [&](const auto& m) {
            return m.kind == message_kind::certificate_ready && m.registration_id == a.id;
        });
    };
    EXPECT_EQ(certificates(), 1);
    EXPECT_EQ(registrations.undo_check_in(actor::anonymous(), a.id, now).error().code,
              errc::unauthenticated);
    const actor stranger{555, role::organizer};
    EXPECT_EQ(registrations.undo_check_in(stranger, a.id, now).error().code, errc::not_found);
    const auto undone = registrations.undo_check_in(owner, a.id, now);
    ASSERT_TRUE(undone);
    EXPECT_EQ(undone->checked_in_at, std::nullopt);
    EXPECT_EQ(certificates(), 0);
    EXPECT_EQ(registrations.event_stats(owner, event_id)->checked_in, 0);
    EXPECT_EQ(db.state.audit.back().action, "undo_check_in");
    EXPECT_EQ(db.state.audit.back().entity_id, id_text(a.id));
    const auto again = registrations.undo_check_in(owner, a.id, now);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, errc::conflict);
    EXPECT_EQ(again.error().broken, rule::no_check_in_to_undo);
    // And checked in again, with a new certificate message.
    EXPECT_TRUE(registrations.check_in(owner, a.id, now));
    EXPECT_EQ(certificates(), 1);
}

// Someone who did not register, entered at the door: confirmed and checked in at once; a full
// event takes them only "sur place"; without an address nothing is ever sent to them.
TEST_F(registrations_fixture, a_walk_in_is_registered_and_checked_in_at_once) {
    sign("a");
    sign("b"); // capacity 2: full
    walk_in_command c{"Léon", "Marchand", std::string("Mairie"), std::nullopt, false};
    auto refused = registrations.register_walk_in(owner, event_id, c, now);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, errc::conflict);
    EXPECT_EQ(refused.error().broken, rule::event_full);
    EXPECT_EQ(registrations.register_walk_in(actor::anonymous(), event_id, c, now).error().code,
              errc::unauthenticated);
    const auto outbox_before = db.state.outbox.size();
    c.beyond_capacity = true;
    const auto leon = registrations.register_walk_in(owner, event_id, c, now);
    ASSERT_TRUE(leon) << leon.error().message;
    EXPECT_EQ(leon->full_name, "Léon Marchand");
    EXPECT_EQ(leon->status, registration_status::confirmed);
    EXPECT_EQ(leon->checked_in_at, now);
    EXPECT_EQ(leon->email, "");
    EXPECT_EQ(db.state.outbox.size(), outbox_before) << "no address: nothing sent";
    EXPECT_EQ(db.state.audit.back().action, "register_walk_in");
    // A second one without an address is another person, not a duplicate.
    walk_in_command other{"Nina", "Sow", std::nullopt, std::string("  "), true};
    ASSERT_TRUE(registrations.register_walk_in(owner, event_id, other, now));
    const auto stats = registrations.event_stats(owner, event_id);
    EXPECT_EQ(stats->confirmed, 4);
    EXPECT_EQ(stats->checked_in, 2);
    // With an address: the confirmation and the certificate's notice, as for anyone.
    walk_in_command mailed{"Ada", "Roux", std::nullopt, std::string("ada@x.fr"), true};
    ASSERT_TRUE(registrations.register_walk_in(owner, event_id, mailed, now));
    EXPECT_EQ(db.state.outbox.size(), outbox_before + 2);
    walk_in_command bad{"", "X", std::nullopt, std::string("nope"), true};
    refused = registrations.register_walk_in(owner, event_id, bad, now);
    ASSERT_FALSE(refused);
    ASSERT_EQ(refused.error().fields.size(), 2u);
    EXPECT_EQ(refused.error().fields[0].field, "given_name");
    EXPECT_EQ(refused.error().fields[1].field, "email");
}

TEST_F(registrations_fixture, the_calendar_needs_the_feed_key) {
    const auto a = sign("a", {id_text(workshop)});
    const auto feed = registrations.calendar(a.registration.id, a.feed_key);
    ASSERT_TRUE(feed);
    ASSERT_EQ(feed->agenda.sessions.size(), 1u);
    EXPECT_EQ(feed->agenda.sessions[0].id, workshop);
    EXPECT_EQ(registrations.calendar(a.registration.id, a.manage_token).error().code,
              errc::not_found);
    EXPECT_EQ(registrations.calendar(a.registration.id, "").error().code, errc::not_found);
}

TEST_F(registrations_fixture, cancelling_the_event_notifies_every_active_registrant) {
    sign("a");
    sign("b");
    const auto c = sign("c");
    ASSERT_TRUE(registrations.cancel_registration(actor::anonymous(), c.registration.id,
                                                  c.manage_token, now));
    const auto before = db.state.outbox.size();
    ASSERT_TRUE(events.cancel_event(owner, event_id, "Intempéries", now));
    EXPECT_EQ(db.state.outbox.size(), before + 2);
    EXPECT_EQ(db.state.outbox.back().kind, message_kind::event_cancelled);
    EXPECT_NE(db.state.outbox.back().body.find("Intempéries"), std::string::npos);
}

// Answers every message with the outcome it is set to.
class scripted_sink final : public message_sink {
public:
    std::vector<delivery_report> deliver(const std::vector<outbox_message>& batch) override {
        for (const auto& m : batch)
            seen.push_back(m.id);
        return std::vector<delivery_report>(batch.size(), {outcome, error});
    }
    delivery_outcome outcome = delivery_outcome::retry_later;
    std::string error = "451 4.3.0 try again later";
    std::vector<id_t> seen;
};

TEST_F(registrations_fixture, a_temporary_failure_is_retried_with_backoff_then_delivered) {
    sign("a");
    notification_service notifications(db, {10, std::chrono::seconds{30}, std::chrono::hours{1}});
    scripted_sink sink;
    EXPECT_EQ(notifications.deliver_due(sink, now), 0);
    EXPECT_EQ(sink.seen.size(), 1u);
    const auto& m = db.state.outbox.at(0);
    EXPECT_EQ(m.status, delivery_status::pending);
    EXPECT_EQ(m.last_error, "451 4.3.0 try again later");
    // 30 s, plus a jitter of at most a quarter.
    EXPECT_GE(m.next_attempt_at, now + std::chrono::seconds{30});
    EXPECT_LE(m.next_attempt_at, now + std::chrono::milliseconds{37'500});
    EXPECT_EQ(notifications.deliver_due(sink, now + std::chrono::seconds{29}), 0)
        << "not due again yet";
    EXPECT_EQ(sink.seen.size(), 1u);
    sink.outcome = delivery_outcome::sent;
    EXPECT_EQ(notifications.deliver_due(sink, now + std::chrono::seconds{38}), 1);
    EXPECT_EQ(db.state.outbox.at(0).status, delivery_status::delivered);
    EXPECT_EQ(db.state.outbox.at(0).attempts, 2);
    EXPECT_FALSE(db.state.outbox.at(0).last_error);
}

TEST_F(registrations_fixture, a_rejected_message_fails_at_once_and_an_admin_queues_it_again) {
    sign("a");
    notification_service notifications(db);
    scripted_sink sink;
    sink.outcome = delivery_outcome::rejected;
    sink.error = "550 5.1.1 no such mailbox";
    EXPECT_EQ(notifications.deliver_due(sink, now), 0);
    const auto id = db.state.outbox.at(0).id;
    EXPECT_EQ(db.state.outbox.at(0).status, delivery_status::failed);
    EXPECT_EQ(db.state.outbox.at(0).last_error, "550 5.1.1 no such mailbox");
    EXPECT_EQ(notifications.deliver_due(sink, now + std::chrono::hours{48}), 0);
    EXPECT_EQ(sink.seen.size(), 1u) << "a failed message waits for an admin";
    const auto failed = notifications.list_outbox(admin, std::string("failed"), {});
    ASSERT_TRUE(failed);
    ASSERT_EQ(failed->items.size(), 1u);
    EXPECT_EQ(notifications.retry_message(owner, id, now).error().code, errc::forbidden);
    const auto queued = notifications.retry_message(admin, id, now);
    ASSERT_TRUE(queued);
    EXPECT_EQ(queued->status, delivery_status::pending);
    EXPECT_EQ(queued->attempts, 0);
    EXPECT_EQ(notifications.retry_message(admin, id, now).error().code, errc::conflict);
    sink.outcome = delivery_outcome::sent;
    EXPECT_EQ(notifications.deliver_due(sink, now), 1);
    EXPECT_EQ(notifications.retry_message(admin, id, now).error().code, errc::conflict);
    EXPECT_EQ(notifications.retry_message(admin, 999, now).error().code, errc::not_found);
    EXPECT_EQ(notifications.list_outbox(admin, std::string("lost"), {}).error().code,
              errc::invalid);
}

TEST_F(registrations_fixture, a_message_out_of_attempts_is_failed_with_its_last_error) {
    sign("a");
    notification_service notifications(db, {3, std::chrono::seconds{1}, std::chrono::seconds{4}});
    scripted_sink sink;
    auto at = now;
    for (int i = 0; i < 3; ++i) {
        notifications.deliver_due(sink, at);
        at += std::chrono::seconds{10};
    }
    EXPECT_EQ(sink.seen.size(), 3u);
    EXPECT_EQ(db.state.outbox.at(0).status, delivery_status::failed);
    EXPECT_EQ(db.state.outbox.at(0).attempts, 3);
    EXPECT_EQ(db.state.outbox.at(0).last_error, "451 4.3.0 try again later");
}

} // namespace
} // namespace rencontres
