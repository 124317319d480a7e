// ZoneIndex queries on the shipped zone files (config/geo/). Expected answers come from data that
// the code under test does not compute: each harbour's centre_lat/centre_lon/radius_m properties
// (the circles were generated from them by shared/geo/tools/make_harbours.py), sourced reference
// positions, geodesic values checked in geodesic_test.cpp, and the brute-force oracle in
// geo_test_support.hpp.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "geo/geo_error.hpp"
#include "geo/geodesic.hpp"
#include "geo/zone_index.hpp"
#include "geo_test_support.hpp"

namespace sahil::geo {
namespace {

using test::config_geo;

const ZoneIndex& harbours() {
    static const ZoneIndex index = ZoneIndex::load(config_geo("harbours.geojson"), "harbours");
    return index;
}

const ZoneIndex& pak_zones() {
    static const ZoneIndex index =
        ZoneIndex::load(config_geo("pak_maritime_zones_approx.geojson"), "pak_zones", "zone");
    return index;
}

Position centre_of(const Zone& harbour) {
    return {std::stod(harbour.properties.at("centre_lat")),
            std::stod(harbour.properties.at("centre_lon"))};
}

double radius_of(const Zone& harbour) {
    return std::stod(harbour.properties.at("radius_m"));
}

bool has_id(const std::vector<const Zone*>& zones, const std::string& id) {
    return std::any_of(zones.begin(), zones.end(), [&id](const Zone* z) { return z->id == id; });
}

/// Geometry of a harbour circle measured from its centre in the local tangent plane (exact to
/// ~1e-7 at 1.5 km): the farthest vertex, and the radius of the largest centred disk inside the
/// polygon (distance from the centre to the nearest edge line: r1 r2 sin(theta) / |AB|).
struct CircleBounds {
    double max_vertex_m;
    double inscribed_m;
};

CircleBounds circle_bounds(const Zone& harbour) {
    const Position c = centre_of(harbour);
    const auto& ring = harbour.geometry.front().outer();
    CircleBounds b{0.0, std::numeric_limits<double>::infinity()};
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const Position a{ring[i].y(), ring[i].x()};
        const Position e{ring[i + 1].y(), ring[i + 1].x()};
        const double r1 = distance_m(c, a);
        const double r2 = distance_m(c, e);
        const double theta = std::abs(initial_bearing_deg(c, e) - initial_bearing_deg(c, a)) *
                             std::numbers::pi / 180.0;
        const double t = std::min(theta, 2.0 * std::numbers::pi - theta);
        b.max_vertex_m = std::max(b.max_vertex_m, r1);
        b.inscribed_m = std::min(b.inscribed_m, r1 * r2 * std::sin(t) / distance_m(a, e));
    }
    return b;
}

TEST(ZoneIndex, every_harbour_centre_is_inside_its_own_zone) {
    ASSERT_EQ(harbours().size(), 15U);
    for (const Zone& z : harbours().zones()) {
        SCOPED_TRACE(z.id);
        EXPECT_TRUE(has_id(harbours().containing(centre_of(z)), z.id));
        EXPECT_EQ(harbours().distance_outside_m(centre_of(z), z), 0.0);
    }
}

TEST(ZoneIndex, harbour_membership_agrees_with_centre_distance_and_radius) {
    // The circles' vertices lie between 0.995 r and 1.0006 r from the centre (equirectangular
    // conversion with 111320 m/degree); so a point nearer than 0.98 r to a centre must be inside
    // and a point farther than 1.001 r must be outside. Checked with every harbour centre.
    for (const Zone& probe : harbours().zones()) {
        const Position p = centre_of(probe);
        const auto inside = harbours().containing(p);
        for (const Zone& z : harbours().zones()) {
            const double d = distance_m(p, centre_of(z));
            SCOPED_TRACE(probe.id + " in " + z.id);
            if (d < 0.98 * radius_of(z)) {
                EXPECT_TRUE(has_id(inside, z.id));
            } else if (d > 1.001 * radius_of(z)) {
                EXPECT_FALSE(has_id(inside, z.id));
            }
        }
    }
}

TEST(ZoneIndex, far_points_are_in_no_harbour) {
    EXPECT_TRUE(harbours().containing({24.0, 64.0}).empty()); // open sea, ~130 km offshore
    EXPECT_TRUE(harbours().containing({27.5, 66.0}).empty()); // inland Balochistan
    EXPECT_TRUE(harbours().containing({25.2, 63.0}).empty()); // coast between Gwadar and Pasni
    EXPECT_TRUE(harbours().containing({91.0, 63.0}).empty()); // AIS "not available" latitude
}

TEST(ZoneIndex, a_vertex_of_the_fence_counts_as_inside) {
    const Zone* pasni = harbours().find("PK-HBR-05");
    ASSERT_NE(pasni, nullptr);
    for (const LonLatPoint& v : pasni->geometry.front().outer()) {
        EXPECT_TRUE(has_id(harbours().containing({v.y(), v.x()}), "PK-HBR-05"));
    }
}

TEST(ZoneIndex, distance_out_along_a_vertex_ray_is_exact) {
    // P on the geodesic from the centre through a vertex V, 500 m beyond V: for a convex,
    // near-regular polygon the nearest boundary point is V itself, so the answer is 500 m.
    for (const Zone& z : harbours().zones()) {
        const Position c = centre_of(z);
        const auto& ring = z.geometry.front().outer();
        for (std::size_t i = 0; i + 1 < ring.size(); i += 5) {
            const Position v{ring[i].y(), ring[i].x()};
            const Position p = destination(c, initial_bearing_deg(c, v), distance_m(c, v) + 500.0);
            SCOPED_TRACE(z.id + " vertex " + std::to_string(i));
            EXPECT_NEAR(harbours().distance_outside_m(p, z), 500.0, 0.005);
        }
    }
}

TEST(ZoneIndex, distance_500_m_beyond_the_radius_is_500_m_within_the_chord_tolerance) {
    // P = destination(centre, bearing, radius_m + 500). Rigorous bounds from the circle's own
    // vertices: d >= |PC| - max vertex distance (triangle inequality) and d <= |PC| - inscribed
    // radius (the polygon holds that disk). For 32 vertices the chord sagitta is r(1 - cos(pi/32))
    // = 0.48 % of r, and the equirectangular circles are 0.5 % flattened: bounds ~5-12 m wide.
    for (const Zone& z : harbours().zones()) {
        const CircleBounds b = circle_bounds(z);
        const double pc = radius_of(z) + 500.0;
        for (const double bearing : {0.0, 37.0, 100.0, 191.25, 311.0}) {
            const Position p = destination(centre_of(z), bearing, pc);
            const double d = harbours().distance_outside_m(p, z);
            SCOPED_TRACE(z.id + " bearing " + std::to_string(bearing));
            EXPECT_GE(d, pc - b.max_vertex_m - 0.001);
            EXPECT_LE(d, pc - b.inscribed_m + 0.001);
            EXPECT_NEAR(d, 500.0, 0.012 * radius_of(z)); // "about 500 m"
            EXPECT_NEAR(d, test::oracle_boundary_m(p, z), 0.005);
        }
    }
}

TEST(ZoneIndex, within_distance_from_gwadar_town_finds_the_three_gwadar_fences_sorted) {
    const Position gwadar_town{25.12639, 62.3225}; // Wikipedia 'Gwadar'
    const double radius = 2000.0;
    const auto found = harbours().within_distance(gwadar_town, radius);
    // Expectation from centres and radii alone, skipping any fence too close to call.
    for (const Zone& z : harbours().zones()) {
        const CircleBounds b = circle_bounds(z);
        const double dc = distance_m(gwadar_town, centre_of(z));
        const bool listed = std::any_of(found.begin(), found.end(),
                                        [&z](const auto& f) { return f.first->id == z.id; });
        SCOPED_TRACE(z.id);
        if (dc - b.inscribed_m <= radius) {
            EXPECT_TRUE(listed);
        } else if (dc - b.max_vertex_m > radius) {
            EXPECT_FALSE(listed);
        }
    }
    ASSERT_EQ(found.size(), 3U);
    EXPECT_EQ(found[0].first->id, "PK-HBR-03"); // West Bay beach, ~40 m
    EXPECT_EQ(found[1].first->id, "PK-HBR-04"); // East Bay boat parking, ~770 m
    EXPECT_EQ(found[2].first->id, "PK-HBR-02"); // Fish Harbour, ~970 m
    EXPECT_TRUE(std::is_sorted(found.begin(), found.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; }));
    for (const auto& [zone, d] : found) {
        EXPECT_NEAR(d, test::oracle_boundary_m(gwadar_town, *zone), 0.005);
    }
}

TEST(ZoneIndex, within_distance_includes_containing_zones_at_zero_and_rejects_bad_radius) {
    const Zone* pasni = harbours().find("PK-HBR-05");
    ASSERT_NE(pasni, nullptr);
    const auto found = harbours().within_distance(centre_of(*pasni), 0.0);
    ASSERT_EQ(found.size(), 1U);
    EXPECT_EQ(found[0].first, pasni);
    EXPECT_EQ(found[0].second, 0.0);
    EXPECT_TRUE(harbours().within_distance(centre_of(*pasni), -1.0).empty());
    EXPECT_TRUE(harbours().within_distance({91.0, 0.0}, 1000.0).empty());
}

TEST(ZoneIndex, within_distance_search_box_misses_nothing_east_west_or_north_south) {
    // For each harbour, probe points at radius_m + 3000 due N/E/S/W: with a 3050 m search radius
    // the fence must be found (its distance is ~3000 m +- chord tolerance), with 2900 m not.
    for (const Zone& z : harbours().zones()) {
        for (const double bearing : {0.0, 90.0, 180.0, 270.0}) {
            const Position p = destination(centre_of(z), bearing, radius_of(z) + 3000.0);
            const auto near = harbours().within_distance(p, 3000.0 + 0.012 * radius_of(z));
            const auto not_near = harbours().within_distance(p, 2990.0 - 0.012 * radius_of(z));
            auto listed = [&z](const auto& v) {
                return std::any_of(v.begin(), v.end(),
                                   [&z](const auto& f) { return f.first->id == z.id; });
            };
            SCOPED_TRACE(z.id + " bearing " + std::to_string(bearing));
            EXPECT_TRUE(listed(near));
            EXPECT_FALSE(listed(not_near));
        }
    }
}

TEST(ZoneIndex, pakistan_eez_holds_a_point_50_nm_south_of_pasni_but_not_karachi_on_land) {
    const Zone* eez = pak_zones().find("eez_all_waters");
    ASSERT_NE(eez, nullptr);
    const Position pasni_town{25.265222, 63.469819}; // Wikipedia 'Pasni'
    const Position offshore = destination(pasni_town, 180.0, 50.0 * metres_per_nautical_mile);
    const auto at_sea = pak_zones().containing(offshore);
    EXPECT_TRUE(has_id(at_sea, "eez_all_waters"));
    EXPECT_TRUE(has_id(at_sea, "eez_beyond_contiguous")); // 50 nm from the coast: 24-200 nm band
    EXPECT_FALSE(has_id(at_sea, "territorial_sea"));
    EXPECT_FALSE(has_id(at_sea, "contiguous_zone_belt"));
    EXPECT_EQ(pak_zones().distance_outside_m(offshore, *eez), 0.0);

    // Jinnah International Airport, Karachi, ~10 km inland (Wikipedia: 24°54'24"N 67°09'39"E).
    const Position karachi_airport{24.906667, 67.160833};
    EXPECT_TRUE(pak_zones().containing(karachi_airport).empty());
    const double inland = pak_zones().distance_outside_m(karachi_airport, *eez);
    EXPECT_GT(inland, 3000.0);
    EXPECT_LT(inland, 25000.0);
}

TEST(ZoneIndex, distance_to_the_eez_agrees_with_brute_force_far_from_its_centre) {
    // Large zone (7.5° wide): here the projection's scale error is up to ~0.3 % (planar distances
    // alone would be off by 6-700 m), so this exercises the geodesic refinement. Tolerance 1 cm.
    const Zone* eez = pak_zones().find("eez_all_waters");
    ASSERT_NE(eez, nullptr);
    const Position points[] = {
        {24.906667, 67.160833}, // Karachi airport (inland, east end)
        {27.5, 66.0},           // inland Balochistan, ~250 km from the coast
        {22.0, 59.5},           // Omani waters, west of the zone
        {25.3, 61.3},           // Iran, just west of Gwatar Bay
    };
    for (const Position& p : points) {
        SCOPED_TRACE(testing::Message() << p.lat_deg << "," << p.lon_deg);
        const double d = pak_zones().distance_outside_m(p, *eez);
        EXPECT_GT(d, 0.0);
        EXPECT_NEAR(d, test::oracle_boundary_m(p, *eez), 0.01);
    }
}

TEST(ZoneIndex, merged_layers_answer_together_and_filter_by_layer) {
    ZoneIndex index = ZoneIndex::load(config_geo("harbours.geojson"), "harbours");
    index.merge(
        ZoneIndex::load(config_geo("pak_maritime_zones_approx.geojson"), "pak_zones", "zone"));
    ASSERT_EQ(index.size(), 19U);
    const Position pasni_harbour{25.248, 63.483}; // centre of PK-HBR-05
    const auto all = index.containing(pasni_harbour);
    EXPECT_TRUE(has_id(all, "PK-HBR-05"));
    EXPECT_TRUE(has_id(all, "territorial_sea")); // the fence straddles the shore
    const auto only_harbours = index.containing(pasni_harbour, "harbours");
    ASSERT_EQ(only_harbours.size(), 1U);
    EXPECT_EQ(only_harbours[0]->id, "PK-HBR-05");
    const auto near = index.within_distance(pasni_harbour, 5000.0, "pak_zones");
    EXPECT_FALSE(near.empty());
    for (const auto& [zone, d] : near) {
        EXPECT_EQ(zone->layer, "pak_zones");
    }
    EXPECT_EQ(index.find("pak_zones", "territorial_sea")->layer, "pak_zones");
    EXPECT_EQ(index.find("harbours", "territorial_sea"), nullptr);
}

TEST(ZoneIndex, merge_rejects_a_duplicate_layer_and_id_and_changes_nothing) {
    ZoneIndex index = ZoneIndex::load(config_geo("harbours.geojson"), "harbours");
    ZoneIndex again = ZoneIndex::load(config_geo("harbours.geojson"), "harbours");
    EXPECT_THROW(index.merge(std::move(again)), GeoError);
    EXPECT_EQ(index.size(), 15U);
    EXPECT_EQ(again.size(), 15U); // NOLINT(bugprone-use-after-move): merge failed, strong guarantee
    // The same ids under another label are fine.
    index.merge(ZoneIndex::load(config_geo("harbours.geojson"), "harbours_copy"));
    EXPECT_EQ(index.size(), 30U);
}

TEST(ZoneIndex, intersecting_catches_a_fence_passed_between_two_fixes) {
    // Two fixes 3 km west and 3 km east of Pasni Fish Harbour's centre: neither is inside the
    // 900 m fence, the straight track between them crosses it.
    const Position c{25.248, 63.483};
    const Position west = destination(c, 270.0, 3000.0);
    const Position east = destination(c, 90.0, 3000.0);
    EXPECT_TRUE(harbours().containing(west).empty());
    EXPECT_TRUE(harbours().containing(east).empty());
    const auto crossed = harbours().intersecting(west, east);
    ASSERT_EQ(crossed.size(), 1U);
    EXPECT_EQ(crossed[0]->id, "PK-HBR-05");
    const Position south_west = destination(west, 180.0, 3000.0);
    const Position south_east = destination(east, 180.0, 3000.0);
    EXPECT_TRUE(harbours().intersecting(south_west, south_east).empty());
}

TEST(ZoneIndex, const_queries_can_run_on_two_threads) {
    const ZoneIndex& index = pak_zones();
    const Zone& eez = *index.find("eez_all_waters");
    const Position p{27.5, 66.0};
    const double expected = index.distance_outside_m(p, eez);
    auto work = [&] {
        int mismatches = 0;
        for (int i = 0; i < 200; ++i) {
            mismatches += index.distance_outside_m(p, eez) == expected ? 0 : 1;
            mismatches += index.containing({24.5, 64.0}).empty() ? 1 : 0;
        }
        return mismatches;
    };
    int a = -1;
    int b = -1;
    std::thread t1([&] { a = work(); });
    std::thread t2([&] { b = work(); });
    t1.join();
    t2.join();
    EXPECT_EQ(a, 0);
    EXPECT_EQ(b, 0);
}

TEST(ZoneIndex, copy_is_independent_of_the_original) {
    ZoneIndex copy = harbours();
    EXPECT_EQ(copy.size(), 15U);
    const Zone* in_copy = copy.find("PK-HBR-05");
    ASSERT_NE(in_copy, nullptr);
    EXPECT_NE(in_copy, harbours().find("PK-HBR-05"));
    EXPECT_TRUE(has_id(copy.containing({25.248, 63.483}), "PK-HBR-05"));
    EXPECT_TRUE(ZoneIndex().containing({25.248, 63.483}).empty());
}

} // namespace
} // namespace sahil::geo
