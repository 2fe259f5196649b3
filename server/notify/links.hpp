// The links a message carries, written when it is delivered from the credentials kept sealed
// beside it: the stored message never holds a usable link.
#pragma once

#include "domain/common/sealer.hpp"
#include "domain/notifications/model.hpp"

#include <optional>
#include <string>

namespace rencontres::notify {

struct message_links {
    std::optional<std::string> link;   // the participant's page, or the message's own credential
    std::optional<std::string> report; // "this registration is not mine": cancels and suppresses
};

class link_writer {
public:
    link_writer(std::string public_base_url, reply_sealer& sealer)
        : base_(std::move(public_base_url)), sealer_(sealer) {}
    message_links links_for(const outbox_message& m) const;

private:
    std::string base_;
    reply_sealer& sealer_;
};

} // namespace rencontres::notify
