// Tests of the simulator (server/sim/simulator.hpp) through the ordinary decoder: what a receiver
// decodes must be the scripted positions (within 1 m), speeds, courses, statuses and identities.
//
// Scripted truth used below (scenario `script`, start 2026-03-14T17:30:00Z = Unix 1773509400):
//
//   463100001 class A "AL-MADINA" AP3318, 20 m x 6 m
//     t = 0..600 s     moored at P0 = 25.2000 N 63.5000 E
//     t = 600 s ->     due south along the meridian 63.5 E at 6.0 kn to P1 = 25.1000 N
//     after arrival    at anchor at P1 (heading 180, the course it arrived on)
//
//   463100002 class B "SAGAR RANI", 15 m x 4 m
//     t = 0 ->         from Q0 = 25.0000 N 63.0000 E to Q1 = 25.0500 N 63.1000 E at 8.0 kn
//                      (11.5 km, 46.6 min), then fishing at Q1
//
//   463100003 class B "PIR BAKHSH": moored at R0 = 25.0520 N 61.7400 E, AIS off after 5 min
//
//      P0 *  moored 10 min           Q0 *----8 kn---->* Q1
//         |  6 kn, COG 180
//      P1 *  anchored
#include <cmath>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "geo/geodesic.hpp"
#include "tests/sim/sim_test_support.hpp"

namespace sahil::sim {
namespace {

constexpr std::string_view script = R"(
[scenario]
start = 2026-03-14T17:30:00Z
duration_min = 90

[[vessels]]
mmsi = 463100001
name = "AL-MADINA"
call_sign = "AP3318"
class = "A"
length_m = 20
beam_m = 6
track = [
  { lat_deg = 25.2, lon_deg = 63.5, stay_min = 10 },
  { lat_deg = 25.1, lon_deg = 63.5, sog_knots = 6.0, stay_status = "anchored" },
]

[[vessels]]
mmsi = 463100002
name = "SAGAR RANI"
class = "B"
length_m = 15
beam_m = 4
track = [
  { lat_deg = 25.0, lon_deg = 63.0 },
  { lat_deg = 25.05, lon_deg = 63.1, sog_knots = 8.0, stay_status = "fishing" },
]

[[vessels]]
mmsi = 463100003
name = "PIR BAKHSH"
class = "B"
ais_off_after_min = 5
track = [ { lat_deg = 25.052, lon_deg = 61.74 } ]
)";

constexpr double metres_per_second_per_knot = 1852.0 / 3600.0;
const UtcTime start = from_unix_seconds(1'773'509'400);
const geo::Position p0{25.2, 63.5};
const geo::Position p1{25.1, 63.5};
const geo::Position q0{25.0, 63.0};
const geo::Position q1{25.05, 63.1};

geo::Position where(const ais::PositionFields& p) {
    return {*p.lat_deg(), *p.lon_deg()};
}

class SimulatorTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { s_out = new test::Decoded(test::run(parse_scenario(script))); }
    static void TearDownTestSuite() {
        delete s_out;
        s_out = nullptr;
    }
    static const test::Decoded& out() { return *s_out; }

private:
    static inline test::Decoded* s_out = nullptr;
};

TEST_F(SimulatorTest, output_decodes_without_errors_and_in_time_order) {
    EXPECT_EQ(out().errors, std::vector<std::string>{});
    EXPECT_EQ(out().counters.error_total(), 0U);
    EXPECT_EQ(out().counters.length_mismatch, 0U);
    EXPECT_EQ(out().counters.lines, out().lines);
    ASSERT_FALSE(out().messages.empty());
    UtcTime last = start;
    for (const auto& m : out().messages) {
        EXPECT_GE(m.fix_time, last);
        EXPECT_LT(m.fix_time, start + std::chrono::minutes(90));
        EXPECT_EQ(m.station, "sim");
        EXPECT_EQ(m.talker, "AI");
        last = m.fix_time;
    }
}

TEST_F(SimulatorTest, every_sentence_has_a_tag_block_and_fits_82_characters) {
    std::istringstream lines(out().text);
    std::string line;
    std::size_t n = 0;
    while (std::getline(lines, line)) {
        ++n;
        ASSERT_EQ(line.rfind("\\s:sim,c:", 0), 0U) << line;
        const auto bang = line.find("\\!");
        ASSERT_NE(bang, std::string::npos) << line;
        EXPECT_LE(line.size() - bang - 1 + 2, 82U) << line; // sentence + CR LF
    }
    EXPECT_EQ(n, out().lines);
}

TEST_F(SimulatorTest, same_scenario_gives_the_same_bytes) {
    EXPECT_EQ(test::run(parse_scenario(script)).text, out().text);
}

TEST_F(SimulatorTest, class_a_moored_then_due_south_at_6_knots_then_anchored) {
    const double leg_m = geo::distance_m(p0, p1);
    const double leg_s = leg_m / (6.0 * metres_per_second_per_knot);
    int moored = 0;
    int moving = 0;
    int anchored = 0;
    double previous_t = -1;
    bool previous_moving = false;
    for (const auto& m : test::of(out(), 463100001)) {
        const auto* r = std::get_if<ais::PositionReport>(&m.message);
        if (r == nullptr) {
            continue;
        }
        const double t = test::seconds_after(m, start);
        SCOPED_TRACE("t = " + std::to_string(t));
        EXPECT_EQ(r->type, 1);
        EXPECT_EQ(*r->utc_second(), static_cast<int>(unix_seconds(m.fix_time) % 60));
        if (t < 600) {
            ++moored;
            EXPECT_LT(geo::distance_m(where(*r), p0), 1.0);
            EXPECT_EQ(r->sog_raw, 0);
            EXPECT_EQ(r->nav_status, 5); // moored
            EXPECT_FALSE(r->cog_deg());
            EXPECT_FALSE(r->heading_deg()); // has not moved yet
            if (previous_t >= 0) {
                EXPECT_EQ(t - previous_t, 180.0); // M.1371 Table 1: moored, 3 min
            }
        } else if (t <= 600 + leg_s) {
            ++moving;
            if (moving == 1) {
                EXPECT_EQ(t, 600.0); // reports as soon as it starts to move
            } else if (previous_moving) {
                EXPECT_EQ(t - previous_t, 10.0); // Table 1: 0-14 kn, 10 s
            }
            EXPECT_EQ(*r->sog_knots(), 6.0);
            EXPECT_EQ(*r->cog_deg(), 180.0);
            EXPECT_EQ(*r->heading_deg(), 180.0);
            EXPECT_EQ(r->nav_status, 0); // under way using engine
            const geo::Position at = where(*r);
            EXPECT_NEAR(at.lon_deg, 63.5, 1.0 / 600'000); // on the meridian (1/10,000 min)
            EXPECT_NEAR(geo::distance_m(p0, at), (t - 600) * 6.0 * metres_per_second_per_knot, 1.0);
        } else {
            ++anchored;
            EXPECT_LT(geo::distance_m(where(*r), p1), 1.0);
            EXPECT_EQ(r->sog_raw, 0);
            EXPECT_EQ(r->nav_status, 1); // at anchor
            EXPECT_EQ(*r->heading_deg(), 180.0);
        }
        previous_moving = t >= 600 && t <= 600 + leg_s;
        previous_t = t;
    }
    EXPECT_EQ(moored, 4);   // t = 1, 181, 361, 541 (first report at MMSI mod 10 s)
    EXPECT_GE(moving, 355); // ~59.8 min at one report per 10 s
    EXPECT_GE(anchored, 6);
}

TEST_F(SimulatorTest, class_a_static_data_every_6_minutes) {
    std::vector<double> times;
    for (const auto& m : test::of(out(), 463100001)) {
        const auto* s = std::get_if<ais::StaticVoyageData>(&m.message);
        if (s == nullptr) {
            continue;
        }
        times.push_back(test::seconds_after(m, start));
        EXPECT_EQ(s->shipname, "AL-MADINA");
        EXPECT_EQ(s->callsign, "AP3318");
        EXPECT_EQ(s->shiptype, 30);
        EXPECT_EQ(s->to_bow + s->to_stern, 20);
        EXPECT_EQ(s->to_port + s->to_starboard, 6);
        EXPECT_EQ(s->epfd, 1);
    }
    ASSERT_EQ(times.size(), 15U); // t = 1 + 360 k < 5400
    for (std::size_t i = 0; i < times.size(); ++i) {
        EXPECT_EQ(times[i], 1.0 + 360.0 * static_cast<double>(i)); // from the first report
    }
}

TEST_F(SimulatorTest, class_b_follows_the_geodesic_at_8_knots) {
    const double leg_m = geo::distance_m(q0, q1);
    const double leg_s = leg_m / (8.0 * metres_per_second_per_knot);
    int on_leg = 0;
    int fishing = 0;
    double previous_t = -1;
    for (const auto& m : test::of(out(), 463100002)) {
        const auto* r = std::get_if<ais::ClassBPositionReport>(&m.message);
        if (r == nullptr) {
            continue;
        }
        const double t = test::seconds_after(m, start);
        SCOPED_TRACE("t = " + std::to_string(t));
        EXPECT_TRUE(r->cs);
        const geo::Position at = where(*r);
        if (t < leg_s) {
            ++on_leg;
            if (previous_t >= 0) {
                EXPECT_EQ(t - previous_t, 30.0); // M.1371 Table 2: class B CS > 2 kn
            }
            EXPECT_EQ(*r->sog_knots(), 8.0);
            // On the geodesic Q0-Q1, at the scripted distance from Q0.
            EXPECT_NEAR(geo::distance_m(q0, at) + geo::distance_m(at, q1), leg_m, 1.0);
            EXPECT_NEAR(geo::distance_m(q0, at), t * 8.0 * metres_per_second_per_knot, 1.0);
            if (geo::distance_m(at, q1) > 1000) { // COG 0.1° steps + position rounding
                EXPECT_NEAR(*r->cog_deg(), geo::initial_bearing_deg(at, q1), 0.1);
            }
        } else {
            ++fishing;
            EXPECT_LT(geo::distance_m(at, q1), 1.0);
            EXPECT_EQ(r->sog_raw, 0);
        }
        previous_t = t;
    }
    EXPECT_GE(on_leg, 90);  // 11.5 km at 8 kn = 46.6 min, one report per 30 s from t = 22 s
    EXPECT_GE(fishing, 13); // one per 3 min for the remaining ~43 min
}

TEST_F(SimulatorTest, class_b_sends_type_24_parts_a_and_b_together) {
    std::map<double, std::set<int>> parts;
    for (const auto& m : test::of(out(), 463100002)) {
        if (const auto* s = std::get_if<ais::StaticDataReport>(&m.message)) {
            parts[test::seconds_after(m, start)].insert(s->part);
            if (s->part == 0) {
                EXPECT_EQ(s->shipname, "SAGAR RANI");
            } else {
                EXPECT_EQ(s->shiptype, 30);
                EXPECT_EQ(s->callsign, "");
                EXPECT_EQ(s->to_bow + s->to_stern, 15);
                EXPECT_EQ(s->to_port + s->to_starboard, 4);
            }
        }
    }
    ASSERT_GE(parts.size(), 14U);
    for (const auto& [t, p] : parts) {
        EXPECT_EQ(p, (std::set<int>{0, 1})) << "t = " << t;
    }
}

TEST_F(SimulatorTest, nothing_is_sent_after_ais_off) {
    const auto messages = test::of(out(), 463100003);
    ASSERT_FALSE(messages.empty());
    for (const auto& m : messages) {
        EXPECT_LT(test::seconds_after(m, start), 300.0);
        if (const auto* r = std::get_if<ais::ClassBPositionReport>(&m.message)) {
            EXPECT_LT(geo::distance_m(where(*r), {25.052, 61.74}), 1.0);
        }
    }
}

TEST_F(SimulatorTest, channels_alternate_and_type_5_uses_sequence_ids) {
    std::set<char> channels;
    for (const auto& m : out().messages) {
        channels.insert(m.channel);
    }
    EXPECT_EQ(channels, (std::set<char>{'A', 'B'}));
    EXPECT_NE(out().text.find("!AIVDM,2,1,0,"), std::string::npos);
    EXPECT_NE(out().text.find("!AIVDM,2,2,0,"), std::string::npos);
}

} // namespace
} // namespace sahil::sim
