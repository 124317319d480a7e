// Golden test: every message of types 1, 2, 3, 5, 18, 19 and 24 in the real-world corpus
// (tests/data/ais/corpus.nmea) decoded by Sahil and compared field by field with the unscaled
// output of an independent decoder, gpsd 3.27 `gpsdecode -j -s -u` (tests/data/ais/expected.jsonl;
// provenance in tests/data/ais/SOURCES.md).
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ais/stream_decoder.hpp"
#include "tests/ais/test_data.hpp"

namespace {

using nlohmann::json;
using namespace sahil;
using namespace sahil::ais;

/// Collects decoded messages and errors.
struct Collector : MessageSink {
    std::vector<DecodedMessage> messages;
    std::vector<errc> errors;
    void on_message(const DecodedMessage& m) override { messages.push_back(m); }
    void on_error(errc e, std::string_view) override { errors.push_back(e); }
};

void put_position(json& j, const PositionFields& p) {
    j["speed"] = p.sog_raw;
    j["accuracy"] = p.accuracy;
    j["lon"] = p.lon_raw;
    j["lat"] = p.lat_raw;
    j["course"] = p.cog_raw;
    j["heading"] = p.heading_raw;
    j["second"] = p.second;
    j["raim"] = p.raim;
}

std::string eta_text(const StaticVoyageData& m) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02u-%02uT%02u:%02uZ", unsigned{m.eta_month},
                  unsigned{m.eta_day}, unsigned{m.eta_hour}, unsigned{m.eta_minute});
    return buf;
}

/// Our message in gpsd's unscaled field names (the mapping, not a decoder).
json to_gpsd_names(const AisMessage& msg) {
    json j;
    std::visit(
        [&](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            j["repeat"] = m.repeat;
            j["mmsi"] = m.mmsi;
            if constexpr (std::is_same_v<T, PositionReport>) {
                j["type"] = m.type;
                j["status"] = m.nav_status;
                j["turn"] = m.rot_raw;
                put_position(j, m);
                j["maneuver"] = m.maneuver;
                j["radio"] = m.radio;
            } else if constexpr (std::is_same_v<T, StaticVoyageData>) {
                j["type"] = 5;
                j["ais_version"] = m.ais_version;
                j["imo"] = m.imo;
                j["callsign"] = m.callsign;
                j["shipname"] = m.shipname;
                j["shiptype"] = m.shiptype;
                j["to_bow"] = m.to_bow;
                j["to_stern"] = m.to_stern;
                j["to_port"] = m.to_port;
                j["to_starboard"] = m.to_starboard;
                j["epfd"] = m.epfd;
                j["eta"] = eta_text(m);
                j["draught"] = m.draught_raw;
                j["destination"] = m.destination;
                j["dte"] = m.dte ? 1 : 0;
            } else if constexpr (std::is_same_v<T, ClassBPositionReport>) {
                j["type"] = 18;
                j["reserved"] = m.reserved;
                put_position(j, m);
                j["regional"] = m.regional;
                j["cs"] = m.cs;
                j["display"] = m.display;
                j["dsc"] = m.dsc;
                j["band"] = m.band;
                j["msg22"] = m.msg22;
                j["radio"] = m.radio;
            } else if constexpr (std::is_same_v<T, ClassBExtendedReport>) {
                j["type"] = 19;
                j["reserved"] = m.reserved;
                put_position(j, m);
                j["regional"] = m.regional;
                j["shipname"] = m.shipname;
                j["shiptype"] = m.shiptype;
                j["to_bow"] = m.to_bow;
                j["to_stern"] = m.to_stern;
                j["to_port"] = m.to_port;
                j["to_starboard"] = m.to_starboard;
                j["epfd"] = m.epfd;
                j["dte"] = m.dte ? 1 : 0;
                j["assigned"] = m.assigned;
            } else if constexpr (std::is_same_v<T, StaticDataReport>) {
                j["type"] = 24;
                j["part"] = m.part == 0 ? "A" : "B";
                if (m.part == 0) {
                    j["shipname"] = m.shipname;
                } else {
                    j["shiptype"] = m.shiptype;
                    j["vendorid"] = m.vendorid;
                    j["model"] = m.model;
                    j["serial"] = m.serial;
                    j["callsign"] = m.callsign;
                    if (m.is_auxiliary()) {
                        j["mothership_mmsi"] = m.mothership_mmsi;
                    } else {
                        j["to_bow"] = m.to_bow;
                        j["to_stern"] = m.to_stern;
                        j["to_port"] = m.to_port;
                        j["to_starboard"] = m.to_starboard;
                    }
                }
            }
        },
        msg);
    return j;
}

/// Labels and flags in gpsd's output that are not decoded fields.
bool is_label(const std::string& key) {
    return key == "class" || key == "scaled" || key == "device" || key.ends_with("_text");
}

TEST(DecoderGolden, agrees_with_gpsd_on_every_field_of_types_1_2_3_5_18_19_24) {
    std::ifstream in(test::data_path("ais/expected.jsonl"));
    ASSERT_TRUE(in) << "missing tests/data/ais/expected.jsonl";
    std::size_t messages = 0;
    std::size_t fields = 0;
    std::map<int, std::size_t> per_type;
    std::string line;
    while (std::getline(in, line)) {
        const json rec = json::parse(line);
        const int type = rec["msgtype"].get<int>();
        if (type != 1 && type != 2 && type != 3 && type != 5 && type != 18 && type != 19 &&
            type != 24) {
            continue;
        }
        const json& want = rec["gpsd_unscaled"];
        if (want.is_null()) {
            continue; // gpsd does not decode it; see the malformed/rejection tests
        }
        Collector sink;
        StreamDecoder dec(sink);
        for (const auto& raw : rec["raw"]) {
            dec.feed(raw.get<std::string>() + "\n", UtcTime{});
        }
        dec.finish(UtcTime{});
        const std::string where = "expected.jsonl id " + std::to_string(rec["id"].get<int>());
        ASSERT_EQ(sink.messages.size(), 1U) << where << " raw " << rec["raw"].dump();
        const json got = to_gpsd_names(sink.messages.front().message);
        for (const auto& [key, value] : want.items()) {
            if (is_label(key)) {
                continue;
            }
            ASSERT_TRUE(got.contains(key)) << where << ": field " << key << " not produced";
            json expected = value;
            if (expected.is_boolean() && got[key].is_number()) {
                expected = expected.get<bool>() ? 1 : 0;
            }
            EXPECT_EQ(got[key], expected) << where << ": field " << key;
            ++fields;
        }
        ++messages;
        ++per_type[type];
    }
    std::printf("[golden] compared %zu messages, %zu fields with gpsd 3.27 (", messages, fields);
    for (const auto& [t, n] : per_type) {
        std::printf(" type %d: %zu", t, n);
    }
    std::printf(" )\n");
    // corpus coverage per tests/data/ais/SOURCES.md: 2229+20+344+320+448+12+113+91 gpsd decodes
    EXPECT_EQ(messages, 3577U);
}

} // namespace

namespace {

using namespace sahil;
using namespace sahil::ais;

/// Messages of the decoded types that gpsd 3.27 refuses: Sahil must reject them too, except
/// where tests/data/DIFFERENCES.md documents why decoding is right.
TEST(DecoderGolden, rejects_what_gpsd_refuses_of_types_1_2_3_5_18_19_24) {
    std::ifstream in(test::data_path("ais/expected.jsonl"));
    std::string line;
    std::size_t refused = 0;
    std::size_t rejected = 0;
    std::vector<int> decoded_ids;
    while (std::getline(in, line)) {
        const auto rec = nlohmann::json::parse(line);
        const int type = rec["msgtype"].get<int>();
        if ((type > 3 && type != 5 && type != 18 && type != 19 && type != 24) ||
            !rec["gpsd_unscaled"].is_null()) {
            continue;
        }
        ++refused;
        Collector sink;
        StreamDecoder dec(sink);
        for (const auto& raw : rec["raw"]) {
            dec.feed(raw.get<std::string>() + "\n", UtcTime{});
        }
        dec.finish(UtcTime{});
        if (sink.messages.empty()) {
            ++rejected;
            EXPECT_FALSE(sink.errors.empty())
                << "rejected without a counted reason: id " << rec["id"];
        } else {
            decoded_ids.push_back(rec["id"].get<int>());
        }
    }
    std::printf("[golden] gpsd refused %zu messages of these types; Sahil rejected %zu\n", refused,
                rejected);
    EXPECT_EQ(refused, 44U);
    // Documented in tests/data/DIFFERENCES.md: two channel C ("secure AIS") sentences that gpsd
    // ignores by policy; Sahil decodes channels C and D like A and B.
    EXPECT_EQ(decoded_ids, (std::vector<int>{3761, 3762}));
}

} // namespace
