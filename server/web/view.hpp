// The pages' views: logic-less templates (kainjow's mustache, which escapes every {{value}} for
// HTML unless written {{{value}}}) from web/templates, embedded in the binary, and the response
// every page is sent with (security headers, French error pages).
//
// A page handler gathers plain values from the domain into a `view` and renders a template; no
// rule is decided in a template or a page handler.
#pragma once

#include "server/http/message.hpp"

#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace rencontres::web {

using view = kainjow::mustache::data;
using view_list = kainjow::mustache::data;
inline view_list list_view() {
    return view_list(kainjow::mustache::data::type::list);
}
inline view flag(bool on) {
    return view(on);
}

// The paragraphs of a text: lines joined, blank lines between paragraphs.
std::vector<std::string> paragraphs(std::string_view text);

// HTML-escaped text, for the rare value built outside a template.
std::string escape_html(std::string_view text);

// Renders web/templates/<name>.mustache with `values`; every template is a partial of the others
// ({{> name}}).
std::string render(std::string_view name, const view& values);

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

// The version of the stylesheet, for its long-cached URL.
const std::string& stylesheet_url();

// The static file at `path` under web/static, if any.
const std::string_view* static_file(std::string_view path);

} // namespace rencontres::web
