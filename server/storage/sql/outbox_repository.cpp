#include "server/storage/postgres/connection.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/connection.hpp"

namespace rencontres::storage {
namespace {

#define MESSAGE_COLUMNS                                                                            \
    "id, kind, recipient, subject, body, status, attempts, next_attempt_at, created_at, "          \
    "delivered_at, registration_id, account_id, last_error, reply_to"

// Not written when the recipient reported the registration it is about as not theirs
// (mail_suppressions): one statement, no read before it.
constexpr const char* insert_message =
    "INSERT INTO outbox (kind, recipient, subject, body, status, attempts, next_attempt_at, "
    "created_at, registration_id, account_id, sealed_token, reply_to) "
    "SELECT ?1, ?2, ?3, ?4, 'pending', 0, ?5, ?6, ?7, ?8, ?9, ?10 WHERE NOT EXISTS (SELECT 1 FROM "
    "mail_suppressions s JOIN registrations r ON r.event_id = s.event_id WHERE r.id = ?7 AND "
    "s.email = ?2)";
constexpr const char* pending_for_event_query =
    "SELECT min(o.next_attempt_at) FROM outbox o JOIN registrations r ON r.id = o.registration_id "
    "WHERE o.kind = ? AND o.status = 'pending' AND r.event_id = ?";
constexpr const char* drop_pending_query =
    "DELETE FROM outbox WHERE kind = ? AND status = 'pending' AND registration_id IN "
    "(SELECT id FROM registrations WHERE event_id = ?)";
constexpr const char* drop_pending_of_registration_query =
    "DELETE FROM outbox WHERE kind = ? AND status = 'pending' AND registration_id = ?";
constexpr const char* suppress_query =
    "INSERT INTO mail_suppressions (event_id, email, created_at) VALUES (?, ?, ?) "
    "ON CONFLICT DO NOTHING";
// With the sealed manage token of the registration a message is about, for its link, and the
// message's own sealed credential.
constexpr const char* due_query =
    "SELECT " MESSAGE_COLUMNS ", (SELECT r.sealed_link FROM registrations r WHERE r.id = "
    "outbox.registration_id), sealed_token FROM outbox WHERE status = 'pending' AND "
    "next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?";
constexpr const char* find_query = "SELECT " MESSAGE_COLUMNS " FROM outbox WHERE id = ?";
// A delivered message's credential is not needed any more: it is forgotten.
#define MARK_DELIVERED(which)                                                                      \
    "UPDATE outbox SET status = 'delivered', delivered_at = ?, attempts = attempts + 1, "          \
    "last_error = NULL, sealed_token = NULL WHERE " which
constexpr const char* delivered_query = MARK_DELIVERED("id = ?");
// PostgreSQL: a batch's messages in one statement, their ids bound as an array ("{4,5,6}").
constexpr const char* delivered_batch_query_postgres = MARK_DELIVERED("id = ANY (?::bigint[])");
#undef MARK_DELIVERED
constexpr const char* postpone_query = "UPDATE outbox SET attempts = attempts + 1, "
                                       "next_attempt_at = ?, last_error = ? WHERE id = ?";
constexpr const char* fail_query = "UPDATE outbox SET status = 'failed', attempts = attempts + 1, "
                                   "last_error = ? WHERE id = ?";
constexpr const char* requeue_query = "UPDATE outbox SET status = 'pending', attempts = 0, "
                                      "next_attempt_at = ? WHERE id = ? AND status = 'failed'";
constexpr const char* list_query =
    "SELECT " MESSAGE_COLUMNS " FROM outbox WHERE (id < ?1 OR ?1 IS NULL) AND (status = ?2 "
    "OR ?2 IS NULL) ORDER BY id DESC LIMIT ?3";
// A person's messages: those about its account or its registrations, and — only when the email is
// proven (?2 not NULL) — every message sent to that address.
#define PERSON_MESSAGES                                                                            \
    "account_id = ?1 OR recipient = ?2 OR registration_id IN "                                     \
    "(SELECT id FROM registrations WHERE account_id = ?1)"
constexpr const char* erase_query =
    "UPDATE outbox SET recipient = 'erased', subject = '[effacé]', body = '[effacé]', "
    "sealed_token = NULL "
    "WHERE " PERSON_MESSAGES;
constexpr const char* registration_messages_query =
    "SELECT " MESSAGE_COLUMNS " FROM outbox WHERE registration_id = ? ORDER BY id";
constexpr const char* person_query =
    "SELECT " MESSAGE_COLUMNS " FROM outbox WHERE " PERSON_MESSAGES " ORDER BY id";

outbox_message read_message(const auto& row) {
    outbox_message m;
    m.id = row.integer(0);
    m.kind = parse_message_kind(row.text(1)).value_or(message_kind::registration_confirmed);
    m.recipient = row.text(2);
    m.subject = row.text(3);
    m.body = row.text(4);
    m.status = parse_delivery_status(row.text(5)).value_or(delivery_status::pending);
    m.attempts = static_cast<int>(row.integer(6));
    m.next_attempt_at = at_seconds(row.integer(7));
    m.created_at = at_seconds(row.integer(8));
    if (const auto at = row.optional_integer(9)) m.delivered_at = at_seconds(*at);
    m.registration_id = row.optional_integer(10);
    m.account_id = row.optional_integer(11);
    m.last_error = row.optional_text(12);
    m.reply_to = row.optional_text(13);
    return m;
}

std::vector<outbox_message> read_messages(auto& query) {
    std::vector<outbox_message> rows;
    while (query.step())
        rows.push_back(read_message(query));
    return rows;
}

} // namespace

template <class Db> void sql_outbox_repository<Db>::enqueue(const outbox_message& m) {
    db_.prepare(insert_message)
        .bind_all(to_string(m.kind), m.recipient, m.subject, m.body, seconds(m.next_attempt_at),
                  seconds(m.created_at), m.registration_id, m.account_id, m.sealed_token,
                  m.reply_to)
        .run();
}

// In the order they fall due, which is the order they were written unless a retry put one later.
template <class Db>
std::vector<outbox_message> sql_outbox_repository<Db>::due(instant now, int limit) {
    auto query = db_.prepare(due_query);
    query.bind_all(seconds(now), limit);
    std::vector<outbox_message> rows;
    while (query.step()) {
        rows.push_back(read_message(query));
        rows.back().sealed_link = query.optional_text(14);
        rows.back().sealed_token = query.optional_text(15);
    }
    return rows;
}

template <class Db>
void sql_outbox_repository<Db>::suppress(id_t event_id, std::string_view email, instant now) {
    db_.prepare(suppress_query).bind_all(event_id, email, seconds(now)).run();
}

template <class Db>
std::optional<instant> sql_outbox_repository<Db>::pending_for_event(message_kind kind,
                                                                    id_t event_id) {
    auto query = db_.prepare(pending_for_event_query);
    query.bind_all(std::string(to_string(kind)), event_id);
    if (!query.step()) return std::nullopt;
    const auto at = query.optional_integer(0);
    if (!at) return std::nullopt;
    return at_seconds(*at);
}

template <class Db>
void sql_outbox_repository<Db>::drop_pending_for_event(message_kind kind, id_t event_id) {
    db_.prepare(drop_pending_query).bind_all(std::string(to_string(kind)), event_id).run();
}

template <class Db>
void sql_outbox_repository<Db>::drop_pending_for_registration(message_kind kind,
                                                              id_t registration_id) {
    db_.prepare(drop_pending_of_registration_query)
        .bind_all(std::string(to_string(kind)), registration_id)
        .run();
}

template <class Db> std::optional<outbox_message> sql_outbox_repository<Db>::find(id_t id) {
    auto query = db_.prepare(find_query);
    query.bind_all(id);
    if (!query.step()) return std::nullopt;
    return read_message(query);
}

template <class Db>
void sql_outbox_repository<Db>::mark_delivered(const std::vector<id_t>& ids, instant now) {
    if constexpr (is_postgres<Db>) {
        if (ids.empty()) return;
        std::string array = "{";
        for (const auto id : ids) {
            if (array.size() > 1) array += ',';
            array += std::to_string(id);
        }
        array += '}';
        db_.prepare(delivered_batch_query_postgres).bind_all(seconds(now), array).run();
    } else {
        for (const auto id : ids)
            db_.prepare(delivered_query).bind_all(seconds(now), id).run();
    }
}

template <class Db>
void sql_outbox_repository<Db>::postpone(id_t id, instant next_attempt, std::string_view error) {
    db_.prepare(postpone_query).bind_all(seconds(next_attempt), error, id).run();
}

template <class Db> void sql_outbox_repository<Db>::fail(id_t id, std::string_view error) {
    db_.prepare(fail_query).bind_all(error, id).run();
}

template <class Db> void sql_outbox_repository<Db>::requeue(id_t id, instant now) {
    db_.prepare(requeue_query).bind_all(seconds(now), id).run();
}

template <class Db>
page<outbox_message> sql_outbox_repository<Db>::list(std::optional<delivery_status> status,
                                                     const page_request& request) {
    auto query = db_.prepare(list_query);
    query.bind_all(request.after,
                   status ? std::optional<std::string>(std::string(to_string(*status)))
                          : std::nullopt,
                   request.limit + 1);
    return finish_page(read_messages(query), request.limit,
                       [](const outbox_message& m) { return m.id; });
}

template <class Db>
void sql_outbox_repository<Db>::erase_for_person(id_t account_id,
                                                 std::optional<std::string_view> email) {
    db_.prepare(erase_query).bind_all(account_id, email).run();
}

template <class Db>
std::vector<outbox_message>
sql_outbox_repository<Db>::for_person(id_t account_id, std::optional<std::string_view> email) {
    auto query = db_.prepare(person_query);
    query.bind_all(account_id, email);
    return read_messages(query);
}

template <class Db>
std::vector<outbox_message> sql_outbox_repository<Db>::for_registration(id_t registration_id) {
    auto query = db_.prepare(registration_messages_query);
    query.bind(1, registration_id);
    return read_messages(query);
}

template class sql_outbox_repository<sqlite::connection>;
template class sql_outbox_repository<postgres::connection>;

} // namespace rencontres::storage
