#include "server/notify/smtp_sink.hpp"

#include "domain/agenda/ics.hpp"

#include <algorithm>
#include <cstring>
#include <curl/curl.h>
#include <memory>
#include <mutex>
#include <spdlog/spdlog.h>

namespace rencontres::notify {
namespace {

struct upload {
    const std::string* data;
    std::size_t offset = 0;
};

std::size_t read_chunk(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* u = static_cast<upload*>(user);
    const auto n = std::min(size * count, u->data->size() - u->offset);
    std::memcpy(buffer, u->data->data() + u->offset, n);
    u->offset += n;
    return n;
}

bool deliverable(std::string_view address) {
    const auto at = address.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < address.size() &&
           address.find_first_of("<>\r\n ") == std::string_view::npos;
}

} // namespace

smtp_sink::smtp_sink(smtp_settings settings, notification_service& notifications,
                     reply_sealer& sealer, clock& time)
    : settings_(std::move(settings)), notifications_(notifications),
      links_(settings_.public_base_url, sealer), time_(time) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

mail_extras smtp_sink::extras_for(const outbox_message& m) {
    mail_extras extras;
    auto links = links_.links_for(m);
    extras.link = std::move(links.link);
    extras.report_link = std::move(links.report);
    if (!m.registration_id) return extras;
    // Confirmations and moves carry the calendar, as it stands now.
    if (m.kind == message_kind::registration_confirmed ||
        m.kind == message_kind::waitlist_promoted || m.kind == message_kind::event_changed) {
        if (const auto c = notifications_.calendar_of(*m.registration_id))
            extras.calendar = registration_to_ics(
                c->agenda, c->registration.id,
                std::max(c->registration.updated_at, c->agenda.event.updated_at));
    }
    return extras;
}

std::vector<delivery_report> smtp_sink::deliver(const std::vector<outbox_message>& batch) {
    std::vector<delivery_report> reports;
    const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> handle(curl_easy_init(),
                                                                     &curl_easy_cleanup);
    if (!handle) {
        reports.assign(batch.size(), {delivery_outcome::retry_later, "libcurl did not start"});
        return reports;
    }
    CURL* h = handle.get();
    char error[CURL_ERROR_SIZE];
    bool reachable = true;
    for (const auto& m : batch) {
        if (!reachable) {
            reports.push_back({delivery_outcome::retry_later, "not attempted: the mail server is "
                                                              "unreachable"});
            continue;
        }
        if (!deliverable(m.recipient)) {
            reports.push_back({delivery_outcome::rejected, "no deliverable address"});
            continue;
        }
        const auto message = compose_mail(m, settings_.identity, extras_for(m), time_.now());
        upload body{&message};
        const auto from = bare_address(settings_.identity.from);
        const std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> recipients(
            curl_slist_append(nullptr, m.recipient.c_str()), &curl_slist_free_all);
        error[0] = '\0';
        curl_easy_setopt(h, CURLOPT_URL, settings_.url.c_str());
        curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
        curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
        curl_easy_setopt(h, CURLOPT_READFUNCTION, read_chunk);
        curl_easy_setopt(h, CURLOPT_READDATA, &body);
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(settings_.connect_timeout.count()));
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count()));
        if (settings_.starttls)
            curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
        if (!settings_.username.empty()) {
            curl_easy_setopt(h, CURLOPT_USERNAME, settings_.username.c_str());
            curl_easy_setopt(h, CURLOPT_PASSWORD, settings_.password.c_str());
        }
        const auto rc = curl_easy_perform(h);
        long code = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
        if (rc == CURLE_OK) {
            reports.push_back({delivery_outcome::sent, {}});
            continue;
        }
        auto reason = std::string(error[0] ? error : curl_easy_strerror(rc));
        if (code > 0) reason = std::to_string(code) + ": " + reason;
        if (code >= 500) {
            reports.push_back({delivery_outcome::rejected, reason});
        } else {
            reports.push_back({delivery_outcome::retry_later, reason});
            // No answer at all: the server is down; the others wait for the next round.
            if (code == 0) reachable = false;
        }
        spdlog::warn("outbox: message {} not delivered: {}", m.id, reason);
    }
    return reports;
}

} // namespace rencontres::notify
