// Zones drawn by hand (make_zone), checked against geometry worked out independently.
//
//   lat 25.12 +-----------------+        square "SQ": lon 62.30..62.32, lat 25.10..25.12
//             |    +-------+    |        hole:        lon 62.305..62.315, lat 25.105..25.115
//             |    | hole  |    |
//             |    +-------+    |
//   lat 25.10 +-----------------+
//          62.30             62.32
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "geo/geo_error.hpp"
#include "geo/geodesic.hpp"
#include "geo/zone.hpp"
#include "geo_test_support.hpp"

namespace sahil::geo {
namespace {

LonLatPolygon box_polygon(double west, double south, double east, double north) {
    // Counter-clockwise (GeoJSON RFC 7946 order); make_zone must correct it.
    LonLatPolygon polygon;
    polygon.outer() = {{west, south}, {east, south}, {east, north}, {west, north}, {west, south}};
    return polygon;
}

Zone square_with_hole() {
    LonLatPolygon polygon = box_polygon(62.30, 25.10, 62.32, 25.12);
    polygon.inners().push_back(
        {{62.305, 25.105}, {62.305, 25.115}, {62.315, 25.115}, {62.315, 25.105}, {62.305, 25.105}});
    return make_zone("SQ", "square", "test", "drawn", {}, LonLatMultiPolygon{polygon});
}

TEST(Zone, contains_inside_and_boundary_but_not_hole_or_outside) {
    const Zone zone = square_with_hole();
    EXPECT_TRUE(contains(zone, {25.102, 62.302}));  // in the frame
    EXPECT_TRUE(contains(zone, {25.10, 62.30}));    // corner
    EXPECT_TRUE(contains(zone, {25.11, 62.32}));    // on the east edge
    EXPECT_TRUE(contains(zone, {25.105, 62.31}));   // on the hole's edge
    EXPECT_FALSE(contains(zone, {25.11, 62.31}));   // in the hole
    EXPECT_FALSE(contains(zone, {25.11, 62.3201})); // just east
    EXPECT_FALSE(contains(zone, {91.0, 62.31}));    // invalid position
}

TEST(Zone, bounds_and_projection_centre) {
    const Zone zone = square_with_hole();
    EXPECT_DOUBLE_EQ(zone.bounds.min_corner().x(), 62.30);
    EXPECT_DOUBLE_EQ(zone.bounds.max_corner().y(), 25.12);
    EXPECT_NEAR(zone.projection_centre.lat_deg, 25.11, 1e-12);
    EXPECT_NEAR(zone.projection_centre.lon_deg, 62.31, 1e-12);
}

TEST(Zone, distance_outside_is_zero_inside_and_on_boundary) {
    const Zone zone = square_with_hole();
    EXPECT_EQ(distance_outside_m({25.102, 62.302}, zone), 0.0);
    EXPECT_EQ(distance_outside_m({25.12, 62.31}, zone), 0.0);
}

TEST(Zone, distance_from_east_and_from_the_hole_centre) {
    const Zone zone = square_with_hole();
    // 500 m due east of the east edge's midpoint: the nearest point is that midpoint.
    const Position mid_east{25.11, 62.32};
    const Position p = destination(mid_east, 90.0, 500.0);
    EXPECT_NEAR(distance_outside_m(p, zone), 500.0, 0.01);
    // From the hole's centre the nearest boundary is the middle of the hole's east/west sides
    // (0.005° of longitude, ~505 m) rather than north/south (0.005° of latitude, ~554 m).
    const Position centre{25.11, 62.31};
    const double expected = distance_m(centre, {25.11, 62.315});
    EXPECT_NEAR(distance_outside_m(centre, zone), expected, 0.01);
    EXPECT_NEAR(distance_outside_m(centre, zone), test::oracle_boundary_m(centre, zone), 0.01);
}

TEST(Zone, distance_far_away_agrees_with_brute_force_oracle) {
    const Zone zone = square_with_hole();
    // Far enough (~480 km, ~4.5° of longitude) that the projection's scale error (~0.3 %) matters
    // and the geodesic refinement has to do the work.
    const Position far{23.0, 66.5};
    EXPECT_NEAR(distance_outside_m(far, zone), test::oracle_boundary_m(far, zone), 0.01);
}

TEST(Zone, segment_through_the_zone_intersects_it) {
    const Zone zone = square_with_hole();
    EXPECT_TRUE(intersects_segment(zone, {25.11, 62.29}, {25.11, 62.33}));      // crosses it
    EXPECT_TRUE(intersects_segment(zone, {25.102, 62.302}, {25.0, 62.0}));      // starts inside
    EXPECT_FALSE(intersects_segment(zone, {25.13, 62.29}, {25.13, 62.33}));     // passes north
    EXPECT_FALSE(intersects_segment(zone, {25.109, 62.309}, {25.111, 62.311})); // inside hole
}

TEST(Zone, make_zone_rejects_bad_geometry_with_the_feature_named) {
    LonLatPolygon bow_tie;
    bow_tie.outer() = {{62.0, 25.0}, {62.1, 25.1}, {62.1, 25.0}, {62.0, 25.1}, {62.0, 25.0}};
    try {
        (void)make_zone("BOW", "bow tie", "", "drawn", {}, LonLatMultiPolygon{bow_tie});
        FAIL() << "bow tie accepted";
    } catch (const GeoError& e) {
        EXPECT_NE(std::string(e.what()).find("BOW"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("invalid geometry"), std::string::npos) << e.what();
        EXPECT_EQ(e.feature(), "BOW");
        EXPECT_EQ(e.layer(), "drawn");
    }
    EXPECT_THROW((void)make_zone("E", "", "", "drawn", {}, LonLatMultiPolygon{}), GeoError);
    EXPECT_THROW((void)make_zone("R", "", "", "drawn", {},
                                 LonLatMultiPolygon{box_polygon(179.9, 0.0, 180.1, 0.1)}),
                 GeoError);
}

TEST(Zone, copies_share_the_outline_and_answer_the_same) {
    const Zone zone = square_with_hole();
    const Zone copy = zone; // NOLINT(performance-unnecessary-copy-initialization)
    EXPECT_EQ(copy.outline, zone.outline);
    const Position p{25.0, 62.0};
    EXPECT_EQ(distance_outside_m(p, copy), distance_outside_m(p, zone));
}

} // namespace
} // namespace sahil::geo
