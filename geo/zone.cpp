#include "geo/zone.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <numbers>
#include <optional>
#include <utility>
#include <vector>

#include <boost/geometry.hpp>
#include <boost/iterator/function_output_iterator.hpp>

#include "geo/geo_error.hpp"
#include "geo/geodesic.hpp"
#include "geo/local_projection.hpp"

// How distance_outside_m works (and why it is accurate)
// ------------------------------------------------------
// At load every ring is densified in lon/lat so that no piece spans more than 0.01° (~1.1 km),
// then projected with a transverse Mercator centred on the zone's bounding-box centre; the
// projected pieces go into an R-tree. A query projects the point with the same projection, takes
// the piece with the nearest box (its exact planar distance bounds the answer), then measures
// every piece whose box meets the square of that bound times the largest possible scale ratio.
// Transverse Mercator is conformal with scale k in [1, 1 + (dlon cos lat)^2 / 2 + ...], so planar
// distances are geodesic distances times k:
//   * when best * dlon^2 <= 1 cm (harbours, or any zone near its centre) the planar distance is
//     returned: its error is below 5 mm;
//   * otherwise, for every piece within the scale window of the best one, the nearest point found
//     in the plane is mapped back to lon/lat on that piece and the geodesic distance to it is
//     computed with geod_inverse. Because the projection is conformal, that point is within a few
//     metres of the true nearest point even hundreds of km away, and the distance error is
//     quadratic in that offset (offset^2 / 2d: millimetres). The result is the minimum.
// Densifying keeps the projected chords within millimetres of the image of each lon/lat edge.

namespace sahil::geo {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

/// Bounding box of a polygon's outer ring (the holes lie inside it). Written out instead of
/// bg::return_envelope, whose Boost 1.74 code trips GCC 12's -Wmaybe-uninitialized at -O2.
LonLatBox envelope_of(const LonLatPolygon& polygon) {
    double min_x = std::numeric_limits<double>::infinity();
    double min_y = std::numeric_limits<double>::infinity();
    double max_x = -std::numeric_limits<double>::infinity();
    double max_y = -std::numeric_limits<double>::infinity();
    for (const LonLatPoint& p : polygon.outer()) {
        min_x = std::min(min_x, p.x());
        min_y = std::min(min_y, p.y());
        max_x = std::max(max_x, p.x());
        max_y = std::max(max_y, p.y());
    }
    return LonLatBox(LonLatPoint(min_x, min_y), LonLatPoint(max_x, max_y));
}

/// Bounding box of all polygons of a multipolygon.
LonLatBox envelope_of(const LonLatMultiPolygon& geometry) {
    LonLatBox box = envelope_of(geometry.front());
    for (const LonLatPolygon& polygon : geometry) {
        const LonLatBox b = envelope_of(polygon);
        box = LonLatBox(LonLatPoint(std::min(box.min_corner().x(), b.min_corner().x()),
                                    std::min(box.min_corner().y(), b.min_corner().y())),
                        LonLatPoint(std::max(box.max_corner().x(), b.max_corner().x()),
                                    std::max(box.max_corner().y(), b.max_corner().y())));
    }
    return box;
}

namespace detail {

namespace {

using PlanePoint = bg::model::d2::point_xy<double>;
using PlaneBox = bg::model::box<PlanePoint>;
using PieceEntry = std::pair<PlaneBox, std::uint32_t>;

/// Longest piece of a densified ring edge, degrees of longitude or latitude.
constexpr double max_piece_deg = 0.01;

/// Absolute slack (metres) added to the candidate window: covers chord-versus-curve differences.
constexpr double window_slack_m = 1.0;

/// Planar distance below which the projection's scale error is ignored (result error <= half).
constexpr double planar_error_budget_m = 0.01;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct PlaneFoot {
    double distance_m;
    double t; ///< position along the piece, [0, 1]
};

PlaneFoot nearest_on_piece(const PlanePoint& q, const PlanePoint& a, const PlanePoint& b) {
    const double dx = b.x() - a.x();
    const double dy = b.y() - a.y();
    const double len2 = dx * dx + dy * dy;
    double t = 0.0;
    if (len2 > 0.0) {
        t = std::clamp(((q.x() - a.x()) * dx + (q.y() - a.y()) * dy) / len2, 0.0, 1.0);
    }
    const double fx = a.x() + t * dx - q.x();
    const double fy = a.y() + t * dy - q.y();
    return {std::hypot(fx, fy), t};
}

Position lerp(const Position& a, const Position& b, double t) {
    return {a.lat_deg + t * (b.lat_deg - a.lat_deg), a.lon_deg + t * (b.lon_deg - a.lon_deg)};
}

} // namespace

/// Densified, projected rings of one zone with an R-tree over the pieces. Immutable after
/// construction; distance_m() may run concurrently (LocalProjection serialises itself).
class ZoneOutline {
public:
    ZoneOutline(const LonLatMultiPolygon& geometry, const LonLatBox& bounds, const Position& centre)
        : m_projection(centre), m_bounds(bounds) {
        for (const LonLatPolygon& polygon : geometry) {
            m_polygon_bounds.push_back(envelope_of(polygon));
        }
        auto add_ring = [this](const auto& ring) {
            if (ring.empty()) {
                return;
            }
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                const Position a{ring[i].y(), ring[i].x()};
                const Position b{ring[i + 1].y(), ring[i + 1].x()};
                const double span =
                    std::max(std::abs(b.lon_deg - a.lon_deg), std::abs(b.lat_deg - a.lat_deg));
                const auto steps = static_cast<std::size_t>(std::ceil(span / max_piece_deg));
                if (steps == 0) {
                    continue; // repeated vertex: no piece
                }
                for (std::size_t k = 0; k < steps; ++k) {
                    m_starts.push_back(m_lonlat.size());
                    m_lonlat.push_back(
                        lerp(a, b, static_cast<double>(k) / static_cast<double>(steps)));
                }
            }
            // Close the ring: the last piece of each ring ends on this vertex (no piece starts
            // here).
            m_lonlat.push_back(Position{ring.back().y(), ring.back().x()});
        };
        for (const LonLatPolygon& polygon : geometry) {
            add_ring(polygon.outer());
            for (const auto& inner : polygon.inners()) {
                add_ring(inner);
            }
        }
        if (m_lonlat.size() >= std::numeric_limits<std::uint32_t>::max()) {
            throw GeoError("zone has too many vertices after densification");
        }
        std::vector<MetricPoint> projected(m_lonlat.size());
        m_projection.forward(m_lonlat, projected);
        m_plane.reserve(projected.size());
        for (const MetricPoint& m : projected) {
            m_plane.emplace_back(m.x_m, m.y_m);
        }
        std::vector<PieceEntry> entries;
        entries.reserve(m_starts.size());
        for (std::size_t k = 0; k < m_starts.size(); ++k) {
            const PlanePoint& a = m_plane[m_starts[k]];
            const PlanePoint& b = m_plane[m_starts[k] + 1];
            const PlaneBox box(PlanePoint(std::min(a.x(), b.x()), std::min(a.y(), b.y())),
                               PlanePoint(std::max(a.x(), b.x()), std::max(a.y(), b.y())));
            entries.emplace_back(box, static_cast<std::uint32_t>(k));
        }
        m_tree = Tree(entries.begin(), entries.end()); // packing (STR) bulk load
    }

    /// Geodesic distance (m) from p, known to be outside, to the nearest point of the rings; +inf
    /// when that distance is certainly greater than `limit_m` (pass +inf for no limit).
    [[nodiscard]] double distance_m(const Position& p, double limit_m) const {
        const std::optional<MetricPoint> projected = m_projection.forward(p);
        if (!projected) {
            return nearest_vertex_m(p); // too far from the centre for the projection
        }
        const PlanePoint q(projected->x_m, projected->y_m);

        // Bound on the ratio of projection scales between any two points of the query: scale is
        // 1 + x^2/2 + O(x^4) with x = dlon * cos(lat) <= dlon (radians); dlon^2 gives margin.
        // As the scale is >= 1, planar distances are >= geodesic ones.
        const double lon0 = m_projection.centre().lon_deg;
        const double dlon_deg =
            std::max({std::abs(p.lon_deg - lon0), std::abs(m_bounds.min_corner().x() - lon0),
                      std::abs(m_bounds.max_corner().x() - lon0)});
        const double dlon_rad = dlon_deg * std::numbers::pi / 180.0;
        const double window = 1.0 + dlon_rad * dlon_rad;
        // Planar distance beyond which a piece is certainly not the nearest (or beyond the limit).
        auto cutoff = [&](double best) {
            return std::min(best, limit_m) * window + window_slack_m;
        };

        // The piece whose box is nearest gives an upper bound on the nearest distance; every
        // piece that can matter then lies in the square of half-side cutoff() around q.
        std::vector<PieceEntry> nearest_box;
        m_tree.query(bgi::nearest(q, 1), std::back_inserter(nearest_box));
        if (nearest_box.empty() || bg::distance(q, nearest_box.front().first) > cutoff(limit_m)) {
            return std::numeric_limits<double>::infinity(); // empty, or nothing within the limit
        }
        const std::size_t first = m_starts[nearest_box.front().second];
        double best = nearest_on_piece(q, m_plane[first], m_plane[first + 1]).distance_m;
        const double half = cutoff(best);
        const PlaneBox search(PlanePoint(q.x() - half, q.y() - half),
                              PlanePoint(q.x() + half, q.y() + half));

        struct Candidate {
            std::uint32_t piece;
            PlaneFoot foot;
        };
        std::vector<Candidate> candidates;
        m_tree.query(bgi::intersects(search),
                     boost::make_function_output_iterator([&](const PieceEntry& entry) {
                         const std::size_t start = m_starts[entry.second];
                         const PlaneFoot foot =
                             nearest_on_piece(q, m_plane[start], m_plane[start + 1]);
                         best = std::min(best, foot.distance_m);
                         if (foot.distance_m <= cutoff(best)) {
                             candidates.push_back({entry.second, foot});
                         }
                     }));
        if (!(best <= cutoff(best))) {
            return std::numeric_limits<double>::infinity(); // nothing within the limit
        }
        if (best * (window - 1.0) <= planar_error_budget_m) {
            return best;
        }
        double result = std::numeric_limits<double>::infinity();
        for (const Candidate& c : candidates) {
            if (c.foot.distance_m > cutoff(best)) {
                continue;
            }
            const std::size_t start = m_starts[c.piece];
            const Position foot = lerp(m_lonlat[start], m_lonlat[start + 1], c.foot.t);
            result = std::min(result, geo::distance_m(p, foot));
        }
        return result;
    }

    /// True when the lon/lat point is inside or on the zone's geometry.
    [[nodiscard]] bool covers(const LonLatPoint& q, const LonLatMultiPolygon& geometry) const {
        // Test only the polygons whose box holds the point (land layers have hundreds of islets).
        for (std::size_t i = 0; i < geometry.size(); ++i) {
            if (bg::covered_by(q, m_polygon_bounds[i]) && bg::covered_by(q, geometry[i])) {
                return true;
            }
        }
        return false;
    }

private:
    using Tree = bgi::rtree<PieceEntry, bgi::rstar<16>>;

    [[nodiscard]] double nearest_vertex_m(const Position& p) const {
        // Fallback for points so far away that the projection fails: the pieces are <= 0.01°, so
        // the nearest vertex is at most ~600 m along the edge from the true nearest point and the
        // distance error (offset^2 / 2d) is negligible at such ranges.
        double result = std::numeric_limits<double>::infinity();
        for (const Position& v : m_lonlat) {
            result = std::min(result, geo::distance_m(p, v));
        }
        return result;
    }

    LocalProjection m_projection;
    LonLatBox m_bounds;
    std::vector<LonLatBox> m_polygon_bounds; ///< one box per polygon of the geometry
    std::vector<Position> m_lonlat;          ///< densified ring vertices, rings one after another
    std::vector<PlanePoint> m_plane;         ///< the same vertices projected, metres
    std::vector<std::size_t> m_starts; ///< piece k runs from vertex m_starts[k] to m_starts[k]+1
    Tree m_tree;                       ///< boxes of the projected pieces
};

} // namespace detail

namespace {

std::string format_point(const LonLatPoint& p) {
    return "lon " + std::to_string(p.x()) + ", lat " + std::to_string(p.y());
}

} // namespace

Zone make_zone(std::string id, std::string name, std::string kind, std::string layer,
               std::map<std::string, std::string> properties, LonLatMultiPolygon geometry) {
    if (bg::is_empty(geometry)) {
        throw GeoError("geometry is empty (no polygon)", {}, layer, id);
    }
    std::string bad_point;
    bg::for_each_point(geometry, [&bad_point](const LonLatPoint& p) {
        if (bad_point.empty() && !is_valid(Position{p.y(), p.x()})) {
            bad_point = format_point(p);
        }
    });
    if (!bad_point.empty()) {
        throw GeoError("coordinate out of range or not finite (" + bad_point +
                           "); zones must be WGS 84 longitude/latitude degrees",
                       {}, layer, id);
    }
    bg::correct(geometry);
    std::string reason;
    if (!bg::is_valid(geometry, reason)) {
        throw GeoError("invalid geometry: " + reason, {}, layer, id);
    }

    Zone zone;
    zone.bounds = envelope_of(geometry);
    zone.projection_centre = Position{
        (zone.bounds.min_corner().y() + zone.bounds.max_corner().y()) / 2.0,
        (zone.bounds.min_corner().x() + zone.bounds.max_corner().x()) / 2.0,
    };
    zone.outline =
        std::make_shared<const detail::ZoneOutline>(geometry, zone.bounds, zone.projection_centre);
    zone.id = std::move(id);
    zone.name = std::move(name);
    zone.kind = std::move(kind);
    zone.layer = std::move(layer);
    zone.properties = std::move(properties);
    zone.geometry = std::move(geometry);
    return zone;
}

bool contains(const Zone& zone, const Position& p) {
    if (!is_valid(p)) {
        return false;
    }
    const LonLatPoint q(p.lon_deg, p.lat_deg);
    if (!bg::covered_by(q, zone.bounds)) {
        return false;
    }
    return zone.outline ? zone.outline->covers(q, zone.geometry) : bg::covered_by(q, zone.geometry);
}

double distance_outside_m(const Position& p, const Zone& zone) {
    if (!is_valid(p) || !zone.outline) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    if (contains(zone, p)) {
        return 0.0;
    }
    return zone.outline->distance_m(p, std::numeric_limits<double>::infinity());
}

std::optional<double> distance_outside_within_m(const Position& p, const Zone& zone,
                                                double limit_m) {
    if (!is_valid(p) || !zone.outline || !(limit_m >= 0.0)) {
        return std::nullopt;
    }
    if (contains(zone, p)) {
        return 0.0;
    }
    const double d = zone.outline->distance_m(p, limit_m);
    if (d <= limit_m) {
        return d;
    }
    return std::nullopt;
}

bool intersects_segment(const Zone& zone, const Position& a, const Position& b) {
    if (!is_valid(a) || !is_valid(b)) {
        return false;
    }
    const bg::model::segment<LonLatPoint> segment(LonLatPoint(a.lon_deg, a.lat_deg),
                                                  LonLatPoint(b.lon_deg, b.lat_deg));
    if (!bg::intersects(segment, zone.bounds)) {
        return false;
    }
    return std::any_of(
        zone.geometry.begin(), zone.geometry.end(),
        [&segment](const LonLatPolygon& polygon) { return bg::intersects(segment, polygon); });
}

} // namespace sahil::geo
