#include "server/transport/router.hpp"

#include "domain/store.hpp"
#include "server/transport/context.hpp"

#include <algorithm>
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
    // Grouped by length, then by their first two segments when they are words ("" for a
    // parameter, which any segment may fill).
    const auto word = [&](std::size_t at) -> std::string {
        return at < r.segments.size() && !r.segments[at].is_param() ? r.segments[at].literal
                                                                    : std::string();
    };
    auto& groups = by_length_[r.segments.size()];
    const auto first = word(0), second = word(1);
    auto group = std::find_if(groups.begin(), groups.end(), [&](const route_group& g) {
        return g.first == first && g.second == second;
    });
    if (group == groups.end()) group = groups.insert(groups.end(), route_group{first, second, {}});
    group->routes.push_back(routes_.size());
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

void router::add_write(std::string method, std::string pattern, write_handler write,
                       preparing prepare) {
    handler in_a_row = [write](const request& req, const route_params& params, context& ctx) {
        auto job = write(req, params, ctx);
        if (!job.transact) return job.answer(ctx);
        try {
            ctx.app.db.wait_durable(job.transact());
        } catch (...) {
            if (!job.failed) throw;
            return job.failed(std::current_exception());
        }
        return job.answer(ctx);
    };
    route r{std::move(method), std::move(pattern), std::move(in_a_row), lane::writes};
    r.write = std::move(write);
    r.prepare = prepare;
    add_route(std::move(r));
}

route_match router::find(std::string_view method, std::string_view path) const {
    if (method == "HEAD") method = "GET";
    route_match best;
    std::array<std::string_view, max_segments> have;
    std::size_t count = 0;
    if (!split_path(path, have, count)) return best;
    // Only the routes of as many segments whose first two segments are these words (or a
    // parameter) can match; the methods the path takes are gathered only when the method
    // matched none (a 405 or a 404), so a match allocates nothing here.
    const auto& groups = by_length_[count];
    const auto each_candidate = [&](auto&& visit) {
        for (const auto& g : groups) {
            if (!g.first.empty() && (count < 1 || g.first != have[0])) continue;
            if (!g.second.empty() && (count < 2 || g.second != have[1])) continue;
            for (const auto i : g.routes)
                visit(i);
        }
    };
    std::optional<std::size_t> best_score;
    std::optional<std::size_t> path_score;
    each_candidate([&](std::size_t i) {
        const auto& r = routes_[i];
        const auto s = score(r, have, count);
        if (!s) return;
        if (!path_score || *s > *path_score) path_score = s;
        // The earliest route added wins among equally specific ones.
        if (r.method == method &&
            (!best_score || *s > *best_score || (*s == *best_score && i < best.index))) {
            best_score = s;
            best.found = &r;
            best.index = i;
        }
    });
    // A less specific template that takes the method is not a match for a more specific path.
    if (best.found && best_score != path_score) best.found = nullptr;
    if (!best.found) {
        if (!path_score) return best; // nothing at this path: 404
        std::vector<std::size_t> matching;
        each_candidate([&](std::size_t i) {
            if (score(routes_[i], have, count) == path_score) matching.push_back(i);
        });
        std::sort(matching.begin(), matching.end());
        for (const auto i : matching) {
            best.allowed.push_back(routes_[i].method);
            if (routes_[i].method == "GET") best.allowed.push_back("HEAD");
        }
        return best;
    }
    for (std::size_t i = 0; i < count; ++i) {
        const auto& want = best.found->segments[i];
        if (want.is_param())
            best.params.add(want.param,
                            std::string(have[i].substr(0, have[i].size() - want.suffix.size())));
    }
    return best;
}
} // namespace rencontres::http
