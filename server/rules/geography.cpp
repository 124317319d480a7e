#include "server/rules/geography.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sahil::rules {

Geography Geography::load(const geo::ZoneIndex& harbours, const GeographyFiles& files) {
    Geography g(harbours);
    if (!files.sea_zones.empty()) {
        g.m_sea = geo::ZoneIndex::load(files.sea_zones, "sea_zones", "zone", "zone", "zone");
        g.m_eez = g.m_sea.find("eez_all_waters");
    }
    if (!files.land.empty()) {
        g.m_land = geo::ZoneIndex::load(files.land, "land", "A3", "A3", "A3");
        g.m_pak_land = g.m_land.find("PAK");
    }
    if (!files.boundaries.empty()) {
        g.m_boundaries = geo::BoundaryIndex::load(files.boundaries);
    }
    if (!files.exception_areas.empty()) {
        g.m_exceptions = geo::ZoneIndex::load(files.exception_areas, "exceptions");
    }
    return g;
}

bool Geography::outside_eez(const geo::Position& p) const {
    if (m_eez == nullptr || geo::contains(*m_eez, p)) {
        return false;
    }
    // The EEZ layer holds waters only, and its coast is a 0.01° raster (±1-3 km): a position
    // on or beside Pakistan's own land (a harbour on the shore) is not outside the EEZ.
    if (m_pak_land != nullptr &&
        geo::distance_outside_within_m(p, *m_pak_land, coast_tolerance_m).has_value()) {
        return false;
    }
    return true;
}

namespace {
// A lower bound of the distance in metres from `p` to the box `b` (degrees): per degree at least
// 110,574 m of latitude (WGS 84, at the equator) and 111,320·cos(lat) m of longitude at the
// highest latitude involved. Lets far-away zones be skipped without measuring.
double box_distance_lower_bound_m(const geo::Position& p, const geo::LonLatBox& b) {
    const double lat0 = b.min_corner().y();
    const double lat1 = b.max_corner().y();
    const double lon0 = b.min_corner().x();
    const double lon1 = b.max_corner().x();
    const double dlat = p.lat_deg < lat0 ? lat0 - p.lat_deg : (p.lat_deg > lat1 ? p.lat_deg - lat1 : 0);
    double dlon = p.lon_deg < lon0 ? lon0 - p.lon_deg : (p.lon_deg > lon1 ? p.lon_deg - lon1 : 0);
    dlon = std::min(dlon, 360.0 - dlon);
    const double max_lat = std::min(89.9, std::max({std::abs(p.lat_deg), std::abs(lat0),
                                                    std::abs(lat1)}));
    return std::max(dlat * 110'574.0,
                    dlon * 111'320.0 * std::cos(max_lat * std::numbers::pi / 180.0));
}
} // namespace

std::optional<double> Geography::shore_distance_within_m(const geo::Position& p,
                                                         double limit_m) const {
    std::optional<double> best;
    for (const auto& z : m_land.zones()) {
        if (box_distance_lower_bound_m(p, z.bounds) > (best ? *best : limit_m)) {
            continue;
        }
        const auto d = geo::distance_outside_within_m(p, z, best ? *best : limit_m);
        if (d && (!best || *d < *best)) {
            best = d;
        }
    }
    return best;
}

std::optional<double> Geography::harbour_distance_within_m(const geo::Position& p,
                                                           double limit_m) const {
    std::optional<double> best;
    for (const auto& [zone, d] : m_harbours->within_distance(p, limit_m)) {
        (void)zone;
        if (!best || d < *best) {
            best = d;
        }
    }
    return best;
}

const geo::Zone* Geography::exception_area(const geo::Position& p, const std::string& harbour,
                                           std::string_view rule) const {
    for (const geo::Zone* z : m_exceptions.containing(p)) {
        const auto h = z->properties.find("harbour");
        if (h == z->properties.end() || h->second != harbour) {
            continue;
        }
        const auto r = z->properties.find("rules");
        if (r == z->properties.end() || r->second.empty() ||
            r->second.find(std::string(rule)) != std::string::npos) {
            return z;
        }
    }
    return nullptr;
}

Whereabouts Geography::whereabouts(const geo::Position& p, double harbour_buffer_m,
                                   double boundary_area_m) const {
    Whereabouts w;
    for (const auto& [zone, d] : m_harbours->within_distance(p, harbour_buffer_m)) {
        (void)d;
        if (w.zone_id.empty()) {
            w.zone_id = zone->id;
            w.zone_name = zone->name;
        }
        w.areas.emplace_back("harbour");
        break;
    }
    bool in_eez = false;
    for (const geo::Zone* z : m_sea.containing(p)) {
        std::string area;
        if (z->id == "territorial_sea") {
            area = "territorial_sea";
        } else if (z->id == "contiguous_zone_belt") {
            area = "contiguous_zone";
        } else if (z->id == "eez_all_waters") {
            in_eez = true;
            continue; // "eez" is added below for waters beyond the contiguous zone only
        } else {
            continue;
        }
        w.areas.push_back(area);
        if (w.zone_id.empty() && area != "eez") {
            w.zone_id = z->id;
            w.zone_name = area == "territorial_sea" ? "Pakistan territorial sea (12 nm)"
                                                    : "Pakistan contiguous zone (12-24 nm)";
        }
    }
    // The routing area "eez" is the EEZ beyond 24 nm: the territorial sea and contiguous zone
    // are areas of their own (so that a Coast Guards desk for the 12 nm belt does not share
    // every alert there with the MSA desk for the EEZ).
    if (in_eez && std::find(w.areas.begin(), w.areas.end(), "territorial_sea") == w.areas.end() &&
        std::find(w.areas.begin(), w.areas.end(), "contiguous_zone") == w.areas.end()) {
        w.areas.emplace_back("eez");
    }
    if (const auto near = m_boundaries.nearest(p, boundary_area_m)) {
        w.areas.emplace_back("boundary_area");
        if (w.zone_id.empty()) {
            w.zone_id = near->line->id;
            w.zone_name = "near the " + near->line->id + " boundary line";
        }
    }
    if (!in_eez && outside_eez(p)) {
        w.areas.emplace_back("outside_eez");
        if (w.zone_id.empty()) {
            w.zone_id = "outside_eez";
            w.zone_name = "outside Pakistan's EEZ";
        }
    } else if (in_eez && w.zone_id.empty()) {
        w.zone_id = "eez_all_waters";
        w.zone_name = "Pakistan EEZ (24-200 nm)";
    }
    if (w.zone_id.empty()) {
        w.zone_id = "sea";
        w.zone_name = "at sea";
    }
    return w;
}

std::string Geography::harbour_province(const std::string& harbour_id) const {
    if (const geo::Zone* z = m_harbours->find(harbour_id)) {
        const auto it = z->properties.find("province");
        if (it != z->properties.end()) {
            return it->second;
        }
    }
    return {};
}

} // namespace sahil::rules
