// sahil::geo — local metric projection (transverse Mercator on WGS 84 around a chosen centre).
//
// Example: LocalProjection({25.116, 62.3345}) maps Gwadar Fish Harbour's centre to (0 m, 0 m);
// a point 700 m due east maps to about (700 m, 0 m).
// Data path: built once per zone when zones load (geo::ZoneIndex) so that point-to-polygon
// distances can be computed in metres; usable by the rules for local planar geometry (CPA).
// Projection: PROJ "+proj=tmerc" (exact Poder/Engsager algorithm, the PROJ >= 6 default), scale 1
// on the central meridian, so scale error is about (dlon * cos(lat))^2 / 2: 2e-9 at 1 km,
// 6e-6 at 20 km, 0.2 % at 400 km east or west of the centre.
// Thread-safety: each object owns its own PJ_CONTEXT (PROJ contexts are not thread-safe) and
// serialises its conversions with an internal mutex, so one object may be shared between
// threads; conversions on one object do not run in parallel.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>

#include "geo/position.hpp"

namespace sahil::geo {

/// A point in a local projected plane: metres east (x_m) and north (y_m) of the projection centre.
struct MetricPoint {
    double x_m; ///< easting, metres, grid east positive
    double y_m; ///< northing, metres, grid north positive
};

/// Transverse Mercator projection on the WGS 84 ellipsoid centred on one position (false
/// easting/northing 0, scale factor 1). Conformal: angles are preserved, distances are scaled by
/// k >= 1 which grows with the distance from the central meridian (see the file comment).
class LocalProjection {
public:
    /// Builds the projection. Throws GeoError (source proj) if `centre` fails is_valid() or PROJ
    /// cannot create the operation.
    explicit LocalProjection(const Position& centre);
    ~LocalProjection();
    LocalProjection(LocalProjection&&) noexcept;
    LocalProjection& operator=(LocalProjection&&) noexcept;
    LocalProjection(const LocalProjection&) = delete;
    LocalProjection& operator=(const LocalProjection&) = delete;

    /// The centre given at construction (maps to x_m = y_m = 0).
    [[nodiscard]] const Position& centre() const noexcept;

    /// The PROJ pipeline string used, e.g. "+proj=pipeline +step +proj=unitconvert ... +proj=tmerc
    /// +lat_0=25.116 +lon_0=62.3345 +k_0=1 +x_0=0 +y_0=0 +ellps=WGS84".
    [[nodiscard]] const std::string& definition() const noexcept;

    /// Projects one position to metres. std::nullopt if the position fails is_valid() or PROJ
    /// reports an error (a point more than ~90 degrees of longitude from the centre). Never throws.
    [[nodiscard]] std::optional<MetricPoint> forward(const Position& p) const;

    /// Inverse of forward(): metres back to WGS 84 degrees. std::nullopt on PROJ error or
    /// non-finite input. Never throws.
    [[nodiscard]] std::optional<Position> inverse(const MetricPoint& m) const;

    /// Projects many positions in one PROJ call (used at zone load). `out` must have the same size
    /// as `in`. Throws GeoError (source proj) if the sizes differ or any point fails to convert.
    void forward(std::span<const Position> in, std::span<MetricPoint> out) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace sahil::geo
