// What the label's pages of the jury and of the admins share.
#pragma once

#include "domain/common/ids.hpp"
#include "domain/labels/model.hpp"
#include "server/transport/context.hpp"

#include <string>

namespace rencontres::web {

// "En préparation", "Ouverte", "Close", "Palmarès décerné".
std::string campaign_status_text(campaign_status s);
// A score or a weight as the French write it: "3,5", "2".
std::string decimal(double value);
// The territory's name, or "Territoire <id>" when it is gone.
std::string territory_name(http::context& ctx, id_t id);

} // namespace rencontres::web
