#include "domain/agenda/service.hpp"
#include "domain/events/service.hpp"
#include "domain/speakers/service.hpp"
#include "fakes.hpp"

#include <gtest/gtest.h>

namespace rencontres {
namespace {

using testing::at;

struct sessions_fixture : ::testing::Test {
    testing::memory_store db;
    testing::recording_observer observer;
    event_service events{db, observer};
    session_service sessions{db, observer};
    speaker_service speakers{db, observer};
    const instant now = at("2026-11-26T10:00:00Z");
    const actor owner{100, role::organizer};
    std::string event_a, event_b;
    std::string faure, mons;

    void SetUp() override {
        event_a = make_event("Aixe-sur-Vienne");
        event_b = make_event("Guéret");
        faure = id_text(speakers.create_speaker(owner, {"Stéphanie Faure"}, now)->id);
        mons = id_text(speakers.create_speaker(owner, {"Alexis Mons"}, now)->id);
    }
    std::string make_event(const char* title) {
        event_fields f;
        f.title = title;
        f.starts_at = "2018-12-11T09:00:00+01:00";
        f.ends_at = "2018-12-11T17:00:00+01:00";
        f.venue_city = title;
        const auto e = events.create_event(owner, f, now);
        EXPECT_TRUE(events.publish_event(owner, id_text(e->id), now));
        return id_text(e->id);
    }
    session_fields slot(const char* from, const char* to, std::optional<std::string> room,
                        std::vector<std::string> speaker_ids = {}) {
        session_fields f;
        f.title = "Session";
        f.kind = "talk";
        f.starts_at = std::string("2018-12-11T") + from + ":00+01:00";
        f.ends_at = std::string("2018-12-11T") + to + ":00+01:00";
        f.room = room;
        f.speaker_ids = speaker_ids;
        return f;
    }
};

TEST_F(sessions_fixture, overlapping_sessions_in_one_room_conflict_and_name_each_other) {
    const auto first =
        sessions.create_session(owner, event_a, slot("09:30", "10:30", "Grande salle"), now);
    ASSERT_TRUE(first);
    const auto clash =
        sessions.create_session(owner, event_a, slot("10:00", "11:00", "Grande salle"), now);
    ASSERT_FALSE(clash);
    EXPECT_EQ(clash.error().code, errc::conflict);
    EXPECT_EQ(clash.error().conflicts, std::vector<std::string>{id_text(first->id)});
    // Another room, or no room, is fine.
    EXPECT_TRUE(
        sessions.create_session(owner, event_a, slot("10:00", "11:00", "Salle atelier"), now));
    EXPECT_TRUE(sessions.create_session(owner, event_a, slot("10:00", "11:00", std::nullopt), now));
    // The same room name in another event is another room.
    EXPECT_TRUE(
        sessions.create_session(owner, event_b, slot("10:00", "11:00", "Grande salle"), now));
}

TEST_F(sessions_fixture, back_to_back_sessions_do_not_conflict) {
    ASSERT_TRUE(sessions.create_session(owner, event_a,
                                        slot("09:30", "10:00", "Grande salle", {faure}), now));
    EXPECT_TRUE(sessions.create_session(owner, event_a,
                                        slot("10:00", "10:30", "Grande salle", {faure}), now));
    EXPECT_TRUE(sessions.create_session(owner, event_a,
                                        slot("09:00", "09:30", "Grande salle", {faure}), now));
}

TEST_F(sessions_fixture, a_speaker_cannot_be_in_two_places_across_events) {
    const auto first =
        sessions.create_session(owner, event_a, slot("14:00", "15:00", "A", {faure}), now);
    ASSERT_TRUE(first);
    const auto clash =
        sessions.create_session(owner, event_b, slot("14:30", "15:30", "B", {mons, faure}), now);
    ASSERT_FALSE(clash);
    EXPECT_EQ(clash.error().conflicts, std::vector<std::string>{id_text(first->id)});
    EXPECT_TRUE(sessions.create_session(owner, event_b, slot("14:30", "15:30", "B", {mons}), now));
}

TEST_F(sessions_fixture, a_cancelled_event_frees_its_speakers) {
    ASSERT_TRUE(sessions.create_session(owner, event_a, slot("14:00", "15:00", "A", {faure}), now));
    ASSERT_TRUE(events.cancel_event(owner, event_a, "Reportée", now));
    EXPECT_TRUE(sessions.create_session(owner, event_b, slot("14:00", "15:00", "B", {faure}), now));
}

TEST_F(sessions_fixture, patch_into_a_conflict_is_refused_and_changes_nothing) {
    const auto a =
        sessions.create_session(owner, event_a, slot("09:30", "10:30", "Grande salle"), now);
    const auto b =
        sessions.create_session(owner, event_a, slot("11:00", "12:00", "Grande salle"), now);
    session_fields move;
    move.starts_at = "2018-12-11T10:00:00+01:00";
    const auto r = sessions.update_session(owner, event_a, b->id, move, {}, now);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().conflicts, std::vector<std::string>{id_text(a->id)});
    EXPECT_EQ(db.state.sessions.at(b->id).starts_at, at("2018-12-11T11:00:00+01:00"));
    // A session does not conflict with itself when it is edited.
    session_fields retitle;
    retitle.title = "Nouveau titre";
    const auto ok = sessions.update_session(owner, event_a, b->id, retitle, {}, now);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->sequence, 1);
}

TEST_F(sessions_fixture, sessions_stay_inside_the_event_and_end_after_they_start) {
    auto outside = sessions.create_session(owner, event_a, slot("08:00", "09:30", "A"), now);
    ASSERT_FALSE(outside);
    EXPECT_EQ(outside.error().code, errc::invalid);
    EXPECT_EQ(outside.error().fields.at(0).field, "starts_at");
    EXPECT_EQ(outside.error().fields.at(0).message,
              "must lie within the event (2018-12-11T09:00:00+01:00 to 2018-12-11T17:00:00+01:00)");
    auto backwards = sessions.create_session(owner, event_a, slot("11:00", "10:00", "A"), now);
    ASSERT_FALSE(backwards);
    EXPECT_EQ(backwards.error().fields.at(0),
              (field_error{"ends_at", field_rule::order, "must be after starts_at"}));
    auto empty = sessions.create_session(owner, event_a, slot("11:00", "11:00", "A"), now);
    EXPECT_EQ(empty.error().code, errc::invalid);
}

TEST_F(sessions_fixture, unknown_and_repeated_speakers_are_invalid) {
    const auto r = sessions.create_session(owner, event_a,
                                           slot("09:30", "10:00", "A", {faure, "999", faure}), now);
    ASSERT_FALSE(r);
    const std::vector<field_error> expected{
        {"speaker_ids[1]", field_rule::unknown, "is not a known speaker"},
        {"speaker_ids[2]", field_rule::duplicate, "is listed twice"}};
    EXPECT_EQ(r.error().fields, expected);
}

TEST_F(sessions_fixture, a_scheduled_speaker_cannot_be_deleted) {
    const auto s =
        sessions.create_session(owner, event_a, slot("09:30", "10:00", "A", {faure}), now);
    ASSERT_TRUE(s);
    const auto id = *parse_id(faure);
    EXPECT_EQ(speakers.delete_speaker(owner, id, now).error().code, errc::conflict);
    ASSERT_TRUE(sessions.delete_session(owner, event_a, s->id, now));
    EXPECT_TRUE(speakers.delete_speaker(owner, id, now));
}

TEST_F(sessions_fixture, the_agenda_groups_sessions_by_local_day_in_time_order) {
    event_fields two_days;
    two_days.title = "Deux jours";
    two_days.starts_at = "2026-03-28T09:00:00+01:00";
    two_days.ends_at = "2026-03-29T18:00:00+02:00";
    two_days.venue_city = "Pau";
    const auto e = events.create_event(owner, two_days, now);
    const auto id = id_text(e->id);
    session_fields late;
    late.title = "Soirée";
    late.kind = "other";
    late.starts_at = "2026-03-28T22:30:00Z"; // 23:30 in Paris, still the 28th
    late.ends_at = "2026-03-28T23:30:00Z";   // 00:30 on the 29th
    session_fields morning;
    morning.title = "Matin";
    morning.kind = "talk";
    morning.starts_at = "2026-03-29T07:00:00Z"; // 09:00 CEST, after the change
    morning.ends_at = "2026-03-29T08:00:00Z";
    ASSERT_TRUE(sessions.create_session(owner, id, morning, now));
    ASSERT_TRUE(sessions.create_session(owner, id, late, now));
    const auto a = sessions.get_agenda(owner, id);
    ASSERT_TRUE(a);
    const auto days = a->days();
    ASSERT_EQ(days.size(), 2u);
    EXPECT_EQ(days[0].date, "2026-03-28");
    EXPECT_EQ(days[0].sessions.at(0)->title, "Soirée");
    EXPECT_EQ(days[1].date, "2026-03-29");
    EXPECT_EQ(days[1].sessions.at(0)->title, "Matin");
}

} // namespace
} // namespace rencontres
