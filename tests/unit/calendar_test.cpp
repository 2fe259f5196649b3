#include "domain/agenda/ics.hpp"
#include "domain/common/zone.hpp"

#include <gtest/gtest.h>

namespace rencontres {
namespace {

instant at(const char* text) {
    return *parse_instant(text);
}

TEST(format_in_zone, uses_the_offset_in_force_on_each_side_of_the_spring_change) {
    // Europe/Paris moves from +01:00 to +02:00 at 01:00 UTC on 2026-03-29.
    EXPECT_EQ(format_in_zone(at("2026-03-29T00:59:59Z"), "Europe/Paris"),
              "2026-03-29T01:59:59+01:00");
    EXPECT_EQ(format_in_zone(at("2026-03-29T01:00:00Z"), "Europe/Paris"),
              "2026-03-29T03:00:00+02:00");
}

TEST(format_in_zone, uses_the_offset_in_force_on_each_side_of_the_autumn_change) {
    // Back to +01:00 at 01:00 UTC on 2026-10-25: 02:30 local happens twice.
    EXPECT_EQ(format_in_zone(at("2026-10-25T00:30:00Z"), "Europe/Paris"),
              "2026-10-25T02:30:00+02:00");
    EXPECT_EQ(format_in_zone(at("2026-10-25T01:30:00Z"), "Europe/Paris"),
              "2026-10-25T02:30:00+01:00");
    EXPECT_EQ(format_in_zone(at("2018-12-11T08:30:00Z"), "Europe/Paris"),
              "2018-12-11T09:30:00+01:00");
    EXPECT_EQ(format_in_zone(at("2018-12-11T08:30:00Z"), "America/Cayenne"),
              "2018-12-11T05:30:00-03:00");
    EXPECT_EQ(format_in_zone(at("2018-12-11T08:30:00Z"), "Indian/Reunion"),
              "2018-12-11T12:30:00+04:00");
}

TEST(local_date, is_the_calendar_day_in_the_zone) {
    EXPECT_EQ(local_date(at("2026-10-24T22:30:00Z"), "Europe/Paris"), "2026-10-25");
    EXPECT_EQ(local_date(at("2026-10-24T22:30:00Z"), "UTC"), "2026-10-24");
    EXPECT_EQ(local_ics_time(at("2026-03-29T01:00:00Z"), "Europe/Paris"), "20260329T030000");
}

TEST(zoned_from_local, reads_a_form_field_as_wall_time_in_the_events_zone) {
    EXPECT_EQ(zoned_from_local("2018-12-11T09:30", "Europe/Paris"), "2018-12-11T09:30:00+01:00");
    EXPECT_EQ(zoned_from_local("2026-07-01T14:00", "Europe/Paris"), "2026-07-01T14:00:00+02:00");
    EXPECT_EQ(zoned_from_local("2018-12-11T09:30", "Indian/Reunion"), "2018-12-11T09:30:00+04:00");
    // 02:30 does not happen on the spring change in Paris; 02:30 on the autumn one happens twice.
    EXPECT_FALSE(zoned_from_local("2026-03-29T02:30", "Europe/Paris"));
    EXPECT_EQ(zoned_from_local("2026-10-25T02:30", "Europe/Paris"), "2026-10-25T02:30:00+02:00");
    EXPECT_FALSE(zoned_from_local("2018-12-11 09:30", "Europe/Paris"));
    EXPECT_FALSE(zoned_from_local("2018-02-30T09:30", "Europe/Paris"));
    EXPECT_FALSE(zoned_from_local("2018-12-11T24:00", "Europe/Paris"));
    EXPECT_FALSE(zoned_from_local("2018-12-11T09:30x", "Europe/Paris"));
    EXPECT_EQ(local_minutes(at("2018-12-11T08:30:00Z"), "Europe/Paris"), "2018-12-11T09:30");
}

TEST(start_of_local_date, is_midnight_in_the_zone) {
    EXPECT_EQ(start_of_local_date("2026-03-29", "Europe/Paris"), at("2026-03-28T23:00:00Z"));
    EXPECT_EQ(start_of_local_date("2026-07-01", "Europe/Paris"), at("2026-06-30T22:00:00Z"));
    EXPECT_FALSE(start_of_local_date("2026-02-30", "Europe/Paris"));
    EXPECT_FALSE(start_of_local_date("26-02-01", "Europe/Paris"));
}

TEST(known_zone, accepts_iana_names_only) {
    EXPECT_TRUE(known_zone("Europe/Paris"));
    EXPECT_TRUE(known_zone("America/Guadeloupe"));
    EXPECT_FALSE(known_zone("Europe/Atlantis"));
    EXPECT_FALSE(known_zone(""));
}

TEST(zone_periods, lists_both_changes_of_a_year) {
    const auto periods =
        zone_periods("Europe/Paris", at("2026-01-01T00:00:00Z"), at("2026-12-31T00:00:00Z"));
    ASSERT_EQ(periods.size(), 3u);
    EXPECT_FALSE(periods[0].daylight);
    EXPECT_EQ(periods[1].begins, at("2026-03-29T01:00:00Z"));
    EXPECT_EQ(periods[1].offset_before_seconds, 3600);
    EXPECT_EQ(periods[1].offset_seconds, 7200);
    EXPECT_TRUE(periods[1].daylight);
    EXPECT_EQ(periods[1].abbreviation, "CEST");
    EXPECT_EQ(periods[2].begins, at("2026-10-25T01:00:00Z"));
    EXPECT_EQ(periods[2].offset_seconds, 3600);
}

TEST(ics_escape, escapes_the_characters_rfc_5545_reserves) {
    EXPECT_EQ(ics_escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    EXPECT_EQ(ics_escape("ligne\r\nsuivante"), "ligne\\nsuivante");
    EXPECT_EQ(ics_escape("sans\x01"
                         "contrôle"),
              "sanscontrôle");
}

TEST(ics_fold, keeps_every_line_within_75_octets_and_never_splits_a_character) {
    const std::string line =
        "DESCRIPTION:« Personne n'est en retard » : baromètre 2018 de la maturité numérique "
        "des territoires\\, médiation numérique et accès aux droits — éèàçôœ€ éèàçôœ€ éèàçôœ€";
    const auto folded = ics_fold(line);
    std::string unfolded;
    std::size_t start = 0;
    bool first = true;
    while (start < folded.size()) {
        const auto end = folded.find("\r\n", start);
        ASSERT_NE(end, std::string::npos);
        auto physical = folded.substr(start, end - start);
        EXPECT_LE(physical.size(), 75u) << physical;
        if (!first) {
            ASSERT_EQ(physical.front(), ' ');
            physical.erase(0, 1);
        }
        // A physical line never starts with a UTF-8 continuation byte.
        if (!physical.empty()) {
            EXPECT_NE(static_cast<unsigned char>(physical.front()) & 0xC0, 0x80);
        }
        unfolded += physical;
        first = false;
        start = end + 2;
    }
    EXPECT_EQ(unfolded, line);
    EXPECT_EQ(ics_fold("SHORT:line"), "SHORT:line\r\n");
}

TEST(agenda_to_ics, writes_a_vtimezone_and_one_vevent_per_session) {
    agenda a;
    a.event.id = 7;
    a.event.title = "Rencontre, à Guéret; suite";
    a.event.timezone = "Europe/Paris";
    a.event.starts_at = at("2026-10-24T07:00:00Z");
    a.event.ends_at = at("2026-10-25T16:00:00Z");
    a.event.venue = {"La Quincaillerie", "1 rue X", "23000", "Guéret"};
    a.event.revision = 2;
    session s;
    s.id = 3;
    s.event_id = 7;
    s.title = "Après le changement d'heure";
    s.starts_at = at("2026-10-25T08:00:00Z"); // 09:00 CET
    s.ends_at = at("2026-10-25T09:00:00Z");
    s.room = "Salle 1";
    s.speaker_ids = {5};
    s.sequence = 1;
    s.updated_at = at("2026-10-01T10:00:00Z");
    a.sessions = {s};
    a.speakers = {speaker{5, "Philippe Ponsard", std::string("Élu"), std::string("Grand Guéret")}};
    const auto ics = agenda_to_ics(a);
    EXPECT_NE(ics.find("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"), std::string::npos);
    EXPECT_NE(ics.find("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+"
                       "0200\r\nTZOFFSETTO:+0100\r\n"),
              std::string::npos)
        << ics;
    EXPECT_NE(ics.find("UID:session-3-event-7@rencontres\r\n"), std::string::npos);
    EXPECT_NE(ics.find("DTSTART;TZID=Europe/Paris:20261025T090000\r\n"), std::string::npos);
    EXPECT_NE(ics.find("DTEND;TZID=Europe/Paris:20261025T100000\r\n"), std::string::npos);
    EXPECT_NE(ics.find("SEQUENCE:3\r\n"), std::string::npos);
    EXPECT_NE(ics.find("DTSTAMP:20261001T100000Z\r\n"), std::string::npos);
    EXPECT_NE(ics.find("SUMMARY:Après le changement d'heure\r\n"), std::string::npos);
    EXPECT_NE(ics.find("LOCATION:Salle 1\\, La Quincaillerie\\, 1 rue X\\, 23000 Guéret\r\n"),
              std::string::npos);
    EXPECT_NE(ics.find("DESCRIPTION:Intervenants : Philippe Ponsard\\, Élu (Grand Guéret)\r\n"),
              std::string::npos);
    EXPECT_NE(ics.find("X-WR-CALNAME:Rencontre\\, à Guéret\\; suite\r\n"), std::string::npos);
    EXPECT_NE(ics.find("STATUS:CONFIRMED\r\n"), std::string::npos);
    a.event.status = event_status::cancelled;
    EXPECT_NE(agenda_to_ics(a).find("STATUS:CANCELLED\r\n"), std::string::npos);
    EXPECT_EQ(ics.substr(ics.size() - 15), "END:VCALENDAR\r\n");
}

} // namespace
} // namespace rencontres
