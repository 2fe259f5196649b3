// RFC 9457 problem+json, and the one function that maps domain error codes to HTTP statuses.
#pragma once

#include "domain/common/result.hpp"
#include "server/transport/message.hpp"

#include <exception>
#include <string>
#include <vector>

namespace rencontres::http {

response problem(int status, std::string detail, const std::vector<field_error>& fields = {});
response problem_from(const domain_error& error);
// 503 with Retry-After: the service cannot do this now, but will soon.
response unavailable(std::string detail, int retry_after_seconds = 1);
int status_of(errc code);

// Thrown by request decoding helpers (bad JSON, wrong content type, bad query) and caught by the
// dispatcher, which sends the response it carries. It never leaves the HTTP layer.
class problem_exception : public std::exception {
public:
    explicit problem_exception(response r) : response_(std::move(r)) {}
    const char* what() const noexcept override { return "request rejected"; }
    const response& get() const { return response_; }

private:
    response response_;
};

} // namespace rencontres::http
