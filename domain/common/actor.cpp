#include "domain/common/actor.hpp"

#include "domain/common/names.hpp"

#include <array>
#include <initializer_list>

namespace rencontres {
namespace {

constexpr std::array<std::string_view, 4> role_names{"participant", "organizer", "jury", "admin"};

bool allowed(role r, capability what) {
    // An admin may do anything an organizer or juror may.
    if (r == role::admin) return true;
    switch (what) {
    case capability::read_own_account:
        return true;
    case capability::manage_territories:
    case capability::organize_events:
    case capability::see_speaker_emails:
    case capability::submit_candidacies:
        return r == role::organizer;
    case capability::review_candidacies:
        return r == role::jury;
    case capability::administer_accounts:
    case capability::read_audit:
    case capability::read_outbox:
    case capability::manage_labels:
        return false;
    }
    return false;
}

} // namespace

std::string_view to_string(role r) {
    return name_of(role_names, r);
}

std::optional<role> parse_role(std::string_view text) {
    return parse_name<role>(role_names, text);
}

result<void> require(const actor& who, capability what) {
    if (!who.authenticated()) return unauthenticated();
    if (!allowed(who.role, what)) return forbidden();
    return {};
}

} // namespace rencontres
