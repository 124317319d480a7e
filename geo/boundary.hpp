// sahil::geo — maritime boundary lines: distance from a vessel to each line, the nearest line,
// the line a track between two fixes crossed, and the line a vessel will cross if it keeps its
// speed and course.
//
// Example: auto lines = BoundaryIndex::load("config/geo/pak_maritime_boundaries_approx.geojson");
//          lines.nearest({25.052, 61.740})  ->  {line "PAK-IRN", ~13 km, nearest point on it}
//          lines.predict_crossing({25.116, 62.3345}, 10.0, 250.0, 6 * 3600.0)
//              ->  {line "PAK-IRN", crossing point, along_m ~84.8 km, time_s ~4.6 h}
// Data path: the boundary layer (LineStrings with a `boundary` id: PAK-IRN, PAK-OMN, PAK-IND,
// PAK-outer-200nm) is read with GDAL/OGR at startup or SIGHUP reload; tracking and the boundary
// rules (anomaly-rules.md R5 "heading to a boundary", R7/R8 "near a boundary") ask it per fix.
// Geometry model: each line is one or more polylines in longitude/latitude degrees whose edges
// are straight in that plane (GeoJSON, RFC 7946 §3.1.1, as for geo::Zone); lines must not cross
// the antimeridian (±180°). Tracks (crossed(), predict_crossing()) are rhumb lines (loxodromes):
// a vessel holding a constant course over ground follows one; between two fixes minutes apart a
// rhumb line and a geodesic differ by centimetres.
// Methods: see boundary.cpp. Accuracy (measured): distance_m is the geodesic distance on WGS 84
// (Karney's algorithm in PROJ) to the nearest point of the line and agrees with a brute-force
// golden-section search along every edge to 1e-8 m (1,704 points, 0-1,076 km from the lines;
// the tests allow 1 mm); rhumb_destination agrees with GeographicLib's RhumbSolve to 1e-6 m over
// 3,000 km; a crossing point lies on the line and on the rhumb track (RhumbSolve -i from the
// start: course exact to 1e-12 deg, along_m to 1e-6 m).
// Cost (RelWithDebInfo, this 2-core machine under load, the 4 shipped lines = 1,041 densified
// pieces, 2,000 random positions in Pakistani waters): load ~2 ms; distance_m to one line
// ~10-20 us (1-3 geod_inverse calls near a line, up to ~30 at 300 nm); nearest() ~20 us without
// a limit, ~5 us within 20 nm, ~3 us within 5 nm; predict_crossing ~3 us (10 kn, 6 h) to ~9 us
// (25 kn, 12 h); crossed() over 1 km ~1.5 us; most of it is geod_inverse at ~1-2 us a call.
// Thread-safety: BoundaryLine and BoundaryIndex are immutable after construction; every const
// function may be called concurrently (no shared mutable state, no PROJ context).
#pragma once

#include <cstddef>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geo/position.hpp"

namespace sahil::geo {

namespace detail {
class BoundaryOutline; // densified line in Earth-centred and Mercator coordinates (boundary.cpp)
} // namespace detail

/// One boundary line. Build with make_boundary_line() or get it from BoundaryIndex; do not change
/// `parts` afterwards (the precomputed outline would no longer match). Copies are cheap: the
/// outline is shared and immutable.
struct BoundaryLine {
    std::string id;     ///< unique within its index, e.g. "PAK-IRN", "PAK-outer-200nm"
    std::string name;   ///< human-readable name; the id when the source has no name field
    std::string status; ///< legal status text from the source (agreed/disputed...); may be empty
    /// All non-null attributes of the source feature, as text (OGR's string form of each field).
    std::map<std::string, std::string> properties;
    /// The polylines, vertices in source order: one part per LineString (a MultiLineString gives
    /// several). Every part has >= 2 vertices and a non-zero length; coordinates pass is_valid().
    std::vector<std::vector<Position>> parts;
    /// Precomputed metric data (edges densified to <= 0.01°, in Earth-centred and in Mercator
    /// coordinates). Shared, immutable; never null in a line built by make_boundary_line().
    std::shared_ptr<const detail::BoundaryOutline> outline;
};

/// Builds a boundary line and precomputes its outline. Repeated consecutive vertices are kept
/// (they make no edge). Throws GeoError (feature = id) if `parts` is empty, a part has fewer than
/// two distinct vertices, or a coordinate fails is_valid().
[[nodiscard]] BoundaryLine make_boundary_line(std::string id, std::string name, std::string status,
                                              std::map<std::string, std::string> properties,
                                              std::vector<std::vector<Position>> parts);

/// Geodesic distance (WGS 84, metres, >= 0) from `p` to the nearest point of `line` (its edges
/// straight in lon/lat). Agrees with a brute-force geodesic search along the line to 1e-8 m
/// (measured up to 1,076 km away; tests allow 1 mm). NaN if `p` fails is_valid() or the line has
/// no outline. Throws nothing.
[[nodiscard]] double distance_m(const Position& p, const BoundaryLine& line) noexcept;

/// The nearest point of a line to a position and how far it is.
struct BoundaryNearest {
    const BoundaryLine* line; ///< never null in a returned value
    double distance_m;        ///< geodesic distance, metres, >= 0
    Position point;           ///< the point of `line` nearest to the query
};

/// Where a track meets a boundary line.
struct BoundaryCrossing {
    const BoundaryLine* line; ///< never null in a returned value
    Position point;           ///< first point of the track on the line
    double along_m;           ///< rhumb-line distance from the track's start to `point`, metres
    double time_s;            ///< predict_crossing(): seconds from the start until `point`;
                              ///< crossed(): 0 (no speed is known)
};

/// Rhumb line (loxodrome, constant course) on WGS 84: the position reached from `from` after
/// `distance_m` metres at constant true course `course_deg` (degrees clockwise from north, any
/// value, reduced internally; a negative distance goes backwards). Result lon_deg is reduced to
/// [-180, 180]. Agrees with GeographicLib's RhumbSolve to 1e-6 m over 3,000 km. {NaN, NaN} if
/// `from` fails is_valid(), an argument is not finite or the rhumb line would run past a pole
/// (every non east-west rhumb line spirals into a pole after a finite distance). Never throws.
[[nodiscard]] Position rhumb_destination(const Position& from, double course_deg,
                                         double distance_m) noexcept;

/// A set of boundary lines. Lines keep their load order; ties in queries go to the earlier line.
/// Pointers returned by queries stay valid until the index is assigned or destroyed.
class BoundaryIndex {
public:
    /// An empty index.
    BoundaryIndex() = default;

    /// Loads every LineString or MultiLineString feature of a vector file with GDAL/OGR
    /// (GDALOpenEx: GeoJSON, GeoPackage, Shapefile...; the first layer when there are several).
    /// Coordinates are transformed to WGS 84 lon/lat when the layer has another CRS (no CRS: taken
    /// as lon/lat degrees); curved lines are linearised. Features with no geometry or a
    /// non-linear one (point, polygon) are skipped. Field names match case-insensitively.
    /// `id_field` must exist and be non-empty and unique per line; `name_field` and
    /// `status_field` are optional (absent or null: name = id, status empty).
    /// Throws GeoError (file, layer, feature; OGR error number and message when OGR reported one)
    /// when the file cannot be opened, has no vector layer, lacks `id_field`, has an empty or
    /// duplicate id, a line with bad coordinates or fewer than two distinct vertices (see
    /// make_boundary_line()), or no line at all.
    [[nodiscard]] static BoundaryIndex load(const std::filesystem::path& file,
                                            std::string_view id_field = "boundary",
                                            std::string_view name_field = "name",
                                            std::string_view status_field = "status");

    /// An index over lines made with make_boundary_line() (for instance a subset of a loaded
    /// index). Throws GeoError if two lines share an id or a line has no outline.
    [[nodiscard]] static BoundaryIndex from_lines(std::vector<BoundaryLine> lines);

    /// The nearest line to `p` if its distance is <= limit_m (metres), with the distance and the
    /// nearest point; std::nullopt if no line is that close, the index is empty, `p` fails
    /// is_valid() or limit_m is negative or NaN. Lines whose bounding sphere is beyond the limit
    /// or beyond the best line found so far are skipped without measuring. Throws nothing but
    /// std::bad_alloc.
    [[nodiscard]] std::optional<BoundaryNearest>
    nearest(const Position& p, double limit_m = std::numeric_limits<double>::infinity()) const;

    /// The first line met by the rhumb line from `a` to `b` (two consecutive fixes), with the
    /// point where it is met (touching counts; a track starting on a line meets it at `a`) and
    /// along_m from `a`; time_s is 0. The shorter way round in longitude is taken. Earliest point
    /// along the track wins; ties (a shared vertex such as a tripoint) go to the earlier line.
    /// std::nullopt if no line is met, a == b, or either position fails is_valid(). Throws
    /// nothing.
    [[nodiscard]] std::optional<BoundaryCrossing> crossed(const Position& a,
                                                          const Position& b) const;

    /// The first line a vessel at `from` meets within `horizon_s` seconds if it holds speed
    /// `sog_knots` (knots, > 0) and true course `cog_deg` (degrees clockwise from north, any
    /// finite value; AIS "not available" 360 must be filtered upstream) along a rhumb line:
    /// crossed(from, rhumb_destination(from, cog_deg, sog * horizon)) with time_s = along_m /
    /// speed. std::nullopt if no line is met within the horizon, sog_knots is not > 0 (a stopped
    /// vessel never crosses), horizon_s is not > 0, an argument is not finite, `from` fails
    /// is_valid() or the track would pass a pole. Throws nothing.
    [[nodiscard]] std::optional<BoundaryCrossing> predict_crossing(const Position& from,
                                                                   double sog_knots, double cog_deg,
                                                                   double horizon_s) const;

    /// The line with this id, or nullptr.
    [[nodiscard]] const BoundaryLine* find(std::string_view id) const;

    /// Number of lines.
    [[nodiscard]] std::size_t size() const noexcept { return m_lines.size(); }

    /// True when the index holds no line.
    [[nodiscard]] bool empty() const noexcept { return m_lines.empty(); }

    /// All lines in index order.
    [[nodiscard]] const std::vector<BoundaryLine>& lines() const noexcept { return m_lines; }

private:
    explicit BoundaryIndex(std::vector<BoundaryLine> lines);

    std::vector<BoundaryLine> m_lines;
};

} // namespace sahil::geo
