// Expected values are independent of Sahil's code: published values (WGS 84 / Karney) and the
// output of PROJ's `geod` command-line tool (proj-bin 9.1.1, Debian 12), e.g.
//   echo "25.12639 62.3225 25.265222 63.469819" | geod +ellps=WGS84 -I -f "%.9f" -F "%.4f"
//   -> 82.180441689  -97.331115834  116655.5287      (azi1, back azimuth, distance m)
//   echo "25.265222 63.469819 180 92600" | geod +ellps=WGS84 -f "%.9f"
//   -> 24.429260335  63.469819000  0.000000000       (lat2, lon2, back azimuth)
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "geo/geodesic.hpp"

namespace sahil::geo {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Reference points from config/geo/reference_points.geojson (sources in that file).
constexpr Position gwadar_town{25.12639, 62.3225};
constexpr Position pasni_town{25.265222, 63.469819};
constexpr Position ormara_town{25.2144333, 64.6332972};
constexpr Position ormara_lighthouse{25.188694, 64.687722};
constexpr Position port_of_karachi{24.835, 66.982};
constexpr Position keti_bandar{24.14444, 67.45083};
constexpr Position gwatar_bay{25.11361, 61.61417};
constexpr Position sir_creek{23.89584, 68.27696};
constexpr Position pak_irn_omn_tripoint{23.4, 61.34};
constexpr Position pak_ind_high_seas{21.08, 65.6};

TEST(Geodesic, one_degree_of_latitude_at_the_equator_is_110574_m) {
    // WGS 84 meridian arc 0°..1° N: 110574.389 m (e.g. NGA/NIMA TR8350.2 tables; geod gives the
    // same).
    EXPECT_NEAR(distance_m({0.0, 0.0}, {1.0, 0.0}), 110574.389, 0.001);
}

TEST(Geodesic, matches_karney_jfk_to_lhr_example) {
    // GeographicLib GeodSolve documentation: 40.6 -73.8 -> 51.6 -0.5:
    // azi1 51.198882845579, s12 5551759.400319 m.
    EXPECT_NEAR(distance_m({40.6, -73.8}, {51.6, -0.5}), 5551759.400319, 0.001);
    EXPECT_NEAR(initial_bearing_deg({40.6, -73.8}, {51.6, -0.5}), 51.198882845579, 1e-9);
}

struct InverseCase {
    Position from;
    Position to;
    double distance_m; ///< geod -I output
    double azi1_deg;   ///< geod -I output, reduced to [0, 360)
};

TEST(Geodesic, distances_and_bearings_between_reference_points_match_proj_geod) {
    const InverseCase cases[] = {
        {gwadar_town, pasni_town, 116655.5287, 82.180441689},
        {pasni_town, ormara_town, 117358.7777, 92.499650428},
        {ormara_lighthouse, port_of_karachi, 234872.8803, 99.116061804},
        {port_of_karachi, keti_bandar, 90050.1832, 148.050540263},
        {gwatar_bay, sir_creek, 688535.9762, 99.900339309},
        {pak_irn_omn_tripoint, pak_ind_high_seas, 508725.4071, 119.507501474},
        {pasni_town, gwadar_town, 116655.5287, 360.0 - 97.331115834},
        {port_of_karachi, {24.835, 66.0}, 99264.7537, 360.0 - 89.793772611},
    };
    for (const InverseCase& c : cases) {
        SCOPED_TRACE(testing::Message() << c.from.lat_deg << "," << c.from.lon_deg << " -> "
                                        << c.to.lat_deg << "," << c.to.lon_deg);
        EXPECT_NEAR(distance_m(c.from, c.to), c.distance_m, 0.0005); // geod prints 0.1 mm
        EXPECT_NEAR(initial_bearing_deg(c.from, c.to), c.azi1_deg, 1e-8);
    }
}

TEST(Geodesic, distance_is_symmetric_and_zero_for_the_same_point) {
    EXPECT_DOUBLE_EQ(distance_m(gwadar_town, keti_bandar), distance_m(keti_bandar, gwadar_town));
    EXPECT_EQ(distance_m(pasni_town, pasni_town), 0.0);
}

TEST(Geodesic, bearing_is_in_0_360_and_west_is_270) {
    const double west = initial_bearing_deg({0.0, 0.0}, {0.0, -1.0});
    EXPECT_NEAR(west, 270.0, 1e-9);
    EXPECT_NEAR(initial_bearing_deg({0.0, 0.0}, {1.0, 0.0}), 0.0, 1e-9);
    EXPECT_NEAR(initial_bearing_deg({1.0, 0.0}, {0.0, 0.0}), 180.0, 1e-9);
    EXPECT_EQ(initial_bearing_deg(pasni_town, pasni_town), 0.0);
    // Just west of due north must not come back as a negative angle or as 360.
    const double b = initial_bearing_deg({0.0, 0.0}, {1.0, -1e-12});
    EXPECT_GE(b, 0.0);
    EXPECT_LT(b, 360.0);
}

TEST(Geodesic, destination_matches_proj_geod_direct) {
    // geod: 25.265222 63.469819 180 92600 -> 24.429260335 63.469819000 (50 nm due south of Pasni)
    const Position south = destination(pasni_town, 180.0, 50.0 * metres_per_nautical_mile);
    EXPECT_NEAR(south.lat_deg, 24.429260335, 1e-9);
    EXPECT_NEAR(south.lon_deg, 63.469819, 1e-9);
    // geod: 24.835 66.982 225 100000 -> 24.195004127 66.286025566
    const Position sw = destination(port_of_karachi, 225.0, 100000.0);
    EXPECT_NEAR(sw.lat_deg, 24.195004127, 1e-9);
    EXPECT_NEAR(sw.lon_deg, 66.286025566, 1e-9);
    // geod: 25.116 62.3345 90 1000 -> 25.115999668 62.344415215
    const Position east = destination({25.116, 62.3345}, 90.0, 1000.0);
    EXPECT_NEAR(east.lat_deg, 25.115999668, 1e-9);
    EXPECT_NEAR(east.lon_deg, 62.344415215, 1e-9);
    // geod: 0 0 -90 5000 -> 0 -0.044915764 (bearing outside [0, 360) is accepted)
    const Position w = destination({0.0, 0.0}, -90.0, 5000.0);
    EXPECT_NEAR(w.lat_deg, 0.0, 1e-9);
    EXPECT_NEAR(w.lon_deg, -0.044915764, 1e-9);
}

TEST(Geodesic, destination_then_inverse_round_trips) {
    for (double bearing = 0.0; bearing < 360.0; bearing += 22.5) {
        const Position to = destination(ormara_lighthouse, bearing, 12345.0);
        EXPECT_NEAR(distance_m(ormara_lighthouse, to), 12345.0, 1e-6);
        EXPECT_NEAR(initial_bearing_deg(ormara_lighthouse, to), bearing, 1e-9);
    }
}

TEST(Geodesic, nautical_mile_is_1852_m) {
    EXPECT_EQ(metres_per_nautical_mile, 1852.0);
}

TEST(Geodesic, invalid_input_gives_nan_not_an_exception) {
    EXPECT_TRUE(std::isnan(distance_m({91.0, 0.0}, pasni_town)));
    EXPECT_TRUE(std::isnan(distance_m(pasni_town, {0.0, 181.0})));
    EXPECT_TRUE(std::isnan(initial_bearing_deg({nan, 0.0}, pasni_town)));
    EXPECT_TRUE(std::isnan(destination(pasni_town, nan, 10.0).lat_deg));
    EXPECT_TRUE(std::isnan(destination({95.0, 0.0}, 0.0, 10.0).lon_deg));
}

} // namespace
} // namespace sahil::geo
