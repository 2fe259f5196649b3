#include "domain/audit/service.hpp"

#include "domain/audit/repository.hpp"
#include "domain/store.hpp"

namespace rencontres {

void record_change(audit_repository& audit, const actor& who, std::string action,
                   std::string entity, std::string entity_id, instant at, std::string summary) {
    if (!who.authenticated() || who.role == role::participant) return;
    audit.append({0, who.account_id, std::move(action), std::move(entity), std::move(entity_id), at,
                  std::move(summary)});
}

result<page<audit_entry>> audit_service::list(const actor& who, const audit_filter& filter,
                                              const page_request& request) {
    if (auto allowed = require(who, capability::read_audit); !allowed) return allowed.error();
    auto uow = db_.begin(access::read);
    return uow->audit().list(filter, request);
}

} // namespace rencontres
