#include "server/sim/simulator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "ais/encoder.hpp"
#include "ais/messages.hpp"
#include "geo/geodesic.hpp"

namespace sahil::sim {
namespace {

constexpr double knots_to_m_per_s = 1852.0 / 3600.0; // 1 kn = 1 nautical mile (1852 m) per hour
constexpr double infinity = std::numeric_limits<double>::infinity();

/// Radio state of a class B CS unit's type 18: selector 1 (ITDMA) and the fixed state
/// 1100000000000000110 that CS units send (corpus.nmea line 50, gpsd "radio": 917510).
constexpr std::uint32_t class_b_cs_radio = 917510;

/// A stretch of a vessel's timeline, seconds after the scenario start: [t0_s, t1_s).
struct Segment {
    double t0_s = 0;
    double t1_s = infinity;
    geo::Position from{};
    geo::Position to{};                ///< == from for a stay
    double length_m = 0;               ///< 0 for a stay
    double sog_knots = 0;              ///< 0 for a stay
    double course0_deg = 0;            ///< initial azimuth of a leg
    std::optional<double> heading_deg; ///< heading while staying (course of arrival)
    NavStatus status = NavStatus::moored;
    bool moving = false;
};

std::vector<Segment> build_timeline(const Vessel& v) {
    std::vector<Segment> out;
    double t = 0;
    std::optional<double> heading;
    auto stay = [&](const TrackPoint& p, double seconds) {
        Segment s;
        s.t0_s = t;
        s.t1_s = t + seconds;
        s.from = s.to = p.position;
        s.heading_deg = heading;
        s.status = p.stay_status;
        out.push_back(s);
        t = s.t1_s;
    };
    for (std::size_t i = 0; i < v.track.size(); ++i) {
        const TrackPoint& p = v.track[i];
        if (i > 0) {
            const geo::Position from = v.track[i - 1].position;
            const double length = geo::distance_m(from, p.position);
            if (length > 0) {
                Segment s;
                s.t0_s = t;
                s.sog_knots = p.sog_knots.value_or(1.0);
                s.t1_s = t + length / (s.sog_knots * knots_to_m_per_s);
                s.from = from;
                s.to = p.position;
                s.length_m = length;
                s.course0_deg = geo::initial_bearing_deg(from, p.position);
                s.status = p.leg_status;
                s.moving = true;
                out.push_back(s);
                t = s.t1_s;
                // Azimuth on arrival = reverse azimuth from the end point, turned round.
                heading = std::fmod(geo::initial_bearing_deg(p.position, from) + 180.0, 360.0);
            }
        }
        if (p.stay_s > 0) {
            stay(p, p.stay_s);
        }
    }
    stay(v.track.back(), infinity); // holds the last point to the end
    out.back().t1_s = infinity;
    return out;
}

/// Kinematic state at one instant.
struct State {
    geo::Position position{};
    double sog_knots = 0;
    std::optional<double> cog_deg;
    std::optional<double> heading_deg;
    NavStatus status = NavStatus::moored;
    bool moving = false;
};

const Segment& segment_at(const std::vector<Segment>& timeline, double t) {
    for (const auto& s : timeline) {
        if (t >= s.t0_s && t < s.t1_s) {
            return s;
        }
    }
    return timeline.back();
}

State state_at(const std::vector<Segment>& timeline, double t) {
    const Segment& s = segment_at(timeline, t);
    State st;
    st.status = s.status;
    st.moving = s.moving;
    if (!s.moving) {
        st.position = s.from;
        st.heading_deg = s.heading_deg;
        return st;
    }
    const double d = std::clamp((t - s.t0_s) * s.sog_knots * knots_to_m_per_s, 0.0, s.length_m);
    st.position = geo::destination(s.from, s.course0_deg, d);
    st.sog_knots = s.sog_knots;
    // Azimuth of the geodesic at this point: towards the end in the first half, away from the
    // start (reversed) in the second, so it never comes from two nearly coincident points.
    st.cog_deg = d < s.length_m / 2
                     ? geo::initial_bearing_deg(st.position, s.to)
                     : std::fmod(geo::initial_bearing_deg(st.position, s.from) + 180.0, 360.0);
    st.heading_deg = st.cog_deg;
    return st;
}

/// Start of the first leg that begins after `t`, or infinity.
double next_leg_start(const std::vector<Segment>& timeline, double t) {
    for (const auto& s : timeline) {
        if (s.moving && s.t0_s > t) {
            return s.t0_s;
        }
    }
    return infinity;
}

std::int32_t to_raw_minutes(double deg) {
    return static_cast<std::int32_t>(std::lround(deg * 600'000.0)); // 1/10,000 minute
}

void fill_position(ais::PositionFields& p, const State& st, std::int64_t t_unix) {
    p.lat_raw = to_raw_minutes(st.position.lat_deg);
    p.lon_raw = to_raw_minutes(st.position.lon_deg);
    p.sog_raw = static_cast<std::uint16_t>(std::lround(st.sog_knots * 10.0));
    p.cog_raw = st.cog_deg ? static_cast<std::uint16_t>(std::lround(*st.cog_deg * 10.0) % 3600)
                           : std::uint16_t{3600};
    p.heading_raw = st.heading_deg ? static_cast<std::uint16_t>(std::lround(*st.heading_deg) % 360)
                                   : std::uint16_t{511};
    p.accuracy = false; // plain GPS, > 10 m
    p.raim = false;
    p.second = static_cast<std::uint8_t>(t_unix % 60);
}

struct Dimensions {
    std::uint16_t bow = 0;
    std::uint16_t stern = 0;
    std::uint8_t port = 0;
    std::uint8_t starboard = 0;
};

Dimensions dimensions(const Vessel& v) {
    Dimensions d;
    d.stern = static_cast<std::uint16_t>(v.length_m / 3);
    d.bow = static_cast<std::uint16_t>(v.length_m - d.stern);
    d.port = static_cast<std::uint8_t>(v.beam_m / 2);
    d.starboard = static_cast<std::uint8_t>(v.beam_m - d.port);
    return d;
}

std::vector<ais::AisMessage> static_messages(const Vessel& v) {
    const Dimensions d = dimensions(v);
    if (v.ais_class == AisClass::a) {
        ais::StaticVoyageData m;
        m.mmsi = v.mmsi;
        m.ais_version = 2; // ITU-R M.1371-5
        m.callsign = v.call_sign;
        m.shipname = v.name;
        m.shiptype = v.ship_type;
        m.to_bow = d.bow;
        m.to_stern = d.stern;
        m.to_port = d.port;
        m.to_starboard = d.starboard;
        m.epfd = 1; // GPS
        m.dte = false;
        return {m};
    }
    ais::StaticDataReport a;
    a.mmsi = v.mmsi;
    a.part = 0;
    a.shipname = v.name;
    ais::StaticDataReport b;
    b.mmsi = v.mmsi;
    b.part = 1;
    b.shiptype = v.ship_type;
    b.callsign = v.call_sign;
    b.to_bow = d.bow;
    b.to_stern = d.stern;
    b.to_port = d.port;
    b.to_starboard = d.starboard;
    return {a, b};
}

ais::AisMessage position_message(const Vessel& v, const State& st, std::int64_t t_unix) {
    if (v.ais_class == AisClass::a) {
        ais::PositionReport m;
        m.type = 1;
        m.mmsi = v.mmsi;
        m.nav_status = static_cast<std::uint8_t>(st.status);
        m.rot_raw = -128; // no rate-of-turn sensor on these boats
        fill_position(m, st, t_unix);
        m.radio = 0;
        return m;
    }
    ais::ClassBPositionReport m;
    m.mmsi = v.mmsi;
    fill_position(m, st, t_unix);
    m.cs = true;
    m.band = true;
    m.msg22 = true;
    m.radio = class_b_cs_radio;
    return m;
}

/// One transmission waiting to be written.
struct Emission {
    std::int64_t t_s = 0;   ///< seconds after the scenario start
    std::size_t vessel = 0; ///< index in Scenario::vessels
    int order = 0;          ///< at the same second: position report 0, static data 1, 2
    ais::AisMessage message;
};

void schedule_vessel(const Scenario& sc, std::size_t index, std::vector<Emission>& out) {
    const Vessel& v = sc.vessels[index];
    const std::vector<Segment> timeline = build_timeline(v);
    const bool class_a = v.ais_class == AisClass::a;
    const double moving_s = class_a ? sc.intervals.class_a_moving_s : sc.intervals.class_b_moving_s;
    const double stationary_s =
        class_a ? sc.intervals.class_a_stationary_s : sc.intervals.class_b_stationary_s;
    const double end_s = std::min(sc.duration_s, v.ais_off_after_s.value_or(infinity));
    const std::int64_t start_unix = unix_seconds(sc.start);

    // Spread vessels over the interval deterministically by MMSI.
    const auto phase = static_cast<double>(v.mmsi % static_cast<std::uint32_t>(moving_s));
    for (double t = phase; t < end_s;) {
        const auto ts = static_cast<std::int64_t>(t);
        const State st = state_at(timeline, t);
        out.push_back({ts, index, 0, position_message(v, st, start_unix + ts)});
        double next = t + (st.moving ? moving_s : stationary_s);
        if (!st.moving) {
            next = std::min(next, std::ceil(next_leg_start(timeline, t)));
        }
        t = std::max(next, t + 1); // whole seconds, always forward
    }
    // Static data on its own 6-minute schedule, as a transponder keeps it.
    for (double t = phase; t < end_s; t += sc.intervals.static_s) {
        int order = 1;
        for (auto& m : static_messages(v)) {
            out.push_back({static_cast<std::int64_t>(t), index, order++, std::move(m)});
        }
    }
}

} // namespace

std::size_t simulate(const Scenario& scenario, std::ostream& out) {
    std::vector<Emission> emissions;
    for (std::size_t i = 0; i < scenario.vessels.size(); ++i) {
        schedule_vessel(scenario, i, emissions);
    }
    std::stable_sort(emissions.begin(), emissions.end(), [](const Emission& a, const Emission& b) {
        if (a.t_s != b.t_s) {
            return a.t_s < b.t_s;
        }
        if (a.vessel != b.vessel) {
            return a.vessel < b.vessel;
        }
        return a.order < b.order;
    });
    std::size_t lines = 0;
    int sequence = 0;
    std::vector<std::size_t> sent(scenario.vessels.size(), 0);
    for (const auto& e : emissions) {
        const ais::ArmouredPayload p = ais::encode(e.message);
        const bool multi = p.payload.size() > ais::max_fragment_payload_chars;
        const char channel = sent[e.vessel]++ % 2 == 0 ? 'A' : 'B';
        const auto sentences =
            ais::to_sentences(p, channel, multi ? sequence : 0, "AI", false,
                              scenario.start + std::chrono::seconds(e.t_s), scenario.source);
        if (multi) {
            sequence = (sequence + 1) % 10;
        }
        for (const auto& s : sentences) {
            out << s << '\n';
            ++lines;
        }
    }
    return lines;
}

} // namespace sahil::sim
