#include "domain/reports/service.hpp"

#include "domain/agenda/repository.hpp"
#include "domain/common/fields.hpp"
#include "domain/events/repository.hpp"
#include "domain/events/service.hpp"
#include "domain/reports/repository.hpp"
#include "domain/speakers/repository.hpp"
#include "domain/store.hpp"

#include <algorithm>
#include <set>

namespace rencontres {
namespace {

constexpr std::size_t max_quotes = 20, max_resources = 20;

domain_error no_report() {
    return not_found(rule::report_not_found, "The event has no published report.");
}

// The report the fields describe, checked against the event's sessions and the speakers.
result<report> report_of(unit_of_work& uow, const event& e, const report_fields& f) {
    validation v;
    report out;
    out.event_id = e.id;
    out.introduction = f.introduction
                           ? check_text(v, "introduction", *f.introduction, 0, 20'000, true)
                           : std::string();
    const auto sessions = uow.sessions().list_for_event(e.id);
    std::set<id_t> seen;
    for (std::size_t i = 0; i < f.sessions.size(); ++i) {
        const auto& given = f.sessions[i];
        const auto at = "sessions[" + std::to_string(i) + "]";
        report_session rs;
        const auto id = given.session_id ? parse_id(*given.session_id) : std::nullopt;
        const bool known = id && std::any_of(sessions.begin(), sessions.end(),
                                             [&](const session& s) { return s.id == *id; });
        if (!given.session_id)
            v.fail(at + ".session_id", field_rule::required, "is required");
        else if (!known)
            v.fail(at + ".session_id", field_rule::unknown, "is not a session of this event");
        else if (!seen.insert(*id).second)
            v.fail(at + ".session_id", field_rule::duplicate, "is listed twice");
        else
            rs.session_id = *id;
        if (given.summary)
            rs.summary = check_text(v, (at + ".summary").c_str(), *given.summary, 0, 10'000, true);
        if (given.quotes.size() > max_quotes)
            v.fail(at + ".quotes", field_rule::count, "takes at most 20 quotes");
        for (std::size_t q = 0; q < given.quotes.size() && q < max_quotes; ++q) {
            const auto qat = at + ".quotes[" + std::to_string(q) + "]";
            report_quote quote;
            quote.text = check_text(v, (qat + ".text").c_str(), given.quotes[q].text.value_or(""),
                                    1, 1'000, true);
            if (const auto& speaker = given.quotes[q].speaker_id) {
                const auto sid = parse_id(*speaker);
                if (!sid || !uow.speakers().find(*sid))
                    v.fail(qat + ".speaker_id", field_rule::unknown, "is not a known speaker");
                else
                    quote.speaker_id = *sid;
            }
            rs.quotes.push_back(std::move(quote));
        }
        if (given.resources.size() > max_resources)
            v.fail(at + ".resources", field_rule::count, "takes at most 20 resources");
        for (std::size_t r = 0; r < given.resources.size() && r < max_resources; ++r) {
            const auto rat = at + ".resources[" + std::to_string(r) + "]";
            report_resource res;
            res.label = check_text(v, (rat + ".label").c_str(),
                                   given.resources[r].label.value_or(""), 1, 200);
            res.url = given.resources[r].url.value_or("");
            if (res.url.rfind("https://", 0) != 0 || !plausible_url(res.url))
                v.fail(rat + ".url", field_rule::format, "must be an https:// address");
            rs.resources.push_back(std::move(res));
        }
        out.sessions.push_back(std::move(rs));
    }
    if (!v.ok()) return v.error();
    // In the programme's order.
    std::stable_sort(out.sessions.begin(), out.sessions.end(),
                     [&](const report_session& a, const report_session& b) {
                         const auto place = [&](id_t id) {
                             return std::find_if(sessions.begin(), sessions.end(),
                                                 [&](const session& s) { return s.id == id; }) -
                                    sessions.begin();
                         };
                         return place(a.session_id) < place(b.session_id);
                     });
    return out;
}

} // namespace

result<shown_report> report_service::get_report(const actor& who, std::string_view event_id) {
    auto uow = db_.begin(access::read);
    auto e = visible_event(*uow, who, event_id);
    if (!e) return e.error();
    auto found = uow->reports().find(e->id);
    if (!found) return no_report();
    if (found->status != report_status::published && !e->managed_by(who)) return no_report();
    return shown_report{std::move(*found), std::move(*e)};
}

result<shown_report> report_service::put_report(const actor& who, std::string_view event_id,
                                                const report_fields& fields, instant now) {
    auto uow = db_.begin(access::write);
    auto e = held_editable_event(*uow, who, event_id);
    if (!e) return e.error();
    auto made = report_of(*uow, *e, fields);
    if (!made) return made.error();
    if (const auto before = uow->reports().find(e->id)) {
        made->status = before->status;
        made->published_at = before->published_at;
    }
    made->updated_at = now;
    uow->reports().save(*made);
    uow->commit();
    if (made->status == report_status::published) observer_.agenda_changed(e->id);
    return shown_report{std::move(*made), std::move(*e)};
}

result<shown_report> report_service::publish_report(const actor& who, std::string_view event_id,
                                                    instant now) {
    auto uow = db_.begin(access::write);
    auto e = held_editable_event(*uow, who, event_id);
    if (!e) return e.error();
    auto found = uow->reports().find(e->id);
    if (!found) return no_report();
    if (e->status != event_status::published)
        return conflict(rule::event_not_published, "Only a published event's report is published.");
    if (!e->starts_at || now < *e->starts_at)
        return conflict(rule::event_not_started,
                        "The report is published once the event has started.");
    if (found->status == report_status::published) return shown_report{std::move(*found), *e};
    found->status = report_status::published;
    found->published_at = now;
    found->updated_at = now;
    uow->reports().save(*found);
    uow->commit();
    observer_.agenda_changed(e->id);
    return shown_report{std::move(*found), std::move(*e)};
}

std::vector<shown_report> report_service::published_reports(int limit) {
    auto uow = db_.begin(access::read);
    std::vector<shown_report> out;
    for (auto& r : uow->reports().published(limit))
        if (auto e = uow->events().find(r.event_id); e && e->status != event_status::draft)
            out.push_back({std::move(r), std::move(*e)});
    return out;
}

} // namespace rencontres
