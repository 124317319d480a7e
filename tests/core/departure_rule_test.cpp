// DepartureRule as a table of fixes with explicit times around Pasni Fish Harbour.
//
//            N
//     +-------------+        harbour circle r = 900 m (PK-HBR-05)
//     |   . berth   |        buffer ring at r + 1000 m
//     +-------------+
//            |  course 200° (out to sea, SSW)
//            v  fixes at 0, 300, 1500, 1950, 2500 m from the centre
#include <gtest/gtest.h>

#include "server/rules/departure_rule.hpp"
#include "tests/core/core_test_support.hpp"

namespace {

using namespace sahil;
using sahil::test::fix_near_pasni;

struct Row {
    double minute;
    double distance_m; // from the harbour centre
    std::optional<double> sog;
    bool departs;
};

void run_table(const std::vector<Row>& rows, const rules::DepartureConfig& cfg = {}) {
    const auto& harbours = test::harbours();
    rules::DepartureRule rule(cfg);
    rules::DepartureRule::State state;
    for (const Row& r : rows) {
        const auto fix = fix_near_pasni(463100001, r.minute, 200.0, r.distance_m, r.sog);
        const auto in = harbours.containing(fix.position);
        const geo::Zone* inside = in.empty() ? nullptr : in.front();
        const auto ev = rule.on_fix(state, fix, harbours, inside);
        EXPECT_EQ(ev.has_value(), r.departs)
            << "minute " << r.minute << " at " << r.distance_m << " m";
        if (ev) {
            EXPECT_EQ(ev->zone_id, "PK-HBR-05");
            // outside distance = distance from centre - radius, within polygon chord error.
            EXPECT_NEAR(ev->distance_outside_m, r.distance_m - test::pasni_radius_m, 10.0);
        }
    }
}

TEST(DepartureRule, leaving_harbour_past_the_buffer_while_moving_departs_once) {
    run_table({
        {0, 0, 0.0, false},     // at the berth
        {5, 300, 3.0, false},   // still inside the 900 m circle
        {10, 1500, 6.0, false}, // 600 m outside: inside the 1 km buffer
        {12, 1950, 6.0, true},  // 1,050 m outside, 6 kn: departure
        {14, 2500, 6.0, false}, // already departed: not again
    });
}

TEST(DepartureRule, drifting_out_slowly_is_not_a_departure_until_moving) {
    run_table({
        {0, 0, 0.0, false},
        {30, 2000, 0.5, false}, // 1.1 km outside but 0.5 kn: drifting or anchored
        {40, 2100, 1.9, false}, // below 2 kn
        {50, 2400, 2.0, true},  // 2.0 kn counts (>=)
    });
}

TEST(DepartureRule, vessel_never_seen_in_harbour_never_departs) {
    run_table({
        {0, 5000, 8.0, false},
        {5, 6000, 8.0, false},
    });
}

TEST(DepartureRule, implied_speed_replaces_missing_sog) {
    // 1,500 m -> 1,950 m in 1 minute = 450 m/min = 14.6 kn implied.
    run_table({
        {0, 0, std::nullopt, false},
        {10, 1500, std::nullopt, false},
        {11, 1950, std::nullopt, true},
    });
}

TEST(DepartureRule, returning_and_leaving_again_departs_again) {
    run_table({
        {0, 0, 0.0, false},
        {10, 2000, 6.0, true},
        {60, 100, 0.0, false}, // back at the berth
        {90, 2100, 6.0, true},
    });
}

TEST(DepartureRule, buffer_is_configurable) {
    rules::DepartureConfig cfg;
    cfg.buffer_m = 200.0;
    run_table({{0, 0, 0.0, false}, {5, 1000, 5.0, false}, {6, 1200, 5.0, true}}, cfg);
}

} // namespace
