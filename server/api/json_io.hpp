// Decoding requests and encoding responses, shared by every endpoint group.
#pragma once

#include "domain/common/ids.hpp"
#include "domain/common/precondition.hpp"
#include "domain/events/model.hpp"
#include "server/transport/message.hpp"
#include "server/transport/problem.hpp"
#include "server/transport/router.hpp"

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace rencontres::http {

// Whether a JSON text names the same key twice in one object (a 400: parsers disagree on it).
bool has_duplicate_keys(std::string_view json);

class context;
class api_document;

// --- decoding: each throws problem_exception with the right status --------------------------

// The JSON object of the body, checked against components/schemas/<schema> of the OpenAPI
// document: 415 unless application/json, 400 when malformed (or nested deeper than 64 levels,
// or not UTF-8), 422 with field errors when it breaks the schema (unknown fields included).
boost::json::object read_body(const request& req, context& ctx, std::string_view schema);
// The same for a body that replaces a list: `{"items": [...]}`, or the bare list, read as such.
boost::json::object read_list_body(const request& req, context& ctx, std::string_view schema);
// The same against a given document (what read_body does with the application's).
boost::json::object decode_body(const request& req, const api_document& api,
                                std::string_view schema);

std::optional<std::string> string_field(const boost::json::object& body, std::string_view key);
// Absent: nullopt; null: an empty inner optional; a string: that string.
std::optional<std::optional<std::string>> nullable_string_field(const boost::json::object& body,
                                                                std::string_view key);

// A JSON integer as a long long, saturated (never wrapped) when it is larger; nullopt for any
// other value. Domain checks then range-check the long long before anything narrows it.
std::optional<long long> saturated_integer(const boost::json::value& v);
std::optional<std::optional<long long>> nullable_integer_field(const boost::json::object& body,
                                                               std::string_view key);
std::optional<std::vector<std::string>> string_array_field(const boost::json::object& body,
                                                           std::string_view key);

// `limit` (1..200, default 50) and `cursor`; 400 when either is malformed.
page_request read_page(const request& req);
int read_limit(const request& req);
[[noreturn]] void bad_query(std::string detail);
// The cursor of a page of events, "<start in Unix seconds>_<id>" (negative before 1970), and back.
std::string event_cursor_text(const event_cursor& c);
std::optional<event_cursor> parse_event_cursor(std::string_view text);
// An id from the path; 404 when it cannot be one (nothing is there).
id_t path_id(const route_params& params, std::string_view name);
// A query parameter that must be an id when present; 400 otherwise.
std::optional<id_t> query_id(const request& req, std::string_view name);

// The value of a domain result, or the problem its error maps to.
template <class T> T unwrap(result<T> r) {
    if (!r) throw problem_exception(problem_from(r.error()));
    return std::move(r).value();
}
inline void unwrap(result<void> r) {
    if (!r) throw problem_exception(problem_from(r.error()));
}

// --- encoding --------------------------------------------------------------------------------

response json_response(int status, const boost::json::value& body);
// A single resource: a strong ETag from its bytes; 304 when If-None-Match names it.
response resource_response(const request& req, int status, const boost::json::value& body);
response no_content();
// Sets a strong ETag from the body; 304 without a body when If-None-Match names it.
response with_etag(const request& req, response r);
boost::json::object page_json(boost::json::array items, const std::optional<id_t>& next_after);

std::string etag_of(std::string_view bytes);

// The If-Match header as a precondition on the current state of a resource (rendered with
// `render`); empty when the request has no If-Match.
template <class T, class Render> precondition<T> if_match(const request& req, const Render& render);

bool etag_listed(std::string_view header, std::string_view etag, bool weak_compare);

template <class T, class Render>
precondition<T> if_match(const request& req, const Render& render) {
    const auto header = req.header_value("If-Match");
    if (!header) return {};
    return [expected = std::string(*header), render](const T& current) {
        return etag_listed(expected, etag_of(boost::json::serialize(render(current))), false);
    };
}

} // namespace rencontres::http
