// GET and POST /api/tracks/area (tracks_api.hpp): which vessels were in a box, a named zone
// or a drawn polygon during a window. Boxes go straight to store::vessels_in_area; a zone or a
// polygon is first reduced to its bounding box (the store's R*Tree) and every fix found there is
// then tested against the exact shape (geo::contains for zones, a GEOS prepared geometry through
// GDAL/OGR for polygons).
#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include <cpl_error.h>
#include <fmt/format.h>
#include <ogr_api.h>
#include <ogr_geometry.h>

#include "geo/gdal_support.hpp"
#include "geo/zone.hpp"
#include "server/app/registry_json.hpp"
#include "server/app/tracks_api.hpp"
#include "server/store/track_query.hpp"

namespace sahil::app {
namespace {

using detail::bad_parameter;
using detail::degrees;
using detail::iso_time;
using detail::json_ok;
using detail::outward_box;
using detail::parse_bbox;
using detail::read_window;
using detail::vessel_name;
using http::Access;
using http::Request;
using http::RequestContext;
using http::Responder;
using http::Response;
using nlohmann::json;
using nlohmann::ordered_json;
using registry::ErrorCode;
using store::TrackFix;

/// POST /api/tracks/area only reads, but every POST goes through the CSRF check.
constexpr Access track_area_post{.roles = detail::track_reader_roles, .state_changing = true};
constexpr Access track_readers{.roles = detail::track_reader_roles};

/// A "gap" between two fixes in the area, seconds (store::vessels_in_area's default).
constexpr int area_gap_s = 600;

/// As store::vessels_in_area, counting only the fixes `inside` accepts (polygons).
std::vector<store::AreaVisit> visits_where(const store::TrackStore& s, const store::GeoBox& box,
                                           const store::TimeWindow& window,
                                           const std::function<bool(const TrackFix&)>& inside) {
    std::vector<store::AreaVisit> out;
    const std::int64_t gap_ms = std::int64_t{area_gap_s} * 1000;
    std::int64_t prev_ms = 0;
    s.scan_area(box, window, [&](const TrackFix& f) {
        if (!inside(f)) {
            return true;
        }
        if (out.empty() || out.back().vessel != f.vessel) {
            out.push_back(store::AreaVisit{f.vessel, f.time_ms, f.time_ms, 0, 0, 0});
            prev_ms = f.time_ms;
        }
        store::AreaVisit& v = out.back();
        if (f.time_ms - prev_ms > gap_ms) {
            ++v.gaps;
            v.longest_gap_ms = std::max(v.longest_gap_ms, f.time_ms - prev_ms);
        }
        prev_ms = f.time_ms;
        v.last_ms = f.time_ms;
        ++v.fixes;
        return true;
    });
    return out;
}

Response area_answer(const store::TrackStore& s, ordered_json area, const store::TimeWindow& window,
                     const std::vector<store::AreaVisit>& visits) {
    ordered_json list = ordered_json::array();
    for (const auto& v : visits) {
        list.push_back({{"mmsi", v.vessel},
                        {"name", vessel_name(s, v.vessel, window.until_ms)},
                        {"first_seen", iso_time(v.first_ms)},
                        {"last_seen", iso_time(v.last_ms)},
                        {"fixes", v.fixes},
                        {"gaps", v.gaps},
                        {"longest_gap_s", v.longest_gap_ms / 1000}});
    }
    return json_ok({{"area", std::move(area)},
                    {"since", iso_time(window.since_ms)},
                    {"until", iso_time(window.until_ms)},
                    {"gap_s", area_gap_s},
                    {"vessels", list},
                    {"count", list.size()}});
}

store::GeoBox box_of(const geo::LonLatBox& b) {
    return outward_box(b.min_corner().x(), b.min_corner().y(), b.max_corner().x(),
                       b.max_corner().y());
}

void area_get(ApiContext& api, const Request& req, const RequestContext&, Responder respond) {
    if (auto e = detail::reject_unknown_parameters(req, {"bbox", "zone", "since", "until"})) {
        return respond(std::move(*e));
    }
    const auto bbox = req.query.find("bbox");
    const auto zone = req.query.find("zone");
    if ((bbox == req.query.end()) == (zone == req.query.end())) {
        return respond(bad_parameter(bbox == req.query.end() ? "bbox" : "zone",
                                     "give either bbox=west,south,east,north or zone=<sea zone "
                                     "or harbour id>, not both"));
    }
    const auto window = read_window(req, TrackLimits::max_track_days);
    if (const auto* e = std::get_if<Response>(&window)) {
        return respond(*e);
    }
    const auto& w = std::get<store::TimeWindow>(window);
    if (bbox != req.query.end()) {
        const auto box = parse_bbox(bbox->second, false);
        if (const auto* message = std::get_if<std::string>(&box)) {
            return respond(bad_parameter("bbox", *message));
        }
        if (api.tracks == nullptr) {
            return respond(detail::tracks_unavailable());
        }
        const auto& b = std::get<store::GeoBox>(box);
        const auto visits = store::vessels_in_area(*api.tracks, b, w, area_gap_s);
        return respond(area_answer(
            *api.tracks,
            {{"bbox",
              {degrees(b.west_e6), degrees(b.south_e6), degrees(b.east_e6), degrees(b.north_e6)}}},
            w, visits));
    }
    const auto zones = api.track_zones();
    const geo::Zone* z = nullptr;
    if (zones) {
        z = zones->sea_zones.find(zone->second);
        z = z != nullptr ? z : zones->harbours.find(zone->second);
    }
    if (z == nullptr) {
        std::string known;
        if (zones) {
            for (const auto& sz : zones->sea_zones.zones()) {
                known += (known.empty() ? "" : ", ") + sz.id;
            }
        }
        return respond(bad_parameter("zone", "unknown zone: give a sea zone id (" +
                                                 (known.empty() ? "none" : known) +
                                                 ") or a harbour id such as PK-HBR-05"));
    }
    if (api.tracks == nullptr) {
        return respond(detail::tracks_unavailable());
    }
    const auto visits = visits_where(*api.tracks, box_of(z->bounds), w, [z](const TrackFix& f) {
        return geo::contains(*z, geo::Position{degrees(f.lat_e6), degrees(f.lon_e6)});
    });
    respond(area_answer(*api.tracks,
                        {{"zone", {{"id", z->id}, {"name", z->name}, {"layer", z->layer}}}}, w,
                        visits));
}

/// A polygon body checked and made into a prepared OGR geometry.
struct PolygonArea {
    struct PreparedFree {
        void operator()(OGRPreparedGeometryH h) const { OGRDestroyPreparedGeometry(h); }
    };
    std::unique_ptr<OGRGeometry> geometry;
    std::unique_ptr<std::remove_pointer_t<OGRPreparedGeometryH>, PreparedFree> prepared;
    store::GeoBox box;
    std::string type;
    std::size_t vertices = 0;
};

/// Checks one ring: an array of >= 4 positions [lon, lat] (or [lon, lat, h]) in WGS 84 range,
/// the last equal to the first.
void check_ring(const json& ring, const std::string& path, std::size_t& vertices,
                JsonErrors& errors) {
    if (!ring.is_array() || ring.size() < 4) {
        errors.push_back({path, "a ring must be an array of at least 4 positions, the last "
                                "equal to the first"});
        return;
    }
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const json& p = ring[i];
        const bool numbers = p.is_array() && (p.size() == 2 || p.size() == 3) &&
                             std::all_of(p.begin(), p.end(), [](const json& n) {
                                 return n.is_number() && std::isfinite(n.get<double>());
                             });
        if (!numbers) {
            errors.push_back({fmt::format("{}[{}]", path, i),
                              "a position must be [longitude, latitude] in degrees"});
            return;
        }
        const double lon = p[0].get<double>();
        const double lat = p[1].get<double>();
        if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
            errors.push_back({fmt::format("{}[{}]", path, i),
                              "out of range: coordinates are WGS 84 [longitude -180..180, "
                              "latitude -90..90] (RFC 7946)"});
            return;
        }
    }
    if (ring.front()[0] != ring.back()[0] || ring.front()[1] != ring.back()[1]) {
        errors.push_back({path, "a ring must be closed: the last position equal to the first"});
    }
    vertices += ring.size();
}

bool is_wgs84_crs(const json& crs) {
    if (!crs.is_object() || !crs.contains("properties") || !crs["properties"].is_object() ||
        !crs["properties"].contains("name") || !crs["properties"]["name"].is_string()) {
        return false;
    }
    const auto name = crs["properties"]["name"].get<std::string>();
    return name == "urn:ogc:def:crs:OGC:1.3:CRS84" || name == "urn:ogc:def:crs:OGC::CRS84" ||
           name == "EPSG:4326" || name == "urn:ogc:def:crs:EPSG::4326" ||
           name == "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
}

std::variant<PolygonArea, Response> read_polygon(const Request& req) {
    Response error;
    std::optional<json> body;
    const auto type = req.header("Content-Type");
    if (type && type->substr(0, 20) == "application/geo+json") {
        body = json::parse(req.body, nullptr, false);
        if (body->is_discarded() || !body->is_object()) {
            return http::json_error(400, "bad_request", "the body must be one JSON object");
        }
    } else if (body = json_body(req, error); !body) {
        return error;
    }
    JsonErrors errors;
    reject_unknown(*body, {"type", "coordinates", "bbox", "crs"}, "", errors);
    if (body->contains("crs") && !is_wgs84_crs((*body)["crs"])) {
        errors.push_back({"crs", "coordinates must be WGS 84 longitude/latitude (RFC 7946); "
                                 "leave crs out"});
    }
    const std::string geometry_type = body->contains("type") && (*body)["type"].is_string()
                                          ? (*body)["type"].get<std::string>()
                                          : "";
    PolygonArea area;
    area.type = geometry_type;
    const json coordinates = body->value("coordinates", json());
    if (geometry_type != "Polygon" && geometry_type != "MultiPolygon") {
        errors.push_back({"type", "must be Polygon or MultiPolygon (a GeoJSON geometry, RFC 7946 "
                                  "3.1.6/3.1.7)"});
    } else if (!coordinates.is_array() || coordinates.empty()) {
        errors.push_back({"coordinates", "must be a non-empty array"});
    } else if (geometry_type == "Polygon") {
        for (std::size_t i = 0; i < coordinates.size() && errors.empty(); ++i) {
            check_ring(coordinates[i], fmt::format("coordinates[{}]", i), area.vertices, errors);
        }
    } else {
        for (std::size_t i = 0; i < coordinates.size() && errors.empty(); ++i) {
            if (!coordinates[i].is_array() || coordinates[i].empty()) {
                errors.push_back({fmt::format("coordinates[{}]", i),
                                  "a polygon must be a non-empty array of rings"});
            }
            for (std::size_t k = 0; errors.empty() && k < coordinates[i].size(); ++k) {
                check_ring(coordinates[i][k], fmt::format("coordinates[{}][{}]", i, k),
                           area.vertices, errors);
            }
        }
    }
    if (errors.empty() && area.vertices > TrackLimits::max_polygon_vertices) {
        errors.push_back(
            {"coordinates", fmt::format("at most {} vertices (this one has {}); "
                                        "simplify the polygon",
                                        TrackLimits::max_polygon_vertices, area.vertices)});
    }
    if (!errors.empty()) {
        return error_response(ErrorCode::validation_failed, errors);
    }
    const std::string text = json{{"type", geometry_type}, {"coordinates", coordinates}}.dump();
    bool valid = false;
    {
        const geo::QuietGdal quiet;
        area.geometry.reset(OGRGeometryFactory::createFromGeoJson(text.c_str()));
        valid = area.geometry != nullptr && area.geometry->IsValid();
    }
    if (!valid) {
        return error_response(ErrorCode::validation_failed,
                              {{"coordinates", "the polygon is not valid: rings cross "
                                               "themselves or each other, or a hole lies "
                                               "outside its polygon (OGC Simple Features)"}});
    }
    area.prepared.reset(OGRCreatePreparedGeometry(OGRGeometry::ToHandle(area.geometry.get())));
    if (!area.prepared) {
        throw std::runtime_error("GDAL/OGR was built without GEOS: prepared geometries are "
                                 "not available for the polygon test");
    }
    OGREnvelope env;
    area.geometry->getEnvelope(&env);
    area.box = outward_box(env.MinX, env.MinY, env.MaxX, env.MaxY);
    return area;
}

void area_post(ApiContext& api, const Request& req, const RequestContext&, Responder respond) {
    if (auto e = detail::reject_unknown_parameters(req, {"since", "until"})) {
        return respond(std::move(*e));
    }
    const auto window = read_window(req, TrackLimits::max_track_days);
    if (const auto* e = std::get_if<Response>(&window)) {
        return respond(*e);
    }
    auto polygon = read_polygon(req);
    if (auto* e = std::get_if<Response>(&polygon)) {
        return respond(std::move(*e));
    }
    if (api.tracks == nullptr) {
        return respond(detail::tracks_unavailable());
    }
    const auto& area = std::get<PolygonArea>(polygon);
    const auto& w = std::get<store::TimeWindow>(window);
    // R-tree box first (the store's index), then the exact test on the prepared geometry;
    // edges count as inside (Intersects), as they do for bbox.
    const auto visits = visits_where(*api.tracks, area.box, w, [&area](const TrackFix& f) {
        OGRPoint p(degrees(f.lon_e6), degrees(f.lat_e6));
        return OGRPreparedGeometryIntersects(area.prepared.get(), OGRGeometry::ToHandle(&p)) != 0;
    });
    const auto& b = area.box;
    respond(area_answer(
        *api.tracks,
        {{"polygon",
          {{"type", area.type},
           {"vertices", area.vertices},
           {"bbox",
            {degrees(b.west_e6), degrees(b.south_e6), degrees(b.east_e6), degrees(b.north_e6)}}}}},
        w, visits));
}

} // namespace

void detail::add_track_area_routes(http::Router& router, ApiContext& api) {
    router.add("GET", "/api/tracks/area", track_readers,
               on_track_worker(
                   api, [&api](const Request& req, const RequestContext& ctx, Responder respond) {
                       area_get(api, req, ctx, std::move(respond));
                   }));
    router.add("POST", "/api/tracks/area", track_area_post,
               on_track_worker(
                   api, [&api](const Request& req, const RequestContext& ctx, Responder respond) {
                       area_post(api, req, ctx, std::move(respond));
                   }));
}

} // namespace sahil::app
