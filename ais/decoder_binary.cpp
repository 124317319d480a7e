// Decoders of types 6, 8, 25 and 26 and their application-specific messages
// (ITU-R M.1371-5 Annex 8; layouts of the application messages in ais/binary_application.hpp).
//
// Length policy: a payload shorter than the message header (type 6: 88 bits up to the FI;
// type 8: 56; types 25/26: up to the application identifier, plus the communication state of
// type 26) is errc::too_short; one longer than the type allows (types 6 and 8: 1,008 bits =
// 5 slots; type 25: 168 = 1 slot; type 26: 1,064) is errc::too_long_for_type; gpsd refuses
// both.
// An application message whose bits differ from its layout is decoded from the bits present
// (missing bits read 0, as gpsd does) and flagged in DecodeResult::length_mismatch; the inland
// and GLA layouts that gpsd only accepts at their exact length stay raw bits otherwise.
#include <cstddef>
#include <cstdint>
#include <variant>

#include "ais/detail/decode_common.hpp"

namespace sahil::ais::detail {
namespace {

constexpr int addressed_header_bits = 88; // type 6: up to and including the FI
constexpr int broadcast_header_bits = 56; // type 8: up to and including the FI
constexpr int binary_max_bits = 1008;     // types 6 and 8: 5 slots (M.1371-5 Messages 6, 8)
constexpr int single_slot_max_bits = 168; // type 25: 1 slot
constexpr int multi_slot_max_bits = 1064; // type 26: 5 slots
constexpr int slot_flags_end = 40;        // types 25/26: destination and binary-data flags
constexpr int comm_state_bits = 20;       // type 26: selector flag + 19-bit SOTDMA/ITDMA state

/// Reads application fields the way gpsd does from its zero-filled buffer: a field cut short
/// by the payload end is its present bits followed by zeros, a field past the end reads 0.
class FieldReader {
public:
    explicit FieldReader(const BitReader& r) noexcept : m_r(r) {}

    [[nodiscard]] int length() const noexcept { return m_r.bit_length(); }

    [[nodiscard]] std::uint32_t u(int start, int width) const noexcept {
        const int len = m_r.bit_length();
        if (start >= len) {
            return 0;
        }
        if (start + width <= len) {
            return m_r.u(start, width);
        }
        const int present = len - start;
        return m_r.u(start, present) << static_cast<unsigned>(width - present);
    }

    [[nodiscard]] std::int32_t s(int start, int width) const noexcept {
        const std::uint32_t v = u(start, width);
        const std::uint32_t sign = 1U << static_cast<unsigned>(width - 1);
        return static_cast<std::int32_t>(v ^ sign) - static_cast<std::int32_t>(sign);
    }

    [[nodiscard]] bool b(int start) const noexcept { return u(start, 1) != 0; }

    template <class Int> [[nodiscard]] Int get(int start, int width) const noexcept {
        return static_cast<Int>(u(start, width));
    }

    /// Up to `chars` six-bit characters (M.1371-5 Table 47): stops at '@' (code 0, also what
    /// bits past the end read as), trailing blanks removed.
    template <std::size_t N> void text(int start, int chars, FixedText<N>& out) const noexcept {
        out.clear();
        for (int i = 0; i < chars; ++i) {
            const std::uint32_t code = u(start + 6 * i, 6);
            if (code == 0) {
                break;
            }
            out.push_back(sixbit_char(code));
        }
        while (!out.empty() && out.back() == ' ') {
            out.pop_back();
        }
    }

private:
    const BitReader& m_r;
};

DecodeResult rejected(const BitReader& r, errc e) {
    DecodeResult res;
    res.error = e;
    res.bit_length = r.bit_length();
    return res;
}

/// Copies `count` payload bits from `start` into `out`.
void read_data(const BitReader& r, int start, int count, BinaryData& out) {
    out.bit_count = static_cast<std::uint16_t>(count > 0 ? count : 0);
    if (count > 0) {
        r.copy_bits(start, count, out.bytes.data());
    }
}

// --- type 6 application messages (bit offsets from the start of the message) ---

void read_dangerous_cargo(const FieldReader& f, DangerousCargoImo236& a) {
    f.text(88, 5, a.lastport);
    a.lmonth = f.get<std::uint8_t>(118, 4);
    a.lday = f.get<std::uint8_t>(122, 5);
    a.lhour = f.get<std::uint8_t>(127, 5);
    a.lminute = f.get<std::uint8_t>(132, 6);
    f.text(138, 5, a.nextport);
    a.nmonth = f.get<std::uint8_t>(168, 4);
    a.nday = f.get<std::uint8_t>(172, 5);
    a.nhour = f.get<std::uint8_t>(177, 5);
    a.nminute = f.get<std::uint8_t>(182, 6);
    f.text(188, 20, a.dangerous);
    f.text(308, 4, a.imdcat);
    a.unid = f.get<std::uint16_t>(332, 13);
    a.amount = f.get<std::uint16_t>(345, 10);
    a.unit = f.get<std::uint8_t>(355, 2);
}

/// Tidal window points from bit 97: a point is present when at least its first bit is (gpsd
/// decodes a point cut short by the payload end), at most 3. Returns true when the payload
/// holds whole points plus fewer than 8 spare bits.
bool read_tidal_window(const FieldReader& f, bool imo236, TidalWindow& a) {
    constexpr int first = 97;
    const int size = imo236 ? 93 : 88;
    a.imo236 = imo236;
    a.month = f.get<std::uint8_t>(88, 4);
    a.day = f.get<std::uint8_t>(92, 5);
    a.count = 0;
    for (int i = 0; i < TidalWindow::max_points && first + size * i < f.length(); ++i) {
        const int at = first + size * i;
        TidalPoint& p = a.points[static_cast<std::size_t>(i)];
        if (imo236) { // lat 27, lon 28 bits in 1/10,000 min; speed 7 bits
            p.lat_raw = f.s(at, 27);
            p.lon_raw = f.s(at + 27, 28);
        } else { // lon 25, lat 24 bits in 1/1,000 min; speed 8 bits
            p.lon_raw = f.s(at, 25);
            p.lat_raw = f.s(at + 25, 24);
        }
        const int t = at + (imo236 ? 55 : 49);
        p.from_hour = f.get<std::uint8_t>(t, 5);
        p.from_min = f.get<std::uint8_t>(t + 5, 6);
        p.to_hour = f.get<std::uint8_t>(t + 11, 5);
        p.to_min = f.get<std::uint8_t>(t + 16, 6);
        p.cdir = f.get<std::uint16_t>(t + 22, 9);
        p.cspeed = f.get<std::uint8_t>(t + 31, imo236 ? 7 : 8);
        ++a.count;
    }
    const int used = f.length() - first;
    return a.count > 0 && used >= size * a.count && used - size * a.count < 8;
}

void read_clearance_time(const FieldReader& f, ClearanceTime& a) {
    a.linkage = f.get<std::uint16_t>(88, 10);
    a.month = f.get<std::uint8_t>(98, 4);
    a.day = f.get<std::uint8_t>(102, 5);
    a.hour = f.get<std::uint8_t>(107, 5);
    a.minute = f.get<std::uint8_t>(112, 6);
    f.text(118, 20, a.portname);
    f.text(238, 5, a.destination);
    a.lon_raw = f.s(268, 25);
    a.lat_raw = f.s(293, 24);
}

/// Linkage ID at `at`, then as many whole 6-bit characters as the payload holds.
void read_text_description(const FieldReader& f, int at, TextDescription& a) {
    a.linkage = f.get<std::uint16_t>(at, 10);
    const int text_start = at + 10;
    const int chars = f.length() > text_start ? (f.length() - text_start) / 6 : 0;
    f.text(text_start, chars, a.text);
}

/// Decodes the application message of a type 6; returns true when its length is off-layout.
bool decode_addressed_application(const FieldReader& f, AddressedBinary& m) {
    const int len = f.length();
    if (m.dac == 1) {
        switch (m.fi) {
        case 12:
            read_dangerous_cargo(f, m.application.emplace<DangerousCargoImo236>());
            return len != 360;
        case 14:
            return !read_tidal_window(f, true, m.application.emplace<TidalWindow>());
        case 18:
            read_clearance_time(f, m.application.emplace<ClearanceTime>());
            return len != 360;
        case 30:
            read_text_description(f, 88, m.application.emplace<TextDescription>());
            return false;
        case 32:
            return !read_tidal_window(f, false, m.application.emplace<TidalWindow>());
        default:
            return false;
        }
    }
    if (m.dac == 200 && m.fi == 55 && len == 168) { // 51 spare bits
        auto& a = m.application.emplace<InlandPersonsOnBoard>();
        a.crew = f.get<std::uint8_t>(88, 8);
        a.passengers = f.get<std::uint16_t>(96, 13);
        a.personnel = f.get<std::uint8_t>(109, 8);
    } else if ((m.dac == 235 || m.dac == 250) && m.fi == 10 && len == 136) { // 4 spare bits
        auto& a = m.application.emplace<AtonMonitoring>();
        a.ana_int = f.get<std::uint16_t>(88, 10);
        a.ana_ext1 = f.get<std::uint16_t>(98, 10);
        a.ana_ext2 = f.get<std::uint16_t>(108, 10);
        a.racon = f.get<std::uint8_t>(118, 2);
        a.light = f.get<std::uint8_t>(120, 2);
        a.alarm = f.b(122);
        a.stat_ext = f.get<std::uint8_t>(123, 8);
        a.off_pos = f.b(131);
    }
    return false;
}

// --- type 8 application messages ---

void read_meteo_imo236(const FieldReader& f, MeteoHydroImo236& a) {
    a.lat_raw = f.s(56, 24);
    a.lon_raw = f.s(80, 25);
    a.day = f.get<std::uint8_t>(105, 5);
    a.hour = f.get<std::uint8_t>(110, 5);
    a.minute = f.get<std::uint8_t>(115, 6);
    a.wspeed = f.get<std::uint8_t>(121, 7);
    a.wgust = f.get<std::uint8_t>(128, 7);
    a.wdir = f.get<std::uint16_t>(135, 9);
    a.wgustdir = f.get<std::uint16_t>(144, 9);
    a.airtemp_raw = f.get<std::uint16_t>(153, 11);
    a.humidity = f.get<std::uint8_t>(164, 7);
    a.dewpoint_raw = f.get<std::uint16_t>(171, 10);
    a.pressure_raw = f.get<std::uint16_t>(181, 9);
    a.pressuretend = f.get<std::uint8_t>(190, 2);
    a.visibility_raw = f.get<std::uint8_t>(192, 8);
    a.waterlevel_raw = f.get<std::uint16_t>(200, 9);
    a.leveltrend = f.get<std::uint8_t>(209, 2);
    a.cspeed_raw = f.get<std::uint8_t>(211, 8);
    a.cdir = f.get<std::uint16_t>(219, 9);
    a.cspeed2_raw = f.get<std::uint8_t>(228, 8);
    a.cdir2 = f.get<std::uint16_t>(236, 9);
    a.cdepth2 = f.get<std::uint8_t>(245, 5);
    a.cspeed3_raw = f.get<std::uint8_t>(250, 8);
    a.cdir3 = f.get<std::uint16_t>(258, 9);
    a.cdepth3 = f.get<std::uint8_t>(267, 5);
    a.waveheight_raw = f.get<std::uint8_t>(272, 8);
    a.waveperiod = f.get<std::uint8_t>(280, 6);
    a.wavedir = f.get<std::uint16_t>(286, 9);
    a.swellheight_raw = f.get<std::uint8_t>(295, 8);
    a.swellperiod = f.get<std::uint8_t>(303, 6);
    a.swelldir = f.get<std::uint16_t>(309, 9);
    a.seastate = f.get<std::uint8_t>(318, 4);
    a.watertemp_raw = f.get<std::uint16_t>(322, 10);
    a.preciptype = f.get<std::uint8_t>(332, 3);
    a.salinity_raw = f.get<std::uint16_t>(335, 9);
    a.ice = f.get<std::uint8_t>(344, 2);
}

void read_meteo_imo289(const FieldReader& f, MeteoHydroImo289& a) {
    a.lon_raw = f.s(56, 25);
    a.lat_raw = f.s(81, 24);
    a.accuracy = f.b(105);
    a.day = f.get<std::uint8_t>(106, 5);
    a.hour = f.get<std::uint8_t>(111, 5);
    a.minute = f.get<std::uint8_t>(116, 6);
    a.wspeed = f.get<std::uint8_t>(122, 7);
    a.wgust = f.get<std::uint8_t>(129, 7);
    a.wdir = f.get<std::uint16_t>(136, 9);
    a.wgustdir = f.get<std::uint16_t>(145, 9);
    a.airtemp = static_cast<std::int16_t>(f.s(154, 11));
    a.humidity = f.get<std::uint8_t>(165, 7);
    a.dewpoint = static_cast<std::int16_t>(f.s(172, 10));
    a.pressure_raw = f.get<std::uint16_t>(182, 9);
    a.pressuretend = f.get<std::uint8_t>(191, 2);
    a.visgreater = f.b(193);
    a.visibility_raw = f.get<std::uint8_t>(194, 7);
    a.waterlevel_raw = f.get<std::uint16_t>(201, 12);
    a.leveltrend = f.get<std::uint8_t>(213, 2);
    a.cspeed_raw = f.get<std::uint8_t>(215, 8);
    a.cdir = f.get<std::uint16_t>(223, 9);
    a.cspeed2_raw = f.get<std::uint8_t>(232, 8);
    a.cdir2 = f.get<std::uint16_t>(240, 9);
    a.cdepth2 = f.get<std::uint8_t>(249, 5);
    a.cspeed3_raw = f.get<std::uint8_t>(254, 8);
    a.cdir3 = f.get<std::uint16_t>(262, 9);
    a.cdepth3 = f.get<std::uint8_t>(271, 5);
    a.waveheight_raw = f.get<std::uint8_t>(276, 8);
    a.waveperiod = f.get<std::uint8_t>(284, 6);
    a.wavedir = f.get<std::uint16_t>(290, 9);
    a.swellheight_raw = f.get<std::uint8_t>(299, 8);
    a.swellperiod = f.get<std::uint8_t>(307, 6);
    a.swelldir = f.get<std::uint16_t>(313, 9);
    a.seastate = f.get<std::uint8_t>(322, 4);
    a.watertemp = static_cast<std::int16_t>(f.s(326, 10));
    a.preciptype = f.get<std::uint8_t>(336, 3);
    a.salinity_raw = f.get<std::uint16_t>(339, 9);
    a.ice = f.get<std::uint8_t>(348, 2);
}

/// One 87-bit area notice sub-area at `at` (3-bit shape, then 84 bits).
AreaSubArea read_subarea(const FieldReader& f, int at) {
    const auto shape = f.get<std::uint8_t>(at, 3);
    const int p = at + 3;
    const auto scale = f.get<std::uint8_t>(p, 2);
    switch (shape) {
    case 0: {
        AreaCircle c;
        c.scale = scale;
        c.lon_raw = f.s(p + 2, 25);
        c.lat_raw = f.s(p + 27, 24);
        c.precision = f.get<std::uint8_t>(p + 51, 3);
        c.radius = f.get<std::uint16_t>(p + 54, 12);
        return c; // 18 spare bits
    }
    case 1: {
        AreaRectangle rect;
        rect.scale = scale;
        rect.lon_raw = f.s(p + 2, 25);
        rect.lat_raw = f.s(p + 27, 24);
        rect.precision = f.get<std::uint8_t>(p + 51, 3);
        rect.e_dim = f.get<std::uint8_t>(p + 54, 8);
        rect.n_dim = f.get<std::uint8_t>(p + 62, 8);
        rect.orientation = f.get<std::uint16_t>(p + 70, 9);
        return rect; // 5 spare bits
    }
    case 2: {
        AreaSector sec;
        sec.scale = scale;
        sec.lon_raw = f.s(p + 2, 25);
        sec.lat_raw = f.s(p + 27, 24);
        sec.precision = f.get<std::uint8_t>(p + 51, 3);
        sec.radius = f.get<std::uint16_t>(p + 54, 12);
        sec.left_bound = f.get<std::uint16_t>(p + 66, 9);
        sec.right_bound = f.get<std::uint16_t>(p + 75, 9);
        return sec;
    }
    case 3:
    case 4: {
        AreaPolyline line;
        line.scale = scale;
        line.polygon = shape == 4;
        for (std::size_t i = 0; i < line.angle.size(); ++i) {
            const int leg = p + 2 + 20 * static_cast<int>(i);
            line.angle[i] = f.get<std::uint16_t>(leg, 10);
            line.distance[i] = f.get<std::uint16_t>(leg + 10, 10);
        }
        return line; // 2 spare bits
    }
    case 5: {
        AreaText t;
        f.text(p, 14, t.text);
        return t;
    }
    default:
        return AreaReserved{shape};
    }
}

/// Area notice header and sub-areas; returns true when the length is off-layout (a partial
/// sub-area of 8 bits or more).
bool read_area_notice(const FieldReader& f, AreaNotice& a) {
    constexpr int first = 111;
    constexpr int size = 87;
    a.linkage = f.get<std::uint16_t>(56, 10);
    a.notice = f.get<std::uint8_t>(66, 7);
    a.month = f.get<std::uint8_t>(73, 4);
    a.day = f.get<std::uint8_t>(77, 5);
    a.hour = f.get<std::uint8_t>(82, 5);
    a.minute = f.get<std::uint8_t>(87, 6);
    a.duration = f.u(93, 18);
    const int whole = (f.length() - first) / size;
    a.subarea_count = static_cast<std::uint8_t>(
        whole < AreaNotice::max_subareas ? whole : AreaNotice::max_subareas);
    for (int i = 0; i < a.subarea_count; ++i) {
        a.subareas[static_cast<std::size_t>(i)] = read_subarea(f, first + size * i);
    }
    return (f.length() - first) % size >= 8 || whole > AreaNotice::max_subareas;
}

/// Inland static and voyage data (exactly 168 bits, hazard code 0..5, as gpsd requires);
/// returns false (raw bits kept) otherwise.
bool read_inland_static(const FieldReader& f, BroadcastApplication& app) {
    constexpr std::uint32_t hazard_max = 5; // 5 = unknown
    if (f.length() != 168 || f.u(141, 3) > hazard_max) {
        return false;
    }
    auto& a = app.emplace<InlandStaticVoyage>();
    f.text(56, 8, a.vin);
    a.length = f.get<std::uint16_t>(104, 13);
    a.beam = f.get<std::uint16_t>(117, 10);
    a.shiptype = f.get<std::uint16_t>(127, 14);
    a.hazard = f.get<std::uint8_t>(141, 3);
    a.draught = f.get<std::uint16_t>(144, 11);
    a.loaded = f.get<std::uint8_t>(155, 2);
    a.speed_q = f.b(157);
    a.course_q = f.b(158);
    a.heading_q = f.b(159);
    return true; // 8 spare bits
}

/// Decodes the application message of a type 8; returns true when its length is off-layout.
bool decode_broadcast_application(const FieldReader& f, BroadcastBinary& m) {
    const int len = f.length();
    if (m.dac == 1) {
        switch (m.fi) {
        case 11:
            read_meteo_imo236(f, m.application.emplace<MeteoHydroImo236>());
            return len != 352;
        case 22:
            if (len < 111 + 87) { // header and one sub-area needed
                return false;
            }
            return read_area_notice(f, m.application.emplace<AreaNotice>());
        case 29:
            read_text_description(f, 56, m.application.emplace<TextDescription>());
            return false;
        case 31:
            read_meteo_imo289(f, m.application.emplace<MeteoHydroImo289>());
            return len != 360;
        default:
            return false;
        }
    }
    if (m.dac == 200 && m.fi == 10) {
        read_inland_static(f, m.application);
    }
    return false;
}

/// Destination and application identifier of types 25 and 26 (M.1371-5: 2 spare bits follow
/// the destination MMSI).
void read_slot_header(const BitReader& r, SlotBinaryHeader& h) {
    h.addressed = r.b(38);
    h.structured = r.b(39);
    h.dest_mmsi = h.addressed ? r.u(40, 30) : 0U;
    h.app_id = h.structured ? static_cast<std::uint16_t>(r.u(h.addressed ? 72 : 40, 16)) : 0U;
}

} // namespace

DecodeResult decode_addressed_binary(const BitReader& r) {
    if (r.bit_length() > binary_max_bits) {
        return rejected(r, errc::too_long_for_type);
    }
    if (r.bit_length() < addressed_header_bits) {
        return rejected(r, errc::too_short);
    }
    DecodeResult res;
    auto& m = res.message.emplace<AddressedBinary>();
    read_header(r, m);
    m.seqno = static_cast<std::uint8_t>(r.u(38, 2));
    m.dest_mmsi = r.u(40, 30);
    m.retransmit = r.b(70);
    m.dac = static_cast<std::uint16_t>(r.u(72, 10));
    m.fi = static_cast<std::uint8_t>(r.u(82, 6));
    read_data(r, addressed_header_bits, r.bit_length() - addressed_header_bits, m.data);
    const bool off_layout = decode_addressed_application(FieldReader(r), m);
    res = finish_variable(std::move(res), r, addressed_header_bits, binary_max_bits);
    res.length_mismatch = res.length_mismatch || off_layout;
    return res;
}

DecodeResult decode_broadcast_binary(const BitReader& r) {
    if (r.bit_length() > binary_max_bits) {
        return rejected(r, errc::too_long_for_type);
    }
    if (r.bit_length() < broadcast_header_bits) {
        return rejected(r, errc::too_short);
    }
    DecodeResult res;
    auto& m = res.message.emplace<BroadcastBinary>();
    read_header(r, m);
    m.dac = static_cast<std::uint16_t>(r.u(40, 10));
    m.fi = static_cast<std::uint8_t>(r.u(50, 6));
    read_data(r, broadcast_header_bits, r.bit_length() - broadcast_header_bits, m.data);
    const bool off_layout = decode_broadcast_application(FieldReader(r), m);
    res = finish_variable(std::move(res), r, broadcast_header_bits, binary_max_bits);
    res.length_mismatch = res.length_mismatch || off_layout;
    return res;
}

DecodeResult decode_single_slot_binary(const BitReader& r) {
    if (r.bit_length() > single_slot_max_bits) {
        return rejected(r, errc::too_long_for_type);
    }
    if (r.bit_length() < slot_flags_end) {
        return rejected(r, errc::too_short);
    }
    SlotBinaryHeader h;
    read_slot_header(r, h);
    if (r.bit_length() < h.data_start()) {
        return rejected(r, errc::too_short);
    }
    DecodeResult res;
    auto& m = res.message.emplace<SingleSlotBinary>();
    static_cast<SlotBinaryHeader&>(m) = h;
    read_header(r, m);
    read_data(r, h.data_start(), r.bit_length() - h.data_start(), m.data);
    return finish_variable(std::move(res), r, h.data_start(), single_slot_max_bits);
}

DecodeResult decode_multi_slot_binary(const BitReader& r) {
    if (r.bit_length() > multi_slot_max_bits) {
        return rejected(r, errc::too_long_for_type);
    }
    if (r.bit_length() < slot_flags_end) {
        return rejected(r, errc::too_short);
    }
    SlotBinaryHeader h;
    read_slot_header(r, h);
    const int minimum = h.data_start() + comm_state_bits;
    if (r.bit_length() < minimum) {
        return rejected(r, errc::too_short);
    }
    DecodeResult res;
    auto& m = res.message.emplace<MultiSlotBinary>();
    static_cast<SlotBinaryHeader&>(m) = h;
    read_header(r, m);
    const int data_end = r.bit_length() - comm_state_bits;
    read_data(r, h.data_start(), data_end - h.data_start(), m.data);
    m.radio = r.u(data_end, comm_state_bits);
    return finish_variable(std::move(res), r, minimum, multi_slot_max_bits);
}

} // namespace sahil::ais::detail
