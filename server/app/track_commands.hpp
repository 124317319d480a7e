// `sahil tracks ...`: the MSA analysts' history queries and exports on the command line, read
// from tracks.db (a read-only snapshot: safe while sahild writes it). See docs/tracks.md.
//
// A VESSEL is an MMSI (9 digits), a registry registration number ("GWD-1021"), or a name: the
// registry's boat name or the AIS name / call sign seen on the air (static-data history). A name
// matching several vessels is refused with the candidates listed.
//
// Exit codes as in commands.hpp: 0 ok, 1 bad input (unknown vessel, bad time, bad option),
// 3 resource failure (no tracks.db, database error, export failed).
//
// Thread-safety: each call is independent.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "server/app/config.hpp"

namespace sahil::app {

/// Options shared by the `sahil tracks` commands.
struct TracksOptions {
    std::string since; ///< window start, ISO 8601 UTC ("2026-03-15T19:00:00Z"); required
    std::string until; ///< window end, ISO 8601 UTC; required, after `since`
    bool json = false; ///< JSON output instead of a table
};

/// `sahil tracks track VESSEL`: the fixes of one vessel in the window; `simplify_m` > 0 applies
/// Douglas–Peucker (metres), `period_s` > 0 keeps one fix per period; with `stats`, the track
/// statistics instead of the fixes.
int cmd_tracks_track(const Config& config, const std::string& vessel, const TracksOptions& o,
                     double simplify_m, int period_s, bool stats, std::ostream& out,
                     std::ostream& err);

/// `sahil tracks area --bbox W,S,E,N` (degrees) or `--zone ID` (a sea zone or harbour id of the
/// config's layers): every vessel seen there in the window, first/last seen, fixes, gaps.
int cmd_tracks_area(const Config& config, const std::string& bbox, const std::string& zone,
                    const TracksOptions& o, std::ostream& out, std::ostream& err);

/// `sahil tracks near VESSEL --radius-m R`: vessels within R metres of it in the window, closest
/// approach first.
int cmd_tracks_near(const Config& config, const std::string& vessel, double radius_m,
                    const TracksOptions& o, std::ostream& out, std::ostream& err);

/// `sahil tracks events VESSEL`: port visits and departures, AIS gaps, loitering and (windows of
/// at most 7 days) rendezvous in the window, with the live rules' definitions and parameters
/// (track_history_events.hpp; the JSON of `GET /api/tracks/vessels/{mmsi}/events` with --json).
int cmd_tracks_events(const Config& config, const std::string& vessel, const TracksOptions& o,
                      std::ostream& out, std::ostream& err);

/// `sahil tracks export VESSEL... --format F -o FILE --reason TEXT`: writes the tracks (GeoJSON,
/// KML, GPX, CSV, GeoPackage) and records the export in the registry's audit trail (who, what,
/// why, the file's SHA-256). `max_fixes` bounds the export (refused before writing when more).
int cmd_tracks_export(const Config& config, const std::vector<std::string>& vessels,
                      const TracksOptions& o, const std::string& format,
                      const std::filesystem::path& file, const std::string& reason,
                      std::size_t max_fixes, std::ostream& out, std::ostream& err);

} // namespace sahil::app
