// Shared helpers for sahil_core tests: the shipped harbour zones and fixes placed around them.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "geo/geodesic.hpp"
#include "geo/zone_index.hpp"
#include "server/tracking/fix.hpp"

namespace sahil::test {

/// The harbour geofences shipped in config/geo/harbours.geojson.
inline const geo::ZoneIndex& harbours() {
    static const geo::ZoneIndex index = geo::ZoneIndex::load(
        std::filesystem::path(SAHIL_SOURCE_DIR) / "config/geo/harbours.geojson", "harbours");
    return index;
}

/// Pasni Fish Harbour (PK-HBR-05): centre 25.248 N 63.483 E, radius 900 m (harbours.geojson).
inline constexpr geo::Position pasni_centre{25.248, 63.483};
inline constexpr double pasni_radius_m = 900.0;

/// 2026-03-14T17:30:00Z plus `minutes`.
inline UtcTime at_minutes(double minutes) {
    return from_unix_seconds(1'773'509'400) +
           std::chrono::milliseconds(static_cast<long>(minutes * 60'000));
}

/// A fix `distance_m` from Pasni's centre on bearing `bearing_deg` at `minutes`, SOG `sog`.
inline tracking::Fix fix_near_pasni(std::uint32_t mmsi, double minutes, double bearing_deg,
                                    double distance_m, std::optional<double> sog) {
    tracking::Fix f;
    f.mmsi = mmsi;
    f.time = at_minutes(minutes);
    f.received_at = f.time;
    f.position = geo::destination(pasni_centre, bearing_deg, distance_m);
    f.sog_knots = sog;
    f.cog_deg = bearing_deg;
    f.message_type = 1;
    f.feed = "test";
    return f;
}

} // namespace sahil::test
