#pragma once

#include "domain/floor/model.hpp"

#include <optional>
#include <vector>

namespace rencontres {

class floor_repository {
public:
    virtual ~floor_repository() = default;
    // The session's next seq; the row it is counted in is held until the transaction ends, so
    // that a session's changes commit in the order of their seq.
    virtual std::int64_t next_seq(id_t session_id) = 0;
    virtual std::int64_t current_seq(id_t session_id) = 0;

    virtual floor_question insert_question(const floor_question& draft) = 0;
    virtual std::optional<floor_question> find_question(id_t id) = 0;
    // By votes (most first), then age (oldest first), then id; `statuses` empty: every status.
    virtual std::vector<floor_question> list_questions(id_t session_id,
                                                       const std::vector<floor_status>& statuses,
                                                       int offset, int limit) = 0;
    virtual void update_question(const floor_question& changed) = 0; // status, answered_at, seq
    // Counts the voter's vote once: false when the voter had voted already. The count and seq
    // are then updated by `counted_vote`.
    virtual bool add_vote(id_t question_id, const std::string& voter) = 0;
    virtual void counted_vote(id_t question_id, std::int64_t seq) = 0;

    virtual poll insert_poll(const poll& draft) = 0; // with its options
    virtual std::optional<poll> find_poll(id_t id) = 0;
    virtual std::vector<poll> list_polls(id_t session_id) = 0; // in the order they were made
    virtual std::optional<id_t> open_poll_of(id_t session_id) = 0;
    virtual void update_poll(const poll& changed) = 0; // status, opened_at, closed_at, seq
    // Records the voter's answer once: false when the voter had answered already. Counts it.
    virtual bool add_answer(id_t poll_id, const std::string& voter,
                            const std::vector<id_t>& option_ids, std::int64_t seq) = 0;
    virtual bool answered(id_t poll_id, const std::string& voter) = 0;

    // What the room sees that changed after `seq`, in seq order.
    virtual floor_changes changes_since(id_t session_id, std::int64_t seq) = 0;
};

} // namespace rencontres
