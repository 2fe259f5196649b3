#include "domain/common/text.hpp"
#include "server/storage/postgres/connection.hpp"
#include "server/storage/sql/fts.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/connection.hpp"

#include <algorithm>
#include <charconv>

namespace rencontres::storage {
namespace {

#define EVENT_COLUMNS                                                                              \
    "e.id, e.slug, e.title, e.summary, e.description, e.status, e.timezone, e.starts_at, "         \
    "e.ends_at, e.venue_name, e.venue_address, e.venue_postal_code, e.venue_city, "                \
    "e.host_territory_id, e.capacity, e.registration_opens_at, e.registration_closes_at, "         \
    "e.cancel_reason, e.revision, e.created_at, e.updated_at, e.contact_email"

constexpr const char* insert_event =
    "INSERT INTO events (slug, title, summary, description, status, timezone, starts_at, "
    "ends_at, venue_name, venue_address, venue_postal_code, venue_city, host_territory_id, "
    "capacity, registration_opens_at, registration_closes_at, cancel_reason, revision, "
    "created_at, updated_at, contact_email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr const char* update_event =
    "UPDATE events SET title = ?, summary = ?, description = ?, status = ?, timezone = ?, "
    "starts_at = ?, ends_at = ?, venue_name = ?, venue_address = ?, venue_postal_code = ?, "
    "venue_city = ?, host_territory_id = ?, capacity = ?, registration_opens_at = ?, "
    "registration_closes_at = ?, cancel_reason = ?, revision = ?, updated_at = ?, "
    "contact_email = ? WHERE id = ?";
// The event and its organizers' ids ("3,7"), in one statement: on PostgreSQL, one round trip.
// Concatenated by each database's own aggregate, SQLite's group_concat and PostgreSQL's
// string_agg: migration V009's group_concat for PostgreSQL, a function in SQL, is parsed and
// planned again in every statement that calls it, and the event is read at every registration.
#define ORGANIZER_IDS(concatenate)                                                                 \
    "(SELECT " concatenate "(CAST(o.account_id AS TEXT), ',') FROM (SELECT account_id FROM "       \
    "event_organizers WHERE event_id = e.id ORDER BY added_at, account_id) o)"
#define EVENT_WHERE(concatenate, condition)                                                        \
    "SELECT " EVENT_COLUMNS ", " ORGANIZER_IDS(concatenate) " FROM events e WHERE " condition
constexpr const char* event_by_id = EVENT_WHERE("group_concat", "e.id = ?");
constexpr const char* event_by_id_postgres = EVENT_WHERE("string_agg", "e.id = ?");
constexpr const char* event_by_slug = EVENT_WHERE("group_concat", "e.slug = ?");
constexpr const char* event_by_slug_postgres = EVENT_WHERE("string_agg", "e.slug = ?");
constexpr int organizer_ids_column = 22;
constexpr const char* slug_exists = "SELECT 1 FROM events WHERE slug = ?";
constexpr const char* insert_organizer =
    "INSERT INTO event_organizers (event_id, account_id, added_at) "
    "VALUES (?, ?, (SELECT coalesce(max(added_at), 0) + 1 FROM event_organizers WHERE event_id = "
    "?)) ON CONFLICT DO NOTHING";
constexpr const char* delete_organizer =
    "DELETE FROM event_organizers WHERE event_id = ? AND account_id = ?";
constexpr const char* delete_event = "DELETE FROM events WHERE id = ?";
constexpr const char* territory_exists_query = "SELECT 1 FROM territories WHERE id = ?";
#define SOLELY_ORGANIZED                                                                           \
    "e.id IN (SELECT event_id FROM event_organizers WHERE account_id = ?1) AND NOT EXISTS "        \
    "(SELECT 1 FROM event_organizers o WHERE o.event_id = e.id AND o.account_id <> ?1) "           \
    "ORDER BY e.id"
constexpr const char* solely_organized_query = EVENT_WHERE("group_concat", SOLELY_ORGANIZED);
constexpr const char* solely_organized_query_postgres = EVENT_WHERE("string_agg", SOLELY_ORGANIZED);
#undef SOLELY_ORGANIZED
#undef EVENT_WHERE
constexpr const char* organized_query =
    "SELECT event_id FROM event_organizers WHERE account_id = ? ORDER BY event_id";

// Visibility: with no status filter, published events and those the viewer organizes; with a
// status, the events of that status, drafts only for their organizers and admins.
// Events without dates sort last; the cursor is (sort key, id).
// The region ?11: the host territory's, or for an event without one, its venue's postal code's
// (postal_regions: the first two digits, three overseas). A parameter's first use gives
// PostgreSQL its type: each `?n IS NULL` comes after a comparison of ?n.
// clang-format off
#define LIST_EVENTS(search, concatenate, later, order)                                             \
    "SELECT " EVENT_COLUMNS ", coalesce(e.starts_at, 253402300799) AS sort_key, "                  \
    ORGANIZER_IDS(concatenate) " FROM events e "                                                   \
    "WHERE (e.ends_at >= ?1 OR ?1 IS NULL) "                                                       \
    "AND (e.starts_at <= ?2 OR ?2 IS NULL) "                                                       \
    "AND (e.ends_at < ?12 OR ?12 IS NULL) "                                                        \
    "AND (e.host_territory_id = ?3 OR ?3 IS NULL) "                                                \
    "AND " search " "                                                                              \
    "AND ((e.status = ?5 AND (e.status <> 'draft' OR ?7 = 1 OR e.id IN "                           \
    "       (SELECT event_id FROM event_organizers WHERE account_id = ?6))) "                      \
    "  OR (?5 IS NULL AND (e.status = 'published' OR e.id IN "                                     \
    "       (SELECT event_id FROM event_organizers WHERE account_id = ?6)))) "                     \
    "AND ((coalesce(e.starts_at, 253402300799), e.id) " later " (?8, ?9) OR ?8 IS NULL) "          \
    "AND (e.host_territory_id IN (SELECT id FROM territories WHERE region = ?11) "                 \
    "  OR (e.host_territory_id IS NULL AND (substr(e.venue_postal_code, 1, 2) IN "                 \
    "       (SELECT prefix FROM postal_regions WHERE region = ?11) OR "                            \
    "       substr(e.venue_postal_code, 1, 3) IN "                                                 \
    "       (SELECT prefix FROM postal_regions WHERE region = ?11))) OR ?11 IS NULL) "             \
    "ORDER BY coalesce(e.starts_at, 253402300799) " order ", e.id " order " LIMIT ?10"
// clang-format on
// ?4: an FTS5 MATCH expression (match_expression); FTS5 refuses a NULL one, hence IS NULL first.
#define SQLITE_SEARCH                                                                              \
    "(?4 IS NULL OR e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?4))"
// ?4: the words searched (prefix_query, PostgreSQL's V001).
#define POSTGRES_SEARCH                                                                            \
    "(e.id IN (SELECT event_id FROM events_fts WHERE document @@ prefix_query(?4)) OR ?4 IS NULL)"
constexpr const char* list_events = LIST_EVENTS(SQLITE_SEARCH, "group_concat", ">", "ASC");
constexpr const char* list_events_postgres = LIST_EVENTS(POSTGRES_SEARCH, "string_agg", ">", "ASC");
constexpr const char* list_events_latest_first =
    LIST_EVENTS(SQLITE_SEARCH, "group_concat", "<", "DESC");
constexpr const char* list_events_latest_first_postgres =
    LIST_EVENTS(POSTGRES_SEARCH, "string_agg", "<", "DESC");
#undef SQLITE_SEARCH
#undef POSTGRES_SEARCH
#undef LIST_EVENTS
#undef ORGANIZER_IDS

std::optional<instant> optional_at(const auto& row, int column) {
    const auto value = row.optional_integer(column);
    return value ? std::optional(at_seconds(*value)) : std::nullopt;
}

std::optional<std::int64_t> optional_seconds(const std::optional<instant>& at) {
    return at ? std::optional(seconds(*at)) : std::nullopt;
}

event read_event(const auto& row) {
    event e;
    e.id = row.integer(0);
    e.slug = row.text(1);
    e.title = row.text(2);
    e.summary = row.text(3);
    e.description = row.text(4);
    e.status = parse_event_status(row.text(5)).value_or(event_status::draft);
    e.timezone = row.text(6);
    e.starts_at = optional_at(row, 7);
    e.ends_at = optional_at(row, 8);
    e.venue = {row.text(9), row.text(10), row.text(11), row.text(12)};
    e.host_territory_id = row.optional_integer(13);
    if (const auto capacity = row.optional_integer(14)) e.capacity = static_cast<int>(*capacity);
    e.registration_opens_at = optional_at(row, 15);
    e.registration_closes_at = optional_at(row, 16);
    e.cancel_reason = row.optional_text(17);
    e.revision = static_cast<int>(row.integer(18));
    e.created_at = at_seconds(row.integer(19));
    e.updated_at = at_seconds(row.integer(20));
    e.contact_email = row.optional_text(21);
    return e;
}

std::optional<std::int64_t> capacity_of(const event& e) {
    return e.capacity ? std::optional<std::int64_t>(*e.capacity) : std::nullopt;
}

// Registration questions (V012) and announcements (V013).
// The questions in order, each with its options in order: one row per option, or one with no
// option (NULL code) for a question without; one statement for both tables, read at every
// registration.
constexpr const char* questions_query =
    "SELECT q.code, q.label, q.kind, q.required, q.help, o.code, o.label FROM event_questions q "
    "LEFT JOIN question_options o ON o.event_id = q.event_id AND o.question_code = q.code "
    "WHERE q.event_id = ? ORDER BY q.position, q.code, o.position";
constexpr const char* drop_options = "DELETE FROM question_options WHERE event_id = ?";
constexpr const char* drop_questions = "DELETE FROM event_questions WHERE event_id = ?";
constexpr const char* insert_question =
    "INSERT INTO event_questions (event_id, code, position, label, kind, "
    "required, help) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr const char* insert_option =
    "INSERT INTO question_options (event_id, question_code, code, position, "
    "label) VALUES (?, ?, ?, ?, ?)";
constexpr const char* announcements_query =
    "SELECT created_at FROM announcements WHERE event_id = ? AND "
    "created_at >= ? ORDER BY created_at";
constexpr const char* insert_announcement =
    "INSERT INTO announcements (event_id, subject, body, statuses, recipients, "
    "sent_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

} // namespace

template <class Db> result<event> sql_events_repository<Db>::insert(const event& draft) {
    const auto id = insert_unique(
        db_, insert_event, draft.slug, draft.title, draft.summary, draft.description,
        to_string(draft.status), draft.timezone, optional_seconds(draft.starts_at),
        optional_seconds(draft.ends_at), draft.venue.name, draft.venue.address,
        draft.venue.postal_code, draft.venue.city, draft.host_territory_id, capacity_of(draft),
        optional_seconds(draft.registration_opens_at),
        optional_seconds(draft.registration_closes_at), draft.cancel_reason, draft.revision,
        seconds(draft.created_at), seconds(draft.updated_at), draft.contact_email);
    if (!id) return conflict(rule::slug_taken, "An event with this slug already exists.");
    event created = draft;
    created.id = *id;
    for (const auto account : created.organizer_ids)
        add_organizer(created.id, account);
    reindex_event(db_, created.id);
    return created;
}

template <class Db> void sql_events_repository<Db>::update(const event& e) {
    db_.prepare(update_event)
        .bind_all(e.title, e.summary, e.description, to_string(e.status), e.timezone,
                  optional_seconds(e.starts_at), optional_seconds(e.ends_at), e.venue.name,
                  e.venue.address, e.venue.postal_code, e.venue.city, e.host_territory_id,
                  capacity_of(e), optional_seconds(e.registration_opens_at),
                  optional_seconds(e.registration_closes_at), e.cancel_reason, e.revision,
                  seconds(e.updated_at), e.contact_email, e.id)
        .run();
    reindex_event(db_, e.id);
}

namespace {

// A row of a query that reads the organizers' ids beside the event, in one statement (column
// 22 of event_by_id, event_by_slug and solely_organized_query; 23 of the listings, after their
// sort key): the event and its organizers.
event read_event_and_organizers(const auto& row, int ids_column = organizer_ids_column) {
    auto e = read_event(row);
    const auto ids = row.optional_text(ids_column).value_or("");
    for (std::size_t at = 0; at < ids.size();) {
        const auto comma = std::min(ids.find(',', at), ids.size());
        id_t id = 0;
        std::from_chars(ids.data() + at, ids.data() + comma, id);
        e.organizer_ids.push_back(id);
        at = comma + 1;
    }
    return e;
}

} // namespace

template <class Db> std::optional<event> sql_events_repository<Db>::find(id_t id) {
    auto query = db_.prepare(is_postgres<Db> ? event_by_id_postgres : event_by_id);
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return read_event_and_organizers(query);
}

template <class Db> void sql_events_repository<Db>::read_ahead(id_t id) {
    if constexpr (Db::reads_ahead) {
        db_.prepare(is_postgres<Db> ? event_by_id_postgres : event_by_id).bind(1, id).send_ahead();
        db_.prepare(questions_query).bind(1, id).send_ahead();
    }
}

template <class Db>
std::optional<event> sql_events_repository<Db>::find_by_slug(std::string_view slug) {
    auto query = db_.prepare(is_postgres<Db> ? event_by_slug_postgres : event_by_slug);
    query.bind(1, slug);
    if (!query.step()) return std::nullopt;
    return read_event_and_organizers(query);
}

template <class Db> bool sql_events_repository<Db>::slug_taken(std::string_view slug) {
    auto query = db_.prepare(slug_exists);
    query.bind(1, slug);
    return query.step();
}

template <class Db> event_page sql_events_repository<Db>::list(const event_filter& f) {
    std::vector<event> rows;
    std::vector<std::int64_t> keys;
    {
        auto query =
            db_.prepare(f.most_recent_first ? (is_postgres<Db> ? list_events_latest_first_postgres
                                                               : list_events_latest_first)
                        : is_postgres<Db>   ? list_events_postgres
                                            : list_events);
        query.bind(1, optional_seconds(f.from));
        query.bind(2, optional_seconds(f.to));
        query.bind(3, f.territory);
        // The same words on both: none (no filter) when the text holds none.
        const auto folded = f.q ? std::optional<std::string>(search_fold(*f.q)) : std::nullopt;
        const auto expression = folded ? match_expression(*folded) : std::nullopt;
        if (is_postgres<Db> && expression)
            query.bind(4, *folded);
        else
            query.bind(4, expression);
        query.bind(5, f.status ? std::optional<std::string>(std::string(to_string(*f.status)))
                               : std::nullopt);
        query.bind(6, f.viewer.value_or(0));
        query.bind(7, f.viewer_is_admin ? 1 : 0);
        if (f.after) {
            query.bind(8, seconds(f.after->starts_at));
            query.bind(9, f.after->id);
        } else {
            query.bind(8, std::nullopt);
            query.bind(9, std::nullopt);
        }
        query.bind(10, f.limit + 1);
        query.bind(11, f.region);
        query.bind(12, optional_seconds(f.ended_before));
        while (query.step()) {
            rows.push_back(read_event_and_organizers(query, organizer_ids_column + 1));
            keys.push_back(query.integer(organizer_ids_column));
        }
    }
    event_page page;
    if (static_cast<int>(rows.size()) > f.limit) {
        rows.resize(static_cast<std::size_t>(f.limit));
        page.next = event_cursor{at_seconds(keys[rows.size() - 1]), rows.back().id};
    }
    page.items = std::move(rows);
    return page;
}

template <class Db> void sql_events_repository<Db>::remove(id_t id) {
    db_.prepare(delete_event).bind(1, id).run();
    unindex_event(db_, id);
}

template <class Db> void sql_events_repository<Db>::add_organizer(id_t event_id, id_t account_id) {
    db_.prepare(insert_organizer).bind_all(event_id, account_id, event_id).run();
}

template <class Db>
void sql_events_repository<Db>::remove_organizer(id_t event_id, id_t account_id) {
    db_.prepare(delete_organizer).bind_all(event_id, account_id).run();
}

template <class Db> bool sql_events_repository<Db>::territory_exists(id_t territory_id) {
    auto query = db_.prepare(territory_exists_query);
    query.bind(1, territory_id);
    return query.step();
}

template <class Db>
std::vector<event> sql_events_repository<Db>::solely_organized_by(id_t account_id) {
    std::vector<event> rows;
    {
        auto query =
            db_.prepare(is_postgres<Db> ? solely_organized_query_postgres : solely_organized_query);
        query.bind(1, account_id);
        while (query.step())
            rows.push_back(read_event_and_organizers(query));
    }
    return rows;
}

template <class Db> std::vector<id_t> sql_events_repository<Db>::organized_by(id_t account_id) {
    std::vector<id_t> ids;
    auto query = db_.prepare(organized_query);
    query.bind(1, account_id);
    while (query.step())
        ids.push_back(query.integer(0));
    return ids;
}

template <class Db> std::vector<question> sql_events_repository<Db>::questions(id_t event_id) {
    std::vector<question> out;
    auto query = db_.prepare(questions_query);
    query.bind(1, event_id);
    while (query.step()) {
        auto code = query.text(0);
        if (out.empty() || out.back().code != code) {
            question q;
            q.code = std::move(code);
            q.label = query.text(1);
            q.kind = parse_question_kind(query.text(2)).value_or(question_kind::text);
            q.required = query.integer(3) != 0;
            q.help = query.optional_text(4);
            out.push_back(std::move(q));
        }
        if (auto option = query.optional_text(5))
            out.back().options.push_back({std::move(*option), query.text(6)});
    }
    return out;
}

template <class Db>
void sql_events_repository<Db>::replace_questions(id_t event_id,
                                                  const std::vector<question>& questions) {
    db_.prepare(drop_options).bind(1, event_id).run();
    db_.prepare(drop_questions).bind(1, event_id).run();
    for (std::size_t i = 0; i < questions.size(); ++i) {
        const auto& q = questions[i];
        db_.prepare(insert_question)
            .bind_all(event_id, q.code, static_cast<std::int64_t>(i), q.label, to_string(q.kind),
                      q.required ? 1 : 0, q.help)
            .run();
        for (std::size_t j = 0; j < q.options.size(); ++j)
            db_.prepare(insert_option)
                .bind_all(event_id, q.code, q.options[j].code, static_cast<std::int64_t>(j),
                          q.options[j].label)
                .run();
    }
}

template <class Db>
std::vector<instant> sql_events_repository<Db>::announcements_since(id_t event_id, instant since) {
    auto query = db_.prepare(announcements_query);
    query.bind_all(event_id, seconds(since));
    std::vector<instant> out;
    while (query.step())
        out.push_back(at_seconds(query.integer(0)));
    return out;
}

template <class Db> void sql_events_repository<Db>::record_announcement(const announcement& a) {
    std::string statuses;
    for (const auto s : a.statuses) {
        if (!statuses.empty()) statuses += ' ';
        statuses += to_string(s);
    }
    db_.prepare(insert_announcement)
        .bind_all(a.event_id, a.subject, a.body, statuses, a.recipients, a.sent_by,
                  seconds(a.created_at))
        .run();
}

template class sql_events_repository<sqlite::connection>;
template class sql_events_repository<postgres::connection>;

} // namespace rencontres::storage
