#include "domain/agenda/ics.hpp"

#include "domain/common/zone.hpp"

#include <algorithm>
#include <cstdio>

namespace rencontres {
namespace {

std::string offset_hhmm(int seconds) {
    const char sign = seconds < 0 ? '-' : '+';
    const int magnitude = seconds < 0 ? -seconds : seconds;
    char buffer[16]; // room for any int, although offsets stay within ±14 hours
    std::snprintf(buffer, sizeof buffer, "%c%02d%02d", sign, magnitude / 3600,
                  (magnitude % 3600) / 60);
    return buffer;
}

std::string utc_ics(instant at) {
    // "2018-12-11T08:30:00Z" -> "20181211T083000Z"
    std::string text = format_utc(at);
    std::erase(text, '-');
    std::erase(text, ':');
    return text;
}

} // namespace

std::string ics_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case ';':
            out += "\\;";
            break;
        case ',':
            out += "\\,";
            break;
        case '\r':
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
            out += "\\n";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out.push_back(c);
        }
    }
    return out;
}

std::string ics_fold(std::string_view line) {
    std::string out;
    std::size_t limit = 75; // the first line; continuation lines start with a space
    while (line.size() > limit) {
        std::size_t cut = limit;
        // Never split a UTF-8 sequence: back up over continuation bytes (10xxxxxx).
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
            --cut;
        if (cut == 0) cut = limit; // not UTF-8 at all: any cut is as good, but one must be made
        out.append(line.substr(0, cut));
        out += "\r\n ";
        line.remove_prefix(cut);
        limit = 74;
    }
    out.append(line);
    out += "\r\n";
    return out;
}

ics_writer::ics_writer(std::string_view calendar_name, std::string zone, instant from, instant to)
    : zone_(std::move(zone)) {
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Rencontres//Agenda//FR");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line("X-WR-CALNAME:" + ics_escape(calendar_name));
    line("X-WR-TIMEZONE:" + zone_);
    line("BEGIN:VTIMEZONE");
    line("TZID:" + zone_);
    const instant earliest{std::chrono::seconds{0}};
    for (const auto& p : zone_periods(zone_, from, to)) {
        const auto kind = p.daylight ? "DAYLIGHT" : "STANDARD";
        line(std::string("BEGIN:") + kind);
        const instant begins = std::max(p.begins, earliest);
        // DTSTART is the local time at which the period begins, in the offset before it.
        const auto local = begins + std::chrono::seconds{p.offset_before_seconds};
        std::string stamp = utc_ics(local);
        stamp.pop_back(); // no 'Z': a local time
        line("DTSTART:" + stamp);
        line("TZOFFSETFROM:" + offset_hhmm(p.offset_before_seconds));
        line("TZOFFSETTO:" + offset_hhmm(p.offset_seconds));
        if (!p.abbreviation.empty()) line("TZNAME:" + ics_escape(p.abbreviation));
        line(std::string("END:") + kind);
    }
    line("END:VTIMEZONE");
}

void ics_writer::line(std::string_view content) {
    out_ += ics_fold(content);
}

void ics_writer::add(const ics_event& e) {
    line("BEGIN:VEVENT");
    line("UID:" + e.uid);
    line("DTSTAMP:" + utc_ics(e.stamp));
    line("DTSTART;TZID=" + zone_ + ":" + local_ics_time(e.starts, zone_));
    line("DTEND;TZID=" + zone_ + ":" + local_ics_time(e.ends, zone_));
    line("SEQUENCE:" + std::to_string(e.sequence));
    line("SUMMARY:" + ics_escape(e.summary));
    if (!e.location.empty()) line("LOCATION:" + ics_escape(e.location));
    if (!e.description.empty()) line("DESCRIPTION:" + ics_escape(e.description));
    line(e.cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
    line("END:VEVENT");
}

std::string ics_writer::finish() {
    line("END:VCALENDAR");
    return std::move(out_);
}

namespace {

ics_writer writer_for(const agenda& a) {
    const auto& ev = a.event;
    instant from = ev.starts_at.value_or(instant{});
    instant to = ev.ends_at.value_or(from);
    for (const auto& s : a.sessions) {
        from = std::min(from, s.starts_at);
        to = std::max(to, s.ends_at);
    }
    return ics_writer(ev.title, ev.timezone, from - std::chrono::hours{24},
                      to + std::chrono::hours{24});
}

std::string venue_of(const event& ev) {
    std::string venue;
    for (const auto* part : {&ev.venue.name, &ev.venue.address}) {
        if (part->empty() || venue.find(*part) != std::string::npos) continue;
        venue += (venue.empty() ? "" : ", ") + *part;
    }
    const auto city =
        ev.venue.postal_code.empty() ? ev.venue.city : ev.venue.postal_code + " " + ev.venue.city;
    if (!city.empty() && city != " ") venue += (venue.empty() ? "" : ", ") + city;
    return venue;
}

} // namespace

std::string agenda_to_ics(const agenda& a) {
    const auto& ev = a.event;
    auto writer = writer_for(a);
    const auto venue = venue_of(ev);
    for (const auto& s : a.sessions) {
        std::string description = s.abstract.value_or("");
        std::string names;
        for (const auto id : s.speaker_ids) {
            if (const auto* sp = a.find_speaker(id)) {
                std::string who = sp->full_name;
                if (sp->title) who += ", " + *sp->title;
                if (sp->organization) who += " (" + *sp->organization + ")";
                names += (names.empty() ? "" : "; ") + who;
            }
        }
        if (!names.empty())
            description +=
                (description.empty() ? "" : "\n\n") + std::string("Intervenants : ") + names;
        writer.add({"session-" + id_text(s.id) + "-event-" + id_text(ev.id) + "@rencontres",
                    std::max(s.updated_at, ev.updated_at), s.starts_at, s.ends_at,
                    s.sequence + ev.revision, s.title,
                    s.room ? *s.room + (venue.empty() ? "" : ", " + venue) : venue, description,
                    ev.status == event_status::cancelled});
    }
    return writer.finish();
}

std::string registration_to_ics(const agenda& a, id_t registration_id, instant stamp) {
    const auto& ev = a.event;
    auto writer = writer_for(a);
    const auto venue = venue_of(ev);
    const bool cancelled = ev.status == event_status::cancelled;
    const auto suffix = "-registration-" + id_text(registration_id) + "@rencontres";
    if (ev.starts_at && ev.ends_at)
        writer.add({"event-" + id_text(ev.id) + suffix, stamp, *ev.starts_at, *ev.ends_at,
                    ev.revision, ev.title, venue, ev.summary, cancelled});
    for (const auto& s : a.sessions)
        writer.add({"session-" + id_text(s.id) + suffix, stamp, s.starts_at, s.ends_at,
                    s.sequence + ev.revision, s.title,
                    s.room ? *s.room + (venue.empty() ? "" : ", " + venue) : venue,
                    s.abstract.value_or(""), cancelled});
    return writer.finish();
}

} // namespace rencontres
