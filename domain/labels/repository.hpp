#pragma once

#include "domain/common/result.hpp"
#include "domain/labels/model.hpp"

#include <optional>
#include <vector>

namespace rencontres {

class labels_repository {
public:
    virtual ~labels_repository() = default;
    // conflict when a campaign of that year exists.
    virtual result<campaign> insert_campaign(const campaign& draft) = 0;
    virtual void update_campaign(const campaign& changed) = 0; // categories and criteria too
    virtual std::optional<campaign> find_campaign(id_t id) = 0;
    virtual std::optional<campaign> find_campaign_by_year(int year) = 0;
    // By year, newest first.
    virtual std::vector<campaign> list_campaigns(bool include_drafts) = 0;

    // conflict when the territory already has an active candidacy in that category.
    virtual result<candidacy> insert_candidacy(const candidacy& draft) = 0;
    virtual result<void> update_candidacy(const candidacy& changed) = 0;
    virtual std::optional<candidacy> find_candidacy(id_t id) = 0;
    virtual std::vector<candidacy> list_candidacies(id_t campaign_id,
                                                    const std::optional<std::string>& category,
                                                    std::optional<candidacy_status> status,
                                                    std::optional<id_t> submitted_by) = 0;

    // Replaces the reviewer's earlier review of the candidacy, if any.
    virtual review save_review(const review& draft) = 0;
    virtual std::vector<review> reviews_of(id_t candidacy_id) = 0;
    virtual std::vector<review> reviews_of_campaign(id_t campaign_id) = 0;

    // conflict when the candidacy already holds an active award.
    virtual result<award> insert_award(const award& draft) = 0;
    virtual std::optional<award> find_award(id_t id) = 0;
    virtual void revoke_award(id_t id, instant at, const std::string& reason) = 0;
    virtual std::vector<award> active_awards(id_t campaign_id) = 0;
};

} // namespace rencontres
