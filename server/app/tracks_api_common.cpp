// Shared pieces of the track-history API (tracks_api.hpp "detail"): the zone layers, JSON
// shapes of fixes, statistics and encounters, parameter parsing and the worker pool hand-off;
// used by tracks_api.cpp, tracks_area_api.cpp, tracks_export_api.cpp, ogc_api.cpp and the
// `sahil tracks` commands.
#include "server/app/tracks_api.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "server/alerts/alert.hpp"
#include "server/alerts/cap.hpp"
#include "server/app/log.hpp"

namespace sahil::app {

// ---- zone layers --------------------------------------------------------------------------------

std::shared_ptr<const TrackZones> TrackZones::load(const PathsConfig& paths) {
    auto z = std::make_shared<TrackZones>();
    z->harbours = geo::ZoneIndex::load(paths.harbours, "harbours");
    if (!paths.sea_zones.empty()) {
        // The sea zones' id is their `zone` field, as rules::Geography reads them.
        z->sea_zones = geo::ZoneIndex::load(paths.sea_zones, "sea_zones", "zone", "zone", "zone");
    }
    z->geography = std::make_unique<rules::Geography>(rules::Geography::load(
        z->harbours, rules::GeographyFiles{paths.sea_zones, paths.land, paths.boundaries,
                                           paths.exception_areas}));
    return z;
}

std::shared_ptr<const TrackZones> TrackZones::from(geo::ZoneIndex harbours,
                                                   geo::ZoneIndex sea_zones) {
    auto z = std::make_shared<TrackZones>();
    z->harbours = std::move(harbours);
    z->sea_zones = std::move(sea_zones);
    z->geography = std::make_unique<rules::Geography>(z->harbours);
    return z;
}

// ---- shared helpers (also ogc_api.cpp) ----------------------------------------------------------

namespace detail {

store::GeoBox outward_box(double west, double south, double east, double north) {
    const auto down = [](double d) { return static_cast<std::int32_t>(std::floor(d * 1e6)); };
    const auto up = [](double d) { return static_cast<std::int32_t>(std::ceil(d * 1e6)); };
    return store::GeoBox{down(south), down(west), up(north), up(east)};
}

using nlohmann::ordered_json;

double round1(double d) {
    return std::round(d * 10) / 10;
}

ordered_json position_json(const geo::Position& p) {
    return {{"lat", std::round(p.lat_deg * 1e6) / 1e6}, {"lon", std::round(p.lon_deg * 1e6) / 1e6}};
}

ordered_json statistics_json(std::int64_t mmsi, const std::string& name,
                             const store::TimeWindow& window, const store::TrackStatistics& st,
                             const store::TrackStatisticsOptions& options) {
    ordered_json stops = ordered_json::array();
    for (const auto& stop : st.stops) {
        stops.push_back({{"start", iso_time(stop.start_ms)},
                         {"end", iso_time(stop.end_ms)},
                         {"duration_s", stop.duration_ms / 1000},
                         {"position", position_json(stop.position)},
                         {"fixes", stop.fixes}});
    }
    const auto opt = [](const std::optional<double>& d) {
        return d ? ordered_json(round1(*d)) : ordered_json();
    };
    return {{"mmsi", mmsi},
            {"name", name},
            {"since", iso_time(window.since_ms)},
            {"until", iso_time(window.until_ms)},
            {"fixes", st.fixes},
            {"distance_m", round1(st.distance_m)},
            {"distance_nm", std::round(st.distance_nm * 100) / 100},
            {"duration_s", st.duration_ms / 1000},
            {"moving_s", st.moving_ms / 1000},
            {"stopped_s", st.stopped_ms / 1000},
            {"gap_s", st.gap_ms / 1000},
            {"max_sog_knots", opt(st.max_sog_knots)},
            {"max_implied_speed_knots", opt(st.max_implied_speed_knots)},
            {"stops", stops},
            {"options",
             {{"stop_speed_knots", options.stop_speed_knots},
              {"max_gap_s", options.max_gap_s},
              {"min_stop_s", options.min_stop_s}}}};
}

ordered_json encounter_json(const store::Encounter& e, const std::string& name) {
    return {{"mmsi", e.vessel},
            {"name", name},
            {"min_distance_m", round1(e.min_distance_m)},
            {"min_time", iso_time(e.min_time_ms)},
            {"target_position", position_json(e.target_at_min)},
            {"other_position", position_json(e.other_at_min)},
            {"first_within", iso_time(e.first_within_ms)},
            {"last_within", iso_time(e.last_within_ms)},
            {"samples_within", e.samples_within}};
}

http::Handler on_track_worker(ApiContext& api, http::Handler handler) {
    return [&api, handler = std::move(handler)](
               const http::Request& req, const http::RequestContext& ctx, http::Responder respond) {
        if (!api.run_track_job) {
            handler(req, ctx, std::move(respond));
            return;
        }
        // The job owns copies: the request and the Router's context end with this call.
        api.run_track_job([handler, req, ctx, respond] {
            try {
                handler(req, ctx, respond);
            } catch (const std::exception& e) {
                log::error("http", "{} {} failed: {} request={}", req.method, ctx.route, e.what(),
                           ctx.request_id);
                respond(http::json_error(500, "internal", "internal server error"));
            }
        });
    };
}

http::Response json_ok(const ordered_json& body, unsigned status) {
    http::Response r;
    r.status = status;
    r.body = body.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
    return r;
}

http::Response bad_parameter(const std::string& name, const std::string& message) {
    return json_ok(
        {{"error", "bad_request"}, {"parameter", name}, {"message", name + ": " + message}}, 400);
}

http::Response geojson_response(const ordered_json& body, unsigned status) {
    http::Response r = json_ok(body, status);
    r.content_type = "application/geo+json";
    // The session adds CSP to application/json only; a browser opening this must run nothing.
    r.headers.emplace_back("Content-Security-Policy", "default-src 'none'");
    return r;
}

http::Response tracks_unavailable() {
    return json_ok({{"error", "unavailable"},
                    {"message", "the track history is switched off on this server ([tracks] "
                                "enabled = false in the config)"}},
                   503);
}

std::optional<http::Response>
reject_unknown_parameters(const http::Request& request,
                          std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : request.query) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            std::string names;
            for (const auto a : allowed) {
                names += (names.empty() ? "" : ", ") + std::string(a);
            }
            return bad_parameter(key, names.empty() ? "unknown parameter (this route takes none)"
                                                    : "unknown parameter (" + names + ")");
        }
    }
    return std::nullopt;
}

std::string iso_time(std::int64_t time_ms) {
    return alerts::iso8601(from_unix_millis(time_ms));
}

double degrees(std::int32_t e6) noexcept {
    // Division (not * 1e-6) gives the double nearest to the decimal value, which prints with
    // at most six decimals.
    return e6 / 1e6;
}

std::variant<store::GeoBox, std::string> parse_bbox(std::string_view text, bool allow_heights) {
    std::vector<double> v;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = std::min(text.find(',', start), text.size());
        const std::string_view part = text.substr(start, comma - start);
        double d = 0;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), d);
        if (part.empty() || ec != std::errc() || end != part.data() + part.size() ||
            !std::isfinite(d)) {
            return std::string("must be four numbers west,south,east,north in degrees "
                               "(WGS 84), e.g. 63.3,25.1,63.6,25.3");
        }
        v.push_back(d);
        start = comma + 1;
    }
    if (v.size() == 6 && allow_heights) {
        v = {v[0], v[1], v[3], v[4]}; // west,south,min_h,east,north,max_h: heights ignored
    }
    if (v.size() != 4) {
        return std::string("must be four numbers west,south,east,north in degrees (WGS 84)");
    }
    const double west = v[0], south = v[1], east = v[2], north = v[3];
    if (west < -180 || east > 180 || south < -90 || north > 90) {
        return std::string("longitudes must be within -180..180 and latitudes within -90..90");
    }
    if (west > east) {
        return std::string("west must not be east of east (boxes across the antimeridian are "
                           "not supported)");
    }
    if (south > north) {
        return std::string("south must not be north of north");
    }
    return outward_box(west, south, east, north);
}

const std::string& SourceNames::operator()(std::uint16_t id) {
    auto it = m_names.find(id);
    if (it == m_names.end()) {
        it = m_names.emplace(id, id == 0 ? std::string() : m_store.source_name(id)).first;
    }
    return it->second;
}

ordered_json fix_properties(const store::TrackFix& f, const std::string& source) {
    const auto opt = [](const std::optional<double>& d) {
        return d ? ordered_json(std::round(*d * 10) / 10) : ordered_json();
    };
    return {{"time", iso_time(f.time_ms)},
            {"received", iso_time(f.received_ms)},
            {"sog_kn", opt(f.sog_knots())},
            {"cog_deg", opt(f.cog_deg())},
            {"heading_deg", f.heading < 0 ? ordered_json() : ordered_json(f.heading)},
            {"nav_status", f.nav_status < 0 ? ordered_json() : ordered_json(f.nav_status)},
            {"message_type", f.message_type == 0 ? ordered_json() : ordered_json(f.message_type)},
            {"source", source}};
}

ordered_json fix_coordinates(const store::TrackFix& f) {
    return ordered_json::array({degrees(f.lon_e6), degrees(f.lat_e6)});
}

std::variant<store::TimeWindow, http::Response> read_window(const http::Request& req,
                                                            std::int64_t max_days) {
    std::optional<UtcTime> times[2];
    const char* const keys[2] = {"since", "until"};
    for (int i = 0; i < 2; ++i) {
        const auto it = req.query.find(keys[i]);
        if (it == req.query.end()) {
            return bad_parameter(keys[i], "required: an ISO 8601 UTC time such as "
                                          "2026-03-15T19:00:00Z");
        }
        times[i] = alerts::parse_utc_time(it->second);
        if (!times[i]) {
            return bad_parameter(keys[i], "must be an ISO 8601 UTC time such as "
                                          "2026-03-15T19:00:00Z");
        }
    }
    if (*times[1] <= *times[0]) {
        return bad_parameter("until", "must be later than since");
    }
    if (*times[1] - *times[0] > std::chrono::days(max_days)) {
        return bad_parameter("until", fmt::format("the window from since to until may be at most "
                                                  "{} days; ask for several windows",
                                                  max_days));
    }
    return store::TimeWindow{unix_millis(*times[0]), unix_millis(*times[1])};
}

std::string vessel_name(const store::TrackStore& s, std::int64_t vessel, std::int64_t until_ms) {
    const auto history = s.static_history(vessel, until_ms);
    for (auto it = history.rbegin(); it != history.rend(); ++it) {
        if (!it->name.empty()) {
            return it->name;
        }
    }
    return {};
}

} // namespace detail

} // namespace sahil::app
