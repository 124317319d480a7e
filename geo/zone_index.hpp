// sahil::geo — spatial index of zones: which zones hold a position, how far it is from the others.
//
// Example: auto index = ZoneIndex::load("config/geo/harbours.geojson", "harbours");
//          index.containing({25.248, 63.483})  ->  {Zone "PK-HBR-05" Pasni Fish Harbour}
// Data path: zone files (config/geo/*.geojson, or any OGR vector format) are read with GDAL/OGR
// at startup and on SIGHUP reload into one ZoneIndex per layer, merged into one; tracking asks it
// for every fix (zone membership, distance to harbours/boundaries) and the rules use the answers.
// Method: Boost.Geometry R-tree of lon/lat bounding boxes, then an exact covered_by test in
// lon/lat degrees (boundary counts as inside); metric distances as described in zone.hpp.
// Thread-safety: const member functions may be called concurrently from several threads (each
// zone owns its own PROJ context behind a mutex); merge() and assignment need exclusive access.
// Copies are independent indexes that share the immutable per-zone outlines.
// Cost (Release, this 2-core machine, all 34 shipped zones merged): load ~0.3 s; containing()
// ~0.2 us against harbours only, 50-150 us against all layers (exact test on the large land/EEZ
// polygons); distance_outside_m ~2 us to a harbour, ~10-20 us to the EEZ; within_distance of
// 20 nm over all layers ~120 us.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "geo/position.hpp"
#include "geo/zone.hpp"

namespace sahil::geo {

namespace detail {
class ZoneTree; // R-tree of zone bounding boxes (zone_index.cpp)
} // namespace detail

/// A set of zones from one or more layers with a spatial index over them. Zones keep the order in
/// which they were loaded/merged; query results are returned in that order unless stated.
/// Pointers returned by queries stay valid until the index is merged into, assigned or destroyed.
class ZoneIndex {
public:
    /// An empty index.
    ZoneIndex();
    ~ZoneIndex();
    ZoneIndex(const ZoneIndex&);
    ZoneIndex& operator=(const ZoneIndex&);
    ZoneIndex(ZoneIndex&&) noexcept;
    ZoneIndex& operator=(ZoneIndex&&) noexcept;

    /// Loads every polygon or multipolygon feature of a vector file with GDAL/OGR (GDALOpenEx:
    /// GeoJSON, GeoPackage, Shapefile, any OGR vector format), labelling the zones `layer_label`.
    /// If the dataset has several layers, the one named `layer_label` is read. Coordinates are
    /// transformed to WGS 84 lon/lat when the layer has another CRS; a layer without a CRS is
    /// taken as lon/lat degrees. Features with no geometry or a non-areal one (point, line) are
    /// skipped. Field names are matched case-insensitively (as OGR does). `id_field` must exist
    /// and be non-empty and unique per feature; when `name_field` is absent or null the name is
    /// the id; when `kind_field` is absent or null the kind is empty.
    /// Throws GeoError (keeping the file, layer and feature names and the OGR error number and
    /// message) when the file cannot be opened, has no vector layer (or several and none named
    /// `layer_label`), has no polygon feature, lacks `id_field`, has an empty or duplicate id, or
    /// a geometry is invalid (see make_zone()).
    [[nodiscard]] static ZoneIndex load(const std::filesystem::path& file,
                                        const std::string& layer_label,
                                        const std::string& id_field = "id",
                                        const std::string& name_field = "name",
                                        const std::string& kind_field = "kind");

    /// Builds an index from zones made with make_zone(). Throws GeoError if two zones share the
    /// same (layer, id).
    [[nodiscard]] static ZoneIndex from_zones(std::vector<Zone> zones);

    /// Moves all zones of `other` into this index (after the existing ones) and rebuilds the
    /// spatial index. Throws GeoError if a (layer, id) pair exists in both; then neither index
    /// changes. Invalidates Zone pointers previously returned by this index.
    void merge(ZoneIndex&& other);

    /// Zones that contain `p` (inside or on the boundary), in index order. Empty if `p` fails
    /// is_valid().
    [[nodiscard]] std::vector<const Zone*> containing(const Position& p) const;

    /// As containing(p), restricted to zones whose layer equals `layer` (all layers if empty).
    [[nodiscard]] std::vector<const Zone*> containing(const Position& p,
                                                      std::string_view layer) const;

    /// 0 when `p` is inside or on `z`, otherwise the geodesic distance in metres from `p` to the
    /// nearest point of `z`'s boundary (error < 1 cm at harbour scale; see zone.hpp). `z` may be
    /// any zone built by make_zone(), not only one of this index. NaN if `p` fails is_valid().
    [[nodiscard]] double distance_outside_m(const Position& p, const Zone& z) const;

    /// Zones whose distance_outside_m(p, zone) <= radius_m (so zones containing `p` come with
    /// distance 0), restricted to `layer` when not empty; sorted by distance, ties in index order.
    /// radius_m in metres, >= 0 (a negative or NaN radius gives an empty result). Empty if `p`
    /// fails is_valid(). Candidate zones come from the R-tree with a search box that provably
    /// holds every point within radius_m on WGS 84, then each is measured exactly.
    [[nodiscard]] std::vector<std::pair<const Zone*, double>>
    within_distance(const Position& p, double radius_m, std::string_view layer = {}) const;

    /// Zones touched by the straight lon/lat segment from `a` to `b` (e.g. two consecutive fixes),
    /// restricted to `layer` when not empty, in index order. Empty if either end fails is_valid().
    [[nodiscard]] std::vector<const Zone*> intersecting(const Position& a, const Position& b,
                                                        std::string_view layer = {}) const;

    /// The first zone (in index order) with this id, or nullptr. Ids are unique within a layer
    /// but may repeat across layers (e.g. "PAK" in land and territorial-sea layers): use
    /// find(layer, id) when several layers are merged.
    [[nodiscard]] const Zone* find(std::string_view id) const;

    /// The zone with this layer label and id, or nullptr.
    [[nodiscard]] const Zone* find(std::string_view layer, std::string_view id) const;

    /// Number of zones.
    [[nodiscard]] std::size_t size() const noexcept { return m_zones.size(); }

    /// True when the index holds no zone.
    [[nodiscard]] bool empty() const noexcept { return m_zones.empty(); }

    /// All zones in index order.
    [[nodiscard]] const std::vector<Zone>& zones() const noexcept { return m_zones; }

private:
    explicit ZoneIndex(std::vector<Zone> zones);
    void rebuild();

    std::vector<Zone> m_zones;
    std::shared_ptr<const detail::ZoneTree>
        m_tree; ///< null when empty; immutable, shared by copies
};

} // namespace sahil::geo
