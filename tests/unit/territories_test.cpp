#include "domain/territories/service.hpp"
#include "fakes.hpp"

#include <gtest/gtest.h>

namespace rencontres {
namespace {

using testing::at;

TEST(valid_siren, accepts_the_demo_numbers) {
    for (const char* siren : {"200071512", "200070639", "200070878", "200071629", "241900158",
                              "200041010", "246400881", "200069888"})
        EXPECT_TRUE(valid_siren(siren)) << siren;
}

TEST(valid_siren, refuses_a_wrong_checksum_length_or_character) {
    EXPECT_FALSE(valid_siren("200071513"));
    EXPECT_FALSE(valid_siren("20007151"));
    EXPECT_FALSE(valid_siren("2000715120"));
    EXPECT_FALSE(valid_siren("20007151a"));
    EXPECT_FALSE(valid_siren(" 20007151"));
    EXPECT_FALSE(valid_siren(""));
}

struct territories_fixture : ::testing::Test {
    testing::memory_store db;
    territory_service service{db};
    const instant now = at("2026-11-26T10:00:00Z");
    const actor organizer{10, role::organizer};

    territory_fields gueret() {
        return {"Grand Guéret", "communaute_agglomeration", "200070878", "Nouvelle-Aquitaine",
                std::optional<std::string>{"23"}};
    }
};

TEST_F(territories_fixture, organizers_create_territories_and_the_change_is_audited) {
    const auto created = service.create_territory(organizer, gueret(), now);
    ASSERT_TRUE(created);
    EXPECT_EQ(created->name, "Grand Guéret");
    EXPECT_EQ(created->kind, territory_kind::communaute_agglomeration);
    EXPECT_EQ(created->department, "23");
    ASSERT_EQ(db.state.audit.size(), 1u);
    EXPECT_EQ(db.state.audit[0].action, "create_territory");
    EXPECT_EQ(db.state.audit[0].summary, "Grand Guéret (200070878)");
}

TEST_F(territories_fixture, anonymous_and_participants_cannot_create) {
    EXPECT_EQ(service.create_territory(actor::anonymous(), gueret(), now).error().code,
              errc::unauthenticated);
    EXPECT_EQ(service.create_territory(actor{11, role::participant}, gueret(), now).error().code,
              errc::forbidden);
    EXPECT_EQ(service.create_territory(actor{12, role::jury}, gueret(), now).error().code,
              errc::forbidden);
    EXPECT_TRUE(db.state.territories.empty());
}

TEST_F(territories_fixture, create_reports_every_invalid_field) {
    territory_fields bad{"", "village", "200070879", std::nullopt,
                         std::optional<std::string>{"999"}};
    const auto r = service.create_territory(organizer, bad, now);
    ASSERT_FALSE(r);
    const std::vector<field_error> expected{
        {"region", field_rule::required, "is required"},
        {"name", field_rule::length, "must be 1 to 200 characters, without control characters"},
        {"kind", field_rule::choice, "is not a known kind of territory"},
        {"siren", field_rule::format, "must be 9 digits passing the Luhn check"},
        {"department", field_rule::format, "must be a department code such as 87, 2A or 974"}};
    EXPECT_EQ(r.error().fields, expected);
}

TEST_F(territories_fixture, a_siren_is_unique) {
    ASSERT_TRUE(service.create_territory(organizer, gueret(), now));
    auto other = gueret();
    other.name = "Another";
    EXPECT_EQ(service.create_territory(organizer, other, now).error().code, errc::conflict);
}

TEST_F(territories_fixture, update_changes_only_the_given_fields_and_can_clear_the_department) {
    const auto created = service.create_territory(organizer, gueret(), now);
    territory_fields patch;
    patch.region = "Limousin";
    patch.department = std::optional<std::string>{};
    const auto changed = service.update_territory(organizer, created->id, patch, {}, now);
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->name, "Grand Guéret");
    EXPECT_EQ(changed->region, "Limousin");
    EXPECT_FALSE(changed->department);
}

TEST_F(territories_fixture, update_of_an_unknown_territory_is_not_found) {
    EXPECT_EQ(service.update_territory(organizer, 999, gueret(), {}, now).error().code,
              errc::not_found);
}

TEST_F(territories_fixture, an_invalid_update_changes_nothing) {
    const auto created = service.create_territory(organizer, gueret(), now);
    territory_fields patch;
    patch.name = "New name";
    patch.siren = "123456789";
    EXPECT_EQ(service.update_territory(organizer, created->id, patch, {}, now).error().code,
              errc::invalid);
    EXPECT_EQ(db.state.territories.at(created->id).name, "Grand Guéret");
}

TEST_F(territories_fixture, list_folds_the_query) {
    ASSERT_TRUE(service.create_territory(organizer, gueret(), now));
    const auto found = service.list_territories({std::string("GUERET"), std::nullopt}, {});
    ASSERT_TRUE(found);
    ASSERT_EQ(found->items.size(), 1u);
    EXPECT_EQ(found->items[0].siren, "200070878");
}

} // namespace
} // namespace rencontres
