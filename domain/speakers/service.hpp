#pragma once

#include "domain/agenda/model.hpp"
#include "domain/agenda/observer.hpp"
#include "domain/common/actor.hpp"
#include "domain/common/precondition.hpp"
#include "domain/common/result.hpp"
#include "domain/speakers/model.hpp"

namespace rencontres {

class store;

struct speaker_profile {
    rencontres::speaker speaker;
    std::vector<session> published_sessions; // where they speak, in time order
    std::vector<event> events;               // the events of those sessions
    const event* event_of(const session& s) const;
};

class speaker_service {
public:
    speaker_service(store& db, agenda_observer& observer) : db_(db), observer_(observer) {}

    result<speaker> create_speaker(const actor& who, const speaker_fields& fields, instant now);
    result<speaker> update_speaker(const actor& who, id_t id, const speaker_fields& fields,
                                   const precondition<speaker>& expected, instant now);
    result<void> delete_speaker(const actor& who, id_t id, instant now);
    result<speaker_profile> get_speaker(id_t id);
    result<page<speaker>> list_speakers(const std::optional<std::string>& q,
                                        const page_request& request);

private:
    store& db_;
    agenda_observer& observer_;
};

} // namespace rencontres
