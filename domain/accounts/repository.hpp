#pragma once

#include "domain/accounts/model.hpp"
#include "domain/common/result.hpp"

#include <optional>
#include <string_view>
#include <vector>

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

    // Ends every console session of the account (a new password).
    virtual void delete_sessions_of(id_t account_id) = 0;

    virtual void insert_verification(const verification_record& record) = 0;
    virtual std::optional<verification_record> find_verification(std::string_view digest) = 0;
    virtual void use_verification(std::string_view digest, instant now) = 0;
    // Marks every unused link of the account for `purpose` used (one served, the others die).
    virtual void use_verifications_of(id_t account_id, link_purpose purpose, instant now) = 0;
    // Links for `purpose` sent to the account since `since` (for throttling new ones).
    virtual int count_verifications_since(id_t account_id, instant since,
                                          link_purpose purpose = link_purpose::email) = 0;
    virtual std::optional<instant> last_verification(id_t account_id) = 0;

    // The invitation with its new id.
    virtual invitation insert_invitation(const invitation& draft) = 0;
    virtual std::optional<invitation> find_invitation(id_t id) = 0;
    virtual std::optional<invitation> find_invitation_by_digest(std::string_view digest) = 0;
    // Every invitation to the address, oldest first.
    virtual std::vector<invitation> invitations_to(std::string_view normalized_email) = 0;
    // Invitations by id; only those sent by `invited_by` when given.
    virtual page<invitation> list_invitations(std::optional<id_t> invited_by,
                                              const page_request& request) = 0;
    // A new link: its digest, sending time and expiry.
    virtual void renew_invitation(const invitation& renewed) = 0;
    virtual void delete_invitation(id_t id) = 0;
};

} // namespace rencontres
