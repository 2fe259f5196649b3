#include "domain/common/text.hpp"
#include "server/storage/postgres/connection.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/connection.hpp"

#include <algorithm>
#include <iterator>
#include <memory>
#include <tuple>
#include <utility>

namespace rencontres::storage {
namespace {

// A waiting-list position is the rank among the waitlisted of the same event, by id (FIFO).
#define REGISTRATION_COLUMNS                                                                       \
    "r.id, r.event_id, r.full_name, r.email, r.organization, r.territory_id, r.account_id, "       \
    "r.status, r.manage_digest, r.feed_digest, r.created_at, r.updated_at, r.cancelled_at, "       \
    "r.checked_in_at, CASE WHEN r.status = 'waitlisted' THEN (SELECT count(*) FROM "               \
    "registrations w WHERE w.event_id = r.event_id AND w.status = 'waitlisted' AND w.id <= r.id) " \
    "END, r.given_name, r.family_name"

constexpr const char* insert_registration =
    "INSERT INTO registrations (event_id, full_name, email, organization, territory_id, "
    "account_id, status, manage_digest, feed_digest, created_at, updated_at, sealed_link, "
    "given_name, family_name, sort_key, search_text) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id";
// PostgreSQL: the new registration's number and whether its address is taken, read before the
// INSERT so that the INSERT needs no answer (registrations_by_email decides as ever). The
// sequence is named, so that the statement resolves it once, when it is prepared (not
// pg_get_serial_sequence's catalog lookups at every registration). The address is looked up by
// the three keys of registrations_by_email, its third written as the index writes it: equality
// on every column of a unique index is one entry at most, whatever the statistics, so the
// generic plan PostgreSQL keeps for the statement after its fifth run, made on a new table,
// does not walk the event's registrations (as it did with the conditions written apart).
constexpr const char* draw_registration =
    "SELECT nextval('registrations_id_seq'), EXISTS (SELECT 1 FROM registrations WHERE email = ? "
    "AND event_id = ? AND (CASE WHEN status <> 'cancelled' AND email <> '' THEN 0 END) = 0)";
constexpr const char* insert_numbered_registration =
    "INSERT INTO registrations (id, event_id, full_name, email, organization, territory_id, "
    "account_id, status, manage_digest, feed_digest, created_at, updated_at, sealed_link, "
    "given_name, family_name, sort_key, search_text) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* insert_seat =
    "INSERT INTO registration_sessions (registration_id, session_id, status) VALUES (?, ?, ?)";
// PostgreSQL only (hold_event): the row locked and its seats read, in one statement.
constexpr const char* lock_event_counts =
    "SELECT confirmed, waitlisted FROM event_counts WHERE event_id = ? FOR UPDATE";
constexpr const char* lock_event_counts_of_registration =
    "SELECT 1 FROM event_counts WHERE event_id = (SELECT event_id FROM registrations WHERE id = "
    "?) FOR UPDATE";
constexpr const char* registration_by_id =
    "SELECT " REGISTRATION_COLUMNS " FROM registrations r WHERE r.id = ?";
constexpr const char* seats_of =
    "SELECT rs.session_id, rs.status, CASE WHEN rs.status = 'waitlisted' THEN (SELECT count(*) "
    "FROM registration_sessions w WHERE w.session_id = rs.session_id AND w.status = 'waitlisted' "
    "AND w.id <= rs.id) END FROM registration_sessions rs WHERE rs.registration_id = ? "
    "ORDER BY rs.id";
// Counts kept by the triggers of migration V006 in the writing transaction: one row, whatever
// the number of registrations.
constexpr const char* seats_query =
    "SELECT confirmed, waitlisted FROM event_counts WHERE event_id = ?";
constexpr const char* count_confirmed_query =
    "SELECT confirmed FROM event_counts WHERE event_id = ?";
constexpr const char* count_session_confirmed_query =
    "SELECT confirmed FROM session_counts WHERE session_id = ?";
constexpr const char* count_waitlisted_query =
    "SELECT waitlisted FROM event_counts WHERE event_id = ?";
constexpr const char* count_session_waitlisted_query =
    "SELECT waitlisted FROM session_counts WHERE session_id = ?";
constexpr const char* first_waitlisted_query =
    "SELECT id FROM registrations WHERE event_id = ? AND status = 'waitlisted' ORDER BY id LIMIT 1";
constexpr const char* first_waitlisted_seat_query =
    "SELECT rs.registration_id FROM registration_sessions rs JOIN registrations r ON "
    "r.id = rs.registration_id WHERE rs.session_id = ? AND rs.status = 'waitlisted' AND "
    "r.status = 'confirmed' ORDER BY rs.id LIMIT 1";
constexpr const char* set_status_query =
    "UPDATE registrations SET status = ?1, updated_at = ?2, cancelled_at = CASE WHEN ?1 = "
    "'cancelled' THEN ?2 ELSE cancelled_at END WHERE id = ?3";
constexpr const char* cancel_seats =
    "UPDATE registration_sessions SET status = 'cancelled' WHERE registration_id = ?";
constexpr const char* drop_seat_query =
    "DELETE FROM registration_sessions WHERE registration_id = ? AND session_id = ?";
constexpr const char* set_seat_query =
    "UPDATE registration_sessions SET status = ? WHERE registration_id = ? AND session_id = ?";
constexpr const char* check_in_query =
    "UPDATE registrations SET checked_in_at = ?1, updated_at = ?1 WHERE id = ?2";
constexpr const char* undo_check_in_query =
    "UPDATE registrations SET checked_in_at = NULL, updated_at = ?1 WHERE id = ?2";
// A page of the list reads its rows without their positions: those come from one count for the
// page's first waiting row and one per gap between the next ones (list()), instead of one count
// from the head of the list per row.
#define REGISTRATION_COLUMNS_UNRANKED                                                              \
    "r.id, r.event_id, r.full_name, r.email, r.organization, r.territory_id, r.account_id, "       \
    "r.status, r.manage_digest, r.feed_digest, r.created_at, r.updated_at, r.cancelled_at, "       \
    "r.checked_in_at, NULL, r.given_name, r.family_name"
constexpr const char* waitlisted_between_query =
    "SELECT count(*) FROM registrations WHERE event_id = ?1 AND status = 'waitlisted' AND id > ?2 "
    "AND id <= ?3";
constexpr const char* list_query =
    "SELECT " REGISTRATION_COLUMNS_UNRANKED " FROM registrations r WHERE r.event_id = ?1 AND "
    "r.status = ?3 AND r.id > ?2 AND (contains_text(r.search_text, ?5) OR ?5 IS NULL) ORDER BY "
    "r.id "
    "LIMIT ?4";
// By name: one range of the (event_id, status, sort_key, id, search_text) index. The page after
// the row ?2 starts past that row's key and id. A search by name goes through name_lists instead.
#define LIST_BY_NAME(after)                                                                        \
    "SELECT " REGISTRATION_COLUMNS_UNRANKED ", r.sort_key FROM registrations r WHERE "             \
    "r.event_id = ?1 AND r.status = ?3 " after " ORDER BY r.sort_key, r.id LIMIT ?4"
constexpr const char* list_by_name_query = LIST_BY_NAME("AND ?2 = 0");
constexpr const char* list_by_name_after_query =
    LIST_BY_NAME("AND (r.sort_key, r.id) > (SELECT s.sort_key, s.id FROM registrations s "
                 "WHERE s.id = ?2 AND s.event_id = ?1)");
#undef LIST_BY_NAME
// A search by name reads the event's names once per stamp (name_lists, below).
constexpr const char* list_stamp_query = "SELECT list_stamp FROM event_counts WHERE event_id = ?";
constexpr const char* names_query =
    "SELECT r.sort_key, r.id, r.search_text FROM registrations r WHERE r.event_id = ?1 AND "
    "r.status = ?2 ORDER BY r.sort_key, r.id";
constexpr const char* sort_key_of_query =
    "SELECT sort_key FROM registrations WHERE id = ?1 AND event_id = ?2";
constexpr const char* registration_with_key_query =
    "SELECT " REGISTRATION_COLUMNS_UNRANKED ", r.sort_key FROM registrations r WHERE r.id = ?";
// By name as a French list is (name_sort_key), then in the order they registered.
constexpr const char* all_query =
    "SELECT " REGISTRATION_COLUMNS " FROM registrations r WHERE r.event_id = ? "
    "ORDER BY r.sort_key, r.id";
constexpr const char* active_query =
    "SELECT " REGISTRATION_COLUMNS " FROM registrations r WHERE r.event_id = ? AND "
    "r.status <> 'cancelled' ORDER BY r.sort_key, r.id";
// By the three keys of registrations_by_email, as draw_registration: one entry at most, whatever
// plan PostgreSQL keeps. An active registration without an address is never found by one.
constexpr const char* by_email_query =
    "SELECT r.id FROM registrations r WHERE r.email = ?1 AND r.event_id = ?2 AND "
    "(CASE WHEN r.status <> 'cancelled' AND r.email <> '' THEN 0 END) = 0";
constexpr const char* person_query =
    "SELECT " REGISTRATION_COLUMNS " FROM registrations r WHERE r.account_id = ?1 OR "
    "(r.account_id IS NULL AND r.email = ?2) ORDER BY r.id";
constexpr const char* times_query =
    "SELECT created_at FROM registrations WHERE event_id = ? ORDER BY id";
constexpr const char* stats_query =
    "SELECT confirmed, waitlisted, cancelled, checked_in FROM event_counts WHERE event_id = ?";
constexpr const char* answers_of =
    "SELECT question_code, kind, choice, text FROM registration_answers WHERE registration_id = ? "
    "ORDER BY id";
constexpr const char* drop_answers = "DELETE FROM registration_answers WHERE registration_id = ?";
constexpr const char* insert_answer =
    "INSERT INTO registration_answers (registration_id, event_id, question_code, kind, choice, "
    "text) VALUES (?, ?, ?, ?, ?, ?)";
constexpr const char* answered_query =
    "SELECT question_code, choice FROM answer_counts WHERE event_id = ? AND total > 0";
constexpr const char* counted_query =
    "SELECT question_code, choice, active FROM answer_counts WHERE event_id = ? AND active > 0 "
    "AND choice <> ''";
constexpr const char* set_organization_query =
    "UPDATE registrations SET organization = ?1, updated_at = ?2, search_text = ?3 WHERE id = ?4";
constexpr const char* search_source_query =
    "SELECT full_name, email FROM registrations WHERE id = ?";
// Rows without their keys (written before migration V015 / V004), a batch at a time.
constexpr const char* keyless_query =
    "SELECT id, full_name, given_name, family_name, organization, email FROM registrations "
    "WHERE sort_key = '' AND id > ? ORDER BY id LIMIT 500";
constexpr const char* set_keys_query =
    "UPDATE registrations SET sort_key = ?1, search_text = ?2 WHERE id = ?3";
// Erasure keeps the options a person chose (the lunch count stays right) but not what they
// wrote.
constexpr const char* erase_text_answers =
    "DELETE FROM registration_answers WHERE choice = '' AND registration_id IN (SELECT id FROM "
    "registrations WHERE account_id = ?1 OR (account_id IS NULL AND email = ?2))";
constexpr const char* anonymize_query =
    "UPDATE registrations SET full_name = 'Anonyme', email = 'erased-' || id || '@invalid', "
    "organization = NULL, territory_id = NULL, account_id = NULL, anonymized = 1, "
    "sealed_link = NULL, given_name = NULL, family_name = NULL, sort_key = ?4, "
    "search_text = 'anonyme  erased-' || id || '@invalid', "
    "updated_at = ?1 WHERE account_id = ?2 OR (account_id IS NULL AND email = ?3)";
constexpr const char* find_reply_query =
    "SELECT request_hash, status, sealed_body, caller FROM idempotency_keys "
    "WHERE scope = ? AND key = ?";
constexpr const char* save_reply_query =
    "INSERT INTO idempotency_keys (scope, key, request_hash, status, sealed_body, created_at, "
    "caller) VALUES (?, ?, ?, ?, ?, ?, ?)";
// Replies are kept for a day: a client retries within minutes, not weeks.
constexpr const char* purge_replies = "DELETE FROM idempotency_keys WHERE created_at < ?";

// A kept count of one event or session (0 for one that has none yet).
int kept_count(auto& db, const char* sql, id_t id) {
    auto query = db.prepare(sql);
    query.bind(1, id);
    return query.step() ? static_cast<int>(query.integer(0)) : 0;
}

std::optional<instant> optional_at(const auto& row, int column) {
    const auto value = row.optional_integer(column);
    return value ? std::optional(at_seconds(*value)) : std::nullopt;
}

registration read_registration(const auto& row) {
    registration r;
    r.id = row.integer(0);
    r.event_id = row.integer(1);
    r.full_name = row.text(2);
    r.email = row.text(3);
    r.organization = row.optional_text(4);
    r.territory_id = row.optional_integer(5);
    r.account_id = row.optional_integer(6);
    r.status = parse_registration_status(row.text(7)).value_or(registration_status::cancelled);
    r.manage_digest = row.text(8);
    r.feed_digest = row.text(9);
    r.created_at = at_seconds(row.integer(10));
    r.updated_at = at_seconds(row.integer(11));
    r.cancelled_at = optional_at(row, 12);
    r.checked_in_at = optional_at(row, 13);
    if (const auto position = row.optional_integer(14))
        r.waitlist_position = static_cast<int>(*position);
    r.given_name = row.optional_text(15);
    r.family_name = row.optional_text(16);
    return r;
}

// The names of an event's registrations in one status, in list order (sort key, id), as of one
// value of event_counts.list_stamp. Triggers (migrations V017, PostgreSQL V006) give the stamp a
// new random value whenever a registration of the event comes, goes, changes status or changes
// its name keys; the stamp is read before the names, so a list is never older than its stamp.
// A search then scans memory instead of thousands of index rows, each through the SQL engine:
// at the door, where a name typed often matches nobody, a search of 5,000 confirmed costs about
// what the unsearched first page does (docs/performance.md). Check-ins leave the stamp alone.
struct name_list {
    id_t event_id = 0;
    registration_status status{};
    std::int64_t stamp = 0;
    std::vector<std::string> keys; // sort keys
    std::vector<id_t> ids;
    std::vector<std::string> texts; // search texts
};

// The last few lists searched, per thread: no lock on the read path, and each thread's memory
// bounded (a list of 5,000 names holds about 0.7 MB).
constexpr std::size_t kept_name_lists = 4;
thread_local std::vector<std::shared_ptr<const name_list>> name_lists; // most recent last

template <class Db>
std::shared_ptr<const name_list> names_of(Db& db, id_t event_id, registration_status status) {
    std::int64_t stamp = 0;
    {
        auto query = db.prepare(list_stamp_query);
        query.bind(1, event_id);
        if (query.step()) stamp = query.integer(0);
    }
    const auto kept = std::find_if(name_lists.begin(), name_lists.end(), [&](const auto& l) {
        return l->event_id == event_id && l->status == status && l->stamp == stamp;
    });
    if (kept != name_lists.end()) {
        auto found = *kept;
        name_lists.erase(kept);
        name_lists.push_back(found);
        return found;
    }
    auto fresh = std::make_shared<name_list>();
    fresh->event_id = event_id;
    fresh->status = status;
    fresh->stamp = stamp;
    auto query = db.prepare(names_query);
    query.bind_all(event_id, std::string(to_string(status)));
    while (query.step()) {
        fresh->keys.push_back(query.text(0));
        fresh->ids.push_back(query.integer(1));
        fresh->texts.push_back(query.text(2));
    }
    std::erase_if(name_lists,
                  [&](const auto& l) { return l->event_id == event_id && l->status == status; });
    if (name_lists.size() >= kept_name_lists) name_lists.erase(name_lists.begin());
    name_lists.push_back(fresh);
    return fresh;
}

} // namespace

template <class Db>
std::vector<std::pair<std::string, registration>>
sql_registrations_repository<Db>::search_by_name(id_t event_id, registration_status status,
                                                 const std::string& folded,
                                                 std::optional<id_t> after, int limit) {
    const auto names = names_of(db_, event_id, status);
    std::size_t from = 0;
    if (after) {
        // Past the cursor's key and id, wherever that row now is (or whatever its status).
        auto query = db_.prepare(sort_key_of_query);
        query.bind_all(*after, event_id);
        if (!query.step()) return {};
        const auto cursor = std::make_pair(query.text(0), *after);
        std::size_t lo = 0, hi = names->ids.size();
        while (lo < hi) {
            const auto mid = (lo + hi) / 2;
            if (std::make_pair(std::string_view(names->keys[mid]), names->ids[mid]) <=
                std::make_pair(std::string_view(cursor.first), cursor.second))
                lo = mid + 1;
            else
                hi = mid;
        }
        from = lo;
    }
    std::vector<std::pair<std::string, registration>> rows;
    for (auto i = from; i < names->ids.size() && rows.size() < static_cast<std::size_t>(limit);
         ++i) {
        if (names->texts[i].find(folded) == std::string::npos) continue;
        auto query = db_.prepare(registration_with_key_query);
        query.bind(1, names->ids[i]);
        if (query.step()) rows.emplace_back(query.text(17), read_registration(query));
    }
    return rows;
}

template <class Db> void sql_registrations_repository<Db>::load_seats(registration& r) {
    auto query = db_.prepare(seats_of);
    query.bind(1, r.id);
    r.sessions.clear();
    while (query.step()) {
        session_seat seat{
            query.integer(0),
            parse_registration_status(query.text(1)).value_or(registration_status::cancelled),
            {}};
        if (const auto position = query.optional_integer(2))
            seat.waitlist_position = static_cast<int>(*position);
        r.sessions.push_back(seat);
    }
    auto answers = db_.prepare(answers_of);
    answers.bind(1, r.id);
    std::vector<stored_answer> rows;
    while (answers.step())
        rows.push_back({answers.text(0),
                        parse_question_kind(answers.text(1)).value_or(question_kind::text),
                        answers.text(2), answers.optional_text(3)});
    r.answers = answers_from(rows);
}

template <class Db>
std::vector<registration> sql_registrations_repository<Db>::read_all(auto& query) {
    std::vector<registration> rows;
    while (query.step())
        rows.push_back(read_registration(query));
    return rows;
}

template <class Db>
std::vector<registration>
sql_registrations_repository<Db>::with_seats(std::vector<registration> rows) {
    for (auto& r : rows)
        load_seats(r);
    return rows;
}

template <class Db>
result<registration> sql_registrations_repository<Db>::insert(const registration& draft) {
    // Computed by the service before the write (set_list_keys); here only when it did not.
    const auto sort_key =
        draft.sort_key.empty()
            ? registration_sort_key(draft.given_name, draft.family_name, draft.full_name)
            : draft.sort_key;
    const auto search_text =
        draft.search_text.empty()
            ? registration_search_text(draft.full_name, draft.organization, draft.email)
            : draft.search_text;
    std::optional<id_t> id;
    if constexpr (Db::reads_ahead) {
        // The number is drawn and the address checked first (read ahead with the event, under
        // its hold: numbers follow the order in which the event's registrations take their
        // turn, the waiting list's order); the INSERT then goes with the COMMIT. A registration
        // written meanwhile without holding the event makes registrations_by_email refuse it at
        // the COMMIT, and the whole write is run again (store_conflict).
        auto draw = db_.prepare(draw_registration);
        draw.bind_all(draft.email, draft.event_id);
        // A cancelled registration takes no address (registrations_by_email).
        if (draw.step() &&
            (draw.integer(1) == 0 || draft.status == registration_status::cancelled)) {
            id = draw.integer(0);
            db_.prepare(insert_numbered_registration)
                .bind_all(*id, draft.event_id, draft.full_name, draft.email, draft.organization,
                          draft.territory_id, draft.account_id, to_string(draft.status),
                          draft.manage_digest, draft.feed_digest, seconds(draft.created_at),
                          seconds(draft.updated_at), draft.sealed_link, draft.given_name,
                          draft.family_name, sort_key, search_text)
                .run();
        }
    } else {
        // Refused by registrations_by_email (one active registration per address and event);
        // the digests' unique indexes could refuse it too, by a 2^-256 chance.
        id = insert_unless_taken(db_, insert_registration, draft.event_id, draft.full_name,
                                 draft.email, draft.organization, draft.territory_id,
                                 draft.account_id, to_string(draft.status), draft.manage_digest,
                                 draft.feed_digest, seconds(draft.created_at),
                                 seconds(draft.updated_at), draft.sealed_link, draft.given_name,
                                 draft.family_name, sort_key, search_text);
    }
    if (!id)
        return conflict(rule::already_registered,
                        "This email already holds a registration for this event.");
    held_.reset();
    registration created = draft;
    created.id = *id;
    for (const auto& seat : created.sessions)
        db_.prepare(insert_seat)
            .bind_all(created.id, seat.session_id, to_string(seat.status))
            .run();
    return created;
}

template <class Db>
void sql_registrations_repository<Db>::read_ahead(
    id_t event_id, std::string_view email,
    std::optional<std::pair<std::string, std::string>> scope_and_key) {
    if constexpr (Db::reads_ahead) {
        // The hold first: what follows reads the rows as the event's turn finds them.
        db_.prepare(lock_event_counts).bind(1, event_id).send_ahead();
        db_.prepare(draw_registration).bind_all(email, event_id).send_ahead();
        if (scope_and_key)
            db_.prepare(find_reply_query)
                .bind_all(scope_and_key->first, scope_and_key->second)
                .send_ahead();
    }
}

template <class Db> event_seats sql_registrations_repository<Db>::seats(id_t event_id) {
    if (held_ && held_->first == event_id) return std::exchange(held_, std::nullopt)->second;
    auto query = db_.prepare(seats_query);
    query.bind(1, event_id);
    if (!query.step()) return {};
    return {static_cast<int>(query.integer(0)), static_cast<int>(query.integer(1))};
}

// The row of the event's counts, which every registration of the event updates anyway (its
// triggers), locked first: the writes of one event take their turn on it, those of other events
// do not wait. SQLite's single writer holds every row already.
template <class Db> void sql_registrations_repository<Db>::hold_event(id_t event_id) {
    if constexpr (Db::locks_rows) {
        auto query = db_.prepare(lock_event_counts);
        query.bind(1, event_id);
        if (query.step())
            held_ = {event_id,
                     {static_cast<int>(query.integer(0)), static_cast<int>(query.integer(1))}};
    }
}

template <class Db> void sql_registrations_repository<Db>::hold_event_of(id_t registration_id) {
    if constexpr (Db::locks_rows)
        db_.prepare(lock_event_counts_of_registration).bind(1, registration_id).run();
}

template <class Db> std::optional<registration> sql_registrations_repository<Db>::find(id_t id) {
    std::optional<registration> found;
    {
        auto query = db_.prepare(registration_by_id);
        query.bind(1, id);
        if (query.step()) found = read_registration(query);
    }
    if (found) load_seats(*found);
    return found;
}

template <class Db> int sql_registrations_repository<Db>::count_confirmed(id_t event_id) {
    return kept_count(db_, count_confirmed_query, event_id);
}

template <class Db> int sql_registrations_repository<Db>::count_session_confirmed(id_t session_id) {
    return kept_count(db_, count_session_confirmed_query, session_id);
}

template <class Db> int sql_registrations_repository<Db>::count_waitlisted(id_t event_id) {
    return kept_count(db_, count_waitlisted_query, event_id);
}

template <class Db>
int sql_registrations_repository<Db>::count_session_waitlisted(id_t session_id) {
    return kept_count(db_, count_session_waitlisted_query, session_id);
}

template <class Db>
std::optional<id_t> sql_registrations_repository<Db>::first_waitlisted(id_t event_id) {
    auto query = db_.prepare(first_waitlisted_query);
    query.bind(1, event_id);
    if (!query.step()) return std::nullopt;
    return query.integer(0);
}

template <class Db>
std::optional<id_t> sql_registrations_repository<Db>::first_waitlisted_seat(id_t session_id) {
    auto query = db_.prepare(first_waitlisted_seat_query);
    query.bind(1, session_id);
    if (!query.step()) return std::nullopt;
    return query.integer(0);
}

template <class Db>
void sql_registrations_repository<Db>::set_status(id_t id, registration_status status,
                                                  instant now) {
    held_.reset();
    db_.prepare(set_status_query).bind_all(to_string(status), seconds(now), id).run();
    if (status == registration_status::cancelled) db_.prepare(cancel_seats).bind(1, id).run();
}

template <class Db>
void sql_registrations_repository<Db>::set_seat_status(id_t registration_id, id_t session_id,
                                                       registration_status status) {
    db_.prepare(set_seat_query).bind_all(to_string(status), registration_id, session_id).run();
}

// A seat taken again is a new row: its id is its place in the session's waiting list, which
// must come after everyone already waiting.
template <class Db>
void sql_registrations_repository<Db>::put_seat(id_t registration_id, id_t session_id,
                                                registration_status status) {
    db_.prepare(drop_seat_query).bind_all(registration_id, session_id).run();
    db_.prepare(insert_seat).bind_all(registration_id, session_id, to_string(status)).run();
}

template <class Db> void sql_registrations_repository<Db>::check_in(id_t id, instant now) {
    db_.prepare(check_in_query).bind_all(seconds(now), id).run();
}

template <class Db> void sql_registrations_repository<Db>::undo_check_in(id_t id, instant now) {
    db_.prepare(undo_check_in_query).bind_all(seconds(now), id).run();
}

template <class Db>
void sql_registrations_repository<Db>::put_answers(id_t registration_id, id_t event_id,
                                                   const std::vector<stored_answer>& answers) {
    db_.prepare(drop_answers).bind(1, registration_id).run();
    for (const auto& a : answers)
        db_.prepare(insert_answer)
            .bind_all(registration_id, event_id, a.question_code, to_string(a.kind), a.choice,
                      a.text)
            .run();
}

template <class Db>
void sql_registrations_repository<Db>::set_organization(id_t registration_id,
                                                        const std::optional<std::string>& value,
                                                        instant now) {
    std::string search_text;
    {
        auto source = db_.prepare(search_source_query);
        source.bind(1, registration_id);
        if (source.step())
            search_text = registration_search_text(source.text(0), value, source.text(1));
    }
    db_.prepare(set_organization_query)
        .bind_all(value, seconds(now), search_text, registration_id)
        .run();
}

template <class Db> answered_options sql_registrations_repository<Db>::answered(id_t event_id) {
    answered_options out;
    auto query = db_.prepare(answered_query);
    query.bind(1, event_id);
    while (query.step())
        out[query.text(0)].insert(query.text(1));
    return out;
}

template <class Db> answer_counts sql_registrations_repository<Db>::counted_answers(id_t event_id) {
    answer_counts out;
    auto query = db_.prepare(counted_query);
    query.bind(1, event_id);
    while (query.step())
        out[query.text(0)][query.text(1)] = static_cast<int>(query.integer(2));
    return out;
}

template <class Db>
page<registration>
sql_registrations_repository<Db>::list(id_t event_id, std::optional<registration_status> status,
                                       const std::optional<std::string>& folded_query,
                                       const page_request& request, list_order order) {
    // One ordered range of an index per status, merged: a page reads about a page of rows
    // whatever the size of the event, where one query over every status would sort all of the
    // event's rows first.
    const bool by_name = order == list_order::by_name;
    // Rows merged by (name key, id) or by id; a row's key is computed once.
    using keyed = std::pair<std::string, registration>;
    const auto before = [&](const keyed& a, const keyed& b) {
        if (by_name && a.first != b.first) return a.first < b.first;
        return a.second.id < b.second.id;
    };
    const char* sql = !by_name        ? list_query
                      : request.after ? list_by_name_after_query
                                      : list_by_name_query;
    std::vector<keyed> merged_rows;
    for (const auto s : status ? std::vector<registration_status>{*status}
                               : std::vector<registration_status>{registration_status::confirmed,
                                                                  registration_status::waitlisted,
                                                                  registration_status::cancelled}) {
        std::vector<keyed> part;
        if (by_name && folded_query) {
            part = search_by_name(event_id, s, *folded_query, request.after, request.limit + 1);
        } else {
            auto query = db_.prepare(sql);
            query.bind_all(event_id, request.after.value_or(0), std::string(to_string(s)),
                           request.limit + 1);
            if (!by_name) query.bind(5, folded_query);
            // By name: each row's stored key (the 18th column) is what the merge compares.
            while (query.step())
                part.emplace_back(by_name ? query.text(17) : std::string(),
                                  read_registration(query));
        }
        std::vector<keyed> merged;
        merged.reserve(merged_rows.size() + part.size());
        std::merge(std::make_move_iterator(merged_rows.begin()),
                   std::make_move_iterator(merged_rows.end()),
                   std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()),
                   std::back_inserter(merged), before);
        if (merged.size() > static_cast<std::size_t>(request.limit) + 1)
            merged.resize(static_cast<std::size_t>(request.limit) + 1);
        merged_rows = std::move(merged);
    }
    std::vector<registration> rows;
    rows.reserve(merged_rows.size());
    for (auto& [key, r] : merged_rows)
        rows.push_back(std::move(r));
    auto out =
        finish_page(std::move(rows), request.limit, [](const registration& r) { return r.id; });
    // Waiting-list positions: one count for the page's first waiting row (by id) and one per gap
    // between the next ones, instead of one count from the head of the list per row.
    std::vector<registration*> waiting;
    for (auto& r : out.items) {
        load_seats(r);
        if (r.status == registration_status::waitlisted) waiting.push_back(&r);
    }
    std::sort(waiting.begin(), waiting.end(),
              [](const registration* a, const registration* b) { return a->id < b->id; });
    id_t counted_to = 0;
    int position = 0;
    for (auto* r : waiting) {
        auto count = db_.prepare(waitlisted_between_query);
        count.bind_all(event_id, counted_to, r->id);
        position += count.step() ? static_cast<int>(count.integer(0)) : 0;
        counted_to = r->id;
        r->waitlist_position = position;
    }
    return out;
}

template <class Db>
std::vector<registration> sql_registrations_repository<Db>::all_for_event(id_t event_id) {
    std::vector<registration> rows;
    {
        auto query = db_.prepare(all_query);
        query.bind(1, event_id);
        rows = read_all(query);
    }
    return with_seats(std::move(rows));
}

template <class Db>
std::optional<registration>
sql_registrations_repository<Db>::active_by_email(id_t event_id, std::string_view email) {
    std::optional<id_t> id;
    {
        auto query = db_.prepare(by_email_query);
        query.bind_all(std::string(email), event_id);
        if (query.step()) id = query.integer(0);
    }
    if (!id) return std::nullopt;
    return find(*id);
}

template <class Db>
std::vector<registration> sql_registrations_repository<Db>::active_for_event(id_t event_id) {
    std::vector<registration> rows;
    {
        auto query = db_.prepare(active_query);
        query.bind(1, event_id);
        rows = read_all(query);
    }
    return rows;
}

template <class Db> registration_stats sql_registrations_repository<Db>::stats(id_t event_id) {
    auto query = db_.prepare(stats_query);
    query.bind(1, event_id);
    if (!query.step()) return {};
    return {std::nullopt, static_cast<int>(query.integer(0)), static_cast<int>(query.integer(1)),
            static_cast<int>(query.integer(2)), static_cast<int>(query.integer(3))};
}

template <class Db>
std::vector<instant> sql_registrations_repository<Db>::registration_times(id_t event_id) {
    auto query = db_.prepare(times_query);
    query.bind(1, event_id);
    std::vector<instant> out;
    while (query.step())
        out.push_back(at_seconds(query.integer(0)));
    return out;
}

template <class Db>
std::vector<registration>
sql_registrations_repository<Db>::for_person(std::optional<id_t> account_id,
                                             std::optional<std::string_view> email) {
    std::vector<registration> rows;
    {
        auto query = db_.prepare(person_query);
        query.bind_all(account_id.value_or(0), email);
        rows = read_all(query);
    }
    return with_seats(std::move(rows));
}

template <class Db>
void sql_registrations_repository<Db>::anonymize_for_person(std::optional<id_t> account_id,
                                                            std::optional<std::string_view> email,
                                                            instant now) {
    db_.prepare(erase_text_answers).bind_all(account_id.value_or(0), email).run();
    db_.prepare(anonymize_query)
        .bind_all(seconds(now), account_id.value_or(0), email,
                  name_sort_key(std::nullopt, std::nullopt, "Anonyme"))
        .run();
}

template <class Db> int fill_name_keys(Db& db) {
    int filled = 0;
    id_t after = 0; // a name of marks alone keeps an empty key: it is not read twice
    for (;;) {
        std::vector<std::tuple<id_t, std::string, std::string>> keys;
        {
            auto query = db.prepare(keyless_query);
            query.bind(1, after);
            while (query.step()) {
                const auto full_name = query.text(1);
                keys.emplace_back(
                    query.integer(0),
                    registration_sort_key(query.optional_text(2), query.optional_text(3),
                                          full_name),
                    registration_search_text(full_name, query.optional_text(4), query.text(5)));
            }
        }
        if (keys.empty()) return filled;
        for (const auto& [id, sort_key, search_text] : keys)
            db.prepare(set_keys_query).bind_all(sort_key, search_text, id).run();
        filled += static_cast<int>(keys.size());
        after = std::get<0>(keys.back());
    }
}
template int fill_name_keys(sqlite::connection&);
template int fill_name_keys(postgres::connection&);

template <class Db>
std::optional<idempotency_record>
sql_registrations_repository<Db>::find_reply(std::string_view scope, std::string_view key) {
    auto query = db_.prepare(find_reply_query);
    query.bind_all(scope, key);
    if (!query.step()) return std::nullopt;
    return idempotency_record{
        query.text(0), {static_cast<int>(query.integer(1)), query.text(2)}, query.text(3)};
}

template <class Db>
void sql_registrations_repository<Db>::save_reply(std::string_view scope, std::string_view key,
                                                  std::string_view caller,
                                                  std::string_view request_hash,
                                                  const stored_reply& reply, instant now) {
    db_.prepare(purge_replies).bind(1, seconds(now) - 24 * 3600).run();
    db_.prepare(save_reply_query)
        .bind_all(scope, key, request_hash, reply.status, reply.body, seconds(now), caller)
        .run();
}

template class sql_registrations_repository<sqlite::connection>;
template class sql_registrations_repository<postgres::connection>;

} // namespace rencontres::storage
