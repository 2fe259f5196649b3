// Who is acting, and the one table that says what each role may do.
#pragma once

#include "domain/common/ids.hpp"
#include "domain/common/result.hpp"

#include <optional>
#include <string_view>

namespace rencontres {

enum class role { participant, organizer, jury, admin };

std::string_view to_string(role r);
std::optional<role> parse_role(std::string_view text);

struct actor {
    std::optional<id_t> account_id{};
    rencontres::role role = role::participant;

    static actor anonymous() { return {}; }
    bool authenticated() const { return account_id.has_value(); }
    bool is(id_t id) const { return account_id == id; }
};

// What an operation needs from its caller. Object-level rules (owner of an event, submitter of a
// candidacy) are checked by the services on top of these.
enum class capability {
    read_own_account,    // any signed-in account
    administer_accounts, // list accounts, change roles
    manage_territories,  // create and edit territories
    organize_events,     // create events, speakers; change the events one organizes
    see_speaker_emails,  // organizers and admins
    read_audit,          // the audit trail
    read_outbox,         // the notifications sent and pending
    manage_labels,       // campaigns, shortlists, awards (admins only)
    review_candidacies,  // jury and admins
    submit_candidacies,  // organizers and admins
};

// The single place where roles are checked: unauthenticated (401) for anonymous callers,
// forbidden (403) for a role that lacks the capability.
result<void> require(const actor& who, capability what);

} // namespace rencontres
