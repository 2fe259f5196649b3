// One contract for every implementation of the storage ports: the in-memory fakes the domain's
// unit tests run on (tests/unit/fakes.hpp) and the real adapter of the suite's run (SQLite, or
// PostgreSQL for the postgres.* tests). The rules the fakes re-implement — uniqueness, the
// waiting list's order and ranks, the kept counts — are checked here on both sides with the
// same expectations, so a fake cannot drift from the databases without a failing test.
#include "domain/accounts/repository.hpp"
#include "domain/agenda/repository.hpp"
#include "domain/events/repository.hpp"
#include "domain/labels/repository.hpp"
#include "domain/registrations/repository.hpp"
#include "domain/territories/repository.hpp"
#include "storage/sides.hpp"

#include <gtest/gtest.h>

namespace rencontres {
namespace {

using testing::adapter;
using testing::fakes;

const instant now = *parse_instant("2026-11-26T10:00:00Z");

template <class Side> struct repository_contract : ::testing::Test {
    Side side;
    store& db() { return side.get(); }

    static account an_account(const char* email) {
        return {0, email, "Someone", role::organizer, now, now, "$argon2id$..."};
    }
    static territory a_territory(const char* name, const char* siren) {
        return {0,   name, territory_kind::commune, siren, "Nouvelle-Aquitaine", std::nullopt,
                now, now};
    }
    static event an_event(const std::string& slug, std::optional<int> capacity = {}) {
        event e;
        e.slug = slug;
        e.title = "Rencontre";
        e.status = event_status::published;
        e.capacity = capacity;
        e.created_at = e.updated_at = now;
        return e;
    }
    static registration a_registration(id_t event_id, const std::string& email,
                                       registration_status status, int minute) {
        registration r;
        r.event_id = event_id;
        r.full_name = "Camille";
        r.email = email;
        r.status = status;
        r.created_at = r.updated_at = now + std::chrono::minutes{minute};
        r.manage_digest = "manage:" + email;
        r.feed_digest = "feed:" + email;
        return r;
    }
};

using sides = ::testing::Types<fakes, adapter>;
TYPED_TEST_SUITE(repository_contract, sides);

TYPED_TEST(repository_contract, an_email_holds_one_account) {
    auto uow = this->db().begin(access::write);
    const auto first = uow->accounts().insert(this->an_account("camille@x.fr"));
    ASSERT_TRUE(first);
    const auto again = uow->accounts().insert(this->an_account("camille@x.fr"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, errc::conflict);
    EXPECT_EQ(again.error().broken, rule::email_taken);
    ASSERT_TRUE(uow->accounts().insert(this->an_account("lea@x.fr")));
    uow->commit();
    uow = this->db().begin(access::read);
    const auto found = uow->accounts().find_by_email("camille@x.fr");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, first->id);
}

TYPED_TEST(repository_contract, a_siren_is_one_territory_s_on_insert_and_on_update) {
    auto uow = this->db().begin(access::write);
    ASSERT_TRUE(uow->territories().insert(this->a_territory("Aixe-sur-Vienne", "218700017")));
    auto other = uow->territories().insert(this->a_territory("Limoges", "218700850"));
    ASSERT_TRUE(other);
    const auto taken = uow->territories().insert(this->a_territory("Aixe", "218700017"));
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().broken, rule::siren_taken);
    auto changed = *other;
    changed.siren = "218700017";
    const auto updated = uow->territories().update(changed);
    ASSERT_FALSE(updated);
    EXPECT_EQ(updated.error().broken, rule::siren_taken);
}

TYPED_TEST(repository_contract, a_slug_is_one_event_s) {
    auto uow = this->db().begin(access::write);
    ASSERT_TRUE(uow->events().insert(this->an_event("forum-numerique")));
    const auto taken = uow->events().insert(this->an_event("forum-numerique"));
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().broken, rule::slug_taken);
    EXPECT_TRUE(uow->events().insert(this->an_event("forum-numerique-2")));
}

TYPED_TEST(repository_contract, an_email_holds_one_active_registration_per_event) {
    auto uow = this->db().begin(access::write);
    const auto first_event = uow->events().insert(this->an_event("premiere"))->id;
    const auto second_event = uow->events().insert(this->an_event("seconde"))->id;
    const auto first = uow->registrations().insert(
        this->a_registration(first_event, "camille@x.fr", registration_status::confirmed, 0));
    ASSERT_TRUE(first);
    for (const auto status : {registration_status::confirmed, registration_status::waitlisted}) {
        const auto again = uow->registrations().insert(
            this->a_registration(first_event, "camille@x.fr", status, 1));
        ASSERT_FALSE(again);
        EXPECT_EQ(again.error().broken, rule::already_registered);
    }
    EXPECT_TRUE(uow->registrations().insert(
        this->a_registration(second_event, "camille@x.fr", registration_status::waitlisted, 2)));
    // Cancelled, it frees the email for a new registration, and cancelled ones never collide.
    uow->registrations().set_status(first->id, registration_status::cancelled, now);
    EXPECT_TRUE(uow->registrations().insert(
        this->a_registration(first_event, "camille@x.fr", registration_status::waitlisted, 3)));
    EXPECT_TRUE(uow->registrations().insert(
        this->a_registration(first_event, "camille@x.fr", registration_status::cancelled, 4)));
    uow->commit();
    uow = this->db().begin(access::read);
    EXPECT_EQ(uow->registrations().for_person(std::nullopt, "camille@x.fr").size(), 4u);
}

TYPED_TEST(repository_contract, the_waiting_list_keeps_its_order_and_ranks_without_gaps) {
    auto uow = this->db().begin(access::write);
    const auto event_id = uow->events().insert(this->an_event("forum", 2))->id;
    std::vector<id_t> ids;
    const std::array<const char*, 6> people{"a@x.fr", "b@x.fr", "c@x.fr",
                                            "d@x.fr", "e@x.fr", "f@x.fr"};
    for (std::size_t i = 0; i < people.size(); ++i)
        ids.push_back(uow->registrations()
                          .insert(this->a_registration(event_id, people[i],
                                                       i < 2 ? registration_status::confirmed
                                                             : registration_status::waitlisted,
                                                       static_cast<int>(i)))
                          ->id);
    uow->commit();

    uow = this->db().begin(access::write);
    auto& regs = uow->registrations();
    EXPECT_EQ(regs.count_confirmed(event_id), 2);
    EXPECT_EQ(regs.count_waitlisted(event_id), 4);
    EXPECT_EQ(regs.first_waitlisted(event_id), ids[2]);
    EXPECT_EQ(regs.find(ids[2])->waitlist_position, 1);
    EXPECT_EQ(regs.find(ids[5])->waitlist_position, 4);
    EXPECT_EQ(regs.find(ids[0])->waitlist_position, std::nullopt);
    // One waiting leaves: those behind move up, without a gap.
    regs.set_status(ids[3], registration_status::cancelled, now);
    EXPECT_EQ(regs.find(ids[4])->waitlist_position, 2);
    EXPECT_EQ(regs.find(ids[5])->waitlist_position, 3);
    // A confirmed one leaves and the first waiting is promoted.
    regs.set_status(ids[0], registration_status::cancelled, now);
    regs.set_status(*regs.first_waitlisted(event_id), registration_status::confirmed, now);
    EXPECT_EQ(regs.count_confirmed(event_id), 2);
    EXPECT_EQ(regs.count_waitlisted(event_id), 2);
    EXPECT_EQ(regs.first_waitlisted(event_id), ids[4]);
    EXPECT_EQ(regs.find(ids[4])->waitlist_position, 1);
    uow->commit();

    uow = this->db().begin(access::read);
    const auto stats = uow->registrations().stats(event_id);
    EXPECT_EQ(stats.confirmed, 2);
    EXPECT_EQ(stats.waitlisted, 2);
    EXPECT_EQ(stats.cancelled, 2);
    const auto waiting = uow->registrations().list(event_id, registration_status::waitlisted,
                                                   std::nullopt, {50, std::nullopt});
    ASSERT_EQ(waiting.items.size(), 2u);
    EXPECT_EQ(waiting.items[0].id, ids[4]);
    EXPECT_EQ(waiting.items[0].waitlist_position, 1);
    EXPECT_EQ(waiting.items[1].id, ids[5]);
    EXPECT_EQ(waiting.items[1].waitlist_position, 2);
}

TYPED_TEST(repository_contract, a_workshop_counts_its_seats_and_queues_in_order) {
    auto uow = this->db().begin(access::write);
    const auto event_id = uow->events().insert(this->an_event("ateliers"))->id;
    session s;
    s.event_id = event_id;
    s.title = "Atelier";
    s.kind = session_kind::workshop;
    s.starts_at = now;
    s.ends_at = now + std::chrono::hours{1};
    s.capacity = 1;
    s.created_at = s.updated_at = now;
    const auto workshop = uow->sessions().insert(s).id;
    std::vector<id_t> ids;
    for (int i = 0; i < 3; ++i)
        ids.push_back(uow->registrations()
                          .insert(this->a_registration(event_id, "p" + std::to_string(i) + "@x.fr",
                                                       registration_status::confirmed, i))
                          ->id);
    uow->registrations().put_seat(ids[0], workshop, registration_status::confirmed);
    uow->registrations().put_seat(ids[1], workshop, registration_status::waitlisted);
    uow->registrations().put_seat(ids[2], workshop, registration_status::waitlisted);
    uow->commit();

    uow = this->db().begin(access::write);
    auto& regs = uow->registrations();
    EXPECT_EQ(regs.count_session_confirmed(workshop), 1);
    EXPECT_EQ(regs.count_session_waitlisted(workshop), 2);
    EXPECT_EQ(regs.first_waitlisted_seat(workshop), ids[1]);
    // The first seat freed goes to the first waiting.
    regs.set_seat_status(ids[0], workshop, registration_status::cancelled);
    regs.set_seat_status(ids[1], workshop, registration_status::confirmed);
    EXPECT_EQ(regs.count_session_confirmed(workshop), 1);
    EXPECT_EQ(regs.count_session_waitlisted(workshop), 1);
    EXPECT_EQ(regs.first_waitlisted_seat(workshop), ids[2]);
    // A seat taken again joins the end of the list, however old its registration.
    regs.put_seat(ids[0], workshop, registration_status::waitlisted);
    EXPECT_EQ(regs.first_waitlisted_seat(workshop), ids[2]);
    EXPECT_EQ(regs.find(ids[2])->sessions.at(0).waitlist_position, 1);
    EXPECT_EQ(regs.find(ids[0])->sessions.at(0).waitlist_position, 2);
}

TYPED_TEST(repository_contract, an_event_s_registrations_come_by_family_name_then_given_name) {
    auto uow = this->db().begin(access::write);
    const auto event_id = uow->events().insert(this->an_event("noms"))->id;
    const auto add = [&](std::optional<std::string> given, std::optional<std::string> family,
                         const std::string& full, const std::string& email,
                         registration_status status) {
        auto r = this->a_registration(event_id, email, status, 0);
        r.full_name = full;
        r.given_name = given;
        r.family_name = family;
        return uow->registrations().insert(r)->id;
    };
    const auto roux =
        add("Amélie", "Roux", "Amélie Roux", "a@x.fr", registration_status::confirmed);
    const auto delage = add("Jean-Pierre", "Delage", "Jean-Pierre Delage", "jp@x.fr",
                            registration_status::waitlisted);
    const auto zola =
        add(std::nullopt, std::nullopt, "Camille Zola", "c@x.fr", registration_status::confirmed);
    const auto gone =
        add("Élodie", "Abadie", "Élodie Abadie", "e@x.fr", registration_status::cancelled);
    const auto fontaine = add("Jean", "de La Fontaine", "Jean de La Fontaine", "j@x.fr",
                              registration_status::confirmed);
    uow->commit();
    uow = this->db().begin(access::read);
    const auto ids = [](const std::vector<registration>& rows) {
        std::vector<id_t> out;
        for (const auto& r : rows)
            out.push_back(r.id);
        return out;
    };
    EXPECT_EQ(ids(uow->registrations().active_for_event(event_id)),
              (std::vector<id_t>{zola, delage, fontaine, roux}));
    EXPECT_EQ(ids(uow->registrations().all_for_event(event_id)),
              (std::vector<id_t>{gone, zola, delage, fontaine, roux}));
    const auto found = uow->registrations().find(fontaine);
    EXPECT_EQ(found->given_name, "Jean");
    EXPECT_EQ(found->family_name, "de La Fontaine");
    EXPECT_EQ(uow->registrations().find(zola)->family_name, std::nullopt);
}

TYPED_TEST(repository_contract,
           the_label_keeps_one_edition_a_year_one_candidacy_a_category_and_one_award_a_candidacy) {
    auto uow = this->db().begin(access::write);
    const auto submitter = uow->accounts().insert(this->an_account("owner@x.fr"))->id;
    const auto territory =
        uow->territories().insert(this->a_territory("Aixe-sur-Vienne", "218700017"))->id;
    campaign c;
    c.year = 2027;
    c.name = "Territoires innovants 2027";
    c.categories = {{"tiers-lieux", "Tiers-lieux"}, {"inclusion", "Inclusion"}};
    c.criteria = {{"impact", "Impact", 1.0, false, 0.0}};
    c.candidacy_opens_at = now;
    c.candidacy_closes_at = now + std::chrono::hours{24 * 30};
    c.created_at = c.updated_at = now;
    const auto made = uow->labels().insert_campaign(c);
    ASSERT_TRUE(made);
    const auto taken = uow->labels().insert_campaign(c);
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().broken, rule::campaign_year_taken);

    candidacy d;
    d.campaign_id = made->id;
    d.territory_id = territory;
    d.category = "tiers-lieux";
    d.initiative_title = "Un tiers-lieu";
    d.summary = "Ouvert à tous";
    d.submitted_by = submitter;
    d.submitted_at = d.updated_at = now;
    const auto first = uow->labels().insert_candidacy(d);
    ASSERT_TRUE(first);
    const auto twice = uow->labels().insert_candidacy(d);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().broken, rule::candidacy_exists);
    auto elsewhere = d;
    elsewhere.category = "inclusion";
    ASSERT_TRUE(uow->labels().insert_candidacy(elsewhere));
    // Withdrawn, it frees its category.
    auto withdrawn = *first;
    withdrawn.status = candidacy_status::withdrawn;
    ASSERT_TRUE(uow->labels().update_candidacy(withdrawn));
    const auto again = uow->labels().insert_candidacy(d);
    ASSERT_TRUE(again);

    award a;
    a.campaign_id = made->id;
    a.candidacy_id = again->id;
    a.territory_id = territory;
    a.category = "tiers-lieux";
    a.level = award_level::or_;
    a.awarded_at = now;
    const auto given = uow->labels().insert_award(a);
    ASSERT_TRUE(given);
    const auto second = uow->labels().insert_award(a);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().broken, rule::award_exists);
    // Revoked, it leaves room for another award.
    uow->labels().revoke_award(given->id, now, "Erreur de saisie");
    EXPECT_TRUE(uow->labels().insert_award(a));
}

} // namespace
} // namespace rencontres
