#include "server/storage/postgres/connection.hpp"
#include "server/storage/sql/fts.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/connection.hpp"

namespace rencontres::storage {
namespace {

constexpr const char* report_row =
    "SELECT event_id, status, introduction, published_at, updated_at FROM reports "
    "WHERE event_id = ?";
constexpr const char* published_rows =
    "SELECT event_id, status, introduction, published_at, updated_at FROM reports "
    "WHERE status = 'published' ORDER BY published_at DESC, event_id DESC LIMIT ?";
constexpr const char* sessions_of_report =
    "SELECT session_id, summary FROM report_sessions WHERE event_id = ? ORDER BY position";
constexpr const char* quotes_of_report =
    "SELECT session_id, text, speaker_id FROM report_quotes WHERE event_id = ? "
    "ORDER BY session_id, position";
constexpr const char* resources_of_report =
    "SELECT session_id, label, url FROM report_resources WHERE event_id = ? "
    "ORDER BY session_id, position";
constexpr const char* upsert_report =
    "INSERT INTO reports (event_id, status, introduction, published_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (event_id) DO UPDATE SET status = ?2, "
    "introduction = ?3, published_at = ?4, updated_at = ?5";
constexpr const char* forget_sessions = "DELETE FROM report_sessions WHERE event_id = ?";
constexpr const char* forget_quotes = "DELETE FROM report_quotes WHERE event_id = ?";
constexpr const char* forget_resources = "DELETE FROM report_resources WHERE event_id = ?";
constexpr const char* insert_session =
    "INSERT INTO report_sessions (event_id, session_id, position, summary) VALUES (?, ?, ?, ?)";
constexpr const char* insert_quote = "INSERT INTO report_quotes (event_id, session_id, position, "
                                     "text, speaker_id) VALUES (?, ?, ?, ?, ?)";
constexpr const char* insert_resource = "INSERT INTO report_resources (event_id, session_id, "
                                        "position, label, url) VALUES (?, ?, ?, ?, ?)";

report read_report(const auto& row) {
    report r;
    r.event_id = row.integer(0);
    r.status = row.text(1) == "published" ? report_status::published : report_status::draft;
    r.introduction = row.text(2);
    if (const auto at = row.optional_integer(3)) r.published_at = at_seconds(*at);
    r.updated_at = at_seconds(row.integer(4));
    return r;
}

report_session* session_in(report& r, id_t session_id) {
    for (auto& s : r.sessions)
        if (s.session_id == session_id) return &s;
    return nullptr;
}

} // namespace

template <class Db> void sql_reports_repository<Db>::load_parts(report& r) {
    {
        auto query = db_.prepare(sessions_of_report);
        query.bind(1, r.event_id);
        while (query.step())
            r.sessions.push_back({query.integer(0), query.text(1), {}, {}});
    }
    {
        auto query = db_.prepare(quotes_of_report);
        query.bind(1, r.event_id);
        while (query.step())
            if (auto* s = session_in(r, query.integer(0)))
                s->quotes.push_back({query.text(1), query.optional_integer(2)});
    }
    auto query = db_.prepare(resources_of_report);
    query.bind(1, r.event_id);
    while (query.step())
        if (auto* s = session_in(r, query.integer(0)))
            s->resources.push_back({query.text(1), query.text(2)});
}

template <class Db> std::optional<report> sql_reports_repository<Db>::find(id_t event_id) {
    std::optional<report> found;
    {
        auto query = db_.prepare(report_row);
        query.bind(1, event_id);
        if (query.step()) found = read_report(query);
    }
    if (found) load_parts(*found);
    return found;
}

template <class Db> void sql_reports_repository<Db>::save(const report& r) {
    const std::optional<std::int64_t> published =
        r.published_at ? std::optional<std::int64_t>(seconds(*r.published_at)) : std::nullopt;
    db_.prepare(upsert_report)
        .bind_all(r.event_id,
                  std::string(r.status == report_status::published ? "published" : "draft"),
                  r.introduction, published, seconds(r.updated_at))
        .run();
    db_.prepare(forget_quotes).bind(1, r.event_id).run();
    db_.prepare(forget_resources).bind(1, r.event_id).run();
    db_.prepare(forget_sessions).bind(1, r.event_id).run();
    int position = 0;
    for (const auto& s : r.sessions) {
        db_.prepare(insert_session).bind_all(r.event_id, s.session_id, position++, s.summary).run();
        int q = 0;
        for (const auto& quote : s.quotes)
            db_.prepare(insert_quote)
                .bind_all(r.event_id, s.session_id, q++, quote.text, quote.speaker_id)
                .run();
        int n = 0;
        for (const auto& res : s.resources)
            db_.prepare(insert_resource)
                .bind_all(r.event_id, s.session_id, n++, res.label, res.url)
                .run();
    }
    reindex_event(db_, r.event_id); // a published report is found by the search
}

template <class Db> std::vector<report> sql_reports_repository<Db>::published(int limit) {
    std::vector<report> rows;
    {
        auto query = db_.prepare(published_rows);
        query.bind(1, limit);
        while (query.step())
            rows.push_back(read_report(query));
    }
    for (auto& r : rows)
        load_parts(r);
    return rows;
}

template class sql_reports_repository<sqlite::connection>;
template class sql_reports_repository<postgres::connection>;

} // namespace rencontres::storage
