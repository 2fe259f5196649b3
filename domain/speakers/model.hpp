#pragma once

#include "domain/common/ids.hpp"
#include "domain/common/time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rencontres {

// Speakers are shared across events.
struct speaker {
    id_t id = 0;
    std::string full_name;
    std::optional<std::string> title;
    std::optional<std::string> organization;
    std::optional<std::string> bio;
    std::vector<std::string> links;
    std::optional<std::string> email; // shown to organizers and admins only
    instant created_at{};
    instant updated_at{};
    std::optional<id_t> created_by; // may edit it, with admins and the organizers who schedule it
};

struct speaker_fields {
    std::optional<std::string> full_name;
    std::optional<std::optional<std::string>> title;
    std::optional<std::optional<std::string>> organization;
    std::optional<std::optional<std::string>> bio;
    std::optional<std::vector<std::string>> links;
    std::optional<std::optional<std::string>> email;
};

} // namespace rencontres
