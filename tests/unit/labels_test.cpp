#include "domain/labels/service.hpp"
#include "fakes.hpp"

#include <gtest/gtest.h>

namespace rencontres {
namespace {

using testing::at;

campaign demo_campaign() {
    campaign c;
    c.id = 1;
    c.year = 2018;
    c.categories = {{"tiers-lieux", "Tiers-lieux"}, {"economie", "Économie"}};
    c.criteria = {{"innovation", "Caractère innovant", 2, true, 1},
                  {"usagers", "Place des usagers", 2, false, 1},
                  {"partenariat", "Partenariat", 1, false, 1}};
    c.status = campaign_status::closed;
    return c;
}

candidacy candidate(id_t id, const char* submitted) {
    candidacy c;
    c.id = id;
    c.campaign_id = 1;
    c.category = "tiers-lieux";
    c.submitted_at = at(submitted);
    return c;
}

review scored(id_t candidacy_id, id_t reviewer, int innovation, int usagers, int partenariat) {
    return {0,
            candidacy_id,
            reviewer,
            {{"innovation", innovation}, {"usagers", usagers}, {"partenariat", partenariat}},
            std::nullopt,
            {}};
}

TEST(score_candidacy, is_the_mean_over_reviewers_of_the_weighted_mean) {
    const auto c = demo_campaign();
    const auto entry =
        score_candidacy(c, candidate(7, "2018-05-01T00:00:00Z"),
                        {scored(7, 1, 4, 5, 4), scored(7, 2, 2, 3, 5), scored(8, 1, 0, 0, 0)});
    EXPECT_EQ(entry.review_count, 2);
    EXPECT_DOUBLE_EQ(entry.weighted_total, (22.0 / 5 + 15.0 / 5) / 2); // 4.4 and 3.0
    EXPECT_DOUBLE_EQ(entry.criteria_means.at("innovation"), 3.0);
    EXPECT_DOUBLE_EQ(entry.criteria_means.at("usagers"), 4.0);
    EXPECT_DOUBLE_EQ(entry.criteria_means.at("partenariat"), 4.5);
    EXPECT_FALSE(entry.eliminated);
}

TEST(score_candidacy, an_eliminatory_mean_below_its_threshold_eliminates_and_says_which) {
    const auto c = demo_campaign();
    const auto entry = score_candidacy(c, candidate(7, "2018-05-01T00:00:00Z"),
                                       {scored(7, 1, 0, 5, 5), scored(7, 2, 1, 5, 5)});
    EXPECT_DOUBLE_EQ(entry.criteria_means.at("innovation"), 0.5);
    EXPECT_TRUE(entry.eliminated);
    EXPECT_EQ(entry.eliminated_by, "innovation");
    // Exactly at the threshold is not below it.
    const auto edge =
        score_candidacy(c, candidate(7, "2018-05-01T00:00:00Z"), {scored(7, 1, 1, 0, 0)});
    EXPECT_FALSE(edge.eliminated);
}

TEST(rank, puts_eliminated_last_and_breaks_ties_by_reviews_then_submission_then_id) {
    const auto c = demo_campaign();
    std::vector<candidacy> all{
        candidate(1, "2018-05-03T00:00:00Z"), candidate(2, "2018-05-01T00:00:00Z"),
        candidate(3, "2018-05-02T00:00:00Z"), candidate(4, "2018-05-02T00:00:00Z"),
        candidate(5, "2018-05-01T00:00:00Z"), candidate(6, "2018-05-01T00:00:00Z")};
    all[5].status = candidacy_status::withdrawn;
    const std::vector<review> reviews{
        scored(1, 1, 5, 5, 5), // 5.0, one review
        scored(2, 1, 0, 5, 5),
        scored(2, 2, 0, 5, 5), // eliminated despite 3.0... by innovation
        scored(3, 1, 3, 3, 3),
        scored(3, 2, 3, 3, 3), // 3.0, two reviews
        scored(4, 1, 3, 3, 3),
        scored(4, 2, 3, 3, 3),  // 3.0, two reviews, same time as 3: id decides
        scored(5, 1, 3, 3, 3),  // 3.0, one review
        scored(6, 1, 5, 5, 5)}; // withdrawn: left out
    const auto ranked = rank(c, all, reviews);
    std::vector<id_t> order;
    for (const auto& e : ranked)
        order.push_back(e.candidacy.id);
    EXPECT_EQ(order, (std::vector<id_t>{1, 3, 4, 5, 2}));
    EXPECT_TRUE(ranked.back().eliminated);
}

TEST(can_move, goes_forward_one_step_at_a_time) {
    EXPECT_TRUE(can_move(campaign_status::draft, campaign_status::open));
    EXPECT_TRUE(can_move(campaign_status::open, campaign_status::closed));
    EXPECT_TRUE(can_move(campaign_status::closed, campaign_status::awarded));
    EXPECT_FALSE(can_move(campaign_status::draft, campaign_status::closed));
    EXPECT_FALSE(can_move(campaign_status::open, campaign_status::draft));
    EXPECT_FALSE(can_move(campaign_status::awarded, campaign_status::closed));
}

struct labels_fixture : ::testing::Test {
    testing::memory_store db;
    label_service labels{db};
    const instant now = at("2026-05-01T10:00:00Z");
    const actor admin{1, role::admin};
    const actor organizer{2, role::organizer};
    const actor other_organizer{3, role::organizer};
    const actor juror{4, role::jury};
    id_t campaign_id = 0;

    void SetUp() override {
        db.state.territories[50] = territory{
            50, "Grand Guéret", territory_kind::communaute_agglomeration, "200070878", "NA"};
        campaign_fields f;
        f.year = 2026;
        f.name = "Label 2026";
        f.categories = std::vector<category>{{"tiers-lieux", "Tiers-lieux"}};
        f.criteria = std::vector<criterion>{{"innovation", "Innovation", 2, true, 1},
                                            {"usagers", "Usagers", 1, false, 1}};
        f.candidacy_opens_at = "2026-04-01T00:00:00Z";
        f.candidacy_closes_at = "2026-06-01T00:00:00Z";
        const auto c = labels.create_campaign(admin, f, now);
        ASSERT_TRUE(c) << c.error().message;
        campaign_id = c->id;
        campaign_fields open;
        open.status = "open";
        ASSERT_TRUE(labels.update_campaign(admin, campaign_id, open, now));
    }
    candidacy submit(const actor& who = {2, role::organizer}) {
        candidacy_fields f;
        f.territory_id = "50";
        f.category = "tiers-lieux";
        f.initiative_title = "La Quincaillerie";
        auto c = labels.submit_candidacy(who, campaign_id, f, now);
        EXPECT_TRUE(c) << (c ? "" : c.error().message);
        return *c;
    }
    // A candidacy in tiers-lieux for a new agglomeration `id` named `name`.
    candidacy submit_for(id_t id, const std::string& name, const std::string& siren,
                         const std::string& title) {
        db.state.territories[id] =
            territory{id, name, territory_kind::communaute_agglomeration, siren, "NA"};
        candidacy_fields f;
        f.territory_id = id_text(id);
        f.category = "tiers-lieux";
        f.initiative_title = title;
        auto c = labels.submit_candidacy(organizer, campaign_id, f, now);
        EXPECT_TRUE(c) << (c ? "" : c.error().message);
        return *c;
    }
};

TEST_F(labels_fixture, only_admins_manage_campaigns_and_drafts_are_hidden) {
    campaign_fields f;
    f.name = "x";
    EXPECT_EQ(labels.create_campaign(organizer, f, now).error().code, errc::forbidden);
    EXPECT_EQ(labels.create_campaign(actor::anonymous(), f, now).error().code,
              errc::unauthenticated);
    campaign_fields back;
    back.status = "draft";
    EXPECT_EQ(labels.update_campaign(admin, campaign_id, back, now).error().code, errc::conflict);
    campaign_fields skip;
    skip.status = "awarded";
    EXPECT_EQ(labels.update_campaign(admin, campaign_id, skip, now).error().code, errc::conflict);
}

TEST_F(labels_fixture, candidacies_only_inside_the_window_and_once_per_territory_and_category) {
    const auto first = submit();
    candidacy_fields again;
    again.territory_id = "50";
    again.category = "tiers-lieux";
    again.initiative_title = "Encore";
    EXPECT_EQ(labels.submit_candidacy(organizer, campaign_id, again, now).error().code,
              errc::conflict);
    again.category = "nope";
    EXPECT_EQ(labels.submit_candidacy(organizer, campaign_id, again, now).error().code,
              errc::invalid);
    again.category = "tiers-lieux";
    EXPECT_EQ(labels.submit_candidacy(organizer, campaign_id, again, at("2026-07-01T00:00:00Z"))
                  .error()
                  .code,
              errc::conflict);
    // Withdrawn, the territory may submit again.
    candidacy_fields withdraw;
    withdraw.status = "withdrawn";
    EXPECT_EQ(labels.update_candidacy(other_organizer, first.id, withdraw, now).error().code,
              errc::not_found);
    ASSERT_TRUE(labels.update_candidacy(organizer, first.id, withdraw, now));
    EXPECT_TRUE(labels.submit_candidacy(organizer, campaign_id, again, now));
}

TEST_F(labels_fixture, reviews_score_every_criterion_from_0_to_5_and_replace_earlier_ones) {
    const auto c = submit();
    EXPECT_EQ(labels.review_candidacy(organizer, c.id, {{"innovation", 3}, {"usagers", 3}}, {}, now)
                  .error()
                  .code,
              errc::forbidden);
    const auto missing = labels.review_candidacy(juror, c.id, {{"innovation", 3}}, {}, now);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().fields.at(0),
              (field_error{"scores", field_rule::incomplete, "criterion usagers is not scored"}));
    const auto high =
        labels.review_candidacy(juror, c.id, {{"innovation", 6}, {"usagers", 3}}, {}, now);
    EXPECT_EQ(high.error().fields.at(0).field, "scores[0].score");
    const auto unknown = labels.review_candidacy(
        juror, c.id, {{"innovation", 1}, {"usagers", 3}, {"style", 2}}, {}, now);
    EXPECT_EQ(unknown.error().fields.at(0).field, "scores[2].criterion");
    ASSERT_TRUE(labels.review_candidacy(juror, c.id, {{"innovation", 1}, {"usagers", 1}},
                                        {"premier avis"}, now));
    ASSERT_TRUE(labels.review_candidacy(juror, c.id, {{"innovation", 4}, {"usagers", 1}}, {}, now));
    EXPECT_EQ(db.state.reviews.size(), 1u);
    const auto summary = labels.candidacy_reviews(juror, c.id);
    EXPECT_DOUBLE_EQ(summary->scores.weighted_total, 3.0);
}

TEST_F(labels_fixture,
       awards_are_for_admins_only_and_never_for_eliminated_or_withdrawn_candidacies) {
    const auto good = submit();
    EXPECT_EQ(
        labels.award_label(organizer, campaign_id, id_text(good.id), "or", {}, now).error().code,
        errc::forbidden);
    EXPECT_EQ(labels.award_label(juror, campaign_id, id_text(good.id), "or", {}, now).error().code,
              errc::forbidden);
    EXPECT_EQ(labels.award_label(actor::anonymous(), campaign_id, id_text(good.id), "or", {}, now)
                  .error()
                  .code,
              errc::unauthenticated);
    EXPECT_EQ(
        labels.award_label(admin, campaign_id, id_text(good.id), "platine", {}, now).error().code,
        errc::invalid);
    const auto a = labels.award_label(admin, campaign_id, id_text(good.id), "or", {"Bravo"}, now);
    ASSERT_TRUE(a);
    EXPECT_EQ(
        labels.award_label(admin, campaign_id, id_text(good.id), "argent", {}, now).error().code,
        errc::conflict);
    ASSERT_TRUE(labels.revoke_award(admin, a->id, "erreur de saisie", now));
    EXPECT_EQ(labels.revoke_award(admin, a->id, "encore", now).error().code, errc::conflict);
    EXPECT_TRUE(labels.award_label(admin, campaign_id, id_text(good.id), "argent", {}, now));

    db.state.territories[51] =
        territory{51, "Brive", territory_kind::communaute_agglomeration, "241900158", "NA"};
    candidacy_fields f;
    f.territory_id = "51";
    f.category = "tiers-lieux";
    f.initiative_title = "Commerçants";
    const auto weak = labels.submit_candidacy(organizer, campaign_id, f, now);
    ASSERT_TRUE(
        labels.review_candidacy(juror, weak->id, {{"innovation", 0}, {"usagers", 5}}, {}, now));
    const auto refused =
        labels.award_label(admin, campaign_id, id_text(weak->id), "bronze", {}, now);
    EXPECT_EQ(refused.error().code, errc::conflict);
    EXPECT_EQ(refused.error().message,
              "An eliminated candidacy cannot be awarded (criterion innovation).");
}

TEST_F(labels_fixture, the_palmares_orders_levels_and_hides_revoked_awards) {
    const auto a = submit();
    const auto b = submit_for(51, "Brive", "241900158", "B");
    const auto c = submit_for(52, "Pau", "246400881", "C");
    ASSERT_TRUE(labels.award_label(admin, campaign_id, id_text(a.id), "bronze", {}, now));
    const auto revoked = labels.award_label(admin, campaign_id, id_text(b.id), "argent", {}, now);
    ASSERT_TRUE(labels.award_label(admin, campaign_id, id_text(c.id), "or", {}, now));
    ASSERT_TRUE(labels.revoke_award(admin, revoked->id, "retiré", now));
    const auto p = labels.get_palmares(2026);
    ASSERT_TRUE(p);
    ASSERT_EQ(p->categories.size(), 1u);
    ASSERT_EQ(p->categories[0].awards.size(), 2u);
    EXPECT_EQ(p->categories[0].awards[0].award.level, award_level::or_);
    EXPECT_EQ(p->categories[0].awards[1].award.level, award_level::bronze);
    EXPECT_EQ(labels.get_palmares(2019).error().code, errc::not_found);
}

TEST_F(labels_fixture, a_preview_shows_the_palmares_with_the_award_and_writes_nothing) {
    const auto given = submit();
    const auto next = submit_for(51, "Brive", "241900158", "Bus numérique");
    ASSERT_TRUE(labels.award_label(admin, campaign_id, id_text(given.id), "bronze", {}, now));
    const auto audited = db.state.audit.size();
    const auto messages = db.state.outbox.size();

    const auto p = labels.preview_award(admin, campaign_id, id_text(next.id), "or",
                                        {"Un bus dans chaque bourg"}, now);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->campaign.id, campaign_id);
    ASSERT_EQ(p->categories.size(), 1u);
    ASSERT_EQ(p->categories[0].awards.size(), 2u);
    // The pending award has no id and takes its place by level: or before bronze.
    EXPECT_EQ(p->categories[0].awards[0].award.id, 0);
    EXPECT_EQ(p->categories[0].awards[0].award.level, award_level::or_);
    EXPECT_EQ(p->categories[0].awards[0].candidacy.initiative_title, "Bus numérique");
    EXPECT_EQ(p->categories[0].awards[0].territory.name, "Brive");
    EXPECT_EQ(p->categories[0].awards[0].award.citation,
              std::optional<std::string>("Un bus dans chaque bourg"));
    EXPECT_EQ(p->categories[0].awards[1].candidacy.id, given.id);
    // Nothing written: the public palmarès, the audit log and the outbox are as they were.
    EXPECT_EQ(labels.get_palmares(2026)->categories[0].awards.size(), 1u);
    EXPECT_EQ(db.state.audit.size(), audited);
    EXPECT_EQ(db.state.outbox.size(), messages);
    EXPECT_EQ(labels.get_candidacy(admin, next.id)->status, candidacy_status::submitted);

    // Refused as the award itself would be.
    EXPECT_EQ(
        labels.preview_award(juror, campaign_id, id_text(next.id), "or", {}, now).error().code,
        errc::forbidden);
    EXPECT_EQ(
        labels.preview_award(admin, campaign_id, id_text(next.id), "platine", {}, now).error().code,
        errc::invalid);
    EXPECT_EQ(labels.preview_award(admin, campaign_id, "9999", "or", {}, now).error().code,
              errc::invalid);
    const auto again = labels.preview_award(admin, campaign_id, id_text(given.id), "or", {}, now);
    EXPECT_EQ(again.error().code, errc::conflict);
    EXPECT_EQ(again.error().message, "This candidacy already holds an award.");
}

} // namespace
} // namespace rencontres
