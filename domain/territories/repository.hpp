#pragma once

#include "domain/common/result.hpp"
#include "domain/territories/model.hpp"

#include <optional>

namespace rencontres {

class territories_repository {
public:
    virtual ~territories_repository() = default;
    // conflict when the SIREN is taken.
    virtual result<territory> insert(const territory& draft) = 0;
    virtual result<void> update(const territory& changed) = 0;
    virtual std::optional<territory> find(id_t id) = 0;
    virtual std::optional<territory> find_by_siren(std::string_view siren) = 0;
    // Named in an award or hosting an event that was published: then only admins edit it.
    virtual bool in_public_record(id_t id) = 0;
    // Ordered by id; `q` matches the accent- and case-folded name.
    virtual page<territory> list(const territory_filter& filter, const page_request& request) = 0;
};

} // namespace rencontres
