// Personal data: what is held about the caller, and erasing it.
#pragma once

#include "domain/accounts/model.hpp"
#include "domain/common/result.hpp"
#include "domain/notifications/model.hpp"
#include "domain/registrations/model.hpp"

namespace rencontres {

class store;

// The account's email when it is proven: only then do registrations and messages made under
// that address without an account belong to it.
std::optional<std::string_view> proven_email(const account& a);

struct personal_data {
    account holder;
    std::vector<registration> registrations; // linked to the account or made with its proven email
    std::vector<outbox_message> messages;    // sent or to be sent to its email
};

class privacy_service {
public:
    explicit privacy_service(store& db) : db_(db) {}

    result<personal_data> export_personal_data(const actor& who);
    // Deletes the account and its tokens, anonymises its registrations (their seats and statuses
    // stay, so counts and decisions are unchanged) and blanks its messages. Refused (conflict)
    // for the last admin, and for the last organizer of an event that is not over.
    result<void> erase_account(const actor& who, instant now);

private:
    store& db_;
};

} // namespace rencontres
