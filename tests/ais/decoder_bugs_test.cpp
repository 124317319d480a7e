// One regression test per public AIS decoder bug in ../shared/reference/ais-decoder-bugs.md
// (copied facts: the input sentence and the right values given there, confirmed by gpsd 3.27).
// Each test feeds the exact input through the whole chain (framing, tag block, assembly,
// decode) and checks the values as gpsd-named JSON members, so the same names as the report.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ais/gpsd_json.hpp"
#include "ais/stream_decoder.hpp"

namespace {

using nlohmann::json;
using namespace sahil;
using namespace sahil::ais;

struct Result {
    std::vector<json> raw;    ///< unscaled (gpsdecode -u) members per message
    std::vector<json> scaled; ///< scaled members per message
    std::vector<errc> errors;
};

Result run(const std::vector<std::string>& lines) {
    struct Sink : MessageSink {
        Result r;
        void on_message(const DecodedMessage& m) override {
            r.raw.push_back(json::parse(to_gpsd_json(m.message, {.scaled = false, .device = {}})));
            r.scaled.push_back(
                json::parse(to_gpsd_json(m.message, {.scaled = true, .device = {}})));
        }
        void on_error(errc e, std::string_view) override { r.errors.push_back(e); }
    } sink;
    StreamDecoder dec(sink);
    for (const auto& l : lines) {
        dec.feed(l + "\r\n", UtcTime{});
    }
    dec.finish(UtcTime{});
    return sink.r;
}

TEST(DecoderBugs, libais_177_type_24_part_a_of_162_bits_is_accepted) {
    const auto r = run({"!AIVDM,1,1,,A,H7OfcLPt<D4r1L5HD0000000000,0*01"});
    ASSERT_EQ(r.raw.size(), 1U);
    EXPECT_EQ(r.raw[0]["type"], 24);
    EXPECT_EQ(r.raw[0]["part"], "A");
    EXPECT_EQ(r.raw[0]["mmsi"], 503032690);
    EXPECT_EQ(r.raw[0]["shipname"], "OCEAN WAVE");
}

TEST(DecoderBugs, simpleais_7_part_b_has_only_part_b_fields) {
    const auto r = run({"!AIVDM,1,1,,B,H5NhCmTN7B=400500000001P0004,0*56"});
    ASSERT_EQ(r.raw.size(), 1U);
    const json& m = r.raw[0];
    EXPECT_EQ(m["part"], "B");
    EXPECT_EQ(m["mmsi"], 367793110);
    EXPECT_EQ(m["shiptype"], 30);
    EXPECT_EQ(m["vendorid"], "GRMD");
    EXPECT_EQ(m["model"], 1);
    EXPECT_EQ(m["serial"], 5);
    EXPECT_EQ(m["callsign"], "");
    EXPECT_EQ(m["to_bow"], 12);
    EXPECT_EQ(m["to_stern"], 0);
    EXPECT_EQ(m["to_port"], 0);
    EXPECT_EQ(m["to_starboard"], 0);
    EXPECT_FALSE(m.contains("shipname"));
    EXPECT_FALSE(m.contains("mothership_mmsi"));
}

TEST(DecoderBugs, pyais_156_type_24_part_2_is_dropped_and_the_stream_goes_on) {
    const auto r = run({"!AIVDM,1,1,,A,H3KLehdt00000000?6ekkjm000000,0*2C",
                        "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"});
    ASSERT_EQ(r.errors, std::vector<errc>{errc::bad_part_number});
    ASSERT_EQ(r.raw.size(), 1U);
    EXPECT_EQ(r.raw[0]["mmsi"], 371798000);
}

TEST(DecoderBugs, simpleais_2_type_27_position_is_in_tenth_minutes) {
    const auto r = run({"!AIVDM,1,1,,A,KCQ9r=hrFUnH7P00,0*41"});
    ASSERT_EQ(r.raw.size(), 1U);
    EXPECT_EQ(r.raw[0]["mmsi"], 236091959);
    EXPECT_EQ(r.raw[0]["repeat"], 1);
    EXPECT_EQ(r.raw[0]["status"], 3);
    EXPECT_EQ(r.raw[0]["lon"], -92521);
    EXPECT_EQ(r.raw[0]["lat"], 52239);
    EXPECT_NEAR(r.scaled[0]["lon"].get<double>(), -154.2017, 1e-4);
    EXPECT_NEAR(r.scaled[0]["lat"].get<double>(), 87.0650, 1e-4);
    EXPECT_EQ(r.raw[0]["speed"], 0);
    EXPECT_EQ(r.raw[0]["course"], 0);
}

TEST(DecoderBugs, pyais_65_type_27_position_is_signed) {
    const auto r = run({"!AIVDM,1,1,,B,K5DfMB9FLsM?P00d,0*70"});
    ASSERT_EQ(r.raw.size(), 1U);
    EXPECT_EQ(r.raw[0]["mmsi"], 357277000);
    EXPECT_EQ(r.raw[0]["lat"], -22592);
    EXPECT_EQ(r.raw[0]["lon"], 105709);
    EXPECT_NEAR(r.scaled[0]["lat"].get<double>(), -37.6533, 1e-4);
    EXPECT_NEAR(r.scaled[0]["lon"].get<double>(), 176.1817, 1e-4);
    EXPECT_EQ(r.raw[0]["status"], 5);
    EXPECT_EQ(r.raw[0]["speed"], 0);
    EXPECT_EQ(r.raw[0]["course"], 11);
}

TEST(DecoderBugs, libais_67_type_17_latitude_is_signed) {
    const auto r =
        run({"!AIVDM,1,1,1,A,A;wUJKU>io;WlWuwH`W1PpnuN<isf;5iHtOM1S6q?vsvNrNGOqLcr5mfD6t,2*51"});
    ASSERT_EQ(r.raw.size(), 1U);
    EXPECT_EQ(r.raw[0]["type"], 17);
    EXPECT_EQ(r.raw[0]["mmsi"], 804870766);
    EXPECT_EQ(r.raw[0]["lon"], 80669);
    EXPECT_EQ(r.raw[0]["lat"], -26818);
    // gpsd prints type 17 positions with one decimal (134.4, -44.7); the sign is the point.
    EXPECT_NEAR(r.scaled[0]["lon"].get<double>(), 134.4483, 0.05);
    EXPECT_NEAR(r.scaled[0]["lat"].get<double>(), -44.6967, 0.05);
    // 272 bits of correction data follow the 80-bit header.
    EXPECT_EQ(r.raw[0]["data"].get<std::string>().substr(0, 4), "272:");
}

TEST(DecoderBugs, gpsd_df0fab43d_scaled_rate_of_turn_keeps_its_sign) {
    const auto r = run({"!AIVDM,1,1,,A,3819A5iu@00Oku:HqMljb9NJ0>`<,0*19"});
    ASSERT_EQ(r.raw.size(), 1U);
    EXPECT_EQ(r.raw[0]["mmsi"], 538071319);
    EXPECT_EQ(r.raw[0]["turn"], -11);
    EXPECT_EQ(r.scaled[0]["turn"], "-5.40");
}

TEST(DecoderBugs, pyais_73_rot_not_available_and_pyais_130_rounding) {
    const auto r = run({"!AIVDO,1,1,,A,10000Nh200000000000000000000,0*01",
                        "!AIVDM,1,1,,B,15NG6V0P01G?cFhE`R2IU?wn28R>,0*05"});
    ASSERT_EQ(r.raw.size(), 2U);
    EXPECT_EQ(r.raw[0]["turn"], 8);
    EXPECT_EQ(r.scaled[0]["turn"], "2.86"); // (8 / 4.733)^2 = 2.857 deg/min
    EXPECT_EQ(r.raw[1]["turn"], -128);      // kept raw, not dropped
    EXPECT_EQ(r.scaled[1]["turn"], "n/a");
    EXPECT_EQ(r.raw[1]["mmsi"], 367380120);
    EXPECT_EQ(r.raw[1]["speed"], 1);
    EXPECT_NEAR(r.scaled[1]["lon"].get<double>(), -122.4043333, 1e-7);
    EXPECT_NEAR(r.scaled[1]["lat"].get<double>(), 37.8069483, 1e-7);
}

TEST(DecoderBugs, libais_143_unknown_dac_fi_keeps_header_and_raw_bits) {
    const auto r = run({"!AIVDM,1,1,,A,602E3U0rFKsn<P<j07,4*5A"});
    ASSERT_EQ(r.raw.size(), 1U);
    const json& m = r.raw[0];
    EXPECT_EQ(m["type"], 6);
    EXPECT_EQ(m["mmsi"], 2442132);
    EXPECT_EQ(m["seqno"], 0);
    EXPECT_EQ(m["dest_mmsi"], 244740029);
    EXPECT_EQ(m["retransmit"], true);
    EXPECT_EQ(m["dac"], 200);
    EXPECT_EQ(m["fid"], 3);
    EXPECT_EQ(m["data"], "16:3200");
}

TEST(DecoderBugs, pyais_177_fragment_count_0_is_rejected_and_the_stream_goes_on) {
    const auto r = run({"\\s:blah,c:1747818025*5A\\!AAVDM,0,1,,B,16UK7Fi0?w4tQF0l4Q@>401v1PS;,0*0F",
                        "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"});
    EXPECT_EQ(r.errors, std::vector<errc>{errc::bad_fragment_count});
    ASSERT_EQ(r.raw.size(), 1U);
    EXPECT_EQ(r.raw[0]["mmsi"], 371798000);
}

TEST(DecoderBugs, aismessages_47_satellite_line_with_empty_channel_is_decoded) {
    struct Sink : MessageSink {
        std::vector<DecodedMessage> got;
        void on_message(const DecodedMessage& m) override { got.push_back(m); }
    } sink;
    StreamDecoder dec(sink);
    dec.feed("\\s:rORBCOMM999,c:1665388207*26\\!AIVDM,1,1,,,H8Ih`40l58hTr0AD622222222200,2*4E\n",
             UtcTime{});
    ASSERT_EQ(sink.got.size(), 1U);
    const auto& m = std::get<StaticDataReport>(sink.got[0].message);
    EXPECT_EQ(m.mmsi, 563882000U);
    EXPECT_EQ(m.part, 0);
    EXPECT_EQ(m.shipname, "MARLIN DUA");
    EXPECT_EQ(sink.got[0].station, "rORBCOMM999");
    EXPECT_EQ(unix_seconds(sink.got[0].fix_time), 1665388207); // 2022-10-10T07:50:07Z
    EXPECT_EQ(sink.got[0].channel, '\0');
}

TEST(DecoderBugs, ais_catcher_523_late_second_fragment_joins_its_type_5) {
    const auto r =
        run({"!AIVDM,2,1,1,A,53aLk=`0000107?S?40lT604lu8D00000000001?<P:55tn8r3hC3AC3h000,0*4D",
             "!AIVDM,2,2,1,A,00000000000,2*25"});
    ASSERT_EQ(r.raw.size(), 1U); // never a second "type 0" message from fragment 2
    const json& m = r.raw[0];
    EXPECT_EQ(m["type"], 5);
    EXPECT_EQ(m["mmsi"], 244790070);
    EXPECT_EQ(m["ais_version"], 2);
    EXPECT_EQ(m["imo"], 0);
    EXPECT_EQ(m["callsign"], "PA3831");
    EXPECT_EQ(m["shipname"], "MIA AMORE");
    EXPECT_EQ(m["shiptype"], 79);
    EXPECT_EQ(m["to_bow"], 100);
    EXPECT_EQ(m["to_stern"], 10);
    EXPECT_EQ(m["to_port"], 5);
    EXPECT_EQ(m["to_starboard"], 5);
    EXPECT_EQ(m["epfd"], 15);
    EXPECT_EQ(m["eta"], "03-12T08:58Z");
    EXPECT_EQ(m["draught"], 15);
    EXPECT_EQ(m["destination"], "ALMELO");
}

TEST(DecoderBugs, libais_81_type_1_with_extra_bits_is_decoded_and_flagged) {
    struct Sink : MessageSink {
        std::vector<DecodedMessage> got;
        void on_message(const DecodedMessage& m) override { got.push_back(m); }
    } sink;
    StreamDecoder dec(sink);
    dec.feed("!AIVDM,1,1,,A,137b0v00270B2K<MI`7pgG2l08@K4cG>`<,0*29\n", UtcTime{});
    ASSERT_EQ(sink.got.size(), 1U);
    EXPECT_TRUE(sink.got[0].length_mismatch);
    EXPECT_EQ(dec.counters().length_mismatch, 1U);
    const json m = json::parse(to_gpsd_json(sink.got[0].message, {.scaled = true, .device = {}}));
    EXPECT_EQ(m["mmsi"], 209355000);
    EXPECT_EQ(m["status"], 0);
    EXPECT_NEAR(m["speed"].get<double>(), 13.5, 1e-9);
    EXPECT_NEAR(m["lon"].get<double>(), 3.9404367, 1e-7);
    EXPECT_NEAR(m["lat"].get<double>(), 51.3809583, 1e-7);
    EXPECT_NEAR(m["course"].get<double>(), 223.7, 1e-9);
    EXPECT_EQ(m["heading"], 225);
    EXPECT_EQ(m["second"], 26);
}

TEST(DecoderBugs, aisparser_2_type_5_eta_hour_comes_from_bit_283) {
    const auto r =
        run({"!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C",
             "!AIVDM,2,2,1,A,88888888880,2*25"});
    ASSERT_EQ(r.raw.size(), 1U);
    const json& m = r.raw[0];
    EXPECT_EQ(m["mmsi"], 351759000);
    EXPECT_EQ(m["imo"], 9134270);
    EXPECT_EQ(m["callsign"], "3FOF8");
    EXPECT_EQ(m["shipname"], "EVER DIADEM");
    EXPECT_EQ(m["shiptype"], 70);
    EXPECT_EQ(m["eta"], "05-15T14:00Z");
    EXPECT_EQ(m["draught"], 122);
    EXPECT_EQ(m["destination"], "NEW YORK");
}

TEST(DecoderBugs, pyais_210_interleaved_messages_are_keyed_by_count_sequence_and_channel) {
    const auto r =
        run({"!AIVDM,2,1,3,A,544i?LP28?iAD4lT001=0:10Thu@00000000000j3`N6640009Dm;D1E0000,0*6A",
             "!AIVDM,2,1,4,A,539dR102AdWL@q0n221E@Ph4p@F222222222220t4hV885T9044i@H54R@C8,0*29",
             "!AIVDM,2,2,3,A,00000000002,2*25", "!AIVDM,2,2,4,A,88888888880,2*20"});
    ASSERT_EQ(r.raw.size(), 2U);
    EXPECT_EQ(r.raw[0]["mmsi"], 273436530);
    EXPECT_EQ(r.raw[1]["mmsi"], 211493380);
    EXPECT_TRUE(r.errors.empty());
}

} // namespace
