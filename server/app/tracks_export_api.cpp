// POST /api/tracks/export (tracks_api.hpp): tracks of up to 50 vessels written by
// store::export_tracks to a file under the daemon's var folder (exports/ beside tracks.db),
// hashed (SHA-256, streamed), recorded in the audit trail (who, what, the file's SHA-256, why) and
// streamed to the client as an attachment (http::BodyFile: never read whole into memory); the
// file is removed once sent or when the client goes away. Exports too large for the limits are
// refused before any file is written, and recorded too.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "registry/crypto.hpp"
#include "server/alerts/cap.hpp"
#include "server/app/log.hpp"
#include "server/app/registry_json.hpp"
#include "server/app/tracks_api.hpp"
#include "server/store/track_export.hpp"

namespace sahil::app {
namespace {

using detail::iso_time;
using detail::json_ok;
using http::Access;
using http::Request;
using http::RequestContext;
using http::Responder;
using http::Response;
using http::Role;
using nlohmann::json;
using nlohmann::ordered_json;
using registry::ErrorCode;

/// Exports leave the system: administrators and analysts, audited with a reason.
constexpr Access track_exporters{.roles = {Role::admin, Role::msa_analyst}, .state_changing = true};

struct ExportRoutes {
    explicit ExportRoutes(ApiContext& context) : api(context) {}
    ApiContext& api;
    std::atomic<int> exports_running{0};         ///< exports being written now
    std::atomic<std::uint64_t> export_serial{0}; ///< makes file names unique
};

// ---- POST /api/tracks/export --------------------------------------------------------------------

struct ExportRequest {
    std::vector<std::int64_t> mmsi;
    store::TimeWindow window;
    store::ExportFormat format = store::ExportFormat::geojson;
    std::string reason;
    bool points = true;
    bool lines = true;
};

std::size_t utf8_length(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    }));
}

std::variant<ExportRequest, Response> read_export(const Request& req) {
    Response error;
    const auto body = json_body(req, error);
    if (!body) {
        return error;
    }
    JsonErrors errors;
    reject_unknown(*body, {"mmsi", "since", "until", "format", "reason", "points", "lines"}, "",
                   errors);
    ExportRequest x;
    const json mmsi = body->value("mmsi", json());
    if (!mmsi.is_array() || mmsi.empty()) {
        errors.push_back({"mmsi", "required: an array of MMSIs, e.g. [463012345]"});
    } else if (mmsi.size() > TrackLimits::max_export_vessels) {
        errors.push_back({"mmsi", fmt::format("at most {} vessels in one export (this asks for "
                                              "{}); split it",
                                              TrackLimits::max_export_vessels, mmsi.size())});
    } else {
        for (std::size_t i = 0; i < mmsi.size(); ++i) {
            const json& m = mmsi[i];
            const bool ok = m.is_number_integer() && m.get<std::int64_t>() >= 1 &&
                            m.get<std::int64_t>() <= 999'999'999;
            if (!ok) {
                errors.push_back({fmt::format("mmsi[{}]", i), "must be an MMSI, a whole number "
                                                              "of 1 to 9 digits"});
            } else if (std::find(x.mmsi.begin(), x.mmsi.end(), m.get<std::int64_t>()) !=
                       x.mmsi.end()) {
                errors.push_back({fmt::format("mmsi[{}]", i), "is given twice"});
            } else {
                x.mmsi.push_back(m.get<std::int64_t>());
            }
        }
    }
    std::optional<UtcTime> times[2];
    for (int i = 0; i < 2; ++i) {
        const char* key = i == 0 ? "since" : "until";
        const std::string text = string_member(*body, key, "", errors);
        times[i] = alerts::parse_utc_time(text);
        if (!times[i]) {
            errors.push_back({key, "required: an ISO 8601 UTC time such as 2026-03-15T19:00:00Z"});
        }
    }
    if (times[0] && times[1]) {
        if (*times[1] <= *times[0]) {
            errors.push_back({"until", "must be later than since"});
        } else if (*times[1] - *times[0] > std::chrono::days(TrackLimits::max_export_days)) {
            errors.push_back({"until", fmt::format("an export covers at most {} days",
                                                   TrackLimits::max_export_days)});
        } else {
            x.window = {unix_millis(*times[0]), unix_millis(*times[1])};
        }
    }
    const std::string format = string_member(*body, "format", "", errors);
    if (const auto f = store::parse_export_format(format)) {
        x.format = *f;
    } else {
        errors.push_back({"format", "must be geojson, kml, gpx, csv or gpkg"});
    }
    std::string reason = string_member(*body, "reason", "", errors);
    const auto first = reason.find_first_not_of(" \t\r\n");
    x.reason = first == std::string::npos
                   ? std::string()
                   : reason.substr(first, reason.find_last_not_of(" \t\r\n") - first + 1);
    if (utf8_length(x.reason) < 3 || utf8_length(x.reason) > 500) {
        errors.push_back({"reason", "required: why the tracks leave the system, 3 to 500 "
                                    "characters (the case or letter number)"});
    }
    for (const char* key : {"points", "lines"}) {
        if (body->contains(key) && !(*body)[key].is_boolean()) {
            errors.push_back({key, "must be true or false"});
        }
    }
    const auto flag = [&body](const char* key) {
        return !body->contains(key) || !(*body)[key].is_boolean() || (*body)[key].get<bool>();
    };
    x.points = flag("points");
    x.lines = flag("lines");
    if (!x.points && !x.lines) {
        errors.push_back({"points", "points and lines cannot both be false"});
    }
    if (!errors.empty()) {
        return error_response(ErrorCode::validation_failed, errors);
    }
    return x;
}

/// Where export files are written before they are sent: `exports/` beside tracks.db (the
/// daemon's var folder).
std::filesystem::path export_dir(const Config& config) {
    std::filesystem::path dir = std::filesystem::path(config.tracks.path).parent_path();
    if (dir.empty()) {
        dir = config.paths.registry_db.parent_path();
    }
    return (dir.empty() ? std::filesystem::temp_directory_path() : dir) / "exports";
}

/// "20260315T190000Z" of Unix ms.
std::string compact_time(std::int64_t ms) {
    std::string t = iso_time(ms - ms % 1000);
    t.erase(std::remove_if(t.begin(), t.end(), [](char c) { return c == '-' || c == ':'; }),
            t.end());
    return t;
}

ordered_json export_record(const ExportRequest& x) {
    return {{"mmsi", x.mmsi},
            {"since", iso_time(x.window.since_ms)},
            {"until", iso_time(x.window.until_ms)},
            {"format", std::string(store::to_string(x.format))},
            {"points", x.points},
            {"lines", x.lines}};
}

void export_route(ExportRoutes& r, const Request& req, const RequestContext& ctx,
                  Responder respond) {
    if (auto e = detail::reject_unknown_parameters(req, {})) {
        return respond(std::move(*e));
    }
    if (r.api.tracks == nullptr) {
        return respond(detail::tracks_unavailable());
    }
    auto parsed = read_export(req);
    if (auto* e = std::get_if<Response>(&parsed)) {
        return respond(std::move(*e));
    }
    const ExportRequest& x = std::get<ExportRequest>(parsed);
    // Each export takes a track worker, CPU and disk while it is written: bound how many run at
    // once (the sending that follows holds neither a slot nor a worker).
    struct Slot {
        explicit Slot(std::atomic<int>& c)
            : count(c), taken(c.fetch_add(1) < TrackLimits::max_concurrent_exports) {}
        ~Slot() { count.fetch_sub(1); }
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        std::atomic<int>& count;
        bool taken;
    } slot(r.exports_running);
    if (!slot.taken) {
        Response busy = json_ok({{"error", "unavailable"},
                                 {"message", "other exports are being written; try again in a "
                                             "minute"}},
                                503);
        busy.headers.emplace_back("Retry-After", "60");
        return respond(std::move(busy));
    }
    const registry::Actor actor = actor_of(req, ctx);
    std::vector<store::ExportVessel> vessels;
    for (const auto m : x.mmsi) {
        vessels.push_back({m, ""});
    }
    const auto dir = export_dir(r.api.config);
    std::filesystem::create_directories(dir);
    const std::string ext(store::file_extension(x.format));
    const auto path = dir / fmt::format("export-{}-{}.{}", r.export_serial.fetch_add(1),
                                        ctx.request_id.empty() ? "x" : ctx.request_id, ext);
    store::ExportOptions options;
    options.points = x.points;
    options.lines = x.lines;
    options.max_fixes = r.api.track_export_max_fixes;
    store::ExportSummary summary;
    try {
        summary = store::export_tracks(*r.api.tracks, vessels, x.window, path, x.format, options);
    } catch (const store::ExportError& e) {
        if (e.code() != store::ExportErrc::too_many_fixes) {
            throw;
        }
        // KML has its own, lower cap (store::kml_max_fixes: GDAL's LIBKML writer is quadratic).
        const std::size_t limit = x.format == store::ExportFormat::kml
                                      ? std::min(r.api.track_export_max_fixes, store::kml_max_fixes)
                                      : r.api.track_export_max_fixes;
        ordered_json after = export_record(x);
        after["max_fixes"] = limit;
        r.api.audit_event(actor, {.action = "tracks.export_refused",
                                  .entity = "track_export",
                                  .after_json = after.dump(),
                                  .reason = x.reason});
        return respond(error_response(
            ErrorCode::validation_failed,
            {{"mmsi", fmt::format("the export would hold more than {} fixes (these {} vessels "
                                  "from since to until); export fewer vessels or a shorter "
                                  "window{}",
                                  limit, x.mmsi.size(),
                                  x.format == store::ExportFormat::kml
                                      ? ", or choose gpkg or gpx (KML exports are capped at "
                                        "2,000 fixes)"
                                      : "")}}));
    }
    // From here the file is removed whatever happens: once sent, when the client goes away, or
    // when an exception below stops the export.
    auto file = std::make_shared<const http::BodyFile>(path, true);
    const std::string sha256 = registry::sha256_file_hex(path); // streamed, 64 KiB at a time
    const std::string download = fmt::format(
        "sahil-tracks-{}-{}.{}", compact_time(x.window.since_ms),
        x.mmsi.size() == 1 ? std::to_string(x.mmsi[0]) : fmt::format("{}-vessels", x.mmsi.size()),
        ext);
    ordered_json after = export_record(x);
    after["vessels_with_fixes"] = summary.vessels;
    after["fixes"] = summary.fixes;
    after["features"] = summary.features();
    after["bytes"] = summary.bytes;
    after["sha256"] = sha256;
    after["file"] = download;
    // The audit row is written before the file is sent: an export without its row never leaves.
    r.api.audit_event(actor, {.action = "tracks.export",
                              .entity = "track_export",
                              .entity_id = download,
                              .after_json = after.dump(),
                              .reason = x.reason});
    log::info("tracks", "export user={} vessels={} fixes={} format={} bytes={} request={}",
              actor.user, x.mmsi.size(), summary.fixes, store::to_string(x.format), summary.bytes,
              ctx.request_id);
    Response out;
    out.content_type = std::string(store::mime_type(x.format));
    if (x.format == store::ExportFormat::csv || x.format == store::ExportFormat::kml ||
        x.format == store::ExportFormat::gpx) {
        out.content_type += "; charset=utf-8";
    }
    out.file = std::move(file); // streamed by the session, never held in memory whole
    out.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + download + "\"");
    out.headers.emplace_back("Content-Security-Policy", "default-src 'none'");
    out.headers.emplace_back("X-Export-Fixes", std::to_string(summary.fixes));
    out.headers.emplace_back("X-Export-SHA256", sha256);
    respond(std::move(out));
}

/// Removes the export files a previous run left behind (a daemon stopped while sending one);
/// nothing else is ever written to that folder.
void remove_leftover_exports(const Config& config) {
    std::error_code ec;
    const auto dir = export_dir(config);
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file() && it->path().filename().string().starts_with("export-")) {
            std::error_code ignored;
            std::filesystem::remove(it->path(), ignored);
            log::info("tracks", "removed an export file left by an earlier run: {}",
                      it->path().string());
        }
    }
}

} // namespace

void detail::add_track_export_route(http::Router& router, ApiContext& api) {
    if (api.tracks != nullptr) {
        remove_leftover_exports(api.config);
    }
    const auto routes = std::make_shared<ExportRoutes>(api);
    router.add("POST", "/api/tracks/export", track_exporters,
               on_track_worker(
                   api, [routes](const Request& req, const RequestContext& ctx, Responder respond) {
                       export_route(*routes, req, ctx, std::move(respond));
                   }));
}

} // namespace sahil::app
