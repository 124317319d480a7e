// sahil::geo — a zone: one named area (harbour geofence, territorial sea, EEZ, land...) with its
// polygon geometry and the metric data precomputed for distance queries.
//
// Example: Zone{id "PK-HBR-05", name "Pasni Fish Harbour", kind "fish_harbour", layer "harbours",
// geometry: a 32-vertex circle of radius 900 m around 25.248 N 63.483 E}.
// Data path: zones are loaded from GeoJSON/GeoPackage/Shapefile by geo::ZoneIndex at startup or
// SIGHUP reload; tracking asks the index which zones hold each fix and how far it is from the rest.
// Geometry model: polygons in longitude/latitude degrees with straight edges in that plane (as in
// GeoJSON, RFC 7946 §3.1.1, and OGR); zones must not cross the antimeridian (±180°).
// Thread-safety: a Zone is immutable once built by make_zone(); the free functions below only read
// it and may be called concurrently (the shared PROJ object inside serialises its own use).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>

#include "geo/position.hpp"

namespace sahil::geo {

/// A vertex in longitude/latitude degrees, Boost.Geometry cartesian model: x() = lon_deg,
/// y() = lat_deg (note the order: the opposite of Position).
using LonLatPoint = boost::geometry::model::d2::point_xy<double>;
/// Polygon in lon/lat degrees: clockwise outer ring, counter-clockwise holes, closed rings
/// (Boost.Geometry defaults; make_zone() corrects other orientations).
using LonLatPolygon = boost::geometry::model::polygon<LonLatPoint>;
/// One or more polygons in lon/lat degrees whose interiors do not overlap.
using LonLatMultiPolygon = boost::geometry::model::multi_polygon<LonLatPolygon>;
/// Axis-aligned box in lon/lat degrees (min_corner = west/south, max_corner = east/north).
using LonLatBox = boost::geometry::model::box<LonLatPoint>;

namespace detail {
class ZoneOutline; // metric outline for distance queries (zone.cpp)
} // namespace detail

/// One named area. Build with make_zone() or get it from ZoneIndex; do not change `geometry`
/// afterwards (the precomputed members would no longer match). Copies are cheap: the precomputed
/// outline is shared and immutable.
struct Zone {
    std::string id;    ///< unique within its layer, e.g. "PK-HBR-05", "eez_all_waters", "IRN"
    std::string name;  ///< human-readable name; the id when the source has no name field
    std::string kind;  ///< category from the source (e.g. "fish_harbour"); empty if none
    std::string layer; ///< label given at load, e.g. "harbours", "pak_zones"
    /// All non-null attributes of the source feature, as text (OGR's string form of each field).
    std::map<std::string, std::string> properties;

    /// Area in lon/lat degrees; valid (Boost.Geometry is_valid), closed, correctly oriented.
    LonLatMultiPolygon geometry;
    /// Bounding box of `geometry` (degrees).
    LonLatBox bounds;
    /// Centre of `bounds`: the centre of the zone's local transverse Mercator projection.
    Position projection_centre{0.0, 0.0};
    /// Precomputed metric outline (projected, densified rings and their R-tree). Shared, immutable.
    std::shared_ptr<const detail::ZoneOutline> outline;
};

/// Builds a zone: corrects ring orientation and closure, checks the geometry and precomputes the
/// metric outline (rings densified to <= 0.01° steps and projected with a LocalProjection centred
/// on the bounding-box centre). Throws GeoError (feature = id, layer = layer) if the geometry is
/// empty, has a coordinate outside lat [-90, 90] / lon [-180, 180] or non-finite, or is invalid
/// (Boost.Geometry is_valid: self-intersection, overlapping polygons, hole outside shell...; the
/// message carries Boost's reason).
[[nodiscard]] Zone make_zone(std::string id, std::string name, std::string kind, std::string layer,
                             std::map<std::string, std::string> properties,
                             LonLatMultiPolygon geometry);

/// True when `p` is inside `zone` or on its boundary (within floating-point rounding of the edge
/// in lon/lat degrees). False for a position that fails is_valid(). Does not throw.
[[nodiscard]] bool contains(const Zone& zone, const Position& p);

/// 0 when `p` is inside or on `zone`; otherwise the geodesic distance in metres from `p` to the
/// nearest point of the zone's boundary (edges are straight in lon/lat degrees). Accuracy: within
/// 1 cm of a brute-force geodesic search (tests: harbour fences at 0.5-2 km, the Pakistan EEZ
/// from 10 to 250 km away; see zone.cpp for the method). NaN if `p` fails is_valid(). Throws
/// nothing but std::bad_alloc.
[[nodiscard]] double distance_outside_m(const Position& p, const Zone& zone);

/// distance_outside_m(p, zone) if it is <= limit_m (metres), else std::nullopt; faster than
/// distance_outside_m for zones far beyond the limit (the search stops early). std::nullopt also
/// when `p` fails is_valid() or limit_m is negative or NaN.
[[nodiscard]] std::optional<double> distance_outside_within_m(const Position& p, const Zone& zone,
                                                              double limit_m);

/// True when the straight lon/lat segment from `a` to `b` touches `zone` (enters it, crosses it or
/// has an end inside). Use it to catch a zone passed between two fixes. False if either position
/// fails is_valid(). Throws nothing but std::bad_alloc.
[[nodiscard]] bool intersects_segment(const Zone& zone, const Position& a, const Position& b);

} // namespace sahil::geo
