#pragma once

#include "domain/common/actor.hpp"
#include "domain/common/precondition.hpp"
#include "domain/common/result.hpp"
#include "domain/territories/model.hpp"

namespace rencontres {

class store;

class territory_service {
public:
    explicit territory_service(store& db) : db_(db) {}

    result<territory> create_territory(const actor& who, const territory_fields& fields,
                                       instant now);
    result<territory> update_territory(const actor& who, id_t id, const territory_fields& fields,
                                       const precondition<territory>& expected, instant now);
    result<territory> get_territory(id_t id);
    result<page<territory>> list_territories(const territory_filter& filter,
                                             const page_request& request);

private:
    store& db_;
};

} // namespace rencontres
