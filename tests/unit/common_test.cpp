#include "domain/common/actor.hpp"
#include "domain/common/french.hpp"
#include "domain/common/text.hpp"
#include "domain/common/time.hpp"

#include <algorithm>
#include <gtest/gtest.h>

namespace rencontres {
namespace {

TEST(parse_instant, reads_an_offset_and_converts_to_utc) {
    const auto paris = parse_instant("2018-12-11T09:30:00+01:00");
    ASSERT_TRUE(paris);
    EXPECT_EQ(format_utc(*paris), "2018-12-11T08:30:00Z");
    EXPECT_EQ(format_utc(*parse_instant("2018-12-11T08:30:00Z")), "2018-12-11T08:30:00Z");
    EXPECT_EQ(format_utc(*parse_instant("2018-12-11T08:30:00.250Z")), "2018-12-11T08:30:00Z");
    EXPECT_EQ(format_utc(*parse_instant("2026-03-29T01:59:59-03:30")), "2026-03-29T05:29:59Z");
}

TEST(parse_instant, rejects_text_without_an_offset_or_out_of_range) {
    EXPECT_FALSE(parse_instant("2018-12-11T09:30:00"));
    EXPECT_FALSE(parse_instant("2018-12-11 09:30:00+01:00"));
    EXPECT_FALSE(parse_instant("2018-02-30T09:30:00Z"));
    EXPECT_FALSE(parse_instant("2018-12-11T24:00:00Z"));
    EXPECT_FALSE(parse_instant("2018-12-11T09:30:00+1:00"));
    EXPECT_FALSE(parse_instant("2018-12-11T09:30:00Zjunk"));
    EXPECT_FALSE(parse_instant(""));
}

TEST(search_fold, lowers_case_and_drops_french_accents) {
    EXPECT_EQ(search_fold("Grand Guéret"), "grand gueret");
    EXPECT_EQ(search_fold("ÉCOLE Œuvre Ça"), "ecole oeuvre ca");
    EXPECT_EQ(search_fold("Pau Béarn Pyrénées"), "pau bearn pyrenees");
}

TEST(search_fold, folds_every_latin_letter_not_only_those_of_french) {
    EXPECT_EQ(search_fold("Łódź"), "lodz");
    EXPECT_EQ(search_fold("Søren Ørsted"), "soren orsted");
    EXPECT_EQ(search_fold("Muñoz Straße"), "munoz strasse");
    EXPECT_EQ(search_fold("Æsa Œdipe"), "aesa oedipe");
    // Marks sent apart from their letter (NFD) go as well.
    EXPECT_EQ(search_fold("Gue\u0301ret"), "gueret");
    EXPECT_EQ(search_fold("plain ASCII Text"), "plain ascii text");
}

// The people of a French reception desk, in the order its list shows them.
TEST(name_sort_key, orders_by_family_name_then_given_name_as_a_french_list_does) {
    struct person {
        std::optional<std::string> given, family;
        std::string full;
    };
    const std::vector<person> expected_order{
        {"Jean", "d'Alembert", "Jean d'Alembert"}, // under A, "d'" set aside
        {"Jean-Pierre", "Delage", "Jean-Pierre Delage"},
        {"Joachim", "Du Bellay", "Joachim Du Bellay"}, // under D, "Du" kept
        {"Émile", "Durand", "Émile Durand"},           // "É" with "E"
        {"eric", "durand", "eric durand"},             // case aside: after Émile by given name
        {std::nullopt, std::nullopt, "Jean Dupont-Moretti"}, // full name alone: under J
        {"Jean", "de La Fontaine", "Jean de La Fontaine"},   // under L
        {"Yann", "Le Goff", "Yann Le Goff"},
        {"Thomas", "Nguyen", "Thomas Nguyen"},
        {"Amélie", "Roux", "Amélie Roux"},
        {"Zoé", "Rouxel", "Zoé Rouxel"}, // a longer family name after its prefix
    };
    std::vector<std::pair<std::string, std::string>> keyed;
    for (const auto& p : expected_order)
        keyed.emplace_back(
            name_sort_key(p.given ? std::optional<std::string_view>(*p.given) : std::nullopt,
                          p.family ? std::optional<std::string_view>(*p.family) : std::nullopt,
                          p.full),
            p.full);
    auto sorted = keyed;
    std::reverse(sorted.begin(), sorted.end());
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, keyed);
    // Hex, so that both databases compare it byte by byte.
    for (const auto& [key, name] : keyed)
        EXPECT_EQ(key.find_first_not_of("0123456789abcdef"), std::string::npos) << name;
    EXPECT_EQ(name_sort_key("Emile", "DURAND", ""), name_sort_key("Émile", "Durand", ""));
}

TEST(french_upper, writes_family_names_in_capitals) {
    EXPECT_EQ(french_upper("Delage"), "DELAGE");
    EXPECT_EQ(french_upper("de La Fontaine"), "DE LA FONTAINE");
    EXPECT_EQ(french_upper("Lefèvre-Œillet"), "LEFÈVRE-ŒILLET");
}

TEST(plausible_email, accepts_ordinary_addresses_and_refuses_the_rest) {
    EXPECT_TRUE(plausible_email("camille.dupont@demo.invalid"));
    EXPECT_TRUE(plausible_email("a+b@x.fr"));
    EXPECT_FALSE(plausible_email("no-at.example.fr"));
    EXPECT_FALSE(plausible_email("two@@x.fr"));
    EXPECT_FALSE(plausible_email("@x.fr"));
    EXPECT_FALSE(plausible_email("a@localhost"));
    EXPECT_FALSE(plausible_email("a@x."));
    EXPECT_FALSE(plausible_email("a b@x.fr"));
    EXPECT_FALSE(plausible_email("a@x.fr\n"));
    EXPECT_EQ(normalize_email("  Camille@Demo.Invalid "), "camille@demo.invalid");
}

TEST(utf8_length, counts_code_points) {
    EXPECT_EQ(utf8_length("Guéret"), 6u);
    EXPECT_EQ(utf8_length(""), 0u);
    EXPECT_EQ(utf8_length("œœ"), 2u);
}

TEST(require, anonymous_callers_are_unauthenticated_for_every_capability) {
    for (const auto what :
         {capability::read_own_account, capability::administer_accounts,
          capability::manage_territories, capability::read_audit, capability::organize_events,
          capability::see_speaker_emails, capability::read_outbox, capability::manage_labels,
          capability::review_candidacies, capability::submit_candidacies}) {
        const auto r = require(actor::anonymous(), what);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, errc::unauthenticated);
    }
}

TEST(require, follows_the_role_table) {
    struct row {
        capability what;
        bool participant, organizer, jury, admin;
    };
    const row table[] = {
        {capability::read_own_account, true, true, true, true},
        {capability::manage_territories, false, true, false, true},
        {capability::organize_events, false, true, false, true},
        {capability::see_speaker_emails, false, true, false, true},
        {capability::administer_accounts, false, false, false, true},
        {capability::read_audit, false, false, false, true},
        {capability::read_outbox, false, false, false, true},
        {capability::manage_labels, false, false, false, true},
        {capability::review_candidacies, false, false, true, true},
        {capability::submit_candidacies, false, true, false, true},
    };
    for (const auto& r : table) {
        const std::pair<role, bool> cases[] = {{role::participant, r.participant},
                                               {role::organizer, r.organizer},
                                               {role::jury, r.jury},
                                               {role::admin, r.admin}};
        for (const auto& [who, allowed] : cases) {
            const auto got = require(actor{7, who}, r.what);
            EXPECT_EQ(got.ok(), allowed) << to_string(who);
            if (!allowed) {
                EXPECT_EQ(got.error().code, errc::forbidden);
            }
        }
    }
}

TEST(parse_role, round_trips_every_role_and_refuses_unknown_text) {
    for (const auto r : {role::participant, role::organizer, role::jury, role::admin})
        EXPECT_EQ(parse_role(to_string(r)), r);
    EXPECT_FALSE(parse_role("root"));
    EXPECT_FALSE(parse_role("Admin"));
}

TEST(parse_id, accepts_positive_decimal_ids_only) {
    EXPECT_EQ(parse_id("42"), 42);
    EXPECT_FALSE(parse_id("0"));
    EXPECT_FALSE(parse_id("042"));
    EXPECT_FALSE(parse_id("-1"));
    EXPECT_FALSE(parse_id("1a"));
    EXPECT_FALSE(parse_id(""));
    EXPECT_FALSE(parse_id("9999999999999999999"));
}

} // namespace
} // namespace rencontres

namespace rencontres {
namespace {

// French agreement of a count, and "de" elided before a vowel, in the console's sentences.
TEST(french_count, is_singular_for_zero_and_one) {
    EXPECT_EQ(french_count(0, "annulée", "annulées"), "0 annulée");
    EXPECT_EQ(french_count(1, "annulée", "annulées"), "1 annulée");
    EXPECT_EQ(french_count(2, "annulée", "annulées"), "2 annulées");
    EXPECT_EQ(french_count(1000, "arrivée", "arrivées"), "1000 arrivées");
}

TEST(french_of, elides_de_before_a_vowel) {
    EXPECT_EQ(french_of("Camille Martin"), "de Camille Martin");
    EXPECT_EQ(french_of("Anne Roux"), "d'Anne Roux");
    EXPECT_EQ(french_of("Élodie Abadie"), "d'Élodie Abadie");
    EXPECT_EQ(french_of("Yves Le Gall"), "d'Yves Le Gall");
    EXPECT_EQ(french_of("Œdipe"), "d'Œdipe");
    EXPECT_EQ(french_of("Hugo Bernard"), "de Hugo Bernard");
    EXPECT_EQ(french_of(""), "de ");
}

} // namespace
} // namespace rencontres
