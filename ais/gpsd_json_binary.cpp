// gpsd AIS JSON members of the binary message types 6, 8, 25, 26 and of their application
// messages (see ais/gpsd_json.hpp), in gpsd 3.27's order and formats:
//   raw bits as "data":"<bit count>:<hex>"; partial dates as "MM-DDTHH:MMZ"; positions in
//   1/1,000 min scaled to degrees with 6 decimals; labels from ais/binary_labels.hpp.
// The area notice (DAC 1 FI 22), which gpsd prints as raw data only, gets gpsd's "data" and
// Sahil's decoded members after it. Deliberate differences from gpsd are listed in
// tests/data/DIFFERENCES.md.
#include <array>
#include <charconv>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <variant>

#include "ais/binary_labels.hpp"
#include "ais/detail/gpsd_json_fields.hpp"

namespace sahil::ais::detail {
namespace {

constexpr double milliminutes_per_degree = 60'000.0;

/// "<bit count>:<hex>" of `d`, lower-case hex of every byte holding data. `tail` fills the
/// unused low bits of the last byte (gpsd shows whatever follows the data there).
void write_data(JsonWriter& w, const BinaryData& d, std::uint8_t tail = 0) {
    static constexpr char hex[] = "0123456789abcdef";
    std::array<char, 8 + 2 * BinaryData::max_bits / 8> buf{};
    char* out = std::to_chars(buf.data(), buf.data() + 8, d.bit_count).ptr;
    *out++ = ':';
    const std::size_t n = d.byte_count();
    for (std::size_t i = 0; i < n; ++i) {
        const auto byte = static_cast<unsigned>(i + 1 == n ? d.bytes[i] | tail : d.bytes[i]);
        *out++ = hex[byte >> 4U];
        *out++ = hex[byte & 15U];
    }
    w.field("data", std::string_view(buf.data(), static_cast<std::size_t>(out - buf.data())));
}

/// Two decimal digits, zero-padded (printf "%02u"; values ≥ 100 cannot occur: fields ≤ 6 bits).
char* two_digits(char* out, unsigned v) {
    *out++ = static_cast<char>('0' + (v / 10U) % 10U);
    *out++ = static_cast<char>('0' + v % 10U);
    return out;
}

/// gpsd's partial ISO 8601 date "MM-DDTHH:MMZ".
void write_month_day_time(JsonWriter& w, std::string_view key, unsigned month, unsigned day,
                          unsigned hour, unsigned minute) {
    std::array<char, 12> buf{};
    char* p = two_digits(buf.data(), month);
    *p++ = '-';
    p = two_digits(p, day);
    *p++ = 'T';
    p = two_digits(p, hour);
    *p++ = ':';
    p = two_digits(p, minute);
    *p++ = 'Z';
    w.field(key, std::string_view(buf.data(), static_cast<std::size_t>(p - buf.data())));
}

/// gpsd's "DDTHH:MMZ" observation time of the meteorological messages.
void write_day_time(JsonWriter& w, unsigned day, unsigned hour, unsigned minute) {
    std::array<char, 9> buf{};
    char* p = two_digits(buf.data(), day);
    *p++ = 'T';
    p = two_digits(p, hour);
    *p++ = ':';
    p = two_digits(p, minute);
    *p++ = 'Z';
    w.field("timestamp", std::string_view(buf.data(), static_cast<std::size_t>(p - buf.data())));
}

/// A 1/1,000-minute coordinate: degrees with 6 decimals (scaled) or the raw integer.
void write_milliminutes(JsonWriter& w, std::string_view key, std::int32_t raw, bool scaled) {
    if (scaled) {
        w.field_fixed(key, raw / milliminutes_per_degree, 6);
    } else {
        w.field(key, raw);
    }
}

/// A value in tenths (with an offset) as "%.1f" when scaled, else the raw integer.
void write_tenths(JsonWriter& w, std::string_view key, int raw, int offset, bool scaled) {
    if (scaled) {
        w.field_fixed(key, (raw - offset) / 10.0, 1);
    } else {
        w.field(key, raw);
    }
}

// --- type 6 applications ---

void write_app(JsonWriter& w, const DangerousCargoImo236& a, bool) {
    w.field("lastport", a.lastport.view());
    write_month_day_time(w, "departure", a.lmonth, a.lday, a.lhour, a.lminute);
    w.field("nextport", a.nextport.view());
    write_month_day_time(w, "eta", a.nmonth, a.nday, a.nhour, a.nminute);
    w.field("dangerous", a.dangerous.view());
    w.field("imdcat", a.imdcat.view());
    w.field("unid", a.unid);
    w.field("amount", a.amount);
    w.field("unit", a.unit);
}

void write_app(JsonWriter& w, const TidalWindow& a, bool scaled) {
    w.field("month", a.month);
    w.field("day", a.day);
    w.key("tidals");
    w.begin_array();
    // FI 14 positions are in 1/10,000 min (7 decimals, as message 1), FI 32 in 1/1,000 min.
    const double per_degree = 60.0 * a.units_per_minute();
    const int decimals = a.imo236 ? 7 : 6;
    for (std::size_t i = 0; i < a.count; ++i) {
        const TidalPoint& p = a.points[i];
        w.begin_object();
        if (scaled) {
            w.field_fixed("lon", p.lon_raw / per_degree, decimals);
            w.field_fixed("lat", p.lat_raw / per_degree, decimals);
        } else {
            w.field("lon", p.lon_raw);
            w.field("lat", p.lat_raw);
        }
        w.field("from_hour", p.from_hour);
        w.field("from_min", p.from_min);
        w.field("to_hour", p.to_hour);
        w.field("to_min", p.to_min);
        w.field("cdir", p.cdir);
        write_tenths(w, "cspeed", p.cspeed, 0, scaled);
        w.end_object();
    }
    w.end_array();
}

void write_app(JsonWriter& w, const ClearanceTime& a, bool scaled) {
    w.field("linkage", a.linkage);
    write_month_day_time(w, "arrival", a.month, a.day, a.hour, a.minute);
    w.field("portname", a.portname.view());
    w.field("destination", a.destination.view());
    write_milliminutes(w, "lon", a.lon_raw, scaled);
    write_milliminutes(w, "lat", a.lat_raw, scaled);
}

void write_app(JsonWriter& w, const TextDescription& a, bool) {
    w.field("linkage", a.linkage);
    w.field("text", a.text.view());
}

void write_app(JsonWriter& w, const InlandPersonsOnBoard& a, bool) {
    w.field("crew", a.crew);
    w.field("passengers", a.passengers);
    w.field("personnel", a.personnel);
}

/// gpsd prints a 0.05 V reading scaled only when it is not 0.
void write_volts(JsonWriter& w, std::string_view key, std::uint16_t raw, bool scaled) {
    if (scaled && raw != 0) {
        w.field_fixed(key, AtonMonitoring::volts(raw), 2);
    } else {
        w.field(key, raw);
    }
}

void write_app(JsonWriter& w, const AtonMonitoring& a, bool scaled) {
    w.field("off_pos", a.off_pos);
    w.field("alarm", a.alarm);
    w.field("stat_ext", a.stat_ext);
    write_volts(w, "ana_int", a.ana_int, scaled);
    write_volts(w, "ana_ext1", a.ana_ext1, scaled);
    write_volts(w, "ana_ext2", a.ana_ext2, scaled);
    w.field("racon", a.racon);
    w.field("racon_text", racon_status_text(a.racon));
    w.field("light", a.light);
    w.field("light_text", light_status_text(a.light));
}

// --- type 8 applications ---

/// Members common to the two meteorological messages after their position.
template <class Meteo> void write_wind(JsonWriter& w, const Meteo& a) {
    write_day_time(w, a.day, a.hour, a.minute);
    w.field("wspeed", a.wspeed);
    w.field("wgust", a.wgust);
    w.field("wdir", a.wdir);
    w.field("wgustdir", a.wgustdir);
    w.field("humidity", a.humidity);
}

/// Currents, waves, swell and sea state (identical members in FI 11 and FI 31).
template <class Meteo> void write_sea(JsonWriter& w, const Meteo& a, bool scaled) {
    write_tenths(w, "cspeed", a.cspeed_raw, 0, scaled);
    w.field("cdir", a.cdir);
    write_tenths(w, "cspeed2", a.cspeed2_raw, 0, scaled);
    w.field("cdir2", a.cdir2);
    w.field("cdepth2", a.cdepth2);
    write_tenths(w, "cspeed3", a.cspeed3_raw, 0, scaled);
    w.field("cdir3", a.cdir3);
    w.field("cdepth3", a.cdepth3);
    write_tenths(w, "waveheight", a.waveheight_raw, 0, scaled);
    w.field("waveperiod", a.waveperiod);
    w.field("wavedir", a.wavedir);
    write_tenths(w, "swellheight", a.swellheight_raw, 0, scaled);
    w.field("swellperiod", a.swellperiod);
    w.field("swelldir", a.swelldir);
    w.field("seastate", a.seastate);
}

/// A trend code: its label when scaled, else the number.
void write_trend(JsonWriter& w, std::string_view key, std::uint8_t code, bool scaled) {
    if (scaled) {
        w.field(key, meteo_trend_text(code));
    } else {
        w.field(key, code);
    }
}

void write_app(JsonWriter& w, const MeteoHydroImo236& a, bool scaled) {
    write_milliminutes(w, "lat", a.lat_raw, scaled);
    write_milliminutes(w, "lon", a.lon_raw, scaled);
    write_wind(w, a);
    write_tenths(w, "airtemp", a.airtemp_raw, 600, scaled);
    write_tenths(w, "dewpoint", a.dewpoint_raw, 200, scaled);
    w.field("pressure", scaled ? a.pressure_raw + 800 : a.pressure_raw);
    write_trend(w, "pressuretend", a.pressuretend, scaled);
    write_tenths(w, "visibility", a.visibility_raw, 0, scaled);
    write_tenths(w, "waterlevel", a.waterlevel_raw, 100, scaled);
    write_trend(w, "leveltrend", a.leveltrend, scaled);
    write_sea(w, a, scaled);
    write_tenths(w, "watertemp", a.watertemp_raw, 100, scaled);
    w.field("preciptype", a.preciptype);
    w.field("preciptype_text", precipitation_text(a.preciptype));
    write_tenths(w, "salinity", a.salinity_raw, 0, scaled);
    w.field("ice", a.ice);
    w.field("ice_text", ice_text(a.ice));
}

void write_app(JsonWriter& w, const MeteoHydroImo289& a, bool scaled) {
    write_milliminutes(w, "lat", a.lat_raw, scaled);
    write_milliminutes(w, "lon", a.lon_raw, scaled);
    w.field("accuracy", a.accuracy);
    write_wind(w, a);
    write_tenths(w, "airtemp", a.airtemp, 0, scaled);
    write_tenths(w, "dewpoint", a.dewpoint, 0, scaled);
    w.field("pressure", scaled ? a.pressure_raw + 799 : a.pressure_raw);
    write_trend(w, "pressuretend", a.pressuretend, scaled);
    w.field("visgreater", a.visgreater);
    write_tenths(w, "visibility", a.visibility_raw, 0, scaled);
    if (scaled) { // 0.01 m from −10 m
        w.field_fixed("waterlevel", (a.waterlevel_raw - 1000) / 100.0, 1);
    } else {
        w.field("waterlevel", a.waterlevel_raw);
    }
    write_trend(w, "leveltrend", a.leveltrend, scaled);
    write_sea(w, a, scaled);
    write_tenths(w, "watertemp", a.watertemp, 0, scaled);
    if (scaled) {
        w.field("preciptype", precipitation_text(a.preciptype));
    } else {
        w.field("preciptype", a.preciptype);
    }
    write_tenths(w, "salinity", a.salinity_raw, 0, scaled);
    if (scaled) {
        w.field("ice", ice_text(a.ice));
    } else {
        w.field("ice", a.ice);
    }
}

void write_app(JsonWriter& w, const InlandStaticVoyage& a, bool) {
    w.field("vin", a.vin.view());
    w.field("length", a.length);
    w.field("beam", a.beam);
    w.field("shiptype", a.shiptype);
    w.field("shiptype_text", eri_ship_type_text(a.shiptype));
    w.field("hazard", a.hazard);
    w.field("hazard_text", inland_hazard_text(a.hazard));
    w.field("draught", a.draught);
    w.field("loaded", a.loaded);
    w.field("loaded_text", inland_loaded_text(a.loaded));
    w.field("speed_q", a.speed_q);
    w.field("course_q", a.course_q);
    w.field("heading_q", a.heading_q);
}

// --- area notice (Sahil's members; gpsd prints only "data") ---

/// A distance field: × 10^scale metres when scaled, else the raw count.
void write_distance(JsonWriter& w, std::string_view key, unsigned raw, unsigned scale,
                    bool scaled) {
    static constexpr std::array<unsigned, 4> multiplier{1, 10, 100, 1000};
    w.field(key, scaled ? raw * multiplier[scale & 3U] : raw);
}

struct SubAreaWriter {
    JsonWriter& w;
    bool scaled;

    void position(std::uint8_t scale, std::uint8_t precision, std::int32_t lon,
                  std::int32_t lat) const {
        if (!scaled) {
            w.field("scale", scale);
        }
        write_milliminutes(w, "lon", lon, scaled);
        write_milliminutes(w, "lat", lat, scaled);
        w.field("precision", precision);
    }
    void operator()(const AreaCircle& c) const {
        position(c.scale, c.precision, c.lon_raw, c.lat_raw);
        write_distance(w, "radius", c.radius, c.scale, scaled);
    }
    void operator()(const AreaRectangle& r) const {
        position(r.scale, r.precision, r.lon_raw, r.lat_raw);
        write_distance(w, "e_dim", r.e_dim, r.scale, scaled);
        write_distance(w, "n_dim", r.n_dim, r.scale, scaled);
        w.field("orientation", r.orientation);
    }
    void operator()(const AreaSector& s) const {
        position(s.scale, s.precision, s.lon_raw, s.lat_raw);
        write_distance(w, "radius", s.radius, s.scale, scaled);
        w.field("left", s.left_bound);
        w.field("right", s.right_bound);
    }
    void operator()(const AreaPolyline& p) const {
        if (!scaled) {
            w.field("scale", p.scale);
        }
        w.key("points");
        w.begin_array();
        for (std::size_t i = 0; i < p.angle.size() && p.distance[i] != 0; ++i) {
            w.begin_object();
            if (scaled) {
                w.field_fixed("angle", p.angle[i] / 2.0, 1);
            } else {
                w.field("angle", p.angle[i]);
            }
            write_distance(w, "distance", p.distance[i], p.scale, scaled);
            w.end_object();
        }
        w.end_array();
    }
    void operator()(const AreaText& t) const { w.field("text", t.text.view()); }
    void operator()(const AreaReserved&) const {}
};

void write_app(JsonWriter& w, const AreaNotice& a, bool scaled) {
    w.field("linkage", a.linkage);
    w.field("notice", a.notice);
    w.field("notice_text", area_notice_text(a.notice));
    write_month_day_time(w, "start", a.month, a.day, a.hour, a.minute);
    w.field("duration", a.duration);
    w.key("subareas");
    w.begin_array();
    for (std::size_t i = 0; i < a.subarea_count; ++i) {
        const AreaSubArea& s = a.subareas[i];
        w.begin_object();
        const int shape = AreaNotice::shape(s);
        w.field("shape", shape);
        w.field("shape_text", area_shape_text(static_cast<unsigned>(shape)));
        std::visit(SubAreaWriter{w, scaled}, s);
        w.end_object();
    }
    w.end_array();
}

/// Members of a decoded application, or gpsd's raw "data" when there is none.
template <class Application>
void write_application(JsonWriter& w, const Application& app, const BinaryData& data, bool scaled) {
    std::visit(
        [&](const auto& a) {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, std::monostate>) {
                write_data(w, data);
            } else {
                if constexpr (std::is_same_v<A, AreaNotice>) {
                    write_data(w, data); // gpsd 3.27 does not decode the area notice
                }
                write_app(w, a, scaled);
            }
        },
        app);
}

void write_slot_header(JsonWriter& w, const SlotBinaryHeader& h) {
    w.field("addressed", h.addressed);
    w.field("structured", h.structured);
    w.field("dest_mmsi", h.dest_mmsi);
    w.field("app_id", h.app_id);
}

} // namespace

void write_fields(JsonWriter& w, const AddressedBinary& m, bool scaled) {
    w.field("seqno", m.seqno);
    w.field("dest_mmsi", m.dest_mmsi);
    w.field("retransmit", m.retransmit);
    w.field("dac", m.dac);
    w.field("fid", m.fi);
    write_application(w, m.application, m.data, scaled);
}

void write_fields(JsonWriter& w, const BroadcastBinary& m, bool scaled) {
    w.field("dac", m.dac);
    w.field("fid", m.fi);
    write_application(w, m.application, m.data, scaled);
}

void write_fields(JsonWriter& w, const SingleSlotBinary& m, bool) {
    write_slot_header(w, m);
    write_data(w, m.data);
}

void write_fields(JsonWriter& w, const MultiSlotBinary& m, bool) {
    write_slot_header(w, m);
    // gpsd's hex dump shows, in the unused low bits of the last data byte, the bits that
    // follow the data in the payload: the start of the communication state.
    const unsigned unused = (8U - m.data.bit_count % 8U) % 8U;
    write_data(w, m.data, static_cast<std::uint8_t>(m.radio >> (20U - unused)));
    w.field("radio", m.radio);
}

} // namespace sahil::ais::detail
