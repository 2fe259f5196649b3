#include "server/notify/outbox_worker.hpp"

#include <spdlog/spdlog.h>

namespace rencontres::notify {

outbox_worker::outbox_worker(notification_service& service, message_sink& sink, clock& time,
                             std::chrono::milliseconds interval)
    : service_(service), sink_(sink), time_(time), interval_(interval), thread_([this] { run(); }) {
}

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
            int n = 0;
            while ((n = service_.deliver_due(sink_, time_.now(), 500)) == 500 && !stopping_) {
            }
        } catch (const std::exception& e) {
            spdlog::warn("outbox: delivery failed, will retry: {}", e.what());
        }
        lock.lock();
        wake_.wait_for(lock, interval_, [&] { return stopping_; });
    }
}

} // namespace rencontres::notify
