// Track export: vessel tracks from the track store written to ONE file for MSA analysts, in
// GeoJSON, KML, GPX, CSV or GeoPackage.
//
// Example (CSV row): 463012345,MV EXAMPLE,2026-03-15T19:54:30.000Z,2026-03-15T19:54:30.400Z,
//                    25.123456,63.123456,12.3,245.5,246,0,1,pasni-ais
//
// Data path: TrackStore::scan_track (one vessel at a time) -> TrackExporter::add_vessel -> a
// GDAL/OGR driver (GeoJSON, LIBKML, GPX, GPKG) or the CSV writer here -> a temporary file beside
// the target -> renamed onto the target by finish(). A failed or abandoned export leaves no file
// (and an existing file at the target untouched).
//
// Shapes of the output (ExportOptions::points / lines):
// - point features ("fixes"): one per fix, attributes mmsi (integer), name, time (DateTime UTC),
//   received (DateTime UTC), sog_kn, cog_deg, heading_deg, nav_status, message_type, source;
//   "not available" values are null (CSV: an empty cell).
// - line features ("tracks"): one MultiLineString per vessel, a new part wherever consecutive
//   fixes are more than max_gap_s apart; parts of a single fix are left out of the geometry (a
//   line needs two points), and a vessel with no part of two fixes gets no line feature.
//   Attributes mmsi, name, first_time, last_time (DateTime UTC), fixes (all the vessel's fixes).
// Per format:
// - GeoJSON: RFC 7946 (WGS 84 lon/lat, 6 decimals = microdegrees); one FeatureCollection, points
//   and lines mixed in it when both are asked for (the format has a single layer). GDAL's
//   RFC 7946 writer emits a one-part track as a LineString, a longer one as MultiLineString.
// - KML (GDAL's LIBKML driver): folders "fixes" and "tracks"; Placemark <name> = vessel name, or
//   the MMSI when unknown; time -> <TimeStamp>, first/last_time -> <TimeSpan> (ISO 8601, ms);
//   received as ISO 8601 text; mmsi is typed "string" in the KML Schema. LIBKML assembles the
//   document in memory and writes it in finish(): its memory grows with the export (bounded by
//   max_fixes), unlike the other formats.
// - GPX 1.1 (GDAL's GPX driver): always one <trk> per vessel (<name> as in KML), one <trkseg>
//   per part, one <trkpt> with <time> per fix, the other attributes in <extensions> (namespace
//   "ogr", http://osgeo.org/gdal); received as ISO 8601 text. points/lines do not change it.
// - CSV (written here, RFC 4180, CRLF): always one row per fix, columns mmsi, name, time_utc,
//   received_utc, lat_deg, lon_deg, sog_kn, cog_deg, heading_deg, nav_status, message_type,
//   source; times ISO 8601 UTC with milliseconds; text cells starting with = + - @ TAB CR get a
//   leading apostrophe (CSV formula injection: vessel names come from the air).
// - GeoPackage: layers "fixes" (Point) and/or "tracks" (MultiLineString), real DateTime fields.
// Vessel names are untrusted text: they are written as data (escaped by GDAL or quoted here);
// control characters become spaces, and a name that is not valid UTF-8 has its non-ASCII bytes
// replaced by '?'.
//
// Units: WGS 84 (EPSG:4326) degrees, SOG knots, COG and heading degrees, times UTC.
// Thread-safety: a TrackExporter is used by one thread at a time; separate exporters (separate
// files) may run concurrently.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/track_store.hpp"

namespace sahil::store {

/// File formats of an export.
enum class ExportFormat { geojson, kml, gpx, csv, gpkg };

/// Parses "geojson", "kml", "gpx", "csv" or "gpkg" (ASCII case-insensitive); empty otherwise.
[[nodiscard]] std::optional<ExportFormat> parse_export_format(std::string_view text) noexcept;
/// The name parse_export_format() accepts, lower case ("geojson").
[[nodiscard]] std::string_view to_string(ExportFormat format) noexcept;
/// The usual file extension, without the dot ("geojson", "kml", "gpx", "csv", "gpkg").
[[nodiscard]] std::string_view file_extension(ExportFormat format) noexcept;
/// The MIME type: application/geo+json (RFC 7946), application/vnd.google-earth.kml+xml,
/// application/gpx+xml (customary; not IANA-registered), text/csv (RFC 4180),
/// application/geopackage+sqlite3 (OGC).
[[nodiscard]] std::string_view mime_type(ExportFormat format) noexcept;

/// Why an export failed (ExportError::code()).
enum class ExportErrc {
    invalid_options, ///< options out of range (see ExportOptions), or exporter already closed
    too_many_fixes,  ///< the export would exceed ExportOptions::max_fixes
    unordered_fixes, ///< a vessel's fixes are not in non-decreasing time order
    driver_missing,  ///< this GDAL build lacks the driver of the format
    write_failed,    ///< GDAL or the file system failed (gdal_error() keeps GDAL's number)
};

/// An export failure. what() is one line naming the file and the cause, with GDAL's own message
/// when GDAL reported one. After it, nothing is left at the target path by the failed export.
class ExportError : public std::runtime_error {
public:
    /// `gdal_error` is the CPLErrorNum GDAL reported (0 = none).
    ExportError(ExportErrc code, const std::string& message, int gdal_error = 0);
    /// The cause.
    [[nodiscard]] ExportErrc code() const noexcept { return m_code; }
    /// GDAL's CPLErrorNum (e.g. 4 = CPLE_OpenFailed), 0 when GDAL reported nothing.
    [[nodiscard]] int gdal_error() const noexcept { return m_gdal_error; }

private:
    ExportErrc m_code;
    int m_gdal_error;
};

/// Most fixes a KML export may hold, whatever ExportOptions::max_fixes says: GDAL 3.6's LIBKML
/// driver takes time that grows with the square of the features it writes (measured here with
/// `ogr2ogr -f LIBKML` as well as through this exporter: 1,352 fixes 7.3-7.9 s, 2,464 fixes
/// 15 s; the other formats take 0.04-0.2 s for the same data). For more, export GeoPackage or
/// GPX, which Google Earth and QGIS also open.
inline constexpr std::size_t kml_max_fixes = 2000;

/// What to write; see the file comment for the shapes.
struct ExportOptions {
    bool points = true;  ///< one point feature per fix (GeoJSON, KML, GeoPackage)
    bool lines = true;   ///< one line feature per vessel (GeoJSON, KML, GeoPackage)
    int max_gap_s = 600; ///< a new line part / GPX trkseg after a silence longer than this (s, > 0)
    /// Largest number of fixes in one export (>= 0). Exceeding it throws ExportError
    /// too_many_fixes: export_tracks() checks before creating any file; add_vessel() before
    /// writing any fix of the vessel that would exceed it (and the partial file is removed).
    std::size_t max_fixes = 1'000'000;
    /// Feed name of a TrackFix::source id (e.g. TrackStore::source_name); empty function, or an
    /// empty name for a non-zero id, gives the id in decimal; id 0 gives "" (unknown).
    std::function<std::string(std::uint16_t)> source_name;
};

/// What an export wrote.
struct ExportSummary {
    std::size_t vessels = 0;        ///< vessels with at least one fix written
    std::size_t point_features = 0; ///< point features (GPX: trkpt; CSV: rows)
    std::size_t line_features = 0;  ///< line features (GPX: trk)
    std::size_t fixes = 0;          ///< fixes written
    std::uintmax_t bytes = 0;       ///< size of the finished file, bytes
    /// point_features + line_features.
    [[nodiscard]] std::size_t features() const noexcept { return point_features + line_features; }
};

/// Writes one export file vessel by vessel, holding no more than the caller's current vessel.
/// Usage: construct, add_vessel() per vessel, finish(). Any exception from a member leaves the
/// exporter closed and removes its temporary file; destroying it unfinished does the same.
class TrackExporter {
public:
    /// Creates the temporary file `.NAME.part.EXT` beside `path` and the format's layers.
    /// @throws ExportError invalid_options (neither points nor lines, max_gap_s <= 0),
    ///         driver_missing, write_failed (cannot create the file).
    TrackExporter(std::filesystem::path path, ExportFormat format, ExportOptions options);
    /// Removes the temporary file if finish() was not reached. Never throws.
    ~TrackExporter();
    TrackExporter(const TrackExporter&) = delete;
    TrackExporter& operator=(const TrackExporter&) = delete;

    /// Writes one vessel: `vessel` is its key (MMSI for AIS), `name` its display name from static
    /// data or the registry ("" = unknown; untrusted text), `fixes` its fixes in non-decreasing
    /// time order (TrackFix::vessel is not read). No fixes: nothing is written.
    /// @throws ExportError too_many_fixes (before writing any of these fixes), unordered_fixes,
    ///         invalid_options (exporter closed), write_failed.
    void add_vessel(std::int64_t vessel, std::string_view name, std::span<const TrackFix> fixes);

    /// Completes the file, renames it onto the target path (replacing any file there) and
    /// returns what was written. The exporter is closed afterwards.
    /// @throws ExportError write_failed, invalid_options (already closed).
    ExportSummary finish();

    /// Abandons the export: closes and removes the temporary file. Never throws.
    void abort() noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// A vessel to export and its display name ("" = take the name of its latest static record up
/// to the end of the window, if any).
struct ExportVessel {
    std::int64_t vessel = 0; ///< vessel key (MMSI for AIS)
    std::string name;        ///< display name, untrusted text
};

/// Exports the fixes of `vessels` (in the given order) in `window` from `store` to `path`,
/// reading one vessel at a time through scan_track(). First counts the fixes (stopping at
/// options.max_fixes + 1) so that an export over the limit fails before any file is created.
/// options.source_name defaults to store.source_name.
/// @throws ExportError as TrackExporter; TrackStoreError from the store.
ExportSummary export_tracks(const TrackStore& store, std::span<const ExportVessel> vessels,
                            const TimeWindow& window, const std::filesystem::path& path,
                            ExportFormat format, ExportOptions options);

} // namespace sahil::store
