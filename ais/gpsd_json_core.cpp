// gpsd AIS JSON members of types 1, 2, 3, 5, 18, 19 and 24 (see ais/gpsd_json.hpp), in gpsd
// 3.27's order and formats: scaled positions with 7 decimals (1/10,000 min resolution), speed
// and course with 1, rate of turn as a quoted string with 2 decimals or "fastleft"/"fastright"/
// "n/a", not-available speed of types 1-3 as "n/a".
#include <array>
#include <charconv>
#include <cstddef>
#include <string_view>

#include "ais/detail/gpsd_json_fields.hpp"
#include "ais/detail/gpsd_json_util.hpp"
#include "ais/labels.hpp"

namespace sahil::ais::detail {
namespace {

/// Raw 1/10,000 minute coordinate -> degrees, printed by gpsd with 7 decimals.
constexpr int fine_decimals = 7;

/// ROT_AIS special values (M.1371-5: ±127 = turning faster than 5°/30 s without rate
/// indicator, −128 = no turn information) and the ROT_AIS = 4.733 √ROT_sensor constant.
constexpr int rot_not_available = -128;
constexpr int rot_fast_left = -127;
constexpr int rot_fast_right = 127;
constexpr double rot_factor = 4.733;

/// SOG special values of types 1-3 in 0.1 kn.
constexpr unsigned sog_not_available = 1023;
constexpr unsigned sog_fast = 1022;

void write_position(JsonWriter& w, const PositionFields& p, bool scaled) {
    if (scaled) {
        w.field_ratio("lon", p.lon_raw, 600'000, fine_decimals);
        w.field_ratio("lat", p.lat_raw, 600'000, fine_decimals);
        w.field_ratio("course", p.cog_raw, 10, 1);
    } else {
        w.field("lon", p.lon_raw);
        w.field("lat", p.lat_raw);
        w.field("course", p.cog_raw);
    }
}

void write_turn(JsonWriter& w, std::int8_t rot_raw) {
    w.key("turn");
    switch (rot_raw) {
    case rot_not_available:
        w.value("n/a");
        break;
    case rot_fast_left:
        w.value("fastleft");
        break;
    case rot_fast_right:
        w.value("fastright");
        break;
    default: {
        // (ROT_AIS / 4.733)² degrees per minute, with the sign of ROT_AIS.
        const double rate = rot_raw / rot_factor;
        w.string_fixed(rot_raw < 0 ? -(rate * rate) : rate * rate, 2);
        break;
    }
    }
}

} // namespace

void write_fields(JsonWriter& w, const PositionReport& m, bool scaled) {
    w.field("status", m.nav_status);
    w.field("status_text", nav_status_text(m.nav_status));
    if (scaled) {
        write_turn(w, m.rot_raw);
        w.key("speed");
        if (m.sog_raw == sog_not_available) {
            w.value("n/a");
        } else if (m.sog_raw == sog_fast) {
            w.value("fast");
        } else {
            w.value_ratio(m.sog_raw, 10, 1);
        }
    } else {
        w.field("turn", m.rot_raw);
        w.field("speed", m.sog_raw);
    }
    w.field("accuracy", m.accuracy);
    write_position(w, m, scaled);
    w.field("heading", m.heading_raw);
    w.field("second", m.second);
    w.field("maneuver", m.maneuver);
    w.field("raim", m.raim);
    w.field("radio", m.radio);
}

void write_fields(JsonWriter& w, const StaticVoyageData& m, bool scaled) {
    w.field("imo", m.imo);
    w.field("ais_version", m.ais_version);
    w.field("callsign", m.callsign.view());
    w.field("shipname", m.shipname.view());
    w.field("shiptype", m.shiptype);
    w.field("shiptype_text", ship_type_text(m.shiptype));
    write_dimensions(w, m);
    w.field("epfd", m.epfd);
    w.field("epfd_text", epfd_text(m.epfd));
    // ETA as an ISO 8601 partial date "MM-DDThh:mmZ", raw values (n/a included) in both modes.
    ShortText<32> eta;
    eta.number(m.eta_month, 2).put('-').number(m.eta_day, 2).put('T');
    eta.number(m.eta_hour, 2).put(':').number(m.eta_minute, 2).put('Z');
    w.field("eta", eta.view());
    if (scaled) {
        w.field_ratio("draught", m.draught_raw, 10, 1);
    } else {
        w.field("draught", m.draught_raw);
    }
    w.field("destination", m.destination.view());
    w.field("dte", static_cast<unsigned>(m.dte));
}

void write_fields(JsonWriter& w, const ClassBPositionReport& m, bool scaled) {
    w.field("reserved", m.reserved);
    if (scaled) {
        w.field_ratio("speed", m.sog_raw, 10, 1);
    } else {
        w.field("speed", m.sog_raw);
    }
    w.field("accuracy", m.accuracy);
    write_position(w, m, scaled);
    w.field("heading", m.heading_raw);
    w.field("second", m.second);
    w.field("regional", m.regional);
    w.field("cs", m.cs);
    w.field("display", m.display);
    w.field("dsc", m.dsc);
    w.field("band", m.band);
    w.field("msg22", m.msg22);
    w.field("raim", m.raim);
    w.field("radio", m.radio);
}

void write_fields(JsonWriter& w, const ClassBExtendedReport& m, bool scaled) {
    w.field("reserved", m.reserved);
    if (scaled) {
        w.field_ratio("speed", m.sog_raw, 10, 1);
    } else {
        w.field("speed", m.sog_raw);
    }
    w.field("accuracy", m.accuracy);
    write_position(w, m, scaled);
    w.field("heading", m.heading_raw);
    w.field("second", m.second);
    w.field("regional", m.regional);
    w.field("shipname", m.shipname.view());
    w.field("shiptype", m.shiptype);
    w.field("shiptype_text", ship_type_text(m.shiptype));
    write_dimensions(w, m);
    w.field("epfd", m.epfd);
    w.field("epfd_text", epfd_text(m.epfd));
    w.field("raim", m.raim);
    w.field("dte", static_cast<unsigned>(m.dte));
    w.field("assigned", m.assigned);
}

void write_fields(JsonWriter& w, const StaticDataReport& m, bool /*scaled: nothing to scale*/) {
    if (m.part == 0) {
        w.field("part", "A");
        w.field("shipname", m.shipname.view());
        return;
    }
    w.field("part", "B");
    w.field("shiptype", m.shiptype);
    w.field("shiptype_text", ship_type_text(m.shiptype));
    w.field("vendorid", m.vendorid.view());
    w.field("model", m.model);
    w.field("serial", m.serial);
    w.field("callsign", m.callsign.view());
    if (m.is_auxiliary()) {
        w.field("mothership_mmsi", m.mothership_mmsi);
    } else {
        write_dimensions(w, m);
    }
}

} // namespace sahil::ais::detail
