#include "server/storage/postgres/connection.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/connection.hpp"

#include <algorithm>

namespace rencontres::storage {
namespace {

#define QUESTION_COLUMNS                                                                           \
    "id, session_id, text, author_name, status, votes, seq, created_at, answered_at"
#define POLL_COLUMNS                                                                               \
    "id, session_id, question, multiple, status, respondents, seq, created_at, opened_at, "        \
    "closed_at"

constexpr const char* take_seq =
    "INSERT INTO floor_streams (session_id, seq) VALUES (?1, 1) ON CONFLICT (session_id) "
    "DO UPDATE SET seq = floor_streams.seq + 1 RETURNING seq";
constexpr const char* read_seq = "SELECT seq FROM floor_streams WHERE session_id = ?";
constexpr const char* insert_question_row =
    "INSERT INTO floor_questions (session_id, text, author_name, status, votes, seq, created_at, "
    "answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* question_by_id =
    "SELECT " QUESTION_COLUMNS " FROM floor_questions WHERE id = ?";
// By votes, then age: the order the room reads them in.
constexpr const char* questions_of_session =
    "SELECT " QUESTION_COLUMNS " FROM floor_questions WHERE session_id = ?1 "
    "AND ((status = 'pending' AND ?2 = 1) OR (status = 'published' AND ?3 = 1) "
    "OR (status = 'answered' AND ?4 = 1) OR (status = 'hidden' AND ?5 = 1)) "
    "ORDER BY votes DESC, created_at, id LIMIT ?6 OFFSET ?7";
constexpr const char* update_question_row =
    "UPDATE floor_questions SET status = ?, answered_at = ?, seq = ? WHERE id = ?";
constexpr const char* insert_vote =
    "INSERT INTO floor_votes (question_id, voter) VALUES (?, ?) ON CONFLICT DO NOTHING "
    "RETURNING question_id";
constexpr const char* count_vote =
    "UPDATE floor_questions SET votes = votes + 1, seq = ? WHERE id = ?";
constexpr const char* insert_poll_row =
    "INSERT INTO polls (session_id, question, multiple, status, respondents, seq, created_at) "
    "VALUES (?, ?, ?, ?, 0, 0, ?) RETURNING id";
constexpr const char* insert_option_row =
    "INSERT INTO poll_options (poll_id, position, label, votes) VALUES (?, ?, ?, 0) RETURNING id";
constexpr const char* poll_by_id = "SELECT " POLL_COLUMNS " FROM polls WHERE id = ?";
constexpr const char* polls_of_session =
    "SELECT " POLL_COLUMNS " FROM polls WHERE session_id = ? ORDER BY id";
constexpr const char* options_of_poll =
    "SELECT id, label, votes FROM poll_options WHERE poll_id = ? ORDER BY position";
// Every poll's options of a session in one read (the desk lists them all).
constexpr const char* options_of_session =
    "SELECT o.poll_id, o.id, o.label, o.votes FROM poll_options o JOIN polls p ON "
    "p.id = o.poll_id WHERE p.session_id = ? ORDER BY o.poll_id, o.position";
constexpr const char* open_poll_row =
    "SELECT id FROM polls WHERE session_id = ? AND status = 'open'";
constexpr const char* update_poll_row =
    "UPDATE polls SET status = ?, opened_at = ?, closed_at = ?, seq = ? WHERE id = ?";
constexpr const char* insert_answer =
    "INSERT INTO poll_answers (poll_id, voter) VALUES (?, ?) ON CONFLICT DO NOTHING "
    "RETURNING poll_id";
constexpr const char* count_option =
    "UPDATE poll_options SET votes = votes + 1 WHERE id = ? AND poll_id = ?";
constexpr const char* count_respondent =
    "UPDATE polls SET respondents = respondents + 1, seq = ? WHERE id = ?";
constexpr const char* answer_of = "SELECT 1 FROM poll_answers WHERE poll_id = ? AND voter = ?";
// What the room sees: neither questions awaiting moderation nor polls in preparation.
constexpr const char* questions_changed =
    "SELECT " QUESTION_COLUMNS " FROM floor_questions WHERE session_id = ? AND seq > ? "
    "AND status <> 'pending' ORDER BY seq";
constexpr const char* polls_changed =
    "SELECT " POLL_COLUMNS " FROM polls WHERE session_id = ? AND seq > ? "
    "AND status <> 'draft' ORDER BY seq";

std::optional<std::int64_t> seconds_of(const std::optional<instant>& at) {
    return at ? std::optional<std::int64_t>(seconds(*at)) : std::nullopt;
}
std::optional<instant> instant_of(std::optional<std::int64_t> value) {
    return value ? std::optional<instant>(at_seconds(*value)) : std::nullopt;
}

floor_question read_question(const auto& row) {
    floor_question q;
    q.id = row.integer(0);
    q.session_id = row.integer(1);
    q.text = row.text(2);
    q.author_name = row.text(3);
    q.status = parse_floor_status(row.text(4)).value_or(floor_status::hidden);
    q.votes = static_cast<int>(row.integer(5));
    q.seq = row.integer(6);
    q.created_at = at_seconds(row.integer(7));
    q.answered_at = instant_of(row.optional_integer(8));
    return q;
}

poll read_poll(const auto& row) {
    poll p;
    p.id = row.integer(0);
    p.session_id = row.integer(1);
    p.question = row.text(2);
    p.multiple = row.integer(3) != 0;
    const auto status = row.text(4);
    p.status = status == "open"     ? poll_status::open
               : status == "closed" ? poll_status::closed
                                    : poll_status::draft;
    p.respondents = static_cast<int>(row.integer(5));
    p.seq = row.integer(6);
    p.created_at = at_seconds(row.integer(7));
    p.opened_at = instant_of(row.optional_integer(8));
    p.closed_at = instant_of(row.optional_integer(9));
    return p;
}

template <class Row, class Read> auto read_rows(Row& query, Read read) {
    std::vector<decltype(read(query))> rows;
    while (query.step())
        rows.push_back(read(query));
    return rows;
}

bool listed(const std::vector<floor_status>& statuses, floor_status s) {
    return std::find(statuses.begin(), statuses.end(), s) != statuses.end();
}

} // namespace

template <class Db> std::int64_t sql_floor_repository<Db>::next_seq(id_t session_id) {
    return insert_returning_id(db_, take_seq, session_id);
}

template <class Db> std::int64_t sql_floor_repository<Db>::current_seq(id_t session_id) {
    auto query = db_.prepare(read_seq);
    query.bind(1, session_id);
    return query.step() ? query.integer(0) : 0;
}

template <class Db>
floor_question sql_floor_repository<Db>::insert_question(const floor_question& draft) {
    floor_question created = draft;
    created.id =
        insert_returning_id(db_, insert_question_row, draft.session_id, draft.text,
                            draft.author_name, to_string(draft.status), draft.votes, draft.seq,
                            seconds(draft.created_at), seconds_of(draft.answered_at));
    return created;
}

template <class Db> std::optional<floor_question> sql_floor_repository<Db>::find_question(id_t id) {
    auto query = db_.prepare(question_by_id);
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return read_question(query);
}

template <class Db>
std::vector<floor_question>
sql_floor_repository<Db>::list_questions(id_t session_id, const std::vector<floor_status>& statuses,
                                         int offset, int limit) {
    const auto wanted = [&](floor_status s) { return statuses.empty() || listed(statuses, s); };
    auto query = db_.prepare(questions_of_session);
    query.bind_all(session_id, wanted(floor_status::pending) ? 1 : 0,
                   wanted(floor_status::published) ? 1 : 0, wanted(floor_status::answered) ? 1 : 0,
                   wanted(floor_status::hidden) ? 1 : 0, limit, offset);
    return read_rows(query, [](const auto& row) { return read_question(row); });
}

template <class Db> void sql_floor_repository<Db>::update_question(const floor_question& q) {
    db_.prepare(update_question_row)
        .bind_all(to_string(q.status), seconds_of(q.answered_at), q.seq, q.id)
        .run();
}

template <class Db>
bool sql_floor_repository<Db>::add_vote(id_t question_id, const std::string& voter) {
    return insert_unless_taken(db_, insert_vote, question_id, voter).has_value();
}

template <class Db>
void sql_floor_repository<Db>::counted_vote(id_t question_id, std::int64_t seq) {
    db_.prepare(count_vote).bind_all(seq, question_id).run();
}

template <class Db> poll sql_floor_repository<Db>::insert_poll(const poll& draft) {
    poll created = draft;
    created.id = insert_returning_id(db_, insert_poll_row, draft.session_id, draft.question,
                                     draft.multiple ? 1 : 0, to_string(draft.status),
                                     seconds(draft.created_at));
    int position = 0;
    for (auto& option : created.options)
        option.id =
            insert_returning_id(db_, insert_option_row, created.id, position++, option.label);
    return created;
}

template <class Db> void sql_floor_repository<Db>::load_options(std::vector<poll>& polls) {
    for (auto& p : polls) {
        auto query = db_.prepare(options_of_poll);
        query.bind(1, p.id);
        p.options = read_rows(query, [](const auto& row) {
            return poll_option{row.integer(0), row.text(1), static_cast<int>(row.integer(2))};
        });
    }
}

template <class Db> std::optional<poll> sql_floor_repository<Db>::find_poll(id_t id) {
    std::vector<poll> found;
    {
        auto query = db_.prepare(poll_by_id);
        query.bind(1, id);
        found = read_rows(query, [](const auto& row) { return read_poll(row); });
    }
    if (found.empty()) return std::nullopt;
    load_options(found);
    return std::move(found.front());
}

template <class Db> std::vector<poll> sql_floor_repository<Db>::list_polls(id_t session_id) {
    std::vector<poll> found;
    {
        auto query = db_.prepare(polls_of_session);
        query.bind(1, session_id);
        found = read_rows(query, [](const auto& row) { return read_poll(row); });
    }
    if (found.empty()) return found;
    auto query = db_.prepare(options_of_session);
    query.bind(1, session_id);
    // Both in the order of the polls' ids.
    auto p = found.begin();
    while (query.step()) {
        const auto owner = query.integer(0);
        while (p != found.end() && p->id < owner)
            ++p;
        if (p == found.end()) break;
        if (p->id == owner)
            p->options.push_back(
                {query.integer(1), query.text(2), static_cast<int>(query.integer(3))});
    }
    return found;
}

template <class Db> std::optional<id_t> sql_floor_repository<Db>::open_poll_of(id_t session_id) {
    auto query = db_.prepare(open_poll_row);
    query.bind(1, session_id);
    if (!query.step()) return std::nullopt;
    return query.integer(0);
}

template <class Db> void sql_floor_repository<Db>::update_poll(const poll& p) {
    db_.prepare(update_poll_row)
        .bind_all(to_string(p.status), seconds_of(p.opened_at), seconds_of(p.closed_at), p.seq,
                  p.id)
        .run();
}

template <class Db>
bool sql_floor_repository<Db>::add_answer(id_t poll_id, const std::string& voter,
                                          const std::vector<id_t>& option_ids, std::int64_t seq) {
    if (!insert_unless_taken(db_, insert_answer, poll_id, voter)) return false;
    for (const auto option : option_ids)
        db_.prepare(count_option).bind_all(option, poll_id).run();
    db_.prepare(count_respondent).bind_all(seq, poll_id).run();
    return true;
}

template <class Db>
bool sql_floor_repository<Db>::answered(id_t poll_id, const std::string& voter) {
    auto query = db_.prepare(answer_of);
    query.bind_all(poll_id, voter);
    return query.step();
}

template <class Db>
floor_changes sql_floor_repository<Db>::changes_since(id_t session_id, std::int64_t seq) {
    floor_changes out;
    out.seq = current_seq(session_id);
    {
        auto query = db_.prepare(questions_changed);
        query.bind_all(session_id, seq);
        out.questions = read_rows(query, [](const auto& row) { return read_question(row); });
    }
    {
        auto query = db_.prepare(polls_changed);
        query.bind_all(session_id, seq);
        out.polls = read_rows(query, [](const auto& row) { return read_poll(row); });
    }
    load_options(out.polls);
    return out;
}

template class sql_floor_repository<sqlite::connection>;
template class sql_floor_repository<postgres::connection>;

} // namespace rencontres::storage
