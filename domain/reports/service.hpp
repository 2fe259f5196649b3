#pragma once

#include "domain/agenda/observer.hpp"
#include "domain/common/actor.hpp"
#include "domain/common/result.hpp"
#include "domain/events/model.hpp"
#include "domain/reports/model.hpp"

#include <string_view>

namespace rencontres {

class store;

struct shown_report {
    rencontres::report report;
    rencontres::event event;
};

class report_service {
public:
    report_service(store& db, agenda_observer& observer) : db_(db), observer_(observer) {}
    // Anyone once published; its organizers (and admins) always. 404 before.
    result<shown_report> get_report(const actor& who, std::string_view event_id);
    // Replaces the report (a draft stays a draft; a published one stays published).
    result<shown_report> put_report(const actor& who, std::string_view event_id,
                                    const report_fields& fields, instant now);
    // Only once the event has started (409 before).
    result<shown_report> publish_report(const actor& who, std::string_view event_id, instant now);
    // Published reports with their events, the newest first (the Atom feed).
    std::vector<shown_report> published_reports(int limit);

private:
    store& db_;
    agenda_observer& observer_; // the event's page shows its report
};

} // namespace rencontres
