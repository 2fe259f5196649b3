// The router's assembly: every endpoint of the API and every page of the site.
#pragma once

#include "server/transport/router.hpp"

namespace rencontres {

http::router make_router();

} // namespace rencontres
