#include "domain/labels/service.hpp"

#include "domain/accounts/repository.hpp"
#include "domain/audit/service.hpp"
#include "domain/common/fields.hpp"
#include "domain/common/names.hpp"
#include "domain/events/repository.hpp"
#include "domain/labels/repository.hpp"
#include "domain/notifications/repository.hpp"
#include "domain/store.hpp"
#include "domain/territories/repository.hpp"
#include "domain/webhooks/service.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace rencontres {
namespace {

// A message to the account that submitted a candidacy, in the transaction of the change.
void tell_submitter(unit_of_work& uow, message_kind kind, const candidacy& c,
                    const std::string& subject, const std::string& body, instant now) {
    const auto to = uow.accounts().find(c.submitted_by);
    if (!to) return;
    outbox_message m;
    m.kind = kind;
    m.recipient = to->email;
    m.account_id = to->id;
    m.subject = subject;
    m.body = "Bonjour " + to->display_name + ",\n\n" + body;
    m.created_at = m.next_attempt_at = now;
    uow.outbox().enqueue(m);
}

constexpr std::array<std::string_view, 4> campaign_names{"draft", "open", "closed", "awarded"};
constexpr std::array<std::string_view, 6> candidacy_names{"submitted",  "withdrawn", "shortlisted",
                                                          "eliminated", "awarded",   "not_awarded"};
constexpr std::array<std::string_view, 3> level_names{"bronze", "argent", "or"};

bool valid_code(std::string_view code) {
    if (code.empty() || code.size() > 40) return false;
    for (const char c : code)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    return true;
}

void apply(validation& v, unit_of_work& uow, const campaign_fields& f, campaign& target) {
    if (f.year) {
        if (*f.year < 2000 || *f.year > 2100)
            v.fail("year", field_rule::range, "must be a year from 2000 to 2100");
        else
            target.year = static_cast<int>(*f.year);
    }
    if (f.name) target.name = check_text(v, "name", *f.name, 1, 200);
    if (f.categories) {
        std::set<std::string> seen;
        if (f.categories->empty())
            v.fail("categories", field_rule::count, "must hold at least one category");
        for (std::size_t i = 0; i < f.categories->size(); ++i) {
            const auto& c = (*f.categories)[i];
            const auto field = "categories[" + std::to_string(i) + "]";
            if (!valid_code(c.code) || !seen.insert(c.code).second)
                v.fail(field + ".code", field_rule::format,
                       "must be a unique code of lower-case letters, digits, - or _");
            check_text(v, (field + ".name").c_str(), c.name, 1, 200);
        }
        target.categories = *f.categories;
    }
    if (f.criteria) {
        std::set<std::string> seen;
        if (f.criteria->empty())
            v.fail("criteria", field_rule::count, "must hold at least one criterion");
        for (std::size_t i = 0; i < f.criteria->size(); ++i) {
            const auto& c = (*f.criteria)[i];
            const auto field = "criteria[" + std::to_string(i) + "]";
            if (!valid_code(c.code) || !seen.insert(c.code).second)
                v.fail(field + ".code", field_rule::format,
                       "must be a unique code of lower-case letters, digits, - or _");
            check_text(v, (field + ".name").c_str(), c.name, 1, 200);
            if (!(c.weight > 0) || c.weight > 1000)
                v.fail(field + ".weight", field_rule::range, "must be greater than 0");
            if (c.threshold < 0 || c.threshold > 5)
                v.fail(field + ".threshold", field_rule::range, "must be from 0 to 5");
        }
        target.criteria = *f.criteria;
    }
    if (f.candidacy_opens_at)
        if (auto at = check_instant(v, "candidacy_opens_at", *f.candidacy_opens_at))
            target.candidacy_opens_at = *at;
    if (f.candidacy_closes_at)
        if (auto at = check_instant(v, "candidacy_closes_at", *f.candidacy_closes_at))
            target.candidacy_closes_at = *at;
    if (f.final_event_id) {
        target.final_event_id = *f.final_event_id;
        if (target.final_event_id && !uow.events().find(*target.final_event_id))
            v.fail("final_event_id", field_rule::unknown, "is not a known event");
    }
    if (v.ok() && target.candidacy_closes_at <= target.candidacy_opens_at)
        v.fail("candidacy_closes_at", field_rule::order, "must be after candidacy_opens_at");
}

result<campaign> visible_campaign(unit_of_work& uow, const actor& who, id_t id) {
    auto found = uow.labels().find_campaign(id);
    if (!found || (found->status == campaign_status::draft && who.role != role::admin))
        return not_found(rule::campaign_not_found, "No such campaign.");
    return *found;
}

bool is_admin(const actor& who) {
    return who.authenticated() && who.role == role::admin;
}

// A candidacy and its campaign, for a caller who may see it: jurors and admins see every one,
// a submitter its own; anyone else gets not_found.
result<std::pair<candidacy, campaign>> visible_candidacy(unit_of_work& uow, const actor& who,
                                                         id_t id) {
    if (!who.authenticated()) return unauthenticated();
    auto found = uow.labels().find_candidacy(id);
    if (!found) return not_found(rule::candidacy_not_found, "No such candidacy.");
    const bool reviewer = require(who, capability::review_candidacies).ok();
    if (!reviewer && found->submitted_by != *who.account_id)
        return not_found(rule::candidacy_not_found, "No such candidacy.");
    auto owner = uow.labels().find_campaign(found->campaign_id);
    if (!owner) return not_found(rule::candidacy_not_found, "No such candidacy.");
    return std::pair{std::move(*found), std::move(*owner)};
}

void apply(validation& v, unit_of_work& uow, const campaign& c, const candidacy_fields& f,
           candidacy& target) {
    if (f.territory_id) {
        const auto id = parse_id(*f.territory_id);
        if (!id || !uow.events().territory_exists(*id))
            v.fail("territory_id", field_rule::unknown, "is not a known territory");
        else
            target.territory_id = *id;
    }
    if (f.category) {
        if (!c.find_category(*f.category))
            v.fail("category", field_rule::unknown, "is not a category of this campaign");
        else
            target.category = *f.category;
    }
    if (f.initiative_title)
        target.initiative_title = check_text(v, "initiative_title", *f.initiative_title, 1, 300);
    if (f.summary) target.summary = check_text(v, "summary", *f.summary, 0, 5'000, true);
    if (f.links) target.links = check_links(v, *f.links);
    if (f.presented_at_event_id) {
        target.presented_at_event_id.reset();
        if (*f.presented_at_event_id) {
            const auto id = parse_id(**f.presented_at_event_id);
            const auto e = id ? uow.events().find(*id) : std::nullopt;
            if (!e || e->status == event_status::draft)
                v.fail("presented_at_event_id", field_rule::unknown, "is not a known event");
            else
                target.presented_at_event_id = *id;
        }
    }
}

} // namespace

std::string_view to_string(campaign_status s) {
    return name_of(campaign_names, s);
}
std::optional<campaign_status> parse_campaign_status(std::string_view t) {
    return parse_name<campaign_status>(campaign_names, t);
}
std::string_view to_string(candidacy_status s) {
    return name_of(candidacy_names, s);
}
std::optional<candidacy_status> parse_candidacy_status(std::string_view t) {
    return parse_name<candidacy_status>(candidacy_names, t);
}
std::string_view to_string(award_level l) {
    return name_of(level_names, l);
}
std::optional<award_level> parse_award_level(std::string_view t) {
    return parse_name<award_level>(level_names, t);
}

bool can_move(campaign_status from, campaign_status to) {
    return static_cast<int>(to) == static_cast<int>(from) + 1;
}

const category* campaign::find_category(std::string_view code) const {
    for (const auto& c : categories)
        if (c.code == code) return &c;
    return nullptr;
}

ranking_entry score_candidacy(const campaign& c, const candidacy& candidate,
                              const std::vector<review>& reviews) {
    ranking_entry entry{candidate, 0, 0, {}, false, std::nullopt};
    std::map<std::string, double> sums;
    double total = 0;
    double weights = 0;
    for (const auto& cr : c.criteria)
        weights += cr.weight;
    for (const auto& r : reviews) {
        if (r.candidacy_id != candidate.id) continue;
        double weighted = 0;
        for (const auto& cr : c.criteria)
            for (const auto& s : r.scores)
                if (s.criterion == cr.code) {
                    weighted += cr.weight * s.value;
                    sums[cr.code] += s.value;
                }
        total += weights > 0 ? weighted / weights : 0;
        ++entry.review_count;
    }
    if (entry.review_count == 0) return entry;
    entry.weighted_total = total / entry.review_count;
    for (const auto& cr : c.criteria) {
        const double mean = sums[cr.code] / entry.review_count;
        entry.criteria_means[cr.code] = mean;
        if (cr.eliminatory && mean < cr.threshold && !entry.eliminated) {
            entry.eliminated = true;
            entry.eliminated_by = cr.code;
        }
    }
    return entry;
}

std::vector<ranking_entry> rank(const campaign& c, const std::vector<candidacy>& candidacies,
                                const std::vector<review>& reviews) {
    std::vector<ranking_entry> out;
    for (const auto& candidate : candidacies)
        if (candidate.status != candidacy_status::withdrawn)
            out.push_back(score_candidacy(c, candidate, reviews));
    std::sort(out.begin(), out.end(), [](const ranking_entry& a, const ranking_entry& b) {
        if (a.eliminated != b.eliminated) return !a.eliminated;
        if (a.weighted_total != b.weighted_total) return a.weighted_total > b.weighted_total;
        if (a.review_count != b.review_count) return a.review_count > b.review_count;
        if (a.candidacy.submitted_at != b.candidacy.submitted_at)
            return a.candidacy.submitted_at < b.candidacy.submitted_at;
        return a.candidacy.id < b.candidacy.id;
    });
    return out;
}

result<campaign> label_service::create_campaign(const actor& who, const campaign_fields& f,
                                                instant now) {
    if (auto allowed = require(who, capability::manage_labels); !allowed) return allowed.error();
    validation v;
    for (const auto& [present, field] :
         {std::pair{f.year.has_value(), "year"},
          {f.name.has_value(), "name"},
          {f.categories.has_value(), "categories"},
          {f.criteria.has_value(), "criteria"},
          {f.candidacy_opens_at.has_value(), "candidacy_opens_at"},
          {f.candidacy_closes_at.has_value(), "candidacy_closes_at"}})
        if (!present) v.fail(field, field_rule::required, "is required");
    if (f.status && *f.status != "draft")
        v.fail("status", field_rule::unchangeable, "a campaign starts as a draft");
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::label);
    campaign draft;
    apply(v, *uow, f, draft);
    if (!v.ok()) return v.error();
    draft.created_at = draft.updated_at = now;
    auto created = uow->labels().insert_campaign(draft);
    if (!created) return created;
    record_change(uow->audit(), who, "create_campaign", "campaign", id_text(created->id), now,
                  created->name);
    uow->commit();
    return created;
}

result<campaign> label_service::update_campaign(const actor& who, id_t id, const campaign_fields& f,
                                                instant now) {
    if (auto allowed = require(who, capability::manage_labels); !allowed) return allowed.error();
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::label);
    auto found = uow->labels().find_campaign(id);
    if (!found) return not_found(rule::campaign_not_found, "No such campaign.");
    campaign changed = *found;
    validation v;
    if ((f.categories || f.criteria || f.year) && found->status != campaign_status::draft)
        return conflict(
            rule::campaign_not_draft,
            "Categories, criteria and year can change only while the campaign is a draft.");
    apply(v, *uow, f, changed);
    std::optional<campaign_status> next;
    if (f.status) {
        next = parse_campaign_status(*f.status);
        if (!next) v.fail("status", field_rule::choice, "must be draft, open, closed or awarded");
    }
    if (!v.ok()) return v.error();
    if (found->status == campaign_status::awarded && !(next && *next == found->status))
        return conflict(rule::campaign_awarded, "An awarded campaign is final.");
    std::string summary = changed.name;
    if (next && *next != found->status) {
        if (!can_move(found->status, *next))
            return conflict(
                rule::campaign_step,
                "A campaign moves forward one step at a time: draft, open, closed, awarded.");
        changed.status = *next;
        summary +=
            ": " + std::string(to_string(found->status)) + " -> " + std::string(to_string(*next));
        const auto candidacies =
            uow->labels().list_candidacies(id, std::nullopt, std::nullopt, std::nullopt);
        if (*next == campaign_status::closed) {
            // The jury's scores decide who is eliminated.
            const auto reviews = uow->labels().reviews_of_campaign(id);
            for (const auto& entry : rank(changed, candidacies, reviews))
                if (entry.eliminated && entry.candidacy.status == candidacy_status::submitted) {
                    auto c = entry.candidacy;
                    c.status = candidacy_status::eliminated;
                    (void)uow->labels().update_candidacy(c);
                }
        }
        if (*next == campaign_status::awarded)
            for (auto c : candidacies)
                if (c.status == candidacy_status::submitted ||
                    c.status == candidacy_status::shortlisted) {
                    c.status = candidacy_status::not_awarded;
                    (void)uow->labels().update_candidacy(c);
                }
    }
    changed.updated_at = now;
    uow->labels().update_campaign(changed);
    record_change(uow->audit(), who, "update_campaign", "campaign", id_text(id), now, summary);
    uow->commit();
    tell(found->final_event_id);
    if (changed.final_event_id != found->final_event_id) tell(changed.final_event_id);
    return changed;
}

result<std::vector<campaign>> label_service::list_campaigns(const actor& who) {
    auto uow = db_.begin(access::read);
    return uow->labels().list_campaigns(is_admin(who));
}

result<campaign> label_service::get_campaign(const actor& who, id_t id) {
    auto uow = db_.begin(access::read);
    return visible_campaign(*uow, who, id);
}

result<candidacy> label_service::submit_candidacy(const actor& who, id_t campaign_id,
                                                  const candidacy_fields& f, instant now) {
    if (auto allowed = require(who, capability::submit_candidacies); !allowed)
        return allowed.error();
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::label);
    auto owner = visible_campaign(*uow, who, campaign_id);
    if (!owner) return owner.error();
    validation v;
    for (const auto& [present, field] : {std::pair{f.territory_id.has_value(), "territory_id"},
                                         {f.category.has_value(), "category"},
                                         {f.initiative_title.has_value(), "initiative_title"}})
        if (!present) v.fail(field, field_rule::required, "is required");
    if (f.status) v.fail("status", field_rule::unchangeable, "is set by the campaign's workflow");
    candidacy draft;
    draft.campaign_id = campaign_id;
    apply(v, *uow, *owner, f, draft);
    if (!v.ok()) return v.error();
    if (!owner->window_open(now))
        return conflict(rule::candidacy_window_closed, "The candidacy window is closed.");
    draft.submitted_by = *who.account_id;
    draft.submitted_at = draft.updated_at = now;
    auto created = uow->labels().insert_candidacy(draft);
    if (!created) return created;
    record_change(uow->audit(), who, "submit_candidacy", "candidacy", id_text(created->id), now,
                  created->initiative_title);
    tell_submitter(*uow, message_kind::candidacy_received, *created,
                   "Candidature reçue : " + created->initiative_title,
                   "Votre candidature « " + created->initiative_title + " » au label « " +
                       owner->name +
                       " » est bien enregistrée. Le jury l'examinera après la "
                       "clôture des candidatures.",
                   now);
    uow->commit();
    return created;
}

result<std::vector<candidacy>>
label_service::list_candidacies(const actor& who, id_t campaign_id,
                                const std::optional<std::string>& category,
                                const std::optional<std::string>& status) {
    if (!who.authenticated()) return unauthenticated();
    std::optional<candidacy_status> wanted;
    if (status) {
        wanted = parse_candidacy_status(*status);
        if (!wanted)
            return invalid_field("status", field_rule::choice, "is not a candidacy status");
    }
    auto uow = db_.begin(access::read);
    auto owner = visible_campaign(*uow, who, campaign_id);
    if (!owner) return owner.error();
    const bool reviewer = require(who, capability::review_candidacies).ok();
    return uow->labels().list_candidacies(campaign_id, category, wanted,
                                          reviewer ? std::nullopt : who.account_id);
}

result<candidacy> label_service::get_candidacy(const actor& who, id_t id) {
    auto uow = db_.begin(access::read);
    auto found = visible_candidacy(*uow, who, id);
    if (!found) return found.error();
    return std::move(found->first);
}

result<candidacy> label_service::update_candidacy(const actor& who, id_t id,
                                                  const candidacy_fields& f, instant now) {
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::label);
    auto found = visible_candidacy(*uow, who, id);
    if (!found) return found.error();
    auto& [current, owner] = *found;
    const bool submitter = current.submitted_by == *who.account_id;
    candidacy changed = current;
    std::string summary;
    if (f.status) {
        const auto next = parse_candidacy_status(*f.status);
        if (next == candidacy_status::withdrawn) {
            if (!submitter)
                return forbidden(rule::not_the_submitter,
                                 "Only its submitter withdraws a candidacy.");
            if (!owner.window_open(now))
                return conflict(rule::candidacy_window_closed, "The candidacy window is closed.");
            if (current.status == candidacy_status::withdrawn)
                return conflict(rule::candidacy_withdrawn, "Already withdrawn.");
        } else if (next == candidacy_status::shortlisted) {
            if (auto allowed = require(who, capability::manage_labels); !allowed)
                return allowed.error();
            if (current.status != candidacy_status::submitted)
                return conflict(rule::candidacy_not_submitted,
                                "Only a submitted candidacy can be shortlisted.");
        } else {
            return invalid_field("status", field_rule::choice,
                                 "must be withdrawn (submitter) or shortlisted (admin)");
        }
        changed.status = *next;
        summary = "status " + std::string(to_string(*next));
    }
    const bool edits = f.territory_id || f.category || f.initiative_title || f.summary || f.links ||
                       f.presented_at_event_id;
    if (edits) {
        if (!submitter)
            return forbidden(rule::not_the_submitter, "Only its submitter edits a candidacy.");
        if (!owner.window_open(now))
            return conflict(rule::candidacy_window_closed, "The candidacy window is closed.");
        if (current.status == candidacy_status::withdrawn)
            return conflict(rule::candidacy_withdrawn, "The candidacy is withdrawn.");
        validation v;
        apply(v, *uow, owner, f, changed);
        if (!v.ok()) return v.error();
        summary += (summary.empty() ? "" : "; ") + std::string("edited");
    }
    if (summary.empty()) return current;
    changed.updated_at = now;
    if (auto written = uow->labels().update_candidacy(changed); !written) return written.error();
    record_change(uow->audit(), who, "update_candidacy", "candidacy", id_text(id), now, summary);
    uow->commit();
    return changed;
}

result<review> label_service::review_candidacy(const actor& who, id_t candidacy_id,
                                               const std::vector<score>& scores,
                                               const std::optional<std::string>& comment,
                                               instant now) {
    if (auto allowed = require(who, capability::review_candidacies); !allowed)
        return allowed.error();
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::label);
    auto found = visible_candidacy(*uow, who, candidacy_id);
    if (!found) return found.error();
    const auto& [target, owner] = *found;
    validation v;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        const auto field = "scores[" + std::to_string(i) + "]";
        const auto known =
            std::any_of(owner.criteria.begin(), owner.criteria.end(),
                        [&](const criterion& c) { return c.code == scores[i].criterion; });
        if (!known)
            v.fail(field + ".criterion", field_rule::unknown,
                   "is not a criterion of this campaign");
        else if (!seen.insert(scores[i].criterion).second)
            v.fail(field + ".criterion", field_rule::duplicate, "is scored twice");
        if (scores[i].value < 0 || scores[i].value > 5)
            v.fail(field + ".score", field_rule::range, "must be a whole number from 0 to 5");
    }
    for (const auto& c : owner.criteria)
        if (!seen.count(c.code) && std::none_of(scores.begin(), scores.end(), [&](const score& s) {
                return s.criterion == c.code;
            }))
            v.fail("scores", field_rule::incomplete, "criterion " + c.code + " is not scored");
    const auto note = check_optional_text(v, "comment", comment, 5'000, true);
    if (!v.ok()) return v.error();
    if (owner.status == campaign_status::awarded)
        return conflict(rule::campaign_awarded, "The campaign is awarded: reviews are closed.");
    if (target.status == candidacy_status::withdrawn)
        return conflict(rule::candidacy_withdrawn, "The candidacy is withdrawn.");
    // Whatever role the reviewer held when it submitted, it does not judge its own candidacy.
    if (target.submitted_by == *who.account_id) {
        return conflict(rule::conflict_of_interest,
                        "A juror cannot review a candidacy it submitted.");
    }
    const auto saved =
        uow->labels().save_review({0, candidacy_id, *who.account_id, scores, note, now});
    record_change(uow->audit(), who, "review_candidacy", "candidacy", id_text(candidacy_id), now,
                  "review " + id_text(saved.id));
    uow->commit();
    return saved;
}

result<review_summary> label_service::candidacy_reviews(const actor& who, id_t candidacy_id) {
    if (auto allowed = require(who, capability::review_candidacies); !allowed)
        return allowed.error();
    auto uow = db_.begin(access::read);
    auto found = visible_candidacy(*uow, who, candidacy_id);
    if (!found) return found.error();
    const auto reviews = uow->labels().reviews_of(candidacy_id);
    review_summary out{score_candidacy(found->second, found->first, reviews), {}};
    for (const auto& r : reviews)
        if (is_admin(who) || r.reviewer_id == *who.account_id) out.reviews.push_back(r);
    return out;
}

result<std::vector<ranking_entry>>
label_service::ranking(const actor& who, id_t campaign_id,
                       const std::optional<std::string>& category) {
    if (auto allowed = require(who, capability::review_candidacies); !allowed)
        return allowed.error();
    auto uow = db_.begin(access::read);
    auto owner = visible_campaign(*uow, who, campaign_id);
    if (!owner) return owner.error();
    if (category && !owner->find_category(*category))
        return invalid_field("category", field_rule::unknown, "is not a category of this campaign");
    return rank(*owner,
                uow->labels().list_candidacies(campaign_id, category, std::nullopt, std::nullopt),
                uow->labels().reviews_of_campaign(campaign_id));
}

namespace {

// An award the caller asks for, checked against the rules of the campaign: what award_label
// gives and preview_award shows.
struct award_request {
    campaign owner;
    candidacy target;
    award_level grade;
    std::optional<std::string> citation;
};

result<award_request> check_award(unit_of_work& uow, const actor& who, id_t campaign_id,
                                  const std::string& candidacy_id, const std::string& level,
                                  const std::optional<std::string>& citation) {
    if (auto allowed = require(who, capability::manage_labels); !allowed) return allowed.error();
    validation v;
    const auto grade = parse_award_level(level);
    if (!grade) v.fail("level", field_rule::choice, "must be bronze, argent or or");
    auto text = check_optional_text(v, "citation", citation, 1'000, true);
    auto owner = visible_campaign(uow, who, campaign_id);
    if (!owner) return owner.error();
    const auto id = parse_id(candidacy_id);
    auto target = id ? uow.labels().find_candidacy(*id) : std::nullopt;
    if (!target || target->campaign_id != campaign_id)
        v.fail("candidacy_id", field_rule::unknown, "is not a candidacy of this campaign");
    if (!v.ok()) return v.error();
    if (target->status == candidacy_status::withdrawn)
        return conflict(rule::candidacy_withdrawn, "A withdrawn candidacy cannot be awarded.");
    const auto scored = score_candidacy(*owner, *target, uow.labels().reviews_of(target->id));
    if (scored.eliminated || target->status == candidacy_status::eliminated)
        return conflict(rule::candidacy_eliminated,
                        "An eliminated candidacy cannot be awarded (criterion " +
                            scored.eliminated_by.value_or("?") + ").");
    if (target->status == candidacy_status::awarded)
        for (const auto& a : uow.labels().active_awards(campaign_id))
            if (a.candidacy_id == target->id)
                return conflict(rule::award_exists, "This candidacy already holds an award.");
    return award_request{*owner, *target, *grade, std::move(text)};
}

// The palmarès of a campaign from its active awards: or, then argent, then bronze; by award
// time and id within a level; categories in the campaign's order, empty ones left out.
palmares assemble_palmares(unit_of_work& uow, const campaign& c, std::vector<award> awards) {
    palmares out{c, {}};
    std::stable_sort(awards.begin(), awards.end(), [](const award& a, const award& b) {
        if (a.level != b.level) return a.level > b.level; // or, argent, bronze
        if (a.awarded_at != b.awarded_at) return a.awarded_at < b.awarded_at;
        return a.id < b.id;
    });
    for (const auto& cat : c.categories) {
        palmares_category group{cat, {}};
        for (const auto& a : awards)
            if (a.category == cat.code)
                if (auto cand = uow.labels().find_candidacy(a.candidacy_id))
                    if (auto t = uow.territories().find(a.territory_id))
                        group.awards.push_back({a, *cand, *t});
        if (!group.awards.empty()) out.categories.push_back(std::move(group));
    }
    return out;
}

} // namespace

result<award> label_service::award_label(const actor& who, id_t campaign_id,
                                         const std::string& candidacy_id, const std::string& level,
                                         const std::optional<std::string>& citation, instant now) {
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::label);
    auto asked = check_award(*uow, who, campaign_id, candidacy_id, level, citation);
    if (!asked) return asked.error();
    auto& [owner, target, grade, text] = *asked;
    auto created =
        uow->labels().insert_award({0, campaign_id, target.id, target.territory_id, target.category,
                                    grade, text, now, std::nullopt, std::nullopt});
    if (!created) return created;
    target.status = candidacy_status::awarded;
    target.updated_at = now;
    (void)uow->labels().update_candidacy(target);
    record_change(uow->audit(), who, "award_label", "award", id_text(created->id), now,
                  std::string(to_string(grade)) + " for candidacy " + id_text(target.id));
    const std::string grade_name = grade == award_level::or_      ? "or"
                                   : grade == award_level::argent ? "argent"
                                                                  : "bronze";
    announce(*uow, "award.created", owner.final_event_id, created->id, now);
    tell_submitter(*uow, message_kind::award_announced, target,
                   "Label décerné : " + target.initiative_title,
                   "Félicitations : « " + target.initiative_title + " » reçoit le label " +
                       grade_name + " « " + owner.name + " ».",
                   now);
    uow->commit();
    tell(owner.final_event_id);
    return created;
}

result<palmares> label_service::preview_award(const actor& who, id_t campaign_id,
                                              const std::string& candidacy_id,
                                              const std::string& level,
                                              const std::optional<std::string>& citation,
                                              instant now) {
    auto uow = db_.begin(access::read);
    auto asked = check_award(*uow, who, campaign_id, candidacy_id, level, citation);
    if (!asked) return asked.error();
    auto awards = uow->labels().active_awards(campaign_id);
    // Not stored: it has no id yet, and sorts after every award given before it.
    awards.push_back({0, campaign_id, asked->target.id, asked->target.territory_id,
                      asked->target.category, asked->grade, asked->citation, now, std::nullopt,
                      std::nullopt});
    return assemble_palmares(*uow, asked->owner, std::move(awards));
}

result<award> label_service::revoke_award(const actor& who, id_t award_id,
                                          const std::string& reason, instant now) {
    if (auto allowed = require(who, capability::manage_labels); !allowed) return allowed.error();
    validation v;
    const auto why = check_text(v, "reason", reason, 1, 500, true);
    if (!v.ok()) return v.error();
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::label);
    auto found = uow->labels().find_award(award_id);
    if (!found) return not_found(rule::award_not_found, "No such award.");
    if (found->revoked_at) return conflict(rule::award_revoked, "The award is already revoked.");
    uow->labels().revoke_award(award_id, now, why);
    if (auto c = uow->labels().find_candidacy(found->candidacy_id)) {
        c->status = candidacy_status::not_awarded;
        c->updated_at = now;
        (void)uow->labels().update_candidacy(*c);
    }
    record_change(uow->audit(), who, "revoke_award", "award", id_text(award_id), now, why);
    const auto c = uow->labels().find_campaign(found->campaign_id);
    announce(*uow, "award.revoked", c ? c->final_event_id : std::nullopt, award_id, now);
    uow->commit();
    tell(c ? c->final_event_id : std::nullopt);
    found->revoked_at = now;
    found->revocation_reason = why;
    return *found;
}

void label_service::tell(std::optional<id_t> event_id) const {
    if (observer_ && event_id) observer_->agenda_changed(*event_id);
}

std::optional<palmares> label_service::palmares_presented_at(id_t event_id) {
    auto uow = db_.begin(access::read);
    for (const auto& c : uow->labels().list_campaigns(false))
        if (c.final_event_id == event_id)
            return assemble_palmares(*uow, c, uow->labels().active_awards(c.id));
    return std::nullopt;
}

result<palmares> label_service::get_palmares(int year) {
    auto uow = db_.begin(access::read);
    auto c = uow->labels().find_campaign_by_year(year);
    if (!c || c->status == campaign_status::draft)
        return not_found(rule::palmares_not_found, "No palmarès for that year.");
    return assemble_palmares(*uow, *c, uow->labels().active_awards(c->id));
}

} // namespace rencontres
