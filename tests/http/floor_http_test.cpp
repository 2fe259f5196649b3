// Questions from the floor, polls and the session's live stream over HTTP (API.md §14): who
// posts, sees, votes, moderates and answers; the stream's events, ids and resumption; and a room
// of 2,000 listeners. Channels that carry questions and polls and are checked here: the JSON
// API (lists, single items, votes, answers) and the stream.
#include "support/test_server.hpp"

#include <gtest/gtest.h>

namespace rencontres::testing {
namespace {

using boost::json::object;
using boost::json::value;

const header_list device_a{{"Cookie", "rencontres_device=aaaaaaaaaaaaaaaaaaaaaaaa"}};
const header_list device_b{{"Cookie", "theme=dark; rencontres_device=bbbbbbbbbbbbbbbbbbbbbbbb"}};

struct floor_http : ::testing::Test {
    explicit floor_http(const std::function<void(config&)>& tweak = {},
                        const std::function<void(http::server_settings&)>& tune = {})
        : server(tweak, tune) {}
    test_server server;
    std::string owner = server.token_for(role::organizer, "owner@x.fr");
    std::string other = server.token_for(role::organizer, "other@x.fr");
    std::string workshop;
    std::string event = forum_with_workshop(server, owner, 100, workshop);
    std::string session = workshop;

    reply set_mode(const std::string& mode) {
        return server.call("PATCH", "/v1/events/" + event + "/sessions/" + session,
                           object{{"questions", mode}}, owner);
    }
    reply ask(const std::string& text, const header_list& who = {}) {
        return server.call("POST", "/v1/sessions/" + session + "/floor-questions",
                           object{{"text", text}}, {}, who);
    }
    reply vote(const std::string& id, const header_list& who = {}) {
        return server.call("POST", "/v1/floor-questions/" + id + "/vote", std::nullopt, {}, who);
    }
    reply questions(const std::string& token = {}, const std::string& query = {}) {
        return server.call("GET", "/v1/sessions/" + session + "/floor-questions" + query,
                           std::nullopt, token);
    }
    std::vector<std::string> texts(const reply& r) {
        std::vector<std::string> out;
        const auto body = r.json();
        for (const auto& q : body.at("items").as_array())
            out.emplace_back(q.at("text").as_string());
        return out;
    }
};

TEST_F(floor_http, a_session_takes_no_questions_until_its_organizers_say_so) {
    auto r = ask("Et le très haut débit ?");
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("code"), "questions_off");
    r = server.call("GET", "/v1/events/" + event + "/sessions/" + session);
    EXPECT_EQ(r.json().at("questions"), "off");
    r = set_mode("always");
    EXPECT_EQ(r.status, 422);
    r = server.call("PATCH", "/v1/events/" + event + "/sessions/" + session,
                    object{{"questions", "open"}}, other);
    EXPECT_EQ(r.status, 403);
    r = set_mode("open");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("questions"), "open");
    r = ask("Et le très haut débit ?");
    ASSERT_EQ(r.status, 201) << r.body;
    const auto q = r.json().as_object();
    EXPECT_EQ(q.at("status"), "published");
    EXPECT_EQ(q.at("author_name"), "Anonyme");
    EXPECT_EQ(q.at("votes"), 0);
    EXPECT_EQ(q.at("session_id"), value(session));
    EXPECT_EQ(r.header("Location"), "/v1/floor-questions/" + std::string(q.at("id").as_string()));
}

TEST_F(floor_http, bad_questions_are_refused_and_change_nothing) {
    ASSERT_EQ(set_mode("open").status, 200);
    auto r = ask(std::string(501, 'a'));
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "text");
    EXPECT_EQ(r.json().at("errors").at(0).at("code"), "length");
    r = ask("   ");
    EXPECT_EQ(r.status, 422);
    r = server.call("POST", "/v1/sessions/" + session + "/floor-questions",
                    object{{"text", "Bonjour"}, {"email", "x@x.fr"}});
    EXPECT_EQ(r.status, 422); // unknown field
    r = server.call("POST", "/v1/sessions/999999/floor-questions", object{{"text", "Bonjour"}});
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.json().at("code"), "session_not_found");
    r = server.call("POST", "/v1/sessions/abc/floor-questions", object{{"text", "Bonjour"}});
    EXPECT_EQ(r.status, 404);
    EXPECT_TRUE(texts(questions()).empty());
    // A name is kept, trimmed.
    r = server.call("POST", "/v1/sessions/" + session + "/floor-questions",
                    object{{"text", " Et les aidants ? "}, {"author_name", " Mme Dupuy "}});
    ASSERT_EQ(r.status, 201);
    EXPECT_EQ(r.json().at("text"), "Et les aidants ?");
    EXPECT_EQ(r.json().at("author_name"), "Mme Dupuy");
}

TEST_F(floor_http, a_moderated_question_is_seen_by_the_organizers_until_one_publishes_it) {
    ASSERT_EQ(set_mode("moderated").status, 200);
    auto r = ask("Quel budget pour les tiers-lieux ?");
    ASSERT_EQ(r.status, 201);
    EXPECT_EQ(r.json().at("status"), "pending");
    const std::string id(r.json().at("id").as_string());
    // Anyone else: not listed, not voted on, not even asked for by status.
    EXPECT_TRUE(texts(questions()).empty());
    EXPECT_TRUE(texts(questions({}, "?status=pending")).empty());
    EXPECT_TRUE(texts(questions(other)).empty());
    EXPECT_EQ(vote(id).status, 404);
    // Its organizers see every status.
    EXPECT_EQ(texts(questions(owner)),
              std::vector<std::string>{"Quel budget pour les tiers-lieux ?"});
    EXPECT_EQ(texts(questions(owner, "?status=pending")).size(), 1u);
    EXPECT_EQ(questions(owner, "?status=lost").status, 422);
    // Moderation: its organizers only (a pending question is not even found by anyone else);
    // "pending" is not a status one sets.
    const auto patch = [&](const std::string& status, const std::string& token) {
        return server.call("PATCH", "/v1/floor-questions/" + id, object{{"status", status}}, token);
    };
    EXPECT_EQ(patch("published", {}).status, 404);
    EXPECT_EQ(patch("published", other).status, 404);
    EXPECT_EQ(patch("pending", owner).status, 422);
    r = patch("published", owner);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("status"), "published");
    EXPECT_EQ(texts(questions()).size(), 1u);
    EXPECT_EQ(patch("answered", {}).status, 401);
    EXPECT_EQ(patch("answered", other).status, 403);
    // Answered: still shown, takes no votes; hidden: gone for everyone but its organizers.
    r = patch("answered", owner);
    EXPECT_EQ(r.json().at("status"), "answered");
    EXPECT_TRUE(r.json().as_object().contains("answered_at"));
    r = vote(id);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("code"), "floor_question_closed");
    EXPECT_EQ(texts(questions()).size(), 1u);
    r = patch("hidden", owner);
    EXPECT_EQ(r.json().at("status"), "hidden");
    EXPECT_FALSE(r.json().as_object().contains("answered_at"));
    EXPECT_TRUE(texts(questions()).empty());
    EXPECT_EQ(texts(questions(owner, "?status=hidden")).size(), 1u);
}

TEST_F(floor_http, each_device_votes_once_and_questions_come_by_votes_then_age) {
    ASSERT_EQ(set_mode("open").status, 200);
    const std::string first(ask("Première ?").json().at("id").as_string());
    const std::string second(ask("Deuxième ?").json().at("id").as_string());
    const std::string third(ask("Troisième ?").json().at("id").as_string());
    EXPECT_EQ(texts(questions()),
              (std::vector<std::string>{"Première ?", "Deuxième ?", "Troisième ?"}));
    auto r = vote(third, device_a);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("votes"), 1);
    EXPECT_EQ(vote(third, device_a).json().at("votes"), 1); // a second vote changes nothing
    EXPECT_EQ(vote(third, device_b).json().at("votes"), 2);
    // Without a cookie (an API client), once per address.
    EXPECT_EQ(vote(third).json().at("votes"), 3);
    EXPECT_EQ(vote(third).json().at("votes"), 3);
    EXPECT_EQ(vote(second, device_a).json().at("votes"), 1);
    EXPECT_EQ(texts(questions()),
              (std::vector<std::string>{"Troisième ?", "Deuxième ?", "Première ?"}));
    // Pages of two.
    r = questions({}, "?limit=2");
    EXPECT_EQ(texts(r).size(), 2u);
    const std::string cursor(r.json().at("next_cursor").as_string());
    r = questions({}, "?limit=2&cursor=" + cursor);
    EXPECT_EQ(texts(r), std::vector<std::string>{"Première ?"});
    EXPECT_TRUE(r.json().at("next_cursor").is_null());
    EXPECT_EQ(vote("999999").status, 404);
    (void)first;
}

TEST_F(floor_http, a_draft_or_cancelled_event_takes_no_questions) {
    auto r = server.call("POST", "/v1/events",
                         object{{"title", "Brouillon"},
                                {"starts_at", "2031-06-11T09:00:00+02:00"},
                                {"ends_at", "2031-06-11T17:00:00+02:00"},
                                {"capacity", 10}},
                         owner);
    const std::string draft(r.json().at("id").as_string());
    r = server.call("POST", "/v1/events/" + draft + "/sessions",
                    object{{"title", "Ouverture"},
                           {"kind", "talk"},
                           {"questions", "open"},
                           {"starts_at", "2031-06-11T09:00:00+02:00"},
                           {"ends_at", "2031-06-11T10:00:00+02:00"}},
                    owner);
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string hidden(r.json().at("id").as_string());
    r = server.call("POST", "/v1/sessions/" + hidden + "/floor-questions", object{{"text", "?"}});
    EXPECT_EQ(r.status, 404); // a draft's sessions are not seen
    EXPECT_EQ(server.call("GET", "/v1/sessions/" + hidden + "/stream").status, 404);
    EXPECT_EQ(server.call("GET", "/v1/sessions/" + hidden + "/floor-questions").status, 404);
    EXPECT_EQ(server.call("GET", "/v1/sessions/" + hidden + "/polls").status, 404);
    r = server.call("POST", "/v1/sessions/" + hidden + "/floor-questions", object{{"text", "?"}},
                    owner);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("code"), "event_not_published");
    ASSERT_EQ(set_mode("open").status, 200);
    const std::string id(ask("Avant l'annulation").json().at("id").as_string());
    ASSERT_EQ(
        server.call("POST", "/v1/events/" + event + "/cancel", object{{"reason", "Neige"}}, owner)
            .status,
        200);
    r = ask("Après");
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("code"), "event_not_published");
    EXPECT_EQ(vote(id).status, 409);
}

struct floor_throttle : floor_http {
    floor_throttle()
        : floor_http([](config& c) {
              c.floor.questions_per_client = 2;
              c.floor.votes_per_client = 3;
          }) {}
};

TEST_F(floor_throttle, one_address_posts_and_votes_only_so_fast) {
    ASSERT_EQ(set_mode("open").status, 200);
    EXPECT_EQ(ask("Un").status, 201);
    const std::string id(ask("Deux").json().at("id").as_string());
    auto r = ask("Trois");
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.json().at("code"), "too_many_floor_posts");
    EXPECT_FALSE(r.header("Retry-After").empty());
    EXPECT_EQ(texts(questions()).size(), 2u);
    EXPECT_EQ(vote(id, device_a).status, 200);
    EXPECT_EQ(vote(id, device_b).status, 200);
    EXPECT_EQ(vote(id).status, 200);
    r = vote(id, {{"Cookie", "rencontres_device=cccccccccccccccccccccccc"}});
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(questions().json().at("items").at(0).at("votes"), 3);
}

// --- polls ------------------------------------------------------------------------------------

struct floor_polls : floor_http {
    reply make_poll(const value& body, const std::string& token) {
        return server.call("POST", "/v1/sessions/" + session + "/polls", body, token);
    }
    reply act(const std::string& poll, const std::string& what, const std::string& token) {
        return server.call("POST", "/v1/polls/" + poll + "/" + what, std::nullopt, token);
    }
    reply answer(const std::string& poll, const std::vector<std::string>& options,
                 const header_list& who) {
        boost::json::array ids;
        for (const auto& o : options)
            ids.emplace_back(o);
        return server.call("POST", "/v1/polls/" + poll + "/answers", object{{"option_ids", ids}},
                           {}, who);
    }
    static std::string option(const reply& r, std::size_t i) {
        return std::string(r.json().at("options").at(i).at("id").as_string());
    }
};

TEST_F(floor_polls, organizers_prepare_open_and_close_one_poll_at_a_time) {
    const object body{{"question", "Votre territoire a-t-il un tiers-lieu ?"},
                      {"options", boost::json::array{"Oui", "Non", "En projet"}}};
    EXPECT_EQ(make_poll(body, {}).status, 401);
    EXPECT_EQ(make_poll(body, other).status, 403);
    auto r = make_poll(object{{"question", "?"}, {"options", boost::json::array{"Oui"}}}, owner);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("code"), "count");
    r = make_poll(object{{"question", "?"}, {"options", boost::json::array{"Oui", "Oui"}}}, owner);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "options[1]");
    EXPECT_EQ(r.json().at("errors").at(0).at("code"), "duplicate");
    r = make_poll(body, owner);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json().at("status"), "draft");
    EXPECT_EQ(r.json().at("multiple"), false);
    EXPECT_EQ(r.json().at("options").as_array().size(), 3u);
    const std::string poll(r.json().at("id").as_string());
    // A draft is for its organizers.
    EXPECT_EQ(server.call("GET", "/v1/polls/" + poll).status, 404);
    EXPECT_TRUE(server.call("GET", "/v1/sessions/" + session + "/polls")
                    .json()
                    .at("items")
                    .as_array()
                    .empty());
    EXPECT_EQ(server.call("GET", "/v1/polls/" + poll, std::nullopt, owner).status, 200);
    EXPECT_EQ(act(poll, "close", owner).json().at("code"), "poll_not_open");
    EXPECT_EQ(act(poll, "open", other).status, 404); // a draft is not found by anyone else
    r = act(poll, "open", owner);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("status"), "open");
    EXPECT_TRUE(r.json().as_object().contains("opened_at"));
    const std::string second(make_poll(body, owner).json().at("id").as_string());
    r = act(second, "open", owner);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("code"), "poll_already_open");
    EXPECT_EQ(r.json().at("conflicts"), boost::json::array{value(poll)});
    ASSERT_EQ(act(poll, "close", owner).status, 200);
    r = act(poll, "open", owner);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("code"), "poll_closed");
    EXPECT_EQ(act(second, "open", owner).status, 200);
    EXPECT_EQ(act(second, "close", {}).status, 401);
    EXPECT_EQ(act(second, "close", other).status, 403);
}

TEST_F(floor_polls, each_device_answers_once_and_sees_counts_after_answering) {
    auto r =
        make_poll(object{{"question", "Priorité ?"},
                         {"options", boost::json::array{"Inclusion", "Tiers-lieux", "Commerce"}}},
                  owner);
    const std::string poll(r.json().at("id").as_string());
    const auto inclusion = option(r, 0), tiers = option(r, 1);
    r = answer(poll, {inclusion}, device_a);
    EXPECT_EQ(r.status, 404); // a draft is for its organizers
    EXPECT_EQ(r.json().at("code"), "poll_not_found");
    r = server.call("POST", "/v1/polls/" + poll + "/answers",
                    object{{"option_ids", boost::json::array{value(inclusion)}}}, owner);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("code"), "poll_not_open");
    ASSERT_EQ(act(poll, "open", owner).status, 200);
    // Counts are hidden from a device that has not answered.
    r = server.call("GET", "/v1/polls/" + poll, std::nullopt, {}, device_a);
    EXPECT_TRUE(r.json().at("options").at(0).at("votes").is_null());
    EXPECT_EQ(r.json().at("answered"), false);
    r = answer(poll, {inclusion, tiers}, device_a);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("code"), "count");
    r = answer(poll, {"12345678"}, device_a);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("code"), "unknown");
    r = answer(poll, {}, device_a);
    EXPECT_EQ(r.status, 422);
    r = answer(poll, {tiers}, device_a);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("options").at(1).at("votes"), 1);
    EXPECT_EQ(r.json().at("respondents"), 1);
    EXPECT_EQ(r.json().at("answered"), true);
    r = answer(poll, {inclusion}, device_a);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("code"), "poll_answered");
    EXPECT_EQ(answer(poll, {tiers}, device_b).status, 200);
    r = server.call("GET", "/v1/polls/" + poll, std::nullopt, {}, device_a);
    EXPECT_EQ(r.json().at("options").at(1).at("votes"), 2);
    EXPECT_EQ(r.json().at("options").at(0).at("votes"), 0);
    r = server.call("GET", "/v1/polls/" + poll); // an address that has not answered
    EXPECT_TRUE(r.json().at("respondents").is_null());
    EXPECT_EQ(server.call("GET", "/v1/polls/" + poll, std::nullopt, owner).json().at("respondents"),
              2);
    ASSERT_EQ(act(poll, "close", owner).status, 200);
    r = answer(poll, {inclusion}, {{"Cookie", "rencontres_device=cccccccccccccccccccccccc"}});
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("code"), "poll_closed");
    // Once closed, the counts are everyone's.
    r = server.call("GET", "/v1/sessions/" + session + "/polls");
    EXPECT_EQ(r.json().at("items").at(0).at("options").at(1).at("votes"), 2);
    EXPECT_EQ(r.json().at("items").at(0).at("status"), "closed");
}

TEST_F(floor_polls, a_multiple_choice_poll_counts_each_choice) {
    auto r = make_poll(object{{"question", "Vos outils ?"},
                              {"options", boost::json::array{"Visio", "Cartes", "Forum"}},
                              {"multiple", true}},
                       owner);
    const std::string poll(r.json().at("id").as_string());
    ASSERT_EQ(act(poll, "open", owner).status, 200);
    r = answer(poll, {option(r, 0), option(r, 2)}, device_a);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("options").at(0).at("votes"), 1);
    EXPECT_EQ(r.json().at("options").at(1).at("votes"), 0);
    EXPECT_EQ(r.json().at("options").at(2).at("votes"), 1);
    EXPECT_EQ(r.json().at("respondents"), 1);
    r = answer(poll, {option(r, 0), option(r, 0)}, device_b);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("code"), "duplicate");
}

// --- the live stream --------------------------------------------------------------------------

TEST_F(floor_http, the_stream_tells_each_change_with_an_id_and_resumes_after_the_last_one) {
    ASSERT_EQ(set_mode("open").status, 200);
    sse_client listener(server.port(), "/v1/sessions/" + session + "/stream");
    ASSERT_TRUE(listener.wait_for("retry: 3000\n\n"));
    EXPECT_NE(listener.received.find("HTTP/1.1 200 OK\r\n"), std::string::npos);
    EXPECT_NE(listener.received.find("Content-Type: text/event-stream"), std::string::npos);
    EXPECT_EQ(listener.received.find("Content-Length"), std::string::npos);
    const std::string id(ask("Et la fibre ?").json().at("id").as_string());
    ASSERT_TRUE(listener.wait_for("Et la fibre ?")) << listener.received;
    EXPECT_NE(listener.received.find("id: 1\nevent: question\ndata: {\"id\":\"" + id + "\""),
              std::string::npos)
        << listener.received;
    ASSERT_EQ(vote(id, device_a).status, 200);
    ASSERT_TRUE(listener.wait_for("id: 2\nevent: question\n")) << listener.received;
    EXPECT_NE(listener.received.find("\"votes\":1"), std::string::npos);

    // A poll: opened, answered (counts), closed.
    auto r = server.call(
        "POST", "/v1/sessions/" + session + "/polls",
        object{{"question", "Satisfait ?"}, {"options", boost::json::array{"Oui", "Non"}}}, owner);
    const std::string poll(r.json().at("id").as_string());
    const std::string yes(r.json().at("options").at(0).at("id").as_string());
    ASSERT_EQ(server.call("POST", "/v1/polls/" + poll + "/open", std::nullopt, owner).status, 200);
    ASSERT_TRUE(listener.wait_for("id: 3\nevent: poll\n")) << listener.received;
    ASSERT_EQ(server
                  .call("POST", "/v1/polls/" + poll + "/answers",
                        object{{"option_ids", boost::json::array{value(yes)}}}, {}, device_a)
                  .status,
              200);
    ASSERT_TRUE(listener.wait_for("\"respondents\":1")) << listener.received;

    // Moderation reaches the stream too: a hidden question, so that screens drop it.
    ASSERT_EQ(server.call("PATCH", "/v1/floor-questions/" + id, object{{"status", "hidden"}}, owner)
                  .status,
              200);
    ASSERT_TRUE(listener.wait_for("\"status\":\"hidden\"")) << listener.received;

    // A listener that lost its connection after event 1 gets what came since, once each: the
    // question's and the poll's latest state.
    sse_client back(server.port(), "/v1/sessions/" + session + "/stream", {{"Last-Event-ID", "1"}});
    ASSERT_TRUE(back.wait_for("\"status\":\"hidden\"")) << back.received;
    ASSERT_TRUE(back.wait_for("\"respondents\":1")) << back.received;
    EXPECT_EQ(back.received.find("id: 1\n"), std::string::npos);
    // Started afresh, a listener hears only what comes next.
    sse_client fresh(server.port(), "/v1/sessions/" + session + "/stream");
    ASSERT_TRUE(fresh.wait_for("retry: 3000\n\n"));
    EXPECT_FALSE(fresh.wait_for("event:", std::chrono::milliseconds{600})) << fresh.received;
}

TEST_F(floor_http, a_draft_s_stream_is_not_found_and_a_bad_resume_point_starts_afresh) {
    auto r = server.call("GET", "/v1/sessions/999999/stream");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.json().at("code"), "session_not_found");
    ASSERT_EQ(set_mode("open").status, 200);
    ask("Une");
    sse_client odd(server.port(), "/v1/sessions/" + session + "/stream", {{"Last-Event-ID", "x1"}});
    ASSERT_TRUE(odd.wait_for("retry: 3000\n\n"));
    EXPECT_FALSE(odd.wait_for("event:", std::chrono::milliseconds{500}));
    ask("Deux");
    EXPECT_TRUE(odd.wait_for("Deux"));
    EXPECT_EQ(odd.received.find("Une"), std::string::npos);
}

struct floor_heartbeat : floor_http {
    floor_heartbeat()
        : floor_http({},
                     [](http::server_settings& s) { s.live_heartbeat = std::chrono::seconds{1}; }) {
    }
};

// A comment every heartbeat, whether events came or not, so that proxies keep the stream open.
TEST_F(floor_heartbeat, a_quiet_stream_hears_a_comment_every_heartbeat) {
    ASSERT_EQ(set_mode("open").status, 200);
    sse_client listener(server.port(), "/v1/sessions/" + session + "/stream");
    ASSERT_TRUE(listener.wait_for("retry: 3000\n\n"));
    const auto head = listener.received.size();
    ASSERT_TRUE(listener.wait_for("retry: 3000\n\n:\n\n", std::chrono::seconds{3}))
        << listener.received;
    EXPECT_EQ(listener.received.size(), head + 3);
    ASSERT_EQ(ask("Et la fibre ?").status, 201);
    ASSERT_TRUE(listener.wait_for("Et la fibre ?"));
    ASSERT_TRUE(listener.wait_for("\"}\n\n")) << listener.received; // the event's end
    // Events do not stop the heartbeat: the next comment comes after the question.
    const auto after = listener.received.find("\"}\n\n") + 4;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{3};
    while (listener.received.find(":\n\n", after) == std::string::npos &&
           std::chrono::steady_clock::now() < deadline && !listener.closed)
        listener.wait_for("\x01", std::chrono::milliseconds{100});
    EXPECT_EQ(listener.received.substr(after), ":\n\n");
    EXPECT_FALSE(listener.closed);
}

// A phone that reads too slowly is dropped, never buffered without bound; the others hear every
// question. `tune` says when: past a queue of so many bytes, or a socket full for so long.
struct floor_slow_reader : floor_http {
    explicit floor_slow_reader(const std::function<void(http::server_settings&)>& tune)
        : floor_http([](config& c) { c.floor.questions_per_client = 0; }, tune) {}

    // Posts long questions, `batch` at a time with `pause` after each, until the slow phone is
    // dropped; then checks that the phone that reads heard them all, and that the slow one, once
    // it reads, finds its stream ended and resumes after its last event.
    void posts_until_the_slow_phone_is_dropped(int batch, std::chrono::milliseconds pause) {
        ASSERT_EQ(set_mode("open").status, 200);
        sse_client reader(server.port(), "/v1/sessions/" + session + "/stream");
        sse_client slow(server.port(), "/v1/sessions/" + session + "/stream", {}, 2048);
        ASSERT_TRUE(reader.wait_for("retry: 3000\n\n"));
        ASSERT_TRUE(slow.wait_for("retry: 3000\n\n"));
        // Each joins its channel just after its head is written.
        const auto joined = std::chrono::steady_clock::now() + std::chrono::seconds{5};
        while (server.app().live().listeners() < 2 && std::chrono::steady_clock::now() < joined)
            std::this_thread::sleep_for(std::chrono::milliseconds{10});
        ASSERT_EQ(server.app().live().listeners(), 2u);
        const std::string filler(450, 'x');
        int posted = 0;
        while (server.app().live().listeners() == 2 && posted < 2'000) {
            for (int i = 0; i < batch; ++i)
                ASSERT_EQ(ask("Q" + std::to_string(++posted) + " " + filler).status, 201);
            reader.wait_for("Q" + std::to_string(posted) + " ", std::chrono::seconds{5});
            std::this_thread::sleep_for(pause);
        }
        ASSERT_EQ(server.app().live().listeners(), 1u) << posted << " questions posted";
        EXPECT_TRUE(reader.wait_for("Q" + std::to_string(posted) + " ")) << posted;
        EXPECT_FALSE(reader.closed);
        // The slow phone reads what reached it, then the end of its stream.
        EXPECT_FALSE(slow.wait_for("no such text", std::chrono::seconds{5}));
        EXPECT_TRUE(slow.closed);
        EXPECT_EQ(slow.received.find("Q" + std::to_string(posted) + " "), std::string::npos);
        const auto last = slow.received.rfind("\nid: ");
        ASSERT_NE(last, std::string::npos);
        const auto id =
            slow.received.substr(last + 5, slow.received.find('\n', last + 1) - last - 5);
        sse_client back(server.port(), "/v1/sessions/" + session + "/stream",
                        {{"Last-Event-ID", id}});
        EXPECT_TRUE(back.wait_for("Q" + std::to_string(posted) + " ", std::chrono::seconds{10}))
            << id;
    }
};

struct floor_queue_bound : floor_slow_reader {
    floor_queue_bound()
        : floor_slow_reader([](http::server_settings& s) {
              s.live_max_queued_bytes = 16 * 1024;
              s.write_timeout = std::chrono::seconds{60};
          }) {}
};

TEST_F(floor_queue_bound, a_listener_whose_queue_passes_its_bound_is_dropped) {
    posts_until_the_slow_phone_is_dropped(20, std::chrono::milliseconds{0});
}

struct floor_stalled : floor_slow_reader {
    floor_stalled()
        : floor_slow_reader([](http::server_settings& s) {
              s.live_max_queued_bytes = 64 * 1024 * 1024;
              s.write_timeout = std::chrono::milliseconds{400};
          }) {}
};

TEST_F(floor_stalled, a_listener_whose_socket_stays_full_past_the_write_timeout_is_dropped) {
    posts_until_the_slow_phone_is_dropped(40, std::chrono::milliseconds{700});
}

struct floor_room : floor_http {
    floor_room()
        : floor_http([](config& c) {
              c.server.max_connections = 4'500;
              c.floor.questions_per_client = 0;
          }) {}
};

// A room of 2,000 phones on one session: every one hears each published question.
TEST_F(floor_room, two_thousand_listeners_each_hear_every_question) {
    ASSERT_EQ(set_mode("open").status, 200);
    constexpr int listeners = 2'000;
    std::vector<std::unique_ptr<sse_client>> room;
    room.reserve(listeners);
    for (int i = 0; i < listeners; ++i)
        room.push_back(
            std::make_unique<sse_client>(server.port(), "/v1/sessions/" + session + "/stream"));
    for (auto& phone : room)
        ASSERT_TRUE(phone->wait_for("retry: 3000\n\n", std::chrono::seconds{30}));
    for (int q = 1; q <= 3; ++q)
        ASSERT_EQ(ask("Question numéro " + std::to_string(q)).status, 201);
    // Every listener hears every question, or is told its stream ended (its browser then
    // reconnects and resumes after its Last-Event-ID): none is left waiting in silence.
    int heard = 0, ended = 0;
    for (auto& phone : room) {
        const bool all = phone->wait_for("Question numéro 3", std::chrono::seconds{30}) &&
                         phone->received.find("Question numéro 1") != std::string::npos &&
                         phone->received.find("Question numéro 2") != std::string::npos;
        heard += all;
        if (!all) {
            EXPECT_TRUE(phone->closed) << "a listener neither heard every question nor was closed";
            ++ended;
        }
    }
    EXPECT_GE(heard, listeners * 99 / 100);
    EXPECT_EQ(server.app().live().listeners(), static_cast<std::size_t>(listeners - ended));
    room.clear();
    // Gone listeners are forgotten at once.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
    while (server.app().live().listeners() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds{50});
    EXPECT_EQ(server.app().live().listeners(), 0u);
}

} // namespace
} // namespace rencontres::testing
