// Prometheus counters: requests by route template, method and status, and a latency histogram
// by route template, rendered in the text exposition format at /metrics.
//
// Every route has a fixed slot of atomic counters (one per status code and per bucket), so
// counting a request takes no lock and allocates nothing on the hot path.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rencontres::http {

class metrics {
public:
    struct route_label {
        std::string pattern;
        std::string method;
    };
    // One slot per route, in the router's order, plus one for requests no route matched.
    explicit metrics(std::vector<route_label> routes);

    std::size_t unmatched_slot() const { return labels_.size() - 1; }
    void observe(std::size_t slot, int status, double seconds);
    std::string render() const;

private:
    static constexpr std::array<double, 12> bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                   0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
    struct slot {
        std::array<std::atomic<std::uint64_t>, 600> statuses{};
        std::array<std::atomic<std::uint64_t>, bounds.size()> buckets{};
        std::atomic<std::uint64_t> count{0};
        std::atomic<std::uint64_t> sum_microseconds{0};
    };
    std::vector<route_label> labels_;
    std::unique_ptr<slot[]> slots_;
};

} // namespace rencontres::http
