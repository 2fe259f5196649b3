#include "server/api/json_io.hpp"

#include "server/api/openapi.hpp"
#include "server/transport/context.hpp"
#include "server/transport/problem.hpp"

#include <algorithm>
#include <boost/json/basic_parser_impl.hpp>
#include <charconv>
#include <cstdio>
#include <limits>

namespace rencontres::http {

std::string event_cursor_text(const event_cursor& c) {
    return std::to_string(c.starts_at.time_since_epoch().count()) + "_" + id_text(c.id);
}

std::optional<event_cursor> parse_event_cursor(std::string_view text) {
    const auto sep = text.find('_');
    if (sep == std::string_view::npos) return std::nullopt;
    const auto id = parse_id(text.substr(sep + 1));
    long long key = 0;
    const auto digits = text.substr(0, sep);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), key);
    if (!id || digits.empty() || ec != std::errc{} || end != digits.data() + digits.size())
        return std::nullopt;
    return event_cursor{instant{std::chrono::seconds{key}}, *id};
}
namespace {

constexpr int max_json_depth = 64;

[[noreturn]] void reject(int status, std::string detail) {
    throw problem_exception(problem(status, std::move(detail)));
}

std::string trim_spaces(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return std::string(text);
}

// Boost.JSON keeps the last of duplicated keys; another parser may keep the first, so a body with
// both is ambiguous and refused. A second, allocation-light pass with a handler that only
// remembers each open object's keys finds them.
struct duplicate_key_finder {
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);
    std::vector<std::vector<std::string>> open;
    std::string key;
    bool duplicate = false;

    bool on_document_begin(boost::system::error_code&) { return true; }
    bool on_document_end(boost::system::error_code&) { return true; }
    bool on_object_begin(boost::system::error_code&) {
        open.emplace_back();
        return true;
    }
    bool on_object_end(std::size_t, boost::system::error_code&) {
        open.pop_back();
        return true;
    }
    bool on_array_begin(boost::system::error_code&) { return true; }
    bool on_array_end(std::size_t, boost::system::error_code&) { return true; }
    bool on_key_part(boost::json::string_view part, std::size_t, boost::system::error_code&) {
        key.append(part.data(), part.size());
        return true;
    }
    bool on_key(boost::json::string_view part, std::size_t, boost::system::error_code& ec) {
        key.append(part.data(), part.size());
        auto& keys = open.back();
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
            duplicate = true;
            ec = boost::json::error::syntax; // stops the pass
            return false;
        }
        keys.push_back(std::move(key));
        key.clear();
        return true;
    }
    bool on_string_part(boost::json::string_view, std::size_t, boost::system::error_code&) {
        return true;
    }
    bool on_string(boost::json::string_view, std::size_t, boost::system::error_code&) {
        return true;
    }
    bool on_number_part(boost::json::string_view, boost::system::error_code&) { return true; }
    bool on_int64(std::int64_t, boost::json::string_view, boost::system::error_code&) {
        return true;
    }
    bool on_uint64(std::uint64_t, boost::json::string_view, boost::system::error_code&) {
        return true;
    }
    bool on_double(double, boost::json::string_view, boost::system::error_code&) { return true; }
    bool on_bool(bool, boost::system::error_code&) { return true; }
    bool on_null(boost::system::error_code&) { return true; }
    bool on_comment_part(boost::json::string_view, boost::system::error_code&) { return true; }
    bool on_comment(boost::json::string_view, boost::system::error_code&) { return true; }
};

} // namespace

bool has_duplicate_keys(std::string_view json) {
    boost::json::parse_options options;
    options.max_depth = max_json_depth;
    boost::json::basic_parser<duplicate_key_finder> parser(options);
    boost::system::error_code ec;
    parser.write_some(false, json.data(), json.size(), ec);
    return parser.handler().duplicate;
}

namespace {

boost::json::object decode(const request& req, const api_document& api, std::string_view schema,
                           bool list) {
    const auto type = req.header_value("Content-Type");
    const auto media = type ? trim_spaces(type->substr(0, type->find(';'))) : std::string();
    if (!iequals(media, "application/json")) reject(415, "The body must be application/json.");
    boost::json::parse_options options;
    options.max_depth = max_json_depth;
    boost::system::error_code ec;
    auto value = boost::json::parse(req.body, ec, {}, options);
    if (ec) reject(400, "The body is not valid JSON.");
    if (has_duplicate_keys(req.body)) reject(400, "The body names the same key twice.");
    if (list && value.is_array()) value = boost::json::object{{"items", std::move(value)}};
    if (!value.is_object()) reject(400, "The body must be a JSON object.");
    if (auto errors = api.validate(schema, value); !errors.empty())
        throw problem_exception(problem(422, "The request is not valid.", errors));
    return std::move(value.as_object());
}

} // namespace

boost::json::object decode_body(const request& req, const api_document& api,
                                std::string_view schema) {
    return decode(req, api, schema, false);
}

boost::json::object read_body(const request& req, context& ctx, std::string_view schema) {
    return decode(req, ctx.app.api, schema, false);
}

boost::json::object read_list_body(const request& req, context& ctx, std::string_view schema) {
    return decode(req, ctx.app.api, schema, true);
}

std::optional<std::string> string_field(const boost::json::object& body, std::string_view key) {
    const auto* v = body.if_contains(key);
    if (!v || !v->is_string()) return std::nullopt;
    return std::string(v->as_string());
}

std::optional<std::optional<std::string>> nullable_string_field(const boost::json::object& body,
                                                                std::string_view key) {
    const auto* v = body.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_null()) return std::optional<std::string>{};
    return std::optional<std::string>{std::string(v->as_string())};
}

std::optional<long long> saturated_integer(const boost::json::value& v) {
    if (v.is_int64()) return v.as_int64();
    if (v.is_uint64())
        return static_cast<long long>(
            std::min<std::uint64_t>(v.as_uint64(), std::numeric_limits<long long>::max()));
    return std::nullopt;
}

std::optional<std::optional<long long>> nullable_integer_field(const boost::json::object& body,
                                                               std::string_view key) {
    const auto* v = body.if_contains(key);
    if (!v) return std::nullopt;
    return saturated_integer(*v);
}

std::optional<std::vector<std::string>> string_array_field(const boost::json::object& body,
                                                           std::string_view key) {
    const auto* v = body.if_contains(key);
    if (!v || !v->is_array()) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& item : v->as_array())
        if (item.is_string()) out.emplace_back(item.as_string());
    return out;
}

void bad_query(std::string detail) {
    reject(400, std::move(detail));
}

int read_limit(const request& req) {
    const auto limit = req.query_value("limit");
    if (!limit) return 50;
    const auto parsed = parse_id(*limit);
    if (!parsed || *parsed > 200) reject(400, "limit must be a whole number from 1 to 200.");
    return static_cast<int>(*parsed);
}

page_request read_page(const request& req) {
    page_request page;
    page.limit = read_limit(req);
    if (const auto cursor = req.query_value("cursor")) {
        const auto parsed = parse_id(*cursor);
        if (!parsed) reject(400, "cursor is not one this server gave.");
        page.after = parsed;
    }
    return page;
}

id_t path_id(const route_params& params, std::string_view name) {
    const auto parsed = parse_id(params.get(name));
    if (!parsed) throw problem_exception(problem(404, "Nothing is there."));
    return *parsed;
}

std::optional<id_t> query_id(const request& req, std::string_view name) {
    const auto value = req.query_value(name);
    if (!value) return std::nullopt;
    const auto parsed = parse_id(*value);
    if (!parsed) reject(400, std::string(name) + " must be an id.");
    return parsed;
}

response json_response(int status, const boost::json::value& body) {
    response r;
    r.status = status;
    r.set("Content-Type", "application/json; charset=utf-8");
    r.body = boost::json::serialize(body);
    return r;
}

std::string etag_of(std::string_view bytes) {
    // FNV-1a, 64 bits: cheap, and enough to tell representations apart.
    std::uint64_t hash = 14695981039346656037ull;
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "\"%016llx\"", static_cast<unsigned long long>(hash));
    return buffer;
}

bool etag_listed(std::string_view header, std::string_view etag, bool weak_compare) {
    std::size_t start = 0;
    while (start <= header.size()) {
        const auto comma = header.find(',', start);
        auto item = trim_spaces(header.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (item == "*") return true;
        if (weak_compare && item.rfind("W/", 0) == 0) item = item.substr(2);
        if (item == etag) return true;
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return false;
}

response resource_response(const request& req, int status, const boost::json::value& body) {
    return with_etag(req, json_response(status, body));
}

response with_etag(const request& req, response r) {
    const auto tag = etag_of(r.body);
    r.set("ETag", tag);
    if (const auto none_match = req.header_value("If-None-Match");
        none_match && (req.method == "GET" || req.method == "HEAD") &&
        etag_listed(*none_match, tag, true)) {
        r.status = 304;
        r.body.clear();
        std::erase_if(r.headers, [](const header& h) { return iequals(h.name, "Content-Type"); });
    }
    return r;
}

response no_content() {
    response r;
    r.status = 204;
    return r;
}

boost::json::object page_json(boost::json::array items, const std::optional<id_t>& next_after) {
    boost::json::object out;
    out["items"] = std::move(items);
    if (next_after)
        out["next_cursor"] = id_text(*next_after);
    else
        out["next_cursor"] = nullptr;
    return out;
}

} // namespace rencontres::http
