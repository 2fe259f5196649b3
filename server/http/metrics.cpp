#include "server/http/metrics.hpp"

#include <cstdio>

namespace rencontres::http {
namespace {

std::string label(const std::string& value) {
    std::string out;
    for (const char c : value) {
        if (c == '\\' || c == '"') out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    return out;
}

std::string number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

} // namespace

void metrics::observe(const std::string& route, const std::string& method, int status,
                      double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, method, status}];
    auto& h = latency_[route];
    for (std::size_t i = 0; i < bounds.size(); ++i)
        if (seconds <= bounds[i]) ++h.buckets[i];
    ++h.count;
    h.sum += seconds;
}

std::string metrics::render() const {
    std::lock_guard lock(mutex_);
    std::string out;
    out += "# HELP rencontres_http_requests_total HTTP requests by route template, method and "
           "status.\n# TYPE rencontres_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
        const auto& [route, method, status] = key;
        out += "rencontres_http_requests_total{route=\"" + label(route) + "\",method=\"" +
               label(method) + "\",status=\"" + std::to_string(status) + "\"} " +
               std::to_string(count) + "\n";
    }
    out += "# HELP rencontres_http_request_duration_seconds Time from a complete request to its "
           "response.\n# TYPE rencontres_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
        const auto prefix = "rencontres_http_request_duration_seconds";
        for (std::size_t i = 0; i < bounds.size(); ++i)
            out += std::string(prefix) + "_bucket{route=\"" + label(route) + "\",le=\"" +
                   number(bounds[i]) + "\"} " + std::to_string(h.buckets[i]) + "\n";
        out += std::string(prefix) + "_bucket{route=\"" + label(route) + "\",le=\"+Inf\"} " +
               std::to_string(h.count) + "\n";
        out += std::string(prefix) + "_sum{route=\"" + label(route) + "\"} " + number(h.sum) + "\n";
        out += std::string(prefix) + "_count{route=\"" + label(route) + "\"} " +
               std::to_string(h.count) + "\n";
    }
    return out;
}

} // namespace rencontres::http
