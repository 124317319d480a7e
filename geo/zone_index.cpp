#include "geo/zone_index.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numbers>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include <boost/geometry.hpp>
#include <boost/iterator/function_output_iterator.hpp>

#include "geo/geo_error.hpp"
#include "geo/geodesic.hpp"

namespace sahil::geo {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace detail {

/// R-tree of zone bounding boxes (lon/lat degrees) to zone positions in ZoneIndex::m_zones.
class ZoneTree {
public:
    using Entry = std::pair<LonLatBox, std::size_t>;

    explicit ZoneTree(const std::vector<Zone>& zones) {
        std::vector<Entry> entries;
        entries.reserve(zones.size());
        for (std::size_t i = 0; i < zones.size(); ++i) {
            entries.emplace_back(zones[i].bounds, i);
        }
        m_tree = Tree(entries.begin(), entries.end());
    }

    /// Positions (ascending) of zones whose bounding box intersects `box`.
    [[nodiscard]] std::vector<std::size_t> candidates(const LonLatBox& box) const {
        std::vector<std::size_t> found;
        m_tree.query(bgi::intersects(box),
                     boost::make_function_output_iterator(
                         [&found](const Entry& e) { found.push_back(e.second); }));
        std::sort(found.begin(), found.end());
        return found;
    }

private:
    using Tree = bgi::rtree<Entry, bgi::rstar<16>>;
    Tree m_tree;
};

} // namespace detail

namespace {

/// Smallest length of one degree of latitude on WGS 84 (at the equator: a (1 - e^2) pi / 180 =
/// 110574.27 m), rounded down so the search box is never too small.
constexpr double min_metres_per_degree_lat = 110574.0;

/// Box (lon/lat degrees) holding every point within radius_m of p on WGS 84. Along any path,
/// ds >= M |dlat| with M >= a(1 - e^2), and ds >= N cos(lat) |dlon| >= a cos(lat) |dlon|, so the
/// latitude band is radius / M_min and the longitude half-width uses the most poleward latitude.
LonLatBox search_box(const Position& p, double radius_m) {
    constexpr double margin = 1.0 + 1e-6;
    const double dlat = radius_m / min_metres_per_degree_lat * margin;
    const double lat_lo = std::max(-90.0, p.lat_deg - dlat);
    const double lat_hi = std::min(90.0, p.lat_deg + dlat);
    const double poleward = std::max(std::abs(lat_lo), std::abs(lat_hi));
    double lon_lo = -180.0;
    double lon_hi = 180.0;
    if (poleward < 89.9) {
        const double metres_per_degree_lon =
            wgs84_a_m * std::cos(poleward * std::numbers::pi / 180.0) * std::numbers::pi / 180.0;
        const double dlon = radius_m / metres_per_degree_lon * margin;
        lon_lo = std::max(-180.0, p.lon_deg - dlon);
        lon_hi = std::min(180.0, p.lon_deg + dlon);
    }
    return LonLatBox(LonLatPoint(lon_lo, lat_lo), LonLatPoint(lon_hi, lat_hi));
}

bool in_layer(const Zone& z, std::string_view layer) {
    return layer.empty() || z.layer == layer;
}

void check_unique(const std::vector<Zone>& zones, const std::vector<Zone>* more) {
    std::set<std::pair<std::string_view, std::string_view>> seen;
    auto check = [&seen](const Zone& z) {
        if (!seen.emplace(z.layer, z.id).second) {
            throw GeoError("duplicate zone id in layer", {}, z.layer, z.id);
        }
    };
    std::for_each(zones.begin(), zones.end(), check);
    if (more != nullptr) {
        std::for_each(more->begin(), more->end(), check);
    }
}

} // namespace

ZoneIndex::ZoneIndex() = default;
ZoneIndex::~ZoneIndex() = default;
ZoneIndex::ZoneIndex(const ZoneIndex&) = default;
ZoneIndex& ZoneIndex::operator=(const ZoneIndex&) = default;
ZoneIndex::ZoneIndex(ZoneIndex&&) noexcept = default;
ZoneIndex& ZoneIndex::operator=(ZoneIndex&&) noexcept = default;

ZoneIndex::ZoneIndex(std::vector<Zone> zones) : m_zones(std::move(zones)) {
    rebuild();
}

void ZoneIndex::rebuild() {
    m_tree = m_zones.empty() ? nullptr : std::make_shared<const detail::ZoneTree>(m_zones);
}

ZoneIndex ZoneIndex::from_zones(std::vector<Zone> zones) {
    for (const Zone& z : zones) {
        if (!z.outline) {
            throw GeoError("zone was not built with make_zone()", {}, z.layer, z.id);
        }
    }
    check_unique(zones, nullptr);
    return ZoneIndex(std::move(zones));
}

void ZoneIndex::merge(ZoneIndex&& other) {
    check_unique(m_zones, &other.m_zones);
    // Build the merged index aside, then commit with non-throwing moves (strong guarantee).
    std::vector<Zone> combined;
    combined.reserve(m_zones.size() + other.m_zones.size());
    combined.insert(combined.end(), m_zones.begin(), m_zones.end());
    combined.insert(combined.end(), other.m_zones.begin(), other.m_zones.end());
    ZoneIndex merged(std::move(combined));
    *this = std::move(merged);
    other = ZoneIndex();
}

std::vector<const Zone*> ZoneIndex::containing(const Position& p) const {
    return containing(p, {});
}

std::vector<const Zone*> ZoneIndex::containing(const Position& p, std::string_view layer) const {
    std::vector<const Zone*> result;
    if (!m_tree || !is_valid(p)) {
        return result;
    }
    const LonLatPoint q(p.lon_deg, p.lat_deg);
    for (const std::size_t i : m_tree->candidates(LonLatBox(q, q))) {
        const Zone& z = m_zones[i];
        if (in_layer(z, layer) && contains(z, p)) {
            result.push_back(&z);
        }
    }
    return result;
}

double ZoneIndex::distance_outside_m(const Position& p, const Zone& z) const {
    return geo::distance_outside_m(p, z);
}

std::vector<std::pair<const Zone*, double>>
ZoneIndex::within_distance(const Position& p, double radius_m, std::string_view layer) const {
    std::vector<std::pair<const Zone*, double>> result;
    if (!m_tree || !is_valid(p) || !(radius_m >= 0.0)) {
        return result;
    }
    const double radius = std::isfinite(radius_m) ? radius_m : 4.1e7; // > any WGS 84 geodesic
    for (const std::size_t i : m_tree->candidates(search_box(p, radius))) {
        const Zone& z = m_zones[i];
        if (!in_layer(z, layer)) {
            continue;
        }
        if (const std::optional<double> d = distance_outside_within_m(p, z, radius_m)) {
            result.emplace_back(&z, *d);
        }
    }
    // Candidates come in index order, so a stable sort keeps ties in index order.
    std::stable_sort(result.begin(), result.end(),
                     [](const auto& a, const auto& b) { return a.second < b.second; });
    return result;
}

std::vector<const Zone*> ZoneIndex::intersecting(const Position& a, const Position& b,
                                                 std::string_view layer) const {
    std::vector<const Zone*> result;
    if (!m_tree || !is_valid(a) || !is_valid(b)) {
        return result;
    }
    const bg::model::segment<LonLatPoint> segment(LonLatPoint(a.lon_deg, a.lat_deg),
                                                  LonLatPoint(b.lon_deg, b.lat_deg));
    for (const std::size_t i : m_tree->candidates(bg::return_envelope<LonLatBox>(segment))) {
        const Zone& z = m_zones[i];
        if (in_layer(z, layer) && intersects_segment(z, a, b)) {
            result.push_back(&z);
        }
    }
    return result;
}

const Zone* ZoneIndex::find(std::string_view id) const {
    const auto it =
        std::find_if(m_zones.begin(), m_zones.end(), [id](const Zone& z) { return z.id == id; });
    return it == m_zones.end() ? nullptr : &*it;
}

const Zone* ZoneIndex::find(std::string_view layer, std::string_view id) const {
    const auto it = std::find_if(m_zones.begin(), m_zones.end(), [layer, id](const Zone& z) {
        return z.layer == layer && z.id == id;
    });
    return it == m_zones.end() ? nullptr : &*it;
}

} // namespace sahil::geo
