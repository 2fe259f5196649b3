// Delivers the outbox in the background: every poll interval, due messages go to the sink and
// are marked delivered. Messages survive restarts in the database; a crash between handing a
// message over and marking it can deliver it twice, never zero times.
#pragma once

#include "domain/notifications/service.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace rencontres::notify {

class outbox_worker {
public:
    outbox_worker(notification_service& service, message_sink& sink, clock& time,
                  std::chrono::milliseconds interval);
    ~outbox_worker(); // stops and joins
    void stop();

private:
    void run();
    notification_service& service_;
    message_sink& sink_;
    clock& time_;
    std::chrono::milliseconds interval_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace rencontres::notify
