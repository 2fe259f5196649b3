// Loads demo/aixe-sur-vienne-2018.json (embedded in the binary) through the repositories.
#include <boost/json.hpp>

#include "domain/audit/repository.hpp"
#include "domain/territories/repository.hpp"
#include "server/app/application.hpp"

namespace rencontres::embedded {
extern const std::string_view demo_json;
}

namespace rencontres {

std::vector<std::string> load_demo(store& db, instant now) {
    const auto demo = boost::json::parse(embedded::demo_json).as_object();
    std::vector<std::string> created;
    auto uow = db.begin(access::write);
    for (const auto& item : demo.at("territories").as_array()) {
        const auto& t = item.as_object();
        const std::string siren(t.at("siren").as_string());
        if (uow->territories().find_by_siren(siren)) continue;
        territory draft;
        draft.name = t.at("name").as_string();
        draft.kind = parse_territory_kind(t.at("kind").as_string()).value_or(territory_kind::other);
        draft.siren = siren;
        draft.region = t.at("region").as_string();
        if (const auto* d = t.if_contains("department")) draft.department = std::string(d->as_string());
        draft.created_at = draft.updated_at = now;
        auto inserted = uow->territories().insert(draft);
        if (!inserted) throw std::runtime_error("demo territory " + siren + ": " + inserted.error().message);
        uow->audit().append({0, std::nullopt, "load_demo", "territory", id_text(inserted->id), now,
                             inserted->name});
        created.push_back("territory " + inserted->name);
    }
    uow->commit();
    return created;
}

} // namespace rencontres
