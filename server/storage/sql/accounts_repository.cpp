#include "server/storage/postgres/connection.hpp"
#include "server/storage/sql/repositories.hpp"
#include "server/storage/sqlite/connection.hpp"

namespace rencontres::storage {
namespace {

constexpr const char* insert_account =
    "INSERT INTO accounts (email, display_name, role, password_hash, created_at, updated_at, "
    "email_verified) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
#define ACCOUNT_COLUMNS                                                                            \
    "id, email, display_name, role, password_hash, created_at, updated_at, email_verified, "       \
    "rights_version"
constexpr const char* account_columns_by_id = "SELECT " ACCOUNT_COLUMNS " "
                                              "FROM accounts WHERE id = ?";
constexpr const char* account_columns_by_email = "SELECT " ACCOUNT_COLUMNS " "
                                                 "FROM accounts WHERE email = ?";
constexpr const char* list_accounts = "SELECT " ACCOUNT_COLUMNS " "
                                      "FROM accounts WHERE id > ?1 AND "
                                      "(instr(search_fold(email || ' ' || display_name), ?3) > 0 "
                                      "OR ?3 IS NULL) "
                                      "ORDER BY id LIMIT ?2";
constexpr const char* update_account =
    "UPDATE accounts SET display_name = ?, role = ?, password_hash = ?, updated_at = ?, "
    "email_verified = ?, rights_version = ? WHERE id = ?";
constexpr const char* delete_account = "DELETE FROM accounts WHERE id = ?";
constexpr const char* count_admin_accounts = "SELECT count(*) FROM accounts WHERE role = 'admin'";
constexpr const char* insert_token_row =
    "INSERT INTO tokens (digest, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)";
constexpr const char* find_token_row =
    "SELECT digest, account_id, created_at, expires_at FROM tokens WHERE digest = ?";
constexpr const char* delete_token_row = "DELETE FROM tokens WHERE digest = ?";
constexpr const char* delete_expired = "DELETE FROM tokens WHERE expires_at <= ?";
constexpr const char* delete_account_tokens = "DELETE FROM tokens WHERE account_id = ?";
constexpr const char* insert_session_row =
    "INSERT INTO console_sessions (digest, account_id, role, password_stamp, created_at, "
    "last_seen_at, rights_version) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr const char* find_session_row =
    "SELECT digest, account_id, role, password_stamp, created_at, last_seen_at, rights_version "
    "FROM console_sessions WHERE digest = ?";
constexpr const char* touch_session_row =
    "UPDATE console_sessions SET last_seen_at = ? WHERE digest = ?";
constexpr const char* delete_session_row = "DELETE FROM console_sessions WHERE digest = ?";
constexpr const char* delete_idle_sessions = "DELETE FROM console_sessions WHERE last_seen_at <= ?";
constexpr const char* delete_account_sessions = "DELETE FROM console_sessions WHERE account_id = ?";
constexpr const char* insert_verification_row =
    "INSERT INTO verification_tokens (digest, account_id, created_at, expires_at, purpose) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr const char* find_verification_row =
    "SELECT digest, account_id, created_at, expires_at, used_at, purpose FROM verification_tokens "
    "WHERE digest = ?";
constexpr const char* use_verification_row =
    "UPDATE verification_tokens SET used_at = ? WHERE digest = ? AND used_at IS NULL";
constexpr const char* use_account_verifications =
    "UPDATE verification_tokens SET used_at = ? "
    "WHERE account_id = ? AND purpose = ? AND used_at IS NULL";
constexpr const char* count_recent_verifications =
    "SELECT count(*) FROM verification_tokens WHERE account_id = ? AND created_at >= ? "
    "AND purpose = ?";
constexpr const char* last_verification_row =
    "SELECT max(created_at) FROM verification_tokens WHERE account_id = ? AND purpose = 'email'";
#define INVITATION_COLUMNS                                                                         \
    "id, digest, email, display_name, role, event_id, invited_by, created_at, expires_at"
constexpr const char* insert_invitation_row =
    "INSERT INTO account_invitations (digest, email, display_name, role, event_id, invited_by, "
    "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* invitation_by_id =
    "SELECT " INVITATION_COLUMNS " FROM account_invitations WHERE id = ?";
constexpr const char* invitation_by_digest =
    "SELECT " INVITATION_COLUMNS " FROM account_invitations WHERE digest = ?";
constexpr const char* invitations_to_email =
    "SELECT " INVITATION_COLUMNS " FROM account_invitations WHERE email = ? ORDER BY id";
constexpr const char* list_invitation_rows =
    "SELECT " INVITATION_COLUMNS " FROM account_invitations "
    "WHERE id > ?1 AND (invited_by = ?3 OR ?3 IS NULL) ORDER BY id LIMIT ?2";
constexpr const char* renew_invitation_row =
    "UPDATE account_invitations SET digest = ?, created_at = ?, expires_at = ? WHERE id = ?";
constexpr const char* delete_invitation_row = "DELETE FROM account_invitations WHERE id = ?";

invitation read_invitation(const auto& row) {
    invitation out{row.integer(0),
                   row.text(1),
                   row.text(2),
                   row.text(3),
                   parse_role(row.text(4)).value_or(role::participant),
                   row.optional_integer(5),
                   row.optional_integer(6),
                   at_seconds(row.integer(7)),
                   at_seconds(row.integer(8))};
    return out;
}

account read_account(const auto& row) {
    return {row.integer(0),
            row.text(1),
            row.text(2),
            parse_role(row.text(3)).value_or(role::participant),
            at_seconds(row.integer(5)),
            at_seconds(row.integer(6)),
            row.text(4),
            row.integer(7) != 0,
            row.integer(8)};
}

std::optional<account> one_account(auto& query) {
    if (!query.step()) return std::nullopt;
    return read_account(query);
}

} // namespace

template <class Db> result<account> sql_accounts_repository<Db>::insert(const account& draft) {
    const auto id =
        insert_unique(db_, insert_account, draft.email, draft.display_name, to_string(draft.role),
                      draft.password_hash, seconds(draft.created_at), seconds(draft.updated_at),
                      draft.email_verified ? 1 : 0);
    if (!id) return conflict(rule::email_taken, "An account with this email already exists.");
    account created = draft;
    created.id = *id;
    return created;
}

template <class Db> std::optional<account> sql_accounts_repository<Db>::find(id_t id) {
    auto query = db_.prepare(account_columns_by_id);
    query.bind(1, id);
    return one_account(query);
}

template <class Db>
std::optional<account> sql_accounts_repository<Db>::find_by_email(std::string_view email) {
    auto query = db_.prepare(account_columns_by_email);
    query.bind(1, email);
    return one_account(query);
}

template <class Db>
page<account> sql_accounts_repository<Db>::list(const std::optional<std::string>& folded_query,
                                                const page_request& request) {
    auto query = db_.prepare(list_accounts);
    query.bind_all(request.after.value_or(0), request.limit + 1, folded_query);
    std::vector<account> rows;
    while (query.step())
        rows.push_back(read_account(query));
    return finish_page(std::move(rows), request.limit, [](const account& a) { return a.id; });
}

template <class Db> void sql_accounts_repository<Db>::update(const account& changed) {
    db_.prepare(update_account)
        .bind_all(changed.display_name, to_string(changed.role), changed.password_hash,
                  seconds(changed.updated_at), changed.email_verified ? 1 : 0,
                  changed.rights_version, changed.id)
        .run();
}

template <class Db> int sql_accounts_repository<Db>::count_admins() {
    auto query = db_.prepare(count_admin_accounts);
    query.step();
    return static_cast<int>(query.integer(0));
}

template <class Db> void sql_accounts_repository<Db>::remove(id_t id) {
    db_.prepare(delete_account).bind(1, id).run();
}

template <class Db> void sql_accounts_repository<Db>::insert_token(const token_record& token) {
    db_.prepare(insert_token_row)
        .bind_all(token.digest, token.account_id, seconds(token.created_at),
                  seconds(token.expires_at))
        .run();
}

template <class Db>
std::optional<token_record> sql_accounts_repository<Db>::find_token(std::string_view digest) {
    auto query = db_.prepare(find_token_row);
    query.bind(1, digest);
    if (!query.step()) return std::nullopt;
    return token_record{query.text(0), query.integer(1), at_seconds(query.integer(2)),
                        at_seconds(query.integer(3))};
}

template <class Db> void sql_accounts_repository<Db>::delete_token(std::string_view digest) {
    db_.prepare(delete_token_row).bind(1, digest).run();
}

template <class Db> void sql_accounts_repository<Db>::delete_expired_tokens(instant now) {
    db_.prepare(delete_expired).bind(1, seconds(now)).run();
}

template <class Db>
void sql_accounts_repository<Db>::insert_session(const console_session& session) {
    db_.prepare(insert_session_row)
        .bind_all(session.digest, session.account_id, std::string(to_string(session.role)),
                  session.password_stamp, seconds(session.created_at),
                  seconds(session.last_seen_at), session.rights_version)
        .run();
}

template <class Db>
std::optional<console_session> sql_accounts_repository<Db>::find_session(std::string_view digest) {
    auto query = db_.prepare(find_session_row);
    query.bind(1, digest);
    if (!query.step()) return std::nullopt;
    return console_session{query.text(0),
                           query.integer(1),
                           parse_role(query.text(2)).value_or(role::participant),
                           query.text(3),
                           at_seconds(query.integer(4)),
                           at_seconds(query.integer(5)),
                           query.integer(6)};
}

template <class Db>
void sql_accounts_repository<Db>::touch_session(std::string_view digest, instant now) {
    db_.prepare(touch_session_row).bind_all(seconds(now), digest).run();
}

template <class Db> void sql_accounts_repository<Db>::delete_session(std::string_view digest) {
    db_.prepare(delete_session_row).bind(1, digest).run();
}

template <class Db> void sql_accounts_repository<Db>::delete_sessions_idle_since(instant cutoff) {
    db_.prepare(delete_idle_sessions).bind(1, seconds(cutoff)).run();
}

template <class Db> void sql_accounts_repository<Db>::delete_tokens_of(id_t account_id) {
    db_.prepare(delete_account_tokens).bind(1, account_id).run();
}

template <class Db> void sql_accounts_repository<Db>::delete_sessions_of(id_t account_id) {
    db_.prepare(delete_account_sessions).bind(1, account_id).run();
}

template <class Db>
void sql_accounts_repository<Db>::insert_verification(const verification_record& record) {
    db_.prepare(insert_verification_row)
        .bind_all(record.digest, record.account_id, seconds(record.created_at),
                  seconds(record.expires_at), to_string(record.purpose))
        .run();
}

template <class Db>
std::optional<verification_record>
sql_accounts_repository<Db>::find_verification(std::string_view digest) {
    auto query = db_.prepare(find_verification_row);
    query.bind(1, digest);
    if (!query.step()) return std::nullopt;
    verification_record out{query.text(0),
                            query.integer(1),
                            at_seconds(query.integer(2)),
                            at_seconds(query.integer(3)),
                            std::nullopt,
                            parse_link_purpose(query.text(5)).value_or(link_purpose::email)};
    if (const auto used = query.optional_integer(4)) out.used_at = at_seconds(*used);
    return out;
}

template <class Db>
void sql_accounts_repository<Db>::use_verification(std::string_view digest, instant now) {
    db_.prepare(use_verification_row).bind_all(seconds(now), digest).run();
}

template <class Db>
void sql_accounts_repository<Db>::use_verifications_of(id_t account_id, link_purpose purpose,
                                                       instant now) {
    db_.prepare(use_account_verifications)
        .bind_all(seconds(now), account_id, to_string(purpose))
        .run();
}

template <class Db>
int sql_accounts_repository<Db>::count_verifications_since(id_t account_id, instant since,
                                                           link_purpose purpose) {
    auto query = db_.prepare(count_recent_verifications);
    query.bind_all(account_id, seconds(since), to_string(purpose));
    query.step();
    return static_cast<int>(query.integer(0));
}

template <class Db>
std::optional<instant> sql_accounts_repository<Db>::last_verification(id_t account_id) {
    auto query = db_.prepare(last_verification_row);
    query.bind(1, account_id);
    if (!query.step()) return std::nullopt;
    const auto at = query.optional_integer(0);
    if (!at) return std::nullopt;
    return at_seconds(*at);
}

template <class Db>
invitation sql_accounts_repository<Db>::insert_invitation(const invitation& draft) {
    invitation stored = draft;
    stored.id =
        insert_returning_id(db_, insert_invitation_row, draft.digest, draft.email,
                            draft.display_name, to_string(draft.role), draft.event_id,
                            draft.invited_by, seconds(draft.created_at), seconds(draft.expires_at));
    return stored;
}

template <class Db>
std::optional<invitation> sql_accounts_repository<Db>::find_invitation(id_t id) {
    auto query = db_.prepare(invitation_by_id);
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return read_invitation(query);
}

template <class Db>
std::optional<invitation>
sql_accounts_repository<Db>::find_invitation_by_digest(std::string_view digest) {
    auto query = db_.prepare(invitation_by_digest);
    query.bind(1, digest);
    if (!query.step()) return std::nullopt;
    return read_invitation(query);
}

template <class Db>
std::vector<invitation> sql_accounts_repository<Db>::invitations_to(std::string_view email) {
    auto query = db_.prepare(invitations_to_email);
    query.bind(1, email);
    std::vector<invitation> out;
    while (query.step())
        out.push_back(read_invitation(query));
    return out;
}

template <class Db>
page<invitation> sql_accounts_repository<Db>::list_invitations(std::optional<id_t> invited_by,
                                                               const page_request& request) {
    auto query = db_.prepare(list_invitation_rows);
    query.bind_all(request.after.value_or(0), request.limit + 1, invited_by);
    std::vector<invitation> rows;
    while (query.step())
        rows.push_back(read_invitation(query));
    return finish_page(std::move(rows), request.limit, [](const invitation& i) { return i.id; });
}

template <class Db> void sql_accounts_repository<Db>::renew_invitation(const invitation& renewed) {
    db_.prepare(renew_invitation_row)
        .bind_all(renewed.digest, seconds(renewed.created_at), seconds(renewed.expires_at),
                  renewed.id)
        .run();
}

template <class Db> void sql_accounts_repository<Db>::delete_invitation(id_t id) {
    db_.prepare(delete_invitation_row).bind(1, id).run();
}

template class sql_accounts_repository<sqlite::connection>;
template class sql_accounts_repository<postgres::connection>;

} // namespace rencontres::storage
