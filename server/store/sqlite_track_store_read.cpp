// tracks.db: the read side (scans over open and sealed fixes, static history); see
// sqlite_track_store.hpp.
#include "server/store/sqlite_track_store.hpp"

#include <algorithm>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "server/store/sqlite_track_store_internal.hpp"

namespace sahil::store {

using track_db::context;
using track_db::read_static;
using track_db::rtree_seconds;
using track_db::sort_by_time;

// ---------------------------------------------------------------------------------------------
// Readers.

namespace {

/// The fixes of a segment blob column into `out` (cleared first); a blob that does not decode
/// is reported as damage with the store and the vessel.
void decode_blob(const SQLite::Column& col, std::int64_t vessel, const TrackStoreConfig& config,
                 std::vector<TrackFix>& out) {
    out.clear();
    if (!decode_segment(std::span(static_cast<const std::uint8_t*>(col.getBlob()),
                                  static_cast<std::size_t>(col.getBytes())),
                        vessel, out)) {
        throw TrackStoreError(
            fmt::format("{}: a segment of vessel {} is damaged", context(config), vessel));
    }
}

} // namespace

void SqliteTrackStore::copy_open(std::int64_t vessel, std::vector<JournalFix>& out) const {
    const std::lock_guard lock(m_open_mutex);
    if (auto it = m_open.find(vessel); it != m_open.end()) {
        out = it->second.fixes;
    }
}

void SqliteTrackStore::copy_open_area(const GeoBox& box, const TimeWindow& window,
                                      std::map<std::int64_t, std::vector<JournalFix>>& out) const {
    const std::lock_guard lock(m_open_mutex);
    for (const auto& [vessel, seg] : m_open) {
        for (const auto& jf : seg.fixes) {
            if (window.contains(jf.fix.time_ms) && box.contains(jf.fix)) {
                out[vessel].push_back(jf);
            }
        }
    }
}

void SqliteTrackStore::scan_track(std::int64_t vessel, const TimeWindow& window,
                                  const FixVisitor& visit) const {
    std::vector<JournalFix> open;
    copy_open(vessel, open); // first: see the header on racing a seal
    std::vector<TrackFix> fixes;
    std::uint64_t sealed_seq = 0;
    try {
        auto lease = m_readers->take();
        SQLite::Statement q(lease.db(),
                            "SELECT data, last_seq FROM segments WHERE vessel = ? AND t0 >= ? "
                            "AND t0 <= ? AND t1 >= ? ORDER BY t0");
        const std::int64_t span_ms = std::int64_t{m_config.segment_span_s} * 1000;
        q.bind(1, vessel);
        q.bind(2, window.since_ms - span_ms);
        q.bind(3, window.until_ms);
        q.bind(4, window.since_ms);
        std::vector<TrackFix> segment;
        while (q.executeStep()) {
            decode_blob(q.getColumn(0), vessel, m_config, segment);
            sealed_seq =
                std::max(sealed_seq, static_cast<std::uint64_t>(q.getColumn(1).getInt64()));
            for (const auto& f : segment) {
                if (window.contains(f.time_ms)) {
                    fixes.push_back(f);
                }
            }
        }
    } catch (const SQLite::Exception& e) {
        throw TrackStoreError(fmt::format("{}: {}", context(m_config), e.what()));
    }
    for (const auto& jf : open) {
        if (jf.seq > sealed_seq && window.contains(jf.fix.time_ms)) {
            fixes.push_back(jf.fix);
        }
    }
    sort_by_time(fixes);
    for (const auto& f : fixes) {
        if (!visit(f)) {
            return;
        }
    }
}

void SqliteTrackStore::scan_area(const GeoBox& box, const TimeWindow& window,
                                 const FixVisitor& visit) const {
    std::map<std::int64_t, std::vector<JournalFix>> open;
    copy_open_area(box, window, open);
    std::map<std::int64_t, std::pair<std::uint64_t, std::vector<TrackFix>>> found;
    try {
        auto lease = m_readers->take();
        SQLite::Statement q(
            lease.db(),
            "SELECT s.vessel, s.last_seq, s.data FROM segments_rtree r JOIN segments s ON s.id = "
            "r.id WHERE r.lon0 <= ? AND r.lon1 >= ? AND r.lat0 <= ? AND r.lat1 >= ? AND r.ts0 <= ? "
            "AND r.ts1 >= ?");
        q.bind(1, box.east_e6);
        q.bind(2, box.west_e6);
        q.bind(3, box.north_e6);
        q.bind(4, box.south_e6);
        q.bind(5, rtree_seconds(window.until_ms, true));
        q.bind(6, rtree_seconds(window.since_ms, false));
        std::vector<TrackFix> segment;
        while (q.executeStep()) {
            const std::int64_t vessel = q.getColumn(0).getInt64();
            decode_blob(q.getColumn(2), vessel, m_config, segment);
            auto& [seq, fixes] = found[vessel];
            seq = std::max(seq, static_cast<std::uint64_t>(q.getColumn(1).getInt64()));
            for (const auto& f : segment) {
                if (window.contains(f.time_ms) && box.contains(f)) {
                    fixes.push_back(f);
                }
            }
        }
    } catch (const SQLite::Exception& e) {
        throw TrackStoreError(fmt::format("{}: {}", context(m_config), e.what()));
    }
    for (auto& [vessel, list] : open) {
        auto& [seq, fixes] = found[vessel];
        for (const auto& jf : list) {
            if (jf.seq > seq) {
                fixes.push_back(jf.fix);
            }
        }
    }
    for (auto& [vessel, entry] : found) {
        auto& fixes = entry.second;
        sort_by_time(fixes);
        for (const auto& f : fixes) {
            if (!visit(f)) {
                return;
            }
        }
    }
}

std::vector<StaticRecord> SqliteTrackStore::static_history(std::int64_t vessel,
                                                           std::int64_t until_ms) const {
    std::vector<StaticRecord> out;
    try {
        auto lease = m_readers->take();
        SQLite::Statement q(lease.db(),
                            "SELECT vessel, time_ms, name, call_sign, imo, ship_type, destination "
                            "FROM static_reports WHERE vessel = ? AND time_ms <= ? ORDER BY "
                            "time_ms, id");
        q.bind(1, vessel);
        q.bind(2, until_ms);
        while (q.executeStep()) {
            out.push_back(read_static(q));
        }
    } catch (const SQLite::Exception& e) {
        throw TrackStoreError(fmt::format("{}: {}", context(m_config), e.what()));
    }
    return out;
}

std::vector<StaticRecord> SqliteTrackStore::find_by_name(const std::string& text,
                                                         std::size_t limit) const {
    std::vector<StaticRecord> out;
    std::string pattern = "%";
    for (const char c : text) {
        if (c == '%' || c == '_' || c == '\\') {
            pattern += '\\';
        }
        pattern += c;
    }
    pattern += '%';
    try {
        auto lease = m_readers->take();
        SQLite::Statement q(
            lease.db(),
            "SELECT s.vessel, s.time_ms, s.name, s.call_sign, s.imo, s.ship_type, s.destination "
            "FROM static_reports s WHERE s.id IN (SELECT max(id) FROM static_reports WHERE name "
            "LIKE ?1 ESCAPE '\\' OR call_sign LIKE ?1 ESCAPE '\\' GROUP BY vessel) ORDER BY "
            "s.vessel LIMIT ?2");
        q.bind(1, pattern);
        q.bind(2, static_cast<std::int64_t>(limit));
        while (q.executeStep()) {
            out.push_back(read_static(q));
        }
    } catch (const SQLite::Exception& e) {
        throw TrackStoreError(fmt::format("{}: {}", context(m_config), e.what()));
    }
    return out;
}

} // namespace sahil::store
