#include <limits>

#include <gtest/gtest.h>

#include "geo/position.hpp"

namespace sahil::geo {
namespace {

TEST(Position, is_valid_accepts_the_closed_ranges) {
    EXPECT_TRUE(is_valid({25.265222, 63.469819}));
    EXPECT_TRUE(is_valid({90.0, 180.0}));
    EXPECT_TRUE(is_valid({-90.0, -180.0}));
    EXPECT_TRUE(is_valid({0.0, 0.0}));
}

TEST(Position, is_valid_rejects_out_of_range_and_non_finite) {
    // 91 / 181 are AIS "not available" values: they must never pass as a position.
    EXPECT_FALSE(is_valid({91.0, 63.0}));
    EXPECT_FALSE(is_valid({25.0, 181.0}));
    EXPECT_FALSE(is_valid({-90.000001, 0.0}));
    EXPECT_FALSE(is_valid({0.0, -180.000001}));
    EXPECT_FALSE(is_valid({std::numeric_limits<double>::quiet_NaN(), 0.0}));
    EXPECT_FALSE(is_valid({0.0, std::numeric_limits<double>::infinity()}));
}

} // namespace
} // namespace sahil::geo
