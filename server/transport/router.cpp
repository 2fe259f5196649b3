#include "server/transport/router.hpp"

#include "domain/store.hpp"
#include "server/transport/context.hpp"

#include <array>
#include <optional>
#include <stdexcept>

namespace rencontres::http {
namespace {

constexpr std::size_t max_segments = 16;

// Splits "/a/b/c" into its segments without allocating; false when there are too many.
bool split_path(std::string_view path, std::array<std::string_view, max_segments>& parts,
                std::size_t& count) {
    count = 0;
    if (path.empty() || path.front() != '/') return false;
    std::size_t start = 1;
    while (true) {
        if (count == max_segments) return false;
        const auto slash = path.find('/', start);
        parts[count++] =
            path.substr(start, slash == std::string_view::npos ? slash : slash - start);
        if (slash == std::string_view::npos) return true;
        start = slash + 1;
    }
}

std::vector<route_segment> parse_pattern(std::string_view pattern) {
    std::array<std::string_view, max_segments> parts;
    std::size_t count = 0;
    if (!split_path(pattern, parts, count)) throw std::invalid_argument("bad route template");
    std::vector<route_segment> segments;
    for (std::size_t i = 0; i < count; ++i) {
        const auto part = parts[i];
        if (!part.empty() && part.front() == '{') {
            const auto close = part.find('}');
            segments.push_back(
                {{}, std::string(part.substr(1, close - 1)), std::string(part.substr(close + 1))});
        } else {
            segments.push_back({std::string(part), {}, {}});
        }
    }
    return segments;
}

// Number of literal characters matched (higher is more specific), or nullopt.
std::optional<std::size_t>
score(const route& r, const std::array<std::string_view, max_segments>& have, std::size_t count) {
    if (r.segments.size() != count) return std::nullopt;
    std::size_t literal = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const auto& want = r.segments[i];
        const auto h = have[i];
        if (want.is_param()) {
            const std::string_view suffix = want.suffix;
            if (h.size() <= suffix.size() || h.substr(h.size() - suffix.size()) != suffix)
                return std::nullopt;
            literal += suffix.size();
        } else {
            if (want.literal != h) return std::nullopt;
            literal += want.literal.size() + 1;
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

void router::add_route(route r) {
    r.segments = parse_pattern(r.pattern);
    routes_.push_back(std::move(r));
}

void router::add(std::string method, std::string pattern, handler fn, lane where) {
    add_route({std::move(method), std::move(pattern), std::move(fn), where});
}

void router::add(std::string method, std::string pattern, handler fn, fast_path fast) {
    add_route(
        {std::move(method), std::move(pattern), std::move(fn), lane::database, std::move(fast)});
}

void router::add(std::string method, std::string pattern, handler fn, lane where, admission admit) {
    add_route({std::move(method), std::move(pattern), std::move(fn), where, {}, std::move(admit)});
}

void router::add_write(std::string method, std::string pattern, write_handler write) {
    handler in_a_row = [write](const request& req, const route_params& params, context& ctx) {
        auto job = write(req, params, ctx);
        ctx.app.db.wait_durable(job.transact());
        return job.answer();
    };
    route r{std::move(method), std::move(pattern), std::move(in_a_row), lane::writes};
    r.write = std::move(write);
    add_route(std::move(r));
}

route_match router::find(std::string_view method, std::string_view path) const {
    if (method == "HEAD") method = "GET";
    route_match best;
    std::array<std::string_view, max_segments> have;
    std::size_t count = 0;
    if (!split_path(path, have, count)) return best;
    std::optional<std::size_t> best_score;
    std::optional<std::size_t> path_score;
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        const auto& r = routes_[i];
        const auto s = score(r, have, count);
        if (!s) continue;
        if (!path_score || *s > *path_score) {
            path_score = s;
            best.allowed.clear();
        }
        if (*s == *path_score) {
            best.allowed.push_back(r.method);
            if (r.method == "GET") best.allowed.push_back("HEAD");
        }
        if (r.method == method && (!best_score || *s > *best_score)) {
            best_score = s;
            best.found = &r;
            best.index = i;
        }
    }
    // A less specific template that takes the method is not a match for a more specific path.
    if (best.found && best_score != path_score) best.found = nullptr;
    if (!best.found) return best;
    best.allowed.clear();
    for (std::size_t i = 0; i < count; ++i) {
        const auto& want = best.found->segments[i];
        if (want.is_param())
            best.params.add(want.param,
                            std::string(have[i].substr(0, have[i].size() - want.suffix.size())));
    }
    return best;
}
} // namespace rencontres::http
