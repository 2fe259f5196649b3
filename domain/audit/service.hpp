#pragma once

#include "domain/audit/model.hpp"
#include "domain/common/actor.hpp"

namespace rencontres {

class audit_repository;
class store;

// Records a change when the actor is one whose changes are audited (organizer, jury, admin).
void record_change(audit_repository& audit, const actor& who, std::string action,
                   std::string entity, std::string entity_id, instant at, std::string summary);

class audit_service {
public:
    explicit audit_service(store& db) : db_(db) {}
    result<page<audit_entry>> list(const actor& who, const audit_filter& filter,
                                   const page_request& request);

private:
    store& db_;
};

} // namespace rencontres
