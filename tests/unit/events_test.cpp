#include "domain/agenda/service.hpp"
#include "domain/events/service.hpp"
#include "domain/speakers/service.hpp"
#include "fakes.hpp"

#include <gtest/gtest.h>

namespace rencontres {
namespace {

using testing::at;

struct events_fixture : ::testing::Test {
    testing::memory_store db;
    testing::recording_observer observer;
    event_service events{db, observer};
    session_service sessions{db, observer};
    speaker_service speakers{db, observer};
    const instant now = at("2026-11-26T10:00:00Z");
    const actor owner{100, role::organizer};
    const actor other{101, role::organizer};
    const actor admin{102, role::admin};
    const actor participant{103, role::participant};

    event_fields meeting(const char* title = "La révolution numérique en débat") {
        event_fields f;
        f.title = title;
        f.starts_at = "2018-12-11T09:00:00+01:00";
        f.ends_at = "2018-12-11T17:00:00+01:00";
        f.venue_city = "Aixe-sur-Vienne";
        return f;
    }
    event published(const char* title = "La révolution numérique en débat") {
        const auto created = events.create_event(owner, meeting(title), now);
        EXPECT_TRUE(created);
        const auto done = events.publish_event(owner, id_text(created->id), now);
        EXPECT_TRUE(done);
        return *done;
    }
};

TEST(slugify, folds_accents_and_joins_words_with_dashes) {
    EXPECT_EQ(slugify("La révolution numérique en débat"), "la-revolution-numerique-en-debat");
    EXPECT_EQ(slugify("  Quel projet ? Économie & « tiers-lieux »  "),
              "quel-projet-economie-tiers-lieux");
    EXPECT_EQ(slugify("!!!"), "event");
}

TEST(can_move, allows_only_forward_transitions) {
    EXPECT_TRUE(can_move(event_status::draft, event_status::published));
    // A draft was never public: it is deleted, never cancelled.
    EXPECT_FALSE(can_move(event_status::draft, event_status::cancelled));
    EXPECT_TRUE(can_move(event_status::published, event_status::cancelled));
    EXPECT_FALSE(can_move(event_status::published, event_status::draft));
    EXPECT_FALSE(can_move(event_status::cancelled, event_status::published));
    EXPECT_FALSE(can_move(event_status::cancelled, event_status::draft));
}

TEST_F(events_fixture, create_makes_a_draft_organized_by_the_caller_with_a_unique_slug) {
    const auto first = events.create_event(owner, meeting(), now);
    const auto second = events.create_event(other, meeting(), now);
    ASSERT_TRUE(first);
    ASSERT_TRUE(second);
    EXPECT_EQ(first->status, event_status::draft);
    EXPECT_EQ(first->organizer_ids, std::vector<id_t>{100});
    EXPECT_EQ(first->slug, "la-revolution-numerique-en-debat");
    EXPECT_EQ(second->slug, "la-revolution-numerique-en-debat-2");
    EXPECT_EQ(first->timezone, "Europe/Paris");
}

TEST_F(events_fixture, create_needs_an_organizer_and_valid_fields) {
    EXPECT_EQ(events.create_event(participant, meeting(), now).error().code, errc::forbidden);
    EXPECT_EQ(events.create_event(actor::anonymous(), meeting(), now).error().code,
              errc::unauthenticated);
    auto bad = meeting();
    bad.ends_at = "2018-12-11T08:00:00+01:00";
    bad.timezone = "Europe/Atlantis";
    bad.capacity = std::optional<long long>{-1};
    bad.host_territory_id = std::optional<id_t>{999};
    const auto r = events.create_event(owner, bad, now);
    ASSERT_FALSE(r);
    const std::vector<field_error> expected{
        {"timezone", field_rule::choice, "is not a known IANA time zone"},
        {"host_territory_id", field_rule::unknown, "is not a known territory"},
        {"capacity", field_rule::range, "must be a whole number from 0 to 1000000"},
        {"ends_at", field_rule::order, "must be after starts_at"}};
    EXPECT_EQ(r.error().fields, expected);
    auto local = meeting();
    local.starts_at = "2018-12-11T09:00:00";
    EXPECT_EQ(events.create_event(owner, local, now).error().fields.at(0),
              (field_error{"starts_at", field_rule::format,
                           "must be an RFC 3339 date and time with an offset"}));
}

TEST_F(events_fixture, a_draft_is_invisible_to_everyone_but_its_organizers_and_admins) {
    const auto draft = events.create_event(owner, meeting(), now);
    const auto id = id_text(draft->id);
    EXPECT_TRUE(events.get_event(owner, id));
    EXPECT_TRUE(events.get_event(admin, draft->slug));
    EXPECT_EQ(events.get_event(other, id).error().code, errc::not_found);
    EXPECT_EQ(events.get_event(actor::anonymous(), id).error().code, errc::not_found);
    // The same on every route that takes the event.
    EXPECT_EQ(sessions.get_agenda(other, id).error().code, errc::not_found);
    EXPECT_EQ(sessions.list_sessions(actor::anonymous(), id).error().code, errc::not_found);
    EXPECT_EQ(events.update_event(other, id, meeting(), {}, now).error().code, errc::not_found);
    EXPECT_EQ(events.publish_event(other, id, now).error().code, errc::not_found);
    EXPECT_EQ(events.delete_event(other, id, now).error().code, errc::not_found);
    EXPECT_EQ(sessions.create_session(other, id, {}, now).error().code, errc::not_found);
}

TEST_F(events_fixture, only_its_organizers_and_admins_change_a_published_event) {
    const auto e = published();
    const auto id = id_text(e.id);
    event_fields patch;
    patch.summary = "Nouveau résumé";
    EXPECT_EQ(events.update_event(other, id, patch, {}, now).error().code, errc::forbidden);
    EXPECT_EQ(events.update_event(participant, id, patch, {}, now).error().code, errc::forbidden);
    EXPECT_EQ(events.update_event(actor::anonymous(), id, patch, {}, now).error().code,
              errc::unauthenticated);
    EXPECT_EQ(events.cancel_event(other, id, "no", now).error().code, errc::forbidden);
    const auto changed = events.update_event(admin, id, patch, {}, now);
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->summary, "Nouveau résumé");
    EXPECT_EQ(changed->revision, e.revision + 1);
    EXPECT_EQ(observer.changed.back(), e.id);
}

TEST_F(events_fixture, publish_lists_everything_that_is_missing) {
    event_fields bare;
    bare.title = "Rencontre sans date";
    const auto draft = events.create_event(owner, bare, now);
    const auto r = events.publish_event(owner, id_text(draft->id), now);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::invalid);
    const std::vector<field_error> expected{
        {"starts_at", field_rule::required_to_publish, "is required to publish"},
        {"ends_at", field_rule::required_to_publish, "is required to publish"},
        {"venue.city", field_rule::required_to_publish, "is required to publish"}};
    EXPECT_EQ(r.error().fields, expected);
    EXPECT_EQ(db.state.events.at(draft->id).status, event_status::draft);
}

TEST_F(events_fixture, cancel_needs_a_reason_and_happens_once) {
    const auto e = published();
    const auto id = id_text(e.id);
    EXPECT_EQ(events.cancel_event(owner, id, "  ", now).error().fields.at(0).field, "reason");
    const auto cancelled = events.cancel_event(owner, id, "Intempéries", now);
    ASSERT_TRUE(cancelled);
    EXPECT_EQ(cancelled->status, event_status::cancelled);
    EXPECT_EQ(cancelled->cancel_reason, "Intempéries");
    EXPECT_EQ(events.cancel_event(owner, id, "again", now).error().code, errc::conflict);
    EXPECT_EQ(events.update_event(owner, id, meeting(), {}, now).error().code, errc::conflict);
}

TEST_F(events_fixture, only_drafts_are_deleted) {
    const auto e = published();
    EXPECT_EQ(events.delete_event(owner, id_text(e.id), now).error().code, errc::conflict);
    const auto draft = events.create_event(owner, meeting("Brouillon"), now);
    ASSERT_TRUE(events.delete_event(owner, id_text(draft->id), now));
    EXPECT_EQ(db.state.events.count(draft->id), 0u);
}

TEST_F(events_fixture, the_last_organizer_stays) {
    db.state.accounts[101] = account{101, "o@x.fr", "O", role::organizer, now, now, "h"};
    const auto e = published();
    const auto id = id_text(e.id);
    EXPECT_EQ(events.remove_organizer(owner, id, 100, now).error().code, errc::conflict);
    EXPECT_EQ(events.add_organizer(owner, id, 999, now).error().code, errc::not_found);
    const auto added = events.add_organizer(owner, id, 101, now);
    ASSERT_TRUE(added);
    EXPECT_EQ(added->organizer_ids, (std::vector<id_t>{100, 101}));
    // The co-organizer may now change the event, and remove the first organizer.
    const auto removed = events.remove_organizer(other, id, 100, now);
    ASSERT_TRUE(removed);
    EXPECT_EQ(removed->organizer_ids, std::vector<id_t>{101});
    EXPECT_EQ(events.remove_organizer(other, id, 101, now).error().code, errc::conflict);
}

TEST_F(events_fixture, moving_the_event_may_not_strand_its_sessions) {
    const auto e = published();
    session_fields s;
    s.title = "Atelier";
    s.kind = "workshop";
    s.starts_at = "2018-12-11T14:00:00+01:00";
    s.ends_at = "2018-12-11T15:00:00+01:00";
    ASSERT_TRUE(sessions.create_session(owner, id_text(e.id), s, now));
    event_fields shorter;
    shorter.ends_at = "2018-12-11T12:00:00+01:00";
    const auto r = events.update_event(owner, id_text(e.id), shorter, {}, now);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::invalid);
}

} // namespace
} // namespace rencontres

namespace rencontres {
namespace {

// Changes of date or place within the hold make one message per registrant, rewritten with the
// last change; each held batch counts against the five messages a day registrants may receive.
TEST_F(events_fixture,
       changes_within_a_quarter_hour_make_one_message_and_count_against_the_daily_limit) {
    const auto e = published();
    for (id_t i = 1; i <= 2; ++i) {
        registration r;
        r.id = 500 + i;
        r.event_id = e.id;
        r.full_name = "Personne " + std::to_string(i);
        r.email = "p" + std::to_string(i) + "@x.fr";
        db.state.registrations[r.id] = r;
    }
    const auto move_to = [&](const char* city, instant when) {
        event_fields f;
        f.venue_city = city;
        return events.update_event(owner, id_text(e.id), f, {}, when);
    };
    const auto changed = [&] {
        std::vector<outbox_message> out;
        for (const auto& m : db.state.outbox)
            if (m.kind == message_kind::event_changed) out.push_back(m);
        return out;
    };
    ASSERT_TRUE(move_to("Limoges", now));
    ASSERT_TRUE(move_to("Guéret", now + std::chrono::minutes{5}));
    ASSERT_TRUE(move_to("Tulle", now + std::chrono::minutes{10}));
    auto held = changed();
    ASSERT_EQ(held.size(), 2u) << "one per registrant";
    for (const auto& m : held) {
        EXPECT_EQ(m.next_attempt_at, now + std::chrono::minutes{15});
        EXPECT_NE(m.body.find("Tulle"), std::string::npos) << m.body;
        EXPECT_EQ(m.body.find("Guéret"), std::string::npos) << m.body;
    }
    // Sent: the next change starts a new batch, counted again. Five batches fill the day.
    const auto deliver_all = [&] {
        for (auto& m : db.state.outbox)
            m.status = delivery_status::delivered;
    };
    deliver_all();
    for (int batch = 2; batch <= 5; ++batch) {
        ASSERT_TRUE(move_to(batch % 2 ? "Brive" : "Ussel", now + std::chrono::minutes{20 * batch}));
        deliver_all();
    }
    EXPECT_EQ(changed().size(), 10u);
    const auto refused = move_to("Bellac", now + std::chrono::hours{2});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, errc::rate_limited);
    EXPECT_GT(refused.error().retry_after_seconds.value_or(0), 0);
    EXPECT_EQ(db.state.events.at(e.id).venue.city, "Brive") << "not saved";
    EXPECT_EQ(changed().size(), 10u);
    // A day after the first batch, the change goes through.
    EXPECT_TRUE(move_to("Bellac", now + std::chrono::hours{25}));
}

} // namespace
} // namespace rencontres
