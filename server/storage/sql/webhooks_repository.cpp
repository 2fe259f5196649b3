#include "server/storage/postgres/connection.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/connection.hpp"

#include <sstream>

namespace rencontres::storage {
namespace {

#define WEBHOOK_COLUMNS                                                                            \
    "id, owner_id, url, events, event_id, sealed_secret, status, consecutive_failures, "           \
    "created_at, updated_at, rights_version"
#define DELIVERY_COLUMNS                                                                           \
    "d.id, d.webhook_id, d.type, d.subject_id, d.status, d.attempts, d.next_attempt_at, "          \
    "d.response_status, d.duration_ms, d.last_error, d.created_at, d.delivered_at"

constexpr const char* insert_query =
    "INSERT INTO webhooks (owner_id, url, events, event_id, sealed_secret, status, "
    "consecutive_failures, created_at, updated_at, rights_version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* find_query = "SELECT " WEBHOOK_COLUMNS " FROM webhooks WHERE id = ?";
constexpr const char* list_query =
    "SELECT " WEBHOOK_COLUMNS " FROM webhooks WHERE owner_id = ?1 OR ?1 IS NULL "
    "ORDER BY id DESC";
constexpr const char* for_event_query =
    "SELECT " WEBHOOK_COLUMNS " FROM webhooks WHERE event_id = ? ORDER BY id DESC";
constexpr const char* update_query =
    "UPDATE webhooks SET events = ?, status = ?, consecutive_failures = ?, updated_at = ?, "
    "rights_version = ? WHERE id = ?";
constexpr const char* remove_query = "DELETE FROM webhooks WHERE id = ?";
// Whether the owner of webhook `w` may still read what its deliveries carry: an admin, or an
// organizer of its event, under the rights the webhook was granted with (a demotion followed by a
// promotion does not bring a webhook back).
#define OWNER_MAY_READ                                                                             \
    "EXISTS (SELECT 1 FROM accounts a WHERE a.id = w.owner_id AND "                                \
    "a.rights_version = w.rights_version AND (a.role = 'admin' OR (a.role = 'organizer' AND "      \
    "EXISTS (SELECT 1 FROM event_organizers o WHERE o.event_id = w.event_id AND "                  \
    "o.account_id = a.id))))"
// One statement for every webhook that wants the change: cheap on the write path, where it runs
// for every registration (the webhooks table is small). A webhook whose owner lost the right
// gets its delivery `skipped`, and a trigger disables it (V014__trust.sql).
constexpr const char* announce_query =
    "INSERT INTO webhook_deliveries (webhook_id, type, subject_id, status, attempts, "
    "next_attempt_at, created_at, last_error) SELECT id, ?1, ?3, CASE WHEN entitled THEN "
    "'pending' ELSE 'skipped' END, 0, ?4, ?4, CASE WHEN entitled THEN NULL ELSE "
    "'skipped: the owner may no longer read what it carries' END FROM (SELECT w.id AS "
    "id, " OWNER_MAY_READ " AS entitled FROM webhooks w WHERE w.status = 'active' AND "
    "(w.event_id IS NULL OR w.event_id = ?2) AND instr(w.events, ' ' || ?1 || ' ') > 0) wanted";
// Each webhook's oldest pending delivery, when due and its webhook active: deliveries of one
// webhook go out in order, and a paused webhook's wait. With whether its owner may still read it.
constexpr const char* due_query =
    "SELECT " DELIVERY_COLUMNS ", w.url, w.sealed_secret, w.owner_id, " OWNER_MAY_READ
    " FROM webhook_deliveries d "
    "JOIN webhooks w ON w.id = d.webhook_id WHERE d.status = 'pending' AND "
    "d.next_attempt_at <= ?1 AND w.status = 'active' AND NOT EXISTS (SELECT 1 FROM "
    "webhook_deliveries p WHERE p.webhook_id = d.webhook_id AND p.status = 'pending' AND "
    "p.id < d.id) ORDER BY d.next_attempt_at, d.id LIMIT ?2";
constexpr const char* record_query =
    "UPDATE webhook_deliveries SET status = ?1, attempts = attempts + 1, response_status = ?2, "
    "duration_ms = ?3, last_error = ?4, next_attempt_at = coalesce(?5, next_attempt_at), "
    "delivered_at = CASE WHEN ?1 = 'delivered' THEN ?6 ELSE delivered_at END WHERE id = ?7";
constexpr const char* deliveries_query =
    "SELECT " DELIVERY_COLUMNS " FROM webhook_deliveries d WHERE d.webhook_id = ?1 AND "
    "(d.id < ?2 OR ?2 IS NULL) ORDER BY d.id DESC LIMIT ?3";

constexpr const char* failed_query =
    "SELECT " DELIVERY_COLUMNS " FROM webhook_deliveries d WHERE d.status = 'failed' AND "
    "(d.id < ?1 OR ?1 IS NULL) ORDER BY d.id DESC LIMIT ?2";
constexpr const char* delivery_by_id =
    "SELECT " DELIVERY_COLUMNS " FROM webhook_deliveries d WHERE d.id = ?";
constexpr const char* requeue_query =
    "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?1 "
    "WHERE id = ?2 AND status = 'failed'";

std::string join_types(const std::vector<std::string>& types) {
    std::string out = " ";
    for (const auto& t : types)
        out += t + " ";
    return out;
}

std::vector<std::string> split_types(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string t; in >> t;)
        out.push_back(t);
    return out;
}

webhook read_webhook(const auto& row) {
    webhook w;
    w.id = row.integer(0);
    w.owner_id = row.integer(1);
    w.url = row.text(2);
    w.events = split_types(row.text(3));
    w.event_id = row.optional_integer(4);
    w.sealed_secret = row.text(5);
    w.status = parse_webhook_status(row.text(6)).value_or(webhook_status::paused);
    w.consecutive_failures = static_cast<int>(row.integer(7));
    w.created_at = at_seconds(row.integer(8));
    w.updated_at = at_seconds(row.integer(9));
    w.rights_version = row.integer(10);
    return w;
}

std::vector<webhook> read_webhooks(auto&& query, const auto& key) {
    query.bind_all(key);
    std::vector<webhook> rows;
    while (query.step())
        rows.push_back(read_webhook(query));
    return rows;
}

webhook_delivery read_delivery(const auto& row) {
    webhook_delivery d;
    d.id = row.integer(0);
    d.webhook_id = row.integer(1);
    d.type = row.text(2);
    d.subject_id = row.integer(3);
    d.status = parse_delivery_status(row.text(4)).value_or(delivery_status::pending);
    d.attempts = static_cast<int>(row.integer(5));
    d.next_attempt_at = at_seconds(row.integer(6));
    if (const auto s = row.optional_integer(7)) d.response_status = static_cast<int>(*s);
    if (const auto ms = row.optional_integer(8)) d.duration_ms = static_cast<int>(*ms);
    d.last_error = row.optional_text(9);
    d.created_at = at_seconds(row.integer(10));
    if (const auto at = row.optional_integer(11)) d.delivered_at = at_seconds(*at);
    return d;
}

} // namespace

template <class Db> webhook sql_webhooks_repository<Db>::insert(const webhook& draft) {
    webhook made = draft;
    made.id = insert_returning_id(
        db_, insert_query, draft.owner_id, draft.url, join_types(draft.events), draft.event_id,
        draft.sealed_secret, std::string(to_string(draft.status)), draft.consecutive_failures,
        seconds(draft.created_at), seconds(draft.updated_at), draft.rights_version);
    return made;
}

template <class Db> std::optional<webhook> sql_webhooks_repository<Db>::find(id_t id) {
    auto query = db_.prepare(find_query);
    query.bind_all(id);
    if (!query.step()) return std::nullopt;
    return read_webhook(query);
}

template <class Db>
std::vector<webhook> sql_webhooks_repository<Db>::list(std::optional<id_t> owner) {
    return read_webhooks(db_.prepare(list_query), owner);
}

template <class Db> std::vector<webhook> sql_webhooks_repository<Db>::for_event(id_t event_id) {
    return read_webhooks(db_.prepare(for_event_query), event_id);
}

template <class Db> void sql_webhooks_repository<Db>::update(const webhook& w) {
    db_.prepare(update_query)
        .bind_all(join_types(w.events), std::string(to_string(w.status)), w.consecutive_failures,
                  seconds(w.updated_at), w.rights_version, w.id)
        .run();
}

template <class Db> void sql_webhooks_repository<Db>::remove(id_t id) {
    db_.prepare(remove_query).bind_all(id).run();
}

template <class Db>
void sql_webhooks_repository<Db>::announce(std::string_view type, std::optional<id_t> event_id,
                                           id_t subject_id, instant now) {
    db_.prepare(announce_query).bind_all(type, event_id, subject_id, seconds(now)).run();
}

template <class Db>
std::vector<due_delivery> sql_webhooks_repository<Db>::due(instant now, int limit) {
    auto query = db_.prepare(due_query);
    query.bind_all(seconds(now), limit);
    std::vector<due_delivery> rows;
    while (query.step())
        rows.push_back({read_delivery(query), query.text(12), query.text(13), query.integer(14),
                        query.integer(15) != 0});
    return rows;
}

template <class Db>
void sql_webhooks_repository<Db>::record(id_t delivery_id, delivery_status status,
                                         const webhook_report& report,
                                         std::optional<instant> next_attempt, instant now) {
    db_.prepare(record_query)
        .bind_all(std::string(to_string(status)), report.response_status, report.duration_ms,
                  report.error.empty() ? std::nullopt : std::optional<std::string>(report.error),
                  next_attempt ? std::optional(seconds(*next_attempt)) : std::nullopt, seconds(now),
                  delivery_id)
        .run();
}

template <class Db>
page<webhook_delivery> sql_webhooks_repository<Db>::deliveries(id_t webhook_id,
                                                               const page_request& request) {
    auto query = db_.prepare(deliveries_query);
    query.bind_all(webhook_id, request.after, request.limit + 1);
    std::vector<webhook_delivery> rows;
    while (query.step())
        rows.push_back(read_delivery(query));
    return finish_page(std::move(rows), request.limit,
                       [](const webhook_delivery& d) { return d.id; });
}

template <class Db>
page<webhook_delivery> sql_webhooks_repository<Db>::failed_deliveries(const page_request& request) {
    auto query = db_.prepare(failed_query);
    query.bind_all(request.after, request.limit + 1);
    std::vector<webhook_delivery> rows;
    while (query.step())
        rows.push_back(read_delivery(query));
    return finish_page(std::move(rows), request.limit,
                       [](const webhook_delivery& d) { return d.id; });
}

template <class Db>
std::optional<webhook_delivery> sql_webhooks_repository<Db>::find_delivery(id_t id) {
    auto query = db_.prepare(delivery_by_id);
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return read_delivery(query);
}

template <class Db> void sql_webhooks_repository<Db>::requeue_delivery(id_t id, instant now) {
    db_.prepare(requeue_query).bind_all(seconds(now), id).run();
}

template class sql_webhooks_repository<sqlite::connection>;
template class sql_webhooks_repository<postgres::connection>;

} // namespace rencontres::storage
