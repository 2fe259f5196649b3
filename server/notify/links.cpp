#include "server/notify/links.hpp"

namespace rencontres::notify {

message_links link_writer::links_for(const outbox_message& m) const {
    message_links out;
    if (m.sealed_token) {
        const auto path = credential_link_path(m.kind);
        if (const auto token = sealer_.open(*m.sealed_token); token && path)
            out.link = base_ + std::string(*path) + *token;
        return out;
    }
    if (m.registration_id && m.sealed_link) {
        if (const auto token = sealer_.open(*m.sealed_link)) {
            const auto page = base_ + "/inscriptions/" + id_text(*m.registration_id);
            out.link = page + "?t=" + *token;
            out.report = page + "/signalement?t=" + *token;
        }
    }
    return out;
}

} // namespace rencontres::notify
