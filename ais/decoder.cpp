#include "ais/decoder.hpp"

#include <cmath>

#include "ais/detail/decode_common.hpp"

namespace sahil::ais {
namespace {

using detail::BitReader;
using detail::Lengths;

/// Length checks of detail::finish() as a DecodeStatus.
DecodeStatus status(const BitReader& r, Lengths len) noexcept {
    if (r.bit_length() < len.minimum) {
        return {errc::too_short, false, r.bit_length()};
    }
    return {errc::ok, r.bit_length() != len.nominal, r.bit_length()};
}

/// Runs a detail:: decoder that returns a DecodeResult and moves its message into `out`.
DecodeStatus adopt(DecodeResult&& res, AisMessage& out) noexcept {
    if (res.error == errc::ok) {
        out = std::move(res.message);
    }
    return {res.error, res.length_mismatch, res.bit_length};
}

constexpr Lengths class_a_len{168, 149};       // radio state (149..167) may be cut short
constexpr Lengths static_voyage_len{424, 422}; // dte at 422, spare at 423
constexpr Lengths class_b_len{168, 148};       // radio state (148..167) may be cut short
constexpr Lengths class_b_ext_len{312, 308};   // spare 308..311
constexpr Lengths static_a_len{168, 160};      // part A: 160 bits in M.1371-3, 168 later
constexpr Lengths static_b_len{168, 162};      // spare 162..167

void read_position(const BitReader& r, int at, PositionFields& p) {
    // `at` is the bit where SOG starts: 50 for types 1-3, 46 for types 18/19.
    p.sog_raw = static_cast<std::uint16_t>(r.u(at, 10));
    p.accuracy = r.b(at + 10);
    p.lon_raw = r.s(at + 11, 28);
    p.lat_raw = r.s(at + 39, 27);
    p.cog_raw = static_cast<std::uint16_t>(r.u(at + 66, 12));
    p.heading_raw = static_cast<std::uint16_t>(r.u(at + 78, 9));
    p.second = static_cast<std::uint8_t>(r.u(at + 87, 6));
}

/// Dimensions to bow, stern, port, starboard (9, 9, 6, 6 bits from `at`; M.1371-5 Fig. 42),
/// shared by types 5, 19 and 24 part B.
template <class Msg> void read_dimensions(const BitReader& r, int at, Msg& m) {
    m.to_bow = static_cast<std::uint16_t>(r.u(at, 9));
    m.to_stern = static_cast<std::uint16_t>(r.u(at + 9, 9));
    m.to_port = static_cast<std::uint8_t>(r.u(at + 18, 6));
    m.to_starboard = static_cast<std::uint8_t>(r.u(at + 24, 6));
}

DecodeStatus decode_class_a(const BitReader& r, int type, AisMessage& out) {
    auto& m = out.emplace<PositionReport>();
    m.type = static_cast<std::uint8_t>(type);
    m.repeat = static_cast<std::uint8_t>(r.u(6, 2));
    m.mmsi = r.u(8, 30);
    m.nav_status = static_cast<std::uint8_t>(r.u(38, 4));
    m.rot_raw = static_cast<std::int8_t>(r.s(42, 8));
    read_position(r, 50, m);
    m.maneuver = static_cast<std::uint8_t>(r.u(143, 2));
    m.raim = r.b(148);
    m.radio = r.u(149, 19);
    return status(r, class_a_len);
}

DecodeStatus decode_static_voyage(const BitReader& r, AisMessage& out) {
    auto& m = out.emplace<StaticVoyageData>();
    m.repeat = static_cast<std::uint8_t>(r.u(6, 2));
    m.mmsi = r.u(8, 30);
    m.ais_version = static_cast<std::uint8_t>(r.u(38, 2));
    m.imo = r.u(40, 30);
    r.text(70, 7, m.callsign);
    r.text(112, 20, m.shipname);
    m.shiptype = static_cast<std::uint8_t>(r.u(232, 8));
    read_dimensions(r, 240, m);
    m.epfd = static_cast<std::uint8_t>(r.u(270, 4));
    m.eta_month = static_cast<std::uint8_t>(r.u(274, 4));
    m.eta_day = static_cast<std::uint8_t>(r.u(278, 5));
    m.eta_hour = static_cast<std::uint8_t>(r.u(283, 5));
    m.eta_minute = static_cast<std::uint8_t>(r.u(288, 6));
    m.draught_raw = static_cast<std::uint8_t>(r.u(294, 8));
    r.text(302, 20, m.destination);
    m.dte = r.b(422);
    return status(r, static_voyage_len);
}

/// Header and position common to types 18 and 19 (M.1371-5 Tables 70 and 71, bits 0..138).
template <class Msg> void read_class_b_head(const BitReader& r, Msg& m) {
    m.repeat = static_cast<std::uint8_t>(r.u(6, 2));
    m.mmsi = r.u(8, 30);
    m.reserved = static_cast<std::uint8_t>(r.u(38, 8));
    read_position(r, 46, m);
}

DecodeStatus decode_class_b(const BitReader& r, AisMessage& out) {
    auto& m = out.emplace<ClassBPositionReport>();
    read_class_b_head(r, m);
    m.regional = static_cast<std::uint8_t>(r.u(139, 2));
    m.cs = r.b(141);
    m.display = r.b(142);
    m.dsc = r.b(143);
    m.band = r.b(144);
    m.msg22 = r.b(145);
    m.assigned = r.b(146);
    m.raim = r.b(147);
    m.radio = r.u(148, 20);
    return status(r, class_b_len);
}

DecodeStatus decode_class_b_extended(const BitReader& r, AisMessage& out) {
    auto& m = out.emplace<ClassBExtendedReport>();
    read_class_b_head(r, m);
    m.regional = static_cast<std::uint8_t>(r.u(139, 4));
    r.text(143, 20, m.shipname);
    m.shiptype = static_cast<std::uint8_t>(r.u(263, 8));
    read_dimensions(r, 271, m);
    m.epfd = static_cast<std::uint8_t>(r.u(301, 4));
    m.raim = r.b(305);
    m.dte = r.b(306);
    m.assigned = r.b(307);
    return status(r, class_b_ext_len);
}

DecodeStatus decode_static_data(const BitReader& r, AisMessage& out) {
    auto& m = out.emplace<StaticDataReport>();
    m.repeat = static_cast<std::uint8_t>(r.u(6, 2));
    m.mmsi = r.u(8, 30);
    m.part = static_cast<std::uint8_t>(r.u(38, 2));
    if (m.part > 1) {
        return {errc::bad_part_number, false, r.bit_length()};
    }
    if (m.part == 0) {
        r.text(40, 20, m.shipname);
        return status(r, static_a_len);
    }
    m.shiptype = static_cast<std::uint8_t>(r.u(40, 8));
    r.text(48, 7, m.vendorid);
    m.model = static_cast<std::uint8_t>(r.u(66, 4));
    m.serial = r.u(70, 20);
    r.text(90, 7, m.callsign);
    if (m.is_auxiliary()) {
        m.mothership_mmsi = r.u(132, 30);
    } else {
        read_dimensions(r, 132, m);
    }
    return status(r, static_b_len);
}

} // namespace

int peek_message_type(std::string_view payload) noexcept {
    if (payload.empty()) {
        return -1;
    }
    return detail::armour_value(payload.front());
}

DecodeStatus decode_into(std::string_view payload, int fill_bits, AisMessage& out) {
    DecodeStatus res;
    if (payload.empty()) {
        res.error = errc::empty_payload;
        return res;
    }
    if (fill_bits < 0 || fill_bits > 5) {
        res.error = errc::bad_fill_bits;
        return res;
    }
    errc armour = errc::ok;
    const BitReader r(payload, fill_bits, armour);
    if (armour != errc::ok) {
        res.error = armour;
        return res;
    }
    if (r.bit_length() < 38) { // type, repeat indicator and MMSI
        return {errc::too_short, false, r.bit_length()};
    }
    const int type = static_cast<int>(r.u(0, 6));
    switch (type) {
    case 1:
    case 2:
    case 3:
        return decode_class_a(r, type, out);
    case 4:
    case 11:
        return adopt(detail::decode_base_station(r, type), out);
    case 5:
        return decode_static_voyage(r, out);
    case 6:
        return adopt(detail::decode_addressed_binary(r), out);
    case 7:
    case 13:
        return adopt(detail::decode_binary_ack(r, type), out);
    case 8:
        return adopt(detail::decode_broadcast_binary(r), out);
    case 9:
        return adopt(detail::decode_sar_aircraft(r), out);
    case 10:
        return adopt(detail::decode_utc_inquiry(r), out);
    case 12:
        return adopt(detail::decode_addressed_safety(r), out);
    case 14:
        return adopt(detail::decode_safety_broadcast(r), out);
    case 15:
        return adopt(detail::decode_interrogation(r), out);
    case 16:
        return adopt(detail::decode_assignment(r), out);
    case 17:
        return adopt(detail::decode_dgnss(r), out);
    case 18:
        return decode_class_b(r, out);
    case 19:
        return decode_class_b_extended(r, out);
    case 20:
        return adopt(detail::decode_data_link_management(r), out);
    case 21:
        return adopt(detail::decode_aid_to_navigation(r), out);
    case 22:
        return adopt(detail::decode_channel_management(r), out);
    case 23:
        return adopt(detail::decode_group_assignment(r), out);
    case 24:
        return decode_static_data(r, out);
    case 25:
        return adopt(detail::decode_single_slot_binary(r), out);
    case 26:
        return adopt(detail::decode_multi_slot_binary(r), out);
    case 27:
        return adopt(detail::decode_long_range(r), out);
    default: // 0 and 28..63
        return {errc::unknown_type, false, r.bit_length()};
    }
}

DecodeResult decode(std::string_view payload, int fill_bits) {
    DecodeResult res;
    const DecodeStatus st = decode_into(payload, fill_bits, res.message);
    res.error = st.error;
    res.length_mismatch = st.length_mismatch;
    res.bit_length = st.bit_length;
    return res;
}

std::string sixbit_text_from_payload(std::string_view payload, int start_bit, int chars) {
    errc armour = errc::ok;
    const BitReader r(payload, 0, armour);
    if (armour != errc::ok) {
        return {};
    }
    FixedText<detail::max_payload_chars> text;
    r.text(start_bit, chars, text);
    return text.str();
}

// --- scaled accessors (M.1371-5 Table 47 / 70) ---

std::optional<double> PositionFields::lat_deg() const {
    if (lat_raw == 54'600'000 || lat_raw < -54'000'000 || lat_raw > 54'000'000) {
        return std::nullopt;
    }
    return lat_raw / 600'000.0;
}

std::optional<double> PositionFields::lon_deg() const {
    if (lon_raw == 108'600'000 || lon_raw < -108'000'000 || lon_raw > 108'000'000) {
        return std::nullopt;
    }
    return lon_raw / 600'000.0;
}

std::optional<double> PositionFields::sog_knots() const {
    if (sog_raw >= 1023) {
        return std::nullopt;
    }
    return sog_raw / 10.0;
}

std::optional<double> PositionFields::cog_deg() const {
    if (cog_raw >= 3600) {
        return std::nullopt;
    }
    return cog_raw / 10.0;
}

std::optional<double> PositionFields::heading_deg() const {
    if (heading_raw >= 360) {
        return std::nullopt;
    }
    return static_cast<double>(heading_raw);
}

std::optional<int> PositionFields::utc_second() const {
    if (second >= 60) {
        return std::nullopt;
    }
    return second;
}

std::optional<double> PositionReport::rot_deg_per_min() const {
    if (rot_raw == -128 || rot_raw == 127 || rot_raw == -127) {
        return std::nullopt;
    }
    const double rate = (rot_raw / 4.733) * (rot_raw / 4.733);
    return rot_raw < 0 ? -rate : rate;
}

int message_type(const AisMessage& m) noexcept {
    return std::visit(
        [](const auto& msg) -> int {
            using T = std::decay_t<decltype(msg)>;
            if constexpr (requires { T::type_number; }) {
                return T::type_number;
            } else {
                return msg.type;
            }
        },
        m);
}

std::uint32_t message_mmsi(const AisMessage& m) noexcept {
    return std::visit([](const auto& msg) { return msg.mmsi; }, m);
}

} // namespace sahil::ais
