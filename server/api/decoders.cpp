#include "server/api/decoders.hpp"

#include "server/api/json_io.hpp"

namespace rencontres::http {

event_fields event_fields_of(const boost::json::object& body) {
    event_fields f;
    f.title = string_field(body, "title");
    f.summary = string_field(body, "summary");
    f.description = string_field(body, "description");
    f.timezone = string_field(body, "timezone");
    f.starts_at = string_field(body, "starts_at");
    f.ends_at = string_field(body, "ends_at");
    if (const auto* v = body.if_contains("venue")) {
        const auto& venue = v->as_object();
        f.venue_name = string_field(venue, "name");
        f.venue_address = string_field(venue, "address");
        f.venue_postal_code = string_field(venue, "postal_code");
        f.venue_city = string_field(venue, "city");
    }
    if (const auto territory = nullable_string_field(body, "host_territory_id")) {
        // An id that cannot be one names no territory: id 0, which the domain reports as unknown.
        f.host_territory_id = *territory ? std::optional<id_t>{parse_id(**territory).value_or(0)}
                                         : std::optional<id_t>{};
    }
    f.capacity = nullable_integer_field(body, "capacity");
    f.registration_opens_at = nullable_string_field(body, "registration_opens_at");
    f.registration_closes_at = nullable_string_field(body, "registration_closes_at");
    f.contact_email = string_field(body, "contact_email");
    return f;
}

session_fields session_fields_of(const boost::json::object& body) {
    session_fields f;
    f.title = string_field(body, "title");
    f.abstract = nullable_string_field(body, "abstract");
    f.kind = string_field(body, "kind");
    f.starts_at = string_field(body, "starts_at");
    f.ends_at = string_field(body, "ends_at");
    f.room = nullable_string_field(body, "room");
    f.track = nullable_string_field(body, "track");
    f.capacity = nullable_integer_field(body, "capacity");
    f.speaker_ids = string_array_field(body, "speaker_ids");
    f.questions = string_field(body, "questions");
    return f;
}

speaker_fields speaker_fields_of(const boost::json::object& body) {
    return {string_field(body, "full_name"),
            nullable_string_field(body, "title"),
            nullable_string_field(body, "organization"),
            nullable_string_field(body, "bio"),
            string_array_field(body, "links"),
            nullable_string_field(body, "email")};
}

territory_fields territory_fields_of(const boost::json::object& body) {
    return {string_field(body, "name"), string_field(body, "kind"), string_field(body, "siren"),
            string_field(body, "region"), nullable_string_field(body, "department")};
}

campaign_fields campaign_fields_of(const boost::json::object& body) {
    campaign_fields f;
    if (const auto* y = body.if_contains("year")) f.year = saturated_integer(*y);
    f.name = string_field(body, "name");
    if (const auto* cats = body.if_contains("categories")) {
        f.categories.emplace();
        for (const auto& c : cats->as_array())
            f.categories->push_back(
                {*string_field(c.as_object(), "code"), *string_field(c.as_object(), "name")});
    }
    if (const auto* crits = body.if_contains("criteria")) {
        f.criteria.emplace();
        for (const auto& c : crits->as_array()) {
            const auto& o = c.as_object();
            criterion cr{*string_field(o, "code"), *string_field(o, "name"),
                         o.at("weight").to_number<double>(), false, 1};
            if (const auto* e = o.if_contains("eliminatory")) cr.eliminatory = e->as_bool();
            if (const auto* t = o.if_contains("threshold")) cr.threshold = t->to_number<double>();
            f.criteria->push_back(cr);
        }
    }
    f.candidacy_opens_at = string_field(body, "candidacy_opens_at");
    f.candidacy_closes_at = string_field(body, "candidacy_closes_at");
    if (const auto e = nullable_string_field(body, "final_event_id"))
        f.final_event_id =
            *e ? std::optional<id_t>{parse_id(**e).value_or(0)} : std::optional<id_t>{};
    f.status = string_field(body, "status");
    return f;
}

candidacy_fields candidacy_fields_of(const boost::json::object& body) {
    return {string_field(body, "territory_id"),
            string_field(body, "category"),
            string_field(body, "initiative_title"),
            string_field(body, "summary"),
            string_array_field(body, "links"),
            nullable_string_field(body, "presented_at_event_id"),
            string_field(body, "status")};
}

answer_map answers_of(const boost::json::object& answers) {
    answer_map out;
    for (const auto& [code, value] : answers) {
        auto& slot = out[std::string(code)];
        if (value.is_bool())
            slot = value.as_bool();
        else if (value.is_string())
            slot = std::string(value.as_string());
        else if (value.is_array()) {
            std::vector<std::string> list;
            bool strings = true;
            for (const auto& item : value.as_array()) {
                if (!item.is_string()) strings = false;
                if (strings) list.emplace_back(item.as_string());
            }
            if (strings) slot = std::move(list);
        } // anything else stays monostate: the domain names it
    }
    return out;
}

std::vector<question_fields> questions_of(const boost::json::object& body) {
    std::vector<question_fields> out;
    for (const auto& item : body.at("items").as_array()) {
        const auto& q = item.as_object();
        question_fields f;
        f.code = string_field(q, "code").value_or("");
        f.label = string_field(q, "label").value_or("");
        f.kind = string_field(q, "kind").value_or("");
        if (const auto* options = q.if_contains("options"))
            for (const auto& o : options->as_array())
                f.options.push_back({string_field(o.as_object(), "code").value_or(""),
                                     string_field(o.as_object(), "label").value_or("")});
        const auto* required = q.if_contains("required");
        f.required = required && required->is_bool() && required->as_bool();
        f.help = string_field(q, "help");
        out.push_back(std::move(f));
    }
    return out;
}

registration_patch registration_patch_of(const boost::json::object& body) {
    registration_patch p;
    p.session_ids = string_array_field(body, "session_ids");
    if (const auto* answers = body.if_contains("answers"))
        p.answers = answers_of(answers->as_object());
    p.organization = nullable_string_field(body, "organization");
    return p;
}

announcement_command announcement_command_of(const boost::json::object& body) {
    return {string_field(body, "subject").value_or(""), string_field(body, "body").value_or(""),
            string_array_field(body, "statuses").value_or(std::vector<std::string>{})};
}

registration_command registration_command_of(const boost::json::object& body) {
    registration_command c;
    c.full_name = string_field(body, "full_name").value_or("");
    c.given_name = string_field(body, "given_name");
    c.family_name = string_field(body, "family_name");
    c.email = string_field(body, "email").value_or("");
    c.organization = string_field(body, "organization");
    c.territory_id = string_field(body, "territory_id");
    c.session_ids = string_array_field(body, "session_ids").value_or(std::vector<std::string>{});
    if (const auto* answers = body.if_contains("answers"))
        c.answers = answers_of(answers->as_object());
    const auto* consent = body.if_contains("consent");
    c.consent = consent && consent->is_bool() && consent->as_bool();
    return c;
}

std::vector<score> scores_of(const boost::json::object& body) {
    std::vector<score> scores;
    for (const auto& s : body.at("scores").as_array())
        scores.push_back(
            {std::string(s.at("criterion").as_string()),
             static_cast<std::int64_t>(saturated_integer(s.at("score")).value_or(-1))});
    return scores;
}

} // namespace rencontres::http
