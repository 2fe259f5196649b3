// The JSON request decoders alone: the first byte picks a request schema, the rest is the body.
// A body is either refused with 400 or 422 and a problem document, or accepted, and then its
// decoder must turn it into a domain command without throwing: the schema and the decoders agree.
#include "server/http/decoders.hpp"
#include "server/http/json_io.hpp"
#include "server/http/openapi.hpp"
#include "server/http/problem.hpp"

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
        {"CampaignCreate", with(campaign_fields_of)},
        {"CampaignPatch", with(campaign_fields_of)},
        {"CandidacyCreate", with(candidacy_fields_of)},
        {"CandidacyPatch", with(candidacy_fields_of)},
        {"ReviewCreate", with(scores_of)},
        {"AwardCreate", {}},
        {"AwardRevoke", {}},
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
