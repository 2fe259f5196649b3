#pragma once

#include "domain/audit/model.hpp"

namespace rencontres {

class audit_repository {
public:
    virtual ~audit_repository() = default;
    virtual void append(const audit_entry& entry) = 0;
    // Newest first; `after` is the last id seen (so the next page holds smaller ids).
    virtual page<audit_entry> list(const audit_filter& filter, const page_request& request) = 0;
};

} // namespace rencontres
