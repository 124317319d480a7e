// Expected values from PROJ's cs2cs command-line tool (proj-bin 9.1.1), e.g.
//   echo "66.0 24.0" | cs2cs +proj=longlat +ellps=WGS84 +to +proj=tmerc +lat_0=25.116
//        +lon_0=62.3345 +k_0=1 +x_0=0 +y_0=0 +ellps=WGS84 -f %.6f   ->  373142.616868
//        -118756.019966
// and from geometry: on the central meridian transverse Mercator northing equals the geodesic
// (meridian) distance from the centre.
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "geo/geo_error.hpp"
#include "geo/geodesic.hpp"
#include "geo/local_projection.hpp"

namespace sahil::geo {
namespace {

constexpr Position gwadar_fish_harbour{25.116, 62.3345};

TEST(LocalProjection, centre_maps_to_origin) {
    const LocalProjection projection(gwadar_fish_harbour);
    const auto origin = projection.forward(gwadar_fish_harbour);
    ASSERT_TRUE(origin.has_value());
    EXPECT_NEAR(origin->x_m, 0.0, 1e-6);
    EXPECT_NEAR(origin->y_m, 0.0, 1e-6);
}

TEST(LocalProjection, matches_proj_cs2cs) {
    const LocalProjection projection(gwadar_fish_harbour);
    const auto near = projection.forward({25.115999668, 62.344415215});
    ASSERT_TRUE(near.has_value());
    EXPECT_NEAR(near->x_m, 1000.000044, 1e-5);
    EXPECT_NEAR(near->y_m, -0.000051, 1e-5);
    const auto far = projection.forward({24.0, 66.0});
    ASSERT_TRUE(far.has_value());
    EXPECT_NEAR(far->x_m, 373142.616868, 1e-5);
    EXPECT_NEAR(far->y_m, -118756.019966, 1e-5);
}

TEST(LocalProjection, northing_on_the_central_meridian_is_the_geodesic_distance) {
    const LocalProjection projection(gwadar_fish_harbour);
    const Position north = destination(gwadar_fish_harbour, 0.0, 25000.0);
    const auto m = projection.forward(north);
    ASSERT_TRUE(m.has_value());
    EXPECT_NEAR(m->x_m, 0.0, 1e-6);
    EXPECT_NEAR(m->y_m, 25000.0, 1e-6);
}

TEST(LocalProjection, inverse_undoes_forward) {
    const LocalProjection projection(gwadar_fish_harbour);
    // cs2cs inverse: 1000 0 -> 62.3444152146 25.1159996685
    const auto p = projection.inverse({1000.0, 0.0});
    ASSERT_TRUE(p.has_value());
    EXPECT_NEAR(p->lon_deg, 62.3444152146, 1e-10);
    EXPECT_NEAR(p->lat_deg, 25.1159996685, 1e-10);
}

TEST(LocalProjection, batch_forward_equals_single_forward) {
    const LocalProjection projection(gwadar_fish_harbour);
    const std::vector<Position> in{{25.0, 62.0}, {25.3, 62.5}, {24.0, 66.0}};
    std::vector<MetricPoint> out(in.size());
    projection.forward(in, out);
    for (std::size_t i = 0; i < in.size(); ++i) {
        const auto single = projection.forward(in[i]);
        ASSERT_TRUE(single.has_value());
        EXPECT_DOUBLE_EQ(out[i].x_m, single->x_m);
        EXPECT_DOUBLE_EQ(out[i].y_m, single->y_m);
    }
}

TEST(LocalProjection, invalid_input) {
    const LocalProjection projection(gwadar_fish_harbour);
    EXPECT_FALSE(projection.forward({91.0, 0.0}).has_value());
    EXPECT_THROW(LocalProjection({0.0, 200.0}), GeoError);
    const std::vector<Position> in{{25.0, 62.0}, {25.0, 181.0}};
    std::vector<MetricPoint> out(in.size());
    EXPECT_THROW(projection.forward(in, out), GeoError);
    std::vector<MetricPoint> too_short(1);
    EXPECT_THROW(projection.forward(in, too_short), GeoError);
}

TEST(LocalProjection, one_object_can_be_shared_between_threads) {
    const LocalProjection projection(gwadar_fish_harbour);
    const auto expected = projection.forward({24.0, 66.0});
    ASSERT_TRUE(expected.has_value());
    auto work = [&] {
        int mismatches = 0;
        for (int i = 0; i < 2000; ++i) {
            const auto m = projection.forward({24.0, 66.0});
            mismatches += (!m || m->x_m != expected->x_m || m->y_m != expected->y_m) ? 1 : 0;
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

} // namespace
} // namespace sahil::geo
