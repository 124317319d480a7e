// Track export: the format table, TrackExporter (temporary file, limits, parts at silences)
// and export_tracks; the writers are in track_export_csv.cpp and track_export_ogr.cpp. See
// track_export.hpp.
#include "server/store/track_export.hpp"

#include <algorithm>
#include <chrono>
#include <system_error>
#include <utility>

#include <cpl_error.h>
#include <cpl_string.h>
#include <fmt/format.h>

#include "server/store/track_export_sinks.hpp"

namespace sahil::store {

namespace export_sinks {

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

} // namespace export_sinks

namespace {

using export_sinks::clean_text;
using export_sinks::fail;
using export_sinks::QuietGdal;
using export_sinks::Sink;
using export_sinks::VesselBatch;

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
            d.sink = export_sinks::make_csv_sink(d.temp, d.target, d.options);
        } else {
            d.sink = export_sinks::make_ogr_sink(format, info(format).driver, d.temp, d.target,
                                                 d.options);
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
