// The ICS and CSV writers with arbitrary strings. Each input is cut into fields at 0x00 bytes.
// Checked: a CSV record reads back (RFC 4180) into the same fields, formula fields carrying
// their apostrophe; every iCalendar line ends in CRLF, holds no other CR or LF, is at most 75
// octets, and unfolding gives back the escaped text.
#include "domain/agenda/ics.hpp"
#include "domain/common/csv.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace rencontres;

void check(bool ok) {
    if (!ok) std::abort();
}

std::vector<std::string> split_fields(std::string_view data) {
    std::vector<std::string> fields(1);
    for (const char c : data) {
        if (c == '\0')
            fields.emplace_back();
        else
            fields.back().push_back(c);
    }
    return fields;
}

// A strict RFC 4180 reader of one record that ends in CRLF.
std::vector<std::string> read_csv_record(std::string_view text) {
    std::vector<std::string> fields(1);
    std::size_t i = 0;
    bool at_start = true;
    for (;;) {
        check(i < text.size());
        if (at_start && text[i] == '"') {
            ++i;
            for (;;) {
                check(i < text.size());
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        fields.back().push_back('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                fields.back().push_back(text[i++]);
            }
            check(i < text.size() && (text[i] == ',' || text[i] == '\r'));
        }
        at_start = false;
        const char c = text[i];
        if (c == ',') {
            fields.emplace_back();
            at_start = true;
            ++i;
        } else if (c == '\r') {
            check(text.substr(i) == "\r\n");
            return fields;
        } else {
            check(c != '"' && c != '\n');
            fields.back().push_back(c);
            ++i;
        }
    }
}

void check_csv(const std::vector<std::string>& fields) {
    const auto record = csv_record(fields);
    const auto back = read_csv_record(record);
    check(back.size() == fields.size());
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const auto& f = fields[i];
        const bool formula =
            !f.empty() && std::string_view("=+-@\t\r").find(f.front()) != std::string_view::npos;
        check(back[i] == (formula ? "'" + f : f));
    }
}

// Unfolds the calendar and checks every physical line on the way.
std::string unfold_checked(std::string_view ics) {
    std::string logical;
    std::size_t start = 0;
    while (start < ics.size()) {
        const auto end = ics.find("\r\n", start);
        check(end != std::string_view::npos);
        const auto line = ics.substr(start, end - start);
        check(line.size() <= 75);
        check(line.find_first_of("\r\n") == std::string_view::npos);
        if (start > 0 && !line.empty() && line.front() == ' ')
            logical.append(line.substr(1));
        else {
            if (start > 0) logical.push_back('\n');
            logical.append(line);
        }
        start = end + 2;
    }
    return logical;
}

void check_ics(const std::vector<std::string>& fields) {
    const auto field = [&](std::size_t i) { return i < fields.size() ? fields[i] : std::string(); };
    for (const auto& f : fields) {
        const auto escaped = ics_escape(f);
        check(escaped.find_first_of("\r\n") == std::string::npos);
        check(unfold_checked(ics_fold("DESCRIPTION:" + escaped)) == "DESCRIPTION:" + escaped);
    }
    const instant starts{std::chrono::seconds{1'530'000'000}};
    const instant ends = starts + std::chrono::hours{2};
    ics_writer writer(field(0), "Europe/Paris", starts, ends);
    ics_event e;
    e.uid = "session-1@rencontres";
    e.stamp = starts;
    e.starts = starts;
    e.ends = ends;
    e.summary = field(1);
    e.location = field(2);
    e.description = field(3);
    writer.add(e);
    const auto calendar = writer.finish();
    const auto logical = unfold_checked(calendar);
    check(logical.find("SUMMARY:" + ics_escape(e.summary) + "\n") != std::string::npos);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto fields = split_fields({reinterpret_cast<const char*>(data), size});
    check_csv(fields);
    check_ics(fields);
    return 0;
}
