// Invitations (API.md §3): an admin invites a person with a role, or an event's organizers invite
// a co-organizer; the person receives a single-use link, chooses a password and has an account,
// its email verified by the link itself.
#pragma once

#include "domain/accounts/model.hpp"
#include "domain/accounts/ports.hpp"
#include "domain/common/result.hpp"
#include "domain/common/sealer.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace rencontres {

class store;
class unit_of_work;
class event_service;
class agenda_observer;

struct invitation_command {
    std::string email;
    std::string display_name;
    std::string role;
    std::optional<id_t> event_id; // to co-organize this event
};

struct acceptance {
    std::string token; // the invitation's link
    std::string password;
    std::optional<std::string> display_name; // the name the inviter gave, when absent
};

// What an invitation looks like to the one who holds its link, before accepting it.
struct invitation_preview {
    std::string email;
    std::string display_name;
    rencontres::role role = role::participant;
    std::optional<std::string> event_title;
};

class invitation_service {
public:
    invitation_service(store& db, password_hasher& hasher, token_minter& minter,
                       reply_sealer& sealer, event_service& events, agenda_observer& observer,
                       std::chrono::seconds ttl = std::chrono::hours{24 * 7})
        : db_(db), hasher_(hasher), minter_(minter), sealer_(sealer), events_(events),
          observer_(observer), ttl_(ttl) {}

    // Admins invite with any role; an event's organizers invite co-organizers of it (role
    // organizer, with its id). Conflict when the address has an account: email_taken, or, for an
    // event and an account that may organize, organizer_added_directly once it is added to the
    // event's organizers (as PUT …/organizers/{account_id} does).
    result<invitation> invite(const actor& who, const invitation_command& command, instant now);
    // Admins see every invitation waiting for an answer, organizers those they sent.
    result<page<invitation>> list(const actor& who, const page_request& request);
    // A new link, valid `ttl` again; the previous one stops working.
    result<invitation> resend(const actor& who, id_t id, instant now);
    result<void> withdraw(const actor& who, id_t id, instant now);
    // What the link invites to; invalid (link_expired) when it is unknown or expired.
    result<invitation_preview> preview(std::string_view token, instant now);
    // The account, verified, with the invited role (and made co-organizer of the invited events);
    // every invitation to its address is then used up.
    result<account> accept(const acceptance& given, instant now);

private:
    // The invitation, when the caller may see it (an admin, or the one who sent it).
    result<invitation> visible(unit_of_work& uow, const actor& who, id_t id);
    void send(unit_of_work& uow, const invitation& sent, std::string_view token,
              const std::optional<id_t>& sender);

    store& db_;
    password_hasher& hasher_;
    token_minter& minter_;
    reply_sealer& sealer_;
    event_service& events_;
    agenda_observer& observer_;
    std::chrono::seconds ttl_;
};

} // namespace rencontres
