#pragma once

#include "domain/common/ids.hpp"
#include "domain/common/time.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace rencontres {

enum class territory_kind {
    commune,
    communaute_de_communes,
    communaute_agglomeration,
    communaute_urbaine,
    metropole,
    departement,
    region,
    other
};

std::string_view to_string(territory_kind kind);
std::optional<territory_kind> parse_territory_kind(std::string_view text);

// A collectivité, identified by its SIREN.
struct territory {
    id_t id = 0;
    std::string name;
    territory_kind kind = territory_kind::other;
    std::string siren;
    std::string region;
    std::optional<std::string> department;
    instant created_at{};
    instant updated_at{};
    std::optional<id_t> created_by; // may edit it until it enters the public record
};

// The fields a client sends; on create every field but `department` is required, on update
// each is optional. `department` set to an empty optional inside clears it.
struct territory_fields {
    std::optional<std::string> name;
    std::optional<std::string> kind;
    std::optional<std::string> siren;
    std::optional<std::string> region;
    std::optional<std::optional<std::string>> department;
};

struct territory_filter {
    std::optional<std::string> q; // folded name fragment
    std::optional<std::string> region;
};

// 9 digits whose Luhn sum is a multiple of 10.
bool valid_siren(std::string_view siren);

} // namespace rencontres
