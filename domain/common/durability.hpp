// What an answer rests on (DESIGN.md: durability is part of the port). A ticket names the group
// of writes that must be on disk before an answer built from a unit of work may be shown: what
// it wrote, and what it read of writes not yet durable. Groups become durable in order, so the
// later of two tickets covers both. An empty ticket means nothing to wait for.
#pragma once

#include <algorithm>
#include <cstdint>

namespace rencontres {

struct durability_ticket {
    std::uint64_t group = 0;

    bool pending() const { return group != 0; }
    durability_ticket& operator|=(durability_ticket other) {
        group = std::max(group, other.group);
        return *this;
    }
    bool operator==(const durability_ticket&) const = default;
};

} // namespace rencontres
