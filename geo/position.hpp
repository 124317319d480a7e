// sahil::geo — geographic position (WGS 84 latitude/longitude in degrees).
//
// Example: Pasni town is Position{25.265222, 63.469819}.
// Data path: every AIS or patrol fix becomes a Position after normalisation (ais decode, then
// tracking); geodesic functions, zone lookups and the rules all take Positions.
// Thread-safety: plain value type; free functions are pure and safe to call from any thread.
#pragma once

#include <cmath>

namespace sahil::geo {

/// A point on the WGS 84 ellipsoid (EPSG:4326), latitude first as in EPSG:4326 axis order.
/// Valid ranges: lat_deg in [-90, 90] (positive north), lon_deg in [-180, 180] (positive east).
/// The AIS "not available" values (lat 91, lon 181) are never stored here: they become
/// std::optional<Position> upstream. Use is_valid() before trusting a Position built from input.
struct Position {
    double lat_deg; ///< geodetic latitude, degrees, [-90, 90]
    double lon_deg; ///< longitude east of Greenwich, degrees, [-180, 180]

    friend bool operator==(const Position&, const Position&) = default;
};

/// True when both coordinates are finite and in range:
/// lat_deg in [-90, 90] and lon_deg in [-180, 180].
[[nodiscard]] inline bool is_valid(const Position& p) noexcept {
    return std::isfinite(p.lat_deg) && std::isfinite(p.lon_deg) && p.lat_deg >= -90.0 &&
           p.lat_deg <= 90.0 && p.lon_deg >= -180.0 && p.lon_deg <= 180.0;
}

} // namespace sahil::geo
