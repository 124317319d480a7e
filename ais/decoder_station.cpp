// Decoders of types 4/11, 7/13, 9, 10, 12, 14, 15, 16, 17, 20, 21, 22, 23 and 27 (ITU-R M.1371-5
// Annex 8), and the scaled accessors of their structs.
//
// Length policy, as gpsd 3.27: below the length gpsd requires -> errc::too_short; above the
// longest length gpsd accepts for the type -> errc::too_long_for_type; otherwise decoded, with
// length_mismatch when the length is not one the standard defines for the type. A field cut
// short by the payload end reads its missing low-order bits as 0, as gpsd does.
#include <chrono>

#include "ais/detail/decode_common.hpp"

namespace sahil::ais::detail {
namespace {

// 1/10,000 minute (types 4, 9, 21) and 1/10 minute (types 17, 22, 23, 27) per degree.
constexpr double fine_per_degree = 600'000.0;
constexpr double coarse_per_degree = 600.0;

// Fixed-length types: gpsd requires the whole nominal length (trailing radio state and spare
// bits included), so the minimum is the nominal length.
constexpr Lengths base_station_len{168, 168};
constexpr Lengths sar_aircraft_len{168, 168};
constexpr Lengths utc_inquiry_len{72, 72};
constexpr Lengths channel_management_len{168, 168};
constexpr Lengths group_assignment_len{160, 160};

/// Unsigned field whose bits past the payload end read as 0 (a cut field keeps its high-order
/// bits, as gpsd reads it).
std::uint32_t padded_u(const BitReader& r, int start, int width) noexcept {
    const int avail = r.bit_length() - start;
    if (avail >= width) {
        return r.u(start, width);
    }
    if (avail <= 0) {
        return 0;
    }
    return r.u(start, avail) << static_cast<unsigned>(width - avail);
}

/// errc::too_short below `minimum` bits, errc::too_long_for_type above `maximum`, else ok.
errc check_length(const BitReader& r, int minimum, int maximum) noexcept {
    if (r.bit_length() < minimum) {
        return errc::too_short;
    }
    if (r.bit_length() > maximum) {
        return errc::too_long_for_type;
    }
    return errc::ok;
}

DecodeResult rejected(const BitReader& r, errc e) {
    DecodeResult res;
    res.error = e;
    res.bit_length = r.bit_length();
    return res;
}

/// A decoded message; `mismatch` when its length is not one the standard defines.
template <class Msg> DecodeResult accepted(const BitReader& r, Msg&& m, bool mismatch) {
    DecodeResult res;
    res.message = std::forward<Msg>(m);
    res.bit_length = r.bit_length();
    res.length_mismatch = mismatch;
    return res;
}

/// A decoded fixed-length message completed by finish(): errc::too_short below
/// `len.minimum`, length_mismatch when not `len.nominal` (longer ones are decoded from their
/// first bits, as gpsd does).
template <class Msg> DecodeResult finish_message(const BitReader& r, Msg&& m, Lengths len) {
    DecodeResult res;
    res.message = std::forward<Msg>(m);
    return finish(std::move(res), r, len);
}

/// True when the length is one of `lengths`.
template <std::size_t N> bool one_of(const BitReader& r, const int (&lengths)[N]) noexcept {
    for (const int n : lengths) {
        if (r.bit_length() == n) {
            return true;
        }
    }
    return false;
}

/// Up to `chars` 6-bit characters from `start` appended to `out`, stopping at '@' (code 0,
/// "no more characters") and at the payload end; trailing blanks are kept.
template <std::size_t N>
void append_sixbit(const BitReader& r, int start, int chars, FixedText<N>& out) noexcept {
    for (int i = 0; i < chars && out.size() < N; ++i) {
        const int at = start + 6 * i;
        if (at + 6 > r.bit_length()) {
            break;
        }
        const std::uint32_t code = r.u(at, 6);
        if (code == 0) {
            break;
        }
        out.push_back(sixbit_char(code));
    }
}

template <std::size_t N> void trim_trailing_blanks(FixedText<N>& t) noexcept {
    while (!t.empty() && t.back() == ' ') {
        t.pop_back();
    }
}

/// Text from `start` to the end of the payload (types 12 and 14).
template <std::size_t N> void read_text_to_end(const BitReader& r, int start, FixedText<N>& out) {
    const int chars = (r.bit_length() - start) / 6;
    r.text(start, chars, out);
}

std::optional<double> scaled(std::int32_t raw, std::int32_t limit, double per_degree) {
    if (raw < -limit || raw > limit) {
        return std::nullopt; // includes the not-available value (91° / 181°)
    }
    return raw / per_degree;
}

std::optional<double> fine_lat(std::int32_t raw) {
    return scaled(raw, 54'000'000, fine_per_degree);
}
std::optional<double> fine_lon(std::int32_t raw) {
    return scaled(raw, 108'000'000, fine_per_degree);
}
std::optional<double> coarse_lat(std::int32_t raw) {
    return scaled(raw, 54'000, coarse_per_degree);
}
std::optional<double> coarse_lon(std::int32_t raw) {
    return scaled(raw, 108'000, coarse_per_degree);
}

std::optional<int> second_of(std::uint8_t second) {
    if (second >= 60) {
        return std::nullopt;
    }
    return second;
}

template <class Msg> void read_dimensions(const BitReader& r, int at, Msg& m) {
    m.to_bow = static_cast<std::uint16_t>(r.u(at, 9));
    m.to_stern = static_cast<std::uint16_t>(r.u(at + 9, 9));
    m.to_port = static_cast<std::uint8_t>(r.u(at + 18, 6));
    m.to_starboard = static_cast<std::uint8_t>(r.u(at + 24, 6));
}

/// NE and SW corners in 1/10 min from `at` (lon 18, lat 17, lon 18, lat 17 bits).
void read_corners(const BitReader& r, int at, RegionCorners& c) {
    c.ne_lon_raw = r.s(at, 18);
    c.ne_lat_raw = r.s(at + 18, 17);
    c.sw_lon_raw = r.s(at + 35, 18);
    c.sw_lat_raw = r.s(at + 53, 17);
}

} // namespace

DecodeResult decode_base_station(const BitReader& r, int type) {
    BaseStationReport m;
    m.type = static_cast<std::uint8_t>(type);
    read_header(r, m);
    m.year = static_cast<std::uint16_t>(r.u(38, 14));
    m.month = static_cast<std::uint8_t>(r.u(52, 4));
    m.day = static_cast<std::uint8_t>(r.u(56, 5));
    m.hour = static_cast<std::uint8_t>(r.u(61, 5));
    m.minute = static_cast<std::uint8_t>(r.u(66, 6));
    m.second = static_cast<std::uint8_t>(r.u(72, 6));
    m.accuracy = r.b(78);
    m.lon_raw = r.s(79, 28);
    m.lat_raw = r.s(107, 27);
    m.epfd = static_cast<std::uint8_t>(r.u(134, 4));
    m.raim = r.b(148);
    m.radio = r.u(149, 19);
    return finish_message(r, std::move(m), base_station_len);
}

DecodeResult decode_binary_ack(const BitReader& r, int type) {
    if (const errc e = check_length(r, 72, 168); e != errc::ok) {
        return rejected(r, e);
    }
    BinaryAcknowledge m;
    m.type = static_cast<std::uint8_t>(type);
    read_header(r, m);
    for (int i = 0; i < 4; ++i) {
        const int at = 40 + 32 * i;
        if (at >= r.bit_length()) {
            break;
        }
        auto& ack = m.acks[static_cast<std::size_t>(i)];
        ack.mmsi = padded_u(r, at, 30);
        ack.seqno = static_cast<std::uint8_t>(padded_u(r, at + 30, 2));
        m.ack_count = static_cast<std::uint8_t>(i + 1);
    }
    return accepted(r, std::move(m), !one_of(r, {72, 104, 136, 168}));
}

DecodeResult decode_sar_aircraft(const BitReader& r) {
    SarAircraftReport m;
    read_header(r, m);
    m.altitude_raw = static_cast<std::uint16_t>(r.u(38, 12));
    m.sog_raw = static_cast<std::uint16_t>(r.u(50, 10));
    m.accuracy = r.b(60);
    m.lon_raw = r.s(61, 28);
    m.lat_raw = r.s(89, 27);
    m.cog_raw = static_cast<std::uint16_t>(r.u(116, 12));
    m.second = static_cast<std::uint8_t>(r.u(128, 6));
    m.regional = static_cast<std::uint8_t>(r.u(134, 8));
    m.dte = r.b(142);
    m.assigned = r.b(146);
    m.raim = r.b(147);
    m.radio = r.u(148, 20);
    return finish_message(r, std::move(m), sar_aircraft_len);
}

DecodeResult decode_utc_inquiry(const BitReader& r) {
    UtcInquiry m;
    read_header(r, m);
    m.dest_mmsi = r.u(40, 30);
    return finish_message(r, std::move(m), utc_inquiry_len);
}

DecodeResult decode_addressed_safety(const BitReader& r) {
    if (const errc e = check_length(r, 72, 1008); e != errc::ok) {
        return rejected(r, e);
    }
    AddressedSafety m;
    read_header(r, m);
    m.seqno = static_cast<std::uint8_t>(r.u(38, 2));
    m.dest_mmsi = r.u(40, 30);
    m.retransmit = r.b(70);
    read_text_to_end(r, 72, m.text);
    return accepted(r, std::move(m), false);
}

DecodeResult decode_safety_broadcast(const BitReader& r) {
    if (const errc e = check_length(r, 40, 1008); e != errc::ok) {
        return rejected(r, e);
    }
    SafetyBroadcast m;
    read_header(r, m);
    read_text_to_end(r, 40, m.text);
    return accepted(r, std::move(m), false);
}

DecodeResult decode_interrogation(const BitReader& r) {
    if (const errc e = check_length(r, 88, 168); e != errc::ok) {
        return rejected(r, e);
    }
    Interrogation m;
    read_header(r, m);
    m.mmsi1 = r.u(40, 30);
    m.type1_1 = static_cast<std::uint8_t>(r.u(70, 6));
    m.offset1_1 = static_cast<std::uint16_t>(r.u(76, 12));
    // gpsd reads the second request from 91 bits on and the second station from 111 on.
    if (r.bit_length() > 90) {
        m.type1_2 = static_cast<std::uint8_t>(padded_u(r, 90, 6));
        m.offset1_2 = static_cast<std::uint16_t>(padded_u(r, 96, 12));
        if (r.bit_length() > 110) {
            m.mmsi2 = padded_u(r, 110, 30);
            m.type2_1 = static_cast<std::uint8_t>(padded_u(r, 140, 6));
            m.offset2_1 = static_cast<std::uint16_t>(padded_u(r, 146, 12));
        }
    }
    return accepted(r, std::move(m), !one_of(r, {88, 112, 160}));
}

DecodeResult decode_assignment(const BitReader& r) {
    if (const errc e = check_length(r, 96, 168); e != errc::ok) {
        return rejected(r, e);
    }
    AssignmentCommand m;
    read_header(r, m);
    m.mmsi1 = r.u(40, 30);
    m.offset1 = static_cast<std::uint16_t>(r.u(70, 12));
    m.increment1 = static_cast<std::uint16_t>(r.u(82, 10));
    if (r.bit_length() >= 144) {
        m.mmsi2 = r.u(92, 30);
        m.offset2 = static_cast<std::uint16_t>(r.u(122, 12));
        m.increment2 = static_cast<std::uint16_t>(r.u(134, 10));
    }
    return accepted(r, std::move(m), !one_of(r, {96, 144}));
}

DecodeResult decode_dgnss(const BitReader& r) {
    if (const errc e = check_length(r, 80, 80 + DgnssBroadcast::max_data_bits); e != errc::ok) {
        return rejected(r, e);
    }
    DgnssBroadcast m;
    read_header(r, m);
    m.lon_raw = r.s(40, 18);
    m.lat_raw = r.s(58, 17);
    m.data_bits = static_cast<std::uint16_t>(r.bit_length() - 80);
    r.copy_bits(80, m.data_bits, m.data.data());
    return accepted(r, std::move(m), false);
}

DecodeResult decode_data_link_management(const BitReader& r) {
    if (const errc e = check_length(r, 72, 186); e != errc::ok) {
        return rejected(r, e);
    }
    DataLinkManagement m;
    read_header(r, m);
    for (int i = 0; i < 4; ++i) {
        const int at = 40 + 30 * i;
        if (at >= r.bit_length()) {
            break;
        }
        auto& slot = m.reservations[static_cast<std::size_t>(i)];
        slot.offset = static_cast<std::uint16_t>(padded_u(r, at, 12));
        slot.number = static_cast<std::uint8_t>(padded_u(r, at + 12, 4));
        slot.timeout = static_cast<std::uint8_t>(padded_u(r, at + 16, 3));
        slot.increment = static_cast<std::uint16_t>(padded_u(r, at + 19, 11));
        m.reservation_count = static_cast<std::uint8_t>(i + 1);
    }
    return accepted(r, std::move(m), !one_of(r, {72, 104, 136, 160}));
}

DecodeResult decode_aid_to_navigation(const BitReader& r) {
    if (const errc e = check_length(r, 272, 368); e != errc::ok) {
        return rejected(r, e);
    }
    AidToNavigationReport m;
    read_header(r, m);
    m.aid_type = static_cast<std::uint8_t>(r.u(38, 5));
    append_sixbit(r, 43, 20, m.name);
    m.accuracy = r.b(163);
    m.lon_raw = r.s(164, 28);
    m.lat_raw = r.s(192, 27);
    read_dimensions(r, 219, m);
    m.epfd = static_cast<std::uint8_t>(r.u(249, 4));
    m.second = static_cast<std::uint8_t>(r.u(253, 6));
    m.off_position = r.b(259);
    m.regional = static_cast<std::uint8_t>(r.u(260, 8));
    m.raim = r.b(268);
    m.virtual_aid = r.b(269);
    m.assigned = r.b(270);
    // The name extension (bits 272.., up to 14 characters) continues a name that uses all 20
    // characters of the name field (M.1371-5 Table 73); a shorter name ends before it.
    if (m.name.size() == 20) {
        append_sixbit(r, 272, (r.bit_length() - 272) / 6, m.name);
    }
    trim_trailing_blanks(m.name);
    return accepted(r, std::move(m), r.bit_length() > 360);
}

DecodeResult decode_channel_management(const BitReader& r) {
    ChannelManagement m;
    read_header(r, m);
    m.channel_a = static_cast<std::uint16_t>(r.u(40, 12));
    m.channel_b = static_cast<std::uint16_t>(r.u(52, 12));
    m.txrx = static_cast<std::uint8_t>(r.u(64, 4));
    m.power = r.b(68);
    m.addressed = r.b(139);
    if (m.addressed) {
        m.dest1 = r.u(69, 30);
        m.dest2 = r.u(104, 30);
    } else {
        read_corners(r, 69, m.area);
    }
    m.band_a = r.b(140);
    m.band_b = r.b(141);
    m.zonesize = static_cast<std::uint8_t>(r.u(142, 3));
    return finish_message(r, std::move(m), channel_management_len);
}

DecodeResult decode_group_assignment(const BitReader& r) {
    GroupAssignment m;
    read_header(r, m);
    read_corners(r, 40, m.area);
    m.stationtype = static_cast<std::uint8_t>(r.u(110, 4));
    m.shiptype = static_cast<std::uint8_t>(r.u(114, 8));
    m.txrx = static_cast<std::uint8_t>(r.u(144, 2));
    m.interval = static_cast<std::uint8_t>(r.u(146, 4));
    m.quiet = static_cast<std::uint8_t>(r.u(150, 4));
    return finish_message(r, std::move(m), group_assignment_len);
}

DecodeResult decode_long_range(const BitReader& r) {
    if (r.bit_length() < 96) {
        return rejected(r, errc::too_short);
    }
    // 96 bits by the standard; a full 168-bit slot is an implementation error seen in the wild
    // that gpsd accepts. Anything else is not a type 27.
    if (r.bit_length() != 96 && r.bit_length() != 168) {
        return rejected(r, errc::too_long_for_type);
    }
    LongRangePositionReport m;
    read_header(r, m);
    m.accuracy = r.b(38);
    m.raim = r.b(39);
    m.nav_status = static_cast<std::uint8_t>(r.u(40, 4));
    m.lon_raw = r.s(44, 18);
    m.lat_raw = r.s(62, 17);
    m.sog_raw = static_cast<std::uint8_t>(r.u(79, 6));
    m.cog_raw = static_cast<std::uint16_t>(r.u(85, 9));
    m.position_latency = r.b(94);
    return accepted(r, std::move(m), r.bit_length() != 96);
}

} // namespace sahil::ais::detail

// --- scaled accessors ---

namespace sahil::ais {

using detail::coarse_lat;
using detail::coarse_lon;
using detail::fine_lat;
using detail::fine_lon;

std::optional<double> BaseStationReport::lat_deg() const {
    return fine_lat(lat_raw);
}
std::optional<double> BaseStationReport::lon_deg() const {
    return fine_lon(lon_raw);
}

std::optional<UtcTime> BaseStationReport::utc_time() const {
    if (year == 0 || month == 0 || day == 0 || hour >= 24 || minute >= 60 || second >= 60) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                           std::chrono::day{day}};
    if (!date.ok()) {
        return std::nullopt;
    }
    return UtcTime{std::chrono::sys_days{date}} + std::chrono::hours{hour} +
           std::chrono::minutes{minute} + std::chrono::seconds{second};
}

std::optional<int> SarAircraftReport::altitude_m() const {
    if (altitude_raw >= 4095) {
        return std::nullopt;
    }
    return altitude_raw;
}
std::optional<double> SarAircraftReport::sog_knots() const {
    if (sog_raw >= 1023) {
        return std::nullopt;
    }
    return static_cast<double>(sog_raw);
}
std::optional<double> SarAircraftReport::cog_deg() const {
    if (cog_raw >= 3600) {
        return std::nullopt;
    }
    return cog_raw / 10.0;
}
std::optional<double> SarAircraftReport::lat_deg() const {
    return fine_lat(lat_raw);
}
std::optional<double> SarAircraftReport::lon_deg() const {
    return fine_lon(lon_raw);
}
std::optional<int> SarAircraftReport::utc_second() const {
    return detail::second_of(second);
}

std::optional<double> DgnssBroadcast::lat_deg() const {
    return coarse_lat(lat_raw);
}
std::optional<double> DgnssBroadcast::lon_deg() const {
    return coarse_lon(lon_raw);
}

std::optional<double> AidToNavigationReport::lat_deg() const {
    return fine_lat(lat_raw);
}
std::optional<double> AidToNavigationReport::lon_deg() const {
    return fine_lon(lon_raw);
}
std::optional<int> AidToNavigationReport::utc_second() const {
    return detail::second_of(second);
}

std::optional<double> RegionCorners::ne_lon_deg() const {
    return coarse_lon(ne_lon_raw);
}
std::optional<double> RegionCorners::ne_lat_deg() const {
    return coarse_lat(ne_lat_raw);
}
std::optional<double> RegionCorners::sw_lon_deg() const {
    return coarse_lon(sw_lon_raw);
}
std::optional<double> RegionCorners::sw_lat_deg() const {
    return coarse_lat(sw_lat_raw);
}

std::optional<double> LongRangePositionReport::lat_deg() const {
    return coarse_lat(lat_raw);
}
std::optional<double> LongRangePositionReport::lon_deg() const {
    return coarse_lon(lon_raw);
}
std::optional<double> LongRangePositionReport::sog_knots() const {
    if (sog_raw >= 63) {
        return std::nullopt;
    }
    return static_cast<double>(sog_raw);
}
std::optional<double> LongRangePositionReport::cog_deg() const {
    if (cog_raw >= 360) {
        return std::nullopt;
    }
    return static_cast<double>(cog_raw);
}

} // namespace sahil::ais
