#include "server/storage/postgres/connection.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/connection.hpp"

namespace rencontres::storage {
namespace {

constexpr const char* insert_campaign_query =
    "INSERT INTO label_campaigns (year, name, candidacy_opens_at, candidacy_closes_at, "
    "final_event_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* update_campaign_query =
    "UPDATE label_campaigns SET year = ?, name = ?, candidacy_opens_at = ?, candidacy_closes_at = "
    "?, "
    "final_event_id = ?, status = ?, updated_at = ? WHERE id = ?";
#define CAMPAIGN_COLUMNS                                                                           \
    "id, year, name, candidacy_opens_at, candidacy_closes_at, final_event_id, status, "            \
    "created_at, updated_at"
constexpr const char* campaign_by_id =
    "SELECT " CAMPAIGN_COLUMNS " FROM label_campaigns WHERE id = ?";
constexpr const char* campaign_by_year =
    "SELECT " CAMPAIGN_COLUMNS " FROM label_campaigns WHERE year = ?";
constexpr const char* list_campaigns_query =
    "SELECT " CAMPAIGN_COLUMNS
    " FROM label_campaigns WHERE ?1 = 1 OR status <> 'draft' ORDER BY year DESC";
constexpr const char* categories_of =
    "SELECT code, name FROM label_categories WHERE campaign_id = ? ORDER BY position";
constexpr const char* criteria_of = "SELECT code, name, weight, eliminatory, threshold FROM "
                                    "label_criteria WHERE campaign_id = ? ORDER BY position";
constexpr const char* delete_categories = "DELETE FROM label_categories WHERE campaign_id = ?";
constexpr const char* delete_criteria = "DELETE FROM label_criteria WHERE campaign_id = ?";
constexpr const char* insert_category =
    "INSERT INTO label_categories (campaign_id, position, code, name) VALUES (?, ?, ?, ?)";
constexpr const char* insert_criterion = "INSERT INTO label_criteria (campaign_id, position, code, "
                                         "name, weight, eliminatory, threshold) "
                                         "VALUES (?, ?, ?, ?, ?, ?, ?)";

#define CANDIDACY_COLUMNS                                                                          \
    "id, campaign_id, territory_id, category, initiative_title, summary, links, "                  \
    "presented_at_event_id, status, submitted_by, submitted_at, updated_at"
constexpr const char* insert_candidacy_query =
    "INSERT INTO label_candidacies (campaign_id, territory_id, category, initiative_title, "
    "summary, "
    "links, presented_at_event_id, status, submitted_by, submitted_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* update_candidacy_query =
    "UPDATE label_candidacies SET territory_id = ?, category = ?, initiative_title = ?, summary = "
    "?, "
    "links = ?, presented_at_event_id = ?, status = ?, updated_at = ? WHERE id = ?";
constexpr const char* candidacy_by_id =
    "SELECT " CANDIDACY_COLUMNS " FROM label_candidacies WHERE id = ?";
constexpr const char* list_candidacies_query =
    "SELECT " CANDIDACY_COLUMNS " FROM label_candidacies WHERE campaign_id = ?1 AND "
    "(category = ?2 OR ?2 IS NULL) AND (status = ?3 OR ?3 IS NULL) AND "
    "(submitted_by = ?4 OR ?4 IS NULL) "
    "ORDER BY id";

constexpr const char* find_own_review =
    "SELECT id FROM label_reviews WHERE candidacy_id = ? AND reviewer_id = ?";
constexpr const char* delete_review = "DELETE FROM label_reviews WHERE id = ?";
constexpr const char* insert_review = "INSERT INTO label_reviews (candidacy_id, reviewer_id, "
                                      "comment, created_at) VALUES (?, ?, ?, ?) RETURNING id";
constexpr const char* insert_score =
    "INSERT INTO label_scores (review_id, criterion, score) VALUES (?, ?, ?)";
constexpr const char* reviews_of_candidacy =
    "SELECT id, candidacy_id, reviewer_id, comment, created_at FROM label_reviews WHERE "
    "candidacy_id = ? ORDER BY id";
constexpr const char* reviews_of_campaign_query =
    "SELECT r.id, r.candidacy_id, r.reviewer_id, r.comment, r.created_at FROM label_reviews r "
    "JOIN label_candidacies c ON c.id = r.candidacy_id WHERE c.campaign_id = ? ORDER BY r.id";
constexpr const char* scores_of =
    "SELECT criterion, score FROM label_scores WHERE review_id = ? ORDER BY criterion";

#define AWARD_COLUMNS                                                                              \
    "id, campaign_id, candidacy_id, territory_id, category, level, citation, awarded_at, "         \
    "revoked_at, revocation_reason"
constexpr const char* insert_award_query =
    "INSERT INTO label_awards (campaign_id, candidacy_id, territory_id, category, level, citation, "
    "awarded_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* award_by_id = "SELECT " AWARD_COLUMNS " FROM label_awards WHERE id = ?";
constexpr const char* revoke_query =
    "UPDATE label_awards SET revoked_at = ?, revocation_reason = ? WHERE id = ?";
constexpr const char* active_awards_query =
    "SELECT " AWARD_COLUMNS
    " FROM label_awards WHERE campaign_id = ? AND revoked_at IS NULL ORDER BY id";

candidacy read_candidacy(const auto& row) {
    candidacy c;
    c.id = row.integer(0);
    c.campaign_id = row.integer(1);
    c.territory_id = row.integer(2);
    c.category = row.text(3);
    c.initiative_title = row.text(4);
    c.summary = row.text(5);
    c.links = split_lines(row.text(6));
    c.presented_at_event_id = row.optional_integer(7);
    c.status = parse_candidacy_status(row.text(8)).value_or(candidacy_status::submitted);
    c.submitted_by = row.integer(9);
    c.submitted_at = at_seconds(row.integer(10));
    c.updated_at = at_seconds(row.integer(11));
    return c;
}

award read_award(const auto& row) {
    award a;
    a.id = row.integer(0);
    a.campaign_id = row.integer(1);
    a.candidacy_id = row.integer(2);
    a.territory_id = row.integer(3);
    a.category = row.text(4);
    a.level = parse_award_level(row.text(5)).value_or(award_level::bronze);
    a.citation = row.optional_text(6);
    a.awarded_at = at_seconds(row.integer(7));
    if (const auto at = row.optional_integer(8)) a.revoked_at = at_seconds(*at);
    a.revocation_reason = row.optional_text(9);
    return a;
}

} // namespace

template <class Db>
std::optional<campaign> sql_labels_repository<Db>::read_campaign(const char* sql,
                                                                 std::int64_t key) {
    std::optional<campaign> c;
    {
        auto query = db_.prepare(sql);
        query.bind(1, key);
        if (!query.step()) return std::nullopt;
        c = campaign{};
        c->id = query.integer(0);
        c->year = static_cast<int>(query.integer(1));
        c->name = query.text(2);
        c->candidacy_opens_at = at_seconds(query.integer(3));
        c->candidacy_closes_at = at_seconds(query.integer(4));
        c->final_event_id = query.optional_integer(5);
        c->status = parse_campaign_status(query.text(6)).value_or(campaign_status::draft);
        c->created_at = at_seconds(query.integer(7));
        c->updated_at = at_seconds(query.integer(8));
    }
    load_parts(*c);
    return c;
}

template <class Db> void sql_labels_repository<Db>::load_parts(campaign& c) {
    {
        auto query = db_.prepare(categories_of);
        query.bind(1, c.id);
        while (query.step())
            c.categories.push_back({query.text(0), query.text(1)});
    }
    auto query = db_.prepare(criteria_of);
    query.bind(1, c.id);
    while (query.step()) {
        criterion cr;
        cr.code = query.text(0);
        cr.name = query.text(1);
        cr.weight = query.real(2);
        cr.eliminatory = query.integer(3) != 0;
        cr.threshold = query.real(4);
        c.criteria.push_back(cr);
    }
}

template <class Db> void sql_labels_repository<Db>::store_parts(const campaign& c) {
    db_.prepare(delete_categories).bind(1, c.id).run();
    db_.prepare(delete_criteria).bind(1, c.id).run();
    int position = 0;
    for (const auto& cat : c.categories)
        db_.prepare(insert_category).bind_all(c.id, position++, cat.code, cat.name).run();
    position = 0;
    for (const auto& cr : c.criteria)
        db_.prepare(insert_criterion)
            .bind_all(c.id, position++, cr.code, cr.name, cr.weight, cr.eliminatory ? 1 : 0,
                      cr.threshold)
            .run();
}

template <class Db>
result<campaign> sql_labels_repository<Db>::insert_campaign(const campaign& draft) {
    const auto id = insert_unique(
        db_, insert_campaign_query, draft.year, draft.name, seconds(draft.candidacy_opens_at),
        seconds(draft.candidacy_closes_at), draft.final_event_id, to_string(draft.status),
        seconds(draft.created_at), seconds(draft.updated_at));
    if (!id) return conflict(rule::campaign_year_taken, "A campaign of that year exists already.");
    campaign created = draft;
    created.id = *id;
    store_parts(created);
    return created;
}

template <class Db> void sql_labels_repository<Db>::update_campaign(const campaign& c) {
    db_.prepare(update_campaign_query)
        .bind_all(c.year, c.name, seconds(c.candidacy_opens_at), seconds(c.candidacy_closes_at),
                  c.final_event_id, to_string(c.status), seconds(c.updated_at), c.id)
        .run();
    store_parts(c);
}

template <class Db> std::optional<campaign> sql_labels_repository<Db>::find_campaign(id_t id) {
    return read_campaign(campaign_by_id, id);
}

template <class Db>
std::optional<campaign> sql_labels_repository<Db>::find_campaign_by_year(int year) {
    return read_campaign(campaign_by_year, year);
}

template <class Db>
std::vector<campaign> sql_labels_repository<Db>::list_campaigns(bool include_drafts) {
    std::vector<id_t> ids;
    {
        auto query = db_.prepare(list_campaigns_query);
        query.bind(1, include_drafts ? 1 : 0);
        while (query.step())
            ids.push_back(query.integer(0));
    }
    std::vector<campaign> out;
    for (const auto id : ids)
        if (auto c = find_campaign(id)) out.push_back(std::move(*c));
    return out;
}

template <class Db>
result<candidacy> sql_labels_repository<Db>::insert_candidacy(const candidacy& d) {
    const auto id = insert_unique(db_, insert_candidacy_query, d.campaign_id, d.territory_id,
                                  d.category, d.initiative_title, d.summary, join_lines(d.links),
                                  d.presented_at_event_id, to_string(d.status), d.submitted_by,
                                  seconds(d.submitted_at), seconds(d.updated_at));
    if (!id)
        return conflict(rule::candidacy_exists,
                        "This territory already has a candidacy in that category of the campaign.");
    candidacy created = d;
    created.id = *id;
    return created;
}

template <class Db> result<void> sql_labels_repository<Db>::update_candidacy(const candidacy& c) {
    if (!write_unique(db_, update_candidacy_query, c.territory_id, c.category, c.initiative_title,
                      c.summary, join_lines(c.links), c.presented_at_event_id, to_string(c.status),
                      seconds(c.updated_at), c.id))
        return conflict(rule::candidacy_exists,
                        "This territory already has a candidacy in that category of the campaign.");
    return {};
}

template <class Db> std::optional<candidacy> sql_labels_repository<Db>::find_candidacy(id_t id) {
    auto query = db_.prepare(candidacy_by_id);
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return read_candidacy(query);
}

template <class Db>
std::vector<candidacy> sql_labels_repository<Db>::list_candidacies(
    id_t campaign_id, const std::optional<std::string>& category,
    std::optional<candidacy_status> status, std::optional<id_t> submitted_by) {
    auto query = db_.prepare(list_candidacies_query);
    query.bind_all(campaign_id, category,
                   status ? std::optional<std::string>(std::string(to_string(*status)))
                          : std::nullopt,
                   submitted_by);
    std::vector<candidacy> out;
    while (query.step())
        out.push_back(read_candidacy(query));
    return out;
}

template <class Db> review sql_labels_repository<Db>::save_review(const review& draft) {
    std::optional<id_t> previous;
    {
        auto query = db_.prepare(find_own_review);
        query.bind_all(draft.candidacy_id, draft.reviewer_id);
        if (query.step()) previous = query.integer(0);
    }
    if (previous) db_.prepare(delete_review).bind(1, *previous).run();
    review saved = draft;
    saved.id = insert_returning_id(db_, insert_review, draft.candidacy_id, draft.reviewer_id,
                                   draft.comment, seconds(draft.created_at));
    for (const auto& s : saved.scores)
        db_.prepare(insert_score).bind_all(saved.id, s.criterion, s.value).run();
    return saved;
}

template <class Db>
std::vector<review> sql_labels_repository<Db>::read_reviews(const char* sql, id_t key) {
    std::vector<review> out;
    {
        auto query = db_.prepare(sql);
        query.bind(1, key);
        while (query.step())
            out.push_back({query.integer(0),
                           query.integer(1),
                           query.integer(2),
                           {},
                           query.optional_text(3),
                           at_seconds(query.integer(4))});
    }
    for (auto& r : out) {
        auto query = db_.prepare(scores_of);
        query.bind(1, r.id);
        while (query.step())
            r.scores.push_back({query.text(0), query.integer(1)});
    }
    return out;
}

template <class Db> std::vector<review> sql_labels_repository<Db>::reviews_of(id_t candidacy_id) {
    return read_reviews(reviews_of_candidacy, candidacy_id);
}

template <class Db>
std::vector<review> sql_labels_repository<Db>::reviews_of_campaign(id_t campaign_id) {
    return read_reviews(reviews_of_campaign_query, campaign_id);
}

template <class Db> result<award> sql_labels_repository<Db>::insert_award(const award& a) {
    const auto id =
        insert_unique(db_, insert_award_query, a.campaign_id, a.candidacy_id, a.territory_id,
                      a.category, to_string(a.level), a.citation, seconds(a.awarded_at));
    if (!id) return conflict(rule::award_exists, "This candidacy already holds an award.");
    award created = a;
    created.id = *id;
    return created;
}

template <class Db> std::optional<award> sql_labels_repository<Db>::find_award(id_t id) {
    auto query = db_.prepare(award_by_id);
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return read_award(query);
}

template <class Db>
void sql_labels_repository<Db>::revoke_award(id_t id, instant at, const std::string& reason) {
    db_.prepare(revoke_query).bind_all(seconds(at), reason, id).run();
}

template <class Db> std::vector<award> sql_labels_repository<Db>::active_awards(id_t campaign_id) {
    auto query = db_.prepare(active_awards_query);
    query.bind(1, campaign_id);
    std::vector<award> out;
    while (query.step())
        out.push_back(read_award(query));
    return out;
}

template class sql_labels_repository<sqlite::connection>;
template class sql_labels_repository<postgres::connection>;

} // namespace rencontres::storage
