#pragma once

#include "domain/agenda/observer.hpp"
#include "domain/common/actor.hpp"
#include "domain/common/result.hpp"
#include "domain/labels/model.hpp"

namespace rencontres {

class store;

struct campaign_fields {
    std::optional<long long> year;
    std::optional<std::string> name;
    std::optional<std::vector<category>> categories;
    std::optional<std::vector<criterion>> criteria;
    std::optional<std::string> candidacy_opens_at;
    std::optional<std::string> candidacy_closes_at;
    std::optional<std::optional<id_t>> final_event_id;
    std::optional<std::string> status;
};

struct candidacy_fields {
    std::optional<std::string> territory_id;
    std::optional<std::string> category;
    std::optional<std::string> initiative_title;
    std::optional<std::string> summary;
    std::optional<std::vector<std::string>> links;
    std::optional<std::optional<std::string>> presented_at_event_id;
    std::optional<std::string> status;
};

// What a caller may see of a candidacy's reviews: the means always; the individual reviews
// (with their reviewers and comments) only for admins, and a juror's own review for that juror.
struct review_summary {
    ranking_entry scores;
    std::vector<review> reviews;
};

class label_service {
public:
    // `observer` is told when what an event's page shows of a palmarès may have changed (the
    // edition's final event: its awards, its name or its state).
    explicit label_service(store& db, agenda_observer* observer = nullptr)
        : db_(db), observer_(observer) {}

    result<campaign> create_campaign(const actor& who, const campaign_fields& fields, instant now);
    result<campaign> update_campaign(const actor& who, id_t id, const campaign_fields& fields,
                                     instant now);
    result<std::vector<campaign>> list_campaigns(const actor& who);
    result<campaign> get_campaign(const actor& who, id_t id);

    result<candidacy> submit_candidacy(const actor& who, id_t campaign_id,
                                       const candidacy_fields& fields, instant now);
    result<std::vector<candidacy>> list_candidacies(const actor& who, id_t campaign_id,
                                                    const std::optional<std::string>& category,
                                                    const std::optional<std::string>& status);
    // One candidacy, for its submitter, jurors and admins.
    result<candidacy> get_candidacy(const actor& who, id_t id);
    result<candidacy> update_candidacy(const actor& who, id_t id, const candidacy_fields& fields,
                                       instant now);

    result<review> review_candidacy(const actor& who, id_t candidacy_id,
                                    const std::vector<score>& scores,
                                    const std::optional<std::string>& comment, instant now);
    result<review_summary> candidacy_reviews(const actor& who, id_t candidacy_id);
    result<std::vector<ranking_entry>> ranking(const actor& who, id_t campaign_id,
                                               const std::optional<std::string>& category);

    // Admin only, checked here and not only by the route.
    result<award> award_label(const actor& who, id_t campaign_id, const std::string& candidacy_id,
                              const std::string& level, const std::optional<std::string>& citation,
                              instant now);
    // The palmarès as it would read with that award given, checked as award_label checks it
    // and written nowhere: what the admin sees before the award is public.
    result<palmares> preview_award(const actor& who, id_t campaign_id,
                                   const std::string& candidacy_id, const std::string& level,
                                   const std::optional<std::string>& citation, instant now);
    result<award> revoke_award(const actor& who, id_t award_id, const std::string& reason,
                               instant now);
    result<palmares> get_palmares(int year);
    // The public palmarès of the edition whose final event this is, if any.
    std::optional<palmares> palmares_presented_at(id_t event_id);

private:
    void tell(std::optional<id_t> event_id) const;

    store& db_;
    agenda_observer* observer_;
};

} // namespace rencontres
