// Internals of the track exporter shared by its source files: track_export.cpp (formats, the
// exporter, export_tracks and the helpers below), track_export_csv.cpp (the CSV writer) and
// track_export_ogr.cpp (the GDAL/OGR writers: GeoJSON, KML, GPX, GeoPackage). Not part of the
// interface (track_export.hpp): include only from those files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "geo/gdal_support.hpp"
#include "server/store/track_export.hpp"

namespace sahil::store::export_sinks {

namespace fs = std::filesystem;

using geo::QuietGdal; // geo/gdal_support.hpp

/// Throws ExportError(code, "<file>: <what>").
[[noreturn]] void fail(ExportErrc code, const fs::path& file, std::string_view what);
/// Throws ExportError(write_failed) naming the file, `what` and GDAL's last error.
[[noreturn]] void fail_gdal(const fs::path& file, const std::string& what);

/// A UTC instant split into calendar fields.
struct UtcParts {
    int year, month, day, hour, minute, second, millisecond;
};
/// The calendar fields of Unix ms UTC (proleptic Gregorian).
[[nodiscard]] UtcParts utc_parts(std::int64_t unix_ms);
/// "2026-03-15T19:54:30.000Z" of Unix ms UTC.
[[nodiscard]] std::string iso8601_ms(std::int64_t unix_ms);
/// Untrusted text made safe to hand to any writer: control characters become spaces; a text
/// that is not valid UTF-8 has its non-ASCII bytes replaced by '?'.
[[nodiscard]] std::string clean_text(std::string_view text);
/// The feed name of a fix's source id (cleaned), its number when unnamed, "" for 0.
[[nodiscard]] std::string source_label(const ExportOptions& options, std::uint16_t id);

/// One vessel ready for a sink: cleaned name, fixes, and part boundaries (`bounds[k]` is the
/// first fix of part k; the last element is fixes.size()).
struct VesselBatch {
    std::int64_t vessel = 0;
    std::string name;  // cleaned; "" = unknown
    std::string label; // name, or the vessel key when unknown (KML/GPX <name>)
    std::span<const TrackFix> fixes;
    std::vector<std::size_t> bounds;
};

/// Receives vessels one at a time and completes the file in close().
class Sink {
public:
    virtual ~Sink() = default;
    virtual void write(const VesselBatch& batch, ExportSummary& summary) = 0;
    virtual void close() = 0;
};

/// The CSV writer (track_export_csv.cpp): writes `file`, names `target` in errors.
[[nodiscard]] std::unique_ptr<Sink> make_csv_sink(const fs::path& file, const fs::path& target,
                                                  const ExportOptions& options);
/// A GDAL/OGR writer (track_export_ogr.cpp) with the GDAL driver `driver` ("GeoJSON",
/// "LIBKML", "GPX", "GPKG") for `format`. @throws ExportError (driver_missing, write_failed).
[[nodiscard]] std::unique_ptr<Sink> make_ogr_sink(ExportFormat format, const char* driver,
                                                  const fs::path& file, const fs::path& target,
                                                  const ExportOptions& options);

} // namespace sahil::store::export_sinks
