// A transaction that the database undid because another stood in its way (store_conflict: a
// deadlock, a serialization failure) is run again from its start, up to `attempts` times in all,
// after a random pause whose bound doubles each time (1, 2, 4, 8 ms, ...): two transactions that
// met once are then unlikely to meet again. The last conflict goes to the caller (503).
#pragma once

#include "domain/store.hpp"

#include <chrono>
#include <random>
#include <thread>

namespace rencontres::http {

inline constexpr int conflict_attempts = 5;

// The pause before attempt `next` (2, 3, ...): uniform in [0, 2^(next-2)] ms.
inline std::chrono::microseconds conflict_pause(int next) {
    thread_local std::minstd_rand random{std::random_device{}()};
    const int bound_us = 1000 << (next - 2);
    return std::chrono::microseconds{std::uniform_int_distribution<int>(0, bound_us)(random)};
}

template <class Run> auto retrying_conflicts(Run&& run, int attempts = conflict_attempts) {
    for (int attempt = 1;; ++attempt) {
        try {
            return run();
        } catch (const store_conflict&) {
            if (attempt >= attempts) throw;
            std::this_thread::sleep_for(conflict_pause(attempt + 1));
        }
    }
}

} // namespace rencontres::http
