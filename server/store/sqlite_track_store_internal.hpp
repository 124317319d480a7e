// Internals of SqliteTrackStore shared by its source files (sqlite_track_store.cpp: writer and
// retention; sqlite_track_store_open.cpp: schema, opening, recovery; sqlite_track_store_read.cpp:
// readers). Not part of the store's interface: include only from those files.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "server/store/sqlite_track_store.hpp"

namespace sahil::store::track_db {

inline constexpr int schema_version = 1;
/// PRAGMA application_id of tracks.db ("SHTK"), so a wrong file is refused by name.
inline constexpr int application_id = 0x5348544B;
/// The R*Tree's time axis is int32 seconds since 2000-01-01T00:00:00Z (good until 2068).
inline constexpr std::int64_t rtree_epoch_s = 946'684'800;
inline constexpr std::int64_t ms_per_day = 86'400'000;

inline constexpr const char* schema_sql = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE sources(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE segments(
  id INTEGER PRIMARY KEY,
  vessel INTEGER NOT NULL,
  t0 INTEGER NOT NULL,        -- first fix time, Unix ms
  t1 INTEGER NOT NULL,        -- last fix time, Unix ms (same time bucket as t0)
  n INTEGER NOT NULL,         -- fixes in data
  last_seq INTEGER NOT NULL,  -- write sequence number of the last fix
  level INTEGER NOT NULL DEFAULT 0, -- 0 = every fix, 1 = downsampled by retention
  data BLOB NOT NULL);
CREATE INDEX segments_vessel_time ON segments(vessel, t0);
CREATE VIRTUAL TABLE segments_rtree USING rtree_i32(id, lon0, lon1, lat0, lat1, ts0, ts1);
CREATE TABLE vessel_heads(
  vessel INTEGER PRIMARY KEY,
  last_seq INTEGER NOT NULL,  -- sequence number of the vessel's newest sealed fix
  last_time INTEGER NOT NULL, -- its fix time, Unix ms
  sealed_fixes INTEGER NOT NULL);
CREATE TABLE journal(id INTEGER PRIMARY KEY, n INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE static_reports(
  id INTEGER PRIMARY KEY,
  vessel INTEGER NOT NULL,
  time_ms INTEGER NOT NULL,
  name TEXT NOT NULL,
  call_sign TEXT NOT NULL,
  imo INTEGER,
  ship_type INTEGER,
  destination TEXT NOT NULL);
CREATE INDEX static_reports_vessel ON static_reports(vessel, time_ms);
)sql";

inline std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

inline std::int32_t rtree_seconds(std::int64_t ms, bool round_up) {
    std::int64_t s = floor_div(ms, 1000);
    if (round_up && ms % 1000 != 0) {
        ++s;
    }
    s -= rtree_epoch_s;
    s = std::clamp<std::int64_t>(s, std::numeric_limits<std::int32_t>::min(),
                                 std::numeric_limits<std::int32_t>::max());
    return static_cast<std::int32_t>(s);
}

inline bool valid_fix(const TrackFix& f) {
    return f.vessel > 0 && f.time_ms > 0 && f.received_ms > 0 && f.lat_e6 >= -90'000'000 &&
           f.lat_e6 <= 90'000'000 && f.lon_e6 >= -180'000'000 && f.lon_e6 <= 180'000'000 &&
           f.sog_dkn >= -1 && f.sog_dkn <= 1022 && f.cog_ddeg >= -1 && f.cog_ddeg <= 3599 &&
           f.heading >= -1 && f.heading <= 359 && f.nav_status >= -1 && f.nav_status <= 15;
}

inline std::string context(const TrackStoreConfig& c) {
    return fmt::format("tracks store {}", c.path);
}

inline void sort_by_time(std::vector<TrackFix>& fixes) {
    const auto by_time = [](const TrackFix& a, const TrackFix& b) { return a.time_ms < b.time_ms; };
    if (!std::is_sorted(fixes.begin(), fixes.end(), by_time)) {
        std::stable_sort(fixes.begin(), fixes.end(), by_time);
    }
}

inline StaticRecord read_static(SQLite::Statement& q) {
    StaticRecord r;
    r.vessel = q.getColumn(0).getInt64();
    r.time_ms = q.getColumn(1).getInt64();
    r.name = q.getColumn(2).getString();
    r.call_sign = q.getColumn(3).getString();
    if (!q.getColumn(4).isNull()) {
        r.imo = static_cast<std::uint32_t>(q.getColumn(4).getInt64());
    }
    if (!q.getColumn(5).isNull()) {
        r.ship_type = q.getColumn(5).getInt();
    }
    r.destination = q.getColumn(6).getString();
    return r;
}

inline bool same_static(const StaticRecord& a, const StaticRecord& b) {
    return a.name == b.name && a.call_sign == b.call_sign && a.imo == b.imo &&
           a.ship_type == b.ship_type && a.destination == b.destination;
}

} // namespace sahil::store::track_db

namespace sahil::store {

// ---------------------------------------------------------------------------------------------
// Read-only connections, lent to one scan at a time.

class SqliteTrackStore::ReaderPool {
public:
    explicit ReaderPool(std::string path) : m_path(std::move(path)) {}

    class Lease {
    public:
        Lease(ReaderPool& pool, std::unique_ptr<SQLite::Database> db)
            : m_pool(pool), m_db(std::move(db)) {}
        ~Lease() { m_pool.give_back(std::move(m_db)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        SQLite::Database& db() { return *m_db; }

    private:
        ReaderPool& m_pool;
        std::unique_ptr<SQLite::Database> m_db;
    };

    Lease take() {
        {
            const std::lock_guard lock(m_mutex);
            if (!m_idle.empty()) {
                auto db = std::move(m_idle.back());
                m_idle.pop_back();
                return Lease(*this, std::move(db));
            }
        }
        auto db = std::make_unique<SQLite::Database>(m_path, SQLite::OPEN_READONLY);
        db->setBusyTimeout(5000);
        return Lease(*this, std::move(db));
    }

private:
    void give_back(std::unique_ptr<SQLite::Database> db) {
        if (!db) {
            return;
        }
        const std::lock_guard lock(m_mutex);
        if (m_idle.size() < 8) {
            m_idle.push_back(std::move(db));
        }
    }

    std::string m_path;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<SQLite::Database>> m_idle;
};

// ---------------------------------------------------------------------------------------------
// The writer's prepared statements.

struct SqliteTrackStore::Statements {
    explicit Statements(SQLite::Database& db)
        : journal(db, "INSERT INTO journal(n, data) VALUES(?, ?)"),
          segment(db, "INSERT INTO segments(vessel, t0, t1, n, last_seq, data) "
                      "VALUES(?, ?, ?, ?, ?, ?)"),
          rtree(db, "INSERT INTO segments_rtree VALUES(?, ?, ?, ?, ?, ?, ?)"),
          head(db, "INSERT INTO vessel_heads(vessel, last_seq, last_time, sealed_fixes) "
                   "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(vessel) DO UPDATE SET last_seq = ?2, "
                   "last_time = ?3, sealed_fixes = sealed_fixes + ?4"),
          meta(db, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET "
                   "value = excluded.value"),
          last_static(db, "SELECT vessel, time_ms, name, call_sign, imo, ship_type, destination "
                          "FROM static_reports WHERE vessel = ? ORDER BY time_ms DESC, id DESC "
                          "LIMIT 1"),
          insert_static(db, "INSERT INTO static_reports(vessel, time_ms, name, call_sign, imo, "
                            "ship_type, destination) VALUES(?, ?, ?, ?, ?, ?, ?)"),
          delete_segment(db, "DELETE FROM segments WHERE id = ?"),
          delete_rtree(db, "DELETE FROM segments_rtree WHERE id = ?"),
          head_time(db, "SELECT last_time FROM vessel_heads WHERE vessel = ?") {}
    SQLite::Statement journal;
    SQLite::Statement segment;
    SQLite::Statement rtree;
    SQLite::Statement head;
    SQLite::Statement meta;
    SQLite::Statement last_static;
    SQLite::Statement insert_static;
    SQLite::Statement delete_segment;
    SQLite::Statement delete_rtree;
    SQLite::Statement head_time;
};

} // namespace sahil::store
