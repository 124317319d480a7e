#include "geo/boundary.hpp"

#include "geo/gdal_support.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <numbers>
#include <set>
#include <utility>

#include <cpl_error.h>
#include <gdal.h>
#include <gdal_priv.h>
#include <geodesic.h>
#include <ogr_core.h>
#include <ogr_feature.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "geo/geo_error.hpp"
#include "geo/geodesic.hpp"

// How the queries work
// --------------------
// At construction every edge is cut into pieces of at most 0.01° of latitude and longitude
// (<= 1.6 km) and each piece end is stored three ways: lon/lat, Earth-centred Cartesian (ECEF,
// metres, on the ellipsoid) and Mercator (x = longitude, y = isometric latitude, radians).
//
// distance_m: the straight 3-D chord between two points of the ellipsoid is a lower bound of the
// geodesic distance s, and a tight one: no normal section is more curved than the meridian at the
// equator (radius R = a(1 - e^2)), so by Schur's comparison theorem s <= 2R asin(chord / 2R), and
// the two differ by at most chord^3 / 24R^2 (2 mm at 13 km, 180 m at 555 km). A piece lies within
// `piece_slack_m` of its chord. So: (1) find the piece with the nearest chord, (2) refine it
// exactly, (3) refine every other piece whose chord distance minus the slack does not exceed the
// best exact distance; the tightness keeps (3) to a neighbouring piece or two near the coast and
// to a dozen or two at 300 nm. "Refine" minimises the geodesic distance (geod_inverse) along the
// lon/lat piece with Newton steps: the derivative of s when the end moves along the piece is
// cos(arrival azimuth - piece azimuth) and the curvature is ~1/s, so two or three steps reach
// sub-millimetre. Every evaluated point lies on the line, so the result never undershoots, and
// the bounds guarantee no piece is missed.
//
// crossed / predict_crossing: a rhumb line is straight in Mercator coordinates, and a 0.01° piece
// of a lon/lat-straight edge is straight there within a centimetre, so the first meeting is found
// by planar segment intersection, then polished with Newton steps onto the lon/lat piece itself
// (whether a track that grazes a line within a centimetre meets it is decided on the chord).
// Rhumb distances use the meridian arc M(lat) (Helmert's series in the third flattening, error
// O(n^5) ~ 1e-14) and its Newton inverse: along a rhumb line of course a, dM = s cos(a) and
// dlon = s sin(a) dpsi/dM.

namespace sahil::geo {
namespace {

constexpr double deg = std::numbers::pi / 180.0;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

/// WGS 84 first eccentricity squared and third flattening.
constexpr double e2 = wgs84_f * (2.0 - wgs84_f);
constexpr double third_flattening = wgs84_f / (2.0 - wgs84_f);

/// Longest piece of a densified edge, degrees of longitude or latitude.
constexpr double max_piece_deg = 0.01;
/// Bound on how far a piece strays from its 3-D chord (computed: at most 0.055 m for a
/// 0.01° x 0.01° piece at any latitude).
constexpr double piece_slack_m = 1.0;
/// Newton steps along a piece stop when they move the point less than this (metres).
constexpr double refine_tolerance_m = 1e-4;
/// Below this latitude difference (radians, ~0.6 m) rhumb formulas use the east-west limit.
constexpr double east_west_dlat_rad = 1e-7;
/// Parameter slack in segment intersection, so a track through a shared vertex is not missed.
constexpr double intersection_slack = 1e-12;
/// Track parameters closer than this count as the same meeting point (1 um on a 1,000 km track).
constexpr double tie_slack = 1e-12;

const geod_geodesic& wgs84() noexcept {
    // Read-only after geod_init: safe to share between threads.
    static const geod_geodesic g = [] {
        geod_geodesic init{};
        geod_init(&init, wgs84_a_m, wgs84_f);
        return init;
    }();
    return g;
}

// --- ellipsoid helpers (angles in radians) -------------------------------------------------

double eccentricity() {
    static const double e = std::sqrt(e2);
    return e;
}

/// Prime-vertical radius of curvature N(lat).
double prime_vertical_radius_m(double lat) {
    const double s = std::sin(lat);
    return wgs84_a_m / std::sqrt(1.0 - e2 * s * s);
}

/// Meridian radius of curvature M'(lat) = dM/dlat.
double meridian_radius_m(double lat) {
    const double s = std::sin(lat);
    const double w = std::sqrt(1.0 - e2 * s * s);
    return wgs84_a_m * (1.0 - e2) / (w * w * w);
}

/// Meridian arc from the equator to `lat`, metres (Helmert's series; see the file comment).
double meridian_arc_m(double lat) {
    const double n = third_flattening;
    const double n2 = n * n;
    return wgs84_a_m / (1.0 + n) *
           ((1.0 + n2 / 4.0 + n2 * n2 / 64.0) * lat -
            1.5 * (n - n2 * n / 8.0) * std::sin(2.0 * lat) +
            15.0 / 16.0 * (n2 - n2 * n2 / 4.0) * std::sin(4.0 * lat) -
            35.0 / 48.0 * n2 * n * std::sin(6.0 * lat) +
            315.0 / 512.0 * n2 * n2 * std::sin(8.0 * lat));
}

/// Latitude whose meridian arc is `arc_m` (|arc_m| <= quarter meridian). Newton from the
/// rectifying latitude; converges to 1e-15 rad in 3-4 steps.
double latitude_of_arc(double arc_m) {
    const double n2 = third_flattening * third_flattening;
    double lat = arc_m / (wgs84_a_m / (1.0 + third_flattening) * (1.0 + n2 / 4.0 + n2 * n2 / 64.0));
    for (int i = 0; i < 8; ++i) {
        const double step = (meridian_arc_m(lat) - arc_m) / meridian_radius_m(lat);
        lat -= step;
        if (std::abs(step) < 1e-15) {
            break;
        }
    }
    return std::clamp(lat, -std::numbers::pi / 2.0, std::numbers::pi / 2.0);
}

/// Isometric latitude psi(lat): the Mercator ordinate on the ellipsoid, radians.
double isometric_latitude(double lat) {
    return std::asinh(std::tan(lat)) - eccentricity() * std::atanh(eccentricity() * std::sin(lat));
}

/// Inverse of isometric_latitude (Newton from the spherical value).
double latitude_of_isometric(double psi) {
    double lat = std::atan(std::sinh(psi));
    for (int i = 0; i < 8; ++i) {
        const double s = std::sin(lat);
        const double derivative = (1.0 - e2) / ((1.0 - e2 * s * s) * std::cos(lat));
        const double step = (isometric_latitude(lat) - psi) / derivative;
        lat -= step;
        if (!(std::abs(step) >= 1e-15)) {
            break; // converged (or NaN at a pole: leave it to the caller)
        }
    }
    return lat;
}

/// d(longitude)/d(east-west metres) along a rhumb line between two latitudes: dpsi / dM, or its
/// limit 1 / (N cos lat) when the latitudes (nearly) coincide.
double rhumb_lon_per_metre(double lat1, double lat2, double arc_delta_m) {
    if (std::abs(lat2 - lat1) >= east_west_dlat_rad) {
        return (isometric_latitude(lat2) - isometric_latitude(lat1)) / arc_delta_m;
    }
    const double mid = (lat1 + lat2) / 2.0;
    return 1.0 / (prime_vertical_radius_m(mid) * std::cos(mid));
}

/// Rhumb-line distance (m) between two points given in radians, longitude difference unwrapped.
double rhumb_distance_m(double lat1, double lat2, double dlon) {
    const double arc_delta = meridian_arc_m(lat2) - meridian_arc_m(lat1);
    return std::hypot(arc_delta, dlon / rhumb_lon_per_metre(lat1, lat2, arc_delta));
}

/// End of a rhumb line in radians with the longitude NOT reduced; nullopt past a pole.
std::optional<std::pair<double, double>> rhumb_end(double lat, double lon, double course,
                                                   double distance) {
    const double arc_delta = distance * std::cos(course);
    const double arc_end = meridian_arc_m(lat) + arc_delta;
    if (std::abs(arc_end) > meridian_arc_m(std::numbers::pi / 2.0)) {
        return std::nullopt;
    }
    const double lat_end = latitude_of_arc(arc_end);
    const double dlon = distance * std::sin(course) * rhumb_lon_per_metre(lat, lat_end, arc_delta);
    if (!std::isfinite(dlon)) {
        return std::nullopt; // reached a pole exactly
    }
    return std::pair{lat_end, lon + dlon};
}

// --- plane and space vectors ---------------------------------------------------------------

struct Vec3 {
    double x, y, z;
};

Vec3 operator-(const Vec3& a, const Vec3& b) {
    return {a.x - b.x, a.y - b.y, a.z - b.z};
}
double dot(const Vec3& a, const Vec3& b) {
    return a.x * b.x + a.y * b.y + a.z * b.z;
}

Vec3 to_ecef(const Position& p) {
    const double lat = p.lat_deg * deg;
    const double lon = p.lon_deg * deg;
    const double n = prime_vertical_radius_m(lat);
    return {n * std::cos(lat) * std::cos(lon), n * std::cos(lat) * std::sin(lon),
            n * (1.0 - e2) * std::sin(lat)};
}

struct Vec2 {
    double x, y;
};

double cross(const Vec2& a, const Vec2& b) {
    return a.x * b.y - a.y * b.x;
}

Vec2 to_mercator(const Position& p) {
    return {p.lon_deg * deg, isometric_latitude(p.lat_deg * deg)};
}

/// Distance from q to the 3-D segment a-b and the parameter of the foot, [0, 1].
std::pair<double, double> chord_distance(const Vec3& q, const Vec3& a, const Vec3& b) {
    const Vec3 v = b - a;
    const Vec3 w = q - a;
    const double len2 = dot(v, v);
    const double t = len2 > 0.0 ? std::clamp(dot(w, v) / len2, 0.0, 1.0) : 0.0;
    const Vec3 d{w.x - t * v.x, w.y - t * v.y, w.z - t * v.z};
    return {std::sqrt(dot(d, d)), t};
}

Position lerp(const Position& a, const Position& b, double t) {
    return {a.lat_deg + t * (b.lat_deg - a.lat_deg), a.lon_deg + t * (b.lon_deg - a.lon_deg)};
}

} // namespace

namespace detail {

/// A point of a line and its geodesic distance from the query.
struct LinePoint {
    double distance_m;
    Position point;
};

/// The first meeting of a track with a line: track parameter u in [0, 1] and the line point.
struct TrackHit {
    double u;
    Position point;
};

/// Densified line in lon/lat, ECEF and Mercator coordinates. Immutable after construction.
class BoundaryOutline {
public:
    explicit BoundaryOutline(const std::vector<std::vector<Position>>& parts) {
        for (const std::vector<Position>& part : parts) {
            for (std::size_t i = 0; i + 1 < part.size(); ++i) {
                const Position& a = part[i];
                const Position& b = part[i + 1];
                const double span =
                    std::max(std::abs(b.lon_deg - a.lon_deg), std::abs(b.lat_deg - a.lat_deg));
                const auto steps = static_cast<std::size_t>(std::ceil(span / max_piece_deg));
                for (std::size_t k = 0; k < steps; ++k) {
                    m_starts.push_back(m_lonlat.size());
                    m_lonlat.push_back(
                        lerp(a, b, static_cast<double>(k) / static_cast<double>(steps)));
                }
            }
            m_lonlat.push_back(part.back()); // the last piece of the part ends here
        }
        Vec3 low{inf, inf, inf};
        Vec3 high{-inf, -inf, -inf};
        for (const Position& p : m_lonlat) {
            const Vec3 v = to_ecef(p);
            m_ecef.push_back(v);
            m_mercator.push_back(to_mercator(p));
            low = {std::min(low.x, v.x), std::min(low.y, v.y), std::min(low.z, v.z)};
            high = {std::max(high.x, v.x), std::max(high.y, v.y), std::max(high.z, v.z)};
            m_low = {std::min(m_low.x, m_mercator.back().x),
                     std::min(m_low.y, m_mercator.back().y)};
            m_high = {std::max(m_high.x, m_mercator.back().x),
                      std::max(m_high.y, m_mercator.back().y)};
        }
        m_centre = {(low.x + high.x) / 2.0, (low.y + high.y) / 2.0, (low.z + high.z) / 2.0};
        for (const Vec3& v : m_ecef) {
            const Vec3 d = v - m_centre;
            m_radius_m = std::max(m_radius_m, std::sqrt(dot(d, d)));
        }
        m_radius_m += piece_slack_m;
    }

    /// Lower bound (m) on the geodesic distance from a point at ECEF `q` to any point of the line.
    [[nodiscard]] double lower_bound_m(const Vec3& q) const {
        const Vec3 d = q - m_centre;
        return std::sqrt(dot(d, d)) - m_radius_m;
    }

    /// The nearest point of the line to p (ECEF q) if its distance is <= limit_m; otherwise
    /// distance_m = +inf. Allocates nothing.
    [[nodiscard]] LinePoint nearest(const Position& p, const Vec3& q, double limit_m) const {
        LinePoint best{inf, {nan, nan}};
        if (m_starts.empty() || lower_bound_m(q) > limit_m) {
            return best;
        }
        std::size_t first = 0;
        double first_chord = inf;
        double first_t = 0.0;
        for (std::size_t k = 0; k < m_starts.size(); ++k) {
            const auto [chord, t] = chord_distance(q, m_ecef[m_starts[k]], m_ecef[m_starts[k] + 1]);
            if (chord < first_chord) {
                first = k;
                first_chord = chord;
                first_t = t;
            }
        }
        if (first_chord - piece_slack_m > limit_m) {
            return best;
        }
        refine(p, first, first_t, best);
        for (std::size_t k = 0; k < m_starts.size(); ++k) {
            if (k == first) {
                continue;
            }
            const auto [chord, t] = chord_distance(q, m_ecef[m_starts[k]], m_ecef[m_starts[k] + 1]);
            if (chord - piece_slack_m <= std::min(best.distance_m, limit_m)) {
                refine(p, k, t, best);
            }
        }
        if (!(best.distance_m <= limit_m)) {
            best.distance_m = inf;
        }
        return best;
    }

    /// First meeting of the Mercator segment from-to with the line, if any.
    [[nodiscard]] std::optional<TrackHit> first_hit(const Vec2& from, const Vec2& to) const {
        if (std::max(from.x, to.x) < m_low.x || std::min(from.x, to.x) > m_high.x ||
            std::max(from.y, to.y) < m_low.y || std::min(from.y, to.y) > m_high.y) {
            return std::nullopt;
        }
        const Vec2 r{to.x - from.x, to.y - from.y};
        std::optional<TrackHit> hit;
        for (const std::size_t start : m_starts) {
            const Vec2& a = m_mercator[start];
            const Vec2& b = m_mercator[start + 1];
            if (std::max(a.x, b.x) < std::min(from.x, to.x) ||
                std::min(a.x, b.x) > std::max(from.x, to.x) ||
                std::max(a.y, b.y) < std::min(from.y, to.y) ||
                std::min(a.y, b.y) > std::max(from.y, to.y)) {
                continue;
            }
            std::optional<std::pair<double, double>> uv = intersect(from, r, a, b);
            if (!uv) {
                continue;
            }
            uv = polish(from, r, start, *uv);
            if (!hit || uv->first < hit->u) {
                hit = TrackHit{uv->first, lerp(m_lonlat[start], m_lonlat[start + 1], uv->second)};
            }
        }
        return hit;
    }

private:
    /// Minimises the geodesic distance from p along piece k, starting at parameter t; keeps the
    /// best point found in `best`.
    void refine(const Position& p, std::size_t k, double t, LinePoint& best) const {
        const Position& a = m_lonlat[m_starts[k]];
        const Position& b = m_lonlat[m_starts[k] + 1];
        const double dlat = (b.lat_deg - a.lat_deg) * deg;
        const double dlon = (b.lon_deg - a.lon_deg) * deg;
        for (int i = 0; i < 8; ++i) {
            const Position x = lerp(a, b, t);
            double s = 0.0;
            double azi1 = 0.0;
            double azi2 = 0.0;
            geod_inverse(&wgs84(), p.lat_deg, p.lon_deg, x.lat_deg, x.lon_deg, &s, &azi1, &azi2);
            if (s < best.distance_m) {
                best = {s, x};
            }
            if (s == 0.0) {
                return;
            }
            // The piece's direction and metres per unit t at x.
            const double lat = x.lat_deg * deg;
            const double north = meridian_radius_m(lat) * dlat;
            const double east = prime_vertical_radius_m(lat) * std::cos(lat) * dlon;
            const double metres_per_t = std::hypot(north, east);
            const double angle = azi2 * deg - std::atan2(east, north);
            const double sin2 = std::max(std::pow(std::sin(angle), 2.0), 0.05);
            const double step_m = -s * std::cos(angle) / sin2;
            const double next = std::clamp(t + step_m / metres_per_t, 0.0, 1.0);
            if (std::abs(next - t) * metres_per_t < refine_tolerance_m) {
                return;
            }
            t = next;
        }
    }

    /// The piece is straight in lon/lat, so very slightly curved in Mercator (~1 cm over its
    /// length): Newton steps on the piece parameter v move the meeting point found on the chord
    /// onto the lon/lat piece and the track at once. Returns the polished (u, v).
    [[nodiscard]] std::pair<double, double>
    polish(const Vec2& from, const Vec2& r, std::size_t start, std::pair<double, double> uv) const {
        const Position& a = m_lonlat[start];
        const Position& b = m_lonlat[start + 1];
        const double dlat = (b.lat_deg - a.lat_deg) * deg;
        const double dlon = (b.lon_deg - a.lon_deg) * deg;
        double v = uv.second;
        Vec2 at{};
        for (int i = 0; i < 4; ++i) {
            const double lat = a.lat_deg * deg + v * dlat;
            at = {a.lon_deg * deg + v * dlon, isometric_latitude(lat)};
            const double side = cross(r, Vec2{at.x - from.x, at.y - from.y});
            const double s = std::sin(lat);
            const double dpsi = dlat * (1.0 - e2) / ((1.0 - e2 * s * s) * std::cos(lat));
            const double slope = cross(r, Vec2{dlon, dpsi});
            if (std::abs(slope) <= 1e-9 * std::hypot(r.x, r.y) * std::hypot(dlon, dpsi)) {
                return uv; // track and piece (nearly) parallel: keep the chord's answer
            }
            const double next = std::clamp(v - side / slope, 0.0, 1.0);
            const bool done = std::abs(next - v) < 1e-15;
            v = next;
            if (done) {
                break;
            }
        }
        const double lat = a.lat_deg * deg + v * dlat;
        at = {a.lon_deg * deg + v * dlon, isometric_latitude(lat)};
        const double u = ((at.x - from.x) * r.x + (at.y - from.y) * r.y) / (r.x * r.x + r.y * r.y);
        return {std::clamp(u, 0.0, 1.0), v};
    }

    /// Intersection of from + u r (u in [0, 1]) with segment a-b: the smallest u and the
    /// parameter on a-b, or nullopt.
    static std::optional<std::pair<double, double>> intersect(const Vec2& from, const Vec2& r,
                                                              const Vec2& a, const Vec2& b) {
        const Vec2 s{b.x - a.x, b.y - a.y};
        const Vec2 qp{a.x - from.x, a.y - from.y};
        const double denom = cross(r, s);
        const double scale = std::hypot(r.x, r.y) * std::hypot(s.x, s.y);
        if (std::abs(denom) > 1e-14 * scale) {
            const double u = cross(qp, s) / denom;
            const double v = cross(qp, r) / denom;
            constexpr double lo = -intersection_slack;
            constexpr double hi = 1.0 + intersection_slack;
            if (u >= lo && u <= hi && v >= lo && v <= hi) {
                return std::pair{std::clamp(u, 0.0, 1.0), std::clamp(v, 0.0, 1.0)};
            }
            return std::nullopt;
        }
        // Parallel: only a collinear overlap meets.
        const double r2 = r.x * r.x + r.y * r.y;
        const double s2 = s.x * s.x + s.y * s.y;
        if (r2 == 0.0 || s2 == 0.0 || std::abs(cross(qp, r)) > 1e-14 * scale + 1e-15) {
            return std::nullopt;
        }
        const double u0 = (qp.x * r.x + qp.y * r.y) / r2;
        const double u1 = ((b.x - from.x) * r.x + (b.y - from.y) * r.y) / r2;
        const double u = std::max(0.0, std::min(u0, u1));
        if (u > std::min(1.0, std::max(u0, u1))) {
            return std::nullopt;
        }
        // The line point at track parameter u, as a parameter on a-b.
        const Vec2 at{from.x + u * r.x - a.x, from.y + u * r.y - a.y};
        return std::pair{u, std::clamp((at.x * s.x + at.y * s.y) / s2, 0.0, 1.0)};
    }

    std::vector<Position> m_lonlat;    ///< densified vertices, parts one after another
    std::vector<Vec3> m_ecef;          ///< the same, Earth-centred Cartesian, metres
    std::vector<Vec2> m_mercator;      ///< the same, (lon, isometric lat) radians
    std::vector<std::size_t> m_starts; ///< piece k runs from vertex m_starts[k] to m_starts[k]+1
    Vec3 m_centre{0.0, 0.0, 0.0};      ///< centre of the ECEF bounding sphere
    double m_radius_m = 0.0;           ///< its radius, plus the piece slack
    Vec2 m_low{inf, inf};              ///< Mercator bounding box
    Vec2 m_high{-inf, -inf};
};

} // namespace detail

// --- lines ------------------------------------------------------------------------------------

BoundaryLine make_boundary_line(std::string id, std::string name, std::string status,
                                std::map<std::string, std::string> properties,
                                std::vector<std::vector<Position>> parts) {
    if (parts.empty()) {
        throw GeoError("line has no vertices", {}, {}, id);
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::vector<Position>& part = parts[i];
        for (const Position& v : part) {
            if (!is_valid(v)) {
                throw GeoError("coordinate out of range or not finite (lon " +
                                   std::to_string(v.lon_deg) + ", lat " +
                                   std::to_string(v.lat_deg) +
                                   "); lines must be WGS 84 longitude/latitude degrees",
                               {}, {}, id);
            }
        }
        const bool distinct = std::any_of(part.begin(), part.end(),
                                          [&part](const Position& v) { return v != part.front(); });
        if (!distinct) {
            throw GeoError("part " + std::to_string(i) +
                               " has fewer than two distinct vertices (not a line)",
                           {}, {}, id);
        }
    }
    BoundaryLine line;
    line.outline = std::make_shared<const detail::BoundaryOutline>(parts);
    line.id = std::move(id);
    line.name = std::move(name);
    line.status = std::move(status);
    line.properties = std::move(properties);
    line.parts = std::move(parts);
    return line;
}

double distance_m(const Position& p, const BoundaryLine& line) noexcept {
    if (!is_valid(p) || !line.outline) {
        return nan;
    }
    return line.outline->nearest(p, to_ecef(p), inf).distance_m;
}

Position rhumb_destination(const Position& from, double course_deg, double distance_m) noexcept {
    if (!is_valid(from) || !std::isfinite(course_deg) || !std::isfinite(distance_m)) {
        return {nan, nan};
    }
    const auto end = rhumb_end(from.lat_deg * deg, from.lon_deg * deg,
                               std::fmod(course_deg, 360.0) * deg, distance_m);
    if (!end) {
        return {nan, nan};
    }
    return {end->first / deg, std::remainder(end->second / deg, 360.0)};
}

// --- index ------------------------------------------------------------------------------------

BoundaryIndex::BoundaryIndex(std::vector<BoundaryLine> lines) : m_lines(std::move(lines)) {}

BoundaryIndex BoundaryIndex::from_lines(std::vector<BoundaryLine> lines) {
    std::set<std::string, std::less<>> ids;
    for (const BoundaryLine& line : lines) {
        if (!line.outline) {
            throw GeoError("line was not built by make_boundary_line() (no outline)", {}, {},
                           line.id);
        }
        if (!ids.insert(line.id).second) {
            throw GeoError("duplicate line id", {}, {}, line.id);
        }
    }
    return BoundaryIndex(std::move(lines));
}

const BoundaryLine* BoundaryIndex::find(std::string_view id) const {
    const auto it = std::find_if(m_lines.begin(), m_lines.end(),
                                 [id](const BoundaryLine& line) { return line.id == id; });
    return it == m_lines.end() ? nullptr : &*it;
}

std::optional<BoundaryNearest> BoundaryIndex::nearest(const Position& p, double limit_m) const {
    if (!is_valid(p) || !(limit_m >= 0.0)) {
        return std::nullopt;
    }
    const Vec3 q = to_ecef(p);
    // Lines in order of their lower bound, so that the first measured usually lets the bounding
    // spheres rule out the others.
    std::vector<std::pair<double, std::size_t>> order;
    order.reserve(m_lines.size());
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        if (m_lines[i].outline) {
            order.emplace_back(m_lines[i].outline->lower_bound_m(q), i);
        }
    }
    std::sort(order.begin(), order.end());
    std::optional<BoundaryNearest> best;
    std::size_t best_index = 0;
    for (const auto& [lower_bound, i] : order) {
        const double bound = best ? std::min(best->distance_m, limit_m) : limit_m;
        if (lower_bound > bound) {
            break;
        }
        const BoundaryLine& line = m_lines[i];
        const detail::LinePoint found = line.outline->nearest(p, q, bound);
        if (!(found.distance_m <= bound)) {
            continue;
        }
        // Ties go to the line loaded first.
        if (!best || found.distance_m < best->distance_m ||
            (found.distance_m == best->distance_m && i < best_index)) {
            best = BoundaryNearest{&line, found.distance_m, found.point};
            best_index = i;
        }
    }
    return best;
}

namespace {

/// The first line met by the Mercator segment from-to (lat/lon in radians, `to` unwrapped).
std::optional<BoundaryCrossing> first_crossing(const std::vector<BoundaryLine>& lines, double lat0,
                                               double lon0, double lat1, double lon1) {
    const Vec2 from{lon0, isometric_latitude(lat0)};
    const Vec2 to{lon1, isometric_latitude(lat1)};
    if (from.x == to.x && from.y == to.y) {
        return std::nullopt;
    }
    std::optional<BoundaryCrossing> best;
    double best_u = inf;
    for (const BoundaryLine& line : lines) {
        if (!line.outline) {
            continue;
        }
        const std::optional<detail::TrackHit> hit = line.outline->first_hit(from, to);
        // A later line must meet the track clearly earlier to win: two lines sharing a vertex
        // (the tripoints) give the same point with parameters a rounding error apart.
        if (hit && hit->u < best_u - tie_slack) {
            best_u = hit->u;
            // Distance along the track to the point of the track at u (the line point found is
            // within millimetres of it).
            const double lat_u = latitude_of_isometric(from.y + best_u * (to.y - from.y));
            const double along = rhumb_distance_m(lat0, lat_u, best_u * (to.x - from.x));
            best = BoundaryCrossing{&line, hit->point, along, 0.0};
        }
    }
    return best;
}

} // namespace

std::optional<BoundaryCrossing> BoundaryIndex::crossed(const Position& a, const Position& b) const {
    if (!is_valid(a) || !is_valid(b)) {
        return std::nullopt;
    }
    const double dlon = std::remainder(b.lon_deg - a.lon_deg, 360.0) * deg; // shorter way round
    return first_crossing(m_lines, a.lat_deg * deg, a.lon_deg * deg, b.lat_deg * deg,
                          a.lon_deg * deg + dlon);
}

std::optional<BoundaryCrossing> BoundaryIndex::predict_crossing(const Position& from,
                                                                double sog_knots, double cog_deg,
                                                                double horizon_s) const {
    if (!is_valid(from) || !std::isfinite(sog_knots) || !std::isfinite(cog_deg) ||
        !std::isfinite(horizon_s) || !(sog_knots > 0.0) || !(horizon_s > 0.0)) {
        return std::nullopt;
    }
    const double speed_m_s = sog_knots * metres_per_nautical_mile / 3600.0;
    const double lat0 = from.lat_deg * deg;
    const double lon0 = from.lon_deg * deg;
    const auto end = rhumb_end(lat0, lon0, std::fmod(cog_deg, 360.0) * deg, speed_m_s * horizon_s);
    if (!end) {
        return std::nullopt;
    }
    std::optional<BoundaryCrossing> hit =
        first_crossing(m_lines, lat0, lon0, end->first, end->second);
    if (hit) {
        hit->time_s = hit->along_m / speed_m_s;
    }
    return hit;
}

// --- loading with GDAL/OGR ----------------------------------------------------------------------

namespace {

/// The file and (once known) the OGR layer a problem belongs to.
struct Source {
    const std::filesystem::path& file;
    std::string layer;

    /// Throws GeoError for `problem`, with OGR's last error when there is one.
    [[noreturn]] void fail(const std::string& problem, const std::string& feature = {}) const {
        const CPLErrorNum number = CPLGetLastErrorNo();
        const std::string message = CPLGetLastErrorMsg();
        if (number != CPLE_None || !message.empty()) {
            throw GeoError(problem, file, layer, feature, GeoErrorSource::ogr, number, message);
        }
        throw GeoError(problem, file, layer, feature);
    }
};

std::string field_names(const OGRFeatureDefn& defn) {
    std::string names;
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        names += (i == 0 ? "" : ", ") + std::string(defn.GetFieldDefn(i)->GetNameRef());
    }
    return names.empty() ? "none" : names;
}

int field_index(const OGRFeatureDefn& defn, std::string_view name) {
    return name.empty() ? -1 : defn.GetFieldIndex(std::string(name).c_str());
}

std::string text_of(const OGRFeature& feature, int index) {
    if (index < 0 || !feature.IsFieldSetAndNotNull(index)) {
        return {};
    }
    return feature.GetFieldAsString(index);
}

/// Feature geometry as lon/lat polylines; nullopt when it is null, empty or not linear.
std::optional<std::vector<std::vector<Position>>> line_parts(const OGRGeometry* geometry,
                                                             OGRCoordinateTransformation* transform,
                                                             const Source& source,
                                                             const std::string& feature) {
    if (geometry == nullptr || geometry->IsEmpty()) {
        return std::nullopt;
    }
    const OGRwkbGeometryType flat = OGR_GT_Flatten(geometry->getGeometryType());
    if (!OGR_GT_IsSubClassOf(flat, wkbCurve) && !OGR_GT_IsSubClassOf(flat, wkbMultiCurve)) {
        return std::nullopt;
    }
    std::unique_ptr<OGRGeometry> linear(geometry->hasCurveGeometry() ? geometry->getLinearGeometry()
                                                                     : geometry->clone());
    if (!linear) {
        source.fail("cannot linearise curved geometry", feature);
    }
    if (transform != nullptr) {
        CPLErrorReset();
        if (linear->transform(transform) != OGRERR_NONE) {
            source.fail("cannot transform geometry to WGS 84", feature);
        }
    }
    std::unique_ptr<OGRGeometry> multi(
        OGRGeometryFactory::forceToMultiLineString(linear.release()));
    if (!multi || OGR_GT_Flatten(multi->getGeometryType()) != wkbMultiLineString) {
        source.fail("cannot convert geometry to a multilinestring", feature);
    }
    std::vector<std::vector<Position>> parts;
    for (const OGRLineString* string : *multi->toMultiLineString()) {
        if (string->IsEmpty()) {
            continue;
        }
        std::vector<Position>& part = parts.emplace_back();
        for (int i = 0; i < string->getNumPoints(); ++i) {
            part.push_back(Position{string->getY(i), string->getX(i)});
        }
    }
    if (parts.empty()) {
        return std::nullopt;
    }
    return parts;
}

} // namespace

BoundaryIndex BoundaryIndex::load(const std::filesystem::path& file, std::string_view id_field,
                                  std::string_view name_field, std::string_view status_field) {
    static std::once_flag registered;
    std::call_once(registered, [] { GDALAllRegister(); });
    const QuietGdal quiet;
    Source source{file, {}};

    CPLErrorReset();
    const GdalDatasetPtr ds(GDALDataset::FromHandle(
        GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, nullptr,
                   nullptr, nullptr)));
    if (!ds) {
        source.fail("cannot open as a vector dataset");
    }
    if (ds->GetLayerCount() == 0) {
        source.fail("no vector layer in the file");
    }
    OGRLayer& layer = *ds->GetLayer(0);
    source.layer = layer.GetName();

    OGRFeatureDefn& defn = *layer.GetLayerDefn();
    const int id_index = field_index(defn, id_field);
    if (id_index < 0) {
        CPLErrorReset();
        source.fail("id field '" + std::string(id_field) +
                    "' not found (fields: " + field_names(defn) + ")");
    }
    const int name_index = field_index(defn, name_field);
    const int status_index = field_index(defn, status_field);

    std::unique_ptr<OGRCoordinateTransformation> transform;
    if (const OGRSpatialReference* crs = layer.GetSpatialRef(); crs != nullptr) {
        OGRSpatialReference wgs84_crs;
        wgs84_crs.SetWellKnownGeogCS("WGS84");
        wgs84_crs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        transform.reset(OGRCreateCoordinateTransformation(crs, &wgs84_crs));
        if (!transform) {
            source.fail("cannot transform the layer's CRS to WGS 84");
        }
    }

    std::vector<BoundaryLine> lines;
    std::set<std::string, std::less<>> ids;
    CPLErrorReset();
    layer.ResetReading();
    while (OGRFeatureUniquePtr feature{layer.GetNextFeature()}) {
        const std::string fid = "FID " + std::to_string(feature->GetFID());
        auto parts = line_parts(feature->GetGeometryRef(), transform.get(), source, fid);
        if (!parts) {
            continue;
        }
        std::string id = text_of(*feature, id_index);
        CPLErrorReset();
        if (id.empty()) {
            source.fail("empty or null id field '" + std::string(id_field) + "'", fid);
        }
        if (!ids.insert(id).second) {
            source.fail("duplicate id (field '" + std::string(id_field) + "')", id);
        }
        std::map<std::string, std::string> properties;
        for (int i = 0; i < defn.GetFieldCount(); ++i) {
            if (feature->IsFieldSetAndNotNull(i)) {
                properties.emplace(defn.GetFieldDefn(i)->GetNameRef(),
                                   feature->GetFieldAsString(i));
            }
        }
        std::string name = text_of(*feature, name_index);
        if (name.empty()) {
            name = id;
        }
        try {
            lines.push_back(make_boundary_line(std::move(id), std::move(name),
                                               text_of(*feature, status_index),
                                               std::move(properties), std::move(*parts)));
        } catch (const GeoError& e) {
            throw e.with_location(file, source.layer);
        }
    }
    if (CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal) {
        source.fail("error while reading features");
    }
    if (lines.empty()) {
        CPLErrorReset();
        source.fail("no LineString or MultiLineString feature (" +
                    std::string(OGRGeometryTypeToName(layer.GetGeomType())) + " layer)");
    }
    return BoundaryIndex(std::move(lines));
}

} // namespace sahil::geo
