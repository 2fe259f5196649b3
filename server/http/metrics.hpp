// Prometheus counters: requests by route template, method and status, and a latency histogram
// by route template. Rendered in the text exposition format at /metrics.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace rencontres::http {

class metrics {
public:
    void observe(const std::string& route, const std::string& method, int status, double seconds);
    std::string render() const;

private:
    static constexpr std::array<double, 12> bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                   0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
    struct histogram {
        std::array<std::uint64_t, bounds.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
    std::map<std::string, histogram> latency_;
};

} // namespace rencontres::http
