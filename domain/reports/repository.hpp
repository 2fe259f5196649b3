#pragma once

#include "domain/reports/model.hpp"

#include <optional>
#include <vector>

namespace rencontres {

class reports_repository {
public:
    virtual ~reports_repository() = default;
    virtual std::optional<report> find(id_t event_id) = 0;
    virtual void save(const report& r) = 0; // replaces the event's report, sessions and all
    // Published reports, the most recently published first.
    virtual std::vector<report> published(int limit) = 0;
};

} // namespace rencontres
