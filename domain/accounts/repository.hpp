#pragma once

#include "domain/accounts/model.hpp"
#include "domain/common/result.hpp"

#include <optional>
#include <string_view>

namespace rencontres {

class accounts_repository {
public:
    virtual ~accounts_repository() = default;
    // conflict when the email is taken; returns the account with its new id.
    virtual result<account> insert(const account& draft) = 0;
    virtual std::optional<account> find(id_t id) = 0;
    virtual std::optional<account> find_by_email(std::string_view normalized_email) = 0;
    // `folded_query` (search_fold'ed) keeps accounts whose email or name contains it.
    virtual page<account> list(const std::optional<std::string>& folded_query,
                               const page_request& request) = 0;
    virtual void update(const account& changed) = 0;
    virtual int count_admins() = 0;
    virtual void remove(id_t id) = 0; // with its tokens

    virtual void insert_token(const token_record& token) = 0;
    virtual std::optional<token_record> find_token(std::string_view digest) = 0;
    virtual void delete_token(std::string_view digest) = 0;
    virtual void delete_expired_tokens(instant now) = 0;
    virtual void insert_session(const console_session& session) = 0;
    virtual std::optional<console_session> find_session(std::string_view digest) = 0;
    virtual void touch_session(std::string_view digest, instant now) = 0;
    virtual void delete_session(std::string_view digest) = 0;
    virtual void delete_sessions_idle_since(instant cutoff) = 0;
    // Ends every session of the account (a role change or an erasure).
    virtual void delete_tokens_of(id_t account_id) = 0;

    virtual void insert_verification(const verification_record& record) = 0;
    virtual std::optional<verification_record> find_verification(std::string_view digest) = 0;
    virtual void use_verification(std::string_view digest, instant now) = 0;
    // Verification links sent to the account since `since` (for throttling new ones).
    virtual int count_verifications_since(id_t account_id, instant since) = 0;
    virtual std::optional<instant> last_verification(id_t account_id) = 0;
};

} // namespace rencontres
