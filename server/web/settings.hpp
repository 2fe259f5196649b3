// What the pages read of the configuration, and nothing else of it.
#pragma once

#include <string>

namespace rencontres::web {

struct page_settings {
    // The site's own address (server.public_base_url): forms posted from elsewhere are refused,
    // and the console's cookie is Secure when it is https.
    std::string public_base_url;
};

} // namespace rencontres::web
