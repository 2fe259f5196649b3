// Logic-less templates (kainjow's mustache, which escapes every {{value}} for HTML unless written
// {{{value}}}) from web/templates, embedded in the binary, for the pages and the emails alike;
// and the static files of web/static. Nothing of HTTP here.
//
// A caller gathers plain values from the domain into a `view` and renders a template; no rule is
// decided in a template.
#pragma once

#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace rencontres::render {

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
std::string html(std::string_view name, const view& values);

// The version of the stylesheet, for its long-cached URL.
const std::string& stylesheet_url();

// The static file at `path` under web/static, if any.
const std::string_view* static_file(std::string_view path);

} // namespace rencontres::render
