#pragma once

#include "domain/common/result.hpp"
#include "domain/events/model.hpp"
#include "domain/registrations/model.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace rencontres {

class events_repository {
public:
    virtual ~events_repository() = default;
    // conflict when the slug is taken; organizer_ids are stored too.
    virtual result<event> insert(const event& draft) = 0;
    virtual void update(const event& changed) = 0; // not the organizers
    virtual std::optional<event> find(id_t id) = 0;
    // Asks at once for what find(id) and questions(id) will read, where each read costs a round
    // trip (PostgreSQL); elsewhere it does nothing. See registrations_repository::read_ahead.
    virtual void read_ahead(id_t id) = 0;
    virtual std::optional<event> find_by_slug(std::string_view slug) = 0;
    virtual bool slug_taken(std::string_view slug) = 0;
    virtual event_page list(const event_filter& filter) = 0;
    virtual void remove(id_t id) = 0; // with its sessions
    virtual void add_organizer(id_t event_id, id_t account_id) = 0;
    virtual void remove_organizer(id_t event_id, id_t account_id) = 0;
    virtual bool territory_exists(id_t territory_id) = 0;
    // The questions the event asks, in display order.
    virtual std::vector<question> questions(id_t event_id) = 0;
    virtual void replace_questions(id_t event_id, const std::vector<question>& questions) = 0;
    // When the announcements of the event sent since `since` were sent, oldest first (the limit
    // per day), and a new one.
    virtual std::vector<instant> announcements_since(id_t event_id, instant since) = 0;
    virtual void record_announcement(const announcement& a) = 0;
    // Events whose only organizer is the account.
    virtual std::vector<event> solely_organized_by(id_t account_id) = 0;
    // The ids of the events the account organizes, alone or not, ascending.
    virtual std::vector<id_t> organized_by(id_t account_id) = 0;
};

} // namespace rencontres
