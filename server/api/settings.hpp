// What the API's handlers read of the configuration, and nothing else of it.
#pragma once

#include <string>

namespace rencontres::http {

struct api_settings {
    std::string public_base_url; // the links a representation carries (server.public_base_url)
    std::string metrics_token;   // who may scrape GET /metrics (metrics.token)
};

} // namespace rencontres::http
