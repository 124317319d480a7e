#include "server/app/tracks_api.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <limits>
#include <vector>

#include <SQLiteCpp/Statement.h>

#include "server/app/track_history_events.hpp"
#include "server/store/track_analysis.hpp"
#include "server/store/track_query.hpp"

namespace sahil::app {

namespace {

using detail::bad_parameter;
using detail::degrees;
using detail::encounter_json;
using detail::iso_time;
using detail::json_ok;
using detail::position_json;
using detail::read_window;
using detail::round1;
using detail::statistics_json;
using detail::vessel_name;
using http::Access;
using http::Request;
using http::RequestContext;
using http::Responder;
using http::Response;
using http::Role;
using nlohmann::json;
using nlohmann::ordered_json;
using registry::ErrorCode;
using store::TrackFix;

// ---- who may do what (docs/api.md "Track history") ---------------------------------------------

/// Reading tracks: the operations rooms, the analysts, administrators and auditors. Not clerks
/// or supervisors: a vessel's movements are security information, not registry business.
constexpr Access track_readers{.roles = detail::track_reader_roles};

/// A new line part after a silence longer than this (as the export's default).
constexpr std::int64_t line_gap_ms = 600'000;

struct TrackRoutes {
    explicit TrackRoutes(ApiContext& context) : api(context) {}
    ApiContext& api;
};

/// Digits only, 1..max_digits of them.
std::optional<std::int64_t> parse_digits(std::string_view s, std::size_t max_digits) {
    if (s.empty() || s.size() > max_digits || s.find_first_not_of("0123456789") != s.npos) {
        return std::nullopt;
    }
    std::int64_t n = 0;
    std::from_chars(s.data(), s.data() + s.size(), n);
    return n;
}

std::optional<double> parse_number(std::string_view s) {
    double d = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(d)) {
        return std::nullopt;
    }
    return d;
}

std::variant<std::int64_t, Response> path_mmsi(const Request& req) {
    const auto it = req.path_params.find("mmsi");
    const auto n = it == req.path_params.end() ? std::nullopt : parse_digits(it->second, 9);
    if (!n || *n < 1) {
        return bad_parameter("mmsi", "must be an MMSI: 1 to 9 digits, e.g. 463012345");
    }
    return *n;
}

// ---- GET /api/tracks/vessels/{mmsi}
// --------------------------------------------------------------

/// The track as one LineString (one part) or MultiLineString, a new part where the STORED track
/// (`all`) falls silent for more than 10 min; parts of one fix are left out. Null when no part
/// has two fixes. `fixes` is the returned (maybe simplified or downsampled) subset of `all`:
/// simplification leaves long steps between kept fixes that are not silences.
ordered_json line_feature(std::int64_t mmsi, const std::string& name,
                          const std::vector<TrackFix>& fixes, const std::vector<TrackFix>& all) {
    std::vector<std::int64_t> silences; // end times of the stored track's silences
    for (std::size_t i = 1; i < all.size(); ++i) {
        if (all[i].time_ms - all[i - 1].time_ms > line_gap_ms) {
            silences.push_back(all[i].time_ms);
        }
    }
    std::size_t next_silence = 0;
    ordered_json parts = ordered_json::array();
    ordered_json part = ordered_json::array();
    for (std::size_t i = 0; i < fixes.size(); ++i) {
        bool split = false;
        while (i > 0 && next_silence < silences.size() &&
               silences[next_silence] <= fixes[i].time_ms) {
            split = split || silences[next_silence] > fixes[i - 1].time_ms;
            ++next_silence;
        }
        if (split) {
            if (part.size() >= 2) {
                parts.push_back(std::move(part));
            }
            part = ordered_json::array();
        }
        part.push_back(detail::fix_coordinates(fixes[i]));
    }
    if (part.size() >= 2) {
        parts.push_back(std::move(part));
    }
    if (parts.empty()) {
        return nullptr;
    }
    const bool one = parts.size() == 1;
    return {{"type", "Feature"},
            {"geometry",
             {{"type", one ? "LineString" : "MultiLineString"},
              {"coordinates", one ? parts[0] : parts}}},
            {"properties",
             {{"kind", "track"},
              {"mmsi", mmsi},
              {"name", name},
              {"first_time", iso_time(fixes.front().time_ms)},
              {"last_time", iso_time(fixes.back().time_ms)},
              {"fixes", fixes.size()},
              {"parts", parts.size()}}}};
}

void vessel_track(TrackRoutes& r, const Request& req, const RequestContext&, Responder respond) {
    if (auto e = detail::reject_unknown_parameters(
            req, {"since", "until", "simplify_m", "period_s", "limit"})) {
        return respond(std::move(*e));
    }
    const auto mmsi = path_mmsi(req);
    if (const auto* e = std::get_if<Response>(&mmsi)) {
        return respond(*e);
    }
    const auto window = read_window(req, TrackLimits::max_track_days);
    if (const auto* e = std::get_if<Response>(&window)) {
        return respond(*e);
    }
    std::optional<double> simplify_m;
    std::optional<std::int64_t> period_s;
    std::size_t limit = TrackLimits::default_points;
    if (const auto it = req.query.find("simplify_m"); it != req.query.end()) {
        simplify_m = parse_number(it->second);
        if (!simplify_m || *simplify_m <= 0 || *simplify_m > 100'000) {
            return respond(bad_parameter("simplify_m", "must be a tolerance in metres, more than "
                                                       "0 and at most 100000, e.g. 25"));
        }
    }
    if (const auto it = req.query.find("period_s"); it != req.query.end()) {
        period_s = parse_digits(it->second, 6);
        if (!period_s || *period_s < 1 || *period_s > 86'400) {
            return respond(bad_parameter("period_s", "must be whole seconds, 1 to 86400"));
        }
        if (simplify_m) {
            return respond(bad_parameter("period_s", "give simplify_m or period_s, not both"));
        }
    }
    if (const auto it = req.query.find("limit"); it != req.query.end()) {
        const auto n = parse_digits(it->second, 7);
        if (!n || *n < 1 || static_cast<std::size_t>(*n) > TrackLimits::max_points) {
            return respond(bad_parameter("limit", "must be 1 to 100000 (default 10000)"));
        }
        limit = static_cast<std::size_t>(*n);
    }
    if (r.api.tracks == nullptr) {
        return respond(detail::tracks_unavailable());
    }
    const store::TrackStore& s = *r.api.tracks;
    const auto& w = std::get<store::TimeWindow>(window);
    const std::int64_t vessel = std::get<std::int64_t>(mmsi);
    const std::vector<TrackFix> all = store::load_track(s, vessel, w);
    std::vector<TrackFix> fixes = simplify_m ? store::simplify_track(all, *simplify_m)
                                  : period_s ? store::downsample_track(all, *period_s)
                                             : all;
    const bool truncated = fixes.size() > limit;
    if (truncated) {
        fixes.resize(limit);
    }
    const std::string name = vessel_name(s, vessel, w.until_ms);
    ordered_json features = ordered_json::array();
    if (auto line = line_feature(vessel, name, fixes, all); !line.is_null()) {
        features.push_back(std::move(line));
    }
    detail::SourceNames sources(s);
    for (const TrackFix& f : fixes) {
        ordered_json props = {{"kind", "fix"}, {"mmsi", vessel}};
        props.update(detail::fix_properties(f, sources(f.source)));
        features.push_back(
            {{"type", "Feature"},
             {"geometry", {{"type", "Point"}, {"coordinates", detail::fix_coordinates(f)}}},
             {"properties", std::move(props)}});
    }
    ordered_json out = {{"type", "FeatureCollection"},
                        {"mmsi", vessel},
                        {"name", name},
                        {"since", iso_time(w.since_ms)},
                        {"until", iso_time(w.until_ms)},
                        {"fixes_in_window", all.size()},
                        {"simplify_m", simplify_m ? ordered_json(*simplify_m) : ordered_json()},
                        {"period_s", period_s ? ordered_json(*period_s) : ordered_json()},
                        {"returned", fixes.size()},
                        {"truncated", truncated},
                        {"features", std::move(features)}};
    respond(detail::geojson_response(out));
}

// ---- stats and events
// -----------------------------------------------------------------------------

/// Shared start of the per-vessel routes: parameters, window, store. Responds and returns
/// std::nullopt on a problem.
struct VesselQuery {
    std::int64_t vessel = 0;
    store::TimeWindow window;
};

std::optional<VesselQuery> vessel_query(TrackRoutes& r, const Request& req, std::int64_t max_days,
                                        std::initializer_list<std::string_view> allowed,
                                        Responder& respond) {
    if (auto e = detail::reject_unknown_parameters(req, allowed)) {
        respond(std::move(*e));
        return std::nullopt;
    }
    const auto mmsi = path_mmsi(req);
    if (const auto* e = std::get_if<Response>(&mmsi)) {
        respond(*e);
        return std::nullopt;
    }
    const auto window = read_window(req, max_days);
    if (const auto* e = std::get_if<Response>(&window)) {
        respond(*e);
        return std::nullopt;
    }
    if (r.api.tracks == nullptr) {
        respond(detail::tracks_unavailable());
        return std::nullopt;
    }
    return VesselQuery{std::get<std::int64_t>(mmsi), std::get<store::TimeWindow>(window)};
}

void vessel_stats(TrackRoutes& r, const Request& req, const RequestContext&, Responder respond) {
    const auto q = vessel_query(r, req, TrackLimits::max_track_days, {"since", "until"}, respond);
    if (!q) {
        return;
    }
    const store::TrackStatisticsOptions options;
    const auto st =
        store::track_statistics(store::load_track(*r.api.tracks, q->vessel, q->window), options);
    respond(json_ok(statistics_json(q->vessel,
                                    vessel_name(*r.api.tracks, q->vessel, q->window.until_ms),
                                    q->window, st, options)));
}

void vessel_events(TrackRoutes& r, const Request& req, const RequestContext&, Responder respond) {
    const auto q = vessel_query(r, req, TrackLimits::max_track_days, {"since", "until"}, respond);
    if (!q) {
        return;
    }
    const store::TrackStore& s = *r.api.tracks;
    const auto zones = r.api.track_zones(); // kept alive for this request
    ApiContext& api = r.api;
    const RegistryLookup registry = [&api](std::int64_t mmsi) {
        RegistryFacts facts;
        const std::lock_guard lock(api.mutex);
        SQLite::Statement boat(api.db.handle(),
                               "SELECT home_harbour FROM boats WHERE mmsi = ?1 LIMIT 1");
        boat.bind(1, mmsi);
        if (boat.executeStep()) {
            facts.registered = true;
            facts.home_harbour =
                boat.getColumn(0).isNull() ? std::string() : boat.getColumn(0).getString();
        }
        return facts;
    };
    const auto result =
        history_events(s, zones.get(), r.api.config.tracking, registry, q->vessel, q->window);
    respond(json_ok(history_events_json(q->vessel, vessel_name(s, q->vessel, q->window.until_ms),
                                        q->window, result)));
}

// ---- GET /api/tracks/vessels/{mmsi}/near
// -----------------------------------------------------------

void vessel_near(TrackRoutes& r, const Request& req, const RequestContext&, Responder respond) {
    const auto q =
        vessel_query(r, req, TrackLimits::max_near_days, {"since", "until", "radius_m"}, respond);
    if (!q) {
        return;
    }
    const auto it = req.query.find("radius_m");
    const auto radius = it == req.query.end() ? std::nullopt : parse_number(it->second);
    if (!radius || *radius < 10 || *radius > 50'000) {
        return respond(bad_parameter("radius_m", "required: metres, 10 to 50000, e.g. 500"));
    }
    const store::TrackStore& s = *r.api.tracks;
    const auto found = store::encounters(
        s, store::EncounterQuery{.vessel = q->vessel, .window = q->window, .radius_m = *radius});
    ordered_json list = ordered_json::array();
    for (const auto& e : found) {
        list.push_back(encounter_json(e, vessel_name(s, e.vessel, q->window.until_ms)));
    }
    respond(json_ok({{"mmsi", q->vessel},
                     {"name", vessel_name(s, q->vessel, q->window.until_ms)},
                     {"since", iso_time(q->window.since_ms)},
                     {"until", iso_time(q->window.until_ms)},
                     {"radius_m", *radius},
                     {"encounters", list},
                     {"count", list.size()}}));
}

// ---- GET /api/tracks/search -------------------------------------------------------------------

void search(TrackRoutes& r, const Request& req, const RequestContext&, Responder respond) {
    if (auto e = detail::reject_unknown_parameters(req, {"q"})) {
        return respond(std::move(*e));
    }
    const auto it = req.query.find("q");
    std::string q = it == req.query.end() ? std::string() : it->second;
    const auto first = q.find_first_not_of(' ');
    q = first == std::string::npos ? std::string()
                                   : q.substr(first, q.find_last_not_of(' ') - first + 1);
    if (q.size() < 2 || q.size() > 64) {
        return respond(bad_parameter("q", "required: 2 to 64 characters (an MMSI, a registration "
                                          "number, a name or a call sign)"));
    }
    if (r.api.tracks == nullptr) {
        return respond(detail::tracks_unavailable());
    }
    const store::TrackStore& s = *r.api.tracks;
    const std::int64_t now_ms = unix_millis(
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
    std::vector<ordered_json> hits;
    std::map<std::int64_t, std::size_t> by_mmsi;
    const auto entry = [&](std::optional<std::int64_t> mmsi) -> ordered_json& {
        if (mmsi) {
            if (const auto found = by_mmsi.find(*mmsi); found != by_mmsi.end()) {
                return hits[found->second];
            }
            by_mmsi[*mmsi] = hits.size();
        }
        hits.push_back({{"mmsi", mmsi ? ordered_json(*mmsi) : ordered_json()},
                        {"ais_name", nullptr},
                        {"ais_call_sign", nullptr},
                        {"registry", nullptr},
                        {"matched", ordered_json::array()}});
        return hits.back();
    };
    if (const auto n = parse_digits(q, 9); n && *n > 0) {
        entry(*n)["matched"].push_back("mmsi");
    }
    {
        const std::lock_guard lock(r.api.mutex);
        for (const auto& h : r.api.registry->search(q, 25)) {
            SQLite::Statement b(r.api.db.handle(), "SELECT mmsi FROM boats WHERE id = ?1");
            b.bind(1, h.vessel_id);
            std::optional<std::int64_t> mmsi;
            if (b.executeStep() && !b.getColumn(0).isNull()) {
                mmsi = b.getColumn(0).getInt64();
            }
            ordered_json& e = entry(mmsi);
            e["registry"] = {{"vessel_id", h.vessel_id},
                             {"name", h.name},
                             {"registration_number", h.registration_number},
                             {"home_harbour", h.home_harbour},
                             {"status", h.status}};
            e["matched"].push_back("registry_" + h.matched);
        }
    }
    for (const auto& rec : s.find_by_name(q, 25)) {
        auto& e = entry(rec.vessel);
        e["matched"].push_back("ais_name_or_call_sign");
        // The report that matched: an earlier name or call sign when the vessel has changed it.
        e["matched_report"] = {
            {"name", rec.name}, {"call_sign", rec.call_sign}, {"time", iso_time(rec.time_ms)}};
    }
    ordered_json list = ordered_json::array();
    for (auto& h : hits) {
        if (h["mmsi"].is_number()) {
            // The latest static report names the vessel as it transmits (untrusted text).
            const auto history = s.static_history(h["mmsi"].get<std::int64_t>(), now_ms);
            if (!history.empty()) {
                h["ais_name"] = history.back().name;
                h["ais_call_sign"] = history.back().call_sign;
            }
        }
        list.push_back(std::move(h));
    }
    respond(json_ok({{"q", q}, {"vessels", list}, {"count", list.size()}}));
}

} // namespace

void add_track_routes(http::Router& router, ApiContext& api) {
    const auto routes = std::make_shared<TrackRoutes>(api);
    using Fn = void (*)(TrackRoutes&, const Request&, const RequestContext&, Responder);
    const auto bind = [routes, &api](Fn fn) {
        return detail::on_track_worker(
            api, [routes, fn](const Request& req, const RequestContext& ctx, Responder respond) {
                fn(*routes, req, ctx, std::move(respond));
            });
    };
    router.add("GET", "/api/tracks/search", track_readers, bind(search));
    detail::add_track_area_routes(router, api);
    detail::add_track_export_route(router, api);
    router.add("GET", "/api/tracks/vessels/{mmsi}", track_readers, bind(vessel_track));
    router.add("GET", "/api/tracks/vessels/{mmsi}/stats", track_readers, bind(vessel_stats));
    router.add("GET", "/api/tracks/vessels/{mmsi}/events", track_readers, bind(vessel_events));
    router.add("GET", "/api/tracks/vessels/{mmsi}/near", track_readers, bind(vessel_near));
}

} // namespace sahil::app
