// The default message sink: one JSON object per line appended to a file, synced to disk before
// the message counts as delivered.
#pragma once

#include "domain/notifications/repository.hpp"
#include "server/notify/links.hpp"

#include <mutex>
#include <string>

namespace rencontres::notify {

class file_sink final : public message_sink {
public:
    // Each line holds the links the message carries, as an email would (the file stands for the
    // recipients' mailboxes).
    file_sink(std::string path, link_writer links)
        : path_(std::move(path)), links_(std::move(links)) {}
    std::vector<delivery_report> deliver(const std::vector<outbox_message>& batch) override;

private:
    std::string path_;
    link_writer links_;
    std::mutex mutex_;
};

} // namespace rencontres::notify
