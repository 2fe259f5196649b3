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
