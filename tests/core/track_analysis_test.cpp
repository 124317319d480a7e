// Track analysis: simplification, downsampling, statistics and history events.
//
// Truth is computed here by hand, independently of the code under test: tracks are laid out
// along a parallel (metres per degree of longitude N(phi) cos(phi) pi / 180 on WGS 84, NIMA
// TR8350.2) or a meridian, at known speeds and times, so distances, durations, stops, gaps and
// which Douglas–Peucker vertices survive are known by construction. geo::distance_m (Karney,
// checked against PROJ's geod in the geo tests) is used only to compare with such values.
//
//   zig-zag (simplify):       harbour square (port events):     rendezvous:
//        /\      /\            62.000E     62.010E               B ----------> 1 kn  (300 m N)
//       /  \    /  \            +-----------+ 25.010N            A ----------> 1 kn
//      /    \  /    \           |     x ----+---> 6 kn east
//     0      \/      40         +-----------+ 25.000N
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "geo/geodesic.hpp"
#include "geo/zone_index.hpp"
#include "server/rules/departure_rule.hpp"
#include "server/rules/rule_params.hpp"
#include "server/store/track_analysis.hpp"

namespace sahil::store {
namespace {

constexpr std::int64_t t0_ms = 1'773'471'600'000; // 2026-03-14T07:00:00Z
constexpr std::int64_t minute_ms = 60'000;
constexpr double knot_mps = 1852.0 / 3600.0; // 1 kn in m/s (1 nm = 1852 m exactly)
constexpr std::int64_t boat_a = 463'000'001;
constexpr std::int64_t boat_b = 463'000'002;

// ---- independent geometry ----------------------------------------------------------------------

/// WGS 84 prime-vertical radius N(phi) and meridian radius M(phi), metres.
double wgs84_n(double lat_deg) {
    const double e2 = geo::wgs84_f * (2 - geo::wgs84_f);
    const double s = std::sin(lat_deg * std::numbers::pi / 180.0);
    return geo::wgs84_a_m / std::sqrt(1 - e2 * s * s);
}
double wgs84_m(double lat_deg) {
    const double e2 = geo::wgs84_f * (2 - geo::wgs84_f);
    const double s = std::sin(lat_deg * std::numbers::pi / 180.0);
    return geo::wgs84_a_m * (1 - e2) / std::pow(1 - e2 * s * s, 1.5);
}
/// `metres` due east of p along its parallel.
geo::Position east_of(const geo::Position& p, double metres) {
    const double per_deg = wgs84_n(p.lat_deg) * std::cos(p.lat_deg * std::numbers::pi / 180.0) *
                           std::numbers::pi / 180.0;
    return {p.lat_deg, p.lon_deg + metres / per_deg};
}
/// `metres` due north of p (short distances: local meridian radius).
geo::Position north_of(const geo::Position& p, double metres) {
    return {p.lat_deg + metres / (wgs84_m(p.lat_deg) * std::numbers::pi / 180.0), p.lon_deg};
}

TrackFix make_fix(std::int64_t vessel, double minutes, const geo::Position& p,
                  std::optional<double> sog_knots, int nav_status = 0) {
    TrackFix f;
    f.vessel = vessel;
    f.time_ms = t0_ms + std::llround(minutes * 60'000.0);
    f.received_ms = f.time_ms;
    f.lat_e6 = to_e6(p.lat_deg);
    f.lon_e6 = to_e6(p.lon_deg);
    f.sog_dkn = sog_knots ? static_cast<std::int16_t>(std::lround(*sog_knots * 10)) : -1;
    f.cog_ddeg = 900;
    f.nav_status = static_cast<std::int8_t>(nav_status);
    f.message_type = 1;
    return f;
}

std::int64_t at(double minutes) {
    return t0_ms + std::llround(minutes * 60'000.0);
}

/// A vessel steaming due east from `start` at `knots`, one fix every `step_min` minutes from
/// `from_min` to `to_min` (inclusive), reporting SOG = knots.
std::vector<TrackFix> steam_east(std::int64_t vessel, const geo::Position& start, double knots,
                                 double from_min, double to_min, double step_min = 1.0) {
    std::vector<TrackFix> out;
    for (double m = from_min; m <= to_min + 1e-9; m += step_min) {
        out.push_back(
            make_fix(vessel, m, east_of(start, knots * knot_mps * (m - from_min) * 60.0), knots));
    }
    return out;
}

void append(std::vector<TrackFix>& to, const std::vector<TrackFix>& more) {
    to.insert(to.end(), more.begin(), more.end());
}

/// A harbour square 62.000-62.010 E, 25.000-25.010 N written as GeoJSON (the shipped
/// harbours.geojson form: `id`, `name`) to a temporary file and loaded with ZoneIndex::load.
const geo::ZoneIndex& test_harbours() {
    static const geo::ZoneIndex index = [] {
        const auto file = std::filesystem::temp_directory_path() /
                          ("sahil_track_analysis_" + std::to_string(::getpid()) + ".geojson");
        std::ofstream(file)
            << R"({"type":"FeatureCollection","name":"harbours","features":[{"type":"Feature",)"
               R"("properties":{"id":"TST-HBR-01","name":"Test Harbour"},"geometry":{"type":)"
               R"("Polygon","coordinates":[[[62.000,25.000],[62.010,25.000],[62.010,25.010],)"
               R"([62.000,25.010],[62.000,25.000]]]}}]})";
        auto loaded = geo::ZoneIndex::load(file, "harbours");
        std::filesystem::remove(file);
        return loaded;
    }();
    return index;
}
constexpr geo::Position harbour_centre{25.005, 62.005};

// ---- input contract ----------------------------------------------------------------------------

TEST(TrackAnalysis, every_function_rejects_mixed_vessels_and_time_disorder) {
    const geo::Position p{24.0, 63.0};
    const std::vector<std::vector<TrackFix>> bad = {
        {make_fix(boat_a, 0, p, 1.0), make_fix(boat_b, 1, p, 1.0)},
        {make_fix(boat_a, 1, p, 1.0), make_fix(boat_a, 0, p, 1.0)}};
    const rules::RuleParams params;
    const std::vector<TrackFix> other = {make_fix(boat_b, 0, p, 1.0)};
    for (const auto& fixes : bad) {
        EXPECT_THROW((void)simplify_track(fixes, 10), std::invalid_argument);
        EXPECT_THROW((void)downsample_track(fixes, 60), std::invalid_argument);
        EXPECT_THROW((void)track_statistics(fixes), std::invalid_argument);
        EXPECT_THROW((void)port_events(fixes, test_harbours()), std::invalid_argument);
        EXPECT_THROW((void)ais_gaps(fixes, params), std::invalid_argument);
        EXPECT_THROW((void)rendezvous(fixes, other, params), std::invalid_argument);
        EXPECT_THROW((void)loitering(fixes, params), std::invalid_argument);
    }
}

TEST(TrackAnalysis, empty_and_single_fix_tracks_give_empty_answers) {
    const std::vector<TrackFix> none;
    const std::vector<TrackFix> one = {make_fix(boat_a, 0, {24.0, 63.0}, 3.2)};
    const rules::RuleParams params;
    for (const auto* fixes : {&none, &one}) {
        EXPECT_EQ(simplify_track(*fixes, 10), *fixes);
        EXPECT_EQ(downsample_track(*fixes, 60), *fixes);
        EXPECT_TRUE(port_events(*fixes, test_harbours()).empty());
        EXPECT_TRUE(ais_gaps(*fixes, params).empty());
        EXPECT_TRUE(rendezvous(*fixes, {make_fix(boat_b, 0, {24.0, 63.0}, 1.0)}, params).empty());
        EXPECT_TRUE(loitering(*fixes, params).empty());
    }
    const TrackStatistics empty = track_statistics(none);
    EXPECT_EQ(empty.fixes, 0U);
    EXPECT_EQ(empty.distance_m, 0.0);
    EXPECT_EQ(empty.duration_ms, 0);
    EXPECT_FALSE(empty.max_sog_knots);
    EXPECT_FALSE(empty.max_implied_speed_knots);
    const TrackStatistics single = track_statistics(one);
    EXPECT_EQ(single.fixes, 1U);
    EXPECT_EQ(single.distance_m, 0.0);
    EXPECT_EQ(single.duration_ms, 0);
    EXPECT_NEAR(*single.max_sog_knots, 3.2, 1e-12);
    EXPECT_FALSE(single.max_implied_speed_knots);
    EXPECT_TRUE(single.stops.empty());
}

// ---- simplify / downsample ---------------------------------------------------------------------

/// Vertices every 10 fixes at (0,0) (2,1) (4,0) (6,1) (8,0) km east/north of 25N 62E; the 9
/// fixes between two vertices lie on the leg, moved 3 m north and south alternately.
std::vector<TrackFix> zigzag() {
    const geo::Position origin{25.0, 62.0};
    const double vx[] = {0, 2000, 4000, 6000, 8000};
    const double vy[] = {0, 1000, 0, 1000, 0};
    std::vector<TrackFix> out;
    for (int leg = 0; leg < 4; ++leg) {
        for (int k = 0; k < 10; ++k) {
            const double t = k / 10.0;
            const double jitter = k == 0 ? 0.0 : (k % 2 == 0 ? 3.0 : -3.0);
            const double x = vx[leg] + t * (vx[leg + 1] - vx[leg]);
            const double y = vy[leg] + t * (vy[leg + 1] - vy[leg]) + jitter;
            out.push_back(make_fix(boat_a, leg * 10 + k, north_of(east_of(origin, x), y), 5.5));
        }
    }
    out.push_back(make_fix(boat_a, 40, east_of(origin, 8000), 5.5));
    return out;
}

TEST(TrackAnalysis, simplify_keeps_exactly_the_corners_of_a_zigzag) {
    const auto track = zigzag();
    const auto kept = simplify_track(track, 20.0); // jitter 3 m < 20 m < corners 1000 m
    ASSERT_EQ(kept.size(), 5U);
    for (std::size_t i = 0; i < kept.size(); ++i) {
        EXPECT_EQ(kept[i], track[i * 10]) << i; // the stored fix itself, SOG included
    }
}

TEST(TrackAnalysis, simplify_tolerance_decides_what_survives) {
    const auto track = zigzag();
    // Below the jitter (perpendicular 3 m x cos(26.6 deg) = 2.7 m): jittered fixes survive too,
    // and every corner stays.
    const auto fine = simplify_track(track, 1.0);
    EXPECT_GT(fine.size(), 5U);
    for (std::size_t i = 0; i <= 40; i += 10) {
        EXPECT_NE(std::find(fine.begin(), fine.end(), track[i]), fine.end()) << i;
    }
    // Above the corners' 1000 m offset from the first-last chord: only the ends.
    const auto coarse = simplify_track(track, 1500.0);
    ASSERT_EQ(coarse.size(), 2U);
    EXPECT_EQ(coarse.front(), track.front());
    EXPECT_EQ(coarse.back(), track.back());
    EXPECT_EQ(simplify_track({track[0], track[1]}, 1.0).size(), 2U);
    EXPECT_THROW((void)simplify_track(track, 0.0), std::invalid_argument);
    EXPECT_THROW((void)simplify_track(track, -1.0), std::invalid_argument);
    EXPECT_THROW((void)simplify_track(track, std::nan("")), std::invalid_argument);
}

TEST(TrackAnalysis, simplify_handles_100k_fixes_iteratively) {
    // Triangle wave: fix i is 10 m * i east, and +-50 m north with period 10 fixes; its
    // vertices (i % 5 == 0) are 100 m apart vertically, every other fix lies on a leg.
    constexpr std::size_t n = 100'000;
    const geo::Position origin{25.0, 62.0};
    std::vector<TrackFix> track;
    track.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto phase = static_cast<double>(i % 10);
        const double y = phase <= 5 ? -50.0 + 20.0 * phase : 50.0 - 20.0 * (phase - 5);
        track.push_back(make_fix(boat_a, static_cast<double>(i) / 6.0,
                                 north_of(east_of(origin, 10.0 * static_cast<double>(i)), y),
                                 std::nullopt));
    }
    const auto kept = simplify_track(track, 5.0);
    std::vector<TrackFix> expected;
    for (std::size_t i = 0; i < n; ++i) {
        if (i % 5 == 0 || i == n - 1) {
            expected.push_back(track[i]);
        }
    }
    ASSERT_EQ(kept.size(), expected.size());
    EXPECT_EQ(kept, expected);
}

TEST(TrackAnalysis, downsample_keeps_the_first_fix_of_each_period) {
    const geo::Position p{24.0, 63.0};
    std::vector<TrackFix> track;
    for (const double s : {0, 10, 59, 60, 61, 200, 3599, 3600}) {
        track.push_back(make_fix(boat_a, s / 60.0, p, 1.0)); // t0 is a whole minute
    }
    const auto kept = downsample_track(track, 60);
    std::vector<std::int64_t> times;
    for (const auto& f : kept) {
        times.push_back(f.time_ms - t0_ms);
    }
    EXPECT_EQ(times, (std::vector<std::int64_t>{0, 60'000, 200'000, 3'599'000, 3'600'000}));
    EXPECT_EQ(downsample_track(track, 1), track);
    EXPECT_EQ(downsample_track(track, 86'400).size(), 1U);
    EXPECT_THROW((void)downsample_track(track, 0), std::invalid_argument);

    // Before 1970: floor(-61/60) = -2, floor(-60/60) = floor(-1/60) = -1, 0 -> 0.
    std::vector<TrackFix> old;
    for (const std::int64_t s : {-61, -60, -1, 0}) {
        TrackFix f = make_fix(boat_a, 0, p, 1.0);
        f.time_ms = s * 1000;
        old.push_back(f);
    }
    const auto old_kept = downsample_track(old, 60);
    ASSERT_EQ(old_kept.size(), 3U);
    EXPECT_EQ(old_kept[0].time_ms, -61'000);
    EXPECT_EQ(old_kept[1].time_ms, -60'000);
    EXPECT_EQ(old_kept[2].time_ms, 0);
}

// ---- statistics --------------------------------------------------------------------------------

TEST(TrackAnalysis, statistics_of_six_knots_due_east_for_one_hour) {
    const geo::Position start{25.0, 62.0};
    const auto track = steam_east(boat_a, start, 6.0, 0, 60);
    const TrackStatistics s = track_statistics(track);
    // 6 kn x 1 h = 6 nm = 11,112 m along the parallel; the geodesic between the ends is shorter
    // by ~0.3 mm over 11 km, and microdegree rounding moves each end by < 0.06 m.
    const double ends_m = geo::distance_m(track.front().position(), track.back().position());
    EXPECT_NEAR(ends_m, 11'112.0, 0.15);
    EXPECT_NEAR(s.distance_m, ends_m, 0.15);
    EXPECT_NEAR(s.distance_nm, 6.0, 1e-4);
    EXPECT_EQ(s.fixes, 61U);
    EXPECT_EQ(s.duration_ms, 3'600'000);
    EXPECT_EQ(s.moving_ms, 3'600'000);
    EXPECT_EQ(s.stopped_ms, 0);
    EXPECT_EQ(s.gap_ms, 0);
    EXPECT_NEAR(*s.max_sog_knots, 6.0, 1e-12);
    EXPECT_NEAR(*s.max_implied_speed_knots, 6.0, 0.01); // 0.06 m rounding over 185 m steps
    EXPECT_TRUE(s.stops.empty());
}

/// 30 min east at 6 kn to P (arriving under way), exactly 45 min at P reporting SOG 0, 30 min
/// east at 6 kn again.
std::vector<TrackFix> steam_stop_steam(geo::Position& p_out) {
    const geo::Position start{25.0, 62.0};
    auto track = steam_east(boat_a, start, 6.0, 0, 30);
    const geo::Position p = east_of(start, 6.0 * knot_mps * 1800.0);
    for (int m = 31; m <= 75; ++m) {
        track.push_back(make_fix(boat_a, m, p, 0.0));
    }
    for (int m = 76; m <= 105; ++m) {
        track.push_back(make_fix(boat_a, m, east_of(p, 6.0 * knot_mps * 60.0 * (m - 75)), 6.0));
    }
    p_out = track[30].position();
    return track;
}

TEST(TrackAnalysis, statistics_find_an_exact_45_minute_stop) {
    geo::Position p{};
    const auto track = steam_stop_steam(p);
    const TrackStatistics s = track_statistics(track);
    ASSERT_EQ(s.stops.size(), 1U);
    EXPECT_EQ(s.stops[0].start_ms, at(30)); // the arrival fix
    EXPECT_EQ(s.stops[0].end_ms, at(75));   // the last fix before moving on
    EXPECT_EQ(s.stops[0].duration_ms, 45 * minute_ms);
    EXPECT_EQ(s.stops[0].fixes, 46U);
    EXPECT_NEAR(s.stops[0].position.lat_deg, p.lat_deg, 1e-9);
    EXPECT_NEAR(s.stops[0].position.lon_deg, p.lon_deg, 1e-9);
    EXPECT_EQ(s.moving_ms, 60 * minute_ms);
    EXPECT_EQ(s.stopped_ms, 45 * minute_ms);
    EXPECT_EQ(s.gap_ms, 0);
    EXPECT_NEAR(s.distance_m, 11'112.0, 0.3); // 2 x 3 nm
    // min_stop_s is inclusive; the stopped time does not depend on it.
    EXPECT_EQ(track_statistics(track, {0.5, 600, 2700}).stops.size(), 1U);
    const auto longer = track_statistics(track, {0.5, 600, 2701});
    EXPECT_TRUE(longer.stops.empty());
    EXPECT_EQ(longer.stopped_ms, 45 * minute_ms);
    EXPECT_THROW((void)track_statistics(track, {-1, 600, 600}), std::invalid_argument);
    EXPECT_THROW((void)track_statistics(track, {0.5, 0, 600}), std::invalid_argument);
    EXPECT_THROW((void)track_statistics(track, {0.5, 600, -1}), std::invalid_argument);
}

TEST(TrackAnalysis, statistics_ignore_a_short_pause_and_count_a_gap_as_neither) {
    const geo::Position start{25.0, 62.0};
    // 10 min at 6 kn, 5 min still, 10 min at 6 kn; then 3 h of silence, reappearing 36 nm on
    // (12 kn across the gap), then 10 min at 6 kn.
    auto track = steam_east(boat_a, start, 6.0, 0, 10);
    const geo::Position p1 = east_of(start, 6.0 * knot_mps * 600.0);
    for (int m = 11; m <= 15; ++m) {
        track.push_back(make_fix(boat_a, m, p1, 0.0));
    }
    append(track, steam_east(boat_a, east_of(p1, 6.0 * knot_mps * 60.0), 6.0, 16, 25));
    const geo::Position p2 = east_of(start, 2 * 6.0 * knot_mps * 600.0 + 36.0 * 1852.0);
    append(track, steam_east(boat_a, p2, 6.0, 205, 215));
    const TrackStatistics s = track_statistics(track);
    EXPECT_TRUE(s.stops.empty()); // 5 min < 10 min
    EXPECT_EQ(s.stopped_ms, 5 * minute_ms);
    EXPECT_EQ(s.gap_ms, 180 * minute_ms);
    EXPECT_EQ(s.moving_ms, 30 * minute_ms);
    EXPECT_EQ(s.duration_ms, s.moving_ms + s.stopped_ms + s.gap_ms);
    // The gap's 12 kn is not a step speed; the steps' 6 kn is.
    EXPECT_NEAR(*s.max_implied_speed_knots, 6.0, 0.01);
    EXPECT_NEAR(s.distance_nm, 3 * 1.0 + 36.0, 1e-3); // 30 min at 6 kn + 36 nm across the gap
}

// ---- port visits and departures ----------------------------------------------------------------

TEST(TrackAnalysis, port_visit_and_departure_from_a_harbour_square) {
    // An hour at the harbour centre (SOG 0, every 5 min), then due east at 6 kn.
    std::vector<TrackFix> track;
    for (int m = 0; m <= 60; m += 5) {
        track.push_back(make_fix(boat_a, m, harbour_centre, 0.0));
    }
    append(track, steam_east(boat_a, harbour_centre, 6.0, 60, 90));
    // Truth: inside while lon <= 62.010; departed at the first fix more than 1000 m (R1 buffer)
    // past the east edge, measured to the edge point on the same parallel.
    std::int64_t last_inside = 0;
    std::optional<std::size_t> departure;
    for (std::size_t i = 0; i < track.size(); ++i) {
        if (track[i].lon_e6 <= 62'010'000) {
            last_inside = track[i].time_ms;
        } else if (!departure && geo::distance_m(track[i].position(), {25.005, 62.010}) > 1000.0) {
            departure = i;
        }
    }
    ASSERT_TRUE(departure);
    const auto events = port_events(track, test_harbours());
    ASSERT_EQ(events.size(), 2U);
    const TrackEvent& visit = events[0];
    EXPECT_EQ(visit.kind, TrackEventKind::port_visit);
    EXPECT_EQ(visit.vessel, boat_a);
    EXPECT_EQ(visit.zone_id, "TST-HBR-01");
    EXPECT_EQ(visit.zone_name, "Test Harbour");
    EXPECT_EQ(visit.start_ms, at(0));
    EXPECT_EQ(visit.end_ms, last_inside);
    EXPECT_FALSE(visit.flagged);
    EXPECT_NE(visit.evidence.find("departed"), std::string::npos) << visit.evidence;
    const TrackEvent& left = events[1];
    EXPECT_EQ(left.kind, TrackEventKind::departure);
    EXPECT_EQ(left.zone_id, "TST-HBR-01");
    EXPECT_EQ(left.start_ms, last_inside);
    EXPECT_EQ(left.end_ms, track[*departure].time_ms);
    EXPECT_NEAR(*left.distance_m, geo::distance_m(track[*departure].position(), {25.005, 62.010}),
                1.0);
    EXPECT_NEAR(*left.speed_knots, 6.0, 1e-9);

    // The same departure under a 2 km buffer (config change) comes later.
    const auto far = port_events(track, test_harbours(), rules::DepartureConfig{2000.0, 2.0});
    ASSERT_EQ(far.size(), 2U);
    EXPECT_GT(far[1].end_ms, left.end_ms);
    EXPECT_GT(*far[1].distance_m, 2000.0);
}

TEST(TrackAnalysis, port_events_need_a_fix_inside_and_a_real_departure) {
    // Passing 2 km south of the harbour: no visit.
    const auto passing = steam_east(boat_a, north_of({25.0, 61.95}, -2000.0), 6.0, 0, 60);
    EXPECT_TRUE(port_events(passing, test_harbours()).empty());
    // Drifting out at 1 kn (below R1's 2 kn) for 2 h: a visit, no departure, flagged.
    std::vector<TrackFix> drift = {make_fix(boat_a, 0, harbour_centre, 0.0)};
    append(drift, steam_east(boat_a, harbour_centre, 1.0, 5, 125, 5));
    const auto events = port_events(drift, test_harbours());
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].kind, TrackEventKind::port_visit);
    EXPECT_TRUE(events[0].flagged);
    // A track that only lies inside: one open visit from first to last fix.
    const std::vector<TrackFix> moored = {make_fix(boat_a, 0, harbour_centre, 0.0),
                                          make_fix(boat_a, 30, harbour_centre, 0.0)};
    const auto stay = port_events(moored, test_harbours());
    ASSERT_EQ(stay.size(), 1U);
    EXPECT_EQ(stay[0].start_ms, at(0));
    EXPECT_EQ(stay[0].end_ms, at(30));
    EXPECT_TRUE(stay[0].flagged);
}

// ---- AIS gaps ----------------------------------------------------------------------------------

/// Fixes every 3 min for 30 min at 6 kn from `start`, silence for `gap_min`, then a fix
/// `reappear_nm` east of the last one and 30 min more.
std::vector<TrackFix> gap_track(const geo::Position& start, double gap_min, double reappear_nm,
                                double from_min = 0) {
    auto track = steam_east(boat_a, start, 6.0, from_min, from_min + 30, 3);
    const geo::Position p = east_of(track.back().position(), reappear_nm * 1852.0);
    append(track, steam_east(boat_a, p, 6.0, from_min + 30 + gap_min, from_min + 60 + gap_min, 3));
    return track;
}

TEST(TrackAnalysis, a_three_hour_gap_without_geography_uses_the_two_hour_threshold) {
    const rules::RuleParams params; // gap_after_departure_h 2, gap_offshore_h 6 (R6)
    const auto track = gap_track({24.5, 62.5}, 180, 45);
    const auto gaps = ais_gaps(track, params);
    ASSERT_EQ(gaps.size(), 1U);
    const TrackEvent& g = gaps[0];
    EXPECT_EQ(g.kind, TrackEventKind::ais_gap);
    EXPECT_EQ(g.start_ms, at(30));
    EXPECT_EQ(g.end_ms, at(210));
    EXPECT_EQ(g.basis, "unqualified");
    EXPECT_NEAR(*g.distance_m, 45 * 1852.0, 0.2);
    EXPECT_NEAR(*g.speed_knots, 15.0, 1e-4); // 45 nm in 3 h
    EXPECT_TRUE(g.flagged);                  // > 12 kn: R6 reappeared_far
    // 30 nm in 3 h = 10 kn: a gap, not flagged.
    const auto slower = ais_gaps(gap_track({24.5, 62.5}, 180, 30), params);
    ASSERT_EQ(slower.size(), 1U);
    EXPECT_FALSE(slower[0].flagged);
    // The threshold is R6's parameter: at 4 h a 3 h silence is no gap; >= is inclusive.
    rules::RuleParams four = params;
    four.gap_after_departure_h = 4;
    EXPECT_TRUE(ais_gaps(track, four).empty());
    EXPECT_EQ(ais_gaps(gap_track({24.5, 62.5}, 120, 10), params).size(), 1U);
    EXPECT_TRUE(ais_gaps(gap_track({24.5, 62.5}, 119, 10), params).empty());
}

TEST(TrackAnalysis, ais_gap_threshold_follows_distance_to_shore) {
    const rules::RuleParams params;
    AnalysisGeography offshore;
    offshore.distance_to_shore_m = [](const geo::Position&) { return 30 * 1852.0; };
    EXPECT_TRUE(ais_gaps(gap_track({24.5, 62.5}, 180, 45), params, offshore).empty());
    const auto seven = ais_gaps(gap_track({24.5, 62.5}, 420, 45), params, offshore);
    ASSERT_EQ(seven.size(), 1U);
    EXPECT_EQ(seven[0].basis, "offshore");
    // Near shore with the trip unknown (no harbours): the 2 h threshold.
    AnalysisGeography near;
    near.distance_to_shore_m = [](const geo::Position&) { return 5 * 1852.0; };
    const auto coastal = ais_gaps(gap_track({24.5, 62.5}, 180, 45), params, near);
    ASSERT_EQ(coastal.size(), 1U);
    EXPECT_EQ(coastal[0].basis, "unqualified");
}

TEST(TrackAnalysis, ais_gap_after_a_departure_and_none_in_harbour) {
    const rules::RuleParams params;
    // Leaves the test harbour at 6 kn, falls silent for 3 h 30 min after leaving.
    std::vector<TrackFix> track = {make_fix(boat_a, 0, harbour_centre, 0.0)};
    append(track, gap_track(harbour_centre, 180, 20, 5));
    AnalysisGeography geo_near;
    geo_near.harbours = &test_harbours();
    geo_near.distance_to_shore_m = [](const geo::Position&) { return 5 * 1852.0; };
    const auto gaps = ais_gaps(track, params, geo_near);
    ASSERT_EQ(gaps.size(), 1U);
    EXPECT_EQ(gaps[0].basis, "after_departure");
    EXPECT_NE(gaps[0].evidence.find("TST-HBR-01"), std::string::npos) << gaps[0].evidence;
    // Departure window 0 h: no longer "just departed"; known near shore: the live rule is silent.
    rules::RuleParams no_window = params;
    no_window.gap_departure_window_h = 0;
    EXPECT_TRUE(ais_gaps(track, no_window, geo_near).empty());
    // Silent for 3 h while lying in the harbour: never a gap.
    const std::vector<TrackFix> moored = {make_fix(boat_a, 0, harbour_centre, 0.0),
                                          make_fix(boat_a, 180, harbour_centre, 0.0)};
    EXPECT_TRUE(ais_gaps(moored, params, geo_near).empty());
    // Continuous reports: no gap.
    EXPECT_TRUE(ais_gaps(steam_east(boat_a, {24.5, 62.5}, 6, 0, 600, 10), params).empty());
}

// ---- rendezvous --------------------------------------------------------------------------------

struct Pair {
    std::vector<TrackFix> a;
    std::vector<TrackFix> b;
};

/// A every minute and B every 2 min (so half of A's samples use B's interpolated position),
/// side by side `apart_m` north of A, both due east at `knots` for `minutes`.
Pair side_by_side(double minutes, double apart_m, double knots = 1.0,
                  const geo::Position& start = {24.5, 62.5}, std::optional<double> b_sog = {},
                  int b_status = 0) {
    Pair p;
    p.a = steam_east(boat_a, start, knots, 0, minutes);
    for (double m = 0; m <= minutes + 1e-9; m += 2) {
        p.b.push_back(make_fix(boat_b, m,
                               north_of(east_of(start, knots * knot_mps * m * 60.0), apart_m),
                               b_sog ? b_sog : std::optional<double>(knots), b_status));
    }
    if (p.b.back().time_ms != p.a.back().time_ms) {
        p.b.push_back(make_fix(boat_b, minutes,
                               north_of(east_of(start, knots * knot_mps * minutes * 60.0), apart_m),
                               b_sog ? b_sog : std::optional<double>(knots), b_status));
    }
    return p;
}

TEST(TrackAnalysis, rendezvous_side_by_side_300_m_for_40_minutes) {
    const rules::RuleParams params; // 500 m, 30 min, < 3 kn (R7)
    const Pair p = side_by_side(40, 300);
    const auto events = rendezvous(p.a, p.b, params);
    ASSERT_EQ(events.size(), 1U);
    const TrackEvent& e = events[0];
    EXPECT_EQ(e.kind, TrackEventKind::rendezvous);
    EXPECT_EQ(e.vessel, boat_a);
    EXPECT_EQ(e.other_vessel, boat_b);
    EXPECT_EQ(e.start_ms, at(0));
    EXPECT_EQ(e.end_ms, at(40));
    EXPECT_NEAR(*e.distance_m, 300.0, 0.2);
    EXPECT_EQ(e.basis, "harbours_not_checked");
    EXPECT_EQ(e.start_position, p.a.front().position());
    EXPECT_EQ(e.end_position, p.a.back().position());
    // Symmetric: from B's side the same interval.
    const auto from_b = rendezvous(p.b, p.a, params);
    ASSERT_EQ(from_b.size(), 1U);
    EXPECT_EQ(from_b[0].start_ms, e.start_ms);
    EXPECT_EQ(from_b[0].end_ms, e.end_ms);
}

TEST(TrackAnalysis, rendezvous_needs_duration_distance_and_slowness) {
    const rules::RuleParams params;
    EXPECT_TRUE(rendezvous(side_by_side(25, 300).a, side_by_side(25, 300).b, params).empty());
    // R7's 30 min is inclusive, so 30 and 35 min both qualify; at 36 min configured, 35 does not.
    EXPECT_EQ(rendezvous(side_by_side(30, 300).a, side_by_side(30, 300).b, params).size(), 1U);
    const Pair p35 = side_by_side(35, 300);
    EXPECT_EQ(rendezvous(p35.a, p35.b, params).size(), 1U);
    rules::RuleParams longer = params;
    longer.rendezvous_min_minutes = 36;
    EXPECT_TRUE(rendezvous(p35.a, p35.b, longer).empty());
    // 600 m apart: beyond 500 m.
    const Pair wide = side_by_side(40, 600);
    EXPECT_TRUE(rendezvous(wide.a, wide.b, params).empty());
    // B reports 4 kn, or no SOG, or at anchor (status 1): not a rendezvous.
    const Pair fast = side_by_side(40, 300, 1.0, {24.5, 62.5}, 4.0);
    EXPECT_TRUE(rendezvous(fast.a, fast.b, params).empty());
    Pair no_sog = side_by_side(40, 300);
    for (auto& f : no_sog.b) {
        f.sog_dkn = -1;
    }
    EXPECT_TRUE(rendezvous(no_sog.a, no_sog.b, params).empty());
    const Pair anchored = side_by_side(40, 300, 1.0, {24.5, 62.5}, 1.0, 1);
    EXPECT_TRUE(rendezvous(anchored.a, anchored.b, params).empty());
    // B silent from minute 14 to 30 (16 min > 10 min: positions unknown) splits 40 min in two.
    Pair holed = side_by_side(40, 300);
    std::erase_if(holed.b,
                  [](const TrackFix& f) { return f.time_ms > at(14) && f.time_ms < at(30); });
    EXPECT_TRUE(rendezvous(holed.a, holed.b, params).empty());
    EXPECT_THROW((void)rendezvous(holed.a, holed.a, params), std::invalid_argument);
}

TEST(TrackAnalysis, rendezvous_away_from_harbours_only) {
    const rules::RuleParams params; // 3 nm from every harbour geofence (R7)
    // 1 nm east of the harbour's east edge: too close when harbours are given.
    const Pair close_in = side_by_side(40, 300, 1.0, east_of({25.005, 62.010}, 1852.0));
    EXPECT_EQ(rendezvous(close_in.a, close_in.b, params).size(), 1U);
    EXPECT_TRUE(rendezvous(close_in.a, close_in.b, params, &test_harbours()).empty());
    // 10 nm east of it: far enough.
    const Pair out = side_by_side(40, 300, 1.0, east_of({25.005, 62.010}, 10 * 1852.0));
    const auto events = rendezvous(out.a, out.b, params, &test_harbours());
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].basis, "away_from_harbours");
}

// ---- loitering ---------------------------------------------------------------------------------

/// Drifting east at `knots` (reported SOG), a fix every 5 min for `minutes`.
std::vector<TrackFix> drift(double knots, double minutes, std::optional<double> sog = {},
                            int status = 0) {
    auto track = steam_east(boat_a, {24.0, 63.0}, knots, 0, minutes, 5);
    for (auto& f : track) {
        f.sog_dkn = sog ? static_cast<std::int16_t>(std::lround(*sog * 10))
                        : static_cast<std::int16_t>(std::lround(knots * 10));
        f.nav_status = static_cast<std::int8_t>(status);
    }
    return track;
}

TEST(TrackAnalysis, loitering_without_geography_needs_the_offshore_duration) {
    const rules::RuleParams params; // < 2 kn mean; 1 h near a line, 3 h offshore (R8)
    const auto track = drift(0.5, 190);
    const auto events = loitering(track, params);
    ASSERT_EQ(events.size(), 1U);
    const TrackEvent& e = events[0];
    EXPECT_EQ(e.kind, TrackEventKind::loitering);
    EXPECT_EQ(e.basis, "unqualified");
    EXPECT_EQ(e.start_ms, at(0));
    EXPECT_EQ(e.end_ms, at(190));
    EXPECT_NEAR(*e.speed_knots, 0.5, 1e-9);
    EXPECT_TRUE(loitering(drift(0.5, 150), params).empty()); // 2.5 h < 3 h
    rules::RuleParams four = params;
    four.loiter_offshore_h = 4;
    EXPECT_TRUE(loitering(track, four).empty());
    // Mean 2.5 kn (below the 3 kn hysteresis, above 2 kn): no loitering.
    EXPECT_TRUE(loitering(drift(2.5, 240), params).empty());
    // At anchor (status 1): no loitering (R8).
    EXPECT_TRUE(loitering(drift(0.5, 240, {}, 1), params).empty());
}

TEST(TrackAnalysis, loitering_place_comes_from_the_callbacks) {
    const rules::RuleParams params;
    const auto short_drift = drift(0.5, 150); // 2.5 h
    AnalysisGeography line;
    line.distance_to_boundary_m = [](const geo::Position&) { return 10 * 1852.0; };
    const auto near = loitering(short_drift, params, line);
    ASSERT_EQ(near.size(), 1U);
    EXPECT_EQ(near[0].basis, "near_boundary");
    EXPECT_EQ(near[0].end_ms, at(150));
    // Boundary far and no shore callback: neither variant can apply.
    AnalysisGeography far_line;
    far_line.distance_to_boundary_m = [](const geo::Position&) { return 50 * 1852.0; };
    EXPECT_TRUE(loitering(drift(0.5, 240), params, far_line).empty());
    // Shore only: 25 nm offshore qualifies after 3 h, 5 nm does not at all.
    AnalysisGeography offshore;
    offshore.distance_to_shore_m = [](const geo::Position&) { return 25 * 1852.0; };
    const auto off = loitering(drift(0.5, 190), params, offshore);
    ASSERT_EQ(off.size(), 1U);
    EXPECT_EQ(off[0].basis, "offshore");
    AnalysisGeography coastal;
    coastal.distance_to_shore_m = [](const geo::Position&) { return 5 * 1852.0; };
    EXPECT_TRUE(loitering(drift(0.5, 240), params, coastal).empty());
}

TEST(TrackAnalysis, loitering_runs_break_at_speed_and_use_implied_speed_without_sog) {
    const rules::RuleParams params;
    // 2 h drift, one fix at 3.5 kn (>= 1.5 x 2 kn), 2 h drift: two runs of 2 h, no event.
    auto broken = drift(0.5, 240);
    broken[24].sog_dkn = 35;
    EXPECT_TRUE(loitering(broken, params).empty());
    // Without SOG the speed implied by consecutive fixes (1 kn here) is used; the first fix has
    // none, so the run starts at the second.
    auto silent = drift(1.0, 200);
    for (auto& f : silent) {
        f.sog_dkn = -1;
    }
    const auto events = loitering(silent, params);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].start_ms, at(5));
    EXPECT_EQ(events[0].end_ms, at(200));
    EXPECT_NEAR(*events[0].speed_knots, 1.0, 0.01);
}

// ---- load_track --------------------------------------------------------------------------------

/// A store holding a fixed list of fixes (only scan_track is exercised).
class ListStore : public TrackStore {
public:
    explicit ListStore(std::vector<TrackFix> fixes) : m_fixes(std::move(fixes)) {}
    bool append(const TrackFix&) override { return false; }
    void append_static(StaticRecord) override {}
    std::uint16_t source_id(const std::string&) override { return 0; }
    [[nodiscard]] std::string source_name(std::uint16_t) const override { return {}; }
    void flush() override {}
    void scan_track(std::int64_t vessel, const TimeWindow& window,
                    const FixVisitor& visit) const override {
        for (const auto& f : m_fixes) {
            if (f.vessel == vessel && window.contains(f.time_ms) && !visit(f)) {
                return;
            }
        }
    }
    void scan_area(const GeoBox&, const TimeWindow&, const FixVisitor&) const override {}
    [[nodiscard]] std::vector<StaticRecord> static_history(std::int64_t,
                                                           std::int64_t) const override {
        return {};
    }
    [[nodiscard]] std::vector<StaticRecord> find_by_name(const std::string&,
                                                         std::size_t) const override {
        return {};
    }
    [[nodiscard]] TrackStoreCounters counters() const override { return {}; }

private:
    std::vector<TrackFix> m_fixes;
};

TEST(TrackAnalysis, load_track_reads_one_vessel_in_a_window) {
    auto fixes = steam_east(boat_a, {24.5, 62.5}, 6, 0, 10);
    append(fixes, steam_east(boat_b, {24.6, 62.5}, 6, 0, 10));
    const ListStore store(fixes);
    const auto track = load_track(store, boat_a, {at(2), at(5)});
    ASSERT_EQ(track.size(), 4U);
    EXPECT_EQ(track.front(), fixes[2]);
    EXPECT_EQ(track.back(), fixes[5]);
    EXPECT_TRUE(load_track(store, 1, {at(0), at(10)}).empty());
    EXPECT_EQ(to_string(TrackEventKind::ais_gap), "ais_gap");
    EXPECT_EQ(to_string(TrackEventKind::port_visit), "port_visit");
}

} // namespace
} // namespace sahil::store
