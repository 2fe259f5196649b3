#include "domain/floor/service.hpp"

#include "domain/agenda/repository.hpp"
#include "domain/common/fields.hpp"
#include "domain/common/names.hpp"
#include "domain/events/service.hpp"
#include "domain/floor/repository.hpp"
#include "domain/store.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace rencontres {
namespace {

constexpr std::array<std::string_view, 3> mode_names{"off", "open", "moderated"};
constexpr std::array<std::string_view, 4> floor_status_names{"pending", "published", "answered",
                                                             "hidden"};
constexpr std::array<std::string_view, 3> poll_status_names{"draft", "open", "closed"};

constexpr std::size_t max_tracked_keys = 100'000;
constexpr int max_page = 100;

domain_error question_not_found() {
    return not_found(rule::floor_question_not_found, "No such question.");
}
domain_error poll_not_found() {
    return not_found(rule::poll_not_found, "No such poll.");
}

// The room takes part only while the event is published.
result<void> event_is_live(const floor_session& where) {
    if (where.event.status != event_status::published)
        return conflict(rule::event_not_published, "The event is not published.");
    return {};
}

result<floor_session> managed_session(unit_of_work& uow, const actor& who, id_t session_id) {
    auto where = visible_session(uow, who, session_id);
    if (!where) return where;
    if (!where->manages) {
        if (!who.authenticated()) return unauthenticated();
        return forbidden(rule::not_an_organizer, "Only the event's organizers may do this.");
    }
    return where;
}

// A question the caller may see: published and answered ones for everyone, every status for
// the event's organizers.
result<std::pair<floor_question, floor_session>> visible_question(unit_of_work& uow,
                                                                  const actor& who, id_t id) {
    auto found = uow.floor().find_question(id);
    if (!found) return question_not_found();
    auto where = visible_session(uow, who, found->session_id);
    if (!where) return question_not_found();
    const bool public_status =
        found->status == floor_status::published || found->status == floor_status::answered;
    if (!public_status && !where->manages) return question_not_found();
    return std::pair{std::move(*found), std::move(*where)};
}

// A poll the caller may see: open and closed ones for everyone, drafts for the organizers.
result<std::pair<poll, floor_session>> visible_poll(unit_of_work& uow, const actor& who, id_t id) {
    auto found = uow.floor().find_poll(id);
    if (!found) return poll_not_found();
    auto where = visible_session(uow, who, found->session_id);
    if (!where) return poll_not_found();
    if (found->status == poll_status::draft && !where->manages) return poll_not_found();
    return std::pair{std::move(*found), std::move(*where)};
}

result<std::pair<poll, floor_session>> managed_poll(unit_of_work& uow, const actor& who, id_t id) {
    auto found = visible_poll(uow, who, id);
    if (!found) return found;
    if (!found->second.manages) {
        if (!who.authenticated()) return unauthenticated();
        return forbidden(rule::not_an_organizer, "Only the event's organizers may do this.");
    }
    return found;
}

shown_poll shown(unit_of_work& uow, poll p, bool manages, const voter& by) {
    const bool answered = !by.key.empty() && uow.floor().answered(p.id, by.key);
    const bool counts = manages || answered || p.status == poll_status::closed;
    return {std::move(p), counts, answered};
}

result<void> over_limit(std::optional<std::chrono::seconds> wait) {
    if (!wait) return {};
    domain_error e{errc::rate_limited, rule::too_many_floor_posts,
                   "Too many questions or votes from this address; try again shortly."};
    e.retry_after_seconds = wait->count();
    return e;
}

} // namespace

std::string_view to_string(question_mode m) {
    return name_of(mode_names, m);
}
std::optional<question_mode> parse_question_mode(std::string_view text) {
    return parse_name<question_mode>(mode_names, text);
}
std::string_view to_string(floor_status s) {
    return name_of(floor_status_names, s);
}
std::optional<floor_status> parse_floor_status(std::string_view text) {
    return parse_name<floor_status>(floor_status_names, text);
}
std::string_view to_string(poll_status s) {
    return name_of(poll_status_names, s);
}

std::optional<std::chrono::seconds> attempt_windows::admit(const std::string& key, int limit,
                                                           std::chrono::seconds length,
                                                           instant now) {
    if (limit <= 0) return std::nullopt;
    std::lock_guard lock(mutex_);
    if (windows_.size() >= max_tracked_keys)
        std::erase_if(windows_,
                      [&](const auto& kept) { return kept.second.started + length <= now; });
    auto& w = windows_[key];
    if (w.started + length <= now) w = {0, now};
    if (w.count >= limit)
        return std::max(std::chrono::seconds{1},
                        std::chrono::duration_cast<std::chrono::seconds>(w.started + length - now));
    ++w.count;
    return std::nullopt;
}

result<floor_session> visible_session(unit_of_work& uow, const actor& who, id_t session_id) {
    auto found = uow.sessions().find_by_id(session_id);
    if (!found) return not_found(rule::session_not_found, "No such session.");
    auto owner = visible_event(uow, who, id_text(found->event_id));
    if (!owner) return not_found(rule::session_not_found, "No such session.");
    const bool manages = owner->managed_by(who);
    return floor_session{std::move(*found), std::move(*owner), manages};
}

result<void> floor_service::admit_question(std::string_view client, instant now) {
    return over_limit(questions_.admit(std::string(client), settings_.questions_per_client,
                                       settings_.window, now));
}

result<void> floor_service::admit_vote(std::string_view client, instant now) {
    return over_limit(
        votes_.admit(std::string(client), settings_.votes_per_client, settings_.window, now));
}

result<floor_question> floor_service::post_question(const actor& who, id_t session_id,
                                                    const floor_question_fields& fields,
                                                    instant now) {
    validation v;
    floor_question draft;
    if (!fields.text)
        v.fail("text", field_rule::required, "is required");
    else
        draft.text = check_text(v, "text", *fields.text, 1, 500, true);
    const auto name = check_optional_text(v, "author_name", fields.author_name, 100);
    draft.author_name = name.value_or("Anonyme");
    if (!v.ok()) return v.error();

    auto uow = db_.begin(access::write);
    auto where = visible_session(*uow, who, session_id);
    if (!where) return where.error();
    if (auto live = event_is_live(*where); !live) return live.error();
    if (where->session.questions == question_mode::off)
        return conflict(rule::questions_off, "This session does not take questions.");
    draft.session_id = session_id;
    draft.status = where->session.questions == question_mode::moderated ? floor_status::pending
                                                                        : floor_status::published;
    draft.created_at = now;
    draft.seq = uow->floor().next_seq(session_id);
    auto created = uow->floor().insert_question(draft);
    uow->commit();
    if (created.status == floor_status::published) observer_.floor_changed(session_id);
    return created;
}

result<question_list> floor_service::list_questions(const actor& who, id_t session_id,
                                                    std::string_view status, int offset,
                                                    int limit) {
    auto uow = db_.begin(access::read);
    auto where = visible_session(*uow, who, session_id);
    if (!where) return where.error();
    std::vector<floor_status> statuses;
    if (!status.empty()) {
        const auto wanted = parse_floor_status(status);
        if (!wanted)
            return invalid_field("status", field_rule::choice, "is not a status of questions");
        statuses.push_back(*wanted);
    }
    if (!where->manages) {
        // Everyone else sees the questions the room sees.
        if (statuses.empty()) statuses = {floor_status::published, floor_status::answered};
        std::erase_if(statuses, [](floor_status s) {
            return s != floor_status::published && s != floor_status::answered;
        });
        if (statuses.empty()) return question_list{};
    }
    limit = std::clamp(limit, 1, max_page);
    offset = std::max(offset, 0);
    auto items = uow->floor().list_questions(session_id, statuses, offset, limit + 1);
    question_list out;
    if (static_cast<int>(items.size()) > limit) {
        items.resize(limit);
        out.next_offset = offset + limit;
    }
    out.items = std::move(items);
    return out;
}

void floor_service::changed_after(id_t session_id, durability_ticket ticket) {
    db_.when_durable(ticket, [&observer = observer_, session_id](bool durable) {
        if (durable) observer.floor_changed(session_id);
    });
}

result<voted_question> floor_service::vote(const actor& who, id_t question_id, const voter& by) {
    auto uow = db_.begin(access::write_deferred);
    // A refusal may rest on a change not yet durable: it is shown once that is.
    const auto refused = [&](domain_error e) {
        e.durable_after |= uow->ticket();
        return e;
    };
    auto found = visible_question(*uow, who, question_id);
    if (!found) return refused(found.error());
    auto& [question, where] = *found;
    if (auto live = event_is_live(where); !live) return refused(live.error());
    if (question.status != floor_status::published)
        return refused(conflict(rule::floor_question_closed, "This question takes no more votes."));
    if (!uow->floor().add_vote(question_id, by.key)) // voted already: no change
        return voted_question{question, uow->ticket()};
    question.seq = uow->floor().next_seq(question.session_id);
    question.votes += 1;
    uow->floor().counted_vote(question_id, question.seq);
    const auto ticket = uow->commit();
    changed_after(question.session_id, ticket);
    return voted_question{question, ticket};
}

result<floor_question> floor_service::moderate(const actor& who, id_t question_id,
                                               std::string_view status, instant now) {
    const auto wanted = parse_floor_status(status);
    if (!wanted || *wanted == floor_status::pending)
        return invalid_field("status", field_rule::choice, "must be published, answered or hidden");
    auto uow = db_.begin(access::write);
    auto found = visible_question(*uow, who, question_id);
    if (!found) return found.error();
    auto& [question, where] = *found;
    if (!where.manages) {
        if (!who.authenticated()) return unauthenticated();
        return forbidden(rule::not_an_organizer, "Only the event's organizers may moderate.");
    }
    if (question.status == *wanted) return question;
    question.status = *wanted;
    if (*wanted == floor_status::answered)
        question.answered_at = now;
    else
        question.answered_at.reset();
    question.seq = uow->floor().next_seq(question.session_id);
    uow->floor().update_question(question);
    uow->commit();
    observer_.floor_changed(question.session_id);
    return question;
}

result<poll> floor_service::create_poll(const actor& who, id_t session_id,
                                        const poll_fields& fields, instant now) {
    validation v;
    poll draft;
    if (!fields.question)
        v.fail("question", field_rule::required, "is required");
    else
        draft.question = check_text(v, "question", *fields.question, 1, 300);
    if (!fields.options) {
        v.fail("options", field_rule::required, "is required");
    } else if (fields.options->size() < 2 || fields.options->size() > 8) {
        v.fail("options", field_rule::count, "takes 2 to 8 options");
    } else {
        std::set<std::string> seen;
        for (std::size_t i = 0; i < fields.options->size(); ++i) {
            const auto field = "options[" + std::to_string(i) + "]";
            auto label = check_text(v, field.c_str(), (*fields.options)[i], 1, 100);
            if (!label.empty() && !seen.insert(label).second)
                v.fail(field, field_rule::duplicate, "is listed twice");
            draft.options.push_back({0, std::move(label), 0});
        }
    }
    draft.multiple = fields.multiple.value_or(false);
    if (!v.ok()) return v.error();
    auto uow = db_.begin(access::write);
    auto where = managed_session(*uow, who, session_id);
    if (!where) return where.error();
    if (where->event.status == event_status::cancelled)
        return conflict(rule::event_cancelled, "A cancelled event cannot be changed.");
    draft.session_id = session_id;
    draft.created_at = now;
    auto created = uow->floor().insert_poll(draft);
    uow->commit();
    return created;
}

result<poll> floor_service::open_poll(const actor& who, id_t poll_id, instant now) {
    auto uow = db_.begin(access::write);
    auto found = managed_poll(*uow, who, poll_id);
    if (!found) return found.error();
    // One open poll a session: polls of the event open one at a time, read as their turn finds
    // them.
    if (uow->take_turn(turn::event, found->second.event.id)) {
        found = managed_poll(*uow, who, poll_id);
        if (!found) return found.error();
    }
    auto& [p, where] = *found;
    if (auto live = event_is_live(where); !live) return live.error();
    if (p.status == poll_status::open) return p;
    if (p.status == poll_status::closed)
        return conflict(rule::poll_closed, "A closed poll cannot be opened again.");
    if (const auto other = uow->floor().open_poll_of(p.session_id)) {
        auto e = conflict(rule::poll_already_open,
                          "Another poll of this session is open; close it first.");
        e.conflicts.push_back(id_text(*other));
        return e;
    }
    p.status = poll_status::open;
    p.opened_at = now;
    p.seq = uow->floor().next_seq(p.session_id);
    uow->floor().update_poll(p);
    uow->commit();
    observer_.floor_changed(p.session_id);
    return p;
}

result<poll> floor_service::close_poll(const actor& who, id_t poll_id, instant now) {
    auto uow = db_.begin(access::write);
    auto found = managed_poll(*uow, who, poll_id);
    if (!found) return found.error();
    auto& p = found->first;
    if (p.status == poll_status::closed) return p;
    if (p.status != poll_status::open)
        return conflict(rule::poll_not_open, "Only an open poll can be closed.");
    p.status = poll_status::closed;
    p.closed_at = now;
    p.seq = uow->floor().next_seq(p.session_id);
    uow->floor().update_poll(p);
    uow->commit();
    observer_.floor_changed(p.session_id);
    return p;
}

result<answered_poll> floor_service::answer_poll(const actor& who, id_t poll_id, const voter& by,
                                                 const std::vector<std::string>& option_ids) {
    auto uow = db_.begin(access::write_deferred);
    const auto refused = [&](domain_error e) {
        e.durable_after |= uow->ticket();
        return e;
    };
    auto found = visible_poll(*uow, who, poll_id);
    if (!found) return found.error();
    auto& [p, where] = *found;
    if (auto live = event_is_live(where); !live) return live.error();
    if (p.status == poll_status::closed) return conflict(rule::poll_closed, "The poll is closed.");
    if (p.status != poll_status::open)
        return conflict(rule::poll_not_open, "The poll is not open.");
    validation v;
    std::vector<id_t> chosen;
    if (option_ids.empty()) v.fail("option_ids", field_rule::required, "choose an option");
    for (std::size_t i = 0; i < option_ids.size(); ++i) {
        const auto field = "option_ids[" + std::to_string(i) + "]";
        const auto id = parse_id(option_ids[i]);
        const bool known = id && std::any_of(p.options.begin(), p.options.end(),
                                             [&](const poll_option& o) { return o.id == *id; });
        if (!known)
            v.fail(field, field_rule::unknown, "is not an option of this poll");
        else if (std::find(chosen.begin(), chosen.end(), *id) != chosen.end())
            v.fail(field, field_rule::duplicate, "is listed twice");
        else
            chosen.push_back(*id);
    }
    if (v.ok() && !p.multiple && chosen.size() > 1)
        v.fail("option_ids", field_rule::count, "this poll takes a single choice");
    if (!v.ok()) return refused(v.error());
    const auto seq = uow->floor().next_seq(p.session_id);
    if (!uow->floor().add_answer(p.id, by.key, chosen, seq))
        return refused(conflict(rule::poll_answered, "This device has answered the poll already."));
    const auto ticket = uow->commit();
    changed_after(p.session_id, ticket);
    for (auto& o : p.options)
        if (std::find(chosen.begin(), chosen.end(), o.id) != chosen.end()) o.votes += 1;
    p.respondents += 1;
    p.seq = seq;
    return answered_poll{shown_poll{std::move(p), true, true}, ticket};
}

result<std::vector<shown_poll>> floor_service::list_polls(const actor& who, id_t session_id,
                                                          const voter& by) {
    auto uow = db_.begin(access::read);
    auto where = visible_session(*uow, who, session_id);
    if (!where) return where.error();
    std::vector<shown_poll> out;
    for (auto& p : uow->floor().list_polls(session_id))
        if (p.status != poll_status::draft || where->manages)
            out.push_back(shown(*uow, std::move(p), where->manages, by));
    return out;
}

result<shown_poll> floor_service::get_poll(const actor& who, id_t poll_id, const voter& by) {
    auto uow = db_.begin(access::read);
    auto found = visible_poll(*uow, who, poll_id);
    if (!found) return found.error();
    return shown(*uow, std::move(found->first), found->second.manages, by);
}

result<floor_room> floor_service::room(const actor& who, id_t session_id, const voter& by,
                                       int top) {
    auto uow = db_.begin(access::read);
    auto where = visible_session(*uow, who, session_id);
    if (!where) return where.error();
    floor_room out;
    out.seq = uow->floor().current_seq(session_id);
    out.questions = uow->floor().list_questions(
        session_id, {floor_status::published, floor_status::answered}, 0, top);
    // The open poll, else the one closed last.
    std::optional<poll> current;
    for (auto& p : uow->floor().list_polls(session_id)) {
        if (p.status == poll_status::open) {
            current = std::move(p);
            break;
        }
        if (p.status == poll_status::closed && (!current || (p.closed_at && current->closed_at &&
                                                             *p.closed_at >= *current->closed_at)))
            current = std::move(p);
    }
    if (current) out.poll = shown(*uow, std::move(*current), where->manages, by);
    out.where = std::move(*where);
    return out;
}

result<floor_desk> floor_service::desk(const actor& who, std::string_view event_id) {
    auto uow = db_.begin(access::read);
    auto owner = editable_event(*uow, who, event_id);
    if (!owner) return owner.error();
    floor_desk out{*owner, {}};
    for (auto& s : uow->sessions().list_for_event(owner->id)) {
        floor_desk_session entry{std::move(s), {}, {}};
        entry.questions = uow->floor().list_questions(entry.session.id, {}, 0, 500);
        entry.polls = uow->floor().list_polls(entry.session.id);
        out.sessions.push_back(std::move(entry));
    }
    return out;
}

result<std::int64_t> floor_service::stream_start(const actor& who, id_t session_id) {
    auto uow = db_.begin(access::read);
    auto where = visible_session(*uow, who, session_id);
    if (!where) return where.error();
    return uow->floor().current_seq(session_id);
}

floor_changes floor_service::changes_since(id_t session_id, std::int64_t seq) {
    auto uow = db_.begin(access::read);
    return uow->floor().changes_since(session_id, seq);
}

} // namespace rencontres
