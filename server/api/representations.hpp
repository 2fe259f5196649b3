// JSON representations of the domain's values, shared by the endpoint groups. Instants of an
// event and of its sessions are rendered in the event's zone.
#pragma once

#include "domain/accounts/model.hpp"
#include "domain/agenda/model.hpp"
#include "domain/events/model.hpp"
#include "domain/labels/model.hpp"
#include "domain/notifications/model.hpp"
#include "domain/registrations/model.hpp"
#include "domain/reports/model.hpp"
#include "domain/speakers/model.hpp"
#include "domain/webhooks/model.hpp"
#include "server/transport/message.hpp"

#include <boost/json.hpp>

namespace rencontres::http {

class context;

boost::json::object account_json(const account& a); // never the password hash
boost::json::object event_json(const event& e);
// With what only the event's organizers see (its contact address).
boost::json::object organizers_event_json(const event& e);
boost::json::object session_json(const session& s, const std::string& zone);
// `with_email`: organizers and admins see the speaker's email.
boost::json::object speaker_json(const speaker& s, bool with_email);
// {id, full_name, title, organization}, as embedded in an agenda.
boost::json::object speaker_summary_json(const speaker& s);
boost::json::object agenda_json(const agenda& a);
boost::json::object registration_json(const registration& r);
boost::json::object answers_json(const answer_map& answers);
boost::json::object question_json(const question& q);
boost::json::object message_json(const outbox_message& m);
boost::json::object award_json(const award& a);
boost::json::object webhook_json(const webhook& w); // never the secret
boost::json::object delivery_json(const webhook_delivery& d);
boost::json::object report_json(const report& r);

// The registrations of an event as a CSV download (the API's and the console's).
response registrations_csv_response(const registration_export& data);
// The same for French spreadsheets (`?dialect=excel-fr`): BOM, ';', French headers and statuses,
// times in the event's zone, a column per workshop.
response registrations_excel_csv_response(const registration_export& data);
// The site's own address of `path` (server.public_base_url, without its trailing slash).
std::string public_url(const context& ctx, const std::string& path);
// A registration's check-in link, which its QR codes hold (the participant's page, badges).
std::string check_in_url(const context& ctx, id_t registration_id);

// A PDF shown in the browser (badges, certificates): never cached, named `filename`.
response pdf_response(std::string bytes, const std::string& filename);

} // namespace rencontres::http
