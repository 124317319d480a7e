// Sentence parsing, tag blocks, time markers, framing and fragment assembly on real lines.
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ais/fragment_assembler.hpp"
#include "ais/line_framer.hpp"
#include "ais/sentence.hpp"

namespace {

using namespace sahil;
using namespace sahil::ais;

TEST(Sentence, parses_real_orbcomm_tag_block) {
    // corpus.nmea line from libais test/data/tagblock.nmea (ORBCOMM satellite).
    ParsedLine p;
    ASSERT_EQ(parse_line("\\s:rORBCOMM104,q:u,c:1418172113,T:2014-12-10 00.41.53*55\\!AIVDM,1,1,,"
                         "B,13F?Vv700<DJuLEtvep`iToV0<00,0*78",
                         p),
              errc::ok);
    ASSERT_EQ(p.kind, LineKind::ais);
    ASSERT_TRUE(p.sentence.tag_block);
    EXPECT_EQ(p.sentence.tag_block->source, "rORBCOMM104");
    ASSERT_TRUE(p.sentence.tag_block->time);
    // 1418172113 = 2014-12-10T00:41:53Z, the same instant as the T: field of the line.
    EXPECT_EQ(unix_seconds(*p.sentence.tag_block->time), 1418172113);
    EXPECT_EQ(p.sentence.channel, 'B');
    EXPECT_EQ(p.sentence.talker, "AI");
    EXPECT_FALSE(p.sentence.own_ship);
    EXPECT_EQ(p.sentence.fill_bits, 0);
}

TEST(Sentence, gatehouse_header_gives_millisecond_time) {
    // First line of the DMA 2010 replay log.
    ParsedLine p;
    ASSERT_EQ(parse_line("$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B", p), errc::ok);
    ASSERT_EQ(p.kind, LineKind::time_marker);
    // 2010-06-11T11:46:11.390Z
    EXPECT_EQ(unix_millis(p.marker.time), 1276256771390);
}

TEST(Sentence, zda_gives_receiver_time) {
    // From the AMSA 2012 replay log.
    ParsedLine p;
    ASSERT_EQ(parse_line("$GPZDA,114702.51,27,01,2012,,*66", p), errc::ok);
    ASSERT_EQ(p.kind, LineKind::time_marker);
    // 2012-01-27T11:47:02.510Z
    EXPECT_EQ(unix_millis(p.marker.time), 1327664822510);
}

TEST(Sentence, trailing_unix_time_becomes_receive_time) {
    // malformed.nmea F11 (USCG-style receiver fields after the checksum).
    ParsedLine p;
    ASSERT_EQ(
        parse_line("!AIVDM,1,1,,B,14pWHb?P03rwO<F:RQOnROw<25bd,0*3E,1daasd4218,,1357134222", p),
        errc::ok);
    ASSERT_TRUE(p.sentence.trailing_time);
    EXPECT_EQ(unix_seconds(*p.sentence.trailing_time), 1357134222);
}

TEST(Sentence, rejects_each_structural_fault_with_its_own_code) {
    ParsedLine p;
    EXPECT_EQ(parse_line("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B", p), errc::bad_checksum);
    EXPECT_EQ(parse_line("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0", p),
              errc::missing_checksum);
    EXPECT_EQ(parse_line("hello world", p), errc::not_nmea);
}

TEST(LineFramer, survives_any_chunking_and_terminator) {
    const std::string stream = "!A,1*00\r\n!B,2*00\n!C,3*00\r!D,4*00";
    for (std::size_t chunk = 1; chunk <= stream.size(); ++chunk) {
        LineFramer framer;
        std::vector<std::string> lines;
        for (std::size_t i = 0; i < stream.size(); i += chunk) {
            framer.feed(
                std::string_view(stream).substr(i, chunk),
                [&](std::string_view l) { lines.emplace_back(l); }, [](errc) {});
        }
        framer.finish([&](std::string_view l) { lines.emplace_back(l); });
        EXPECT_EQ(lines, (std::vector<std::string>{"!A,1*00", "!B,2*00", "!C,3*00", "!D,4*00"}))
            << "chunk size " << chunk;
    }
}

TEST(LineFramer, drops_overlong_line_once_and_resynchronises) {
    LineFramer framer(16);
    std::vector<std::string> lines;
    int errors = 0;
    const std::string junk(100, 'x');
    framer.feed(
        junk, [&](std::string_view l) { lines.emplace_back(l); },
        [&](errc e) {
            EXPECT_EQ(e, errc::line_too_long);
            ++errors;
        });
    framer.feed(
        junk + "\n!OK*00\n", [&](std::string_view l) { lines.emplace_back(l); },
        [&](errc) { ++errors; });
    EXPECT_EQ(errors, 1);
    EXPECT_EQ(lines, (std::vector<std::string>{"!OK*00"}));
}

TEST(FragmentAssembler, drops_fragment_after_timeout) {
    FragmentAssembler::Config cfg;
    cfg.timeout = std::chrono::seconds(10);
    FragmentAssembler a(cfg);
    ParsedLine p;
    ASSERT_EQ(
        parse_line(
            "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C", p),
        errc::ok);
    const UtcTime t0 = from_unix_seconds(1'700'000'000);
    EXPECT_FALSE(a.add(p.sentence, t0).message);
    EXPECT_EQ(a.expire(t0 + std::chrono::seconds(5)), 0U);
    EXPECT_EQ(a.expire(t0 + std::chrono::seconds(11)), 1U);
    ASSERT_EQ(parse_line("!AIVDM,2,2,1,A,88888888880,2*25", p), errc::ok);
    // Fragments may arrive in any order: the late fragment 2 waits for a fragment 1 that
    // never comes, and times out in its turn.
    const auto r = a.add(p.sentence, t0 + std::chrono::seconds(11));
    EXPECT_FALSE(r.message);
    EXPECT_EQ(r.error, errc::ok);
    EXPECT_EQ(a.pending(), 1U);
    EXPECT_EQ(a.expire(t0 + std::chrono::seconds(22)), 1U);
}

} // namespace

namespace {

TEST(Sentence, channel_zero_from_real_receivers_means_unknown) {
    // replay-amsa-2012.nmea: 62 sentences carry channel "0".
    sahil::ais::ParsedLine p;
    ASSERT_EQ(
        sahil::ais::parse_line("!ABVDM,1,1,9,0,555wq401pu91K@i0000Hu9ADpF1=@58000000016A0:<;4M`0>"
                               "C0A@00000000000000000,2*56",
                               p),
        sahil::ais::errc::ok);
    EXPECT_EQ(p.sentence.channel, '\0');
    EXPECT_EQ(p.sentence.sequence_id, 9);
}

} // namespace

namespace {

using namespace sahil;
using namespace sahil::ais;

// Regression (found by tests/fuzz/stream_decoder_fuzzer, UBSan): a group started at a time
// before the epoch, expired at end of stream with UtcTime::max(), overflowed `now - started`.
// The whole kind: any extreme start or expiry time must neither overflow nor keep the group.
TEST(FragmentAssembler, expiry_at_extreme_times_does_not_overflow) {
    for (const UtcTime start : {from_unix_seconds(-1), UtcTime::min() + std::chrono::hours(1),
                                UtcTime{}, UtcTime::max() - std::chrono::hours(1)}) {
        FragmentAssembler a;
        ParsedLine p;
        ASSERT_EQ(parse_line("!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NS"
                             "QEp6ClRp8,0*1C",
                             p),
                  errc::ok);
        EXPECT_FALSE(a.add(p.sentence, start).message);
        EXPECT_EQ(a.expire(UtcTime::min()), 0U);
        EXPECT_EQ(a.expire(UtcTime::max()), 1U); // end of stream drops every pending group
        EXPECT_EQ(a.pending(), 0U);
    }
}

} // namespace

namespace {

using namespace sahil;
using namespace sahil::ais;

std::string with_checksum(const std::string& start, const std::string& body) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02X", nmea_checksum(body));
    return start + body + "*" + hex;
}

// Found by fuzzing (docs/fuzzing.md): inputs that were taken as times although they are not.
TEST(Sentence, zda_with_a_negative_fraction_is_no_time_marker) {
    ParsedLine p;
    ASSERT_EQ(parse_line(with_checksum("$", "GPZDA,120000.-5,11,06,2010,00,00"), p), errc::ok);
    EXPECT_EQ(p.kind, LineKind::other_nmea);
    ASSERT_EQ(parse_line(with_checksum("$", "GPZDA,120000.50,11,06,2010,00,00"), p), errc::ok);
    EXPECT_EQ(p.kind, LineKind::time_marker);
}

TEST(Sentence, gatehouse_header_must_start_with_dollar) {
    ParsedLine p;
    const std::string body = "PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1";
    ASSERT_EQ(parse_line(with_checksum("$", body), p), errc::ok);
    EXPECT_EQ(p.kind, LineKind::time_marker);
    EXPECT_NE(parse_line(with_checksum("!", body), p), errc::ok);
}

TEST(Sentence, tag_block_time_beyond_year_9999_is_a_bad_tag_block) {
    ParsedLine p;
    const std::string sentence = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A";
    ASSERT_EQ(parse_line(with_checksum("\\", "c:253402300799999") + "\\" + sentence, p), errc::ok);
    ASSERT_TRUE(p.sentence.tag_block);
    ASSERT_EQ(parse_line(with_checksum("\\", "c:9223372036854775807") + "\\" + sentence, p),
              errc::ok);
    EXPECT_FALSE(p.sentence.tag_block);
    EXPECT_TRUE(p.sentence.tag_block_invalid);
}

} // namespace
