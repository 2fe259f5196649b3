// The repository ports of the domain in SQL, one code for both adapters: each class is a template
// over the connection (sqlite::connection or postgres::connection, instantiated in its .cpp) and
// works on the connection of the unit of work that owns it. SQL text sits beside each
// implementation as named constants, written in the SQL both databases read (`?N` placeholders,
// `RETURNING`, `ON CONFLICT`, integers for booleans and times); where the dialects part ways
// (full-text search), `is_postgres<Db>` picks the text. PostgreSQL types a parameter by its first
// use, so an optional filter reads `(column = ?N OR ?N IS NULL)`, never `?N IS NULL` first.
#pragma once

#include "domain/accounts/repository.hpp"
#include "domain/agenda/repository.hpp"
#include "domain/audit/repository.hpp"
#include "domain/events/repository.hpp"
#include "domain/floor/repository.hpp"
#include "domain/labels/repository.hpp"
#include "domain/notifications/repository.hpp"
#include "domain/registrations/repository.hpp"
#include "domain/reports/repository.hpp"
#include "domain/speakers/repository.hpp"
#include "domain/territories/repository.hpp"
#include "domain/webhooks/repository.hpp"
#include "server/storage/binding.hpp"

#include <type_traits>

namespace rencontres::postgres {
class connection;
}

namespace rencontres::storage {

template <class Db> constexpr bool is_postgres = std::is_same_v<Db, postgres::connection>;

// An INSERT … RETURNING id: the new row's id.
template <class Db, class... Args>
id_t insert_returning_id(Db& db, const char* sql, const Args&... args) {
    auto query = db.prepare(sql);
    query.bind_all(args...);
    query.step();
    return query.integer(0);
}
// A write that a UNIQUE constraint may refuse: false when it did, and the unit of work goes on
// (connection::guarded undoes just this statement). Other constraint failures propagate.
template <class Db, class... Args> bool write_unique(Db& db, const char* sql, const Args&... args) {
    try {
        db.guarded([&] { db.prepare(sql).bind_all(args...).run(); });
        return true;
    } catch (const constraint_violation& e) {
        if (!e.is_unique()) throw;
        return false;
    }
}
// An INSERT … RETURNING id that a UNIQUE constraint may refuse: the new row's id, or nothing
// when the row exists already.
template <class Db, class... Args>
std::optional<id_t> insert_unique(Db& db, const char* sql, const Args&... args) {
    try {
        std::optional<id_t> id;
        db.guarded([&] { id = insert_returning_id(db, sql, args...); });
        return id;
    } catch (const constraint_violation& e) {
        if (!e.is_unique()) throw;
        return std::nullopt;
    }
}

// An `INSERT … ON CONFLICT DO NOTHING RETURNING id`: the new row's id, or nothing when a unique
// index refused it. Unlike insert_unique, no savepoint: on PostgreSQL, two round trips fewer.
template <class Db, class... Args>
std::optional<id_t> insert_unless_taken(Db& db, const char* sql, const Args&... args) {
    auto query = db.prepare(sql);
    query.bind_all(args...);
    if (!query.step()) return std::nullopt;
    return query.integer(0);
}

inline std::int64_t seconds(instant at) {
    return at.time_since_epoch().count();
}
inline instant at_seconds(std::int64_t value) {
    return instant{std::chrono::seconds{value}};
}
// A LIKE pattern matching `fragment` anywhere, its wildcards escaped (use ESCAPE '\\').
std::string like_pattern(std::string_view fragment);
// Lists of URLs are stored one per line (a URL holds no line break).
std::string join_lines(const std::vector<std::string>& items);

// Gives registrations written before their names' sort key and search text were kept (SQLite's
// V015, PostgreSQL's V004) both, computed as new ones are; returns how many. Run by each
// adapter's migrate().
template <class Db> int fill_name_keys(Db& db);
std::vector<std::string> split_lines(const std::string& text);
// Pages ask for one row more than the limit, to know whether a next page exists.
template <class T> page<T> finish_page(std::vector<T> rows, int limit, auto id_of) {
    page<T> result;
    if (static_cast<int>(rows.size()) > limit) {
        rows.resize(static_cast<std::size_t>(limit));
        result.next_after = id_of(rows.back());
    }
    result.items = std::move(rows);
    return result;
}

template <class Db> class sql_accounts_repository final : public accounts_repository {
public:
    explicit sql_accounts_repository(Db& db) : db_(db) {}
    result<account> insert(const account& draft) override;
    std::optional<account> find(id_t id) override;
    std::optional<account> find_by_email(std::string_view normalized_email) override;
    page<account> list(const std::optional<std::string>& folded_query,
                       const page_request& request) override;
    void update(const account& changed) override;
    int count_admins() override;
    void remove(id_t id) override;
    void insert_token(const token_record& token) override;
    std::optional<token_record> find_token(std::string_view digest) override;
    void delete_token(std::string_view digest) override;
    void delete_expired_tokens(instant now) override;
    void insert_session(const console_session& session) override;
    std::optional<console_session> find_session(std::string_view digest) override;
    void touch_session(std::string_view digest, instant now) override;
    void delete_session(std::string_view digest) override;
    void delete_sessions_idle_since(instant cutoff) override;
    void delete_tokens_of(id_t account_id) override;
    void delete_sessions_of(id_t account_id) override;
    void insert_verification(const verification_record& record) override;
    std::optional<verification_record> find_verification(std::string_view digest) override;
    void use_verification(std::string_view digest, instant now) override;
    void use_verifications_of(id_t account_id, link_purpose purpose, instant now) override;
    int count_verifications_since(id_t account_id, instant since, link_purpose purpose) override;
    std::optional<instant> last_verification(id_t account_id) override;
    invitation insert_invitation(const invitation& draft) override;
    std::optional<invitation> find_invitation(id_t id) override;
    std::optional<invitation> find_invitation_by_digest(std::string_view digest) override;
    std::vector<invitation> invitations_to(std::string_view normalized_email) override;
    page<invitation> list_invitations(std::optional<id_t> invited_by,
                                      const page_request& request) override;
    void renew_invitation(const invitation& renewed) override;
    void delete_invitation(id_t id) override;

private:
    Db& db_;
};

template <class Db> class sql_territories_repository final : public territories_repository {
public:
    explicit sql_territories_repository(Db& db) : db_(db) {}
    result<territory> insert(const territory& draft) override;
    result<void> update(const territory& changed) override;
    std::optional<territory> find(id_t id) override;
    std::optional<territory> find_by_siren(std::string_view siren) override;
    bool in_public_record(id_t id) override;
    page<territory> list(const territory_filter& filter, const page_request& request) override;

private:
    Db& db_;
};

template <class Db> class sql_audit_repository final : public audit_repository {
public:
    explicit sql_audit_repository(Db& db) : db_(db) {}
    void append(const audit_entry& entry) override;
    page<audit_entry> list(const audit_filter& filter, const page_request& request) override;

private:
    Db& db_;
};

template <class Db> class sql_events_repository final : public events_repository {
public:
    explicit sql_events_repository(Db& db) : db_(db) {}
    result<event> insert(const event& draft) override;
    void update(const event& changed) override;
    std::optional<event> find(id_t id) override;
    void read_ahead(id_t id) override;
    std::optional<event> find_by_slug(std::string_view slug) override;
    bool slug_taken(std::string_view slug) override;
    event_page list(const event_filter& filter) override;
    void remove(id_t id) override;
    void add_organizer(id_t event_id, id_t account_id) override;
    void remove_organizer(id_t event_id, id_t account_id) override;
    bool territory_exists(id_t territory_id) override;
    std::vector<event> solely_organized_by(id_t account_id) override;
    std::vector<id_t> organized_by(id_t account_id) override;
    std::vector<question> questions(id_t event_id) override;
    void replace_questions(id_t event_id, const std::vector<question>& questions) override;
    std::vector<instant> announcements_since(id_t event_id, instant since) override;
    void record_announcement(const announcement& a) override;

private:
    Db& db_;
};

template <class Db> class sql_speakers_repository final : public speakers_repository {
public:
    explicit sql_speakers_repository(Db& db) : db_(db) {}
    speaker insert(const speaker& draft) override;
    void update(const speaker& changed) override;
    std::optional<speaker> find(id_t id) override;
    std::vector<speaker> find_many(const std::vector<id_t>& ids) override;
    page<speaker> list(const std::optional<std::string>& q, const page_request& request) override;
    void remove(id_t id) override;
    bool scheduled(id_t id) override;

private:
    Db& db_;
};

template <class Db> class sql_sessions_repository final : public sessions_repository {
public:
    explicit sql_sessions_repository(Db& db) : db_(db) {}
    session insert(const session& draft) override;
    void update(const session& changed) override;
    void remove(id_t id) override;
    std::optional<session> find(id_t event_id, id_t session_id) override;
    std::optional<session> find_by_id(id_t session_id) override;
    std::vector<session> list_for_event(id_t event_id) override;
    std::vector<id_t> overlapping_in_room(id_t event_id, std::string_view room, instant starts,
                                          instant ends, std::optional<id_t> exclude) override;
    std::vector<id_t> overlapping_for_speakers(const std::vector<id_t>& speaker_ids, instant starts,
                                               instant ends, std::optional<id_t> exclude) override;
    std::vector<session> published_for_speaker(id_t speaker_id) override;
    std::vector<id_t> events_of_speaker(id_t speaker_id) override;

private:
    void load_speakers(session& s);
    void store_speakers(const session& s);
    std::vector<session> read_all(auto& query);
    Db& db_;
};

template <class Db> class sql_registrations_repository final : public registrations_repository {
public:
    explicit sql_registrations_repository(Db& db) : db_(db) {}
    result<registration> insert(const registration& draft) override;
    std::optional<registration> find(id_t id) override;
    void hold_event(id_t event_id) override;
    void hold_event_of(id_t registration_id) override;
    void read_ahead(id_t event_id, std::string_view email,
                    std::optional<std::pair<std::string, std::string>> scope_and_key) override;
    event_seats seats(id_t event_id) override;
    int count_confirmed(id_t event_id) override;
    int count_session_confirmed(id_t session_id) override;
    int count_waitlisted(id_t event_id) override;
    int count_session_waitlisted(id_t session_id) override;
    std::optional<id_t> first_waitlisted(id_t event_id) override;
    std::optional<id_t> first_waitlisted_seat(id_t session_id) override;
    void set_status(id_t id, registration_status status, instant now) override;
    void put_seat(id_t registration_id, id_t session_id, registration_status status) override;
    void set_seat_status(id_t registration_id, id_t session_id,
                         registration_status status) override;
    void check_in(id_t id, instant now) override;
    void undo_check_in(id_t id, instant now) override;
    void put_answers(id_t registration_id, id_t event_id,
                     const std::vector<stored_answer>& answers) override;
    void set_organization(id_t registration_id, const std::optional<std::string>& value,
                          instant now) override;
    answered_options answered(id_t event_id) override;
    answer_counts counted_answers(id_t event_id) override;
    page<registration> list(id_t event_id, std::optional<registration_status> status,
                            const std::optional<std::string>& folded_query,
                            const page_request& request, list_order order) override;
    std::vector<registration> all_for_event(id_t event_id) override;
    registration_stats stats(id_t event_id) override;
    std::vector<instant> registration_times(id_t event_id) override;
    std::vector<registration> for_person(std::optional<id_t> account_id,
                                         std::optional<std::string_view> email) override;
    void anonymize_for_person(std::optional<id_t> account_id, std::optional<std::string_view> email,
                              instant now) override;
    std::vector<registration> active_for_event(id_t event_id) override;
    std::optional<registration> active_by_email(id_t event_id, std::string_view email) override;
    std::optional<idempotency_record> find_reply(std::string_view scope,
                                                 std::string_view key) override;
    void save_reply(std::string_view scope, std::string_view key, std::string_view caller,
                    std::string_view request_hash, const stored_reply& reply, instant now) override;

private:
    void load_seats(registration& r); // and its answers
    // The rows of one status whose folded text holds `folded`, by name, after the page's cursor:
    // at most `limit` rows with their sort keys, matched in memory (name_lists).
    std::vector<std::pair<std::string, registration>>
    search_by_name(id_t event_id, registration_status status, const std::string& folded,
                   std::optional<id_t> after, int limit);
    std::vector<registration> read_all(auto& query);
    std::vector<registration> with_seats(std::vector<registration> rows);
    Db& db_;
    // PostgreSQL: the seats of the event held (hold_event reads them as it locks the row), for
    // the first seats() of that event that follows, unless this unit of work has written a
    // registration since. One statement less at every registration.
    std::optional<std::pair<id_t, event_seats>> held_;
};

template <class Db> class sql_outbox_repository final : public outbox_repository {
public:
    explicit sql_outbox_repository(Db& db) : db_(db) {}
    void enqueue(const outbox_message& message) override;
    void suppress(id_t event_id, std::string_view email, instant now) override;
    std::optional<instant> pending_for_event(message_kind kind, id_t event_id) override;
    void drop_pending_for_event(message_kind kind, id_t event_id) override;
    void drop_pending_for_registration(message_kind kind, id_t registration_id) override;
    std::vector<outbox_message> due(instant now, int limit) override;
    std::optional<outbox_message> find(id_t id) override;
    void mark_delivered(const std::vector<id_t>& ids, instant now) override;
    void postpone(id_t id, instant next_attempt, std::string_view error) override;
    void fail(id_t id, std::string_view error) override;
    void requeue(id_t id, instant now) override;
    page<outbox_message> list(std::optional<delivery_status> status,
                              const page_request& request) override;
    std::vector<outbox_message> for_person(id_t account_id,
                                           std::optional<std::string_view> email) override;
    void erase_for_person(id_t account_id, std::optional<std::string_view> email) override;
    std::vector<outbox_message> for_registration(id_t registration_id) override;

private:
    Db& db_;
};

template <class Db> class sql_webhooks_repository final : public webhooks_repository {
public:
    explicit sql_webhooks_repository(Db& db) : db_(db) {}
    webhook insert(const webhook& draft) override;
    std::optional<webhook> find(id_t id) override;
    std::vector<webhook> list(std::optional<id_t> owner) override;
    std::vector<webhook> for_event(id_t event_id) override;
    void update(const webhook& w) override;
    void remove(id_t id) override;
    void announce(std::string_view type, std::optional<id_t> event_id, id_t subject_id,
                  instant now) override;
    std::vector<due_delivery> due(instant now, int limit) override;
    void record(id_t delivery_id, delivery_status status, const webhook_report& report,
                std::optional<instant> next_attempt, instant now) override;
    page<webhook_delivery> deliveries(id_t webhook_id, const page_request& request) override;
    page<webhook_delivery> failed_deliveries(const page_request& request) override;
    std::optional<webhook_delivery> find_delivery(id_t id) override;
    void requeue_delivery(id_t id, instant now) override;

private:
    Db& db_;
};

template <class Db> class sql_floor_repository final : public floor_repository {
public:
    explicit sql_floor_repository(Db& db) : db_(db) {}
    std::int64_t next_seq(id_t session_id) override;
    std::int64_t current_seq(id_t session_id) override;
    floor_question insert_question(const floor_question& draft) override;
    std::optional<floor_question> find_question(id_t id) override;
    std::vector<floor_question> list_questions(id_t session_id,
                                               const std::vector<floor_status>& statuses,
                                               int offset, int limit) override;
    void update_question(const floor_question& changed) override;
    bool add_vote(id_t question_id, const std::string& voter) override;
    void counted_vote(id_t question_id, std::int64_t seq) override;
    poll insert_poll(const poll& draft) override;
    std::optional<poll> find_poll(id_t id) override;
    std::vector<poll> list_polls(id_t session_id) override;
    std::optional<id_t> open_poll_of(id_t session_id) override;
    void update_poll(const poll& changed) override;
    bool add_answer(id_t poll_id, const std::string& voter, const std::vector<id_t>& option_ids,
                    std::int64_t seq) override;
    bool answered(id_t poll_id, const std::string& voter) override;
    floor_changes changes_since(id_t session_id, std::int64_t seq) override;

private:
    void load_options(std::vector<poll>& polls);
    Db& db_;
};

template <class Db> class sql_reports_repository final : public reports_repository {
public:
    explicit sql_reports_repository(Db& db) : db_(db) {}
    std::optional<report> find(id_t event_id) override;
    void save(const report& r) override;
    std::vector<report> published(int limit) override;

private:
    void load_parts(report& r);
    Db& db_;
};

template <class Db> class sql_labels_repository final : public labels_repository {
public:
    explicit sql_labels_repository(Db& db) : db_(db) {}
    result<campaign> insert_campaign(const campaign& draft) override;
    void update_campaign(const campaign& changed) override;
    std::optional<campaign> find_campaign(id_t id) override;
    std::optional<campaign> find_campaign_by_year(int year) override;
    std::vector<campaign> list_campaigns(bool include_drafts) override;
    result<candidacy> insert_candidacy(const candidacy& draft) override;
    result<void> update_candidacy(const candidacy& changed) override;
    std::optional<candidacy> find_candidacy(id_t id) override;
    std::vector<candidacy> list_candidacies(id_t campaign_id,
                                            const std::optional<std::string>& category,
                                            std::optional<candidacy_status> status,
                                            std::optional<id_t> submitted_by) override;
    review save_review(const review& draft) override;
    std::vector<review> reviews_of(id_t candidacy_id) override;
    std::vector<review> reviews_of_campaign(id_t campaign_id) override;
    result<award> insert_award(const award& draft) override;
    std::optional<award> find_award(id_t id) override;
    void revoke_award(id_t id, instant at, const std::string& reason) override;
    std::vector<award> active_awards(id_t campaign_id) override;

private:
    std::optional<campaign> read_campaign(const char* sql, std::int64_t key);
    void load_parts(campaign& c);
    void store_parts(const campaign& c);
    std::vector<review> read_reviews(const char* sql, id_t key);
    Db& db_;
};

} // namespace rencontres::storage
