// gpsd AIS JSON members of the station message types 4/11, 7/13, 9, 10, 12, 14, 15, 16, 17, 20,
// 21, 22, 23 and 27 (see ais/gpsd_json.hpp), in gpsd 3.27's order and formats. Scaled
// positions: 7 decimals for 1/10,000 minute fields (types 4, 9, 21), 1 decimal for type 17,
// 4 for type 27, and quoted "%f" strings (6 decimals) for the corners of types 22 and 23.
#include <array>
#include <charconv>
#include <cstddef>
#include <string_view>

#include "ais/detail/gpsd_json_fields.hpp"
#include "ais/detail/gpsd_json_util.hpp"
#include "ais/labels.hpp"

namespace sahil::ais::detail {
namespace {

constexpr double coarse_per_degree = 600.0;   // 1/10 minute
constexpr int fine_decimals = 7;

/// Type 9 special values (M.1371-5 Table 59).
constexpr unsigned altitude_not_available = 4095;
constexpr unsigned altitude_high = 4094;
constexpr unsigned sar_sog_not_available = 1023;
constexpr unsigned sar_sog_fast = 1022;

/// A 1/10,000 minute position: degrees with 7 decimals, or the raw integers.
void write_fine_position(JsonWriter& w, std::int32_t lon_raw, std::int32_t lat_raw, bool scaled) {
    if (scaled) {
        w.field_ratio("lon", lon_raw, 600'000, fine_decimals);
        w.field_ratio("lat", lat_raw, 600'000, fine_decimals);
    } else {
        w.field("lon", lon_raw);
        w.field("lat", lat_raw);
    }
}

/// Region corners of types 22 and 23: gpsd prints the scaled ones as quoted "%f" strings.
void write_corners(JsonWriter& w, const RegionCorners& c, bool scaled) {
    if (scaled) {
        w.key("ne_lon");
        w.string_fixed(c.ne_lon_raw / coarse_per_degree, 6);
        w.key("ne_lat");
        w.string_fixed(c.ne_lat_raw / coarse_per_degree, 6);
        w.key("sw_lon");
        w.string_fixed(c.sw_lon_raw / coarse_per_degree, 6);
        w.key("sw_lat");
        w.string_fixed(c.sw_lat_raw / coarse_per_degree, 6);
    } else {
        w.field("ne_lon", c.ne_lon_raw);
        w.field("ne_lat", c.ne_lat_raw);
        w.field("sw_lon", c.sw_lon_raw);
        w.field("sw_lat", c.sw_lat_raw);
    }
}

/// A value with special codes: `n/a` -> "nan", `high` -> `high_text`, else the number.
void write_special(JsonWriter& w, std::string_view key, unsigned raw, unsigned not_available,
                   unsigned high, std::string_view high_text) {
    w.key(key);
    if (raw == not_available) {
        w.value("nan");
    } else if (raw == high) {
        w.value(high_text);
    } else {
        w.value(raw);
    }
}

} // namespace

void write_fields(JsonWriter& w, const BaseStationReport& m, bool scaled) {
    // "YYYY-MM-DDThh:mm:ssZ" from the raw fields (n/a values included), in both modes.
    ShortText<32> ts;
    ts.number(m.year, 4).put('-').number(m.month, 2).put('-').number(m.day, 2).put('T');
    ts.number(m.hour, 2).put(':').number(m.minute, 2).put(':').number(m.second, 2).put('Z');
    w.field("timestamp", ts.view());
    w.field("accuracy", m.accuracy);
    write_fine_position(w, m.lon_raw, m.lat_raw, scaled);
    w.field("epfd", m.epfd);
    w.field("epfd_text", epfd_text(m.epfd));
    w.field("raim", m.raim);
    w.field("radio", m.radio);
}

void write_fields(JsonWriter& w, const BinaryAcknowledge& m, bool /*scaled*/) {
    // gpsd prints the four destinations (0 when absent) but not their sequence numbers.
    w.field("mmsi1", m.acks[0].mmsi);
    w.field("mmsi2", m.acks[1].mmsi);
    w.field("mmsi3", m.acks[2].mmsi);
    w.field("mmsi4", m.acks[3].mmsi);
}

void write_fields(JsonWriter& w, const SarAircraftReport& m, bool scaled) {
    if (scaled) {
        write_special(w, "alt", m.altitude_raw, altitude_not_available, altitude_high, "high");
        write_special(w, "speed", m.sog_raw, sar_sog_not_available, sar_sog_fast, "fast");
    } else {
        w.field("alt", m.altitude_raw);
        w.field("speed", m.sog_raw);
    }
    w.field("accuracy", m.accuracy);
    write_fine_position(w, m.lon_raw, m.lat_raw, scaled);
    if (scaled) {
        w.field_ratio("course", m.cog_raw, 10, 1);
    } else {
        w.field("course", m.cog_raw);
    }
    w.field("second", m.second);
    w.field("regional", m.regional);
    w.field("dte", static_cast<unsigned>(m.dte));
    w.field("raim", m.raim);
    w.field("radio", m.radio);
}

void write_fields(JsonWriter& w, const UtcInquiry& m, bool /*scaled*/) {
    w.field("dest_mmsi", m.dest_mmsi);
}

void write_fields(JsonWriter& w, const AddressedSafety& m, bool /*scaled*/) {
    w.field("seqno", m.seqno);
    w.field("dest_mmsi", m.dest_mmsi);
    w.field("retransmit", m.retransmit);
    w.field("text", m.text.view());
}

void write_fields(JsonWriter& w, const SafetyBroadcast& m, bool /*scaled*/) {
    w.field("text", m.text.view());
}

void write_fields(JsonWriter& w, const Interrogation& m, bool /*scaled*/) {
    w.field("mmsi1", m.mmsi1);
    w.field("type1_1", m.type1_1);
    w.field("offset1_1", m.offset1_1);
    w.field("type1_2", m.type1_2);
    w.field("offset1_2", m.offset1_2);
    w.field("mmsi2", m.mmsi2);
    w.field("type2_1", m.type2_1);
    w.field("offset2_1", m.offset2_1);
}

void write_fields(JsonWriter& w, const AssignmentCommand& m, bool /*scaled*/) {
    w.field("mmsi1", m.mmsi1);
    w.field("offset1", m.offset1);
    w.field("increment1", m.increment1);
    w.field("mmsi2", m.mmsi2);
    w.field("offset2", m.offset2);
    w.field("increment2", m.increment2);
}

void write_fields(JsonWriter& w, const DgnssBroadcast& m, bool scaled) {
    if (scaled) {
        w.field_fixed("lon", m.lon_raw / coarse_per_degree, 1);
        w.field_fixed("lat", m.lat_raw / coarse_per_degree, 1);
    } else {
        w.field("lon", m.lon_raw);
        w.field("lat", m.lat_raw);
    }
    // "bits:hex", the hex of the ⌈bits/8⌉ data bytes.
    ShortText<8 + 2 * DgnssBroadcast::max_data_bits / 8> data;
    data.number(m.data_bits).put(':');
    for (const std::uint8_t byte : m.data_bytes()) {
        data.hex(byte);
    }
    w.field("data", data.view());
}

void write_fields(JsonWriter& w, const DataLinkManagement& m, bool /*scaled*/) {
    static constexpr std::array<std::array<std::string_view, 4>, 4> keys{{
        {"offset1", "number1", "timeout1", "increment1"},
        {"offset2", "number2", "timeout2", "increment2"},
        {"offset3", "number3", "timeout3", "increment3"},
        {"offset4", "number4", "timeout4", "increment4"},
    }};
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const SlotReservation& slot = m.reservations[i];
        w.field(keys[i][0], slot.offset);
        w.field(keys[i][1], slot.number);
        w.field(keys[i][2], slot.timeout);
        w.field(keys[i][3], slot.increment);
    }
}

void write_fields(JsonWriter& w, const AidToNavigationReport& m, bool scaled) {
    w.field("aid_type", m.aid_type);
    w.field("aid_type_text", aid_type_text(m.aid_type));
    w.field("name", m.name.view());
    // gpsd puts "accuracy" after the position when scaled and before it when unscaled.
    if (scaled) {
        write_fine_position(w, m.lon_raw, m.lat_raw, true);
        w.field("accuracy", m.accuracy);
    } else {
        w.field("accuracy", m.accuracy);
        write_fine_position(w, m.lon_raw, m.lat_raw, false);
    }
    write_dimensions(w, m);
    w.field("epfd", m.epfd);
    w.field("epfd_text", epfd_text(m.epfd));
    w.field("second", m.second);
    w.field("regional", m.regional);
    w.field("off_position", m.off_position);
    w.field("raim", m.raim);
    w.field("virtual_aid", m.virtual_aid);
}

void write_fields(JsonWriter& w, const ChannelManagement& m, bool scaled) {
    w.field("channel_a", m.channel_a);
    w.field("channel_b", m.channel_b);
    w.field("txrx", m.txrx);
    w.field("power", m.power);
    if (m.addressed) {
        w.field("dest1", m.dest1);
        w.field("dest2", m.dest2);
    } else {
        write_corners(w, m.area, scaled);
    }
    w.field("addressed", m.addressed);
    w.field("band_a", m.band_a);
    w.field("band_b", m.band_b);
    w.field("zonesize", m.zonesize);
}

void write_fields(JsonWriter& w, const GroupAssignment& m, bool scaled) {
    write_corners(w, m.area, scaled);
    w.field("stationtype", m.stationtype);
    w.field("stationtype_text", station_type_text(m.stationtype));
    w.field("shiptype", m.shiptype);
    w.field("shiptype_text", ship_type_text(m.shiptype));
    w.field("interval", m.interval);
    w.field("quiet", m.quiet);
}

void write_fields(JsonWriter& w, const LongRangePositionReport& m, bool scaled) {
    w.field("status", m.nav_status);
    if (scaled) {
        w.field("status_text", nav_status_text(m.nav_status));
    }
    w.field("accuracy", m.accuracy);
    if (scaled) {
        w.field_fixed("lon", m.lon_raw / coarse_per_degree, 4);
        w.field_fixed("lat", m.lat_raw / coarse_per_degree, 4);
    } else {
        w.field("lon", m.lon_raw);
        w.field("lat", m.lat_raw);
    }
    w.field("speed", m.sog_raw);
    w.field("course", m.cog_raw);
    w.field("raim", m.raim);
    w.field("gnss", m.position_latency);
}

} // namespace sahil::ais::detail
