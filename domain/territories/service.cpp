#include "domain/territories/service.hpp"

#include "domain/audit/service.hpp"
#include "domain/common/fields.hpp"
#include "domain/common/names.hpp"
#include "domain/common/text.hpp"
#include "domain/store.hpp"
#include "domain/territories/repository.hpp"

#include <array>

namespace rencontres {
namespace {

constexpr std::array<std::string_view, 8> kind_names{"commune",
                                                     "communaute_de_communes",
                                                     "communaute_agglomeration",
                                                     "communaute_urbaine",
                                                     "metropole",
                                                     "departement",
                                                     "region",
                                                     "other"};

bool valid_department(std::string_view code) {
    // Metropolitan 01..95 (Corsica as 2A and 2B), overseas 971..976.
    if (code == "2A" || code == "2B") return true;
    const auto all_digits = code.find_first_not_of("0123456789") == std::string_view::npos;
    if (!all_digits) return false;
    if (code.size() == 2) return code != "00" && code != "20" && code <= "95";
    return code.size() == 3 && code >= "971" && code <= "976";
}

// Applies the given fields onto `target`, collecting every validation failure.
void apply(validation& v, const territory_fields& fields, territory& target) {
    if (fields.name) {
        target.name = check_text(v, "name", *fields.name, 1, 200);
    }
    if (fields.kind) {
        if (auto kind = parse_territory_kind(*fields.kind))
            target.kind = *kind;
        else
            v.fail("kind", field_rule::choice, "is not a known kind of territory");
    }
    if (fields.siren) {
        target.siren = *fields.siren;
        if (!valid_siren(target.siren))
            v.fail("siren", field_rule::format, "must be 9 digits passing the Luhn check");
    }
    if (fields.region) {
        target.region = check_text(v, "region", *fields.region, 1, 100);
    }
    if (fields.department) {
        target.department = *fields.department;
        if (target.department && !valid_department(*target.department))
            v.fail("department", field_rule::format,
                   "must be a department code such as 87, 2A or 974");
    }
}

} // namespace

std::string_view to_string(territory_kind kind) {
    return name_of(kind_names, kind);
}

std::optional<territory_kind> parse_territory_kind(std::string_view text) {
    return parse_name<territory_kind>(kind_names, text);
}

bool valid_siren(std::string_view siren) {
    if (siren.size() != 9) return false;
    int sum = 0;
    for (std::size_t i = 0; i < 9; ++i) {
        const char c = siren[i];
        if (c < '0' || c > '9') return false;
        int digit = c - '0';
        // Luhn: double every second digit from the right (positions 2, 4, 6, 8 from the left).
        if (i % 2 == 1) {
            digit *= 2;
            if (digit > 9) digit -= 9;
        }
        sum += digit;
    }
    return sum % 10 == 0;
}

result<territory> territory_service::create_territory(const actor& who,
                                                      const territory_fields& fields, instant now) {
    if (auto allowed = require(who, capability::manage_territories); !allowed)
        return allowed.error();
    validation v;
    if (!fields.name) v.fail("name", field_rule::required, "is required");
    if (!fields.kind) v.fail("kind", field_rule::required, "is required");
    if (!fields.siren) v.fail("siren", field_rule::required, "is required");
    if (!fields.region) v.fail("region", field_rule::required, "is required");
    territory draft;
    apply(v, fields, draft);
    if (!v.ok()) return v.error();
    draft.created_at = draft.updated_at = now;
    draft.created_by = who.account_id;

    auto uow = db_.begin(access::write);
    auto created = uow->territories().insert(draft);
    if (!created) return created;
    record_change(uow->audit(), who, "create_territory", "territory", id_text(created->id), now,
                  created->name + " (" + created->siren + ")");
    uow->commit();
    return created;
}

result<territory> territory_service::update_territory(const actor& who, id_t id,
                                                      const territory_fields& fields,
                                                      const precondition<territory>& expected,
                                                      instant now) {
    if (auto allowed = require(who, capability::manage_territories); !allowed)
        return allowed.error();
    auto uow = db_.begin(access::write);
    uow->take_turn(turn::territory, id);
    auto found = uow->territories().find(id);
    if (!found) return not_found(rule::territory_not_found, "No such territory.");
    // Admins edit any territory; its creator only until it enters the public record (an award,
    // a published event), where a rename would rewrite what others have published.
    if (who.role != role::admin) {
        if (!found->created_by || !who.is(*found->created_by))
            return forbidden(rule::not_allowed,
                             "Only an admin or the organizer who created this territory may "
                             "change it.");
        if (uow->territories().in_public_record(id))
            return forbidden(rule::admin_only_now,
                             "This territory holds an award or hosts a published event: only an "
                             "admin may change it now.");
    }
    if (expected && !expected(*found))
        return changed_since_read("The territory has changed since it was read.");
    territory changed = *found;
    validation v;
    apply(v, fields, changed);
    if (!v.ok()) return v.error();
    changed.updated_at = now;
    if (auto written = uow->territories().update(changed); !written) return written.error();
    record_change(uow->audit(), who, "update_territory", "territory", id_text(id), now,
                  changed.name + " (" + changed.siren + ")");
    uow->commit();
    return changed;
}

result<territory> territory_service::get_territory(id_t id) {
    auto uow = db_.begin(access::read);
    auto found = uow->territories().find(id);
    if (!found) return not_found(rule::territory_not_found, "No such territory.");
    return *found;
}

result<page<territory>> territory_service::list_territories(const territory_filter& filter,
                                                            const page_request& request) {
    territory_filter folded = filter;
    if (folded.q) folded.q = search_fold(trim(*folded.q));
    auto uow = db_.begin(access::read);
    return uow->territories().list(folded, request);
}

} // namespace rencontres
