// The JSON request decoders alone: the first byte picks a request schema, the rest is the body.
// A body is either refused with 400 or 422 and a problem document, or accepted, and then its
// decoder must turn it into a domain command without throwing: the schema and the decoders agree.
#include "server/api/decoders.hpp"
#include "server/api/json_io.hpp"
#include "server/api/openapi.hpp"
#include "server/transport/problem.hpp"

#include <boost/json.hpp>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace rencontres;
using namespace rencontres::http;

struct body_schema {
    std::string_view name;
    std::function<void(const boost::json::object&)> decode;
};

template <class Decoder> auto with(Decoder d) {
    return [d](const boost::json::object& body) { (void)d(body); };
}

// A JSON integer as the decoders must see it: the same number, or — past the range of a long
// long — a number just as far out of any range the domain accepts. Never wrapped.
bool same_side(const boost::json::value& given, long long decoded, long long lo, long long hi) {
    const bool inside_given = given.is_int64() ? given.as_int64() >= lo && given.as_int64() <= hi
                              : given.is_uint64()
                                  ? given.as_uint64() <= static_cast<std::uint64_t>(hi)
                                  : false;
    const bool inside_decoded = decoded >= lo && decoded <= hi;
    return inside_given == inside_decoded &&
           (!inside_given ||
            decoded ==
                (given.is_int64() ? given.as_int64() : static_cast<long long>(given.as_uint64())));
}

// Every score is range-checked on what the client sent: 4294967299 is never read as 3.
void check_scores(const boost::json::object& body) {
    const auto decoded = scores_of(body);
    const auto& given = body.at("scores").as_array();
    if (decoded.size() != given.size()) std::abort();
    for (std::size_t i = 0; i < given.size(); ++i)
        if (!same_side(given[i].at("score"), decoded[i].value, 0, 5)) std::abort();
}

// The same for a campaign's year (2000..2100).
void check_campaign(const boost::json::object& body) {
    const auto decoded = campaign_fields_of(body);
    const auto* year = body.if_contains("year");
    if (!year) return;
    if (!decoded.year || !same_side(*year, *decoded.year, 2000, 2100)) std::abort();
}

// Every schema that read_body is called with, and the decoder its route uses afterwards.
const std::vector<body_schema>& schemas() {
    static const std::vector<body_schema> all = {
        {"AccountCreate", {}},
        {"TokenRequest", {}},
        {"AccountPatch", {}},
        {"TerritoryCreate", with(territory_fields_of)},
        {"TerritoryPatch", with(territory_fields_of)},
        {"EventCreate", with(event_fields_of)},
        {"EventPatch", with(event_fields_of)},
        {"EventCancel", {}},
        {"SpeakerCreate", with(speaker_fields_of)},
        {"SpeakerPatch", with(speaker_fields_of)},
        {"SessionCreate", with(session_fields_of)},
        {"SessionPatch", with(session_fields_of)},
        {"RegistrationCreate", with(registration_command_of)},
        {"CampaignCreate", check_campaign},
        {"CampaignPatch", check_campaign},
        {"CandidacyCreate", with(candidacy_fields_of)},
        {"CandidacyPatch", with(candidacy_fields_of)},
        {"ReviewCreate", check_scores},
        {"AwardCreate", {}},
        {"AwardRevoke", {}},
        {"AccountVerification", {}},
        {"RegistrationPatch", with(registration_patch_of)},
        {"QuestionList", with(questions_of)},
        {"AnnouncementCreate", with(announcement_command_of)},
    };
    return all;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const api_document& api = embedded_api();
    const auto& schema = schemas()[data[0] % schemas().size()];
    request req;
    req.method = "POST";
    req.headers.push_back({"Content-Type", "application/json"});
    req.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        const auto body = decode_body(req, api, schema.name);
        if (schema.decode) schema.decode(body);
    } catch (const problem_exception& e) {
        const auto& refused = e.get();
        if (refused.status != 400 && refused.status != 422) std::abort();
        const auto parsed = boost::json::parse(refused.body);
        if (parsed.at("status").as_int64() != refused.status) std::abort();
    }
    return 0;
}
