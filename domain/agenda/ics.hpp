// iCalendar (RFC 5545) writing: text escaping, folding at 75 octets without splitting a UTF-8
// character, CRLF line ends, and a VTIMEZONE built from the zone's real transitions.
#pragma once

#include "domain/agenda/model.hpp"
#include "domain/common/time.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace rencontres {

// Escapes a TEXT value: backslash, semicolon, comma and newlines.
std::string ics_escape(std::string_view text);
// Folds one content line (without its CRLF) into lines of at most 75 octets, CRLF-terminated.
std::string ics_fold(std::string_view line);

struct ics_event {
    std::string uid;
    instant stamp{};
    instant starts{};
    instant ends{};
    int sequence = 0;
    std::string summary;
    std::string location;
    std::string description;
    bool cancelled = false;
};

class ics_writer {
public:
    // `zone` is the TZID of every DTSTART/DTEND; its VTIMEZONE covers [from, to].
    ics_writer(std::string_view calendar_name, std::string zone, instant from, instant to);
    void add(const ics_event& e);
    std::string finish();

private:
    void line(std::string_view content);
    std::string zone_;
    std::string out_;
};

// The agenda of an event as a calendar: one VEVENT per session.
std::string agenda_to_ics(const agenda& a);

// A participant's calendar: the event itself, then each session of `a` (the workshops the
// registration holds). `stamp` is the last change of the registration or the event.
std::string registration_to_ics(const agenda& a, id_t registration_id, instant stamp);

} // namespace rencontres
