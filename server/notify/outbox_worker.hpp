// Delivers in the background: every poll interval, a round hands what is due to its sink (the
// outbox to the mail server or the log, webhook deliveries to their receivers) and records the
// outcome. Messages survive restarts in the database; a crash between handing a message over and
// recording it can deliver it twice, never zero times.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace rencontres::notify {

class outbox_worker {
public:
    // `round` delivers up to a batch and returns how many it handed over; a full batch is
    // followed at once by another.
    outbox_worker(std::string name, std::function<int()> round, int batch,
                  std::chrono::milliseconds interval);
    ~outbox_worker(); // stops and joins
    void stop();

private:
    void run();
    std::string name_;
    std::function<int()> round_;
    int batch_;
    std::chrono::milliseconds interval_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace rencontres::notify
