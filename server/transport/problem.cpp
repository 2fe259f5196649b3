#include "server/transport/problem.hpp"

#include <boost/json.hpp>

namespace rencontres::http {
namespace {

const char* title_of(int status) {
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Internal Server Error";
    }
}

} // namespace

int status_of(errc code) {
    switch (code) {
    case errc::invalid:
        return 422;
    case errc::not_found:
        return 404;
    case errc::conflict:
        return 409;
    case errc::forbidden:
        return 403;
    case errc::unauthenticated:
        return 401;
    case errc::rate_limited:
        return 429;
    case errc::precondition_failed:
        return 412;
    case errc::unavailable:
        return 503;
    }
    return 500;
}

namespace {

// The problem document, with the conflicting ids when there are some; serialized once.
response make_problem(int status, std::string detail, const std::vector<field_error>& fields,
                      const std::vector<std::string>& conflicts, std::string_view code = {}) {
    boost::json::object body;
    body["type"] = "about:blank";
    body["title"] = title_of(status);
    body["status"] = status;
    body["detail"] = std::move(detail);
    // A validation failure is named by its first field error's rule, the one a client acts on.
    if (!fields.empty()) code = name_of(fields.front().broken);
    if (!code.empty()) body["code"] = code;
    if (!fields.empty()) {
        boost::json::array errors;
        for (const auto& f : fields)
            errors.push_back(
                {{"field", f.field}, {"code", name_of(f.broken)}, {"message", f.message}});
        body["errors"] = std::move(errors);
    }
    if (!conflicts.empty()) {
        boost::json::array ids;
        for (const auto& id : conflicts)
            ids.push_back(boost::json::string(id));
        body["conflicts"] = std::move(ids);
    }
    response r;
    r.status = status;
    r.set("Content-Type", "application/problem+json");
    if (status == 401) r.set("WWW-Authenticate", "Bearer");
    r.body = boost::json::serialize(body);
    return r;
}

} // namespace

response problem(int status, std::string detail, const std::vector<field_error>& fields) {
    return make_problem(status, std::move(detail), fields, {});
}

response unavailable(std::string detail, int retry_after_seconds) {
    response r = problem(503, std::move(detail));
    r.set("Retry-After", std::to_string(retry_after_seconds));
    return r;
}

response problem_from(const domain_error& error) {
    response r = make_problem(status_of(error.code), error.message, error.fields, error.conflicts,
                              name_of(error.broken));
    if (error.retry_after_seconds) r.set("Retry-After", std::to_string(*error.retry_after_seconds));
    return r;
}

} // namespace rencontres::http
