// Scenario tests of the anomaly rules R2-R11 (docs/rules.md), one or more per rule, positive and
// negative, each a table of fixes with times through the real tracking pipeline, the shipped
// geography (config/geo) and the alert store; each asserts the exact alerts stored.
// Positions are derived from independent facts: harbour centres of harbours.geojson, and the
// distances of geography.md / anomaly-rules.md §6 (Jiwani ~7 nm from the Iran line, Gwadar
// ~39 nm; a launch at 10 kn from Gwadar on 250° meets the Iran line after ~4.6 h).
#include <gtest/gtest.h>

#include "tests/core/rules_test_support.hpp"

namespace {

using namespace sahil;
using test::RulesHarness;
using Strings = std::vector<std::string>;
using std::chrono::minutes;

constexpr std::uint32_t boat_a = 463'100'001;
constexpr std::uint32_t boat_b = 463'100'002;

// ---- R2: licence not valid for the date or the harbour ----------------------------------

TEST(RuleR2, licence_for_another_harbour_is_not_valid_for_this_departure) {
    RulesHarness h;
    h.add_boat("PSN-1", "Al Noor", boat_a, "PK-HBR-05", {.licence_zones = {"PK-HBR-02"}});
    h.depart(boat_a, test::day(0), test::pasni, 200, 6, 30);
    EXPECT_EQ(h.raised(), Strings{"licence_invalid_departure:warning"});
    EXPECT_NE(h.alert(boat_a, "licence_invalid_departure")->reason.find("covers PK-HBR-02 only"),
              std::string::npos);
}

TEST(RuleR2, licence_for_this_harbour_raises_nothing) {
    RulesHarness h;
    h.add_boat("PSN-1", "Al Noor", boat_a, "PK-HBR-05", {.licence_zones = {"PK-HBR-05"}});
    h.depart(boat_a, test::day(0), test::pasni, 200, 6, 30);
    EXPECT_EQ(h.raised(), Strings{});
}

// ---- R3: night departure ----------------------------------------------------------------

TEST(RuleR3, licensed_boat_without_night_permission_leaving_at_night_is_a_console_warning) {
    RulesHarness h;
    h.add_boat("PSN-1", "Al Noor", boat_a, "PK-HBR-05");
    h.depart(boat_a, test::night(0), test::pasni, 200, 6, 30);
    EXPECT_EQ(h.raised(), Strings{"night_departure:info"});
    const auto a = h.alert(boat_a, "night_departure");
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->agencies.empty()) << "info goes to the console only";
    EXPECT_LT(a->evidence["sun_elevation_deg"].get<double>(), -6.0);
    EXPECT_NE(a->reason.find("PKT"), std::string::npos);
}

TEST(RuleR3, night_permission_or_daylight_raises_nothing) {
    RulesHarness h;
    h.add_boat("PSN-1", "Al Noor", boat_a, "PK-HBR-05", {.night_fishing = true});
    h.add_boat("PSN-2", "Al Noor 2", boat_b, "PK-HBR-05");
    h.depart(boat_a, test::night(0), test::pasni, 200, 6, 30);
    h.depart(boat_b, test::day(0), test::pasni, 200, 6, 30);
    EXPECT_EQ(h.raised(), Strings{});
}

TEST(RuleR3, unregistered_boat_at_night_is_routed_to_the_agencies) {
    RulesHarness h;
    h.depart(boat_a, test::night(0), test::pasni, 200, 6, 30);
    EXPECT_EQ(h.raised(), (Strings{"unregistered_departure:critical", "night_departure:warning"}));
    EXPECT_EQ(h.alert(boat_a, "night_departure")->agencies, Strings{"coast_guard"});
}

TEST(RuleR3, civil_twilight_decides_not_the_clock) {
    // 2026-06-21 at Pasni: civil dusk ~19:50 PKT (14:50 UTC). 14:30 UTC is still day, 15:10 UTC
    // is night; in December the same 14:30 UTC is already night (dusk ~18:10 PKT).
    RulesHarness h;
    h.add_boat("PSN-1", "A", boat_a, "PK-HBR-05");
    h.add_boat("PSN-2", "B", boat_b, "PK-HBR-05");
    h.add_boat("PSN-3", "C", 463'100'003, "PK-HBR-05");
    using namespace std::chrono;
    const UtcTime june_1430 = sys_days{year{2026} / 6 / 21} + hours(14) + minutes(30);
    const UtcTime june_1510 = sys_days{year{2026} / 6 / 21} + hours(15) + minutes(10);
    const UtcTime dec_1430 = sys_days{year{2026} / 12 / 21} + hours(14) + minutes(30);
    h.depart(boat_a, june_1430, test::pasni, 200, 6, 30);
    h.depart(boat_b, june_1510, test::pasni, 200, 6, 30);
    h.depart(463'100'003, dec_1430, test::pasni, 200, 6, 30);
    EXPECT_EQ(h.raised(boat_a), Strings{});
    EXPECT_EQ(h.raised(boat_b), Strings{"night_departure:info"});
    EXPECT_EQ(h.raised(463'100'003), Strings{"night_departure:info"});
}

// ---- R4: closed season ------------------------------------------------------------------

TEST(RuleR4, departure_in_the_provinces_closed_season_is_flagged_once_per_trip) {
    RulesHarness h;
    h.closed_season("BAL-FISH", "2026-03-01", "2026-03-31");
    h.add_boat("PSN-1", "Al Noor", boat_a, "PK-HBR-05");
    h.depart(boat_a, test::day(0), test::pasni, 180, 8, 120); // 16 nm out
    EXPECT_EQ(h.raised(), Strings{"closed_season:warning"});
    EXPECT_EQ(h.alert(boat_a, "closed_season")->evidence["kind"], "departure");
}

TEST(RuleR4, another_provinces_season_or_another_date_raises_nothing) {
    RulesHarness h;
    h.closed_season("SND-FISH", "2026-03-01", "2026-03-31"); // Sindh: not Pasni
    h.closed_season("BAL-FISH", "2026-06-01", "2026-07-31"); // Balochistan: not in March
    h.add_boat("PSN-1", "Al Noor", boat_a, "PK-HBR-05");
    h.depart(boat_a, test::day(0), test::pasni, 180, 8, 120);
    EXPECT_EQ(h.raised(), Strings{});
}

TEST(RuleR4, a_karachi_boat_in_the_sindh_season_is_flagged) {
    RulesHarness h;
    h.closed_season("SND-FISH", "2026-03-01", "2026-03-31");
    h.add_boat("KHI-1", "Sindh Star", boat_a, "PK-HBR-12");
    h.depart(boat_a, test::day(0), test::karachi, 200, 8, 60);
    EXPECT_EQ(h.raised(), Strings{"closed_season:warning"});
}

// ---- R5: boundaries ---------------------------------------------------------------------

TEST(RuleR5, gwadar_launch_running_for_iran_approaches_nears_crosses_and_leaves_the_eez) {
    RulesHarness h;
    h.add_boat("GWD-1", "Sea Hawk", boat_a, "PK-HBR-02");
    h.depart(boat_a, test::day(0), test::gwadar, 250, 10, 330); // 5.5 h at 10 kn
    EXPECT_EQ(h.raised(), (Strings{"boundary_approach:warning", "boundary_proximity:warning",
                                   "boundary_crossing:critical", "left_eez:critical"}));
    const auto approach = h.alert(boat_a, "boundary_approach");
    EXPECT_EQ(approach->evidence["line"], "PAK-IRN");
    // Sustained 30 min before it fires (fixes every 5 min from minute 0).
    EXPECT_GE(approach->fix_time - test::day(0), minutes(30));
    // Crossing after ~4.6 h at 10 kn (the boundary test's hand-checked 4.58 h).
    const auto crossing = h.alert(boat_a, "boundary_crossing");
    EXPECT_NEAR(std::chrono::duration<double>(crossing->fix_time - test::day(0)).count() / 3600,
                4.6, 0.1);
    EXPECT_EQ(crossing->agencies, (Strings{"coast_guard", "msa"})) << "critical: both agencies";
    // One open alert per rule: later fixes near the line are repeats, not new alerts.
    EXPECT_GT(h.alert(boat_a, "boundary_proximity")->repeat_count, 1);
}

TEST(RuleR5, foreign_waters_permission_turns_the_crossing_into_information) {
    RulesHarness h;
    h.add_boat("GWD-1", "Sea Hawk", boat_a, "PK-HBR-02", {.foreign_waters = true});
    h.depart(boat_a, test::day(0), test::gwadar, 250, 10, 330);
    EXPECT_EQ(h.raised(), (Strings{"boundary_approach:info", "boundary_proximity:warning",
                                   "boundary_crossing:info", "left_eez:info"}));
}

TEST(RuleR5, a_foreign_merchant_ship_crossing_the_line_is_not_an_anomaly) {
    RulesHarness h;
    const std::uint32_t merchant = 636'012'345; // Liberia
    h.sail(merchant, test::day(0), geo::Position{24.6, 61.9}, 250, 14, 180);
    EXPECT_EQ(h.raised(merchant), Strings{});
}

TEST(RuleR5, jiwani_boats_fishing_in_their_exception_area_near_the_line_are_not_flagged) {
    // Spots ~4 nm from the Iran line: one in the Jiwani exception box, one south of it.
    RulesHarness h;
    h.add_boat("JWN-1", "Gwatar", boat_a, "PK-HBR-01");
    h.add_boat("GWD-1", "Sea Hawk", boat_b, "PK-HBR-02");
    const geo::Position in_box{24.95, 61.63};
    const geo::Position south{24.80, 61.60};
    const auto d = h.pipeline->rule_counters().exception_skips;
    for (int m = 0; m <= 40; m += 5) {
        h.fix(boat_a, test::day(m), in_box, 2.5, 90);
        h.fix(boat_b, test::day(m), south, 2.5, 90);
    }
    EXPECT_EQ(h.raised(boat_a), Strings{});
    EXPECT_EQ(h.raised(boat_b), Strings{"boundary_proximity:warning"});
    EXPECT_GT(h.pipeline->rule_counters().exception_skips, d);
}

TEST(RuleR5, heading_away_from_the_line_or_drifting_is_no_approach) {
    RulesHarness h;
    h.add_boat("GWD-1", "Sea Hawk", boat_a, "PK-HBR-02");
    h.add_boat("GWD-2", "Drifter", boat_b, "PK-HBR-02");
    h.depart(boat_a, test::day(0), test::gwadar, 100, 10, 240); // east, away from Iran
    h.depart(boat_b, test::day(0), test::gwadar, 250, 3, 240);  // under 4 kn
    EXPECT_EQ(h.raised(boat_a), Strings{});
    EXPECT_EQ(h.raised(boat_b), Strings{});
}

// ---- R6: AIS gap after departure --------------------------------------------------------

TEST(RuleR6, transponder_boat_silent_two_hours_after_departure_then_reappearing_far) {
    RulesHarness h;
    h.add_boat("PSN-1", "Al Noor", boat_a, "PK-HBR-05", {.transponder = true});
    const auto last = h.depart(boat_a, test::day(0), test::pasni, 200, 8, 60);
    // Other traffic keeps the stream clock going for 3 h; boat A is silent.
    for (int m = 60; m <= 240; m += 5) {
        h.fix(463'999'001, test::day(m), geo::Position{24.9, 63.2}, 0.1, 0);
    }
    EXPECT_EQ(h.raised(boat_a), Strings{"ais_gap:warning"});
    const auto gap = h.alert(boat_a, "ais_gap");
    EXPECT_EQ(gap->fix_time, test::day(60)) << "keyed to the last fix heard";
    // Reappears 60 nm further on after 3 h: 20 kn implied.
    h.fix(boat_a, test::day(240), geo::rhumb_destination(last, 200, 60 * 1852.0), 8, 200);
    EXPECT_EQ(h.raised(boat_a), (Strings{"ais_gap:warning", "reappeared_far:critical"}));
}

TEST(RuleR6, boats_without_a_registered_transponder_may_be_silent) {
    RulesHarness h;
    h.add_boat("PSN-1", "Al Noor", boat_a, "PK-HBR-05");
    const auto last = h.depart(boat_a, test::day(0), test::pasni, 200, 8, 60);
    for (int m = 60; m <= 240; m += 5) {
        h.fix(463'999'001, test::day(m), geo::Position{24.9, 63.2}, 0.1, 0);
    }
    h.fix(boat_a, test::day(240), geo::rhumb_destination(last, 200, 60 * 1852.0), 8, 200);
    EXPECT_EQ(h.raised(boat_a), Strings{});
}

TEST(RuleR6, a_short_silence_and_a_near_reappearance_are_no_gap) {
    RulesHarness h;
    h.add_boat("PSN-1", "Al Noor", boat_a, "PK-HBR-05", {.transponder = true});
    const auto last = h.depart(boat_a, test::day(0), test::pasni, 200, 8, 60);
    for (int m = 60; m <= 150; m += 5) {
        h.fix(463'999'001, test::day(m), geo::Position{24.9, 63.2}, 0.1, 0);
    }
    h.fix(boat_a, test::day(150), geo::rhumb_destination(last, 200, 10 * 1852.0), 8, 200);
    EXPECT_EQ(h.raised(boat_a), Strings{});
}

// ---- R7: rendezvous ---------------------------------------------------------------------

void side_by_side(RulesHarness& h, std::uint32_t a, std::uint32_t b, geo::Position at,
                  double apart_m, int minutes_total, double sog) {
    for (int m = 0; m <= minutes_total; m += 2) {
        h.fix(a, test::day(m), at, sog, 90);
        h.fix(b, test::day(m) + std::chrono::seconds(20), geo::destination(at, 45, apart_m), sog,
              90);
    }
}

TEST(RuleR7, pakistani_boat_and_a_foreign_one_slow_together_offshore_for_30_minutes) {
    RulesHarness h;
    h.add_boat("PSN-1", "Al Noor", boat_a, "PK-HBR-05");
    const std::uint32_t foreign = 422'123'456; // Iran
    side_by_side(h, boat_a, foreign, geo::Position{24.70, 63.30}, 150, 40, 1.0);
    EXPECT_EQ(h.raised(), Strings{"rendezvous:warning"});
    const auto a = h.alert(boat_a, "rendezvous") ? h.alert(boat_a, "rendezvous")
                                                 : h.alert(foreign, "rendezvous");
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->other_mmsi.has_value());
    EXPECT_GE(a->evidence["minutes_together"].get<double>(), 30.0);
}

TEST(RuleR7, too_short_too_far_apart_or_too_near_a_harbour_is_no_rendezvous) {
    RulesHarness h;
    side_by_side(h, 463'200'001, 463'200'002, geo::Position{24.70, 63.30}, 150, 24, 1.0);
    side_by_side(h, 463'200'003, 463'200'004, geo::Position{24.60, 63.10}, 1500, 40, 1.0);
    side_by_side(h, 463'200'005, 463'200'006, geo::destination(test::pasni, 180, 3000), 150,
                 40, 1.0);
    side_by_side(h, 463'200'007, 463'200'008, geo::Position{24.50, 63.00}, 150, 40, 6.0);
    EXPECT_EQ(h.raised(), Strings{});
}

// ---- R8: loitering ----------------------------------------------------------------------

TEST(RuleR8, slow_for_an_hour_near_the_oman_line_is_loitering) {
    RulesHarness h;
    // ~10 nm north-east of the PAK-OMN line (which runs through 22.0 N 63.1 E).
    const geo::Position near_line{22.10, 63.30};
    for (int m = 0; m <= 70; m += 5) {
        h.fix(463'300'001, test::day(m),
              geo::destination(near_line, 90.0 * m, 30.0), 0.8, 90.0 * m);
    }
    const auto raised = h.raised(463'300'001);
    EXPECT_NE(std::find(raised.begin(), raised.end(), "loitering:warning"), raised.end());
    EXPECT_EQ(h.alert(463'300'001, "loitering")->evidence["near_line"], "PAK-OMN");
}

TEST(RuleR8, fifty_minutes_or_moving_on_is_no_loitering) {
    RulesHarness h;
    const geo::Position near_line{22.10, 63.30};
    for (int m = 0; m <= 50; m += 5) {
        h.fix(463'300'001, test::day(m), near_line, 0.8, 0);
    }
    h.sail(463'300'002, test::day(0), geo::Position{24.0, 64.5}, 90, 7, 200);
    EXPECT_EQ(h.raised(463'300'001), Strings{});
    EXPECT_EQ(h.raised(463'300'002), Strings{});
}

TEST(RuleR8, three_hours_slow_far_offshore_is_loitering) {
    RulesHarness h;
    const geo::Position offshore{23.8, 65.0}; // ~60 nm off the Makran coast, far from lines
    for (int m = 0; m <= 190; m += 10) {
        h.fix(463'300'003, test::day(m), geo::destination(offshore, 90.0 * m, 50.0), 1.0, 0);
    }
    EXPECT_EQ(h.raised(463'300'003), Strings{"loitering:info"});
}

// ---- R9: identity -----------------------------------------------------------------------

TEST(RuleR9, invalid_mmsi_and_non_pakistani_mid_on_a_registered_boat) {
    RulesHarness h;
    h.fix(100'000'001, test::day(0), geo::Position{24.7, 63.3}, 5, 0); // MID 100: unallocated
    h.add_boat("PSN-9", "Flagged", 419'000'111, "PK-HBR-05");           // India's MID
    h.fix(419'000'111, test::day(1), geo::Position{24.7, 63.4}, 5, 0);
    h.fix(463'100'777, test::day(2), geo::Position{24.7, 63.5}, 5, 0);  // fine
    EXPECT_EQ(h.raised(100'000'001), Strings{"identity_invalid_mmsi:info"});
    EXPECT_EQ(h.raised(419'000'111), Strings{"identity_invalid_mmsi:warning"});
    EXPECT_EQ(h.raised(463'100'777), Strings{});
}

TEST(RuleR9, reported_call_sign_differs_from_the_registry) {
    RulesHarness h;
    h.add_boat("PSN-1", "Al Noor", boat_a, "PK-HBR-05", {}, "AP4521");
    h.fix(boat_a, test::day(0), geo::Position{24.7, 63.3}, 5, 0);
    h.static_data(boat_a, test::day(1), "AL NOOR", "AP4521"); // matches
    EXPECT_EQ(h.raised(boat_a), Strings{});
    h.static_data(boat_b, test::day(1), "X");                 // not registered: no registry check
    h.static_data(boat_a, test::day(2), "AL NOOR", "AS9999");
    EXPECT_EQ(h.raised(boat_a), (Strings{"identity_mismatch:warning",
                                         "identity_static_change:warning"}));
}

TEST(RuleR9, name_changed_at_sea_but_not_in_harbour) {
    RulesHarness h;
    // In Pasni harbour a boat may be renamed: no alert.
    h.fix(boat_a, test::day(0), test::pasni, 0, 0);
    h.static_data(boat_a, test::day(1), "OLD NAME");
    h.static_data(boat_a, test::day(2), "NEW NAME");
    EXPECT_EQ(h.raised(boat_a), Strings{});
    // At sea: alert.
    h.fix(boat_b, test::day(0), geo::Position{24.7, 63.3}, 5, 0);
    h.static_data(boat_b, test::day(1), "SEA BIRD", "", 30, 15);
    h.static_data(boat_b, test::day(2), "SEA BIRD", "", 30, 16); // 1 m: within tolerance
    h.static_data(boat_b, test::day(3), "NIGHT BIRD", "", 30, 15);
    EXPECT_EQ(h.raised(boat_b), Strings{"identity_static_change:warning"});
    EXPECT_TRUE(h.alert(boat_b, "identity_static_change")->evidence["changes"].contains("name"));
}

TEST(RuleR9, one_mmsi_in_two_places_is_critical) {
    RulesHarness h;
    const geo::Position here{24.7, 63.3};
    const geo::Position there{24.7, 64.0}; // ~70 km east
    for (int m = 0; m < 12; ++m) {
        h.fix(boat_a, test::day(m), m % 2 == 0 ? here : there, 3, 0);
    }
    EXPECT_EQ(h.raised(boat_a), Strings{"identity_impossible_speed:critical"});
    EXPECT_EQ(h.alert(boat_a, "identity_impossible_speed")->evidence["kind"], "two_places");
}

TEST(RuleR9, a_jump_confirmed_by_the_next_fix_is_a_spoofing_warning) {
    RulesHarness h;
    h.fix(boat_a, test::day(0), geo::Position{24.7, 63.3}, 5, 0);
    h.fix(boat_a, test::day(1), geo::Position{24.7, 63.301}, 5, 0);
    h.fix(boat_a, test::day(2), geo::Position{23.7, 63.3}, 5, 0);   // 110 km in a minute
    h.fix(boat_a, test::day(3), geo::Position{23.701, 63.3}, 5, 0); // and stays there
    EXPECT_EQ(h.raised(boat_a), Strings{"identity_impossible_speed:warning"});
}

TEST(RuleR9, two_registry_boats_claiming_one_mmsi) {
    RulesHarness h;
    const auto id = h.add_boat("PSN-1", "Al Noor", boat_a, "PK-HBR-05");
    const auto other = h.add_boat("PSN-2", "Al Noor II", 463'100'050, "PK-HBR-05");
    h.db.handle().exec("INSERT INTO identity_conflicts(scheme, value, authority, "
                       "holder_vessel_id, claimant_vessel_id, opened_at, opened_by) "
                       "VALUES('mmsi', '" + std::to_string(boat_a) + "', 'UNRECORDED', " +
                       std::to_string(id) + ", " + std::to_string(other) +
                       ", '2026-03-01T00:00:00Z', 'test')");
    h.fix(boat_a, test::day(0), geo::Position{24.7, 63.3}, 5, 0);
    EXPECT_EQ(h.raised(boat_a), Strings{"identity_shared_mmsi:critical"});
}

// ---- R11: integrity filter --------------------------------------------------------------

TEST(RuleR11, an_unconfirmed_spike_is_counted_and_kept_out_of_the_rules) {
    RulesHarness h;
    h.add_boat("GWD-1", "Sea Hawk", boat_a, "PK-HBR-02");
    h.fix(boat_a, test::day(0), geo::Position{24.9, 62.5}, 5, 0);
    h.fix(boat_a, test::day(1), geo::Position{23.0, 60.0}, 5, 0); // outside the EEZ, once
    h.fix(boat_a, test::day(2), geo::Position{24.901, 62.5}, 5, 0);
    EXPECT_EQ(h.raised(boat_a), Strings{});
    EXPECT_EQ(h.pipeline->counters().implausible_fixes, 1U);
    EXPECT_EQ(h.pipeline->counters().fixes, 2U);
}

// ---- alerts: deduplication and suppression keyed to fix time -----------------------------

TEST(RuleAlerts, suppression_for_hours_swallows_repeats_until_the_fix_time_passes) {
    RulesHarness h;
    h.add_boat("GWD-1", "Sea Hawk", boat_b, "PK-HBR-02");
    const geo::Position spot{24.80, 61.60}; // ~3.4 nm from the Iran line
    h.fix(boat_b, test::day(0), spot, 2.5, 90);
    const auto first = h.alert(boat_b, "boundary_proximity");
    ASSERT_TRUE(first);
    registry::Actor watch{.user = "watch1", .role = "cg_watchkeeper"};
    const auto r = h.store.act(first->id, {.action = "suppress", .note = "known gillnetter",
                                           .hours = 2},
                               watch);
    ASSERT_TRUE(r.ok());
    for (int m = 5; m <= 115; m += 10) {
        h.fix(boat_b, test::day(m), spot, 2.5, 90);
    }
    EXPECT_EQ(h.raised(boat_b), Strings{"boundary_proximity:warning"}) << "suppressed";
    EXPECT_EQ(h.pipeline->counters().alerts_suppressed, 12U);
    h.fix(boat_b, test::day(125), spot, 2.5, 90); // past the 2 h from the triggering fix
    EXPECT_EQ(h.raised(boat_b),
              (Strings{"boundary_proximity:warning", "boundary_proximity:warning"}));
}

} // namespace

namespace {
using namespace sahil;
using test::RulesHarness;

// Regression (real AMSA log, docs/rules.md): MMSI 463034101, a Pakistani-flag ship heard off
// Australia, raised a critical left_eez although it never was in Pakistan's EEZ.
TEST(RuleR5, a_pakistani_flag_ship_first_heard_abroad_has_not_left_the_eez) {
    RulesHarness h;
    h.sail(463'034'101, test::day(0), geo::Position{-33.0, 151.5}, 90, 12, 30);
    h.sail(463'034'102, test::day(0), geo::Position{23.0, 60.0}, 90, 12, 30); // off Oman
    EXPECT_EQ(h.raised(), std::vector<std::string>{});
}
} // namespace
