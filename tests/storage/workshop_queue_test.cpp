// Workshop seats follow their own queues: thousands of random registrations, workshop choices,
// changes of workshops and cancellations run through the registration service, on the unit
// tests' fakes and on the adapter of this run, and after every step each registration's event
// status and workshop seats must be exactly what a plain model of the rules says:
// - the event's seats go to registrations in the order they were made;
// - a workshop's seats go to those on its list who hold an event seat, in the order they joined
//   that list; someone promoted to the event keeps their places in the lists they joined;
// - a workshop list's positions count those waiting on it, in joining order.
// So no workshop is overbooked, every list keeps its order, and nobody is skipped.
#include "domain/agenda/service.hpp"
#include "domain/events/service.hpp"
#include "domain/registrations/service.hpp"
#include "storage/sides.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <sstream>

namespace rencontres {
namespace {

using testing::adapter;
using testing::fakes;

const instant now = *parse_instant("2026-11-26T10:00:00Z");
constexpr int event_capacity = 6;
const int workshop_capacity[] = {1, 2, 3};

// The rules, on plain containers.
struct model {
    struct place {
        id_t registration;
        bool seated;
    };
    std::map<id_t, bool> confirmed;                 // active registrations: event seat or not
    std::map<id_t, std::vector<place>> lists;       // by workshop, in joining order
    std::map<id_t, int> capacity;                   // by workshop
    std::map<id_t, std::vector<id_t>> workshops_of; // active registration -> workshops, any order

    int event_seats_taken() const {
        return static_cast<int>(
            std::count_if(confirmed.begin(), confirmed.end(), [](auto& c) { return c.second; }));
    }
    int seats_taken(id_t w) const {
        const auto& l = lists.at(w);
        return static_cast<int>(
            std::count_if(l.begin(), l.end(), [](const place& p) { return p.seated; }));
    }
    // Free seats go to those on the list who hold an event seat, in joining order.
    void fill(id_t w) {
        for (auto& p : lists[w])
            if (seats_taken(w) < capacity[w] && !p.seated && confirmed.at(p.registration))
                p.seated = true;
    }
    void join(id_t r, id_t w) {
        lists[w].push_back({r, confirmed.at(r) && seats_taken(w) < capacity[w]});
        workshops_of[r].push_back(w);
    }
    void leave(id_t r, id_t w) {
        auto& l = lists[w];
        const auto it =
            std::find_if(l.begin(), l.end(), [&](const place& p) { return p.registration == r; });
        const bool seated = it->seated;
        l.erase(it);
        std::erase(workshops_of[r], w);
        if (seated) fill(w);
    }
    void registered(id_t r, const std::vector<id_t>& chosen) {
        confirmed[r] = event_seats_taken() < event_capacity;
        workshops_of[r];
        for (const auto w : chosen)
            join(r, w);
    }
    void cancelled(id_t r) {
        const bool held = confirmed.at(r);
        for (const auto w : std::vector<id_t>(workshops_of[r])) {
            auto& l = lists[w];
            std::erase_if(l, [&](const place& p) { return p.registration == r; });
        }
        workshops_of.erase(r);
        confirmed.erase(r);
        if (!held) return;
        for (auto& [id, seat] : confirmed)
            if (!seat && event_seats_taken() < event_capacity) seat = true;
        for (auto& [w, l] : lists)
            fill(w);
    }
    void changed(id_t r, const std::vector<id_t>& wanted) {
        for (const auto w : std::vector<id_t>(workshops_of[r]))
            if (std::find(wanted.begin(), wanted.end(), w) == wanted.end()) leave(r, w);
        for (const auto w : wanted)
            if (std::find(workshops_of[r].begin(), workshops_of[r].end(), w) ==
                workshops_of[r].end())
                join(r, w);
    }
    // What the registration's seat in `w` should be: status and position.
    std::pair<registration_status, std::optional<int>> seat(id_t r, id_t w) const {
        int waiting = 0;
        for (const auto& p : lists.at(w)) {
            if (!p.seated) ++waiting;
            if (p.registration == r)
                return p.seated ? std::pair{registration_status::confirmed, std::optional<int>{}}
                                : std::pair{registration_status::waitlisted,
                                            std::optional<int>{waiting}};
        }
        ADD_FAILURE() << "registration " << r << " is not on the list of " << w;
        return {registration_status::cancelled, std::nullopt};
    }
};

template <class Side> struct workshop_queues : ::testing::Test {
    Side side;
    testing::recording_observer observer;
    testing::fake_minter minter;
    testing::fake_sealer sealer;
    event_service events{side.get(), observer};
    session_service sessions{side.get(), observer};
    registration_service registrations{side.get(), minter, sealer};
    actor owner{std::nullopt, role::organizer};
    std::string event_id;
    std::vector<id_t> workshops;
    model expected;
    std::map<id_t, std::string> tokens;

    void SetUp() override {
        {
            auto uow = side.get().begin(access::write);
            owner.account_id =
                uow->accounts()
                    .insert({0, "orga@x.fr", "Orga", role::organizer, now, now, "$argon2id$..."})
                    ->id;
            uow->commit();
        }
        event_fields f;
        f.venue_city = "Guéret";
        f.title = "Rencontre";
        f.starts_at = "2026-12-11T09:00:00+01:00";
        f.ends_at = "2026-12-11T17:00:00+01:00";
        f.capacity = std::optional<long long>{event_capacity};
        event_id = id_text(events.create_event(owner, f, now)->id);
        for (int i = 0; i < 3; ++i) {
            session_fields s;
            s.title = "Atelier " + std::to_string(i + 1);
            s.kind = "workshop";
            // One after the other: a registrant may take all three.
            s.starts_at = "2026-12-11T1" + std::to_string(i + 3) + ":00:00+01:00";
            s.ends_at = "2026-12-11T1" + std::to_string(i + 3) + ":45:00+01:00";
            s.capacity = std::optional<long long>{workshop_capacity[i]};
            const auto made = sessions.create_session(owner, event_id, s, now);
            ASSERT_TRUE(made) << made.error().message;
            workshops.push_back(made->id);
            expected.capacity[made->id] = workshop_capacity[i];
            expected.lists[made->id];
        }
        ASSERT_TRUE(events.publish_event(owner, event_id, now));
    }

    std::vector<std::string> texts(const std::vector<id_t>& ids) {
        std::vector<std::string> out;
        for (const auto id : ids)
            out.push_back(id_text(id));
        return out;
    }

    // Every active registration as the service shows it, against the model.
    void check(int step) {
        for (const auto& [id, seat] : expected.confirmed) {
            const auto found = registrations.get_registration(owner, id, std::nullopt);
            ASSERT_TRUE(found) << "step " << step;
            ASSERT_EQ(found->status,
                      seat ? registration_status::confirmed : registration_status::waitlisted)
                << "step " << step << ", registration " << id;
            int held = 0;
            for (const auto& s : found->sessions) {
                if (s.status == registration_status::cancelled) continue;
                ++held;
                const auto [status, position] = expected.seat(id, s.session_id);
                ASSERT_EQ(s.status, status)
                    << "step " << step << ", registration " << id << ", workshop " << s.session_id;
                ASSERT_EQ(s.waitlist_position, position)
                    << "step " << step << ", registration " << id << ", workshop " << s.session_id;
            }
            ASSERT_EQ(held, static_cast<int>(expected.workshops_of.at(id).size()))
                << "step " << step << ", registration " << id;
        }
        for (const auto w : workshops)
            ASSERT_LE(expected.seats_taken(w), expected.capacity[w]);
    }
};

using sides = ::testing::Types<fakes, adapter>;
TYPED_TEST_SUITE(workshop_queues, sides);

TYPED_TEST(workshop_queues, random_registrations_and_cancellations_follow_each_list_in_order) {
    std::mt19937 random(20261206);
    int people = 0;
    const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); };
    for (int step = 0; step < TypeParam::property_steps; ++step) {
        const auto active = this->expected.confirmed.size();
        const int roll = pick(10);
        std::vector<id_t> chosen;
        for (const auto w : this->workshops)
            if (pick(2)) chosen.push_back(w);
        std::shuffle(chosen.begin(), chosen.end(), random);
        if (active < 6 || (roll < 5 && active < 40)) {
            const auto name = "p" + std::to_string(++people);
            registration_command c{name,         name + "@x.fr",      std::nullopt,
                                   std::nullopt, this->texts(chosen), true};
            const auto made = this->registrations.register_participant(
                actor::anonymous(), this->event_id, c, std::nullopt, {}, now);
            ASSERT_TRUE(made) << made.error().message;
            this->side.get().wait_durable(made->durable_after);
            const auto id = made->receipt->registration.id;
            this->tokens[id] = made->receipt->manage_token;
            this->expected.registered(id, chosen);
        } else {
            auto it = this->expected.confirmed.begin();
            std::advance(it, pick(static_cast<int>(active)));
            const auto id = it->first;
            if (roll < 8) {
                // Cancelled by the organizers or by the registrant.
                const auto done = roll % 2 ? this->registrations.cancel_registration(
                                                 this->owner, id, std::nullopt, now)
                                           : this->registrations.cancel_registration(
                                                 actor::anonymous(), id, this->tokens[id], now);
                ASSERT_TRUE(done) << done.error().message;
                this->side.get().wait_durable(*done);
                this->expected.cancelled(id);
            } else {
                registration_patch patch;
                patch.session_ids = this->texts(chosen);
                const auto done = this->registrations.update_registration(
                    actor::anonymous(), id, this->tokens[id], patch, now);
                ASSERT_TRUE(done) << done.error().message;
                this->expected.changed(id, chosen);
            }
        }
        this->check(step);
        if (::testing::Test::HasFatalFailure()) return;
    }
    // The run reached full lists, promotions and moves.
    EXPECT_GT(people, TypeParam::property_steps / 3);
}

// The case as an organizer met it: Sophie holds an event seat and the workshop's only seat,
// Amélie holds an event seat and is first on the workshop's list, Jean-Pierre waits for the
// event and is second on it. The organizers cancel Sophie: Jean-Pierre gets the event seat,
// Amélie the workshop seat, and Jean-Pierre is now first on the workshop's list.
TYPED_TEST(workshop_queues,
           a_freed_workshop_seat_goes_to_the_first_on_its_list_with_an_event_seat) {
    event_fields small;
    small.capacity = std::optional<long long>{2};
    ASSERT_TRUE(this->events.update_event(this->owner, this->event_id, small, {}, now));
    const auto w = this->workshops[0]; // one seat
    const auto sign = [&](const std::string& name) {
        registration_command c{name,         name + "@x.fr", std::nullopt,
                               std::nullopt, {id_text(w)},   true};
        const auto made = this->registrations.register_participant(
            actor::anonymous(), this->event_id, c, std::nullopt, {}, now);
        this->side.get().wait_durable(made->durable_after);
        return made->receipt->registration;
    };
    const auto sophie = sign("Sophie"), amelie = sign("Amélie"), jean_pierre = sign("Jean-Pierre");
    ASSERT_EQ(jean_pierre.status, registration_status::waitlisted);
    ASSERT_EQ(amelie.sessions.at(0).waitlist_position, 1);
    const auto cancelled =
        this->registrations.cancel_registration(this->owner, sophie.id, std::nullopt, now);
    ASSERT_TRUE(cancelled);
    this->side.get().wait_durable(*cancelled);
    const auto a = this->registrations.get_registration(this->owner, amelie.id, std::nullopt);
    const auto j = this->registrations.get_registration(this->owner, jean_pierre.id, std::nullopt);
    EXPECT_EQ(a->status, registration_status::confirmed);
    EXPECT_EQ(a->sessions.at(0).status, registration_status::confirmed);
    EXPECT_EQ(a->sessions.at(0).waitlist_position, std::nullopt);
    EXPECT_EQ(j->status, registration_status::confirmed);
    EXPECT_EQ(j->sessions.at(0).status, registration_status::waitlisted);
    EXPECT_EQ(j->sessions.at(0).waitlist_position, 1);
}

} // namespace
} // namespace rencontres
