// Log set-up and the access log. Only server/ logs; the domain never does.
#pragma once

#include <string>
#include <string_view>

namespace rencontres::http {

// format: "text" or "json" (one JSON object per line); level: trace..error.
void configure_logging(const std::string& format, const std::string& level);

struct access_record {
    std::string_view method;
    std::string_view target;
    int status = 0;
    std::size_t bytes = 0;
    double duration_ms = 0;
    std::string_view request_id;
    std::string_view client = "-"; // the client address throttles use (see client_address.hpp)
};

void log_access(const access_record& record);
// Writes out what the loggers hold (at shutdown).
void flush_logs();

// The target with the values of secret-bearing query parameters replaced. Names are compared
// once percent-decoded and case-folded (`?%6Bey=`, `?KEY=` are `key`), so no spelling of a feed
// key, manage token or verification token reaches the log.
std::string redact_target(std::string_view target);

} // namespace rencontres::http
