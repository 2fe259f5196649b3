#include "server/notify/outbox_worker.hpp"

#include <spdlog/spdlog.h>

namespace rencontres::notify {

outbox_worker::outbox_worker(std::string name, std::function<int()> round, int batch,
                             std::chrono::milliseconds interval)
    : name_(std::move(name)), round_(std::move(round)), batch_(batch), interval_(interval),
      thread_([this] { run(); }) {}

outbox_worker::~outbox_worker() {
    stop();
}

void outbox_worker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void outbox_worker::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            // Drain a backlog without waiting between full batches.
            while (round_() >= batch_ && !stopping_) {
            }
        } catch (const std::exception& e) {
            spdlog::warn("{}: delivery failed, will retry: {}", name_, e.what());
        }
        lock.lock();
        wake_.wait_for(lock, interval_, [&] { return stopping_; });
    }
}

} // namespace rencontres::notify
