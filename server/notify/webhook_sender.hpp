// Webhook deliveries over HTTP with libcurl, signed as the Standard Webhooks specification says:
// headers webhook-id (the delivery's id, the same on every retry), webhook-timestamp (Unix
// seconds of the attempt) and webhook-signature "v1,<base64 of HMAC-SHA256 over
// id.timestamp.body>", keyed by the base64-decoded part of the "whsec_" secret.
//
// Targets that resolve to loopback, private or link-local addresses are refused, at creation (by
// name) and again at connect time (the address actually connected to), so that a name that
// resolves differently later cannot reach inside the network.
#pragma once

#include "domain/registrations/repository.hpp"
#include "domain/webhooks/service.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace rencontres::notify {

// Whether an address (IPv4 or IPv6, as sockaddr) is one a webhook may reach: none that IANA's
// special-purpose registries list as not globally reachable, in any of its forms.
bool public_address(const void* sockaddr_ptr);
// The same for an address in text ("192.0.2.1", "::ffff:10.0.0.1"); false for anything else.
bool public_address_text(const std::string& text);

class network_guard final : public target_guard {
public:
    explicit network_guard(bool allow_private,
                           std::chrono::milliseconds resolve_timeout = std::chrono::seconds{3})
        : allow_private_(allow_private), resolve_timeout_(resolve_timeout) {}
    bool allowed(std::string_view url) override;

private:
    bool allow_private_;
    std::chrono::milliseconds resolve_timeout_;
};

class sodium_secrets final : public secret_source {
public:
    std::string make_secret() override;
};

// "v1,<base64>" for `secret` ("whsec_<base64 key>"); empty for a malformed secret.
std::string standard_webhooks_signature(std::string_view secret, std::string_view id,
                                        long long timestamp, std::string_view body);

// The JSON body of a delivery: {type, timestamp, data}, from the resource as it stands.
using payload_source =
    std::function<std::string(std::string_view type, id_t subject_id, instant now)>;

struct webhook_sender_settings {
    bool allow_private_targets = false;
    std::chrono::milliseconds timeout{10'000};
};

class http_webhook_sender final : public webhook_sender {
public:
    http_webhook_sender(webhook_sender_settings settings, reply_sealer& sealer,
                        payload_source payloads);
    webhook_report send(const due_delivery& d, instant now) override;

private:
    webhook_sender_settings settings_;
    reply_sealer& sealer_;
    payload_source payloads_;
};

} // namespace rencontres::notify
