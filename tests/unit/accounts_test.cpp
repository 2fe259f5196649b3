#include "domain/accounts/invitations.hpp"
#include "domain/accounts/service.hpp"
#include "domain/events/service.hpp"
#include "domain/store.hpp"
#include "fakes.hpp"

#include <gtest/gtest.h>

namespace rencontres {
namespace {

using testing::at;

struct accounts_fixture : ::testing::Test {
    testing::memory_store db;
    testing::fake_hasher hasher;
    testing::fake_minter minter;
    login_throttle throttle{{3, 10, 100, std::chrono::seconds{600}}};
    testing::fake_sealer sealer;
    account_service service{db,       hasher, minter,
                            throttle, sealer, {std::chrono::hours{1}, std::chrono::hours{48}}};

    // The token of the newest verification link written to the outbox.
    std::string last_verification_token() {
        for (auto it = db.state.outbox.rbegin(); it != db.state.outbox.rend(); ++it) {
            if (it->kind != message_kind::account_verification) continue;
            return sealer.open(it->sealed_token.value_or("")).value_or("");
        }
        return {};
    }
    const instant now = at("2026-11-26T10:00:00Z");

    account make(const char* email, role r) {
        auto created = service.sign_up({email, "correct horse battery", "Someone"}, now);
        EXPECT_TRUE(created);
        db.state.accounts[created->id].role = r;
        return db.state.accounts[created->id];
    }
};

TEST_F(accounts_fixture, sign_up_normalizes_the_email_and_hashes_the_password) {
    const auto created =
        service.sign_up({"  Camille@Demo.Invalid ", "0123456789", " Camille "}, now);
    ASSERT_TRUE(created);
    EXPECT_EQ(created->email, "camille@demo.invalid");
    EXPECT_EQ(created->display_name, "Camille");
    EXPECT_EQ(created->role, role::participant);
    EXPECT_EQ(db.state.accounts.at(created->id).password_hash, "hashed:0123456789");
}

TEST_F(accounts_fixture, sign_up_queues_a_single_use_verification_link) {
    const auto created = service.sign_up({"camille@demo.invalid", "0123456789", "Camille"}, now);
    ASSERT_TRUE(created);
    EXPECT_FALSE(created->email_verified);
    ASSERT_EQ(db.state.outbox.size(), 1u);
    const auto& m = db.state.outbox[0];
    EXPECT_EQ(m.kind, message_kind::account_verification);
    EXPECT_EQ(m.recipient, "camille@demo.invalid");
    EXPECT_EQ(m.account_id, created->id);
    // The token is kept sealed beside the body, never in it: a copy of the database, an export or
    // a listing of the body reveals no usable link.
    EXPECT_EQ(m.body.find("token-1"), std::string::npos) << m.body;
    EXPECT_EQ(m.sealed_token, "sealed:token-1");
    // Only the digest is stored, expiring after 48 hours.
    ASSERT_EQ(db.state.verifications.count("digest:token-1"), 1u);
    EXPECT_EQ(db.state.verifications.at("digest:token-1").expires_at, now + std::chrono::hours{48});

    const auto verified = service.verify_email("token-1", now + std::chrono::hours{47});
    ASSERT_TRUE(verified);
    EXPECT_TRUE(verified->email_verified);
    EXPECT_TRUE(db.state.accounts.at(created->id).email_verified);

    const auto again = service.verify_email("token-1", now + std::chrono::hours{47});
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, errc::invalid);
    EXPECT_EQ(again.error().fields.at(0).field, "token");
}

TEST_F(accounts_fixture, an_expired_or_unknown_verification_token_proves_nothing) {
    const auto created = service.sign_up({"camille@demo.invalid", "0123456789", "Camille"}, now);
    ASSERT_TRUE(created);
    const auto late = service.verify_email("token-1", now + std::chrono::hours{48});
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, errc::invalid);
    const auto wrong = service.verify_email("token-2", now);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, errc::invalid);
    EXPECT_FALSE(db.state.accounts.at(created->id).email_verified);
}

TEST_F(accounts_fixture, a_new_verification_link_is_throttled) {
    const auto created = service.sign_up({"camille@demo.invalid", "0123456789", "Camille"}, now);
    ASSERT_TRUE(created);
    const actor me{created->id, role::participant};
    const auto too_soon = service.resend_verification(me, now + std::chrono::seconds{10});
    ASSERT_FALSE(too_soon);
    EXPECT_EQ(too_soon.error().code, errc::rate_limited);
    EXPECT_EQ(too_soon.error().retry_after_seconds, 50);
    // Four more, a minute apart, reach five in the hour; the sixth waits.
    for (int i = 1; i <= 4; ++i)
        EXPECT_TRUE(service.resend_verification(me, now + std::chrono::minutes{i}));
    const auto sixth = service.resend_verification(me, now + std::chrono::minutes{5});
    ASSERT_FALSE(sixth);
    EXPECT_EQ(sixth.error().code, errc::rate_limited);
    EXPECT_EQ(db.state.outbox.size(), 5u);
    // The newest link works.
    EXPECT_EQ(last_verification_token(), "token-5");
    ASSERT_TRUE(service.verify_email("token-5", now + std::chrono::minutes{6}));
    const auto done = service.resend_verification(me, now + std::chrono::hours{2});
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().code, errc::conflict);
}

TEST_F(accounts_fixture, an_admin_made_on_the_command_line_is_verified) {
    const auto admin = service.create_admin({"root@demo.invalid", "0123456789", "Root"}, now);
    ASSERT_TRUE(admin);
    EXPECT_TRUE(admin->email_verified);
    EXPECT_TRUE(db.state.outbox.empty());
}

TEST_F(accounts_fixture, sign_up_lists_every_invalid_field) {
    const auto created = service.sign_up({"not-an-email", "short", ""}, now);
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().code, errc::invalid);
    const std::vector<field_error> expected{
        {"email", field_rule::format, "is not a valid email address"},
        {"password", field_rule::length, "must be at least 10 characters"},
        {"display_name", field_rule::length,
         "must be 1 to 120 characters, without control characters"}};
    EXPECT_EQ(created.error().fields, expected);
    EXPECT_TRUE(db.state.accounts.empty());
}

TEST_F(accounts_fixture, a_password_counts_characters_not_bytes) {
    EXPECT_FALSE(service.sign_up({"a@x.fr", "ééééééééé", "A"}, now)); // 9 characters, 18 bytes
    EXPECT_TRUE(service.sign_up({"a@x.fr", "éééééééééé", "A"}, now));
}

TEST_F(accounts_fixture, sign_up_refuses_an_email_already_taken_in_another_case) {
    ASSERT_TRUE(service.sign_up({"a@x.fr", "0123456789", "A"}, now));
    const auto again = service.sign_up({"A@X.FR", "9876543210", "B"}, now);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, errc::conflict);
}

TEST_F(accounts_fixture, issue_token_returns_a_token_that_authenticates_until_it_expires) {
    const auto holder = make("a@x.fr", role::organizer);
    const auto issued = service.issue_token({"A@x.fr", "correct horse battery", "1.2.3.4"}, now);
    ASSERT_TRUE(issued);
    EXPECT_EQ(issued->expires_at, now + std::chrono::hours{1});
    EXPECT_EQ(issued->holder.id, holder.id);
    // Only the digest is stored.
    EXPECT_EQ(db.state.tokens.count("digest:" + issued->token), 1u);
    EXPECT_EQ(db.state.tokens.count(issued->token), 0u);

    const auto who = service.authenticate(issued->token, now + std::chrono::minutes{59});
    ASSERT_TRUE(who);
    EXPECT_EQ(who->account_id, holder.id);
    EXPECT_EQ(who->role, role::organizer);
    const auto late = service.authenticate(issued->token, now + std::chrono::hours{1});
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, errc::unauthenticated);
}

TEST_F(accounts_fixture, wrong_password_and_unknown_email_get_the_same_answer) {
    make("a@x.fr", role::participant);
    const auto wrong = service.issue_token({"a@x.fr", "wrong password", "c"}, now);
    const auto unknown = service.issue_token({"nobody@x.fr", "wrong password", "c"}, now);
    ASSERT_FALSE(wrong);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(wrong.error().code, errc::unauthenticated);
    EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(accounts_fixture,
       repeated_failures_for_an_email_are_rate_limited_even_with_the_right_password) {
    make("a@x.fr", role::participant);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(service.issue_token({"a@x.fr", "wrong", "c"}, now).error().code,
                  errc::unauthenticated);
    const auto blocked = service.issue_token({"a@x.fr", "correct horse battery", "c"},
                                             now + std::chrono::seconds{10});
    ASSERT_FALSE(blocked);
    EXPECT_EQ(blocked.error().code, errc::rate_limited);
    EXPECT_EQ(blocked.error().retry_after_seconds, 590);
    // Once the window is over the right password works again.
    EXPECT_TRUE(service.issue_token({"a@x.fr", "correct horse battery", "c"},
                                    now + std::chrono::seconds{600}));
}

TEST_F(accounts_fixture, revoked_tokens_no_longer_authenticate) {
    make("a@x.fr", role::participant);
    const auto issued = service.issue_token({"a@x.fr", "correct horse battery", "c"}, now);
    ASSERT_TRUE(issued);
    ASSERT_TRUE(service.revoke_token(issued->token));
    EXPECT_FALSE(service.authenticate(issued->token, now));
}

TEST_F(accounts_fixture, only_admins_list_and_change_accounts) {
    const auto admin = make("admin@x.fr", role::admin);
    const auto organizer = make("orga@x.fr", role::organizer);
    EXPECT_EQ(service.list(actor{organizer.id, role::organizer}, {}).error().code, errc::forbidden);
    EXPECT_EQ(service.list(actor::anonymous(), {}).error().code, errc::unauthenticated);
    const auto all = service.list(actor{admin.id, role::admin}, {});
    ASSERT_TRUE(all);
    EXPECT_EQ(all->items.size(), 2u);

    const auto denied = service.update(actor{organizer.id, role::organizer}, organizer.id,
                                       {"admin", std::nullopt}, {}, now);
    EXPECT_EQ(denied.error().code, errc::forbidden);
    EXPECT_EQ(db.state.accounts.at(organizer.id).role, role::organizer);
}

TEST_F(accounts_fixture, an_admin_changes_a_role_and_the_change_is_audited) {
    const auto admin = make("admin@x.fr", role::admin);
    const auto someone = make("p@x.fr", role::participant);
    const auto changed =
        service.update(actor{admin.id, role::admin}, someone.id, {"jury", std::nullopt}, {}, now);
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->role, role::jury);
    ASSERT_EQ(db.state.audit.size(), 1u);
    EXPECT_EQ(db.state.audit[0].action, "update_account");
    EXPECT_EQ(db.state.audit[0].actor_id, admin.id);
    EXPECT_EQ(db.state.audit[0].entity_id, std::to_string(someone.id));
    EXPECT_EQ(db.state.audit[0].summary, "role: participant -> jury; ");
}

TEST_F(accounts_fixture, the_last_admin_keeps_the_admin_role) {
    const auto admin = make("admin@x.fr", role::admin);
    const auto r = service.update(actor{admin.id, role::admin}, admin.id,
                                  {"participant", std::nullopt}, {}, now);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::conflict);
    EXPECT_EQ(db.state.accounts.at(admin.id).role, role::admin);
}

TEST_F(accounts_fixture, a_failed_precondition_changes_nothing) {
    const auto admin = make("admin@x.fr", role::admin);
    const auto someone = make("p@x.fr", role::participant);
    const auto r = service.update(
        actor{admin.id, role::admin}, someone.id, {"jury", std::nullopt},
        [](const account&) { return false; }, now);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::precondition_failed);
    EXPECT_EQ(db.state.accounts.at(someone.id).role, role::participant);
    EXPECT_TRUE(db.state.audit.empty());
}

TEST_F(accounts_fixture, an_unknown_role_is_invalid) {
    const auto admin = make("admin@x.fr", role::admin);
    const auto r =
        service.update(actor{admin.id, role::admin}, admin.id, {"root", std::nullopt}, {}, now);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::invalid);
    EXPECT_EQ(r.error().fields.at(0).field, "role");
}

throttle_settings throttle_of(int per_pair, int per_client, int per_email) {
    throttle_settings t;
    t.max_failures_per_email_and_client = per_pair;
    t.max_failures_per_client = per_client;
    t.max_failures_per_email = per_email;
    t.window = std::chrono::seconds{60};
    return t;
}

TEST(login_throttle, limits_each_client_address_across_emails) {
    login_throttle throttle(throttle_of(100, 3, 100));
    const auto now = at("2026-11-26T10:00:00Z");
    for (int i = 0; i < 3; ++i)
        throttle.failed("user" + std::to_string(i) + "@x.fr", "10.0.0.1", now);
    EXPECT_EQ(throttle.blocked("other@x.fr", "10.0.0.1", now), std::chrono::seconds{60});
    EXPECT_FALSE(throttle.blocked("other@x.fr", "10.0.0.2", now));
    EXPECT_FALSE(throttle.blocked("other@x.fr", "10.0.0.1", now + std::chrono::seconds{60}));
}

TEST(login_throttle, a_stranger_cannot_lock_a_chosen_person_out) {
    login_throttle throttle(throttle_of(5, 20, 100));
    const auto now = at("2026-11-26T10:00:00Z");
    for (int i = 0; i < 5; ++i)
        throttle.failed("victim@x.fr", "203.0.113.9", now);
    // The stranger's own attempts at that email are blocked; the owner elsewhere is not.
    EXPECT_EQ(throttle.blocked("victim@x.fr", "203.0.113.9", now), std::chrono::seconds{60});
    EXPECT_FALSE(throttle.blocked("victim@x.fr", "198.51.100.7", now));
}

TEST(login_throttle, an_email_alone_is_blocked_only_at_its_higher_threshold) {
    login_throttle throttle(throttle_of(5, 20, 12));
    const auto now = at("2026-11-26T10:00:00Z");
    for (int i = 0; i < 11; ++i)
        throttle.failed("victim@x.fr", "10.0.0." + std::to_string(i), now);
    EXPECT_FALSE(throttle.blocked("victim@x.fr", "10.0.1.1", now));
    throttle.failed("victim@x.fr", "10.0.0.99", now);
    EXPECT_EQ(throttle.blocked("victim@x.fr", "10.0.1.1", now), std::chrono::seconds{60});
}

TEST(login_throttle, a_success_clears_the_pair_count) {
    login_throttle throttle(throttle_of(2, 100, 100));
    const auto now = at("2026-11-26T10:00:00Z");
    throttle.failed("a@x.fr", "c", now);
    throttle.succeeded("a@x.fr", "c");
    throttle.failed("a@x.fr", "c", now);
    EXPECT_FALSE(throttle.blocked("a@x.fr", "c", now));
    throttle.failed("a@x.fr", "c", now);
    EXPECT_EQ(throttle.blocked("a@x.fr", "c", now), std::chrono::seconds{60});
}

TEST(login_throttle, sign_ups_are_counted_per_client) {
    throttle_settings t;
    t.max_sign_ups_per_client = 2;
    t.sign_up_window = std::chrono::seconds{600};
    login_throttle throttle(t);
    const auto now = at("2026-11-26T10:00:00Z");
    EXPECT_FALSE(throttle.admit_sign_up("10.0.0.1", now));
    EXPECT_FALSE(throttle.admit_sign_up("10.0.0.1", now));
    EXPECT_EQ(throttle.admit_sign_up("10.0.0.1", now + std::chrono::seconds{100}),
              std::chrono::seconds{500});
    EXPECT_FALSE(throttle.admit_sign_up("10.0.0.2", now));
    EXPECT_FALSE(throttle.admit_sign_up("10.0.0.1", now + std::chrono::seconds{600}));
}

} // namespace
} // namespace rencontres

namespace rencontres {
namespace {

TEST_F(accounts_fixture, a_console_session_ends_after_its_lifetime_however_busy) {
    ASSERT_TRUE(service.create_with_role({"orga@demo.invalid", "0123456789", "Orga"},
                                         role::organizer, now));
    const auto opened = service.open_session({"orga@demo.invalid", "0123456789", "1.2.3.4"}, now);
    ASSERT_TRUE(opened);
    // Used every hour, it never idles; at twelve hours it ends all the same.
    for (int hour = 1; hour < 12; ++hour)
        ASSERT_TRUE(service.session_account(opened->token, now + std::chrono::hours{hour})) << hour;
    const auto late = service.session_account(opened->token, now + std::chrono::hours{12});
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, errc::unauthenticated);
}

} // namespace
} // namespace rencontres

namespace rencontres {
namespace {

TEST(login_throttle, anonymous_registrations_are_counted_per_client_and_zero_means_no_limit) {
    throttle_settings s;
    s.max_registrations_per_client = 2;
    s.registration_window = std::chrono::seconds{600};
    login_throttle throttle{s};
    const auto now = testing::at("2026-11-26T10:00:00Z");
    EXPECT_FALSE(throttle.admit_registration("10.0.0.1", now));
    EXPECT_FALSE(throttle.admit_registration("10.0.0.1", now));
    EXPECT_EQ(throttle.admit_registration("10.0.0.1", now + std::chrono::seconds{100}),
              std::chrono::seconds{500});
    EXPECT_FALSE(throttle.admit_registration("10.0.0.2", now)) << "another client";
    EXPECT_FALSE(throttle.admit_sign_up("10.0.0.1", now)) << "sign-ups are counted apart";
    EXPECT_FALSE(throttle.admit_registration("10.0.0.1", now + std::chrono::seconds{600}));
    s.max_registrations_per_client = 0;
    login_throttle unlimited{s};
    for (int i = 0; i < 100; ++i)
        ASSERT_FALSE(unlimited.admit_registration("10.0.0.1", now));
}

// The token of the newest message of `kind` written to the outbox.
std::string last_token(testing::memory_store& db, testing::fake_sealer& sealer, message_kind kind) {
    for (auto it = db.state.outbox.rbegin(); it != db.state.outbox.rend(); ++it)
        if (it->kind == kind) return sealer.open(it->sealed_token.value_or("")).value_or("");
    return {};
}

TEST_F(accounts_fixture, a_password_link_works_for_one_hour_and_once) {
    const auto holder = make("camille@x.fr", role::organizer);
    ASSERT_TRUE(service.request_password_reset("camille@x.fr", "10.0.0.1", now));
    const auto token = last_token(db, sealer, message_kind::password_reset);
    ASSERT_FALSE(token.empty());
    const auto late =
        service.reset_password(token, "a brand new passphrase", now + std::chrono::minutes{61});
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().fields.at(0).broken, field_rule::link_expired);

    ASSERT_TRUE(
        service.request_password_reset("camille@x.fr", "10.0.0.1", now + std::chrono::hours{2}));
    const auto fresh = last_token(db, sealer, message_kind::password_reset);
    const auto in_time = now + std::chrono::hours{2} + std::chrono::minutes{59};
    const auto changed = service.reset_password(fresh, "a brand new passphrase", in_time);
    ASSERT_TRUE(changed);
    EXPECT_EQ(db.state.accounts[holder.id].password_hash, hasher.hash("a brand new passphrase"));
    EXPECT_FALSE(service.reset_password(fresh, "another passphrase!", in_time));
    // An address without an account: the same answer, nothing written.
    const auto before = db.state.outbox.size();
    ASSERT_TRUE(service.request_password_reset("nobody@x.fr", "10.0.0.1", in_time));
    EXPECT_EQ(db.state.outbox.size(), before);
}

struct invitations_fixture : accounts_fixture {
    testing::recording_observer observer;
    event_service events{db, observer};
    invitation_service invitations{db, hasher, minter, sealer, events, observer};
    const actor admin{make("admin@x.fr", role::admin).id, role::admin};
};

TEST_F(invitations_fixture, an_invitation_link_works_for_seven_days) {
    const auto sent = invitations.invite(admin, {"j@x.fr", "Jeanne", "jury", std::nullopt}, now);
    ASSERT_TRUE(sent);
    EXPECT_EQ(sent->expires_at, now + std::chrono::hours{24 * 7});
    const auto token = last_token(db, sealer, message_kind::account_invitation);
    const auto late = invitations.accept({token, "correct horse battery", std::nullopt},
                                         now + std::chrono::hours{24 * 7});
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().fields.at(0).broken, field_rule::link_expired);
    // Expired, it can be invited again (the old one makes way) or sent again.
    const auto again = invitations.invite(admin, {"j@x.fr", "Jeanne", "jury", std::nullopt},
                                          now + std::chrono::hours{24 * 8});
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(db.state.invitations.size(), 1u);
    const auto made = invitations.accept({last_token(db, sealer, message_kind::account_invitation),
                                          "correct horse battery", std::nullopt},
                                         now + std::chrono::hours{24 * 14});
    ASSERT_TRUE(made);
    EXPECT_EQ(made->role, role::jury);
    EXPECT_TRUE(made->email_verified);
    EXPECT_TRUE(db.state.invitations.empty());
}

} // namespace
} // namespace rencontres
