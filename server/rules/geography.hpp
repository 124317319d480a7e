// The geography the anomaly rules need, loaded once (and on SIGHUP): harbour geofences,
// Pakistan's maritime zones (territorial sea, contiguous zone, EEZ), land (for distance to
// shore), the boundary lines with Iran, Oman and India and the 200 nm limit, and per-harbour
// exception areas (e.g. the Jiwani fishing grounds in Gwatar Bay, ~7 nm from the Iran line).
//
// Files (config `[paths]`; shipped in config/geo/, see config/geo/SOURCES.md):
//   harbours         harbours.geojson                      polygons, `id`, `name`
//   sea_zones        pak_maritime_zones_approx.geojson     polygons, `zone` (territorial_sea,
//                                                          contiguous_zone_belt, eez_all_waters..)
//   land             land_osm.geojson                      polygons, `A3` country code
//   boundaries       pak_maritime_boundaries_approx.geojson lines, `boundary` (PAK-IRN ...)
//   exception_areas  rule_exception_areas.geojson          polygons, `id`, `harbour`, `rules`
// A path left empty disables what depends on it (documented per rule in docs/rules.md).
//
// Thread-safety: immutable after load; const functions may be called from any thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "geo/boundary.hpp"
#include "geo/position.hpp"
#include "geo/zone_index.hpp"

namespace sahil::rules {

/// Files of Geography::load (empty path = layer not used).
struct GeographyFiles {
    std::filesystem::path sea_zones;
    std::filesystem::path land;
    std::filesystem::path boundaries;
    std::filesystem::path exception_areas;
};

/// Where a position is, for alerts and routing.
struct Whereabouts {
    std::string zone_id;             ///< harbour id, sea zone id or "outside_eez"/"sea"
    std::string zone_name;           ///< human-readable
    std::vector<std::string> areas;  ///< routing areas (server/alerts/routing.hpp)
};

/// See the file comment.
class Geography {
public:
    /// Only harbours (tests, or a config without sea layers).
    explicit Geography(const geo::ZoneIndex& harbours) : m_harbours(&harbours) {}

    /// Loads the layers named in `files`.
    /// @throws geo::GeoError naming the file and feature on unreadable or invalid data.
    static Geography load(const geo::ZoneIndex& harbours, const GeographyFiles& files);

    [[nodiscard]] const geo::ZoneIndex& harbours() const noexcept { return *m_harbours; }
    [[nodiscard]] const geo::BoundaryIndex& boundaries() const noexcept { return m_boundaries; }

    /// True when the EEZ layer is loaded and `p` lies outside Pakistan's EEZ (all waters 0-200
    /// nm) and more than 3 km from Pakistan's land (the layer holds waters only). False when
    /// the layer is not loaded.
    [[nodiscard]] bool outside_eez(const geo::Position& p) const;
    /// True when the EEZ layer is loaded.
    [[nodiscard]] bool has_eez() const noexcept { return m_eez != nullptr; }

    /// Distance to the nearest land polygon in metres if it is within `limit_m`; std::nullopt
    /// when farther, or when no land layer is loaded (then "offshore" tests are skipped).
    [[nodiscard]] std::optional<double> shore_distance_within_m(const geo::Position& p,
                                                                double limit_m) const;
    /// True when a land layer is loaded.
    [[nodiscard]] bool has_land() const noexcept { return !m_land.empty(); }

    /// Distance to the nearest harbour geofence if within `limit_m`.
    [[nodiscard]] std::optional<double> harbour_distance_within_m(const geo::Position& p,
                                                                  double limit_m) const;

    /// Exception area containing `p` that belongs to harbour `harbour` and lists `rule` (or all
    /// rules); nullptr when none.
    [[nodiscard]] const geo::Zone* exception_area(const geo::Position& p,
                                                  const std::string& harbour,
                                                  std::string_view rule) const;

    /// The zone and routing areas of `p`: harbour (inside or within `harbour_buffer_m` of a
    /// geofence), territorial_sea, contiguous_zone, eez, boundary_area (within
    /// `boundary_area_m` of a line), outside_eez.
    [[nodiscard]] Whereabouts whereabouts(const geo::Position& p, double harbour_buffer_m,
                                          double boundary_area_m) const;

    /// Province of a harbour zone (its `province` property), "" if unknown.
    [[nodiscard]] std::string harbour_province(const std::string& harbour_id) const;

private:
    const geo::ZoneIndex* m_harbours;
    geo::ZoneIndex m_sea;
    geo::ZoneIndex m_land;
    geo::BoundaryIndex m_boundaries;
    geo::ZoneIndex m_exceptions;
    const geo::Zone* m_eez = nullptr;
    const geo::Zone* m_pak_land = nullptr;
    /// Positions within this distance of Pakistan's land are never "outside the EEZ" (the
    /// zones' coastline is a 0.01° raster, about 1 km; twice that plus margin).
    static constexpr double coast_tolerance_m = 3000.0;
};

} // namespace sahil::rules
