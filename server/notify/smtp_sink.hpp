// Delivery by email over SMTP, with libcurl: smtp:// with STARTTLS required (or none, for a
// relay on the same host), smtps://, optional authentication. One connection for a batch, one
// transaction per message. A 4xx answer, a timeout or no connection is temporary (retried with
// backoff); a 5xx answer is permanent (the message is failed with the server's words).
#pragma once

#include "domain/notifications/repository.hpp"
#include "domain/notifications/service.hpp"
#include "domain/registrations/repository.hpp"
#include "server/notify/links.hpp"
#include "server/notify/mail.hpp"

#include <chrono>
#include <string>

namespace rencontres::notify {

struct smtp_settings {
    std::string url;
    bool starttls = true;
    mail_identity identity;
    std::string username;
    std::string password;
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds timeout{30'000};
    std::string public_base_url; // links to the participant's page start with it
};

class smtp_sink final : public message_sink {
public:
    smtp_sink(smtp_settings settings, notification_service& notifications, reply_sealer& sealer,
              clock& time);
    std::vector<delivery_report> deliver(const std::vector<outbox_message>& batch) override;

private:
    mail_extras extras_for(const outbox_message& m);

    smtp_settings settings_;
    notification_service& notifications_;
    link_writer links_;
    clock& time_;
};

} // namespace rencontres::notify
