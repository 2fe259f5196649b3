// The meeting's report (API.md §15): an introduction and, per session, a summary, quotes and
// resources. Text fields hold a small markup (paragraphs, *emphasis*, "- " lists, [label](https
// link)); pages render it with everything else escaped.
#pragma once

#include "domain/common/ids.hpp"
#include "domain/common/time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rencontres {

enum class report_status { draft, published };

struct report_quote {
    std::string text;
    std::optional<id_t> speaker_id;
};

struct report_resource {
    std::string label;
    std::string url;
};

struct report_session {
    id_t session_id = 0;
    std::string summary;
    std::vector<report_quote> quotes;
    std::vector<report_resource> resources;
};

struct report {
    id_t event_id = 0;
    report_status status = report_status::draft;
    std::string introduction;
    std::vector<report_session> sessions; // in the programme's order
    std::optional<instant> published_at;
    instant updated_at{};
};

// What PUT sends: the whole report, ids as the client gave them.
struct report_fields {
    struct quote {
        std::optional<std::string> text;
        std::optional<std::string> speaker_id;
    };
    struct resource {
        std::optional<std::string> label;
        std::optional<std::string> url;
    };
    struct session {
        std::optional<std::string> session_id;
        std::optional<std::string> summary;
        std::vector<quote> quotes;
        std::vector<resource> resources;
    };
    std::optional<std::string> introduction;
    std::vector<session> sessions;
};

} // namespace rencontres
