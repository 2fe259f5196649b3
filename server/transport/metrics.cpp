#include "server/transport/metrics.hpp"

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

metrics::metrics(std::vector<route_label> routes) : labels_(std::move(routes)) {
    labels_.push_back({"unmatched", "any"});
    slots_ = std::make_unique<slot[]>(labels_.size());
}

void metrics::observe(std::size_t index, int status, double seconds) {
    auto& s = slots_[index < labels_.size() ? index : labels_.size() - 1];
    if (status >= 100 && status < 600)
        s.statuses[static_cast<std::size_t>(status)].fetch_add(1, std::memory_order_relaxed);
    for (std::size_t i = 0; i < bounds.size(); ++i)
        if (seconds <= bounds[i]) s.buckets[i].fetch_add(1, std::memory_order_relaxed);
    s.count.fetch_add(1, std::memory_order_relaxed);
    s.sum_microseconds.fetch_add(static_cast<std::uint64_t>(seconds * 1e6),
                                 std::memory_order_relaxed);
}

std::string metrics::render() const {
    std::string out;
    out += "# HELP rencontres_http_requests_total HTTP requests by route template, method and "
           "status.\n# TYPE rencontres_http_requests_total counter\n";
    for (std::size_t i = 0; i < labels_.size(); ++i) {
        for (std::size_t status = 100; status < 600; ++status) {
            const auto n = slots_[i].statuses[status].load(std::memory_order_relaxed);
            if (n == 0) continue;
            out += "rencontres_http_requests_total{route=\"" + label(labels_[i].pattern) +
                   "\",method=\"" + label(labels_[i].method) + "\",status=\"" +
                   std::to_string(status) + "\"} " + std::to_string(n) + "\n";
        }
    }
    out += "# HELP rencontres_http_request_duration_seconds Time from a complete request to its "
           "response.\n# TYPE rencontres_http_request_duration_seconds histogram\n";
    const std::string prefix = "rencontres_http_request_duration_seconds";
    for (std::size_t i = 0; i < labels_.size(); ++i) {
        const auto& s = slots_[i];
        const auto count = s.count.load(std::memory_order_relaxed);
        if (count == 0) continue;
        const auto route = "route=\"" + label(labels_[i].pattern) + "\",method=\"" +
                           label(labels_[i].method) + "\"";
        for (std::size_t b = 0; b < bounds.size(); ++b)
            out += prefix + "_bucket{" + route + ",le=\"" + number(bounds[b]) + "\"} " +
                   std::to_string(s.buckets[b].load(std::memory_order_relaxed)) + "\n";
        out += prefix + "_bucket{" + route + ",le=\"+Inf\"} " + std::to_string(count) + "\n";
        out +=
            prefix + "_sum{" + route + "} " +
            number(static_cast<double>(s.sum_microseconds.load(std::memory_order_relaxed)) / 1e6) +
            "\n";
        out += prefix + "_count{" + route + "} " + std::to_string(count) + "\n";
    }
    return out;
}

} // namespace rencontres::http
