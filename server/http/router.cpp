#include "server/http/router.hpp"

#include <optional>

namespace rencontres::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> parts;
    if (path.empty() || path.front() != '/') return parts;
    std::size_t start = 1;
    while (true) {
        const auto slash = path.find('/', start);
        parts.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return parts;
}

// Number of literal characters matched (higher is more specific), or nullopt.
std::optional<std::size_t> match_pattern(std::string_view pattern, std::string_view path,
                                         route_params& params) {
    const auto want = split_path(pattern);
    const auto have = split_path(path);
    if (want.size() != have.size()) return std::nullopt;
    std::size_t literal = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        const auto w = want[i];
        const auto h = have[i];
        if (!w.empty() && w.front() == '{') {
            const auto close = w.find('}');
            const auto suffix = w.substr(close + 1);
            if (h.size() <= suffix.size() || h.substr(h.size() - suffix.size()) != suffix)
                return std::nullopt;
            params.add(std::string(w.substr(1, close - 1)),
                       std::string(h.substr(0, h.size() - suffix.size())));
            literal += suffix.size();
        } else {
            if (w != h) return std::nullopt;
            literal += w.size() + 1;
        }
    }
    return literal;
}

} // namespace

std::string_view route_params::get(std::string_view name) const {
    for (const auto& [key, value] : values_)
        if (key == name) return value;
    return {};
}

void router::add(std::string method, std::string pattern, handler fn, lane where) {
    routes_.push_back({std::move(method), std::move(pattern), std::move(fn), where});
}

void router::add(std::string method, std::string pattern, handler fn, fast_path fast) {
    routes_.push_back({std::move(method), std::move(pattern), std::move(fn), lane::database,
                       std::move(fast)});
}

route_match router::find(std::string_view method, std::string_view path) const {
    route_match best;
    std::optional<std::size_t> best_score;
    std::optional<std::size_t> path_score;
    for (const auto& r : routes_) {
        route_params params;
        const auto score = match_pattern(r.pattern, path, params);
        if (!score) continue;
        if (!path_score || *score > *path_score) {
            path_score = score;
            best.allowed.clear();
        }
        if (*score == *path_score) best.allowed.push_back(r.method);
        if (r.method == method && (!best_score || *score > *best_score)) {
            best_score = score;
            best.found = &r;
            best.params = std::move(params);
        }
    }
    // A less specific template that takes the method is not a match for a more specific path.
    if (best.found && best_score != path_score) best.found = nullptr;
    if (best.found) best.allowed.clear();
    return best;
}

router make_router() {
    router r;
    register_operations_routes(r);
    register_accounts_routes(r);
    register_territories_routes(r);
    register_audit_routes(r);
    register_events_routes(r);
    register_speakers_routes(r);
    register_sessions_routes(r);
    return r;
}

} // namespace rencontres::http
