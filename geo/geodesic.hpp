// sahil::geo — geodesic distance, bearing and destination on the WGS 84 ellipsoid.
//
// Example: distance_m({0, 0}, {1, 0}) == 110574.389 m (one degree of latitude at the equator).
// Data path: used by tracking (speed between fixes, plausibility), the rules (rendezvous,
// approach to a boundary) and by geo::ZoneIndex to turn projected distances into geodesic ones.
// Implementation: Charles Karney's algorithms as shipped in PROJ (<geodesic.h>: geod_init,
// geod_inverse, geod_direct), accurate to ~15 nanometres; no spherical approximation.
// Reference: C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87 (2013) 43-55.
// Thread-safety: pure functions over one immutable geod_geodesic; safe from any thread.
#pragma once

#include "geo/position.hpp"

namespace sahil::geo {

/// Metres in one international nautical mile (exact by definition: International Hydrographic
/// Conference 1929, BIPM SI Brochure table 8).
inline constexpr double metres_per_nautical_mile = 1852.0;

/// WGS 84 semi-major axis in metres (NIMA TR8350.2, table 3.1; EPSG:7030).
inline constexpr double wgs84_a_m = 6378137.0;

/// WGS 84 flattening (NIMA TR8350.2, table 3.1; EPSG:7030): 1 / 298.257223563.
inline constexpr double wgs84_f = 1.0 / 298.257223563;

/// Length in metres of the shortest path (geodesic) between two positions on WGS 84.
/// Result >= 0; 0 for identical positions. Accurate to well under a millimetre at any distance.
/// Returns NaN if either position fails is_valid(); never throws.
[[nodiscard]] double distance_m(const Position& a, const Position& b) noexcept;

/// Initial bearing (forward azimuth) of the geodesic from `from` to `to`, in degrees clockwise
/// from true north, range [0, 360). 0 when the two positions coincide.
/// Returns NaN if either position fails is_valid(); never throws.
[[nodiscard]] double initial_bearing_deg(const Position& from, const Position& to) noexcept;

/// The position reached by following the geodesic that leaves `from` with initial bearing
/// `bearing_deg` (degrees clockwise from true north, any value, reduced internally) for
/// `distance_m` metres (a negative distance goes backwards). Result lon_deg is in [-180, 180].
/// Returns {NaN, NaN} if `from` fails is_valid() or the arguments are not finite; never throws.
[[nodiscard]] Position destination(const Position& from, double bearing_deg,
                                   double distance_m) noexcept;

} // namespace sahil::geo
