// The "Territoires innovants" label: yearly campaigns (editions), candidacies of territories in
// categories, jury reviews on weighted criteria, awards and the public palmarès.
#pragma once

#include "domain/common/ids.hpp"
#include "domain/common/time.hpp"
#include "domain/territories/model.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rencontres {

enum class campaign_status { draft, open, closed, awarded };
std::string_view to_string(campaign_status s);
std::optional<campaign_status> parse_campaign_status(std::string_view text);
// Only forward, one step at a time: draft -> open -> closed -> awarded.
bool can_move(campaign_status from, campaign_status to);

struct category {
    std::string code;
    std::string name;
};

struct criterion {
    std::string code;
    std::string name;
    double weight = 1;        // > 0
    bool eliminatory = false; // a mean below `threshold` eliminates the candidacy
    double threshold = 1;
};

struct campaign {
    id_t id = 0;
    int year = 0;
    std::string name;
    std::vector<category> categories;
    std::vector<criterion> criteria;
    instant candidacy_opens_at{};
    instant candidacy_closes_at{};
    std::optional<id_t> final_event_id;
    campaign_status status = campaign_status::draft;
    instant created_at{};
    instant updated_at{};

    const category* find_category(std::string_view code) const;
    bool window_open(instant now) const {
        return status == campaign_status::open && now >= candidacy_opens_at &&
               now < candidacy_closes_at;
    }
};

enum class candidacy_status { submitted, withdrawn, shortlisted, eliminated, awarded, not_awarded };
std::string_view to_string(candidacy_status s);
std::optional<candidacy_status> parse_candidacy_status(std::string_view text);

struct candidacy {
    id_t id = 0;
    id_t campaign_id = 0;
    id_t territory_id = 0;
    std::string category;
    std::string initiative_title;
    std::string summary;
    std::vector<std::string> links;
    std::optional<id_t> presented_at_event_id;
    candidacy_status status = candidacy_status::submitted;
    id_t submitted_by = 0;
    instant submitted_at{};
    instant updated_at{};
};

struct score {
    std::string criterion;
    std::int64_t value = 0; // 0..5, checked before anything narrows it
};

struct review {
    id_t id = 0;
    id_t candidacy_id = 0;
    id_t reviewer_id = 0;
    std::vector<score> scores;
    std::optional<std::string> comment;
    instant created_at{};
};

enum class award_level { bronze, argent, or_ };
std::string_view to_string(award_level l);
std::optional<award_level> parse_award_level(std::string_view text);

struct award {
    id_t id = 0;
    id_t campaign_id = 0;
    id_t candidacy_id = 0;
    id_t territory_id = 0;
    std::string category;
    award_level level = award_level::bronze;
    std::optional<std::string> citation;
    instant awarded_at{};
    std::optional<instant> revoked_at;
    std::optional<std::string> revocation_reason;
};

// --- scoring --------------------------------------------------------------------------------

struct ranking_entry {
    rencontres::candidacy candidacy;
    double weighted_total = 0; // mean over reviewers of Σ weight·score / Σ weight
    int review_count = 0;
    std::map<std::string, double> criteria_means;
    bool eliminated = false;
    std::optional<std::string> eliminated_by; // the first eliminatory criterion failed
};

// Scores one candidacy from its reviews.
ranking_entry score_candidacy(const campaign& c, const candidacy& candidate,
                              const std::vector<review>& reviews);

// Withdrawn candidacies are left out. Not eliminated first, then eliminated; within each, by
// weighted total (descending), then number of reviews (descending), then submission time and id
// (ascending) — a deterministic order for equal totals.
std::vector<ranking_entry> rank(const campaign& c, const std::vector<candidacy>& candidacies,
                                const std::vector<review>& reviews);

// --- the palmarès ---------------------------------------------------------------------------

struct palmares_line {
    rencontres::award award;
    rencontres::candidacy candidacy;
    rencontres::territory territory;
};

struct palmares_category {
    rencontres::category category;
    std::vector<palmares_line> awards; // or, then argent, then bronze; by award time and id
};

struct palmares {
    rencontres::campaign campaign;
    std::vector<palmares_category> categories; // in the campaign's order, empty ones left out
};

} // namespace rencontres
