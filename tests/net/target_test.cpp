// Request-target parsing and percent-decoding.
#include <gtest/gtest.h>

#include "server/http/target.hpp"

namespace sahil::http {
namespace {

TEST(PercentDecode, decodes_escapes_and_plus) {
    EXPECT_EQ(percent_decode("a%20b%2Fc", false), "a b/c");
    EXPECT_EQ(percent_decode("a+b", true), "a b");
    EXPECT_EQ(percent_decode("a+b", false), "a+b");
    EXPECT_EQ(percent_decode("%c3%A9", false), "\xc3\xa9");
}

TEST(PercentDecode, rejects_bad_escapes) {
    EXPECT_FALSE(percent_decode("%", false));
    EXPECT_FALSE(percent_decode("%4", false));
    EXPECT_FALSE(percent_decode("%zz", false));
    EXPECT_FALSE(percent_decode("a%00b", false));
}

TEST(ParseTarget, splits_path_and_decoded_query) {
    const auto t =
        parse_target("/api/tracks?mmsi=463012345&from=2024-01-01T00%3A00Z&flag&&x=1&x=2");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->path, "/api/tracks");
    EXPECT_EQ(t->query.at("mmsi"), "463012345");
    EXPECT_EQ(t->query.at("from"), "2024-01-01T00:00Z");
    EXPECT_EQ(t->query.at("flag"), "");
    EXPECT_EQ(t->query.at("x"), "2");
    EXPECT_EQ(t->query.size(), 4U);
}

TEST(ParseTarget, keeps_the_path_undecoded_and_drops_a_fragment) {
    const auto t = parse_target("/a%20b#frag");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->path, "/a%20b");
    EXPECT_TRUE(t->query.empty());
}

TEST(ParseTarget, rejects_non_origin_forms_and_bad_queries) {
    EXPECT_FALSE(parse_target(""));
    EXPECT_FALSE(parse_target("*"));
    EXPECT_FALSE(parse_target("http://example.com/"));
    EXPECT_FALSE(parse_target("/x?a=%G1"));
}

} // namespace
} // namespace sahil::http

namespace sahil::http {
namespace {

TEST(ParseTarget, names_a_repeated_query_key_so_the_server_can_refuse_it) {
    // Regression (issue-5 trial): `?limit=5&limit=6` silently answered with 6.
    auto t = parse_target("/api/alerts?limit=5&rule=night_departure&limit=6&rule=x");
    ASSERT_TRUE(t);
    ASSERT_TRUE(t->repeated_key);
    EXPECT_EQ(*t->repeated_key, "limit");
    t = parse_target("/api/alerts/stream?since=1&since=2");
    ASSERT_TRUE(t && t->repeated_key);
    EXPECT_EQ(*t->repeated_key, "since");
    t = parse_target("/api/alerts?limit=5&rule=night_departure");
    ASSERT_TRUE(t);
    EXPECT_FALSE(t->repeated_key);
}

} // namespace
} // namespace sahil::http
