// Personal data: what is held about the caller, and erasing it.
#pragma once

#include "domain/accounts/model.hpp"
#include "domain/common/result.hpp"
#include "domain/notifications/model.hpp"
#include "domain/registrations/model.hpp"

namespace rencontres {

class store;

struct personal_data {
    account holder;
    std::vector<registration> registrations; // linked to the account or made with its email
    std::vector<outbox_message> messages;    // sent or to be sent to its email
};

class privacy_service {
public:
    explicit privacy_service(store& db) : db_(db) {}

    result<personal_data> export_personal_data(const actor& who);
    // Deletes the account and its tokens, anonymises its registrations (their seats and statuses
    // stay, so counts and decisions are unchanged) and blanks the messages to its address.
    result<void> erase_account(const actor& who, instant now);

private:
    store& db_;
};

} // namespace rencontres
