// Text helpers of the SQLite repositories.
#include "server/storage/sql/repositories.hpp"

namespace rencontres::storage {

std::string join_lines(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : "\n") + item;
    return out;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        out.push_back(text.substr(start, end == std::string::npos ? end : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

std::string like_pattern(std::string_view fragment) {
    std::string pattern = "%";
    for (const char c : fragment) {
        if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
        pattern.push_back(c);
    }
    return pattern + "%";
}

} // namespace rencontres::storage
