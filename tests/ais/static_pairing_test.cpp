// Type 24 parts A and B paired by MMSI (ITU-R M.1371-5 §3.3.8.2.7), from real sentences.
#include <gtest/gtest.h>

#include "ais/decoder.hpp"
#include "ais/static_pairing.hpp"

namespace {

using namespace sahil;
using namespace sahil::ais;
using std::chrono::minutes;
using std::chrono::seconds;

const UtcTime t0 = from_unix_seconds(1'700'000'000);

StaticDataReport part(std::string_view payload, int fill) {
    const DecodeResult r = decode(payload, fill);
    EXPECT_EQ(r.error, errc::ok) << payload;
    return std::get<StaticDataReport>(r.message);
}

// gpsd sample.aivdm (corpus.nmea): parts A and B of MMSI 271041815, gpsd 3.27 values.
const char* const part_a = "H42O55i18tMET00000000000000";
const char* const part_b = "H42O55lti4hhhilD3nink000?050";

TEST(StaticDataPairer, parts_pair_by_mmsi_in_either_order_with_others_in_between) {
    const StaticDataReport a = part(part_a, 2);
    const StaticDataReport b = part(part_b, 0);
    ASSERT_EQ(a.mmsi, b.mmsi);
    StaticDataPairer p;
    EXPECT_FALSE(p.add(b, t0)); // B first
    // Another vessel's part A in between must not pair with this B.
    StaticDataReport other = a;
    other.mmsi = 463100001;
    EXPECT_FALSE(p.add(other, t0 + seconds(5)));
    const auto pair = p.add(a, t0 + seconds(30));
    ASSERT_TRUE(pair);
    EXPECT_EQ(pair->mmsi, 271041815U);
    EXPECT_EQ(pair->shipname, "PROGUY");
    EXPECT_EQ(pair->part_b.shiptype, 60);
    EXPECT_EQ(pair->part_b.callsign, "TC6163");
    EXPECT_EQ(pair->part_b.to_bow, 0);
    EXPECT_EQ(pair->part_b.to_stern, 15);
    EXPECT_EQ(pair->part_a_time, t0 + seconds(30));
    EXPECT_EQ(pair->part_b_time, t0);
    EXPECT_EQ(p.pending(), 2U);
}

TEST(StaticDataPairer, a_stale_part_does_not_pair) {
    StaticDataPairer p(StaticDataPairer::Config{.max_age = minutes(10), .max_vessels = 10});
    EXPECT_FALSE(p.add(part(part_a, 2), t0));
    EXPECT_FALSE(p.add(part(part_b, 0), t0 + minutes(11)));
    // ... but the next fresh part A pairs with that B.
    EXPECT_TRUE(p.add(part(part_a, 2), t0 + minutes(12)));
}

TEST(StaticDataPairer, memory_is_bounded_by_least_recently_updated) {
    StaticDataPairer p(StaticDataPairer::Config{.max_age = minutes(10), .max_vessels = 2});
    StaticDataReport a = part(part_a, 2);
    for (std::uint32_t mmsi : {463100001U, 463100002U, 463100003U}) {
        a.mmsi = mmsi;
        p.add(a, t0);
    }
    EXPECT_EQ(p.pending(), 2U);
    StaticDataReport b = part(part_b, 0);
    b.mmsi = 463100001; // the evicted one: its part A is gone
    EXPECT_FALSE(p.add(b, t0));
    b.mmsi = 463100003;
    EXPECT_TRUE(p.add(b, t0));
}

} // namespace
