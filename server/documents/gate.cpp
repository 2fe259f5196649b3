#include "server/documents/gate.hpp"

#include <algorithm>
#include <mutex>
#include <set>

namespace rencontres::documents {
namespace {

std::mutex drawing_mutex;
std::set<id_t> drawn_events;

} // namespace

std::size_t badge_documents(std::size_t count) {
    return count == 0 ? 1 : (count + badges_per_document - 1) / badges_per_document;
}

bool keep_badge_document(std::vector<badge>& badges, std::size_t page) {
    if (page < 1 || page > badge_documents(badges.size())) return false;
    const auto first = (page - 1) * badges_per_document;
    const auto last = std::min(badges.size(), first + badges_per_document);
    badges = std::vector<badge>(badges.begin() + static_cast<std::ptrdiff_t>(first),
                                badges.begin() + static_cast<std::ptrdiff_t>(last));
    return true;
}

std::optional<drawing> drawing::of_event(id_t event_id) {
    std::lock_guard lock(drawing_mutex);
    if (!drawn_events.insert(event_id).second) return std::nullopt;
    return drawing(event_id);
}

drawing::~drawing() {
    if (event_id_ == 0) return;
    std::lock_guard lock(drawing_mutex);
    drawn_events.erase(event_id_);
}

} // namespace rencontres::documents
