// `sahil tracks ...`; see track_commands.hpp.
#include "server/app/track_commands.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "geo/geo_error.hpp"
#include "geo/zone_index.hpp"
#include "registry/audit.hpp"
#include "registry/boat_store.hpp"
#include "registry/crypto.hpp"
#include "registry/registry_error.hpp"
#include "server/alerts/alert.hpp"
#include "server/alerts/cap.hpp"
#include "server/app/commands.hpp"
#include "server/app/engine.hpp"
#include "server/app/track_history_events.hpp"
#include "server/app/tracks_api.hpp"
#include "server/app/user_commands.hpp"
#include "server/store/sqlite_track_store.hpp"
#include "server/store/track_analysis.hpp"
#include "server/store/track_export.hpp"
#include "server/store/track_query.hpp"

namespace sahil::app {

namespace {

/// A bad argument: reported as is, exit code 1.
struct BadInput {
    std::string message;
};

std::string iso(std::int64_t ms) {
    return alerts::iso8601(from_unix_millis(ms));
}

store::TimeWindow window_of(const TracksOptions& o) {
    const auto since = alerts::parse_utc_time(o.since);
    const auto until = alerts::parse_utc_time(o.until);
    if (!since) {
        throw BadInput{"--since: give an ISO 8601 UTC time such as 2026-03-15T19:00:00Z (is \"" +
                       o.since + "\")"};
    }
    if (!until) {
        throw BadInput{"--until: give an ISO 8601 UTC time such as 2026-03-16T07:00:00Z (is \"" +
                       o.until + "\")"};
    }
    if (*until <= *since) {
        throw BadInput{"--until must be after --since"};
    }
    return {unix_millis(*since), unix_millis(*until)};
}

std::unique_ptr<store::SqliteTrackStore> open_tracks(const Config& config) {
    if (!std::filesystem::exists(config.tracks.path)) {
        throw store::TrackStoreError(fmt::format(
            "no track history at {} yet: sahild writes it as it tracks vessels (and `sahil "
            "replay --store` from a log); see [tracks] path",
            config.tracks.path));
    }
    return std::make_unique<store::SqliteTrackStore>(config.tracks,
                                                     store::TrackStoreMode::read_only);
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// A vessel to query: its key and the best name known.
struct Resolved {
    std::int64_t mmsi = 0;
    std::string name;
};

/// MMSI, registration number, registry name or AIS name/call sign -> one vessel.
Resolved resolve(const Config& config, const store::TrackStore& tracks, const std::string& text) {
    if (text.size() == 9 && std::all_of(text.begin(), text.end(),
                                        [](unsigned char c) { return std::isdigit(c) != 0; })) {
        const auto mmsi = std::stoll(text);
        std::string name;
        const auto history = tracks.static_history(mmsi, std::numeric_limits<std::int64_t>::max());
        if (!history.empty()) {
            name = history.back().name;
        }
        return {mmsi, name};
    }
    std::map<std::int64_t, std::pair<std::string, std::string>> found; // mmsi -> name, how
    if (std::filesystem::exists(config.paths.registry_db)) {
        registry::Database db(config.paths.registry_db.string(), registry::OpenMode::read_only);
        registry::BoatStore boats(db);
        if (auto b = boats.find_by_registration(text); b && b->mmsi) {
            return {static_cast<std::int64_t>(*b->mmsi), b->name};
        }
        const std::string needle = lower(text);
        for (const auto& b : boats.list()) {
            if (b.mmsi && lower(b.name).find(needle) != std::string::npos) {
                found.emplace(*b.mmsi,
                              std::pair{b.name, fmt::format("{} {} (registry)",
                                                            b.registration_number, b.name)});
            }
        }
    }
    for (const auto& r : tracks.find_by_name(text, 20)) {
        found.emplace(r.vessel, std::pair{r.name, fmt::format("{} / {} (AIS static data)", r.name,
                                                              r.call_sign)});
    }
    if (found.empty()) {
        throw BadInput{"no vessel matches \"" + text +
                       "\": give an MMSI (9 digits), a registration number or a name"};
    }
    if (found.size() > 1) {
        std::string list;
        for (const auto& [mmsi, match] : found) {
            list += fmt::format("\n  {}  {}", mmsi, match.second);
        }
        throw BadInput{"\"" + text + "\" matches several vessels; give one MMSI:" + list};
    }
    return {found.begin()->first, found.begin()->second.first};
}

/// "463108742 DARYA DIL", or the MMSI alone when no name is known.
std::string label(const Resolved& v) {
    return v.name.empty() ? std::to_string(v.mmsi) : fmt::format("{} {}", v.mmsi, v.name);
}

/// An empty answer is an answer, but says so plainly on stderr: a mistyped MMSI looks the same.
void say_no_fixes(std::ostream& err, const store::TrackStore& tracks, const Resolved& v,
                  const TracksOptions& o) {
    const bool known =
        !tracks.static_history(v.mmsi, std::numeric_limits<std::int64_t>::max()).empty();
    fmt::print(err, "{}: no fixes stored between {} and {}{}\n", label(v), o.since, o.until,
               known ? ""
                     : " (and the store has no static report of this MMSI at any time: is the "
                       "number right? `sahil tracks area` lists the vessels seen in an area)");
}

/// Whether `vessel` has at least one fix in `window`.
bool has_fixes(const store::TrackStore& tracks, std::int64_t vessel,
               const store::TimeWindow& window) {
    bool any = false;
    tracks.scan_track(vessel, window, [&any](const store::TrackFix&) {
        any = true;
        return false;
    });
    return any;
}

std::string opt_text(std::optional<double> v, int decimals) {
    return v ? fmt::format("{:.{}f}", *v, decimals) : std::string("-");
}

nlohmann::ordered_json fix_json(const store::TrackFix& f, const store::TrackStore& tracks) {
    nlohmann::ordered_json j = {
        {"mmsi", f.vessel}, {"time", iso(f.time_ms)}, {"lat", f.lat()}, {"lon", f.lon()}};
    j["sog_kn"] = f.sog_knots() ? nlohmann::ordered_json(*f.sog_knots()) : nullptr;
    j["cog_deg"] = f.cog_deg() ? nlohmann::ordered_json(*f.cog_deg()) : nullptr;
    j["heading_deg"] = f.heading >= 0 ? nlohmann::ordered_json(f.heading) : nullptr;
    j["nav_status"] = f.nav_status >= 0 ? nlohmann::ordered_json(f.nav_status) : nullptr;
    j["source"] = tracks.source_name(f.source);
    return j;
}

/// Runs a command body: bad input -> 1, storage and registry failures -> 3.
template <class F> int run(std::ostream& err, F&& body) {
    try {
        return body();
    } catch (const BadInput& e) {
        fmt::print(err, "error: {}\n", e.message);
        return exit_bad_input;
    } catch (const store::ExportError& e) {
        fmt::print(err, "error: export: {}\n", e.what());
        return e.code() == store::ExportErrc::too_many_fixes ||
                       e.code() == store::ExportErrc::invalid_options
                   ? exit_bad_input
                   : exit_resource;
    } catch (const store::TrackStoreError& e) {
        fmt::print(err, "error: {}\n", e.what());
    } catch (const registry::RegistryError& e) {
        fmt::print(err, "error: {}\n", e.what());
    } catch (const geo::GeoError& e) {
        fmt::print(err, "error: {}\n", e.what());
    } catch (const std::invalid_argument& e) {
        fmt::print(err, "error: {}\n", e.what());
        return exit_bad_input;
    }
    return exit_resource;
}

} // namespace

int cmd_tracks_track(const Config& config, const std::string& vessel, const TracksOptions& o,
                     double simplify_m, int period_s, bool stats, std::ostream& out,
                     std::ostream& err) {
    return run(err, [&] {
        const auto window = window_of(o);
        if (simplify_m < 0 || period_s < 0 || (simplify_m > 0 && period_s > 0)) {
            throw BadInput{"give at most one of --simplify-m (> 0 metres) or --period-s (> 0 s)"};
        }
        const auto tracks = open_tracks(config);
        const Resolved v = resolve(config, *tracks, vessel);
        auto fixes = store::load_track(*tracks, v.mmsi, window);
        const std::size_t stored = fixes.size();
        if (stored == 0) {
            say_no_fixes(err, *tracks, v, o);
        }
        if (stats) {
            const store::TrackStatisticsOptions options;
            const auto j = detail::statistics_json(
                v.mmsi, detail::vessel_name(*tracks, v.mmsi, window.until_ms), window,
                store::track_statistics(fixes, options),
                options); // as GET .../stats answers
            out << (o.json ? j.dump() : j.dump(2)) << '\n';
            return exit_ok;
        }
        if (simplify_m > 0) {
            fixes = store::simplify_track(fixes, simplify_m);
        } else if (period_s > 0) {
            fixes = store::downsample_track(fixes, period_s);
        }
        if (o.json) {
            for (const auto& f : fixes) {
                out << fix_json(f, *tracks).dump() << '\n';
            }
        } else {
            if (!fixes.empty()) {
                fmt::print(out, "{:<24} {:>10} {:>11} {:>6} {:>6} {:>4} {:>3}  {}\n", "time_utc",
                           "lat_deg", "lon_deg", "sog_kn", "cog", "hdg", "nav", "source");
            }
            for (const auto& f : fixes) {
                fmt::print(out, "{:<24} {:>10.6f} {:>11.6f} {:>6} {:>6} {:>4} {:>3}  {}\n",
                           iso(f.time_ms), f.lat(), f.lon(), opt_text(f.sog_knots(), 1),
                           opt_text(f.cog_deg(), 1),
                           f.heading >= 0 ? std::to_string(f.heading) : "-",
                           f.nav_status >= 0 ? std::to_string(f.nav_status) : "-",
                           tracks->source_name(f.source));
            }
        }
        if (stored > 0) {
            fmt::print(err, "{}: {} fixes stored in the window, {} shown\n", label(v), stored,
                       fixes.size());
        }
        return exit_ok;
    });
}

int cmd_tracks_events(const Config& config, const std::string& vessel, const TracksOptions& o,
                      std::ostream& out, std::ostream& err) {
    return run(err, [&] {
        const auto window = window_of(o);
        const auto tracks = open_tracks(config);
        const Resolved v = resolve(config, *tracks, vessel);
        const auto zones = TrackZones::load(config.paths); // as the daemon loads them
        std::optional<registry::Database> db;
        if (std::filesystem::exists(config.paths.registry_db)) {
            db.emplace(config.paths.registry_db.string(), registry::OpenMode::read_only);
        }
        const RegistryLookup lookup = [&db](std::int64_t mmsi) {
            RegistryFacts facts;
            if (!db || mmsi < 1 || mmsi > 999'999'999) {
                return facts;
            }
            if (const auto boat =
                    registry::BoatStore(*db).find_by_mmsi(static_cast<std::uint32_t>(mmsi))) {
                facts.registered = true;
                facts.home_harbour = boat->home_harbour;
            }
            return facts;
        };
        const auto result =
            history_events(*tracks, zones.get(), config.tracking, lookup, v.mmsi, window);
        if (o.json) {
            out << history_events_json(v.mmsi,
                                       detail::vessel_name(*tracks, v.mmsi, window.until_ms),
                                       window, result)
                       .dump()
                << '\n';
        } else {
            if (!result.events.empty()) {
                fmt::print(out, "{:<24} {:<24} {:<11} {:<10} {:>10} {:>7}  {}\n", "start_utc",
                           "end_utc", "kind", "zone/other", "distance_m", "kn", "evidence");
            }
            for (const auto& e : result.events) {
                const std::string where =
                    e.other_vessel != 0 ? std::to_string(e.other_vessel) : e.zone_id;
                fmt::print(out, "{:<24} {:<24} {:<11} {:<10} {:>10} {:>7}  {}{}\n", iso(e.start_ms),
                           iso(e.end_ms), store::to_string(e.kind), where.empty() ? "-" : where,
                           opt_text(e.distance_m, 0), opt_text(e.speed_knots, 1),
                           e.flagged ? "[flagged] " : "", e.evidence);
            }
        }
        if (result.fixes == 0) {
            say_no_fixes(err, *tracks, v, o);
        } else {
            fmt::print(err, "{}: {} event{} from {} fixes (class {}, home harbour {}{})\n",
                       label(v), result.events.size(), result.events.size() == 1 ? "" : "s",
                       result.fixes, rules::to_string(result.vessel_class),
                       result.home_harbour.empty() ? "none" : result.home_harbour,
                       result.rendezvous_checked
                           ? ""
                           : "; rendezvous not looked for: the window is over 7 days");
        }
        return exit_ok;
    });
}

int cmd_tracks_area(const Config& config, const std::string& bbox, const std::string& zone_id,
                    const TracksOptions& o, std::ostream& out, std::ostream& err) {
    return run(err, [&] {
        const auto window = window_of(o);
        if (bbox.empty() == zone_id.empty()) {
            throw BadInput{"give exactly one of --bbox WEST,SOUTH,EAST,NORTH or --zone ID"};
        }
        const auto tracks = open_tracks(config);
        std::vector<store::AreaVisit> visits;
        if (!bbox.empty()) {
            std::vector<double> v;
            std::istringstream in(bbox);
            for (std::string part; std::getline(in, part, ',');) {
                try {
                    std::size_t used = 0;
                    v.push_back(std::stod(part, &used));
                    if (used != part.size()) {
                        v.clear();
                        break;
                    }
                } catch (const std::exception&) {
                    v.clear();
                    break;
                }
            }
            if (v.size() != 4 || v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90 ||
                v[0] > v[2] || v[1] > v[3]) {
                throw BadInput{"--bbox: WEST,SOUTH,EAST,NORTH in degrees, e.g. "
                               "62.2,25.0,62.5,25.2 (west <= east, south <= north)"};
            }
            visits = store::vessels_in_area(
                *tracks, store::GeoBox::from_degrees(v[1], v[0], v[3], v[2]), window);
        } else {
            // A zone of the configured layers: its bounding box, then the polygon itself.
            const geo::Zone* zone = nullptr;
            std::optional<geo::ZoneIndex> layer;
            // Harbours by their `id`; sea zones by their `zone` field (territorial_sea,
            // contiguous_zone_belt, eez_all_waters, as server/rules/geography.cpp loads them).
            for (const bool sea : {false, true}) {
                const auto& path = sea ? config.paths.sea_zones : config.paths.harbours;
                if (path.empty() || !std::filesystem::exists(path)) {
                    continue;
                }
                layer.emplace(sea ? geo::ZoneIndex::load(path, "sea_zones", "zone", "zone", "zone")
                                  : geo::ZoneIndex::load(path, "harbours"));
                zone = layer->find(zone_id);
                if (zone != nullptr) {
                    break;
                }
            }
            if (zone == nullptr) {
                throw BadInput{"--zone: \"" + zone_id +
                               "\" is not a harbour or sea zone id of the config's layers"};
            }
            const auto& b = zone->bounds;
            const auto box = store::GeoBox::from_degrees(b.min_corner().y(), b.min_corner().x(),
                                                         b.max_corner().y(), b.max_corner().x());
            std::int64_t prev = 0;
            tracks->scan_area(box, window, [&](const store::TrackFix& f) {
                if (!geo::contains(*zone, f.position())) {
                    return true;
                }
                if (visits.empty() || visits.back().vessel != f.vessel) {
                    visits.push_back({f.vessel, f.time_ms, f.time_ms, 0, 0, 0});
                    prev = f.time_ms;
                }
                auto& v = visits.back();
                if (f.time_ms - prev > 600'000) {
                    ++v.gaps;
                    v.longest_gap_ms = std::max(v.longest_gap_ms, f.time_ms - prev);
                }
                prev = f.time_ms;
                v.last_ms = f.time_ms;
                ++v.fixes;
                return true;
            });
        }
        for (const auto& v : visits) {
            const auto history = tracks->static_history(v.vessel, window.until_ms);
            const std::string name = history.empty() ? "" : history.back().name;
            if (o.json) {
                out << nlohmann::ordered_json{{"mmsi", v.vessel},
                                              {"name", name},
                                              {"first_seen", iso(v.first_ms)},
                                              {"last_seen", iso(v.last_ms)},
                                              {"fixes", v.fixes},
                                              {"gaps", v.gaps},
                                              {"longest_gap_s", v.longest_gap_ms / 1000}}
                           .dump()
                    << '\n';
            } else {
                fmt::print(out, "{:>9}  {:<20}  {}  {}  {:>6} fixes  {} gaps\n", v.vessel, name,
                           iso(v.first_ms), iso(v.last_ms), v.fixes, v.gaps);
            }
        }
        fmt::print(err, "{} vessels in the area\n", visits.size());
        return exit_ok;
    });
}

int cmd_tracks_near(const Config& config, const std::string& vessel, double radius_m,
                    const TracksOptions& o, std::ostream& out, std::ostream& err) {
    return run(err, [&] {
        const auto window = window_of(o);
        if (!(radius_m >= 1 && radius_m <= 100'000)) {
            throw BadInput{"--radius-m: 1..100000 metres"};
        }
        const auto tracks = open_tracks(config);
        const Resolved v = resolve(config, *tracks, vessel);
        store::EncounterQuery q;
        q.vessel = v.mmsi;
        q.window = window;
        q.radius_m = radius_m;
        const auto near = store::encounters(*tracks, q);
        for (const auto& e : near) {
            const auto history = tracks->static_history(e.vessel, window.until_ms);
            const std::string name = history.empty() ? "" : history.back().name;
            if (o.json) {
                out << detail::encounter_json(e, name).dump() << '\n'; // as GET .../near
            } else {
                fmt::print(out, "{:>9}  {:<20}  closest {:>7.0f} m at {}  within {} .. {}\n",
                           e.vessel, name, e.min_distance_m, iso(e.min_time_ms),
                           iso(e.first_within_ms), iso(e.last_within_ms));
            }
        }
        if (near.empty() && !has_fixes(*tracks, v.mmsi, window)) {
            say_no_fixes(err, *tracks, v, o);
        } else {
            fmt::print(err, "{} vessel{} came within {:.0f} m of {}\n", near.size(),
                       near.size() == 1 ? "" : "s", radius_m, label(v));
        }
        return exit_ok;
    });
}

int cmd_tracks_export(const Config& config, const std::vector<std::string>& vessels,
                      const TracksOptions& o, const std::string& format,
                      const std::filesystem::path& file, const std::string& reason,
                      std::size_t max_fixes, std::ostream& out, std::ostream& err) {
    return run(err, [&] {
        const auto window = window_of(o);
        const auto fmt_kind = store::parse_export_format(format);
        if (!fmt_kind) {
            throw BadInput{"--format: geojson, kml, gpx, csv or gpkg"};
        }
        std::string why = reason;
        why.erase(0, why.find_first_not_of(" \t"));
        if (why.size() < 3 || why.size() > 500) {
            throw BadInput{"--reason: say why (a case number or purpose, 3-500 characters); "
                           "every export is recorded in the audit trail"};
        }
        if (vessels.empty()) {
            throw BadInput{"name at least one vessel"};
        }
        const auto tracks = open_tracks(config);
        std::vector<store::ExportVessel> list;
        nlohmann::ordered_json mmsis = nlohmann::ordered_json::array();
        for (const auto& text : vessels) {
            const Resolved v = resolve(config, *tracks, text);
            list.push_back({v.mmsi, ""});
            mmsis.push_back(v.mmsi);
        }
        store::ExportOptions options;
        options.max_fixes = max_fixes;
        // Who exported what, and why: the registry's hash-chained audit trail, with the record
        // POST /api/tracks/export writes (refusals too).
        const auto record = [&] {
            return nlohmann::ordered_json{{"mmsi", mmsis},
                                          {"since", detail::iso_time(window.since_ms)},
                                          {"until", detail::iso_time(window.until_ms)},
                                          {"format", std::string(store::to_string(*fmt_kind))},
                                          {"points", options.points},
                                          {"lines", options.lines}};
        };
        const auto audit = [&](const char* action, const nlohmann::ordered_json& after) {
            registry::Database db(config.paths.registry_db.string());
            registry::AuditLog log(db);
            registry::AuditEvent event;
            event.action = action;
            event.entity = "track_export";
            event.entity_id = file.filename().string();
            event.after_json = after.dump();
            event.reason = why;
            log.append(cli_actor(), event);
        };
        store::ExportSummary summary;
        try {
            summary = store::export_tracks(*tracks, list, window, file, *fmt_kind, options);
        } catch (const store::ExportError& e) {
            if (e.code() == store::ExportErrc::too_many_fixes) {
                auto after = record();
                after["max_fixes"] = *fmt_kind == store::ExportFormat::kml
                                         ? std::min(max_fixes, store::kml_max_fixes)
                                         : max_fixes;
                audit("tracks.export_refused", after);
            }
            throw;
        }
        const std::string sha = registry::sha256_file_hex(file); // streamed: exports reach GBs
        auto after = record();
        after["vessels_with_fixes"] = summary.vessels;
        after["fixes"] = summary.fixes;
        after["features"] = summary.features();
        after["bytes"] = summary.bytes;
        after["sha256"] = sha;
        after["file"] = file.string();
        audit("tracks.export", after);
        if (o.json) {
            out << nlohmann::ordered_json{{"file", file.string()},
                                          {"vessels_with_fixes", summary.vessels},
                                          {"fixes", summary.fixes},
                                          {"features", summary.features()},
                                          {"bytes", summary.bytes},
                                          {"sha256", sha}}
                       .dump()
                << '\n';
        } else {
            fmt::print(out, "{}: {} vessels, {} fixes, {} bytes, sha256 {}\n", file.string(),
                       summary.vessels, summary.fixes, summary.bytes, sha);
        }
        return exit_ok;
    });
}

} // namespace sahil::app
