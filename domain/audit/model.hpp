#pragma once

#include "domain/common/ids.hpp"
#include "domain/common/time.hpp"

#include <optional>
#include <string>

namespace rencontres {

// One change made by an organizer, juror or admin, written in the transaction of the change.
struct audit_entry {
    id_t id = 0;
    std::optional<id_t> actor_id;
    std::string action; // verb_noun, e.g. "create_territory"
    std::string entity; // "territory", "account", ...
    std::string entity_id;
    instant at{};
    std::string summary; // what changed, without secrets
};

struct audit_filter {
    std::optional<std::string> entity;
    std::optional<id_t> actor_id;
    std::optional<std::string> entity_id; // with `entity`: one thing's history
};

} // namespace rencontres
