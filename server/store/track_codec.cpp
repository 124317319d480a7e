// Segment and journal encodings; see track_codec.hpp.
#include "server/store/track_codec.hpp"

#include <cmath>

namespace sahil::store {

std::int32_t to_e6(double degrees) noexcept {
    return static_cast<std::int32_t>(std::lround(degrees * 1e6));
}

GeoBox GeoBox::from_degrees(double south, double west, double north, double east) noexcept {
    return GeoBox{to_e6(south), to_e6(west), to_e6(north), to_e6(east)};
}

namespace {

constexpr std::uint8_t format_version = 1;

enum Flag : std::uint8_t {
    has_sog = 1U << 0U,
    has_cog = 1U << 1U,
    has_heading = 1U << 2U,
    nav_changed = 1U << 3U,
    type_changed = 1U << 4U,
    source_changed = 1U << 5U,
    has_rx_offset = 1U << 6U,
};

std::uint64_t zigzag(std::int64_t v) noexcept {
    return (static_cast<std::uint64_t>(v) << 1U) ^ static_cast<std::uint64_t>(v >> 63);
}

std::int64_t unzigzag(std::uint64_t v) noexcept {
    return static_cast<std::int64_t>(v >> 1U) ^ -static_cast<std::int64_t>(v & 1U);
}

void put_varint(std::uint64_t v, std::vector<std::uint8_t>& out) {
    while (v >= 0x80U) {
        out.push_back(static_cast<std::uint8_t>(v | 0x80U));
        v >>= 7U;
    }
    out.push_back(static_cast<std::uint8_t>(v));
}

// Wraps an angle difference into [-half, half).
int wrap(int delta, int full) noexcept {
    const int half = full / 2;
    delta %= full;
    if (delta >= half) {
        delta -= full;
    } else if (delta < -half) {
        delta += full;
    }
    return delta;
}

int unwrap(int value, int full) noexcept {
    value %= full;
    return value < 0 ? value + full : value;
}

class Reader {
public:
    explicit Reader(std::span<const std::uint8_t> blob) : m_blob(blob) {}
    bool varint(std::uint64_t& v) noexcept {
        v = 0;
        for (unsigned shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_blob.size()) {
                return false;
            }
            const std::uint8_t b = m_blob[m_pos++];
            v |= static_cast<std::uint64_t>(b & 0x7FU) << shift;
            if ((b & 0x80U) == 0) {
                return true;
            }
        }
        return false;
    }
    bool signed_varint(std::int64_t& v) noexcept {
        std::uint64_t u = 0;
        if (!varint(u)) {
            return false;
        }
        v = unzigzag(u);
        return true;
    }
    bool byte(std::uint8_t& b) noexcept {
        if (m_pos >= m_blob.size()) {
            return false;
        }
        b = m_blob[m_pos++];
        return true;
    }
    [[nodiscard]] bool at_end() const noexcept { return m_pos == m_blob.size(); }

private:
    std::span<const std::uint8_t> m_blob;
    std::size_t m_pos = 0;
};

// Delta state shared by the encoder and decoder: the previous fix of the blob.
struct State {
    std::int64_t time_ms = 0;
    std::int64_t lat = 0;
    std::int64_t lon = 0;
    std::int64_t dt = 0;   // previous time step, ms
    std::int64_t dlat = 0; // previous latitude step
    std::int64_t dlon = 0; // previous longitude step
    int sog = 0;
    int cog = 0;
    int heading = 0;
    std::int8_t nav = -1;
    std::uint8_t type = 0;
    std::uint16_t source = 0;
};

// Positions are predicted by dead reckoning from the previous step (scaled to this step's
// duration), so a boat on a steady course costs one byte per coordinate; only the residual is
// stored. Integer arithmetic, identical in encoder and decoder; no prediction over long or
// irregular steps.
constexpr std::int64_t max_predicted_step_ms = 600'000;

std::int64_t predict(std::int64_t prev_step, std::int64_t prev_dt, std::int64_t dt) noexcept {
    if (prev_dt <= 0 || dt <= 0 || prev_dt > max_predicted_step_ms || dt > max_predicted_step_ms ||
        prev_step > 10'000'000 || prev_step < -10'000'000) {
        return 0;
    }
    return prev_step * dt / prev_dt;
}

// Fix times are mostly whole seconds (the AIS time stamp field): such steps are stored in
// seconds, marked by the low bit.
void put_time_step(std::int64_t dt, std::vector<std::uint8_t>& out) {
    if (dt % 1000 == 0) {
        put_varint(zigzag(dt / 1000) << 1U, out);
    } else {
        put_varint((zigzag(dt) << 1U) | 1U, out);
    }
}

void put_fix(const TrackFix& f, State& s, std::vector<std::uint8_t>& out) {
    std::uint8_t flags = 0;
    if (f.sog_dkn >= 0) {
        flags |= has_sog;
    }
    if (f.cog_ddeg >= 0) {
        flags |= has_cog;
    }
    if (f.heading >= 0) {
        flags |= has_heading;
    }
    if (f.nav_status != s.nav) {
        flags |= nav_changed;
    }
    if (f.message_type != s.type) {
        flags |= type_changed;
    }
    if (f.source != s.source) {
        flags |= source_changed;
    }
    if (f.received_ms != f.time_ms) {
        flags |= has_rx_offset;
    }
    out.push_back(flags);
    const std::int64_t dt = f.time_ms - s.time_ms;
    const std::int64_t dlat = f.lat_e6 - s.lat;
    const std::int64_t dlon = f.lon_e6 - s.lon;
    put_time_step(dt, out);
    put_varint(zigzag(dlat - predict(s.dlat, s.dt, dt)), out);
    put_varint(zigzag(dlon - predict(s.dlon, s.dt, dt)), out);
    s.time_ms = f.time_ms;
    s.lat = f.lat_e6;
    s.lon = f.lon_e6;
    s.dt = dt;
    s.dlat = dlat;
    s.dlon = dlon;
    if ((flags & has_sog) != 0) {
        put_varint(zigzag(f.sog_dkn - s.sog), out);
        s.sog = f.sog_dkn;
    }
    if ((flags & has_cog) != 0) {
        put_varint(zigzag(wrap(f.cog_ddeg - s.cog, 3600)), out);
        s.cog = f.cog_ddeg;
    }
    if ((flags & has_heading) != 0) {
        put_varint(zigzag(wrap(f.heading - s.heading, 360)), out);
        s.heading = f.heading;
    }
    if ((flags & nav_changed) != 0) {
        out.push_back(static_cast<std::uint8_t>(f.nav_status + 1));
        s.nav = f.nav_status;
    }
    if ((flags & type_changed) != 0) {
        out.push_back(f.message_type);
        s.type = f.message_type;
    }
    if ((flags & source_changed) != 0) {
        put_varint(f.source, out);
        s.source = f.source;
    }
    if ((flags & has_rx_offset) != 0) {
        put_varint(zigzag(f.received_ms - f.time_ms), out);
    }
}

bool get_fix(Reader& r, State& s, TrackFix& f) {
    std::uint8_t flags = 0;
    std::int64_t d = 0;
    if (!r.byte(flags) || (flags & 0x80U) != 0) {
        return false;
    }
    std::uint64_t t = 0;
    if (!r.varint(t)) {
        return false;
    }
    const std::int64_t dt = (t & 1U) != 0 ? unzigzag(t >> 1U) : unzigzag(t >> 1U) * 1000;
    std::int64_t dlat = 0;
    std::int64_t dlon = 0;
    if (!r.signed_varint(dlat) || !r.signed_varint(dlon)) {
        return false;
    }
    dlat += predict(s.dlat, s.dt, dt);
    dlon += predict(s.dlon, s.dt, dt);
    s.time_ms += dt;
    s.lat += dlat;
    s.lon += dlon;
    s.dt = dt;
    s.dlat = dlat;
    s.dlon = dlon;
    if (s.lat < -90'000'000 || s.lat > 90'000'000 || s.lon < -180'000'000 || s.lon > 180'000'000) {
        return false;
    }
    f.time_ms = s.time_ms;
    f.received_ms = s.time_ms;
    f.lat_e6 = static_cast<std::int32_t>(s.lat);
    f.lon_e6 = static_cast<std::int32_t>(s.lon);
    f.sog_dkn = -1;
    f.cog_ddeg = -1;
    f.heading = -1;
    if ((flags & has_sog) != 0) {
        if (!r.signed_varint(d) || d < -2000 || d > 2000) {
            return false;
        }
        s.sog += static_cast<int>(d);
        f.sog_dkn = static_cast<std::int16_t>(s.sog);
    }
    if ((flags & has_cog) != 0) {
        if (!r.signed_varint(d) || d < -1800 || d > 1800) {
            return false;
        }
        s.cog = unwrap(s.cog + static_cast<int>(d), 3600);
        f.cog_ddeg = static_cast<std::int16_t>(s.cog);
    }
    if ((flags & has_heading) != 0) {
        if (!r.signed_varint(d) || d < -180 || d > 180) {
            return false;
        }
        s.heading = unwrap(s.heading + static_cast<int>(d), 360);
        f.heading = static_cast<std::int16_t>(s.heading);
    }
    if ((flags & nav_changed) != 0) {
        std::uint8_t b = 0;
        if (!r.byte(b) || b > 16) {
            return false;
        }
        s.nav = static_cast<std::int8_t>(b - 1);
    }
    f.nav_status = s.nav;
    if ((flags & type_changed) != 0) {
        if (!r.byte(s.type)) {
            return false;
        }
    }
    f.message_type = s.type;
    if ((flags & source_changed) != 0) {
        std::uint64_t src = 0;
        if (!r.varint(src) || src > 0xFFFFU) {
            return false;
        }
        s.source = static_cast<std::uint16_t>(src);
    }
    f.source = s.source;
    if ((flags & has_rx_offset) != 0) {
        if (!r.signed_varint(d)) {
            return false;
        }
        f.received_ms = s.time_ms + d;
    }
    return true;
}

bool read_header(Reader& r, std::uint64_t& count) {
    std::uint8_t version = 0;
    return r.byte(version) && version == format_version && r.varint(count);
}

} // namespace

void encode_segment(std::span<const TrackFix> fixes, std::vector<std::uint8_t>& out) {
    out.push_back(format_version);
    put_varint(fixes.size(), out);
    State s;
    for (const auto& f : fixes) {
        put_fix(f, s, out);
    }
}

bool decode_segment(std::span<const std::uint8_t> blob, std::int64_t vessel,
                    std::vector<TrackFix>& out) {
    Reader r(blob);
    std::uint64_t count = 0;
    if (!read_header(r, count) || count > blob.size()) { // every fix takes >= 4 bytes
        return false;
    }
    out.reserve(out.size() + count);
    State s;
    for (std::uint64_t i = 0; i < count; ++i) {
        TrackFix f;
        if (!get_fix(r, s, f)) {
            return false;
        }
        f.vessel = vessel;
        out.push_back(f);
    }
    return r.at_end();
}

void encode_journal(std::span<const JournalFix> fixes, std::vector<std::uint8_t>& out) {
    out.push_back(format_version);
    put_varint(fixes.size(), out);
    State s;
    std::int64_t vessel = 0;
    std::uint64_t seq = 0;
    for (const auto& j : fixes) {
        put_varint(zigzag(j.fix.vessel - vessel), out);
        put_varint(zigzag(static_cast<std::int64_t>(j.seq - seq)), out);
        vessel = j.fix.vessel;
        seq = j.seq;
        put_fix(j.fix, s, out);
    }
}

bool decode_journal(std::span<const std::uint8_t> blob, std::vector<JournalFix>& out) {
    Reader r(blob);
    std::uint64_t count = 0;
    if (!read_header(r, count) || count > blob.size()) {
        return false;
    }
    out.reserve(out.size() + count);
    State s;
    std::int64_t vessel = 0;
    std::uint64_t seq = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        std::int64_t dv = 0;
        std::int64_t ds = 0;
        if (!r.signed_varint(dv) || !r.signed_varint(ds)) {
            return false;
        }
        vessel += dv;
        seq += static_cast<std::uint64_t>(ds);
        JournalFix j;
        j.seq = seq;
        if (!get_fix(r, s, j.fix)) {
            return false;
        }
        j.fix.vessel = vessel;
        out.push_back(j);
    }
    return r.at_end();
}

} // namespace sahil::store
