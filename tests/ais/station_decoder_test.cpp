// Regression tests of the AIS decoder for the fault classes that public decoders got wrong
// (shared/reference/ais-decoder-bugs.md): rate-of-turn sign and scaling, type 27 and type 17
// position resolution and sign, type 24 part selection, type 5 ETA, type 21 name extension, the
// 6-bit character set, "not available" values and the length policy.
//
// Truth comes from outside Sahil: real sentences of tests/data/ais/expected.jsonl (cited by id)
// with the values gpsd 3.27 decoded from them, the inputs and right values of the bug reports,
// and the not-available codes of ITU-R M.1371-5. Never from Sahil's own output.
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ais/decoder.hpp"
#include "ais/gpsd_json.hpp"
#include "ais/labels.hpp"
#include "ais/stream_decoder.hpp"

namespace sahil::ais {
namespace {

using nlohmann::json;

/// Decodes the payload of a single-sentence !AIVDM line (checksum not checked here).
DecodeResult decode_sentence(std::string_view sentence) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= sentence.size(); ++i) {
        if (i == sentence.size() || sentence[i] == ',' || sentence[i] == '*') {
            fields.push_back(sentence.substr(start, i - start));
            start = i + 1;
        }
    }
    EXPECT_GE(fields.size(), 7U) << sentence;
    return decode(fields.at(5), fields.at(6).empty() ? 0 : fields.at(6)[0] - '0');
}

/// Decodes `sentence` and returns the message, failing the test when it is not a `Msg`.
template <class Msg> Msg decode_as(std::string_view sentence) {
    const DecodeResult res = decode_sentence(sentence);
    EXPECT_EQ(res.error, errc::ok) << sentence << ": " << to_string(res.error);
    const Msg* m = std::get_if<Msg>(&res.message);
    EXPECT_NE(m, nullptr) << sentence;
    return m != nullptr ? *m : Msg{};
}

struct Collector : MessageSink {
    std::vector<DecodedMessage> messages;
    std::vector<errc> errors;
    void on_message(const DecodedMessage& m) override { messages.push_back(m); }
    void on_error(errc e, std::string_view) override { errors.push_back(e); }
};

/// Feeds whole lines (multi-sentence messages, tag blocks) through a StreamDecoder.
Collector feed(const std::vector<std::string>& lines) {
    Collector sink;
    StreamDecoder dec(sink);
    for (const auto& line : lines) {
        dec.feed(line + "\n", UtcTime{});
    }
    dec.finish(UtcTime{});
    return sink;
}

template <class Msg> Msg only_message(const Collector& sink) {
    EXPECT_EQ(sink.messages.size(), 1U);
    EXPECT_TRUE(sink.errors.empty());
    if (sink.messages.empty()) {
        return Msg{};
    }
    const Msg* m = std::get_if<Msg>(&sink.messages.front().message);
    EXPECT_NE(m, nullptr);
    return m != nullptr ? *m : Msg{};
}

json gpsd_json(const AisMessage& m, bool scaled = true) {
    return json::parse(to_gpsd_json(m, GpsdJsonOptions{.scaled = scaled, .device = {}}));
}

/// Every decoded position must be physically possible (house rule for decoder tests).
void expect_plausible(std::optional<double> lat, std::optional<double> lon,
                      std::optional<double> sog_knots = std::nullopt,
                      std::optional<double> cog_deg = std::nullopt) {
    if (lat) {
        EXPECT_LE(std::fabs(*lat), 90.0);
    }
    if (lon) {
        EXPECT_LE(std::fabs(*lon), 180.0);
    }
    if (sog_knots) {
        EXPECT_GE(*sog_knots, 0.0);
        EXPECT_LE(*sog_knots, 102.2);
    }
    if (cog_deg) {
        EXPECT_GE(*cog_deg, 0.0);
        EXPECT_LT(*cog_deg, 360.0);
    }
}

void expect_plausible(const PositionFields& p) {
    expect_plausible(p.lat_deg(), p.lon_deg(), p.sog_knots(), p.cog_deg());
}

// --- rate of turn (types 1-3) ---

TEST(PositionReport, rate_of_turn_keeps_its_sign_when_scaled) {
    // ais-decoder-bugs.md #7 (gpsd commit df0fab43d), expected.jsonl id 283: raw ROT -11 ->
    // -(11 / 4.733)^2 = -5.4015 deg/min; gpsd 3.27 prints "-5.40" (3.22 printed 5).
    const auto m = decode_as<PositionReport>("!AIVDM,1,1,,A,3819A5iu@00Oku:HqMljb9NJ0>`<,0*19");
    EXPECT_EQ(m.type, 3);
    EXPECT_EQ(m.mmsi, 538071319U);
    EXPECT_EQ(m.rot_raw, -11);
    ASSERT_TRUE(m.rot_deg_per_min());
    EXPECT_NEAR(*m.rot_deg_per_min(), -5.4015, 1e-4);
    EXPECT_EQ(gpsd_json(m)["turn"], "-5.40");
    EXPECT_EQ(gpsd_json(m, false)["turn"], -11);
    expect_plausible(m);
}

TEST(PositionReport, rate_of_turn_is_the_square_of_raw_over_4_733) {
    // ais-decoder-bugs.md #8 (pyais PR #130): raw 8 -> (8 / 4.733)^2 = 2.857 deg/min, "2.86".
    const auto m = decode_as<PositionReport>("!AIVDO,1,1,,A,10000Nh200000000000000000000,0*01");
    EXPECT_EQ(m.rot_raw, 8);
    ASSERT_TRUE(m.rot_deg_per_min());
    EXPECT_NEAR(*m.rot_deg_per_min(), 2.857, 1e-3);
    EXPECT_EQ(gpsd_json(m)["turn"], "2.86");
}

TEST(PositionReport, rate_of_turn_minus_128_is_not_available_and_kept_raw) {
    // ais-decoder-bugs.md #8 (pyais #73): gpsd 3.27 "n/a"; MMSI 367380120, SOG 0.1 kn,
    // lon -122.4043333, lat 37.8069483.
    const auto m = decode_as<PositionReport>("!AIVDM,1,1,,B,15NG6V0P01G?cFhE`R2IU?wn28R>,0*05");
    EXPECT_EQ(m.mmsi, 367380120U);
    EXPECT_EQ(m.rot_raw, -128);
    EXPECT_FALSE(m.rot_deg_per_min());
    EXPECT_EQ(gpsd_json(m)["turn"], "n/a");
    EXPECT_EQ(gpsd_json(m, false)["turn"], -128);
    ASSERT_TRUE(m.sog_knots() && m.lat_deg() && m.lon_deg());
    EXPECT_DOUBLE_EQ(*m.sog_knots(), 0.1);
    EXPECT_NEAR(*m.lon_deg(), -122.4043333, 5e-8);
    EXPECT_NEAR(*m.lat_deg(), 37.8069483, 5e-8);
    expect_plausible(m);
}

TEST(PositionReport, rate_of_turn_127_is_a_fast_turn_without_rate) {
    // expected.jsonl id 1 (raw -127, gpsd "fastleft") and id 3 (type 2, raw 127, "fastright").
    const auto left = decode_as<PositionReport>("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A");
    const auto right = decode_as<PositionReport>("!AIVDM,1,1,,B,25Cjtd0Oj;Jp7ilG7=UkKBoB0<06,0*60");
    EXPECT_EQ(left.rot_raw, -127);
    EXPECT_EQ(right.rot_raw, 127);
    EXPECT_FALSE(left.rot_deg_per_min());
    EXPECT_FALSE(right.rot_deg_per_min());
    EXPECT_EQ(gpsd_json(left)["turn"], "fastleft");
    EXPECT_EQ(gpsd_json(right)["turn"], "fastright");
}

// --- type 27: 1/10 minute, signed ---

TEST(LongRangePositionReport, position_is_in_tenth_minutes) {
    // ais-decoder-bugs.md #4 (simpleais #2), expected.jsonl id 64.
    const auto m = decode_as<LongRangePositionReport>("!AIVDM,1,1,,A,KCQ9r=hrFUnH7P00,0*41");
    EXPECT_EQ(m.mmsi, 236091959U);
    EXPECT_EQ(m.repeat, 1);
    EXPECT_EQ(m.nav_status, 3);
    EXPECT_EQ(m.lon_raw, -92521);
    EXPECT_EQ(m.lat_raw, 52239);
    ASSERT_TRUE(m.lat_deg() && m.lon_deg() && m.sog_knots() && m.cog_deg());
    EXPECT_NEAR(*m.lon_deg(), -154.2017, 5e-5);
    EXPECT_NEAR(*m.lat_deg(), 87.0650, 5e-5);
    EXPECT_EQ(*m.sog_knots(), 0.0);
    EXPECT_EQ(*m.cog_deg(), 0.0);
    EXPECT_EQ(gpsd_json(m)["lon"], -154.2017);
    EXPECT_EQ(gpsd_json(m)["status_text"], "Restricted maneuverability");
    expect_plausible(m.lat_deg(), m.lon_deg(), m.sog_knots(), m.cog_deg());
}

TEST(LongRangePositionReport, position_is_signed) {
    // ais-decoder-bugs.md #5 (pyais #65): lat -37.6533 (raw -22592), lon 176.1817 (raw 105709).
    const auto m = decode_as<LongRangePositionReport>("!AIVDM,1,1,,B,K5DfMB9FLsM?P00d,0*70");
    EXPECT_EQ(m.mmsi, 357277000U);
    EXPECT_EQ(m.nav_status, 5);
    EXPECT_EQ(m.lat_raw, -22592);
    EXPECT_EQ(m.lon_raw, 105709);
    ASSERT_TRUE(m.lat_deg() && m.lon_deg());
    EXPECT_NEAR(*m.lat_deg(), -37.6533, 5e-5);
    EXPECT_NEAR(*m.lon_deg(), 176.1817, 5e-5);
    EXPECT_EQ(m.cog_raw, 11);
    expect_plausible(m.lat_deg(), m.lon_deg(), m.sog_knots(), m.cog_deg());
}

TEST(LongRangePositionReport, full_168_bit_slot_is_accepted_and_flagged) {
    // expected.jsonl id 65: gpsd decodes the 168-bit form (lon 82214, lat 2904, SOG 57, COG 167).
    const DecodeResult res = decode_sentence("!AIVDM,1,1,,B,KC5E2b@U19PFdLbMuc5=ROv62<7m,0*16");
    ASSERT_EQ(res.error, errc::ok);
    EXPECT_TRUE(res.length_mismatch);
    const auto& m = std::get<LongRangePositionReport>(res.message);
    EXPECT_EQ(m.lon_raw, 82214);
    EXPECT_EQ(m.lat_raw, 2904);
    EXPECT_EQ(m.sog_raw, 57);
    EXPECT_EQ(m.cog_raw, 167);
}

TEST(LongRangePositionReport, course_511_is_not_available) {
    // expected.jsonl id 1276: COG 511 (M.1371-5: 511 = not available).
    const auto m = decode_as<LongRangePositionReport>("!AIVDM,1,1,,B,Kk`kDpu@;LkmU0Ot,0*20");
    EXPECT_EQ(m.cog_raw, 511);
    EXPECT_FALSE(m.cog_deg());
    EXPECT_EQ(gpsd_json(m)["course"], 511);
}

// --- type 17: signed 1/10 minute position ---

TEST(DgnssBroadcast, latitude_is_signed) {
    // ais-decoder-bugs.md #6 (libais #67, gpsd savannah 44619), expected.jsonl id 44.
    const auto m = decode_as<DgnssBroadcast>(
        "!AIVDM,1,1,1,A,A;wUJKU>io;WlWuwH`W1PpnuN<isf;5iHtOM1S6q?vsvNrNGOqLcr5mfD6t,2*51");
    EXPECT_EQ(m.mmsi, 804870766U);
    EXPECT_EQ(m.lon_raw, 80669);
    EXPECT_EQ(m.lat_raw, -26818);
    ASSERT_TRUE(m.lat_deg() && m.lon_deg());
    EXPECT_NEAR(*m.lon_deg(), 134.4483, 5e-5);
    EXPECT_NEAR(*m.lat_deg(), -44.6967, 5e-5);
    EXPECT_EQ(m.data_bits, 272);
    EXPECT_EQ(gpsd_json(m)["data"],
              "272:7f7f6289c1838dbd78cc7bb8b17163c7dd0631b93feefe7ba7977f972be85d6e506f");
    expect_plausible(m.lat_deg(), m.lon_deg());
}

// --- type 24: part A / part B ---

TEST(StaticDataReport, part_a_of_160_bits_is_accepted) {
    // expected.jsonl id 55 (M.1371-3 length), gpsd: part A, "PROGUY".
    const auto m = decode_as<StaticDataReport>("!AIVDM,1,1,,A,H42O55i18tMET00000000000000,2*6D");
    EXPECT_EQ(m.part, 0);
    EXPECT_EQ(m.shipname, "PROGUY");
}

TEST(StaticDataReport, part_a_with_two_stray_fill_bits_is_accepted) {
    // ais-decoder-bugs.md #1 (libais #177): 162 bits, MMSI 503032690, "OCEAN WAVE".
    const auto m = decode_as<StaticDataReport>("!AIVDM,1,1,,A,H7OfcLPt<D4r1L5HD0000000000,0*01");
    EXPECT_EQ(m.mmsi, 503032690U);
    EXPECT_EQ(m.part, 0);
    EXPECT_EQ(m.shipname, "OCEAN WAVE");
}

TEST(StaticDataReport, part_b_carries_only_part_b_fields) {
    // ais-decoder-bugs.md #2 (simpleais #7).
    const auto m = decode_as<StaticDataReport>("!AIVDM,1,1,,B,H5NhCmTN7B=400500000001P0004,0*56");
    EXPECT_EQ(m.mmsi, 367793110U);
    EXPECT_EQ(m.part, 1);
    EXPECT_EQ(m.shiptype, 30);
    EXPECT_EQ(m.vendorid, "GRMD");
    EXPECT_EQ(m.model, 1);
    EXPECT_EQ(m.serial, 5U);
    EXPECT_EQ(m.callsign, "");
    EXPECT_EQ(m.to_bow, 12);
    EXPECT_EQ(m.to_stern, 0);
    EXPECT_EQ(m.to_port, 0);
    EXPECT_EQ(m.to_starboard, 0);
    EXPECT_TRUE(m.shipname.empty());
    const json j = gpsd_json(m);
    EXPECT_EQ(j["part"], "B");
    EXPECT_EQ(j["shiptype_text"], "Fishing");
    EXPECT_FALSE(j.contains("shipname"));
    EXPECT_FALSE(j.contains("mothership_mmsi"));
}

TEST(StaticDataReport, parts_2_and_3_are_rejected) {
    // ais-decoder-bugs.md #3 (expected.jsonl id 102, part 3) and id 4410 (part 2): gpsd refuses.
    EXPECT_EQ(decode_sentence("!AIVDM,1,1,,A,H3KLehdt00000000?6ekkjm000000,0*2C").error,
              errc::bad_part_number);
    EXPECT_EQ(decode_sentence("!AIVDM,1,1,,B,Hlhfqqam8raq0wfMQbtKjc?3u6MK8Bt,2*75").error,
              errc::bad_part_number);
}

TEST(StaticDataReport, satellite_line_with_empty_channel_is_decoded) {
    // ais-decoder-bugs.md #16 (aismessages #47): part A, MMSI 563882000, "MARLIN DUA".
    const auto sink =
        feed({"\\s:rORBCOMM999,c:1665388207*26\\!AIVDM,1,1,,,H8Ih`40l58hTr0AD622222222200,2*4E"});
    const auto m = only_message<StaticDataReport>(sink);
    EXPECT_EQ(m.mmsi, 563882000U);
    EXPECT_EQ(m.shipname, "MARLIN DUA");
    ASSERT_EQ(sink.messages.size(), 1U);
    EXPECT_EQ(sink.messages.front().station, "rORBCOMM999");
    EXPECT_EQ(sink.messages.front().fix_time, from_unix_seconds(1665388207));
}

// --- type 5: ETA ---

TEST(StaticVoyageData, eta_comes_from_bits_274_to_293) {
    // ais-decoder-bugs.md #19 (AisParser #2), expected.jsonl id 6.
    const auto m = only_message<StaticVoyageData>(
        feed({"!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C",
              "!AIVDM,2,2,1,A,88888888880,2*25"}));
    EXPECT_EQ(m.mmsi, 351759000U);
    EXPECT_EQ(m.imo, 9134270U);
    EXPECT_EQ(m.callsign, "3FOF8");
    EXPECT_EQ(m.shipname, "EVER DIADEM");
    EXPECT_EQ(m.shiptype, 70);
    EXPECT_EQ(m.eta_month, 5);
    EXPECT_EQ(m.eta_day, 15);
    EXPECT_EQ(m.eta_hour, 14);
    EXPECT_EQ(m.eta_minute, 0);
    EXPECT_EQ(m.draught_raw, 122);
    EXPECT_EQ(m.destination, "NEW YORK");
    EXPECT_EQ(gpsd_json(m)["eta"], "05-15T14:00Z");
    EXPECT_EQ(gpsd_json(m)["draught"], 12.2);
}

TEST(StaticVoyageData, eta_not_available_values_are_kept_raw) {
    // expected.jsonl id 70: month 0, day 0, hour 24, minute 60 (M.1371-5 n/a), gpsd
    // "00-00T24:60Z".
    const auto m = only_message<StaticVoyageData>(
        feed({"!AIVDM,2,1,6,B,542M92h00001@<7;?G0PD4i@R0<tqA8tj37>220o0h:2240Ht50000000000,0*3B",
              "!AIVDM,2,2,6,B,00000000000,2*21"}));
    EXPECT_EQ(m.eta_month, 0);
    EXPECT_EQ(m.eta_day, 0);
    EXPECT_EQ(m.eta_hour, 24);
    EXPECT_EQ(m.eta_minute, 60);
    EXPECT_EQ(gpsd_json(m)["eta"], "00-00T24:60Z");
}

TEST(StaticVoyageData, late_second_fragment_completes_the_message) {
    // ais-decoder-bugs.md #17 (AIS-catcher #523): gpsd 3.27 values.
    const auto sink =
        feed({"!AIVDM,2,1,1,A,53aLk=`0000107?S?40lT604lu8D00000000001?<P:55tn8r3hC3AC3h000,0*4D",
              "!AIVDM,2,2,1,A,00000000000,2*25"});
    const auto m = only_message<StaticVoyageData>(sink);
    EXPECT_EQ(m.mmsi, 244790070U);
    EXPECT_EQ(m.ais_version, 2);
    EXPECT_EQ(m.callsign, "PA3831");
    EXPECT_EQ(m.shipname, "MIA AMORE");
    EXPECT_EQ(m.shiptype, 79);
    EXPECT_EQ(m.epfd, 15);
    EXPECT_EQ(epfd_text(m.epfd), "Internal GNSS");
    EXPECT_EQ(m.eta_month, 3);
    EXPECT_EQ(m.eta_day, 12);
    EXPECT_EQ(m.eta_hour, 8);
    EXPECT_EQ(m.eta_minute, 58);
    EXPECT_EQ(m.draught_raw, 15);
    EXPECT_EQ(m.destination, "ALMELO");
}

// --- type 21: name extension ---

TEST(AidToNavigationReport, name_extension_continues_a_full_name) {
    // expected.jsonl id 51: 20 characters + extension, gpsd "CHINA ROSE MURPHY EXPRESS ALERT".
    const auto m = only_message<AidToNavigationReport>(
        feed({"!AIVDM,2,1,5,B,E1mg=5J1T4W0h97aRh6ba84<h2d;W:Te=eLvH50```q,0*46",
              "!AIVDM,2,2,5,B,:D44QDlp0C1DU00,2*36"}));
    EXPECT_EQ(m.name, "CHINA ROSE MURPHY EXPRESS ALERT");
    EXPECT_EQ(m.aid_type, 20);
    EXPECT_EQ(aid_type_text(m.aid_type), "Cardinal Mark N");
    EXPECT_EQ(m.lon_raw, -73619155);
    EXPECT_EQ(m.lat_raw, 28752371);
    expect_plausible(m.lat_deg(), m.lon_deg());
}

TEST(AidToNavigationReport, extension_bits_after_a_short_name_are_ignored) {
    // expected.jsonl id 604: the name ends with '@' before 20 characters; gpsd
    // "AHAAHA ROCKS NORTH" (libais appends the garbage "@@>S+>N|").
    const auto m = decode_as<AidToNavigationReport>(
        "!AIVDM,1,1,,A,E>m1c3DPT0PT0h97QUah77a:400F@VKHmP@jP00003`01?TrwSW,0*3D");
    EXPECT_EQ(m.name, "AHAAHA ROCKS NORTH");
    EXPECT_TRUE(m.virtual_aid);
}

TEST(AidToNavigationReport, nominal_272_bits_without_extension) {
    // expected.jsonl id 306.
    const DecodeResult res =
        decode_sentence("!AIVDM,1,1,,B,EvjJ9@RRqKJI@9:@9Pc:R94U0P0@Np>8=0tP`00@08V>00,4*0A");
    ASSERT_EQ(res.error, errc::ok);
    EXPECT_FALSE(res.length_mismatch);
    const auto& m = std::get<AidToNavigationReport>(res.message);
    EXPECT_EQ(m.name, "E2642 RT SAVUDRIJA");
    EXPECT_EQ(m.regional, 224);
    EXPECT_EQ(m.second, 12);
}

// --- 6-bit text (M.1371-5 Table 47) ---

TEST(SixBitText, code_31_is_underscore) {
    // expected.jsonl id 4504 (type 5) and id 1824 (type 24 A): gpsd '_' where libais gives '-'.
    const auto five = decode_as<StaticVoyageData>(
        "!BSVDM,1,1,0,1,58Iqmr01vmK7UKGW;D104<THT=t<PTDI@4Tp00281@j674Pe?=C@EBH1RAC100000000000,"
        "2*12");
    EXPECT_EQ(five.shipname, "PACIFIC_CHIEFTAIN");
    const auto part_a =
        decode_as<StaticDataReport>("!AIVDM,1,1,,A,H7lca<@P5<qE9w3F22222222220,2*2F");
    EXPECT_EQ(part_a.shipname, "HASNUR_05");
}

TEST(SixBitText, code_39_is_apostrophe) {
    // expected.jsonl id 1894 (type 12) and id 1908 (type 14): gpsd '\'' where libais gives '`'.
    const auto twelve =
        decode_as<AddressedSafety>("!AIVDM,1,1,,B,<rOwUArW>mATsl8mEu6cvWeww1gsMlTPAh,4*62");
    EXPECT_EQ(twelve.text, ";4H5U=F+>'-??A/;]4$ Q");
    EXPECT_EQ(twelve.dest_mmsi, 701420825U);
    EXPECT_EQ(twelve.seqno, 2);
    const auto fourteen = decode_as<SafetyBroadcast>("!AIVDM,1,1,,A,>Wcii;?wF?nMlP,4*3D");
    EXPECT_EQ(fourteen.text, "?5#=']");
}

TEST(SixBitText, text_ends_at_the_first_at_sign) {
    // expected.jsonl id 284: call sign bits "@@J130B" -> gpsd ""; id 821: destination "".
    const auto cut = only_message<StaticVoyageData>(
        feed({"!AIVDM,2,1,7,A,53aGulD0000000c7?0918Tq<E>0<Q8U=@Tp400155P:22uG`002ShTj0,0*05",
              "!AIVDM,2,2,7,A,EQC`4Sm51A0C@08,2*50"}));
    EXPECT_EQ(cut.callsign, "");
    EXPECT_EQ(cut.shipname, "PRINSES CHRISTINA");
    const auto empty = only_message<StaticVoyageData>(
        feed({"!AIVDM,2,1,1,A,53aLkQl000010=D62219:18ttm0uB22222222200000006TD00000000,0*52",
              "!AIVDM,2,2,1,A,000000888888880,2*25"}));
    EXPECT_EQ(empty.destination, "");
    EXPECT_EQ(empty.callsign, "PCUA");
}

TEST(SixBitText, trailing_blanks_are_removed) {
    // expected.jsonl id 6: the name field is "EVER DIADEM" padded with blanks (code 32).
    const auto m = only_message<StaticVoyageData>(
        feed({"!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C",
              "!AIVDM,2,2,1,A,88888888880,2*25"}));
    EXPECT_EQ(m.shipname.view(), "EVER DIADEM");
    EXPECT_EQ(m.shipname.size(), 11U);
}

// --- types 4 and 11 ---

TEST(BaseStationReport, utc_time_and_position) {
    // expected.jsonl id 5: gpsd "2007-05-14T19:57:39Z" (= 1179172659 s), lon -45811417,
    // lat 22130260, EPFD 7 "Surveyed".
    const auto m = decode_as<BaseStationReport>("!AIVDM,1,1,,A,403OviQuMGCqWrRO9>E6fE700@GO,0*4D");
    EXPECT_EQ(m.type, 4);
    EXPECT_EQ(m.mmsi, 3669702U);
    ASSERT_TRUE(m.utc_time());
    EXPECT_EQ(*m.utc_time(), from_unix_seconds(1179172659));
    EXPECT_EQ(m.lon_raw, -45811417);
    EXPECT_EQ(m.lat_raw, 22130260);
    EXPECT_EQ(epfd_text(m.epfd), "Surveyed");
    EXPECT_EQ(gpsd_json(m)["timestamp"], "2007-05-14T19:57:39Z");
    expect_plausible(m.lat_deg(), m.lon_deg());
}

TEST(BaseStationReport, type_11_is_the_same_layout) {
    // expected.jsonl id 27: gpsd "2009-05-22T02:22:40Z" (= 1242958960 s).
    const auto m = decode_as<BaseStationReport>("!AIVDM,1,1,,B,;4R33:1uUK2F`q?mOt@@GoQ00000,0*5D");
    EXPECT_EQ(m.type, 11);
    ASSERT_TRUE(m.utc_time());
    EXPECT_EQ(*m.utc_time(), from_unix_seconds(1242958960));
}

TEST(BaseStationReport, not_available_time_and_position) {
    // expected.jsonl id 73: gpsd "0000-00-00T24:60:60Z", lon 181°, lat 91°.
    const auto m = decode_as<BaseStationReport>("!AIVDM,1,1,,A,402Fha0000Htt<tSF0l4Q@000d20,0*65");
    EXPECT_FALSE(m.utc_time());
    EXPECT_FALSE(m.lat_deg());
    EXPECT_FALSE(m.lon_deg());
    EXPECT_EQ(gpsd_json(m)["timestamp"], "0000-00-00T24:60:60Z");
    EXPECT_EQ(gpsd_json(m)["lat"], 91.0);
}

// --- "not available" values of every scaled accessor (M.1371-5 codes) ---

TEST(NotAvailable, default_values_are_the_standards_not_available_codes) {
    const PositionReport a;
    EXPECT_FALSE(a.lat_deg() || a.lon_deg() || a.sog_knots() || a.cog_deg() || a.heading_deg() ||
                 a.utc_second() || a.rot_deg_per_min());
    const BaseStationReport b;
    EXPECT_FALSE(b.lat_deg() || b.lon_deg() || b.utc_time());
    const SarAircraftReport sar;
    EXPECT_FALSE(sar.altitude_m() || sar.sog_knots() || sar.cog_deg() || sar.lat_deg() ||
                 sar.lon_deg() || sar.utc_second());
    const DgnssBroadcast dgnss;
    EXPECT_FALSE(dgnss.lat_deg() || dgnss.lon_deg());
    const AidToNavigationReport aton;
    EXPECT_FALSE(aton.lat_deg() || aton.lon_deg() || aton.utc_second());
    const LongRangePositionReport lr;
    EXPECT_FALSE(lr.lat_deg() || lr.lon_deg() || lr.sog_knots() || lr.cog_deg());
    const RegionCorners corners{108'600, 54'600, 108'600, 54'600};
    EXPECT_FALSE(corners.ne_lon_deg() || corners.ne_lat_deg() || corners.sw_lon_deg() ||
                 corners.sw_lat_deg());
}

TEST(NotAvailable, limits_of_the_valid_ranges_are_available) {
    // ±90° / ±180° are positions; 102.2 kn (1022) means "102.2 kn or more" (M.1371-5).
    PositionReport a;
    a.lat_raw = -54'000'000;
    a.lon_raw = 108'000'000;
    a.sog_raw = 1022;
    a.cog_raw = 3599;
    a.heading_raw = 359;
    a.second = 59;
    EXPECT_EQ(a.lat_deg(), -90.0);
    EXPECT_EQ(a.lon_deg(), 180.0);
    EXPECT_EQ(a.sog_knots(), 102.2);
    EXPECT_EQ(a.cog_deg(), 359.9);
    EXPECT_EQ(a.heading_deg(), 359.0);
    EXPECT_EQ(a.utc_second(), 59);
    LongRangePositionReport lr;
    lr.lat_raw = 54'000;
    lr.lon_raw = -108'000;
    lr.sog_raw = 62;
    lr.cog_raw = 359;
    EXPECT_EQ(lr.lat_deg(), 90.0);
    EXPECT_EQ(lr.lon_deg(), -180.0);
    EXPECT_EQ(lr.sog_knots(), 62.0);
    EXPECT_EQ(lr.cog_deg(), 359.0);
    SarAircraftReport sar;
    sar.altitude_raw = 4094; // 4094 m or higher
    sar.sog_raw = 1022;      // whole knots: 1022 kn or faster
    EXPECT_EQ(sar.altitude_m(), 4094);
    EXPECT_EQ(sar.sog_knots(), 1022.0);
}

TEST(NotAvailable, class_a_report_with_every_field_not_available) {
    // expected.jsonl id 657: lat 91°, lon 181°, SOG 1023 (gpsd "n/a"), COG 3600, heading 511,
    // second 63 (positioning system inoperative).
    const auto m = decode_as<PositionReport>("!AIVDM,1,1,,A,13aL=c8P?w<tSF0l4Q@>4?wv0>`<,0*35");
    EXPECT_FALSE(m.lat_deg() || m.lon_deg() || m.sog_knots() || m.cog_deg() || m.heading_deg() ||
                 m.utc_second());
    EXPECT_EQ(m.second, 63);
    EXPECT_EQ(gpsd_json(m)["speed"], "n/a");
    EXPECT_EQ(gpsd_json(m, false)["speed"], 1023);
}

TEST(NotAvailable, class_b_course_3600_and_heading_360) {
    // expected.jsonl id 241: COG 3600 = n/a, heading 360 is outside 0..359 (only 511 is n/a,
    // but 360 is no heading either).
    const auto m =
        decode_as<ClassBPositionReport>("!AIVDM,1,1,,A,B3KILP000@LWW8`VVWcQ2l063P06,0*75");
    EXPECT_EQ(m.cog_raw, 3600);
    EXPECT_EQ(m.heading_raw, 360);
    EXPECT_FALSE(m.cog_deg());
    EXPECT_FALSE(m.heading_deg());
    expect_plausible(m);
}

TEST(NotAvailable, sar_aircraft_altitude_and_speed) {
    // expected.jsonl id 1869: altitude 4095 (gpsd "nan"); id 1873: SOG 1023 (gpsd "nan").
    const auto no_alt =
        decode_as<SarAircraftReport>("!AIVDM,1,1,,B,900fK5?wh0IJcT>;6GB004h00408,0*76");
    EXPECT_EQ(no_alt.altitude_raw, 4095);
    EXPECT_FALSE(no_alt.altitude_m());
    EXPECT_EQ(gpsd_json(no_alt)["alt"], "nan");
    const auto no_sog =
        decode_as<SarAircraftReport>("!AIVDM,1,1,,A,9018lEPPwwIJdp<;6nk55:h00D3w,0*7E");
    EXPECT_EQ(no_sog.altitude_m(), 131);
    EXPECT_FALSE(no_sog.sog_knots());
    EXPECT_EQ(gpsd_json(no_sog)["speed"], "nan");
    ASSERT_TRUE(no_sog.cog_deg());
    EXPECT_DOUBLE_EQ(*no_sog.cog_deg(), 130.0);
    expect_plausible(no_sog.lat_deg(), no_sog.lon_deg(), std::nullopt, no_sog.cog_deg());
}

// --- length policy: too short, too long for the type, decoded but flagged ---

TEST(DecodeLength, shorter_than_the_type_needs_is_too_short) {
    // gpsd refuses each of these (expected.jsonl ids 4073, 1994, 2052, 4416, 4071).
    EXPECT_EQ(decode_sentence("!AIVDM,1,1,,A,D06rQm0,2*18").error, errc::too_short);    // type 20
    EXPECT_EQ(decode_sentence("!AIVDM,1,1,,B,GFwkw?Bgph,2*4F").error, errc::too_short); // 23
    EXPECT_EQ(decode_sentence("!AIVDM,1,1,,B,KuTOOvuuubehD70,2*62").error,
              errc::too_short); // type 27, 88 bits
    EXPECT_EQ(decode_sentence("!AIVDM,1,1,,B,E>AqM2097<skMd399JQQGkO?=OkdEJ9hbqEHeh7i,0*69").error,
              errc::too_short); // type 21, 240 bits
    EXPECT_EQ(decode_sentence("!AIVDM,1,1,,A,5?LEIogosdT;neldJu@eE?r4aO8dMkt?,0*49").error,
              errc::too_short); // type 5, 192 bits
}

TEST(DecodeLength, longer_than_the_type_allows_is_rejected) {
    // gpsd refuses (expected.jsonl ids 2049, 4067, 4233, 4291, 4418): type 27 of 104 bits,
    // type 7 of 240 (> 168), type 15 of 184 (> 168), type 16 of 232 (> 168), type 20 of 280.
    for (const char* s : {"!AIVDM,1,1,,B,KEkV@caow3vMnRkg20,4*72",
                          "!AIVDM,1,1,,A,7>F0@r:FLk2o83LnQJU?hh<>aOPV0ri1n6HSBo;4,0*64",
                          "!AIVDM,1,1,,A,?=bPak?FE8foCESC>7>nPMgOTrL1FW<,2*1F",
                          "!AIVDM,1,1,,A,@IHth:c>I;Qv0r1B6N=kUGO;01o<S<V3aP2bBcH,2*62",
                          "!AIVDM,1,1,,A,D2l?QSd2aIh8l?H4`pbC3AD4h<dDFl09dGEjUKbhaJS1U>h,2*34"}) {
        EXPECT_EQ(decode_sentence(s).error, errc::too_long_for_type) << s;
    }
}

TEST(DecodeLength, rejections_are_counted) {
    Collector sink;
    StreamDecoder dec(sink);
    dec.feed("!AIVDM,1,1,,A,7>F0@r:FLk2o83LnQJU?hh<>aOPV0ri1n6HSBo;4,0*64\n"
             "!AIVDM,1,1,,A,D06rQm0,2*18\n",
             UtcTime{});
    dec.finish(UtcTime{});
    EXPECT_TRUE(sink.messages.empty());
    EXPECT_EQ(dec.counters().errors[static_cast<std::size_t>(errc::too_long_for_type)], 1U);
    EXPECT_EQ(dec.counters().errors[static_cast<std::size_t>(errc::too_short)], 1U);
}

TEST(DecodeLength, longer_than_nominal_is_decoded_from_its_first_bits_and_flagged) {
    // ais-decoder-bugs.md #18 (libais #81): 204-bit type 1, gpsd decodes the first 168 bits.
    const DecodeResult one =
        decode_sentence("!AIVDM,1,1,,A,137b0v00270B2K<MI`7pgG2l08@K4cG>`<,0*29");
    ASSERT_EQ(one.error, errc::ok);
    EXPECT_TRUE(one.length_mismatch);
    const auto& p = std::get<PositionReport>(one.message);
    EXPECT_EQ(p.mmsi, 209355000U);
    EXPECT_EQ(p.rot_raw, 0);
    EXPECT_EQ(p.sog_raw, 135);
    EXPECT_NEAR(*p.lon_deg(), 3.9404367, 5e-8);
    EXPECT_NEAR(*p.lat_deg(), 51.3809583, 5e-8);
    EXPECT_EQ(p.cog_raw, 2237);
    EXPECT_EQ(p.heading_raw, 225);
    EXPECT_EQ(p.second, 26);
    expect_plausible(p);
    // expected.jsonl id 4441: type 10 of 184 bits, gpsd dest_mmsi 243061385.
    const DecodeResult ten = decode_sentence("!AIVDM,1,1,,A,:Cp5kDPqtl`WkmuMR6<Q@=iaDK@H32P,2*2D");
    ASSERT_EQ(ten.error, errc::ok);
    EXPECT_TRUE(ten.length_mismatch);
    EXPECT_EQ(std::get<UtcInquiry>(ten.message).dest_mmsi, 243061385U);
    // expected.jsonl id 3883: type 5 of 426 bits.
    const auto sink = feed({"\\g:1-2-3987,c:1333239510*20\\!BSVDM,2,1,0,A,54`98002>?A1`<AGD00lEBr0"
                            "PD5@PE:1<4hiT01CKh`IC4w8NKjCPj1Ck`2k,0*7C",
                            "\\g:2-2-3987*58\\!BSVDM,2,2,0,A,lQ@@0000002,0*00"});
    ASSERT_EQ(sink.messages.size(), 1U);
    EXPECT_TRUE(sink.messages.front().length_mismatch);
    EXPECT_EQ(std::get<StaticVoyageData>(sink.messages.front().message).shipname,
              "MET. HEATHER SALLY");
}

TEST(DecodeLength, nominal_length_is_not_flagged) {
    // expected.jsonl id 5 (type 4, 168 bits) and id 35 (type 13, 72 bits, one acknowledgement).
    const DecodeResult four = decode_sentence("!AIVDM,1,1,,A,403OviQuMGCqWrRO9>E6fE700@GO,0*4D");
    ASSERT_EQ(four.error, errc::ok);
    EXPECT_FALSE(four.length_mismatch);
    const DecodeResult ack = decode_sentence("!AIVDM,1,1,,A,=39UOj0jFs9R,0*65");
    ASSERT_EQ(ack.error, errc::ok);
    EXPECT_FALSE(ack.length_mismatch);
    const auto& m = std::get<BinaryAcknowledge>(ack.message);
    EXPECT_EQ(m.type, 13);
    EXPECT_EQ(m.ack_count, 1);
    EXPECT_EQ(m.acks[0].mmsi, 211217560U);
    EXPECT_EQ(m.acks[1].mmsi, 0U);
}

TEST(DecodeLength, field_cut_by_the_payload_end_reads_missing_bits_as_zero) {
    // expected.jsonl id 15: type 7 of 124 bits; the third MMSI has 20 of its 30 bits, gpsd
    // reads it as 76161024 (= 74376 << 10).
    const DecodeResult res = decode_sentence("!AIVDM,1,1,,B,7`0Pv1L:Ac8rbgPKHA8`P,2*56");
    ASSERT_EQ(res.error, errc::ok);
    EXPECT_TRUE(res.length_mismatch);
    const auto& m = std::get<BinaryAcknowledge>(res.message);
    EXPECT_EQ(m.acks[0].mmsi, 43101326U);
    EXPECT_EQ(m.acks[1].mmsi, 717096664U);
    EXPECT_EQ(m.acks[2].mmsi, 76161024U);
    EXPECT_EQ(m.acks[3].mmsi, 0U);
    EXPECT_EQ(m.ack_count, 3);
}

// --- two-form messages ---

TEST(ChannelManagement, addressed_form_carries_destinations_instead_of_a_region) {
    // expected.jsonl id 53: gpsd dest1 28144881, dest2 268435519, no corner members.
    const auto m = decode_as<ChannelManagement>("!AIVDM,1,1,,A,F@@W>gOP00PH=JrN9l000?wB2HH;,0*44");
    EXPECT_TRUE(m.addressed);
    EXPECT_EQ(m.dest1, 28144881U);
    EXPECT_EQ(m.dest2, 268435519U);
    const json j = gpsd_json(m);
    EXPECT_FALSE(j.contains("ne_lon"));
    EXPECT_EQ(j["channel_a"], 3584);
}

TEST(GroupAssignment, region_corners_are_signed_tenth_minutes) {
    // expected.jsonl id 54: gpsd ne_lon "2.630000" (raw 1578), sw_lat "50.680000" (raw 30408).
    const DecodeResult res = decode_sentence("!AIVDM,1,1,,B,G02:Kn01R`sn@291nj600000900,2*12");
    ASSERT_EQ(res.error, errc::ok);
    const auto& m = std::get<GroupAssignment>(res.message);
    EXPECT_EQ(m.area.ne_lon_raw, 1578);
    EXPECT_EQ(m.area.sw_lat_raw, 30408);
    ASSERT_TRUE(m.area.ne_lon_deg());
    EXPECT_NEAR(*m.area.ne_lon_deg(), 2.63, 1e-9);
    EXPECT_EQ(gpsd_json(m)["ne_lon"], "2.630000");
    EXPECT_EQ(station_type_text(m.stationtype), "Regional use and inland waterways");
}

} // namespace
} // namespace sahil::ais
