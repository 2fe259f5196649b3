// Events, speakers, sessions, agenda and calendar feed over HTTP.
#include "support/process.hpp"
#include "support/test_server.hpp"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>

namespace rencontres::testing {
namespace {

using boost::json::object;
using boost::json::value;

struct events_http : ::testing::Test {
    test_server server;
    std::string owner = server.token_for(role::organizer, "owner@x.fr");
    std::string other = server.token_for(role::organizer, "other@x.fr");
    std::string participant = server.token_for(role::participant, "p@x.fr");

    object meeting(const char* title = "La révolution numérique en débat") {
        return {{"title", title},
                {"summary", "Délégation Nouvelle-Aquitaine"},
                {"starts_at", "2018-12-11T09:00:00+01:00"},
                {"ends_at", "2018-12-11T17:00:00+01:00"},
                {"venue", object{{"name", "L'iD — tiers-lieu"},
                                 {"city", "Aixe-sur-Vienne"},
                                 {"postal_code", "87700"}}},
                {"capacity", 120}};
    }
    std::string create(const object& body, const std::string& token) {
        const auto r = server.call("POST", "/v1/events", body, token);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.json().at("id").as_string());
    }
    std::string published(const char* title = "La révolution numérique en débat") {
        const auto id = create(meeting(title), owner);
        EXPECT_EQ(server.call("POST", "/v1/events/" + id + "/publish", std::nullopt, owner).status,
                  200);
        return id;
    }
    std::string speaker(const char* name, const std::string& token) {
        const auto r = server.call("POST", "/v1/speakers",
                                   object{{"full_name", name}, {"email", "s@x.fr"}}, token);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.json().at("id").as_string());
    }
    reply add_session(const std::string& event, const char* title, const char* from, const char* to,
                      const char* room, boost::json::array speakers = {},
                      const char* abstract = nullptr) {
        object body{{"title", title},
                    {"kind", "talk"},
                    {"starts_at", std::string("2018-12-11T") + from + ":00+01:00"},
                    {"ends_at", std::string("2018-12-11T") + to + ":00+01:00"},
                    {"room", room},
                    {"speaker_ids", speakers}};
        if (abstract) body["abstract"] = abstract;
        return server.call("POST", "/v1/events/" + event + "/sessions", body, owner);
    }
};

TEST_F(events_http, an_organizer_creates_a_draft_and_publishes_it) {
    auto r = server.call("POST", "/v1/events", meeting(), owner);
    ASSERT_EQ(r.status, 201) << r.body;
    const auto e = r.json().as_object();
    EXPECT_EQ(e.at("status"), "draft");
    EXPECT_EQ(e.at("slug"), "la-revolution-numerique-en-debat");
    EXPECT_EQ(e.at("starts_at"), "2018-12-11T09:00:00+01:00");
    EXPECT_EQ(e.at("timezone"), "Europe/Paris");
    EXPECT_EQ(e.at("capacity"), 120);
    EXPECT_EQ(e.at("organizer_ids"),
              value(boost::json::array{value(std::to_string(server.account_id("owner@x.fr")))}));
    const std::string id(e.at("id").as_string());
    EXPECT_EQ(r.header("Location"), "/v1/events/" + id);

    r = server.call("POST", "/v1/events/" + id + "/publish", std::nullopt, owner);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("status"), "published");
    EXPECT_EQ(server.call("POST", "/v1/events/" + id + "/publish", std::nullopt, owner).status,
              409);
    // Published: anyone reads it, by id or slug.
    EXPECT_EQ(server.call("GET", "/v1/events/la-revolution-numerique-en-debat").json().at("id"),
              value(id));
    EXPECT_EQ(server.call("GET", "/v1/events/" + id).status, 200);
}

TEST_F(events_http, create_errors) {
    EXPECT_EQ(server.call("POST", "/v1/events", meeting()).status, 401);
    EXPECT_EQ(server.call("POST", "/v1/events", meeting(), participant).status, 403);
    auto local = meeting();
    local["starts_at"] = "2018-12-11T09:00:00";
    auto r = server.call("POST", "/v1/events", local, owner);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(
        r.json().at("errors"),
        boost::json::parse(
            R"([{"field":"starts_at","code":"format","message":"must be an RFC 3339 date and time with an offset"}])"));
    auto backwards = meeting();
    backwards["ends_at"] = "2018-12-11T08:00:00+01:00";
    r = server.call("POST", "/v1/events", backwards, owner);
    EXPECT_EQ(r.json().at("errors"),
              boost::json::parse(
                  R"([{"field":"ends_at","code":"order","message":"must be after starts_at"}])"));
    auto unknown = meeting();
    unknown["venue"].as_object()["floor"] = 2;
    r = server.call("POST", "/v1/events", unknown, owner);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(
        r.json().at("errors"),
        boost::json::parse(
            R"([{"field":"venue.floor","code":"not_accepted","message":"is not a known field"}])"));
    auto territory = meeting();
    territory["host_territory_id"] = "77";
    r = server.call("POST", "/v1/events", territory, owner);
    EXPECT_EQ(
        r.json().at("errors"),
        boost::json::parse(
            R"([{"field":"host_territory_id","code":"unknown","message":"is not a known territory"}])"));
}

TEST_F(events_http, publish_lists_what_is_missing) {
    const auto id = create(object{{"title", "Sans date"}}, owner);
    const auto r = server.call("POST", "/v1/events/" + id + "/publish", std::nullopt, owner);
    ASSERT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("detail"), "The event cannot be published yet.");
    EXPECT_EQ(
        r.json().at("errors"),
        boost::json::parse(
            R"([{"field":"starts_at","code":"required_to_publish","message":"is required to publish"},{"field":"ends_at","code":"required_to_publish","message":"is required to publish"},{"field":"venue.city","code":"required_to_publish","message":"is required to publish"}])"));
}

TEST_F(events_http, a_draft_is_404_on_every_event_route_for_other_callers) {
    const auto id = create(meeting(), owner);
    const std::string targets[] = {"/v1/events/" + id,
                                   "/v1/events/la-revolution-numerique-en-debat",
                                   "/v1/events/" + id + "/sessions",
                                   "/v1/events/" + id + "/sessions/1",
                                   "/v1/events/" + id + "/agenda",
                                   "/v1/events/" + id + "/agenda.ics"};
    for (const auto& target : targets) {
        EXPECT_EQ(server.call("GET", target).status, 404) << target;
        EXPECT_EQ(server.call("GET", target, std::nullopt, other).status, 404) << target;
        EXPECT_EQ(server.call("GET", target, std::nullopt, participant).status, 404) << target;
    }
    EXPECT_EQ(server.call("GET", "/v1/events/" + id + "/agenda", std::nullopt, owner).status, 200);
    const auto admin = server.token_for(role::admin, "admin@x.fr");
    EXPECT_EQ(server.call("GET", "/v1/events/" + id + "/agenda.ics", std::nullopt, admin).status,
              200);
    // Writes too: 404, not 403, so the draft's existence does not leak.
    EXPECT_EQ(server.call("PATCH", "/v1/events/" + id, object{{"title", "X"}}, other).status, 404);
    EXPECT_EQ(server.call("POST", "/v1/events/" + id + "/publish", std::nullopt, other).status,
              404);
    EXPECT_EQ(
        server.call("POST", "/v1/events/" + id + "/cancel", object{{"reason", "x"}}, other).status,
        404);
    EXPECT_EQ(server.call("DELETE", "/v1/events/" + id, std::nullopt, other).status, 404);
    EXPECT_EQ(server
                  .call("POST", "/v1/events/" + id + "/sessions",
                        object{{"title", "t"},
                               {"kind", "talk"},
                               {"starts_at", "2018-12-11T10:00:00+01:00"},
                               {"ends_at", "2018-12-11T11:00:00+01:00"}},
                        other)
                  .status,
              404);
    EXPECT_EQ(server.call("PUT", "/v1/events/" + id + "/organizers/1", std::nullopt, other).status,
              404);
    // The list shows the draft to its organizer only.
    EXPECT_EQ(server.call("GET", "/v1/events").json().at("items").as_array().size(), 0u);
    EXPECT_EQ(
        server.call("GET", "/v1/events", std::nullopt, owner).json().at("items").as_array().size(),
        1u);
    EXPECT_EQ(server.call("GET", "/v1/events?status=draft", std::nullopt, other)
                  .json()
                  .at("items")
                  .as_array()
                  .size(),
              0u);
}

TEST_F(events_http, another_organizer_gets_403_on_a_published_event) {
    const auto id = published();
    EXPECT_EQ(server.call("PATCH", "/v1/events/" + id, object{{"title", "X"}}, other).status, 403);
    EXPECT_EQ(server.call("PATCH", "/v1/events/" + id, object{{"title", "X"}}).status, 401);
    EXPECT_EQ(
        server.call("POST", "/v1/events/" + id + "/cancel", object{{"reason", "x"}}, participant)
            .status,
        403);
    EXPECT_EQ(server.call("DELETE", "/v1/events/" + id + "/sessions/1", std::nullopt, other).status,
              403);
    EXPECT_EQ(server.call("GET", "/v1/events/" + id).json().at("title"),
              "La révolution numérique en débat");
}

TEST_F(events_http, patch_honours_if_match_and_delete_takes_drafts_only) {
    const auto id = published();
    auto r = server.call("GET", "/v1/events/" + id);
    const auto etag = r.header("ETag");
    EXPECT_EQ(
        server.call("GET", "/v1/events/" + id, std::nullopt, {}, {{"If-None-Match", etag}}).status,
        304);
    r = server.call("PATCH", "/v1/events/" + id, object{{"summary", "Nouveau"}}, owner,
                    {{"If-Match", etag}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("summary"), "Nouveau");
    EXPECT_EQ(server
                  .call("PATCH", "/v1/events/" + id, object{{"summary", "Old"}}, owner,
                        {{"If-Match", etag}})
                  .status,
              412);
    EXPECT_EQ(server
                  .call("PATCH", "/v1/events/" + id,
                        object{{"ends_at", "2018-12-10T10:00:00+01:00"}}, owner)
                  .status,
              422);
    EXPECT_EQ(server.call("DELETE", "/v1/events/" + id, std::nullopt, owner).status, 409);
    const auto draft = create(meeting("Brouillon"), owner);
    EXPECT_EQ(server.call("DELETE", "/v1/events/" + draft, std::nullopt, owner).status, 204);
    EXPECT_EQ(server.call("GET", "/v1/events/" + draft, std::nullopt, owner).status, 404);
}

TEST_F(events_http, cancel_marks_the_event_and_its_calendar) {
    const auto id = published();
    ASSERT_EQ(add_session(id, "Accueil", "09:30", "09:45", "Grande salle").status, 201);
    EXPECT_EQ(server.call("POST", "/v1/events/" + id + "/cancel", object{}, owner).status, 422);
    auto r = server.call("POST", "/v1/events/" + id + "/cancel", object{{"reason", "Intempéries"}},
                         owner);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("status"), "cancelled");
    EXPECT_EQ(r.json().at("cancel_reason"), "Intempéries");
    EXPECT_EQ(
        server.call("POST", "/v1/events/" + id + "/cancel", object{{"reason", "x"}}, owner).status,
        409);
    const auto ics = server.call("GET", "/v1/events/" + id + "/agenda.ics");
    EXPECT_NE(ics.body.find("STATUS:CANCELLED\r\n"), std::string::npos);
    EXPECT_EQ(ics.body.find("STATUS:CONFIRMED"), std::string::npos);
}

TEST_F(events_http, co_organizers_and_the_last_one) {
    const auto id = published();
    const auto other_id = std::to_string(server.account_id("other@x.fr"));
    const auto owner_id = std::to_string(server.account_id("owner@x.fr"));
    EXPECT_EQ(
        server.call("DELETE", "/v1/events/" + id + "/organizers/" + owner_id, std::nullopt, owner)
            .status,
        409);
    auto r =
        server.call("PUT", "/v1/events/" + id + "/organizers/" + other_id, std::nullopt, owner);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("organizer_ids").as_array().size(), 2u);
    // The listing reads the organizers with the events, in the order they were added.
    const auto both = boost::json::array{value(owner_id), value(other_id)};
    EXPECT_EQ(
        server.call("GET", "/v1/events/" + id, std::nullopt, owner).json().at("organizer_ids"),
        both);
    const auto listed = server.call("GET", "/v1/events?status=published", std::nullopt, owner);
    ASSERT_EQ(listed.status, 200);
    const auto items = listed.json().at("items").as_array();
    ASSERT_EQ(items.size(), 1u) << listed.body;
    EXPECT_EQ(items.at(0).at("organizer_ids"), both);
    EXPECT_EQ(
        server.call("PUT", "/v1/events/" + id + "/organizers/9999", std::nullopt, owner).status,
        404);
    EXPECT_EQ(
        server.call("PATCH", "/v1/events/" + id, object{{"title", "Co-organisé"}}, other).status,
        200);
    r = server.call("DELETE", "/v1/events/" + id + "/organizers/" + owner_id, std::nullopt, other);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(server.call("PATCH", "/v1/events/" + id, object{{"title", "X"}}, owner).status, 403);
}

TEST_F(events_http, list_filters_by_dates_territory_status_and_pages_soonest_first) {
    auto later = meeting("Plus tard");
    later["starts_at"] = "2019-03-01T09:00:00+01:00";
    later["ends_at"] = "2019-03-01T17:00:00+01:00";
    const auto a = published();
    const auto b = create(later, owner);
    ASSERT_EQ(server.call("POST", "/v1/events/" + b + "/publish", std::nullopt, owner).status, 200);
    const auto names = [&](const std::string& target) {
        std::vector<std::string> out;
        const auto page = server.call("GET", target).json();
        for (const auto& item : page.at("items").as_array())
            out.emplace_back(item.at("title").as_string());
        return out;
    };
    EXPECT_EQ(names("/v1/events"),
              (std::vector<std::string>{"La révolution numérique en débat", "Plus tard"}));
    EXPECT_EQ(names("/v1/events?from=2019-01-01"), std::vector<std::string>{"Plus tard"});
    EXPECT_EQ(names("/v1/events?to=2018-12-11"),
              std::vector<std::string>{"La révolution numérique en débat"});
    EXPECT_EQ(names("/v1/events?from=2018-12-11T16:59:00%2B01:00&to=2018-12-11T18:00:00Z"),
              std::vector<std::string>{"La révolution numérique en débat"});
    EXPECT_EQ(names("/v1/events?status=cancelled"), std::vector<std::string>{});
    const auto first = server.call("GET", "/v1/events?limit=1").json();
    ASSERT_EQ(first.at("items").as_array().size(), 1u);
    const std::string cursor(first.at("next_cursor").as_string());
    EXPECT_EQ(names("/v1/events?limit=1&cursor=" + cursor), std::vector<std::string>{"Plus tard"});
    EXPECT_EQ(server.call("GET", "/v1/events?from=yesterday").status, 400);
    EXPECT_EQ(server.call("GET", "/v1/events?status=archived").status, 400);
    EXPECT_EQ(server.call("GET", "/v1/events?cursor=abc").status, 400);
    EXPECT_EQ(server.call("GET", "/v1/events?territory=x").status, 400);
}

TEST_F(events_http, full_text_search_ignores_case_and_accents_and_covers_the_programme) {
    const auto id = published();
    const auto ponsard = speaker("Philippe Ponsard", owner);
    ASSERT_EQ(add_session(id, "Tiers lieux", "11:15", "12:30", "Grande salle", {value(ponsard)},
                          "La Quincaillerie au Grand Guéret")
                  .status,
              201);
    const auto found = [&](const std::string& q) {
        return server.call("GET", "/v1/events?q=" + q).json().at("items").as_array().size();
    };
    EXPECT_EQ(found("quincaillerie"), 1u);
    EXPECT_EQ(found("gueret"), 1u);
    EXPECT_EQ(found("gu%C3%A9ret"), 1u);
    EXPECT_EQ(found("GU%C3%89RET"), 1u);
    EXPECT_EQ(found("ponsard"), 1u);
    EXPECT_EQ(found("revolution%20numerique"), 1u);
    EXPECT_EQ(found("tiers"), 1u);
    EXPECT_EQ(found("brest"), 0u);
    EXPECT_EQ(found("%22%20OR%20*"), 0u) << "FTS syntax in the query is taken as text";
    // Letters that no accent stripping reaches (ICU folds them, on both databases alike).
    ASSERT_EQ(add_session(id, "Jumelage avec Łódź et Ørsted", "14:00", "15:00", "Salle 2", {},
                          "Échanges avec Ñuñoa")
                  .status,
              201);
    EXPECT_EQ(found("lodz"), 1u);
    EXPECT_EQ(found("orsted"), 1u);
    EXPECT_EQ(found("%C5%81%C3%B3d%C5%BA"), 1u); // "Łódź" as typed
    EXPECT_EQ(found("nunoa"), 1u);
    // A speaker renamed is found under the new name at once.
    ASSERT_EQ(server
                  .call("PATCH", "/v1/speakers/" + ponsard,
                        object{{"full_name", "Philippe Ponsardin"}}, owner)
                  .status,
              200);
    EXPECT_EQ(found("ponsardin"), 1u);
    // A draft is found by its organizer only.
    create(meeting("Quincaillerie secrète"), other);
    EXPECT_EQ(found("secrete"), 0u);
    EXPECT_EQ(server.call("GET", "/v1/events?q=secrete", std::nullopt, other)
                  .json()
                  .at("items")
                  .as_array()
                  .size(),
              1u);
}

TEST_F(events_http, sessions_check_times_rooms_and_speakers) {
    const auto id = published();
    const auto faure = speaker("Stéphanie Faure", owner);
    auto r = add_session(id, "Atelier", "14:00", "15:00", "Salle atelier", {value(faure)});
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string atelier(r.json().at("id").as_string());
    EXPECT_EQ(r.json().at("starts_at"), "2018-12-11T14:00:00+01:00");
    EXPECT_EQ(r.header("Location"), "/v1/events/" + id + "/sessions/" + atelier);

    r = add_session(id, "Chevauche", "14:30", "15:30", "Salle atelier");
    ASSERT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("conflicts"), value(boost::json::array{value(atelier)}));
    r = add_session(id, "Ailleurs", "14:30", "15:30", "Grande salle", {value(faure)});
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(
        add_session(id, "Juste après", "15:00", "16:00", "Salle atelier", {value(faure)}).status,
        201);
    r = add_session(id, "Trop tôt", "08:00", "09:30", "Grande salle");
    EXPECT_EQ(r.status, 422);
    r = add_session(id, "À l'envers", "11:00", "10:00", "Grande salle");
    EXPECT_EQ(r.json().at("errors"),
              boost::json::parse(
                  R"([{"field":"ends_at","code":"order","message":"must be after starts_at"}])"));
    r = server.call("POST", "/v1/events/" + id + "/sessions",
                    object{{"title", "t"},
                           {"kind", "talk"},
                           {"starts_at", "2018-12-11T10:00:00"},
                           {"ends_at", "2018-12-11T11:00:00+01:00"}},
                    owner);
    EXPECT_EQ(r.status, 422);

    // PATCH is checked the same way; moving into the other session is a conflict.
    r = server.call("PATCH", "/v1/events/" + id + "/sessions/" + atelier,
                    object{{"starts_at", "2018-12-11T15:30:00+01:00"},
                           {"ends_at", "2018-12-11T16:30:00+01:00"}},
                    owner);
    EXPECT_EQ(r.status, 409);
    r = server.call("GET", "/v1/events/" + id + "/sessions/" + atelier);
    EXPECT_EQ(r.json().at("starts_at"), "2018-12-11T14:00:00+01:00");
    r = server.call("PATCH", "/v1/events/" + id + "/sessions/" + atelier,
                    object{{"title", "Atelier : animer un tiers-lieu"}}, owner,
                    {{"If-Match", r.header("ETag")}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(server.call("GET", "/v1/events/" + id + "/sessions/99999").status, 404);
    EXPECT_EQ(
        server.call("GET", "/v1/events/" + id + "/sessions").json().at("items").as_array().size(),
        2u);
    // A session id of another event is not found under this one.
    const auto other_event = published("Autre");
    EXPECT_EQ(server.call("GET", "/v1/events/" + other_event + "/sessions/" + atelier).status, 404);
    EXPECT_EQ(server
                  .call("DELETE", "/v1/events/" + other_event + "/sessions/" + atelier,
                        std::nullopt, owner)
                  .status,
              404);
    EXPECT_EQ(
        server.call("DELETE", "/v1/events/" + id + "/sessions/" + atelier, std::nullopt, owner)
            .status,
        204);
}

TEST_F(events_http, speakers_hide_their_email_from_the_public) {
    const auto id = published();
    const auto faure = speaker("Stéphanie Faure", owner);
    EXPECT_EQ(server.call("POST", "/v1/speakers", object{{"full_name", "X"}}, participant).status,
              403);
    EXPECT_EQ(server
                  .call("POST", "/v1/speakers",
                        object{{"full_name", "X"}, {"links", boost::json::array{"ftp://x"}}}, owner)
                  .status,
              422);
    ASSERT_EQ(add_session(id, "Atelier", "14:00", "15:00", "Salle atelier", {value(faure)}).status,
              201);
    auto r = server.call("GET", "/v1/speakers/" + faure);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.json().as_object().contains("email"));
    ASSERT_EQ(r.json().at("sessions").as_array().size(), 1u);
    EXPECT_EQ(r.json().at("sessions").at(0).at("event").at("id"), value(id));
    EXPECT_FALSE(server.call("GET", "/v1/speakers/" + faure, std::nullopt, participant)
                     .json()
                     .as_object()
                     .contains("email"));
    EXPECT_EQ(server.call("GET", "/v1/speakers/" + faure, std::nullopt, other).json().at("email"),
              "s@x.fr");
    EXPECT_EQ(server.call("GET", "/v1/speakers?q=FAURE").json().at("items").as_array().size(), 1u);
    EXPECT_FALSE(
        server.call("GET", "/v1/speakers").json().at("items").at(0).as_object().contains("email"));
    EXPECT_EQ(server.call("DELETE", "/v1/speakers/" + faure, std::nullopt, owner).status, 409);
    EXPECT_EQ(server.call("GET", "/v1/speakers/424242").status, 404);
}

TEST_F(events_http, the_agenda_groups_by_day_and_is_cached_until_a_change) {
    const auto id = published();
    const auto barry = speaker("Philippe Barry", owner);
    ASSERT_EQ(add_session(id, "Pause", "11:00", "11:15", "Grande salle").status, 201);
    ASSERT_EQ(add_session(id, "Accueil", "09:30", "09:45", "Grande salle", {value(barry)}).status,
              201);
    auto r = server.call("GET", "/v1/events/" + id + "/agenda");
    ASSERT_EQ(r.status, 200);
    const auto agenda = r.json();
    ASSERT_EQ(agenda.at("days").as_array().size(), 1u);
    const auto& day = agenda.at("days").at(0);
    EXPECT_EQ(day.at("date"), "2018-12-11");
    EXPECT_EQ(day.at("sessions").at(0).at("title"), "Accueil");
    EXPECT_EQ(day.at("sessions").at(0).at("speakers"),
              boost::json::parse(R"([{"id":")" + barry + R"(","full_name":"Philippe Barry"}])"));
    EXPECT_EQ(day.at("sessions").at(1).at("title"), "Pause");
    const auto etag = r.header("ETag");
    EXPECT_EQ(server
                  .call("GET", "/v1/events/" + id + "/agenda", std::nullopt, {},
                        {{"If-None-Match", etag}})
                  .status,
              304);
    // Served again from memory: same bytes.
    EXPECT_EQ(server.call("GET", "/v1/events/la-revolution-numerique-en-debat/agenda").body,
              r.body);
    // A speaker's new title shows at once.
    ASSERT_EQ(
        server.call("PATCH", "/v1/speakers/" + barry, object{{"title", "Président"}}, owner).status,
        200);
    r = server.call("GET", "/v1/events/" + id + "/agenda", std::nullopt, {},
                    {{"If-None-Match", etag}});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("days").at(0).at("sessions").at(0).at("speakers").at(0).at("title"),
              "Président");
}

TEST_F(events_http, the_calendar_feed_parses_with_an_independent_library) {
    const auto id = published();
    const auto faure = speaker("Stéphanie Faure", owner);
    ASSERT_EQ(add_session(id, "Atelier : animer un tiers-lieu, ensemble ; vraiment", "14:00",
                          "15:00", "Salle atelier", {value(faure)},
                          "Un long résumé en français, avec des accents : éèàçôœ — pour vérifier "
                          "le pliage des lignes à 75 octets sans couper un caractère.")
                  .status,
              201);
    ASSERT_EQ(add_session(id, "Accueil", "09:30", "09:45", "Grande salle").status, 201);
    const auto r = server.call("GET", "/v1/events/" + id + "/agenda.ics");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), "text/calendar; charset=utf-8");
    const auto file = server.dir() + "/agenda.ics";
    std::ofstream(file, std::ios::binary) << r.body;
    const auto parsed = run_python({"tests/tools/check_ics.py", file});
    ASSERT_EQ(parsed.exit_code, 0) << parsed.output;
    EXPECT_NE(
        parsed.output.find("\t2018-12-11T08:30:00Z\t2018-12-11T08:45:00Z\t1\tCONFIRMED\tAccueil\n"),
        std::string::npos)
        << parsed.output;
    EXPECT_NE(
        parsed.output.find("\t2018-12-11T13:00:00Z\t2018-12-11T14:00:00Z\t1\tCONFIRMED\tAtelier : "
                           "animer un tiers-lieu, ensemble ; vraiment\n"),
        std::string::npos)
        << parsed.output;
    // SEQUENCE is the session's changes plus the event's (publishing counted one); a change to
    // the session raises it.
    const auto sessions = server.call("GET", "/v1/events/" + id + "/sessions").json();
    const std::string first(sessions.at("items").at(0).at("id").as_string());
    ASSERT_EQ(server
                  .call("PATCH", "/v1/events/" + id + "/sessions/" + first,
                        object{{"room", "Hall"}}, owner)
                  .status,
              200);
    std::ofstream(file, std::ios::binary)
        << server.call("GET", "/v1/events/" + id + "/agenda.ics").body;
    const auto again = run_python({"tests/tools/check_ics.py", file});
    EXPECT_NE(again.output.find("\t2\tCONFIRMED\tAccueil\n"), std::string::npos) << again.output;
}

TEST_F(events_http, summer_sessions_render_with_the_summer_offset) {
    auto summer = meeting("Forum d'été");
    summer["starts_at"] = "2026-10-24T09:00:00+02:00";
    summer["ends_at"] = "2026-10-25T18:00:00+01:00";
    const auto id = create(summer, owner);
    auto r = server.call("POST", "/v1/events/" + id + "/sessions",
                         object{{"title", "Avant"},
                                {"kind", "talk"},
                                {"starts_at", "2026-10-24T08:00:00Z"},
                                {"ends_at", "2026-10-24T09:00:00Z"}},
                         owner);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json().at("starts_at"), "2026-10-24T10:00:00+02:00");
    r = server.call("POST", "/v1/events/" + id + "/sessions",
                    object{{"title", "Après"},
                           {"kind", "talk"},
                           {"starts_at", "2026-10-25T08:00:00Z"},
                           {"ends_at", "2026-10-25T09:00:00Z"}},
                    owner);
    EXPECT_EQ(r.json().at("starts_at"), "2026-10-25T09:00:00+01:00");
    const auto agenda =
        server.call("GET", "/v1/events/" + id + "/agenda", std::nullopt, owner).json();
    EXPECT_EQ(agenda.at("days").as_array().size(), 2u);
    EXPECT_EQ(agenda.at("event").at("ends_at"), "2026-10-25T18:00:00+01:00");
}

} // namespace
} // namespace rencontres::testing
