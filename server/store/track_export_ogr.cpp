// The GDAL/OGR writers of track exports: GeoJSON, KML (LIBKML), GPX, GeoPackage
// (track_export_sinks.hpp).
#include <algorithm>
#include <mutex>
#include <optional>
#include <string>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogr_feature.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "server/store/track_export_sinks.hpp"

namespace sahil::store::export_sinks {
namespace {

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

class OgrSink final : public Sink {
public:
    OgrSink(ExportFormat format, const char* driver_name, const fs::path& file,
            const fs::path& target, const ExportOptions& options)
        : m_format(format), m_target(target), m_options(options) {
        static std::once_flag registered;
        std::call_once(registered, [] { GDALAllRegister(); });
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
        if (driver == nullptr) {
            fail(ExportErrc::driver_missing, target,
                 fmt::format("this GDAL build has no {} driver", driver_name));
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
    geo::GdalDatasetPtr m_ds;
    OGRLayer* m_points = nullptr; // fixes (GPX: track_points); null when not written
    OGRLayer* m_lines = nullptr;  // tracks; may equal m_points (GeoJSON)
    PointFields m_point_fields;
    LineFields m_line_fields;
    int m_track_fid = 0; // GPX: one <trk> per vessel
};

} // namespace

std::unique_ptr<Sink> make_ogr_sink(ExportFormat format, const char* driver, const fs::path& file,
                                    const fs::path& target, const ExportOptions& options) {
    return std::make_unique<OgrSink>(format, driver, file, target, options);
}

} // namespace sahil::store::export_sinks
