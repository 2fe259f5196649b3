#include "server/storage/postgres/connection.hpp"

#include "domain/store.hpp"

#include <charconv>
#include <libpq-fe.h>

namespace rencontres::postgres {
namespace {

// The primary message and the constraint's name only: DETAIL would carry the values (an email).
std::string describe(PGresult* result, std::string_view context) {
    std::string what(context);
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    if (primary) what += std::string(": ") + primary;
    if (const char* c = result ? PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME) : nullptr)
        what += std::string(" (") + c + ")";
    return what;
}

} // namespace

void raise(PGconn* db, PGresult* result, std::string_view context) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string sqlstate = state ? state : "";
    std::string what = describe(result, context);
    if (!state && db) what += std::string(": ") + PQerrorMessage(db);
    if (result) PQclear(result);
    if (sqlstate.starts_with("23")) throw constraint_violation(sqlstate == "23505", what);
    // Two transactions that could not both go on: a serialization failure (40001) or a deadlock
    // (40P01). PostgreSQL undid this one; run again, it will most likely pass.
    if (sqlstate == "40001" || sqlstate == "40P01") throw store_conflict(what);
    // No answer (the connection broke), a connection or resource failure, a shutdown, a
    // cancelled statement (statement_timeout, lock_timeout), a read-only standby, or another
    // rolled-back transaction (class 40).
    if (sqlstate.empty() || sqlstate.starts_with("40") || sqlstate.starts_with("08") ||
        sqlstate.starts_with("53") || sqlstate.starts_with("57") || sqlstate.starts_with("58") ||
        sqlstate == "55P03" || sqlstate == "25006" || (db && PQstatus(db) != CONNECTION_OK))
        throw store_unavailable(what);
    throw std::runtime_error(what);
}

bool is_database_url(std::string_view location) {
    return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string without_password(std::string_view url) {
    std::string out(url);
    const auto scheme = out.find("://");
    if (scheme == std::string::npos) return out;
    const auto at = out.find('@', scheme + 3);
    const auto colon = out.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at)
        out.replace(colon + 1, at - colon - 1, "***");
    if (const auto query = out.find("password=", scheme); query != std::string::npos) {
        const auto end = out.find('&', query);
        out.replace(query + 9, (end == std::string::npos ? out.size() : end) - query - 9, "***");
    }
    return out;
}

std::pair<std::string, int> to_dollar_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int next = 0, highest = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'' || c == '"') { // a literal or a quoted name, doubled quotes included
            const auto end = sql.find(c, i + 1);
            const auto stop = end == std::string_view::npos ? sql.size() : end + 1;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            const auto end = sql.find('\n', i);
            const auto stop = end == std::string_view::npos ? sql.size() : end;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '?') {
            std::size_t j = i + 1;
            while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9')
                ++j;
            int number = ++next;
            if (j > i + 1) std::from_chars(sql.data() + i + 1, sql.data() + j, number);
            highest = std::max(highest, number);
            out += '$' + std::to_string(number);
            i = j - 1;
        } else {
            out += c;
        }
    }
    return {out, highest};
}

statement::statement(connection& owner, const std::string& name, int parameters)
    : owner_(owner), name_(name), values_(static_cast<std::size_t>(parameters)) {}

statement::~statement() {
    if (result_) PQclear(result_);
}

statement& statement::bind_value(int index, std::int64_t value) {
    values_.at(static_cast<std::size_t>(index - 1)) = std::to_string(value);
    return *this;
}

statement& statement::bind_value(int index, double value) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    values_.at(static_cast<std::size_t>(index - 1)) = std::string(buffer, end);
    return *this;
}

statement& statement::bind_value(int index, std::string_view value) {
    values_.at(static_cast<std::size_t>(index - 1)) = std::string(value);
    return *this;
}

statement& statement::bind_null(int index) {
    values_.at(static_cast<std::size_t>(index - 1)).reset();
    return *this;
}

void statement::execute() {
    if (!owner_.ahead_.empty())
        if (PGresult* rows = owner_.take_ahead(name_, values_)) {
            result_ = rows;
            return;
        }
    result_ = owner_.exchange({name_, true, values_});
}

void statement::send_ahead() {
    if (result_ || !owner_.queueing_) return; // outside a transaction, step() runs it
    owner_.ahead_.push_back({&name_, values_, nullptr});
    owner_.queue({name_, true, values_, true});
}

bool statement::step() {
    if (!result_) execute();
    return ++row_ < PQntuples(result_);
}

void statement::run() {
    if (result_) return;
    if (!owner_.ahead_.empty() && owner_.ran_ahead(name_, values_)) return;
    if (owner_.queueing_) {
        owner_.queue({name_, true, std::move(values_)});
        values_.clear();
        // Results are read only once the whole pipeline is sent: a long one could fill both
        // sockets' buffers and stall (a copy of many rows).
        if (owner_.pending_.size() >= 64) owner_.flush();
        return;
    }
    execute();
}

const char* statement::value(int column) const {
    return PQgetisnull(result_, row_, column) ? nullptr : PQgetvalue(result_, row_, column);
}

std::int64_t statement::integer(int column) const {
    return optional_integer(column).value_or(0);
}

double statement::real(int column) const {
    const char* v = value(column);
    if (!v) return 0;
    double out = 0;
    std::from_chars(v, v + std::char_traits<char>::length(v), out);
    return out;
}

std::string statement::text(int column) const {
    return optional_text(column).value_or(std::string());
}

std::optional<std::string> statement::optional_text(int column) const {
    const char* v = value(column);
    if (!v) return std::nullopt;
    return std::string(v, static_cast<std::size_t>(PQgetlength(result_, row_, column)));
}

std::optional<std::int64_t> statement::optional_integer(int column) const {
    const char* v = value(column);
    if (!v) return std::nullopt;
    if (v[0] == 't' && v[1] == '\0') return 1;
    if (v[0] == 'f' && v[1] == '\0') return 0;
    const auto length = std::char_traits<char>::length(v);
    std::int64_t out = 0;
    if (std::from_chars(v, v + length, out).ec == std::errc{}) return out;
    // A numeric (an average, a sum) reads as its integer part, as SQLite's column_int64 does.
    double number = 0;
    std::from_chars(v, v + length, number);
    out = static_cast<std::int64_t>(number);
    return out;
}

connection::connection(const connection_settings& settings) : settings_(settings) {
    db_ = PQconnectdb(settings.url.c_str());
    if (PQstatus(db_) != CONNECTION_OK) {
        // libpq's message names the host and the reason, never the password.
        const std::string what = std::string("connect to PostgreSQL: ") + PQerrorMessage(db_);
        PQfinish(db_);
        db_ = nullptr;
        throw store_unavailable(what);
    }
    set_up();
}

void connection::set_up() {
    // Every connection alike: UTC, no statement or lock wait longer than the timeout, and a commit
    // answered only once it is flushed (whatever the server's default).
    const auto timeout = std::to_string(settings_.statement_timeout_ms);
    const std::string setup = "SET TIME ZONE 'UTC'; SET synchronous_commit = on; "
                              "SET statement_timeout = " +
                              timeout + "; SET lock_timeout = " + timeout +
                              "; SET client_min_messages = warning";
    execute(setup.c_str());
}

connection::~connection() {
    drop_ahead();
    if (db_) PQfinish(db_);
}

namespace {

// The values of a queued statement as libpq takes them.
std::vector<const char*> pointers_to(const std::vector<std::optional<std::string>>& values) {
    std::vector<const char*> out;
    out.reserve(values.size());
    for (const auto& v : values)
        out.push_back(v ? v->c_str() : nullptr);
    return out;
}

} // namespace

PGresult* connection::exchange(queued last) {
    ++round_trips_;
    if (pending_.empty()) {
        const auto values = pointers_to(last.values);
        PGresult* result = last.prepared ? PQexecPrepared(db_, last.name_or_text.c_str(),
                                                          static_cast<int>(values.size()),
                                                          values.data(), nullptr, nullptr, 0)
                                         : PQexec(db_, last.name_or_text.c_str());
        const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
            raise(db_, result, "statement");
        return result;
    }
    pending_.push_back(std::move(last));
    return send_pending();
}

PGresult* connection::send_pending() {
    // Pipeline mode: every statement sent, one sync, then each one's result in order. After a
    // failure the server skips the rest (PGRES_PIPELINE_ABORTED) up to the sync.
    std::vector<queued> batch;
    batch.swap(pending_);
    if (PQenterPipelineMode(db_) != 1) raise(db_, nullptr, "pipeline");
    bool sent = true;
    for (const auto& q : batch) {
        const auto values = pointers_to(q.values);
        sent = q.prepared ? PQsendQueryPrepared(db_, q.name_or_text.c_str(),
                                                static_cast<int>(values.size()), values.data(),
                                                nullptr, nullptr, 0) == 1
                          : PQsendQueryParams(db_, q.name_or_text.c_str(), 0, nullptr, nullptr,
                                              nullptr, nullptr, 0) == 1;
        if (!sent) break;
    }
    if (!sent || PQpipelineSync(db_) != 1) {
        PQexitPipelineMode(db_);
        raise(db_, nullptr, "pipeline");
    }
    PGresult* failure = nullptr;
    PGresult* answer = nullptr;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        PGresult* result = PQgetResult(db_);
        if (!result) { // the connection broke
            if (answer) PQclear(answer);
            raise(db_, failure, "pipeline");
        }
        const auto status = PQresultStatus(result);
        const bool ok = status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
        read_ahead* kept = batch[i].ahead && ok && !failure
                               ? ahead_of(batch[i].name_or_text, batch[i].values)
                               : nullptr;
        if (status == PGRES_FATAL_ERROR && !failure)
            failure = result;
        else if (kept && !kept->rows)
            kept->rows = result;
        else if (i + 1 == batch.size() && !batch[i].ahead && !failure && ok)
            answer = result;
        else
            PQclear(result);
        while (PGresult* more = PQgetResult(db_)) // up to this statement's end
            PQclear(more);
    }
    if (PGresult* sync = PQgetResult(db_)) PQclear(sync); // PGRES_PIPELINE_SYNC
    PQexitPipelineMode(db_);
    if (failure) {
        if (answer) PQclear(answer);
        raise(db_, failure, "statement");
    }
    return answer;
}

void connection::flush() {
    if (pending_.empty()) return;
    ++round_trips_;
    if (PGresult* last = send_pending()) PQclear(last);
}

connection::read_ahead*
connection::ahead_of(const std::string& name,
                     const std::vector<std::optional<std::string>>& values) {
    for (auto& a : ahead_)
        if (*a.name == name && a.values == values) return &a;
    return nullptr;
}

PGresult* connection::take_ahead(const std::string& name,
                                 const std::vector<std::optional<std::string>>& values) {
    auto* found = ahead_of(name, values);
    if (!found) return nullptr;
    if (!found->rows) flush();    // a failure among those sent raises here, as it would have
    PGresult* rows = found->rows; // flush() fills the entry in place
    ahead_.erase(ahead_.begin() + (found - ahead_.data()));
    return rows;
}

bool connection::ran_ahead(const std::string& name,
                           const std::vector<std::optional<std::string>>& values) {
    auto* found = ahead_of(name, values);
    if (!found) return false;
    if (found->rows) PQclear(found->rows);
    ahead_.erase(ahead_.begin() + (found - ahead_.data()));
    return true;
}

void connection::drop_ahead() {
    for (auto& a : ahead_)
        if (a.rows) PQclear(a.rows);
    ahead_.clear();
}

statement connection::prepare(const char* sql) {
    auto found = cache_.find(sql);
    if (found == cache_.end()) {
        auto [text, parameters] = to_dollar_placeholders(sql);
        std::string name = "s";
        name += std::to_string(cache_.size() + 1);
        ++round_trips_;
        PGresult* made = PQprepare(db_, name.c_str(), text.c_str(), parameters, nullptr);
        if (!made || PQresultStatus(made) != PGRES_COMMAND_OK) raise(db_, made, "prepare");
        PQclear(made);
        found = cache_.emplace(sql, prepared{std::move(name), parameters}).first;
    }
    return statement(*this, found->second.name, found->second.parameters);
}

void connection::execute(const char* sql) {
    const std::string_view text(sql);
    if (text == "ROLLBACK" || text == "COMMIT") queueing_ = false;
    if (text == "ROLLBACK") {
        drop_ahead();
        // What was queued is given up; a transaction never sent needs no ROLLBACK.
        pending_.clear();
        if (PQtransactionStatus(db_) == PQTRANS_IDLE) return;
    }
    flush();
    ++round_trips_;
    PGresult* result = PQexec(db_, sql);
    const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) raise(db_, result, "execute");
    PQclear(result);
    if (text == "COMMIT") drop_ahead();
}

namespace {

constexpr const char* savepoint = "SAVEPOINT guarded";
constexpr const char* release = "RELEASE SAVEPOINT guarded";
constexpr const char* undo_guarded = "ROLLBACK TO SAVEPOINT guarded; RELEASE SAVEPOINT guarded";
// One snapshot for the whole unit of work, as SQLite's read transaction gives.
constexpr const char* commit = "COMMIT";
constexpr const char* begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
} // namespace

void connection::guarded(const std::function<void()>& write) {
    flush(); // the failures of writes queued before are theirs, not this one's
    prepare(savepoint).run();
    try {
        write();
        flush(); // a queued write's failure belongs here
    } catch (...) {
        try {
            // At once, not queued: until it runs, the transaction refuses even to prepare the
            // next statement.
            execute(undo_guarded);
        } catch (...) {
            // The connection itself failed: the caller's transaction is lost either way.
        }
        throw;
    }
    prepare(release).run();
}

void connection::begin_write() {
    // Queued: it goes with the transaction's first read (or its COMMIT). A turn waited for longer
    // than lock_timeout then fails that statement, and the unit of work rolls back.
    flush();
    drop_ahead();
    queueing_ = true;
    queue({"BEGIN", false, {}});
}

void connection::commit_write() {
    if (PQtransactionStatus(db_) == PQTRANS_INERROR) {
        queueing_ = false;
        pending_.clear();
        drop_ahead();
        throw store_unavailable("a statement of the transaction failed; nothing was stored");
    }
    queueing_ = false;
    // The queued writes and the COMMIT, in one round trip. A failed write makes PostgreSQL skip
    // the COMMIT: the exchange raises, and the transaction is rolled back by the caller.
    try {
        auto done = prepare(commit);
        done.step();
    } catch (const constraint_violation& refused) {
        drop_ahead();
        // A queued INSERT whose row another transaction wrote first (checked beforehand, but by
        // a writer that did not hold the same rows): undone, it is run again from its start
        // (store_conflict), and its check then sees the other's row.
        if (refused.is_unique()) throw store_conflict(refused.what());
        throw;
    }
    drop_ahead();
}

bool connection::in_transaction() const {
    if (queueing_) return true;
    // A broken connection (PQTRANS_UNKNOWN) has lost its transaction.
    const auto status = PQtransactionStatus(db_);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

void connection::begin_snapshot() {
    // Sent with the first read.
    flush();
    drop_ahead();
    queueing_ = true;
    queue({begin_read, false, {}});
}

bool connection::reconnect_if_broken() {
    if (PQstatus(db_) == CONNECTION_OK) return true;
    pending_.clear();
    drop_ahead();
    queueing_ = false;
    PQreset(db_);
    if (PQstatus(db_) != CONNECTION_OK) return false;
    cache_.clear();
    try {
        set_up();
    } catch (const std::exception&) {
        return false;
    }
    return true;
}

} // namespace rencontres::postgres
