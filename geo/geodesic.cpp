#include "geo/geodesic.hpp"

#include <cmath>
#include <limits>

#include <geodesic.h>

namespace sahil::geo {
namespace {

const geod_geodesic& wgs84() noexcept {
    // geod_init only fills in constants; the struct is read-only afterwards, so sharing one
    // instance between threads is safe.
    static const geod_geodesic g = [] {
        geod_geodesic init{};
        geod_init(&init, wgs84_a_m, wgs84_f);
        return init;
    }();
    return g;
}

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

} // namespace

double distance_m(const Position& a, const Position& b) noexcept {
    if (!is_valid(a) || !is_valid(b)) {
        return nan;
    }
    double s12 = 0.0;
    geod_inverse(&wgs84(), a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, &s12, nullptr, nullptr);
    return s12;
}

double initial_bearing_deg(const Position& from, const Position& to) noexcept {
    if (!is_valid(from) || !is_valid(to)) {
        return nan;
    }
    double s12 = 0.0;
    double azi1 = 0.0;
    geod_inverse(&wgs84(), from.lat_deg, from.lon_deg, to.lat_deg, to.lon_deg, &s12, &azi1,
                 nullptr);
    if (s12 == 0.0) {
        return 0.0; // geod_inverse still reports an azimuth for coincident points; it means nothing
    }
    double bearing = azi1 < 0.0 ? azi1 + 360.0 : azi1; // geod_inverse gives (-180, 180]
    if (bearing >= 360.0) {
        bearing -= 360.0; // -1e-17 + 360 rounds to 360
    }
    return bearing == 0.0 ? 0.0 : bearing; // no -0
}

Position destination(const Position& from, double bearing_deg, double distance_m) noexcept {
    if (!is_valid(from) || !std::isfinite(bearing_deg) || !std::isfinite(distance_m)) {
        return {nan, nan};
    }
    Position to{nan, nan};
    geod_direct(&wgs84(), from.lat_deg, from.lon_deg, bearing_deg, distance_m, &to.lat_deg,
                &to.lon_deg, nullptr);
    return to;
}

} // namespace sahil::geo
