// The CSV writer of track exports (track_export_sinks.hpp).
#include <fstream>
#include <iterator>
#include <string>

#include <fmt/format.h>

#include "server/store/track_export_sinks.hpp"

namespace sahil::store::export_sinks {
namespace {

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

} // namespace

std::unique_ptr<Sink> make_csv_sink(const fs::path& file, const fs::path& target,
                                    const ExportOptions& options) {
    return std::make_unique<CsvSink>(file, target, options);
}

} // namespace sahil::store::export_sinks
