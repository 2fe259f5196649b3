// The small markup of a report's text (API.md §15) as HTML: paragraphs (separated by a blank
// line), *emphasis*, lists (lines starting with "- ") and [label](https://…) links. Everything
// else is text, escaped: no tag, attribute or other scheme gets through.
#pragma once

#include <string>
#include <string_view>

namespace rencontres::render {

std::string rich_html(std::string_view text);
// The same text without its markup, for feeds and search snippets.
std::string rich_plain(std::string_view text);

} // namespace rencontres::render
