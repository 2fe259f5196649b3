// Email as RFC 5322 and MIME write it: UTF-8 headers in RFC 2047 encoded words, a Message-ID
// derived from the outbox id (a retried message is recognisably the same one), a plain text
// and an HTML part (multipart/alternative, the HTML from the site's templates), and for
// confirmations a text/calendar part (method PUBLISH) that calendar clients import.
#pragma once

#include "domain/common/time.hpp"
#include "domain/notifications/model.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace rencontres::notify {

struct mail_identity {
    std::string from;     // "Rencontres <rencontres@example.org>"
    std::string reply_to; // "" = none
    std::string domain;   // of the Message-ID
};

struct mail_extras {
    std::optional<std::string> link;        // the participant's page, or the message's credential
    std::optional<std::string> report_link; // "not my registration": cancel it, no more mail
    std::optional<std::string> calendar;    // an iCalendar document
};

// "=?UTF-8?B?...?=" words of at most 75 characters, or the text as it is when it is plain ASCII.
std::string encode_header(std::string_view text);
// "Sun, 29 Nov 2026 08:43:00 +0000"
std::string rfc5322_date(instant at);
// The address inside "Name <address>", or the text itself.
std::string bare_address(std::string_view mailbox);

// The whole message, CRLF line ends, ready for the DATA command.
std::string compose_mail(const outbox_message& m, const mail_identity& who,
                         const mail_extras& extras, instant now);

} // namespace rencontres::notify
