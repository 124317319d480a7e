// OGC API – Features – Part 1: Core (OGC 17-069r4) over the track store and the zone layers:
// the landing page, conformance, collections and items routes under /ogc (tracks_api.hpp).
//
// Collections: `fixes` (every stored position fix; an items request needs bbox or a datetime
// interval of at most 7 days), `sea_zones` and `harbours` (the daemon's zone layers),
// `vessels` (registry boats with an MMSI, positioned at their last fix of the past 30 days).
// Conformance classes: core and geojson. Encoding: JSON only (`f=json`, the default); items as
// `application/geo+json` with numberMatched, numberReturned and offset-based `next`/`prev`
// links. Links are absolute: `[registry] certificate_base_url` when set, else http://<Host>.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "server/alerts/alert.hpp"
#include "server/alerts/cap.hpp"
#include "server/app/tracks_api.hpp"

namespace sahil::app {
namespace {

using detail::bad_parameter;
using detail::degrees;
using detail::iso_time;
using detail::json_ok;
using http::Access;
using http::Request;
using http::RequestContext;
using http::Responder;
using http::Response;
using http::Role;
using nlohmann::ordered_json;
using store::TrackFix;

/// Same readers as the track history (tracks_api.cpp).
constexpr Access ogc_readers{.roles = {Role::admin, Role::cg_watchkeeper, Role::msa_officer,
                                       Role::msa_analyst, Role::auditor}};
/// Who may read the registry (registry_api.cpp: everyone signed in); the `vessels` collection
/// is offered only to them.
constexpr http::RoleSet registry_reader_roles = http::RoleSet::all();

constexpr const char* crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
constexpr std::size_t default_limit = 1000;
constexpr std::size_t max_limit = 10'000;
constexpr std::int64_t max_fixes_days = 7;
/// A vessel's position is its last fix within this long before now (vessels collection).
constexpr std::int64_t vessel_lookback_days = 30;

const std::vector<std::string>& collection_ids() {
    static const std::vector<std::string> ids{"fixes", "sea_zones", "harbours", "vessels"};
    return ids;
}

bool may_see(const RequestContext& ctx, const std::string& collection) {
    return collection != "vessels" ||
           (ctx.principal && registry_reader_roles.contains(ctx.principal->role));
}

std::int64_t now_ms() {
    return unix_millis(
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
}

/// "https://sahil.fisheries.gob.pk" or "http://127.0.0.1:8617"; "" when neither is usable.
std::string base_url(const ApiContext& api, const Request& req) {
    std::string base = api.config.registry.certificate_base_url;
    if (!base.empty()) {
        return base.ends_with('/') ? base.substr(0, base.size() - 1) : base;
    }
    const auto host = req.header("Host");
    const bool clean =
        host && !host->empty() && std::all_of(host->begin(), host->end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' ||
                   c == ':' || c == '[' || c == ']';
        });
    return clean ? "http://" + std::string(*host) : std::string();
}

ordered_json link(const std::string& href, const char* rel, const char* type,
                  const std::string& title = {}) {
    ordered_json l = {{"href", href}, {"rel", rel}, {"type", type}};
    if (!title.empty()) {
        l["title"] = title;
    }
    return l;
}

Response not_found(const std::string& message) {
    return http::json_error(404, "not_found", message);
}

/// Only JSON is offered; `f` may say so.
std::optional<Response> check_format(const Request& req) {
    const auto f = req.query.find("f");
    if (f != req.query.end() && f->second != "json" && f->second != "geojson") {
        return bad_parameter("f", "only f=json is offered (GeoJSON for items)");
    }
    return std::nullopt;
}

// ---- collections ----------------------------------------------------------------------------

ordered_json zones_extent(const geo::ZoneIndex& zones) {
    if (zones.empty()) {
        return nullptr;
    }
    double w = 180, s = 90, e = -180, n = -90;
    for (const auto& z : zones.zones()) {
        w = std::min(w, z.bounds.min_corner().x());
        s = std::min(s, z.bounds.min_corner().y());
        e = std::max(e, z.bounds.max_corner().x());
        n = std::max(n, z.bounds.max_corner().y());
    }
    return {{"spatial",
             {{"bbox", ordered_json::array({ordered_json::array({w, s, e, n})})}, {"crs", crs84}}}};
}

ordered_json collection_json(const ApiContext& api, const std::string& base,
                             const std::string& id) {
    const auto zones = api.track_zones();
    std::string title;
    std::string description;
    ordered_json extent = nullptr;
    if (id == "fixes") {
        title = "AIS position fixes";
        description =
            "Every position fix kept in the track history (one Point per fix; properties mmsi, "
            "time, received, sog_kn, cog_deg, heading_deg, nav_status, message_type, source; "
            "id <mmsi>-<unix ms>). An items request MUST give bbox=west,south,east,north or a "
            "datetime interval of at most 7 days (datetime=2026-03-15T00:00:00Z/"
            "2026-03-16T00:00:00Z); without either it is refused with 400, because the whole "
            "history is far too large for one listing. Ordered by MMSI, then time.";
    } else if (id == "sea_zones") {
        title = "Sea zones";
        description = "Pakistan's maritime zones as the rules use them (territorial sea, "
                      "contiguous zone, EEZ); id = the zone name. No time dimension: datetime "
                      "is ignored.";
        extent = zones ? zones_extent(zones->sea_zones) : ordered_json();
    } else if (id == "harbours") {
        title = "Harbour geofences";
        description = "The harbour geofences of the departure rule; id = the harbour id (e.g. "
                      "PK-HBR-05). No time dimension: datetime is ignored.";
        extent = zones ? zones_extent(zones->harbours) : ordered_json();
    } else {
        title = "Registered vessels";
        description = fmt::format(
            "Registry boats with an MMSI (registry id, MMSI, name, registration number, call "
            "sign, home harbour, status); id = the MMSI. The position is the last fix of the "
            "past {} days from the track history, else the geometry is null. datetime selects "
            "by the time of that last fix.",
            vessel_lookback_days);
    }
    const std::string self = base + "/ogc/collections/" + id;
    ordered_json c = {{"id", id}, {"title", title}, {"description", description}};
    if (!extent.is_null()) {
        c["extent"] = extent;
    }
    c["itemType"] = "feature";
    c["crs"] = ordered_json::array({crs84});
    c["links"] = ordered_json::array(
        {link(self, "self", "application/json", title),
         link(self + "/items", "items", "application/geo+json", title + " (GeoJSON)")});
    return c;
}

void landing_page(const ApiContext& api, const Request& req, const RequestContext&,
                  Responder respond) {
    if (auto e = detail::reject_unknown_parameters(req, {"f"})) {
        return respond(std::move(*e));
    }
    if (auto e = check_format(req)) {
        return respond(std::move(*e));
    }
    const std::string base = base_url(api, req);
    respond(json_ok(
        {{"title", "Sahil track history"},
         {"description", "OGC API – Features (Part 1: Core) over Sahil's AIS track history and "
                         "zone layers. Authenticate as for the rest of the API (Authorization: "
                         "Bearer <API token>)."},
         {"links",
          ordered_json::array(
              {link(base + "/ogc", "self", "application/json", "This document"),
               link(base + "/ogc/conformance", "conformance", "application/json",
                    "Conformance classes"),
               link(base + "/ogc/collections", "data", "application/json", "Collections")})}}));
}

void conformance(const ApiContext&, const Request& req, const RequestContext&, Responder respond) {
    if (auto e = detail::reject_unknown_parameters(req, {"f"})) {
        return respond(std::move(*e));
    }
    if (auto e = check_format(req)) {
        return respond(std::move(*e));
    }
    // An explicit array: a braced pair of strings would become a JSON object.
    respond(json_ok(
        {{"conformsTo", ordered_json::array(
                            {"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                             "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"})}}));
}

void collections(const ApiContext& api, const Request& req, const RequestContext& ctx,
                 Responder respond) {
    if (auto e = detail::reject_unknown_parameters(req, {"f"})) {
        return respond(std::move(*e));
    }
    if (auto e = check_format(req)) {
        return respond(std::move(*e));
    }
    const std::string base = base_url(api, req);
    ordered_json list = ordered_json::array();
    for (const auto& id : collection_ids()) {
        if (may_see(ctx, id)) {
            list.push_back(collection_json(api, base, id));
        }
    }
    respond(json_ok({{"links", ordered_json::array({link(base + "/ogc/collections", "self",
                                                         "application/json", "Collections")})},
                     {"collections", list}}));
}

std::optional<std::string> collection_of(const Request& req, const RequestContext& ctx) {
    const auto it = req.path_params.find("collection");
    const auto& ids = collection_ids();
    if (it == req.path_params.end() || std::find(ids.begin(), ids.end(), it->second) == ids.end() ||
        !may_see(ctx, it->second)) {
        return std::nullopt;
    }
    return it->second;
}

/// The collection of a request that takes no query parameter but `f`: its id, or the error
/// answer (unknown parameter, a format other than JSON, no such collection for this caller).
std::variant<std::string, Response> plain_collection_request(const Request& req,
                                                             const RequestContext& ctx) {
    if (auto e = detail::reject_unknown_parameters(req, {"f"})) {
        return std::move(*e);
    }
    if (auto e = check_format(req)) {
        return std::move(*e);
    }
    if (auto id = collection_of(req, ctx)) {
        return std::move(*id);
    }
    return not_found("no such collection (fixes, sea_zones, harbours, vessels)");
}

void collection(const ApiContext& api, const Request& req, const RequestContext& ctx,
                Responder respond) {
    const auto id = plain_collection_request(req, ctx);
    if (const auto* e = std::get_if<Response>(&id)) {
        return respond(*e);
    }
    respond(json_ok(collection_json(api, base_url(api, req), std::get<std::string>(id))));
}

// ---- items query ------------------------------------------------------------------------------

struct ItemsQuery {
    std::optional<store::GeoBox> bbox;
    /// `datetime`: [since, until]; an open end is the minimum or maximum below.
    std::optional<store::TimeWindow> datetime;
    bool datetime_closed = false; ///< both ends given (or an instant)
    std::size_t limit = default_limit;
    std::size_t offset = 0;
};

constexpr std::int64_t open_start_ms = 0;                 // no AIS fix predates 1970
constexpr std::int64_t open_end_ms = 253'402'300'799'000; // 9999-12-31T23:59:59Z

/// RFC 3339 instant or interval of OGC 17-069r4 §7.15.4, UTC only: `T`, `T1/T2`, `../T2`,
/// `T1/..` (an empty end is open too).
std::variant<ItemsQuery, Response> read_datetime(ItemsQuery q, const std::string& text) {
    const auto bad = [] {
        return bad_parameter("datetime", "must be a UTC time or interval such as "
                                         "2026-03-15T00:00:00Z/2026-03-16T00:00:00Z (open ends "
                                         "as ..)");
    };
    const auto slash = text.find('/');
    if (slash == std::string::npos) {
        const auto t = alerts::parse_utc_time(text);
        if (!t) {
            return bad();
        }
        q.datetime = store::TimeWindow{unix_millis(*t), unix_millis(*t)};
        q.datetime_closed = true;
        return q;
    }
    const std::string a = text.substr(0, slash);
    const std::string b = text.substr(slash + 1);
    const auto end = [](const std::string& s, std::int64_t open) -> std::optional<std::int64_t> {
        if (s.empty() || s == "..") {
            return open;
        }
        const auto t = alerts::parse_utc_time(s);
        return t ? std::optional(unix_millis(*t)) : std::nullopt;
    };
    const auto since = end(a, open_start_ms);
    const auto until = end(b, open_end_ms);
    if (!since || !until || b.find('/') != std::string::npos) {
        return bad();
    }
    if (*until < *since) {
        return bad_parameter("datetime", "the interval ends before it starts");
    }
    q.datetime = store::TimeWindow{*since, *until};
    q.datetime_closed = a != ".." && !a.empty() && b != ".." && !b.empty();
    return q;
}

std::variant<ItemsQuery, Response> read_items_query(const Request& req) {
    if (auto e =
            detail::reject_unknown_parameters(req, {"bbox", "datetime", "limit", "offset", "f"})) {
        return std::move(*e);
    }
    if (auto e = check_format(req)) {
        return std::move(*e);
    }
    ItemsQuery q;
    for (const auto& [key, value] : req.query) {
        if (key == "bbox") {
            auto box = detail::parse_bbox(value, true);
            if (const auto* message = std::get_if<std::string>(&box)) {
                return bad_parameter("bbox", *message);
            }
            q.bbox = std::get<store::GeoBox>(box);
        } else if (key == "limit" || key == "offset") {
            const bool digits = !value.empty() && value.size() <= 9 &&
                                value.find_first_not_of("0123456789") == std::string::npos;
            const std::size_t n = digits ? std::stoul(value) : 0;
            if (key == "limit" && (!digits || n < 1 || n > max_limit)) {
                return bad_parameter("limit", "must be 1 to 10000 (default 1000)");
            }
            if (key == "offset" && !digits) {
                return bad_parameter("offset", "must be a whole number >= 0");
            }
            (key == "limit" ? q.limit : q.offset) = n;
        }
    }
    if (const auto it = req.query.find("datetime"); it != req.query.end()) {
        return read_datetime(q, it->second);
    }
    return q;
}

bool boxes_overlap(const store::GeoBox& a, const geo::LonLatBox& b) {
    return degrees(a.west_e6) <= b.max_corner().x() && degrees(a.east_e6) >= b.min_corner().x() &&
           degrees(a.south_e6) <= b.max_corner().y() && degrees(a.north_e6) >= b.min_corner().y();
}

/// percent-encoding of a query value (RFC 3986 unreserved characters kept).
std::string encode(std::string_view s) {
    std::string out;
    for (const char c : s) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_' ||
            c == '~' || c == ',' || c == ':') {
            out += c;
        } else {
            out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
        }
    }
    return out;
}

/// The items URL of this request with another offset.
std::string items_url(const std::string& base, const std::string& collection, const Request& req,
                      std::size_t offset, std::size_t limit) {
    std::string url = base + "/ogc/collections/" + collection + "/items?";
    for (const auto& [key, value] : req.query) {
        if (key != "offset" && key != "limit") {
            url += key + "=" + encode(value) + "&";
        }
    }
    return url + fmt::format("limit={}&offset={}", limit, offset);
}

/// The FeatureCollection of one page.
Response items_page(const std::string& base, const std::string& collection, const Request& req,
                    const ItemsQuery& q, ordered_json features, std::size_t matched) {
    const std::size_t returned = features.size();
    const std::int64_t now = now_ms();
    ordered_json links =
        ordered_json::array({link(items_url(base, collection, req, q.offset, q.limit), "self",
                                  "application/geo+json", "This page")});
    if (q.offset + returned < matched) {
        links.push_back(link(items_url(base, collection, req, q.offset + q.limit, q.limit), "next",
                             "application/geo+json", "Next page"));
    }
    if (q.offset > 0) {
        links.push_back(
            link(items_url(base, collection, req, q.offset - std::min(q.offset, q.limit), q.limit),
                 "prev", "application/geo+json", "Previous page"));
    }
    links.push_back(link(base + "/ogc/collections/" + collection, "collection", "application/json",
                         "The collection"));
    return detail::geojson_response({{"type", "FeatureCollection"},
                                     {"features", std::move(features)},
                                     {"numberMatched", matched},
                                     {"numberReturned", returned},
                                     {"timeStamp", iso_time(now - now % 1000)},
                                     {"links", std::move(links)}});
}

// ---- fixes -------------------------------------------------------------------------------------

ordered_json fix_feature(const TrackFix& f, detail::SourceNames& sources) {
    ordered_json props = {{"mmsi", f.vessel}};
    props.update(detail::fix_properties(f, sources(f.source)));
    return {{"type", "Feature"},
            {"id", fmt::format("{}-{}", f.vessel, f.time_ms)},
            {"geometry", {{"type", "Point"}, {"coordinates", detail::fix_coordinates(f)}}},
            {"properties", std::move(props)}};
}

Response fix_items(const ApiContext& api, const Request& req, const ItemsQuery& q,
                   const std::string& base) {
    if (!q.bbox && !(q.datetime && q.datetime_closed &&
                     q.datetime->until_ms - q.datetime->since_ms <= max_fixes_days * 86'400'000)) {
        return bad_parameter(q.datetime ? "datetime" : "bbox",
                             "the fixes collection needs bbox=west,south,east,north or a "
                             "datetime interval of at most 7 days, e.g. "
                             "datetime=2026-03-15T00:00:00Z/2026-03-16T00:00:00Z");
    }
    if (api.tracks == nullptr) {
        return detail::tracks_unavailable();
    }
    const store::GeoBox box = q.bbox.value_or(store::GeoBox::from_degrees(-90, -180, 90, 180));
    const store::TimeWindow window =
        q.datetime.value_or(store::TimeWindow{open_start_ms, open_end_ms});
    detail::SourceNames sources(*api.tracks);
    ordered_json features = ordered_json::array();
    std::size_t matched = 0;
    // Every match is counted (numberMatched) but only the page is kept.
    api.tracks->scan_area(box, window, [&](const TrackFix& f) {
        if (matched >= q.offset && matched < q.offset + q.limit) {
            features.push_back(fix_feature(f, sources));
        }
        ++matched;
        return true;
    });
    return items_page(base, "fixes", req, q, std::move(features), matched);
}

/// A fix by its id "<mmsi>-<unix ms>".
std::optional<ordered_json> fix_by_id(const ApiContext& api, const std::string& id) {
    const auto dash = id.find('-');
    if (dash == std::string::npos || dash == 0 || dash > 9 || id.size() - dash - 1 > 15 ||
        id.find_first_not_of("0123456789-") != std::string::npos ||
        id.find('-', dash + 1) != std::string::npos || dash + 1 == id.size()) {
        return std::nullopt;
    }
    const std::int64_t vessel = std::stoll(id.substr(0, dash));
    const std::int64_t t = std::stoll(id.substr(dash + 1));
    std::optional<ordered_json> out;
    detail::SourceNames sources(*api.tracks);
    api.tracks->scan_track(vessel, {t, t}, [&](const TrackFix& f) {
        out = fix_feature(f, sources);
        return false;
    });
    return out;
}

// ---- zones -------------------------------------------------------------------------------------

/// A ring in GeoJSON order: RFC 7946 §3.1.6 wants exterior rings counter-clockwise and holes
/// clockwise, the opposite of Boost.Geometry's default that zones are stored in.
ordered_json ring_json(const geo::LonLatPolygon::ring_type& ring) {
    ordered_json out = ordered_json::array();
    for (auto it = ring.rbegin(); it != ring.rend(); ++it) {
        out.push_back({it->x(), it->y()});
    }
    return out;
}

ordered_json zone_feature(const geo::Zone& z) {
    ordered_json polygons = ordered_json::array();
    for (const auto& polygon : z.geometry) {
        ordered_json rings = ordered_json::array({ring_json(polygon.outer())});
        for (const auto& hole : polygon.inners()) {
            rings.push_back(ring_json(hole));
        }
        polygons.push_back(std::move(rings));
    }
    ordered_json props = ordered_json::object();
    for (const auto& [key, value] : z.properties) {
        props[key] = value;
    }
    props["id"] = z.id;
    props["name"] = z.name;
    props["kind"] = z.kind;
    return {{"type", "Feature"},
            {"id", z.id},
            {"geometry", {{"type", "MultiPolygon"}, {"coordinates", std::move(polygons)}}},
            {"properties", std::move(props)}};
}

const geo::ZoneIndex* zone_layer(const std::shared_ptr<const TrackZones>& zones,
                                 const std::string& collection) {
    if (!zones) {
        return nullptr;
    }
    return collection == "harbours" ? &zones->harbours : &zones->sea_zones;
}

Response zone_items(const ApiContext& api, const Request& req, const ItemsQuery& q,
                    const std::string& base, const std::string& collection) {
    const auto zones = api.track_zones();
    const geo::ZoneIndex* layer = zone_layer(zones, collection);
    ordered_json features = ordered_json::array();
    std::size_t matched = 0;
    if (layer != nullptr) {
        for (const auto& z : layer->zones()) {
            if (q.bbox && !boxes_overlap(*q.bbox, z.bounds)) {
                continue;
            }
            if (matched >= q.offset && matched < q.offset + q.limit) {
                features.push_back(zone_feature(z));
            }
            ++matched;
        }
    }
    return items_page(base, collection, req, q, std::move(features), matched);
}

// ---- vessels -----------------------------------------------------------------------------------

struct Boat {
    std::int64_t registry_id = 0;
    std::int64_t mmsi = 0;
    std::string name, registration_number, call_sign, home_harbour, status;
    std::optional<TrackFix> last_fix;
};

/// Registry boats with an MMSI, by MMSI (`mmsi` = 0: all). Locks the API mutex.
std::vector<Boat> registry_boats(ApiContext& api, std::int64_t mmsi = 0) {
    std::vector<Boat> out;
    const std::lock_guard lock(api.mutex);
    SQLite::Statement q(api.db.handle(),
                        "SELECT id, mmsi, name, registration_number, call_sign, home_harbour, "
                        "status FROM boats WHERE mmsi IS NOT NULL AND (?1 = 0 OR mmsi = ?1) "
                        "ORDER BY mmsi, id");
    q.bind(1, mmsi);
    const auto text = [&q](int c) {
        return q.getColumn(c).isNull() ? std::string() : q.getColumn(c).getString();
    };
    while (q.executeStep()) {
        out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), text(2), text(3),
                       text(4), text(5), text(6), std::nullopt});
    }
    return out;
}

/// The vessel's newest fix of the look-back period: the last hour first, then the last day,
/// week and month, so that a vessel heard recently costs one short scan.
std::optional<TrackFix> last_fix(const store::TrackStore& s, std::int64_t vessel,
                                 std::int64_t now) {
    const std::int64_t until = now + 600'000; // receiver clocks run a little ahead
    std::int64_t newer_than = until;
    for (const std::int64_t hours :
         {std::int64_t{1}, std::int64_t{24}, std::int64_t{7 * 24}, vessel_lookback_days * 24}) {
        const std::int64_t since = now - hours * 3'600'000;
        std::optional<TrackFix> found;
        s.scan_track(vessel, {since, newer_than}, [&found](const TrackFix& f) {
            found = f;
            return true;
        });
        if (found) {
            return found;
        }
        newer_than = since - 1;
    }
    return std::nullopt;
}

ordered_json vessel_feature(const Boat& b) {
    ordered_json geometry = nullptr;
    ordered_json fix_time = nullptr;
    ordered_json sog = nullptr;
    ordered_json cog = nullptr;
    if (b.last_fix) {
        geometry = {{"type", "Point"}, {"coordinates", detail::fix_coordinates(*b.last_fix)}};
        fix_time = iso_time(b.last_fix->time_ms);
        const auto props = detail::fix_properties(*b.last_fix, "");
        sog = props.at("sog_kn");
        cog = props.at("cog_deg");
    }
    return {{"type", "Feature"},
            {"id", b.mmsi},
            {"geometry", std::move(geometry)},
            {"properties",
             {{"mmsi", b.mmsi},
              {"name", b.name},
              {"registration_number", b.registration_number},
              {"call_sign", b.call_sign},
              {"home_harbour", b.home_harbour},
              {"status", b.status},
              {"registry_id", b.registry_id},
              {"last_fix_time", std::move(fix_time)},
              {"sog_kn", std::move(sog)},
              {"cog_deg", std::move(cog)}}}};
}

Response vessel_items(ApiContext& api, const Request& req, const ItemsQuery& q,
                      const std::string& base) {
    std::vector<Boat> boats = registry_boats(api);
    const std::int64_t now = now_ms();
    const bool filtered = q.bbox || q.datetime;
    const auto locate = [&](Boat& b) {
        if (api.tracks != nullptr) {
            b.last_fix = last_fix(*api.tracks, b.mmsi, now);
        }
    };
    ordered_json features = ordered_json::array();
    std::size_t matched = 0;
    for (Boat& b : boats) {
        const bool in_page = matched >= q.offset && matched < q.offset + q.limit;
        if (filtered || in_page) {
            locate(b); // a filter needs every position, a plain listing only the page's
        }
        if (q.bbox && !(b.last_fix && q.bbox->contains(*b.last_fix))) {
            continue;
        }
        if (q.datetime && !(b.last_fix && q.datetime->contains(b.last_fix->time_ms))) {
            continue;
        }
        if (matched >= q.offset && matched < q.offset + q.limit) {
            features.push_back(vessel_feature(b));
        }
        ++matched;
    }
    return items_page(base, "vessels", req, q, std::move(features), matched);
}

// ---- items routes ------------------------------------------------------------------------------

void items(ApiContext& api, const Request& req, const RequestContext& ctx, Responder respond) {
    const auto id = collection_of(req, ctx);
    if (!id) {
        return respond(not_found("no such collection (fixes, sea_zones, harbours, vessels)"));
    }
    const auto query = read_items_query(req);
    if (const auto* e = std::get_if<Response>(&query)) {
        return respond(*e);
    }
    const auto& q = std::get<ItemsQuery>(query);
    const std::string base = base_url(api, req);
    if (*id == "fixes") {
        return respond(fix_items(api, req, q, base));
    }
    if (*id == "vessels") {
        return respond(vessel_items(api, req, q, base));
    }
    respond(zone_items(api, req, q, base, *id));
}

void item(ApiContext& api, const Request& req, const RequestContext& ctx, Responder respond) {
    const auto requested = plain_collection_request(req, ctx);
    if (const auto* e = std::get_if<Response>(&requested)) {
        return respond(*e);
    }
    const std::string* id = &std::get<std::string>(requested);
    const auto it = req.path_params.find("feature");
    const std::string feature = it == req.path_params.end() ? std::string() : it->second;
    std::optional<ordered_json> found;
    if (*id == "fixes") {
        if (api.tracks == nullptr) {
            return respond(detail::tracks_unavailable());
        }
        found = fix_by_id(api, feature);
    } else if (*id == "vessels") {
        const bool digits = !feature.empty() && feature.size() <= 9 &&
                            feature.find_first_not_of("0123456789") == std::string::npos;
        auto boats = digits ? registry_boats(api, std::stoll(feature)) : std::vector<Boat>{};
        if (!boats.empty() && boats[0].mmsi > 0) {
            if (api.tracks != nullptr) {
                boats[0].last_fix = last_fix(*api.tracks, boats[0].mmsi, now_ms());
            }
            found = vessel_feature(boats[0]);
        }
    } else if (const auto* layer = zone_layer(api.track_zones(), *id)) {
        if (const geo::Zone* z = layer->find(feature)) {
            found = zone_feature(*z);
        }
    }
    if (!found) {
        return respond(not_found("no such feature in " + *id));
    }
    const std::string base = base_url(api, req);
    const std::string collection_url = base + "/ogc/collections/" + *id;
    (*found)["links"] = ordered_json::array(
        {link(collection_url + "/items/" + encode(feature), "self", "application/geo+json",
              "This feature"),
         link(collection_url, "collection", "application/json", "The collection")});
    respond(detail::geojson_response(*found));
}

} // namespace

void add_ogc_routes(http::Router& router, ApiContext& api) {
    using Fn = void (*)(ApiContext&, const Request&, const RequestContext&, Responder);
    const auto bind = [&api](Fn fn) {
        return [&api, fn](const Request& req, const RequestContext& ctx, Responder respond) {
            fn(api, req, ctx, std::move(respond));
        };
    };
    const auto bind_const =
        [&api](void (*fn)(const ApiContext&, const Request&, const RequestContext&, Responder)) {
            return [&api, fn](const Request& req, const RequestContext& ctx, Responder respond) {
                fn(api, req, ctx, std::move(respond));
            };
        };
    router.add("GET", "/ogc", ogc_readers, bind_const(landing_page));
    router.add("GET", "/ogc/conformance", ogc_readers, bind_const(conformance));
    router.add("GET", "/ogc/collections", ogc_readers, bind_const(collections));
    router.add("GET", "/ogc/collections/{collection}", ogc_readers, bind_const(collection));
    // Items scan the store (fixes, the vessels' last fixes): off the io threads.
    router.add("GET", "/ogc/collections/{collection}/items", ogc_readers,
               detail::on_track_worker(api, bind(items)));
    router.add("GET", "/ogc/collections/{collection}/items/{feature}", ogc_readers,
               detail::on_track_worker(api, bind(item)));
}

} // namespace sahil::app
