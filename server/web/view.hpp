// The response every page is sent with (security headers, the layout, French error pages), on
// the templates of the render layer.
#pragma once

#include "server/render/templates.hpp"
#include "server/transport/message.hpp"

#include <string>
#include <string_view>

namespace rencontres::web {

using render::escape_html;
using render::flag;
using render::list_view;
using render::paragraphs;
using render::static_file;
using render::stylesheet_url;
using render::view;
using render::view_list;

struct page_options {
    int status = 200;
    // Pages holding a secret (a manage token) are never cached nor sent as a Referer.
    bool secret = false;
    // Extra markup in <head> (JSON-LD).
    std::string head;
};

// `main_template` rendered inside the layout, with the page's <title>, as an HTML response.
http::response page(std::string_view main_template, const std::string& title, const view& values,
                    const page_options& options = {});

// A French page for an error: 404, 409, 422, 403, 503.
http::response error_page(int status, const std::string& message = {});

} // namespace rencontres::web
