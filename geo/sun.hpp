// sahil::geo — position of the sun: elevation above the horizon at a place and instant, and
// whether it is night there (sun below civil twilight, -6 degrees).
//
// Example: at Gwadar {25.12, 62.33}, sun_elevation_deg at 2026-06-21T08:09:27Z ~= 85.78 degrees
//          (solar noon at the June solstice); is_night at 2026-06-21T15:10:00Z is true (civil
//          dusk 15:09:22Z).
// Data path: the night-departure and loitering rules (anomaly-rules.md R3, R8, R10: "night = sun
// below -6 degrees at the vessel position") ask it for each departure or event; nothing stores it.
// Method: the NOAA ESRL Solar Calculator (gml.noaa.gov/grad/solcalc, spreadsheet "NOAA_Solar_
// Calculations_day.xls"), itself from J. Meeus, Astronomical Algorithms (2nd ed. 1998), ch. 25
// (low-accuracy solar coordinates: mean longitude, mean anomaly, equation of centre, apparent
// longitude with nutation/aberration terms, obliquity) and the equation of time (ch. 28, Smart's
// series). Universal time is used for TT (Delta T ~69 s moves the sun's longitude by < 0.001 deg).
// The elevation is geocentric (the sun's parallax, < 0.0025 deg, is ignored) and geometric (no
// refraction) unless Refraction::standard is asked for.
// Accuracy, measured against PyEphem 4.1.4 (VSOP87, Delta T, parallax): geometric elevation
// within 0.015 deg on tests/data/sun/expected_elevations.csv (33 instants at Gwadar, Pasni,
// Jiwani, Karachi, 2025-2027: solstices, equinoxes, dawn, noon, dusk, midnight; the test allows
// 0.05 deg) and within 0.016 deg on 3,000 random instants 1950-2099 at latitudes up to 70 deg;
// civil dawn and dusk found with is_night() within 1.4 s of PyEphem's at Gwadar. The NOAA series
// is meant for 1901-2099; the error grows slowly outside.
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <chrono>

#include "geo/position.hpp"

namespace sahil::geo {

/// Whether sun_elevation_deg() adds atmospheric refraction.
enum class Refraction {
    none,     ///< geometric elevation of the sun's centre (what twilight definitions use)
    standard, ///< apparent elevation: NOAA's refraction approximation for a standard atmosphere
              ///< (about 1010 hPa, 10 degC): 0.48 deg at geometric 0 deg, 0.02 deg at 45 deg,
              ///< none above 85 deg. Within 0.02 deg of PyEphem's apparent elevation when the
              ///< geometric one is >= 0 deg; below the horizon the models part (up to 0.3 deg
              ///< between -1 and 0 deg) and the value means little.
};

/// Elevation (altitude) of the sun's centre above the horizon at `p` and instant `t`, in degrees,
/// range [-90, 90]: negative below the horizon. `t` is UTC (Unix time, no leap seconds; the same
/// type as ais::UtcTime). Geometric unless `refraction` is Refraction::standard. Accuracy: see
/// the file comment (geometric within 0.02 deg for 1901-2099). Returns NaN if `p` fails
/// is_valid(); never throws.
[[nodiscard]] double sun_elevation_deg(const Position& p,
                                       std::chrono::sys_time<std::chrono::milliseconds> t,
                                       Refraction refraction = Refraction::none) noexcept;

/// True when the sun's centre is below `threshold_deg` (geometric elevation, degrees) at `p` and
/// instant `t`. The default -6 deg is the end of civil twilight (US Naval Observatory definition;
/// anomaly-rules.md: "night = sun below -6 degrees"); use -12 for nautical, -18 for astronomical
/// twilight, 0 for sunset of the centre without refraction. Civil dawn and dusk found this way
/// agree with PyEphem within 2 s at Pakistan's latitudes. False if `p` fails is_valid()
/// or `threshold_deg` is NaN; never throws.
[[nodiscard]] bool is_night(const Position& p, std::chrono::sys_time<std::chrono::milliseconds> t,
                            double threshold_deg = -6.0) noexcept;

} // namespace sahil::geo
