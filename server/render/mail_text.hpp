// The words of a message as it leaves: the plain text part (its body, its links, the footer) and
// the footer that both parts end with. The SMTP sink writes them; the console's preview shows
// the same text, so that what an organizer reads before sending is what is sent.
#pragma once

#include "domain/notifications/model.hpp"

#include <optional>
#include <string>

namespace rencontres::render {

// The label of a message's main link ("Voir et gérer mon inscription").
std::string mail_link_text(message_kind kind);

// The last line: the replies go to the organizers when the message names where (its Reply-To),
// else it asks not to reply.
std::string mail_footer(const outbox_message& m);

// The plain text part: the body, then the link, the report link and the calendar's mention when
// there are some, then the footer.
std::string mail_text(const outbox_message& m, const std::optional<std::string>& link,
                      const std::optional<std::string>& report_link, bool calendar);

} // namespace rencontres::render
