#include "server/render/rich_text.hpp"

#include "server/render/templates.hpp"

#include <vector>

namespace rencontres::render {
namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        const auto end = text.find('\n');
        auto line = text.substr(0, end);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        out.push_back(line);
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return out;
}

bool blank(std::string_view line) {
    return line.find_first_not_of(" \t") == std::string_view::npos;
}

bool item(std::string_view line) {
    return line.rfind("- ", 0) == 0;
}

// An https address without characters that could leave the attribute or the link.
bool safe_url(std::string_view url) {
    if (url.rfind("https://", 0) != 0 || url.size() <= 8 || url.size() > 500) return false;
    for (const char c : url)
        if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' ||
            c == '(' || c == ')' || c == '\\')
            return false;
    return true;
}

// Inline markup: `html` true writes tags, false only the text.
std::string inline_text(std::string_view text, bool html) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '[') {
            const auto close = text.find("](", i);
            const auto end = close == std::string_view::npos ? close : text.find(')', close + 2);
            if (end != std::string_view::npos && text.find('\n', i) > end) {
                const auto label = text.substr(i + 1, close - i - 1);
                const auto url = text.substr(close + 2, end - close - 2);
                if (!label.empty() && safe_url(url)) {
                    if (html)
                        out +=
                            "<a href=\"" + escape_html(url) + "\">" + escape_html(label) + "</a>";
                    else
                        out += std::string(label) + " (" + std::string(url) + ")";
                    i = end + 1;
                    continue;
                }
            }
        }
        if (text[i] == '*') {
            const auto end = text.find('*', i + 1);
            if (end != std::string_view::npos && end > i + 1 && text[i + 1] != ' ' &&
                text[end - 1] != ' ') {
                const auto inner = text.substr(i + 1, end - i - 1);
                out += html ? "<em>" + escape_html(inner) + "</em>" : std::string(inner);
                i = end + 1;
                continue;
            }
        }
        const auto next = text.find_first_of("[*", i + 1);
        const auto chunk = text.substr(i, next == std::string_view::npos ? next : next - i);
        out += html ? escape_html(chunk) : std::string(chunk);
        i += chunk.size();
    }
    return out;
}

template <class Write> void blocks(std::string_view text, Write write) {
    const auto lines = lines_of(text);
    std::size_t i = 0;
    while (i < lines.size()) {
        if (blank(lines[i])) {
            ++i;
            continue;
        }
        std::vector<std::string_view> block;
        while (i < lines.size() && !blank(lines[i]))
            block.push_back(lines[i++]);
        bool list = true;
        for (const auto line : block)
            list = list && item(line);
        write(block, list);
    }
}

} // namespace

std::string rich_html(std::string_view text) {
    std::string out;
    blocks(text, [&](const std::vector<std::string_view>& block, bool list) {
        if (list) {
            out += "<ul>";
            for (const auto line : block) {
                out += "<li>";
                out += inline_text(line.substr(2), true);
                out += "</li>";
            }
            out += "</ul>\n";
            return;
        }
        std::string joined;
        for (const auto line : block) {
            if (!joined.empty()) joined += ' ';
            joined += line;
        }
        out += "<p>";
        out += inline_text(joined, true);
        out += "</p>\n";
    });
    return out;
}

std::string rich_plain(std::string_view text) {
    std::string out;
    blocks(text, [&](const std::vector<std::string_view>& block, bool list) {
        if (!out.empty()) out += "\n\n";
        for (std::size_t k = 0; k < block.size(); ++k) {
            if (k > 0) out += list ? "\n" : " ";
            out +=
                list ? "• " + inline_text(block[k].substr(2), false) : inline_text(block[k], false);
        }
    });
    return out;
}

} // namespace rencontres::render
