// Questions from the floor and polls (API.md §14): anyone in the room posts and votes without an
// account; the event's organizers moderate and run the polls. Every change takes the session's
// next seq and is told to the observer after commit, so that the live streams pass it on.
#pragma once

#include "domain/agenda/model.hpp"
#include "domain/agenda/observer.hpp"
#include "domain/common/actor.hpp"
#include "domain/common/result.hpp"
#include "domain/floor/model.hpp"

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rencontres {

class store;
class unit_of_work;

struct floor_settings {
    int questions_per_client = 10; // per window, per client address (0: no limit)
    int votes_per_client = 600;    // votes and poll answers, per window, per client address
    std::chrono::seconds window{60};
};

// A session and its event, as the caller may see them.
struct floor_session {
    rencontres::session session;
    rencontres::event event;
    bool manages = false; // the caller is one of the event's organizers, or an admin
};

struct question_list {
    std::vector<floor_question> items;
    std::optional<int> next_offset;
};

// What the session's page and screen show: the questions the room sees, the open poll (or the
// one closed last) and where the live stream starts from.
struct floor_room {
    floor_session where;
    std::vector<floor_question> questions; // published and answered, by votes then age
    std::optional<shown_poll> poll;
    std::int64_t seq = 0;
};

// The moderation page of an event: every session with its questions (every status) and polls.
struct floor_desk_session {
    rencontres::session session;
    std::vector<floor_question> questions;
    std::vector<rencontres::poll> polls;
};
struct floor_desk {
    rencontres::event event;
    std::vector<floor_desk_session> sessions;
};

// Fixed windows of attempts per key, in this process's memory (a spam limit: with several
// instances each counts its own).
class attempt_windows {
public:
    // Counts an attempt under `key`; how long to wait when it is over `limit` (then not counted).
    std::optional<std::chrono::seconds> admit(const std::string& key, int limit,
                                              std::chrono::seconds length, instant now);

private:
    struct window {
        int count = 0;
        instant started{};
    };
    std::mutex mutex_;
    std::unordered_map<std::string, window> windows_;
};

class floor_service {
public:
    floor_service(store& db, agenda_observer& observer, floor_settings settings = {})
        : db_(db), observer_(observer), settings_(settings) {}

    // Throttles, checked before the write (429 with Retry-After).
    result<void> admit_question(std::string_view client, instant now);
    result<void> admit_vote(std::string_view client, instant now);

    result<floor_question> post_question(const actor& who, id_t session_id,
                                         const floor_question_fields& fields, instant now);
    // `status`: a filter (every status the caller may see when empty).
    result<question_list> list_questions(const actor& who, id_t session_id, std::string_view status,
                                         int offset, int limit);
    // The hot writes of a room, run on the write lane beside each other: what they answer is
    // shown once durable_after is.
    result<voted_question> vote(const actor& who, id_t question_id, const voter& by);
    result<floor_question> moderate(const actor& who, id_t question_id, std::string_view status,
                                    instant now);

    result<poll> create_poll(const actor& who, id_t session_id, const poll_fields& fields,
                             instant now);
    result<poll> open_poll(const actor& who, id_t poll_id, instant now);
    result<poll> close_poll(const actor& who, id_t poll_id, instant now);
    result<answered_poll> answer_poll(const actor& who, id_t poll_id, const voter& by,
                                      const std::vector<std::string>& option_ids);
    result<std::vector<shown_poll>> list_polls(const actor& who, id_t session_id, const voter& by);
    result<shown_poll> get_poll(const actor& who, id_t poll_id, const voter& by);

    result<floor_room> room(const actor& who, id_t session_id, const voter& by, int top);
    result<floor_desk> desk(const actor& who, std::string_view event_id);
    // The session's latest seq, once the caller may see the session.
    result<std::int64_t> stream_start(const actor& who, id_t session_id);
    // What the room sees that changed after `seq`: for the live streams, whoever listens.
    floor_changes changes_since(id_t session_id, std::int64_t seq);

private:
    // Tells the observer once `ticket` is durable: the live streams read only durable changes.
    void changed_after(id_t session_id, durability_ticket ticket);
    store& db_;
    agenda_observer& observer_;
    floor_settings settings_;
    attempt_windows questions_;
    attempt_windows votes_;
};

// The session `session_id` names, when the caller may see its event.
result<floor_session> visible_session(unit_of_work& uow, const actor& who, id_t session_id);

} // namespace rencontres
