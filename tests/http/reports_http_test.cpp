// The meeting's report (API.md §15): who writes, publishes and reads it, its checks, and where a
// published report shows. Channels checked: the JSON API, the event's page (its markup escaped
// but for the small subset), the search, the Atom feed (read by feedparser) and the console.
#include "support/console_client.hpp"
#include "support/process.hpp"
#include "support/test_server.hpp"

#include <fstream>
#include <gtest/gtest.h>

namespace rencontres::testing {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

struct reports_http : ::testing::Test {
    test_server server;
    std::string owner = server.token_for(role::organizer, "owner@x.fr");
    std::string other = server.token_for(role::organizer, "other@x.fr");
    std::string workshop;
    std::string future = forum_with_workshop(server, owner, 100, workshop);
    std::string past_session; // set by past_event()
    std::string speaker;
    std::string past = past_event();

    // A meeting of 2019, over: its report may be published.
    std::string past_event() {
        auto r = server.call("POST", "/v1/events",
                             object{{"title", "Les tiers-lieux en Haute-Vienne"},
                                    {"starts_at", "2019-05-14T09:00:00+02:00"},
                                    {"ends_at", "2019-05-14T17:00:00+02:00"},
                                    {"venue", object{{"city", "Bellac"}}},
                                    {"capacity", 80}},
                             owner);
        const std::string id(r.json().at("id").as_string());
        speaker = std::string(
            server.call("POST", "/v1/speakers", object{{"full_name", "Stéphanie Faure"}}, owner)
                .json()
                .at("id")
                .as_string());
        r = server.call("POST", "/v1/events/" + id + "/sessions",
                        object{{"title", "Tiers-lieux et habitants"},
                               {"kind", "round_table"},
                               {"speaker_ids", array{value(speaker)}},
                               {"starts_at", "2019-05-14T10:00:00+02:00"},
                               {"ends_at", "2019-05-14T11:00:00+02:00"}},
                        owner);
        past_session = std::string(r.json().at("id").as_string());
        EXPECT_EQ(server.call("POST", "/v1/events/" + id + "/publish", std::nullopt, owner).status,
                  200);
        return id;
    }
    object body() {
        return object{
            {"introduction", "Une journée *riche* d'échanges.\n\n- Trois tables rondes\n- "
                             "[Le programme](https://example.org/programme)\n\n<script>alert(1)"
                             "</script> [piège](javascript:alert(1))"},
            {"sessions",
             array{
                 object{{"session_id", past_session},
                        {"summary", "Les habitants *viennent* quand le lieu les accueille."},
                        {"quotes", array{object{{"text", "Un tiers-lieu, c'est d'abord des gens."},
                                                {"speaker_id", speaker}}}},
                        {"resources", array{object{{"label", "Diaporama"},
                                                   {"url", "https://example.org/slides.pdf"}}}}}}}};
    }
};

TEST_F(reports_http, organizers_write_a_draft_that_only_they_read) {
    auto r = server.call("GET", "/v1/events/" + past + "/report");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.json().at("code"), "report_not_found");
    EXPECT_EQ(server.call("PUT", "/v1/events/" + past + "/report", body()).status, 401);
    EXPECT_EQ(server.call("PUT", "/v1/events/" + past + "/report", body(), other).status, 403);
    r = server.call("PUT", "/v1/events/" + past + "/report", body(), owner);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("status"), "draft");
    EXPECT_EQ(r.json().at("sessions").at(0).at("quotes").at(0).at("speaker_id"), value(speaker));
    EXPECT_FALSE(r.json().as_object().contains("published_at"));
    EXPECT_EQ(server.call("GET", "/v1/events/" + past + "/report").status, 404);
    EXPECT_EQ(server.call("GET", "/v1/events/" + past + "/report", std::nullopt, other).status,
              404);
    r = server.call("GET", "/v1/events/" + past + "/report", std::nullopt, owner);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("introduction"), body().at("introduction"));
    // Not on the event's page, in the search nor in the feed.
    EXPECT_EQ(send_request(server.port(), "GET", "/evenements/" + past).body.find("Compte rendu"),
              std::string::npos);
    EXPECT_EQ(send_request(server.port(), "GET", "/rapports.atom").body.find("<entry>"),
              std::string::npos);
}

TEST_F(reports_http, a_bad_report_is_refused_whole_and_changes_nothing) {
    auto bad = body();
    bad["sessions"].as_array()[0].as_object()["session_id"] = workshop; // another event's
    auto r = server.call("PUT", "/v1/events/" + past + "/report", bad, owner);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "sessions[0].session_id");
    EXPECT_EQ(r.json().at("errors").at(0).at("code"), "unknown");
    bad = body();
    bad["sessions"].as_array()[0].as_object()["resources"] =
        array{object{{"label", "Site"}, {"url", "http://example.org"}}};
    r = server.call("PUT", "/v1/events/" + past + "/report", bad, owner);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "sessions[0].resources[0].url");
    EXPECT_EQ(r.json().at("errors").at(0).at("code"), "format");
    bad = body();
    bad["sessions"].as_array()[0].as_object()["quotes"] =
        array{object{{"text", "Bien."}, {"speaker_id", "999999"}}};
    r = server.call("PUT", "/v1/events/" + past + "/report", bad, owner);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "sessions[0].quotes[0].speaker_id");
    bad = body();
    bad["sessions"].as_array().push_back(object{{"session_id", past_session}});
    r = server.call("PUT", "/v1/events/" + past + "/report", bad, owner);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("code"), "duplicate");
    bad = body();
    bad["conclusion"] = "?";
    EXPECT_EQ(server.call("PUT", "/v1/events/" + past + "/report", bad, owner).status, 422);
    EXPECT_EQ(server.call("GET", "/v1/events/" + past + "/report", std::nullopt, owner).status,
              404);
}

TEST_F(reports_http, a_report_is_published_once_the_event_has_started_and_shows_everywhere) {
    ASSERT_EQ(server
                  .call("PUT", "/v1/events/" + future + "/report",
                        object{{"introduction", "Bientôt."}}, owner)
                  .status,
              200);
    auto r = server.call("POST", "/v1/events/" + future + "/report/publish", std::nullopt, owner);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("code"), "event_not_started");
    r = server.call("POST", "/v1/events/" + past + "/report/publish", std::nullopt, owner);
    EXPECT_EQ(r.status, 404); // nothing written yet
    ASSERT_EQ(server.call("PUT", "/v1/events/" + past + "/report", body(), owner).status, 200);
    EXPECT_EQ(
        server.call("POST", "/v1/events/" + past + "/report/publish", std::nullopt, other).status,
        403);
    r = server.call("POST", "/v1/events/" + past + "/report/publish", std::nullopt, owner);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("status"), "published");
    EXPECT_TRUE(r.json().as_object().contains("published_at"));
    // The API, for anyone.
    r = server.call("GET", "/v1/events/" + past + "/report");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("status"), "published");
    // The event's page: the small subset as HTML, everything else escaped.
    const auto page = send_request(server.port(), "GET", "/evenements/" + past).body;
    EXPECT_NE(page.find("<h2 id=\"compte-rendu\">Compte rendu</h2>"), std::string::npos);
    EXPECT_NE(page.find("Une journée <em>riche</em> d&#39;échanges."), std::string::npos) << page;
    EXPECT_NE(page.find("<li><a href=\"https://example.org/programme\">Le programme</a></li>"),
              std::string::npos);
    EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_EQ(page.find("<script>alert"), std::string::npos);
    EXPECT_EQ(page.find("href=\"javascript:"), std::string::npos);
    EXPECT_NE(page.find("<blockquote><p>Un tiers-lieu, c&#39;est d&#39;abord des gens.</p>\n"
                        "</blockquote><figcaption>— <a href=\"/intervenants/" +
                        speaker + "\">Stéphanie Faure</a>"),
              std::string::npos);
    EXPECT_NE(page.find("<a href=\"https://example.org/slides.pdf\">Diaporama</a>"),
              std::string::npos);
    // The search finds it by words of the report only.
    r = server.call("GET", "/v1/events?q=accueille");
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.json().at("items").as_array().size(), 1u) << r.body;
    EXPECT_EQ(r.json().at("items").at(0).at("id"), value(past));
    // The Atom feed, read by an independent parser.
    const auto feed = send_request(server.port(), "GET", "/rapports.atom");
    EXPECT_EQ(feed.status, 200);
    EXPECT_EQ(feed.header("Content-Type"), "application/atom+xml; charset=utf-8");
    const auto file = server.dir() + "/rapports.atom";
    std::ofstream(file, std::ios::binary) << feed.body;
    const auto parsed = run_python({"tests/tools/check_atom.py", file});
    ASSERT_EQ(parsed.exit_code, 0) << parsed.output << feed.body;
    EXPECT_NE(parsed.output.find("entry\t"), std::string::npos) << parsed.output;
    EXPECT_NE(parsed.output.find("Compte rendu : Les tiers-lieux en Haute-Vienne\t"),
              std::string::npos)
        << parsed.output;
    EXPECT_NE(parsed.output.find("#compte-rendu\t2"), std::string::npos) << parsed.output;
    EXPECT_EQ(feed.body.find("<script>"), std::string::npos);
    // A correction keeps it published.
    auto corrected = body();
    corrected["introduction"] = "Une journée d'échanges, corrigée.";
    r = server.call("PUT", "/v1/events/" + past + "/report", corrected, owner);
    EXPECT_EQ(r.json().at("status"), "published");
    EXPECT_NE(send_request(server.port(), "GET", "/evenements/" + past).body.find("corrigée"),
              std::string::npos);
}

TEST_F(reports_http, organizers_write_and_publish_it_from_the_console) {
    console_client browser(server.port());
    ASSERT_EQ(browser.sign_in("owner@x.fr").status, 303);
    const auto base = "/gestion/evenements/" + past + "/rapport";
    auto page = browser.get(base);
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("Pas encore de compte rendu."), std::string::npos);
    // A resource without https: refused, what was typed kept.
    auto r = browser.post(base, {{"action", "enregistrer"},
                                 {"introduction", "Une belle journée."},
                                 {"session_id", past_session},
                                 {"summary", "Synthèse."},
                                 {"quotes", "Stéphanie Faure : Des gens avant tout.\nSans nom."},
                                 {"resources", "Site | http://example.org"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("Une ressource par ligne"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("Une belle journée."), std::string::npos);
    r = browser.post(base, {{"action", "enregistrer"},
                            {"introduction", "Une belle journée."},
                            {"session_id", past_session},
                            {"summary", "Synthèse."},
                            {"quotes", "Stéphanie Faure : Des gens avant tout.\nSans nom."},
                            {"resources", "Site | https://example.org"}});
    EXPECT_EQ(r.status, 303);
    const auto saved = server.call("GET", "/v1/events/" + past + "/report", std::nullopt, owner);
    const auto quotes = saved.json().at("sessions").at(0).at("quotes");
    EXPECT_EQ(quotes.at(0).at("text"), "Des gens avant tout.");
    EXPECT_EQ(quotes.at(0).at("speaker_id"), value(speaker));
    EXPECT_FALSE(quotes.at(1).as_object().contains("speaker_id"));
    r = browser.post(base, {{"action", "publier"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(server.call("GET", "/v1/events/" + past + "/report").json().at("status"),
              "published");
    // Too early for the future meeting: said on the page.
    const auto early = "/gestion/evenements/" + future + "/rapport";
    ASSERT_EQ(
        browser.post(early, {{"action", "enregistrer"}, {"introduction", "Plus tard."}}).status,
        303);
    r = browser.post(early, {{"action", "publier"}});
    EXPECT_EQ(r.status, 409);
    EXPECT_NE(r.body.find("n&#39;a pas encore commencé"), std::string::npos) << r.body;
}

} // namespace
} // namespace rencontres::testing
