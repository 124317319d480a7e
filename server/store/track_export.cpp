// Track export; see track_export.hpp.
#include "server/store/track_export.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <mutex>
#include <system_error>
#include <utility>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogr_feature.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

namespace sahil::store {
namespace {

namespace fs = std::filesystem;

/// Name (= file extension), GDAL driver ("" = written here) and MIME type of each format.
struct FormatInfo {
    ExportFormat format;
    std::string_view name;
    const char* driver;
    std::string_view mime;
};
constexpr FormatInfo format_table[] = {
    {ExportFormat::geojson, "geojson", "GeoJSON", "application/geo+json"},
    {ExportFormat::kml, "kml", "LIBKML", "application/vnd.google-earth.kml+xml"},
    {ExportFormat::gpx, "gpx", "GPX", "application/gpx+xml"},
    {ExportFormat::csv, "csv", "", "text/csv"},
    {ExportFormat::gpkg, "gpkg", "GPKG", "application/geopackage+sqlite3"},
};
static_assert(std::size(format_table) == 5 && format_table[4].format == ExportFormat::gpkg);

const FormatInfo& info(ExportFormat format) noexcept {
    return format_table[static_cast<std::size_t>(format)];
}

/// Silences GDAL's stderr printer on this thread (the library layer does not log; failures are
/// reported through ExportError) and restores it afterwards.
class QuietGdal {
public:
    QuietGdal() { CPLPushErrorHandler(CPLQuietErrorHandler); }
    ~QuietGdal() { CPLPopErrorHandler(); }
    QuietGdal(const QuietGdal&) = delete;
    QuietGdal& operator=(const QuietGdal&) = delete;
};

/// Sets a GDAL configuration option for this thread only, restoring the previous value.
class ThreadConfig {
public:
    ThreadConfig(const char* key, const char* value) : m_key(key) {
        const char* old = CPLGetThreadLocalConfigOption(key, nullptr);
        if (old != nullptr) {
            m_old = old;
        }
        CPLSetThreadLocalConfigOption(key, value);
    }
    ~ThreadConfig() { CPLSetThreadLocalConfigOption(m_key, m_old ? m_old->c_str() : nullptr); }
    ThreadConfig(const ThreadConfig&) = delete;
    ThreadConfig& operator=(const ThreadConfig&) = delete;

private:
    const char* m_key;
    std::optional<std::string> m_old;
};

struct DatasetCloser {
    void operator()(GDALDataset* ds) const noexcept { GDALClose(GDALDataset::ToHandle(ds)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

[[noreturn]] void fail(ExportErrc code, const fs::path& file, std::string_view what) {
    throw ExportError(code, fmt::format("{}: {}", file.string(), what));
}

[[noreturn]] void fail_gdal(const fs::path& file, const std::string& what) {
    const int number = CPLGetLastErrorNo();
    const std::string gdal_message = CPLGetLastErrorMsg();
    std::string message = fmt::format("{}: {}", file.string(), what);
    if (!gdal_message.empty()) {
        message += fmt::format(" (GDAL error {}: {})", number, gdal_message);
    }
    throw ExportError(ExportErrc::write_failed, message, number);
}

/// A UTC instant split into calendar fields.
struct UtcParts {
    int year, month, day, hour, minute, second, millisecond;
};

UtcParts utc_parts(std::int64_t unix_ms) {
    using namespace std::chrono;
    const sys_time<milliseconds> instant{milliseconds{unix_ms}};
    const sys_days day = floor<days>(instant);
    const year_month_day ymd{day};
    const std::int64_t in_day = (instant - day).count(); // 0..86'399'999
    return {static_cast<int>(ymd.year()),
            static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day())),
            static_cast<int>(in_day / 3'600'000),
            static_cast<int>(in_day / 60'000 % 60),
            static_cast<int>(in_day / 1000 % 60),
            static_cast<int>(in_day % 1000)};
}

/// "2026-03-15T19:54:30.000Z".
std::string iso8601_ms(std::int64_t unix_ms) {
    const UtcParts p = utc_parts(unix_ms);
    return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", p.year, p.month, p.day,
                       p.hour, p.minute, p.second, p.millisecond);
}

/// Untrusted text made safe to hand to any writer: control characters become spaces; a text
/// that is not valid UTF-8 has its non-ASCII bytes replaced by '?'.
std::string clean_text(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            c = ' ';
        }
    }
    if (CPLIsUTF8(out.c_str(), static_cast<int>(out.size())) == 0) {
        for (char& c : out) {
            if (static_cast<unsigned char>(c) >= 0x80) {
                c = '?';
            }
        }
    }
    return out;
}

std::string source_label(const ExportOptions& options, std::uint16_t id) {
    if (id == 0) {
        return {};
    }
    std::string name = options.source_name ? clean_text(options.source_name(id)) : std::string{};
    return name.empty() ? std::to_string(id) : name;
}

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

// ---- CSV -------------------------------------------------------------------------------------

/// Appends a text cell: formula characters neutralised, then RFC 4180 quoting if needed.
void put_text(std::string& row, std::string_view text) {
    std::string cell;
    if (!text.empty() &&
        std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
        cell = "'";
    }
    cell += text;
    if (cell.find_first_of(",\"\r\n") == std::string::npos) {
        row += cell;
        return;
    }
    row += '"';
    for (const char c : cell) {
        row += c;
        if (c == '"') {
            row += '"';
        }
    }
    row += '"';
}

/// Fixed-point decimal of an integer with `decimals` digits (exact: no binary rounding).
std::string fixed_point(std::int64_t value, int decimals, std::int64_t scale) {
    const std::int64_t magnitude = value < 0 ? -value : value;
    return fmt::format("{}{}.{:0{}d}", value < 0 ? "-" : "", magnitude / scale, magnitude % scale,
                       decimals);
}

class CsvSink final : public Sink {
public:
    CsvSink(const fs::path& file, const fs::path& target, const ExportOptions& options)
        : m_target(target), m_options(options) {
        m_out.open(file, std::ios::binary | std::ios::trunc);
        if (!m_out) {
            fail(ExportErrc::write_failed, target, "cannot create the file");
        }
        m_out << "mmsi,name,time_utc,received_utc,lat_deg,lon_deg,sog_kn,cog_deg,heading_deg,"
                 "nav_status,message_type,source\r\n";
    }

    void write(const VesselBatch& batch, ExportSummary& summary) override {
        std::string row;
        for (const TrackFix& f : batch.fixes) {
            row.clear();
            row += std::to_string(batch.vessel);
            row += ',';
            put_text(row, batch.name);
            fmt::format_to(std::back_inserter(row), ",{},{},{},{},", iso8601_ms(f.time_ms),
                           iso8601_ms(f.received_ms), fixed_point(f.lat_e6, 6, 1'000'000),
                           fixed_point(f.lon_e6, 6, 1'000'000));
            // Not available (-1; message type 0 = not AIS) is an empty cell.
            const auto tenths = [](int v) { return v < 0 ? std::string{} : fixed_point(v, 1, 10); };
            const auto whole = [](int v) { return v < 0 ? std::string{} : std::to_string(v); };
            fmt::format_to(std::back_inserter(row), "{},{},{},{},{},", tenths(f.sog_dkn),
                           tenths(f.cog_ddeg), whole(f.heading), whole(f.nav_status),
                           f.message_type == 0 ? std::string{} : std::to_string(f.message_type));
            put_text(row, source_label(m_options, f.source));
            row += "\r\n";
            m_out << row;
        }
        if (!m_out) {
            fail(ExportErrc::write_failed, m_target, "write failed");
        }
        summary.point_features += batch.fixes.size();
    }

    void close() override {
        m_out.close();
        if (!m_out) {
            fail(ExportErrc::write_failed, m_target, "cannot complete the file");
        }
    }

private:
    fs::path m_target;
    const ExportOptions& m_options;
    std::ofstream m_out;
};

// ---- GDAL/OGR formats ------------------------------------------------------------------------

class OgrSink final : public Sink {
public:
    OgrSink(ExportFormat format, const fs::path& file, const fs::path& target,
            const ExportOptions& options)
        : m_format(format), m_target(target), m_options(options) {
        static std::once_flag registered;
        std::call_once(registered, [] { GDALAllRegister(); });
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(info(format).driver);
        if (driver == nullptr) {
            fail(ExportErrc::driver_missing, target,
                 fmt::format("this GDAL build has no {} driver", info(format).driver));
        }
        CPLStringList dataset_options;
        if (format == ExportFormat::gpx) {
            dataset_options.SetNameValue("GPX_USE_EXTENSIONS", "YES");
        }
        CPLErrorReset();
        m_ds.reset(driver->Create(file.c_str(), 0, 0, 0, GDT_Unknown, dataset_options.List()));
        if (!m_ds) {
            fail_gdal(m_target, "cannot create the file");
        }
        if (m_wgs84.importFromEPSG(4326) != OGRERR_NONE) {
            fail_gdal(m_target, "cannot build the WGS 84 (EPSG:4326) CRS");
        }
        m_wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER); // x = longitude
        create_layers();
    }

    void write(const VesselBatch& batch, ExportSummary& summary) override {
        // LIBKML maps these fields onto <TimeStamp> and <TimeSpan> when it writes a feature.
        std::optional<ThreadConfig> stamp, begin, end;
        if (m_format == ExportFormat::kml) {
            stamp.emplace("LIBKML_TIMESTAMP_FIELD", "time");
            begin.emplace("LIBKML_BEGIN_FIELD", "first_time");
            end.emplace("LIBKML_END_FIELD", "last_time");
        }
        CPLErrorReset(); // so that a failure reports its own GDAL message
        // One transaction per vessel: GeoPackage would otherwise commit every feature.
        const bool transaction = m_ds->StartTransaction(FALSE) == OGRERR_NONE;
        if (m_points != nullptr) {
            write_points(batch);
            summary.point_features += batch.fixes.size();
        }
        if (m_format == ExportFormat::gpx) {
            ++summary.line_features; // the vessel's <trk>
        } else if (m_lines != nullptr && write_line(batch)) {
            ++summary.line_features;
        }
        if (transaction && m_ds->CommitTransaction() != OGRERR_NONE) {
            fail_gdal(m_target, fmt::format("cannot commit vessel {}", batch.vessel));
        }
        ++m_track_fid;
    }

    void close() override {
        CPLErrorReset();
        m_ds.reset(); // drivers write their last bytes (bounds, closing tags, KML document) here
        if (CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal) {
            fail_gdal(m_target, "cannot complete the file");
        }
    }

private:
    struct PointFields {
        int mmsi = -1, name = -1, time = -1, received = -1, sog = -1, cog = -1, heading = -1,
            nav_status = -1, message_type = -1, source = -1, track_fid = -1, track_seg = -1,
            track_name = -1;
    };
    struct LineFields {
        int mmsi = -1, name = -1, first_time = -1, last_time = -1, fixes = -1;
    };

    OGRLayer* create_layer(const char* name, OGRwkbGeometryType type) {
        CPLStringList layer_options;
        if (m_format == ExportFormat::geojson) {
            layer_options.SetNameValue("RFC7946", "YES");
            layer_options.SetNameValue("COORDINATE_PRECISION", "6"); // microdegrees
        }
        OGRLayer* layer = m_ds->CreateLayer(name, &m_wgs84, type, layer_options.List());
        if (layer == nullptr) {
            fail_gdal(m_target, fmt::format("cannot create layer '{}'", name));
        }
        return layer;
    }

    int add_field(OGRLayer* layer, const char* name, OGRFieldType type) {
        const int existing = layer->GetLayerDefn()->GetFieldIndex(name);
        if (existing >= 0) {
            return existing;
        }
        OGRFieldDefn defn(name, type);
        if (layer->CreateField(&defn) != OGRERR_NONE) {
            fail_gdal(m_target, fmt::format("cannot create field '{}'", name));
        }
        return layer->GetLayerDefn()->GetFieldIndex(name);
    }

    void create_layers() {
        const bool gpx = m_format == ExportFormat::gpx;
        if (gpx) {
            m_points = create_layer("track_points", wkbPoint); // grouped into trk/trkseg
        } else if (m_format == ExportFormat::geojson) {
            // GeoJSON holds one layer: points and lines share it when both are asked for.
            const OGRwkbGeometryType type = !m_options.lines    ? wkbPoint
                                            : !m_options.points ? wkbMultiLineString
                                                                : wkbUnknown;
            OGRLayer* layer = create_layer(m_options.lines ? "tracks" : "fixes", type);
            m_points = m_options.points ? layer : nullptr;
            m_lines = m_options.lines ? layer : nullptr;
        } else {
            m_points = m_options.points ? create_layer("fixes", wkbPoint) : nullptr;
            m_lines = m_options.lines ? create_layer("tracks", wkbMultiLineString) : nullptr;
        }
        // XML formats get `received` as ISO 8601 text: their drivers print other DateTime
        // fields as "2026/03/15 19:54:30.123+00".
        const bool xml = gpx || m_format == ExportFormat::kml;
        if (m_points != nullptr) {
            PointFields& f = m_point_fields;
            if (gpx) {
                f.track_fid = add_field(m_points, "track_fid", OFTInteger);
                f.track_seg = add_field(m_points, "track_seg_id", OFTInteger);
                f.track_name = add_field(m_points, "track_name", OFTString);
            } else {
                f.name = add_field(m_points, "name", OFTString);
            }
            f.mmsi = add_field(m_points, "mmsi", OFTInteger64);
            f.time = add_field(m_points, "time", OFTDateTime);
            f.received = add_field(m_points, "received", xml ? OFTString : OFTDateTime);
            f.sog = add_field(m_points, "sog_kn", OFTReal);
            f.cog = add_field(m_points, "cog_deg", OFTReal);
            f.heading = add_field(m_points, "heading_deg", OFTInteger);
            f.nav_status = add_field(m_points, "nav_status", OFTInteger);
            f.message_type = add_field(m_points, "message_type", OFTInteger);
            f.source = add_field(m_points, "source", OFTString);
        }
        if (m_lines != nullptr) {
            LineFields& f = m_line_fields;
            f.mmsi = add_field(m_lines, "mmsi", OFTInteger64);
            f.name = add_field(m_lines, "name", OFTString);
            f.first_time = add_field(m_lines, "first_time", OFTDateTime);
            f.last_time = add_field(m_lines, "last_time", OFTDateTime);
            f.fixes = add_field(m_lines, "fixes", OFTInteger64);
        }
    }

    static void set_time(OGRFeature& feature, int field, std::int64_t unix_ms) {
        const UtcParts p = utc_parts(unix_ms);
        const auto seconds = static_cast<float>(p.second + p.millisecond / 1000.0);
        feature.SetField(field, p.year, p.month, p.day, p.hour, p.minute, seconds, 100); // 100=UTC
    }

    /// The <name> of KML placemarks and GPX tracks; the `name` attribute elsewhere (null when
    /// unknown, the MMSI being its own attribute).
    void set_name(OGRFeature& feature, int field, const VesselBatch& batch) const {
        if (m_format == ExportFormat::kml || m_format == ExportFormat::gpx) {
            feature.SetField(field, batch.label.c_str());
        } else if (!batch.name.empty()) {
            feature.SetField(field, batch.name.c_str());
        }
    }

    void write_points(const VesselBatch& batch) {
        const PointFields& pf = m_point_fields;
        const bool text_received = m_format == ExportFormat::kml || m_format == ExportFormat::gpx;
        for (std::size_t part = 0; part + 1 < batch.bounds.size(); ++part) {
            for (std::size_t i = batch.bounds[part]; i < batch.bounds[part + 1]; ++i) {
                const TrackFix& fix = batch.fixes[i];
                OGRFeature feature(m_points->GetLayerDefn());
                if (pf.track_fid >= 0) {
                    feature.SetField(pf.track_fid, m_track_fid);
                    feature.SetField(pf.track_seg, static_cast<int>(part));
                    feature.SetField(pf.track_name, batch.label.c_str());
                } else {
                    set_name(feature, pf.name, batch);
                }
                feature.SetField(pf.mmsi, static_cast<GIntBig>(batch.vessel));
                set_time(feature, pf.time, fix.time_ms);
                if (text_received) {
                    feature.SetField(pf.received, iso8601_ms(fix.received_ms).c_str());
                } else {
                    set_time(feature, pf.received, fix.received_ms);
                }
                if (fix.sog_dkn >= 0) {
                    feature.SetField(pf.sog, fix.sog_dkn / 10.0);
                }
                if (fix.cog_ddeg >= 0) {
                    feature.SetField(pf.cog, fix.cog_ddeg / 10.0);
                }
                if (fix.heading >= 0) {
                    feature.SetField(pf.heading, static_cast<int>(fix.heading));
                }
                if (fix.nav_status >= 0) {
                    feature.SetField(pf.nav_status, static_cast<int>(fix.nav_status));
                }
                if (fix.message_type != 0) {
                    feature.SetField(pf.message_type, static_cast<int>(fix.message_type));
                }
                const std::string source = source_label(m_options, fix.source);
                if (!source.empty()) {
                    feature.SetField(pf.source, source.c_str());
                }
                OGRPoint point(fix.lon_e6 / 1e6, fix.lat_e6 / 1e6);
                feature.SetGeometry(&point);
                if (m_points->CreateFeature(&feature) != OGRERR_NONE) {
                    fail_gdal(m_target,
                              fmt::format("cannot write fix {} of vessel {}", i, batch.vessel));
                }
            }
        }
    }

    /// Writes the vessel's line; false (nothing written) if no part has two fixes.
    bool write_line(const VesselBatch& batch) {
        OGRMultiLineString lines;
        for (std::size_t part = 0; part + 1 < batch.bounds.size(); ++part) {
            const std::size_t first = batch.bounds[part];
            const std::size_t count = batch.bounds[part + 1] - first;
            if (count < 2) {
                continue;
            }
            OGRLineString line;
            line.setNumPoints(static_cast<int>(count));
            for (std::size_t k = 0; k < count; ++k) {
                const TrackFix& fix = batch.fixes[first + k];
                line.setPoint(static_cast<int>(k), fix.lon_e6 / 1e6, fix.lat_e6 / 1e6);
            }
            lines.addGeometry(&line);
        }
        if (lines.IsEmpty()) {
            return false;
        }
        const LineFields& lf = m_line_fields;
        OGRFeature feature(m_lines->GetLayerDefn());
        feature.SetField(lf.mmsi, static_cast<GIntBig>(batch.vessel));
        set_name(feature, lf.name, batch);
        set_time(feature, lf.first_time, batch.fixes.front().time_ms);
        set_time(feature, lf.last_time, batch.fixes.back().time_ms);
        feature.SetField(lf.fixes, static_cast<GIntBig>(batch.fixes.size()));
        feature.SetGeometry(&lines);
        if (m_lines->CreateFeature(&feature) != OGRERR_NONE) {
            fail_gdal(m_target, fmt::format("cannot write the track of vessel {}", batch.vessel));
        }
        return true;
    }

    ExportFormat m_format;
    fs::path m_target;
    const ExportOptions& m_options;
    OGRSpatialReference m_wgs84;
    DatasetPtr m_ds;
    OGRLayer* m_points = nullptr; // fixes (GPX: track_points); null when not written
    OGRLayer* m_lines = nullptr;  // tracks; may equal m_points (GeoJSON)
    PointFields m_point_fields;
    LineFields m_line_fields;
    int m_track_fid = 0; // GPX: one <trk> per vessel
};

void validate_options(const ExportOptions& options) {
    if (!options.points && !options.lines) {
        throw ExportError(ExportErrc::invalid_options,
                          "export options: at least one of points and lines must be set");
    }
    if (options.max_gap_s <= 0) {
        throw ExportError(
            ExportErrc::invalid_options,
            fmt::format("export options: max_gap_s must be > 0 (is {})", options.max_gap_s));
    }
}

[[noreturn]] void too_many_fixes(std::string_view count, std::size_t max_fixes) {
    throw ExportError(ExportErrc::too_many_fixes,
                      fmt::format("export of {} fixes exceeds the limit of {}{}; "
                                  "narrow the time window or the list of vessels",
                                  count, max_fixes,
                                  max_fixes == kml_max_fixes
                                      ? " (KML exports: GDAL's LIBKML writer slows down with "
                                        "the square of the features; GeoPackage or GPX take "
                                        "more)"
                                      : " (max_fixes)"));
}

/// Removes `file` and the side files SQLite may leave beside a GeoPackage; ignores failures.
void remove_quietly(const fs::path& file) noexcept {
    std::error_code ec;
    fs::remove(file, ec);
    for (const char* suffix : {"-journal", "-wal", "-shm"}) {
        fs::remove(fs::path(file.string() + suffix), ec);
    }
}

} // namespace

ExportError::ExportError(ExportErrc code, const std::string& message, int gdal_error)
    : std::runtime_error(message), m_code(code), m_gdal_error(gdal_error) {}

std::optional<ExportFormat> parse_export_format(std::string_view text) noexcept {
    for (const FormatInfo& f : format_table) {
        const std::string_view name = f.name;
        if (std::equal(text.begin(), text.end(), name.begin(), name.end(), [](char a, char b) {
                return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
            })) {
            return f.format;
        }
    }
    return std::nullopt;
}

std::string_view to_string(ExportFormat format) noexcept {
    return info(format).name;
}
std::string_view file_extension(ExportFormat format) noexcept {
    return info(format).name;
}
std::string_view mime_type(ExportFormat format) noexcept {
    return info(format).mime;
}

struct TrackExporter::Impl {
    fs::path target;
    fs::path temp;
    ExportOptions options;
    std::unique_ptr<Sink> sink; // null once closed
    ExportSummary summary;
};

TrackExporter::TrackExporter(std::filesystem::path path, ExportFormat format, ExportOptions options)
    : m_impl(std::make_unique<Impl>()) {
    validate_options(options);
    if (format == ExportFormat::kml) {
        options.max_fixes = std::min(options.max_fixes, kml_max_fixes); // see kml_max_fixes
    }
    Impl& d = *m_impl;
    d.options = std::move(options);
    d.target = std::move(path);
    // Same directory (rename stays atomic), same extension (LIBKML picks KML/KMZ by it).
    d.temp = d.target.parent_path() /
             fmt::format(".{}.part.{}", d.target.filename().string(), file_extension(format));
    const QuietGdal quiet;
    remove_quietly(d.temp); // a leftover of a crashed export
    try {
        if (format == ExportFormat::csv) {
            d.sink = std::make_unique<CsvSink>(d.temp, d.target, d.options);
        } else {
            d.sink = std::make_unique<OgrSink>(format, d.temp, d.target, d.options);
        }
    } catch (...) {
        remove_quietly(d.temp);
        throw;
    }
}

TrackExporter::~TrackExporter() {
    abort();
}

void TrackExporter::add_vessel(std::int64_t vessel, std::string_view name,
                               std::span<const TrackFix> fixes) {
    Impl& d = *m_impl;
    if (!d.sink) {
        fail(ExportErrc::invalid_options, d.target, "export already closed");
    }
    if (fixes.empty()) {
        return;
    }
    const QuietGdal quiet;
    try {
        if (fixes.size() > d.options.max_fixes - std::min(d.summary.fixes, d.options.max_fixes)) {
            too_many_fixes(fmt::format("at least {}", d.summary.fixes + fixes.size()),
                           d.options.max_fixes);
        }
        VesselBatch batch;
        batch.vessel = vessel;
        batch.name = clean_text(name);
        batch.label = batch.name.empty() ? std::to_string(vessel) : batch.name;
        batch.fixes = fixes;
        batch.bounds.push_back(0);
        const std::int64_t max_gap_ms = std::int64_t{d.options.max_gap_s} * 1000;
        for (std::size_t i = 1; i < fixes.size(); ++i) {
            const std::int64_t step = fixes[i].time_ms - fixes[i - 1].time_ms;
            if (step < 0) {
                fail(ExportErrc::unordered_fixes, d.target,
                     fmt::format("fixes of vessel {} are not in time order (fix {} is earlier "
                                 "than fix {})",
                                 vessel, i, i - 1));
            }
            if (step > max_gap_ms) {
                batch.bounds.push_back(i);
            }
        }
        batch.bounds.push_back(fixes.size());
        d.sink->write(batch, d.summary);
        d.summary.fixes += fixes.size();
        ++d.summary.vessels;
    } catch (...) {
        abort();
        throw;
    }
}

ExportSummary TrackExporter::finish() {
    Impl& d = *m_impl;
    if (!d.sink) {
        fail(ExportErrc::invalid_options, d.target, "export already closed");
    }
    const QuietGdal quiet;
    try {
        d.sink->close();
        d.sink.reset();
        std::error_code ec;
        fs::rename(d.temp, d.target, ec);
        if (ec) {
            fail(ExportErrc::write_failed, d.target,
                 "cannot move the finished file into place: " + ec.message());
        }
        d.summary.bytes = fs::file_size(d.target, ec);
    } catch (...) {
        abort();
        throw;
    }
    return d.summary;
}

void TrackExporter::abort() noexcept {
    Impl& d = *m_impl;
    if (!d.sink) {
        return;
    }
    const QuietGdal quiet;
    d.sink.reset();
    remove_quietly(d.temp);
}

ExportSummary export_tracks(const TrackStore& store, std::span<const ExportVessel> vessels,
                            const TimeWindow& window, const std::filesystem::path& path,
                            ExportFormat format, ExportOptions options) {
    validate_options(options);
    if (format == ExportFormat::kml && options.max_fixes > kml_max_fixes) {
        options.max_fixes = kml_max_fixes; // LIBKML's writing time grows with the square
    }
    // Count first (without keeping fixes), so that a refused export creates no file at all.
    std::size_t total = 0;
    for (const ExportVessel& v : vessels) {
        store.scan_track(v.vessel, window,
                         [&](const TrackFix&) { return ++total <= options.max_fixes; });
        if (total > options.max_fixes) {
            too_many_fixes(fmt::format("more than {}", options.max_fixes), options.max_fixes);
        }
    }
    if (!options.source_name) {
        options.source_name = [&store](std::uint16_t id) { return store.source_name(id); };
    }
    TrackExporter exporter(path, format, std::move(options));
    std::vector<TrackFix> fixes; // one vessel at a time
    for (const ExportVessel& v : vessels) {
        fixes.clear();
        store.scan_track(v.vessel, window, [&](const TrackFix& f) {
            fixes.push_back(f);
            return true;
        });
        std::string name = v.name;
        if (name.empty()) {
            const std::vector<StaticRecord> history =
                store.static_history(v.vessel, window.until_ms);
            const auto named = std::find_if(history.rbegin(), history.rend(),
                                            [](const StaticRecord& r) { return !r.name.empty(); });
            if (named != history.rend()) {
                name = named->name;
            }
        }
        exporter.add_vessel(v.vessel, name, fixes);
    }
    return exporter.finish();
}

} // namespace sahil::store
