// Request bodies to domain commands. Each decoder takes a body that read_body has already
// checked against its OpenAPI schema (so required fields are there and have their types) and
// only copies values: every rule is the domain's. The JSON fuzz target holds them to that.
#pragma once

#include "domain/agenda/service.hpp"
#include "domain/events/service.hpp"
#include "domain/labels/service.hpp"
#include "domain/registrations/service.hpp"
#include "domain/speakers/service.hpp"
#include "domain/territories/service.hpp"

#include <boost/json/object.hpp>
#include <vector>

namespace rencontres::http {

// EventCreate, EventPatch
event_fields event_fields_of(const boost::json::object& body);
// SessionCreate, SessionPatch
session_fields session_fields_of(const boost::json::object& body);
// SpeakerCreate, SpeakerPatch
speaker_fields speaker_fields_of(const boost::json::object& body);
// TerritoryCreate, TerritoryPatch
territory_fields territory_fields_of(const boost::json::object& body);
// CampaignCreate, CampaignPatch
campaign_fields campaign_fields_of(const boost::json::object& body);
// CandidacyCreate, CandidacyPatch
candidacy_fields candidacy_fields_of(const boost::json::object& body);
// RegistrationCreate
registration_command registration_command_of(const boost::json::object& body);
// RegistrationPatch
registration_patch registration_patch_of(const boost::json::object& body);
// AnnouncementCreate
announcement_command announcement_command_of(const boost::json::object& body);
// QuestionList
std::vector<question_fields> questions_of(const boost::json::object& body);
// ReviewCreate (its scores)
std::vector<score> scores_of(const boost::json::object& body);

} // namespace rencontres::http
