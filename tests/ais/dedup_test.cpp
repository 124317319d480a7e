// StationDeduplicator: one transmission heard by several receiving stations is processed once,
// and each station's share is counted.
#include <gtest/gtest.h>

#include "ais/dedup.hpp"
#include "ais/stream_decoder.hpp"
#include "tests/ais/test_data.hpp"

namespace {

using namespace sahil;
using namespace sahil::ais;
using std::chrono::seconds;

const UtcTime t0 = from_unix_seconds(1'700'000'000);

TEST(StationDeduplicator, second_station_within_the_window_is_a_repeat) {
    StationDeduplicator d;
    const auto h = payload_hash("15RTgt0PAso;90TKcjM8h6g208CQ", 0);
    EXPECT_TRUE(d.accept(h, "PASNI", t0));
    EXPECT_FALSE(d.accept(h, "ORMARA", t0 + seconds(2)));
    EXPECT_EQ(d.passed(), 1U);
    EXPECT_EQ(d.dropped(), 1U);
    const auto& st = d.stations();
    ASSERT_EQ(st.size(), 2U);
    EXPECT_EQ(st.at("PASNI").heard, 1U);
    EXPECT_EQ(st.at("PASNI").first, 1U);
    EXPECT_EQ(st.at("ORMARA").heard, 1U);
    EXPECT_EQ(st.at("ORMARA").duplicates, 1U);
    EXPECT_EQ(st.at("ORMARA").last_heard, t0 + seconds(2));
}

TEST(StationDeduplicator, late_satellite_copy_before_the_shore_copy_is_still_one_message) {
    // Receive times are not monotonic across feeds: the shore copy may be stamped later than a
    // delayed satellite copy or the other way round; both directions count within the window.
    StationDeduplicator d;
    const auto h = payload_hash("13u?etPv2;0n:dDPwUM1U1Cb069D", 0);
    EXPECT_TRUE(d.accept(h, "SHORE", t0 + seconds(8)));
    EXPECT_FALSE(d.accept(h, "SAT", t0));
}

TEST(StationDeduplicator, same_payload_after_the_window_is_a_new_transmission) {
    StationDeduplicator d(StationDeduplicator::Config{.window = seconds(10), .max_entries = 100});
    const auto h =
        payload_hash("55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp888888888880", 2);
    EXPECT_TRUE(d.accept(h, "A", t0));
    EXPECT_FALSE(d.accept(h, "B", t0 + seconds(10)));
    EXPECT_TRUE(d.accept(h, "A", t0 + seconds(11)));  // 11 s after the first copy
    EXPECT_FALSE(d.accept(h, "B", t0 + seconds(12))); // repeat of that second transmission
}

TEST(StationDeduplicator, fill_bits_are_part_of_the_key_and_unknown_hash_always_passes) {
    StationDeduplicator d;
    EXPECT_NE(payload_hash("88888888880", 2), payload_hash("88888888880", 0));
    EXPECT_TRUE(d.accept(0, "A", t0));
    EXPECT_TRUE(d.accept(0, "B", t0));
}

TEST(StationDeduplicator, window_zero_turns_it_off) {
    StationDeduplicator d(StationDeduplicator::Config{.window = seconds(0), .max_entries = 100});
    const auto h = payload_hash("15RTgt0PAso;90TKcjM8h6g208CQ", 0);
    EXPECT_TRUE(d.accept(h, "A", t0));
    EXPECT_TRUE(d.accept(h, "B", t0));
}

TEST(StationDeduplicator, memory_is_bounded_and_forgetting_only_lets_repeats_through) {
    StationDeduplicator d(StationDeduplicator::Config{.window = seconds(60), .max_entries = 3});
    for (std::uint64_t h = 1; h <= 10; ++h) {
        EXPECT_TRUE(d.accept(h, "A", t0)); // every first copy passes, whatever the bound
    }
    EXPECT_TRUE(d.accept(1, "B", t0)); // forgotten: a repeat passes (never a first copy lost)
    EXPECT_FALSE(d.accept(10, "B", t0));
}

/// Decodes a whole log into payload hashes with receive times.
struct HashSink : MessageSink {
    std::vector<std::pair<std::uint64_t, UtcTime>> got;
    void on_message(const DecodedMessage& m) override {
        got.emplace_back(m.payload_hash, m.received_at);
    }
};

TEST(StationDeduplicator, a_real_feed_heard_by_two_stations_counts_once) {
    // Metamorphic check on the AMSA 2012 national feed (itself a merge of many stations, so it
    // already repeats ~28 % of its messages within 10 s): the log alone, and the log
    // interleaved message by message with a copy of itself from a second station, must pass
    // the same messages; the second station's copies are all repeats.
    const std::string log = test::read_file(test::data_path("ais/replay-amsa-2012.nmea"));
    HashSink sink;
    StreamDecoder dec(sink);
    dec.feed(log, UtcTime{});
    dec.finish(UtcTime{});
    ASSERT_GT(sink.got.size(), 30'000U);

    StationDeduplicator alone;
    for (const auto& [h, t] : sink.got) {
        alone.accept(h, "AMSA", t);
    }
    StationDeduplicator both;
    for (const auto& [h, t] : sink.got) {
        both.accept(h, "AMSA", t);
        // Same receive time: a delay would shift the window's edge by that much and let the
        // few messages that repeat exactly at the edge fall on the other side.
        both.accept(h, "MIRROR", t);
    }
    EXPECT_EQ(both.passed(), alone.passed());
    EXPECT_EQ(both.dropped(), alone.dropped() + sink.got.size());
    EXPECT_EQ(both.stations().at("MIRROR").first, 0U);
    EXPECT_EQ(both.stations().at("MIRROR").duplicates, sink.got.size());
    EXPECT_EQ(both.stations().at("AMSA").heard, sink.got.size());
}

} // namespace
