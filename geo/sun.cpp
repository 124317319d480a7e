#include "geo/sun.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>

// The formulas follow the NOAA Solar Calculator spreadsheet column by column (names in the
// comments), which implements Meeus, Astronomical Algorithms, ch. 25 and 28. Angles are converted
// to radians only where a trigonometric function needs them.

namespace sahil::geo {
namespace {

constexpr double deg = std::numbers::pi / 180.0;

/// Unix time (s) of J2000.0, 2000-01-01T12:00:00 (taken as UTC; see Delta T in sun.hpp).
constexpr std::int64_t j2000_unix_ms = 946'728'000'000;
constexpr std::int64_t ms_per_day = 86'400'000;

/// Sun's declination and the equation of time at one instant.
struct SolarCoordinates {
    double declination_rad;
    double equation_of_time_min; ///< apparent minus mean solar time, minutes
};

SolarCoordinates solar_coordinates(std::int64_t unix_ms) {
    // Julian centuries since J2000.0 ("Julian Century"). Integer days first so that the
    // fraction keeps millisecond resolution.
    const std::int64_t since_ms = unix_ms - j2000_unix_ms;
    const double days =
        static_cast<double>(since_ms / ms_per_day) +
        static_cast<double>(since_ms % ms_per_day) / static_cast<double>(ms_per_day);
    const double t = days / 36525.0;

    // Geometric mean longitude and mean anomaly of the sun, eccentricity of Earth's orbit
    // (Meeus 25.2, 25.3, 25.4).
    const double mean_longitude_deg =
        std::fmod(280.46646 + t * (36000.76983 + t * 0.0003032), 360.0);
    const double mean_anomaly_deg = 357.52911 + t * (35999.05029 - t * 0.0001537);
    const double eccentricity = 0.016708634 - t * (0.000042037 + t * 0.0000001267);

    // Equation of centre, true and apparent longitude (nutation and aberration, Meeus 25.5ff).
    const double m = mean_anomaly_deg * deg;
    const double centre_deg = std::sin(m) * (1.914602 - t * (0.004817 + t * 0.000014)) +
                              std::sin(2.0 * m) * (0.019993 - t * 0.000101) +
                              std::sin(3.0 * m) * 0.000289;
    const double omega = (125.04 - 1934.136 * t) * deg;
    const double apparent_longitude =
        (mean_longitude_deg + centre_deg - 0.00569 - 0.00478 * std::sin(omega)) * deg;

    // Mean obliquity of the ecliptic (Meeus 22.2) and its correction for nutation.
    const double mean_obliquity_deg =
        23.0 + (26.0 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60.0) / 60.0;
    const double obliquity = (mean_obliquity_deg + 0.00256 * std::cos(omega)) * deg;

    const double declination = std::asin(std::sin(obliquity) * std::sin(apparent_longitude));

    // Equation of time (Meeus 28.3, Smart's series), radians then minutes of time.
    const double y = std::pow(std::tan(obliquity / 2.0), 2.0);
    const double l0 = mean_longitude_deg * deg;
    const double eot_rad = y * std::sin(2.0 * l0) - 2.0 * eccentricity * std::sin(m) +
                           4.0 * eccentricity * y * std::sin(m) * std::cos(2.0 * l0) -
                           0.5 * y * y * std::sin(4.0 * l0) -
                           1.25 * eccentricity * eccentricity * std::sin(2.0 * m);
    return {declination, 4.0 * eot_rad / deg};
}

/// NOAA's refraction correction (degrees) for a geometric elevation in degrees.
double standard_refraction_deg(double elevation_deg) {
    if (elevation_deg > 85.0) {
        return 0.0;
    }
    const double te = std::tan(elevation_deg * deg);
    double arcsec = 0.0;
    if (elevation_deg > 5.0) {
        arcsec = 58.1 / te - 0.07 / (te * te * te) + 0.000086 / std::pow(te, 5.0);
    } else if (elevation_deg > -0.575) {
        const double h = elevation_deg;
        arcsec = 1735.0 + h * (-518.2 + h * (103.4 + h * (-12.79 + h * 0.711)));
    } else {
        arcsec = -20.774 / te;
    }
    return arcsec / 3600.0;
}

} // namespace

double sun_elevation_deg(const Position& p, std::chrono::sys_time<std::chrono::milliseconds> t,
                         Refraction refraction) noexcept {
    if (!is_valid(p)) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    const std::int64_t unix_ms = t.time_since_epoch().count();
    const SolarCoordinates sun = solar_coordinates(unix_ms);

    // True solar time (minutes after apparent midnight) and the hour angle (0 at solar noon).
    const std::int64_t ms_of_day = ((unix_ms % ms_per_day) + ms_per_day) % ms_per_day;
    const double minutes_of_day = static_cast<double>(ms_of_day) / 60'000.0;
    const double true_solar_min = minutes_of_day + sun.equation_of_time_min + 4.0 * p.lon_deg;
    const double hour_angle = (true_solar_min / 4.0 - 180.0) * deg;

    // Elevation from sine and cosine rather than acos of the zenith cosine (NOAA's way), which
    // loses precision with the sun near the zenith (it passes within 2 deg of it in June here).
    const double lat = p.lat_deg * deg;
    const double sin_elevation =
        std::sin(lat) * std::sin(sun.declination_rad) +
        std::cos(lat) * std::cos(sun.declination_rad) * std::cos(hour_angle);
    const double east = std::cos(sun.declination_rad) * std::sin(hour_angle);
    const double north = std::cos(lat) * std::sin(sun.declination_rad) -
                         std::sin(lat) * std::cos(sun.declination_rad) * std::cos(hour_angle);
    const double elevation_deg = std::atan2(sin_elevation, std::hypot(east, north)) / deg;
    if (refraction == Refraction::standard) {
        return elevation_deg + standard_refraction_deg(elevation_deg);
    }
    return elevation_deg;
}

bool is_night(const Position& p, std::chrono::sys_time<std::chrono::milliseconds> t,
              double threshold_deg) noexcept {
    return sun_elevation_deg(p, t) < threshold_deg; // false for NaN
}

} // namespace sahil::geo
