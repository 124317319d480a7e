// Track history HTTP API for MSA analysts (docs/api.md "Track history") and the OGC API –
// Features Part 1 endpoint over the same data (docs/api.md "OGC API – Features").
//
//   GET  /api/tracks/vessels/{mmsi}?since=&until=[&simplify_m=|&period_s=][&limit=]
//        -> GeoJSON FeatureCollection: the track as (Multi)LineString plus one Point per fix
//   GET  /api/tracks/vessels/{mmsi}/stats?since=&until=        store::track_statistics
//   GET  /api/tracks/vessels/{mmsi}/events?since=&until=       port visits, departures, AIS gaps,
//                                                              loitering (live rule parameters)
//   GET  /api/tracks/vessels/{mmsi}/near?radius_m=&since=&until=   store::encounters
//   GET  /api/tracks/area?bbox=w,s,e,n|zone=ID&since=&until=   store::vessels_in_area
//   POST /api/tracks/area?since=&until=   body: a GeoJSON Polygon/MultiPolygon (OGR geometry)
//   GET  /api/tracks/search?q=             MMSI, registry number/name, AIS name/call sign
//   POST /api/tracks/export                {"mmsi":[...],"since","until","format","reason",...}
//   GET  /ogc, /ogc/conformance, /ogc/collections, /ogc/collections/{collection},
//        /ogc/collections/{collection}/items, /ogc/collections/{collection}/items/{feature}
//        (collections fixes, sea_zones, harbours, vessels; ogc_api.cpp)
// Readers: admin, cg_watchkeeper, msa_officer, msa_analyst, auditor. Exports: admin and
// msa_analyst only; every export is written to the audit trail (`tracks.export`, with the
// vessels, window, format, fix count, file SHA-256 and the reason), and so is every export
// refused for its size (`tracks.export_refused`). Clerks and supervisors have no access.
// Query parameters are strict (an unknown or bad one is 400 `bad_request` naming it); times are
// ISO 8601 UTC ("2026-03-15T19:00:00Z"). With `[tracks] enabled = false` every route answers
// 503 `unavailable`.
// Data path: HttpSession -> Router (auth, CSRF, roles) -> these handlers -> TrackStore scans
// (read-only connections; server/store/track_store.hpp) and ApiContext (registry, audit).
//
// Code: tracks_api.cpp (per-vessel routes, search, shared helpers), tracks_area_api.cpp,
// tracks_export_api.cpp, ogc_api.cpp.
//
// Thread-safety: handlers that scan the store run through ApiContext::run_track_job (the
// daemon's own two threads, so a long scan or export never holds up the io threads and the
// tracking strand); the others on any io thread. The store is thread-safe; the zone layers are
// an immutable snapshot (TrackZones) swapped as a whole after a SIGHUP reload; the registry and
// the audit trail are used under ApiContext::mutex.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "geo/zone_index.hpp"
#include "server/app/api_context.hpp"
#include "server/app/config.hpp"
#include "server/http/router.hpp"
#include "server/rules/geography.hpp"
#include "server/store/track_analysis.hpp"
#include "server/store/track_query.hpp"
#include "server/store/track_store.hpp"

namespace sahil::app {

/// The zone layers the track routes use: the harbour geofences (port events, `zone=`, the OGC
/// `harbours` collection), the sea zones (`zone=`, OGC `sea_zones`) and, for the history events,
/// land and boundary lines (rules::Geography over `harbours`). Immutable once built; shared by
/// handlers through std::shared_ptr<const TrackZones>. Not movable (`geography` points at
/// `harbours`).
struct TrackZones {
    TrackZones() = default;
    TrackZones(const TrackZones&) = delete;
    TrackZones& operator=(const TrackZones&) = delete;

    geo::ZoneIndex harbours;  ///< layer "harbours", `id`/`name` fields
    geo::ZoneIndex sea_zones; ///< layer "sea_zones", id = the `zone` field (as rules::Geography)
    /// Land and boundary lines for the events' distance callbacks; null = not loaded.
    std::unique_ptr<rules::Geography> geography;

    /// Loads the layers named in `paths` (harbours required; sea zones, land, boundaries and
    /// exception areas when set), as the engine does.
    /// @throws geo::GeoError naming the file and feature.
    [[nodiscard]] static std::shared_ptr<const TrackZones> load(const PathsConfig& paths);
    /// Zones built in memory (tests): `geography` has the harbours only.
    [[nodiscard]] static std::shared_ptr<const TrackZones> from(geo::ZoneIndex harbours,
                                                                geo::ZoneIndex sea_zones);
};

/// Limits of the track routes (docs/api.md "Track history").
struct TrackLimits {
    static constexpr std::int64_t max_track_days = 31;    ///< track, stats, events, area
    static constexpr std::int64_t max_near_days = 7;      ///< encounters
    static constexpr std::int64_t max_export_days = 366;  ///< export window
    static constexpr std::size_t default_points = 10'000; ///< track `limit` default
    static constexpr std::size_t max_points = 100'000;    ///< track `limit` maximum
    // The most fixes one export may hold: ApiContext::track_export_max_fixes (2,000,000).
    static constexpr std::size_t max_export_vessels = 50;
    static constexpr std::size_t max_polygon_vertices = 10'000;
    /// Exports written at once: one, so that of the two track workers one stays free for the
    /// analysts' queries while a long export is written; another export meanwhile: 503 with
    /// Retry-After.
    static constexpr int max_concurrent_exports = 1;
};

/// Registers every /api/tracks route on `router` (see the file comment). `api` must outlive it.
void add_track_routes(http::Router& router, ApiContext& api);

/// Registers the OGC API – Features routes under /ogc (ogc_api.cpp). `api` must outlive it.
void add_ogc_routes(http::Router& router, ApiContext& api);

namespace detail {

/// Who reads track history: the operations rooms, the analysts, administrators and auditors.
/// Not clerks or supervisors: a vessel's movements are security information, not registry
/// business.
inline constexpr http::RoleSet track_reader_roles{http::Role::admin, http::Role::cg_watchkeeper,
                                                  http::Role::msa_officer, http::Role::msa_analyst,
                                                  http::Role::auditor};

/// GET and POST /api/tracks/area (tracks_area_api.cpp).
void add_track_area_routes(http::Router& router, ApiContext& api);
/// POST /api/tracks/export (tracks_export_api.cpp).
void add_track_export_route(http::Router& router, ApiContext& api);

/// `since` and `until` from the query (both required, ISO 8601 UTC, until later, at most
/// `max_days` apart), or the 400 naming the parameter at fault.
[[nodiscard]] std::variant<store::TimeWindow, http::Response>
read_window(const http::Request& request, std::int64_t max_days);
/// The name in the vessel's latest static report up to `until_ms` ("" when none; untrusted).
[[nodiscard]] std::string vessel_name(const store::TrackStore& store, std::int64_t vessel,
                                      std::int64_t until_ms);
/// A box in degrees widened to whole microdegrees, so that it holds every stored fix on its
/// edges.
[[nodiscard]] store::GeoBox outward_box(double west, double south, double east, double north);

/// `handler` run through ApiContext::run_track_job (on the calling thread when that is
/// unset); on a worker an exception becomes 500 `internal`, logged with the request id.
[[nodiscard]] http::Handler on_track_worker(ApiContext& api, http::Handler handler);

/// `{"error": "bad_request", "parameter": name, "message": "name: message"}`, 400.
[[nodiscard]] http::Response bad_parameter(const std::string& name, const std::string& message);
/// A body as `application/geo+json` (RFC 7946), with the CSP header the session adds to JSON.
[[nodiscard]] http::Response geojson_response(const nlohmann::ordered_json& body,
                                              unsigned status = 200);
/// A body as `application/json`.
[[nodiscard]] http::Response json_ok(const nlohmann::ordered_json& body, unsigned status = 200);
/// 503 `unavailable`: the track store is off (`[tracks] enabled = false`).
[[nodiscard]] http::Response tracks_unavailable();
/// 400 for the first query parameter not in `allowed`, std::nullopt when all are known.
[[nodiscard]] std::optional<http::Response>
reject_unknown_parameters(const http::Request& request,
                          std::initializer_list<std::string_view> allowed);
/// `d` rounded to one decimal (0.1 m, 0.1 kn) for JSON answers.
[[nodiscard]] double round1(double d);
/// `{"lat": deg, "lon": deg}` rounded to 6 decimals (about 0.1 m), WGS 84.
[[nodiscard]] nlohmann::ordered_json position_json(const geo::Position& p);
/// The statistics of a vessel's track as `GET /api/tracks/vessels/{mmsi}/stats` answers them
/// and `sahil tracks track --stats` prints them (one shape for both; docs/api.md): mmsi, name,
/// since, until, fixes, distance_m (0.1 m), distance_nm, duration_s, moving_s, stopped_s,
/// gap_s (whole seconds), max_sog_knots and max_implied_speed_knots (0.1 kn, null when not
/// available), stops [{start, end, duration_s, position, fixes}] and the options used.
[[nodiscard]] nlohmann::ordered_json statistics_json(std::int64_t mmsi, const std::string& name,
                                                     const store::TimeWindow& window,
                                                     const store::TrackStatistics& statistics,
                                                     const store::TrackStatisticsOptions& options);
/// One encounter of "who was near" as `GET /api/tracks/vessels/{mmsi}/near` lists it and
/// `sahil tracks near --json` prints it: mmsi, name, min_distance_m (0.1 m), min_time,
/// target_position and other_position (at the closest approach), first_within, last_within,
/// samples_within.
[[nodiscard]] nlohmann::ordered_json encounter_json(const store::Encounter& encounter,
                                                    const std::string& name);
/// "2026-03-15T19:00:00Z" (".250Z" when the milliseconds are not zero) of Unix ms UTC.
[[nodiscard]] std::string iso_time(std::int64_t time_ms);
/// Degrees of microdegrees, as the nearest double (prints as at most 6 decimals).
[[nodiscard]] double degrees(std::int32_t e6) noexcept;
/// A box of "west,south,east,north" in WGS 84 degrees (with `allow_heights` also the six-number
/// form west,south,min_h,east,north,max_h, heights ignored); the message why not otherwise.
[[nodiscard]] std::variant<store::GeoBox, std::string> parse_bbox(std::string_view text,
                                                                  bool allow_heights);
/// The properties of a fix as GeoJSON: time, received, sog_kn, cog_deg, heading_deg,
/// nav_status, message_type (null when not available) and `source` (the feed name).
[[nodiscard]] nlohmann::ordered_json fix_properties(const store::TrackFix& fix,
                                                    const std::string& source);
/// Feed names of fix source ids, each looked up once (TrackStore::source_name); one request.
class SourceNames {
public:
    explicit SourceNames(const store::TrackStore& store) : m_store(store) {}
    /// The feed name of `id`; "" for 0 or an unknown id.
    const std::string& operator()(std::uint16_t id);

private:
    const store::TrackStore& m_store;
    std::map<std::uint16_t, std::string> m_names;
};
/// `[lon, lat]` of a fix.
[[nodiscard]] nlohmann::ordered_json fix_coordinates(const store::TrackFix& fix);

} // namespace detail

} // namespace sahil::app
