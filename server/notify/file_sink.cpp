#include "server/notify/file_sink.hpp"

#include <boost/json.hpp>
#include <fcntl.h>
#include <unistd.h>

namespace rencontres::notify {

// The whole batch in one write and one fsync: all sent, or all tried again later.
std::vector<delivery_report> file_sink::deliver(const std::vector<outbox_message>& batch) {
    std::string text;
    for (const auto& m : batch) {
        boost::json::object line{
            {"id", id_text(m.id)},      {"kind", to_string(m.kind)},
            {"recipient", m.recipient}, {"subject", m.subject},
            {"body", m.body},           {"created_at", format_utc(m.created_at)}};
        const auto links = links_.links_for(m);
        if (links.link) line["link"] = *links.link;
        if (links.report) line["report_link"] = *links.report;
        text += boost::json::serialize(line) + "\n";
    }
    std::lock_guard lock(mutex_);
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    bool synced = false;
    if (fd >= 0) {
        const bool written =
            ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
        synced = written && ::fsync(fd) == 0;
        ::close(fd);
    }
    return std::vector<delivery_report>(
        batch.size(), synced ? delivery_report{delivery_outcome::sent, {}}
                             : delivery_report{delivery_outcome::retry_later,
                                               "the outbox log could not be written"});
}

} // namespace rencontres::notify
