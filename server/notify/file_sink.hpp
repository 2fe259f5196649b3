// The default message sink: one JSON object per line appended to a file, synced to disk before
// the message counts as delivered.
#pragma once

#include "domain/notifications/repository.hpp"

#include <mutex>
#include <string>

namespace rencontres::notify {

class file_sink final : public message_sink {
public:
    explicit file_sink(std::string path) : path_(std::move(path)) {}
    std::vector<delivery_report> deliver(const std::vector<outbox_message>& batch) override;

private:
    std::string path_;
    std::mutex mutex_;
};

} // namespace rencontres::notify
