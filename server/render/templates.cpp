#include "server/render/templates.hpp"

#include "server/security/sealer.hpp"

#include <map>
#include <sstream>
#include <stdexcept>
#include <web_files.hpp>

namespace rencontres::render {
namespace {

using kainjow::mustache::mustache;

// Every template's text, read once at first use, by name ("event" for templates/event.mustache).
struct templates {
    std::map<std::string, std::string, std::less<>> text;
    view partials;
    templates() {
        for (const auto& f : embedded::web_files) {
            constexpr std::string_view prefix = "templates/", suffix = ".mustache";
            if (f.path.substr(0, prefix.size()) != prefix) continue;
            auto name = std::string(f.path.substr(prefix.size()));
            name.resize(name.size() - suffix.size());
            text.emplace(name, std::string(*f.text));
        }
        for (const auto& [name, body] : text) {
            const std::string* t = &body;
            partials.set(name, kainjow::mustache::partial([t] { return *t; }));
        }
    }
};

const templates& all() {
    static const templates t;
    return t;
}

} // namespace

std::vector<std::string> paragraphs(std::string_view text) {
    std::vector<std::string> out;
    std::string current;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const auto line = text.substr(start, end - start);
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
            if (!current.empty()) out.push_back(current);
            current.clear();
        } else {
            if (!current.empty()) current += ' ';
            current += line;
        }
        start = end + 1;
    }
    if (!current.empty()) out.push_back(current);
    return out;
}

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string html(std::string_view name, const view& values) {
    const auto& t = all();
    // Parsed once per thread: kainjow's render() is not const (it may note an error in the
    // template), so a parsed template is not shared between threads; parsing it again for every
    // page cost more than rendering most of them.
    thread_local std::map<std::string, mustache, std::less<>> parsed;
    auto cached = parsed.find(name);
    if (cached == parsed.end()) {
        const auto found = t.text.find(name);
        if (found == t.text.end()) throw std::logic_error("no template " + std::string(name));
        mustache m(found->second);
        if (!m.is_valid())
            throw std::logic_error("template " + std::string(name) + ": " + m.error_message());
        m.set_custom_escape([](const std::string& s) { return escape_html(s); });
        cached = parsed.emplace(std::string(name), std::move(m)).first;
    }
    auto& m = cached->second;
    kainjow::mustache::context<std::string> ctx(&t.partials);
    ctx.push(&values);
    std::ostringstream out;
    m.render(ctx, out);
    return out.str();
}

const std::string& stylesheet_url() {
    static const std::string url = [] {
        const auto* css = static_file("site.css");
        return "/static/site.css?v=" +
               (css ? security::sha256_hex(*css).substr(0, 12) : std::string("0"));
    }();
    return url;
}

const std::string_view* static_file(std::string_view path) {
    for (const auto& f : embedded::web_files) {
        constexpr std::string_view prefix = "static/";
        if (f.path.substr(0, prefix.size()) == prefix && f.path.substr(prefix.size()) == path)
            return f.text;
    }
    return nullptr;
}

} // namespace rencontres::render
