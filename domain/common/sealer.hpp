#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rencontres {

// Seals what must be kept but never stored in clear: replies kept for idempotency (they hold
// one-time tokens), the manage token behind a participant's link, the credential of a message,
// a webhook's signing secret. Only the server's key opens them.
class reply_sealer {
public:
    virtual ~reply_sealer() = default;
    virtual std::string seal(std::string_view plain) = 0;
    virtual std::optional<std::string> open(std::string_view sealed) = 0;
};

} // namespace rencontres
