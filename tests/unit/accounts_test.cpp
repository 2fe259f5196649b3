#include "domain/accounts/service.hpp"
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
    login_throttle throttle{{3, 10, std::chrono::seconds{600}}};
    account_service service{db, hasher, minter, throttle, {std::chrono::hours{1}}};
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

TEST_F(accounts_fixture, sign_up_lists_every_invalid_field) {
    const auto created = service.sign_up({"not-an-email", "short", ""}, now);
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().code, errc::invalid);
    const std::vector<field_error> expected{
        {"email", "is not a valid email address"},
        {"password", "must be at least 10 characters"},
        {"display_name", "must be 1 to 120 characters, without control characters"}};
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

TEST(login_throttle, limits_each_client_address_across_emails) {
    login_throttle throttle({100, 3, std::chrono::seconds{60}});
    const auto now = at("2026-11-26T10:00:00Z");
    for (int i = 0; i < 3; ++i)
        throttle.failed("user" + std::to_string(i) + "@x.fr", "10.0.0.1", now);
    EXPECT_EQ(throttle.blocked("other@x.fr", "10.0.0.1", now), std::chrono::seconds{60});
    EXPECT_FALSE(throttle.blocked("other@x.fr", "10.0.0.2", now));
    EXPECT_FALSE(throttle.blocked("other@x.fr", "10.0.0.1", now + std::chrono::seconds{60}));
}

TEST(login_throttle, a_success_clears_the_email_count) {
    login_throttle throttle({2, 100, std::chrono::seconds{60}});
    const auto now = at("2026-11-26T10:00:00Z");
    throttle.failed("a@x.fr", "c", now);
    throttle.succeeded("a@x.fr");
    throttle.failed("a@x.fr", "c", now);
    EXPECT_FALSE(throttle.blocked("a@x.fr", "c", now));
    throttle.failed("a@x.fr", "c", now);
    EXPECT_TRUE(throttle.blocked("a@x.fr", "c", now));
}

} // namespace
} // namespace rencontres
