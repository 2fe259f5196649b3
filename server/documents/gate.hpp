// Bounds on drawing documents: one badge sheet of an event at a time (a second request for the
// same event while one is drawn is refused, 429), and at most `badges_per_document` badges in one
// document, the rest on further pages (?page=). The server-wide bound is the documents lane's.
#pragma once

#include "domain/common/ids.hpp"
#include "domain/registrations/model.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace rencontres::documents {

inline constexpr std::size_t badges_per_document = 2000;

// How many documents `count` badges make (one, even empty).
std::size_t badge_documents(std::size_t count);

// Keeps the badges of document `page` (from 1); false, changing nothing, past the last one.
bool keep_badge_document(std::vector<badge>& badges, std::size_t page);

// Held while an event's badges are drawn.
class drawing {
public:
    // The pass, or none when that event's badges are being drawn already.
    static std::optional<drawing> of_event(id_t event_id);
    drawing(drawing&& other) noexcept : event_id_(other.event_id_) { other.event_id_ = 0; }
    drawing& operator=(drawing&&) = delete;
    ~drawing();

private:
    explicit drawing(id_t event_id) : event_id_(event_id) {}
    id_t event_id_;
};

} // namespace rencontres::documents
