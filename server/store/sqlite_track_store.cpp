// tracks.db: journal, open segments, sealed segments with an R*Tree; see sqlite_track_store.hpp.
#include "server/store/sqlite_track_store.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <limits>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

namespace sahil::store {

namespace {

constexpr int schema_version = 1;
/// PRAGMA application_id of tracks.db ("SHTK"), so a wrong file is refused by name.
constexpr int application_id = 0x5348544B;
/// The R*Tree's time axis is int32 seconds since 2000-01-01T00:00:00Z (good until 2068).
constexpr std::int64_t rtree_epoch_s = 946'684'800;
constexpr std::int64_t ms_per_day = 86'400'000;

constexpr const char* schema_sql = R"sql(
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

std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::int32_t rtree_seconds(std::int64_t ms, bool round_up) {
    std::int64_t s = floor_div(ms, 1000);
    if (round_up && ms % 1000 != 0) {
        ++s;
    }
    s -= rtree_epoch_s;
    s = std::clamp<std::int64_t>(s, std::numeric_limits<std::int32_t>::min(),
                                 std::numeric_limits<std::int32_t>::max());
    return static_cast<std::int32_t>(s);
}

bool valid_fix(const TrackFix& f) {
    return f.vessel > 0 && f.time_ms > 0 && f.received_ms > 0 && f.lat_e6 >= -90'000'000 &&
           f.lat_e6 <= 90'000'000 && f.lon_e6 >= -180'000'000 && f.lon_e6 <= 180'000'000 &&
           f.sog_dkn >= -1 && f.sog_dkn <= 1022 && f.cog_ddeg >= -1 && f.cog_ddeg <= 3599 &&
           f.heading >= -1 && f.heading <= 359 && f.nav_status >= -1 && f.nav_status <= 15;
}

std::string context(const TrackStoreConfig& c) {
    return fmt::format("tracks store {}", c.path);
}

void sort_by_time(std::vector<TrackFix>& fixes) {
    const auto by_time = [](const TrackFix& a, const TrackFix& b) { return a.time_ms < b.time_ms; };
    if (!std::is_sorted(fixes.begin(), fixes.end(), by_time)) {
        std::stable_sort(fixes.begin(), fixes.end(), by_time);
    }
}

StaticRecord read_static(SQLite::Statement& q) {
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

bool same_static(const StaticRecord& a, const StaticRecord& b) {
    return a.name == b.name && a.call_sign == b.call_sign && a.imo == b.imo &&
           a.ship_type == b.ship_type && a.destination == b.destination;
}

} // namespace

std::vector<std::string> validate(const TrackStoreConfig& c) {
    std::vector<std::string> errors;
    if (c.path.empty() || c.path == ":memory:") {
        errors.emplace_back("tracks.path: a file path is required (readers open it separately)");
    }
    if (c.flush_interval_ms < 10 || c.flush_interval_ms > 60'000) {
        errors.emplace_back(fmt::format("tracks.flush_interval_ms: must be 10..60000 (is {})",
                                        c.flush_interval_ms));
    }
    if (c.flush_rows < 1) {
        errors.emplace_back("tracks.flush_rows: must be at least 1");
    }
    if (c.queue_capacity < c.flush_rows) {
        errors.emplace_back(
            fmt::format("tracks.queue_capacity: must be at least flush_rows ({})", c.flush_rows));
    }
    if (c.segment_span_s < 60 || c.segment_span_s > 86'400) {
        errors.emplace_back(
            fmt::format("tracks.segment_span_s: must be 60..86400 (is {})", c.segment_span_s));
    }
    if (c.segment_max_fixes < 16 || c.segment_max_fixes > 65'535) {
        errors.emplace_back(fmt::format("tracks.segment_max_fixes: must be 16..65535 (is {})",
                                        c.segment_max_fixes));
    }
    if (c.seal_grace_s < 0 || c.seal_grace_s > 86'400) {
        errors.emplace_back("tracks.seal_grace_s: must be 0..86400");
    }
    if (c.checkpoint_rows < 1) {
        errors.emplace_back("tracks.checkpoint_rows: must be at least 1");
    }
    if (c.checkpoint_interval_s < 1) {
        errors.emplace_back("tracks.checkpoint_interval_s: must be at least 1");
    }
    if (c.full_resolution_days < 0) {
        errors.emplace_back("tracks.full_resolution_days: must be 0 (for ever) or more");
    }
    if (c.downsample_period_s < 1 || c.downsample_period_s > 86'400) {
        errors.emplace_back("tracks.downsample_period_s: must be 1..86400");
    }
    if (c.keep_days < 0) {
        errors.emplace_back("tracks.keep_days: must be 0 (for ever) or more");
    } else if (c.keep_days > 0 && c.full_resolution_days > c.keep_days) {
        errors.emplace_back("tracks.keep_days: must not be less than full_resolution_days");
    }
    return errors;
}

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

// ---------------------------------------------------------------------------------------------
// Opening and recovery.

SqliteTrackStore::SqliteTrackStore(TrackStoreConfig config, TrackStoreMode mode)
    : m_config(std::move(config)), m_mode(mode) {
    if (auto errors = validate(m_config); !errors.empty()) {
        std::string all;
        for (const auto& e : errors) {
            all += (all.empty() ? "" : "; ") + e;
        }
        throw TrackStoreError(all);
    }
    try {
        open_schema();
        m_readers = std::make_unique<ReaderPool>(m_config.path);
        recover();
    } catch (const SQLite::Exception& e) {
        throw TrackStoreError(fmt::format("{}: {}", context(m_config), e.what()));
    }
    if (m_mode == TrackStoreMode::writer) {
        m_last_checkpoint_ms = steady_ms();
        m_writer = std::thread([this] { writer_loop(); });
    }
}

SqliteTrackStore::~SqliteTrackStore() {
    if (m_writer.joinable()) {
        {
            const std::lock_guard lock(m_queue_mutex);
            m_stop = true;
        }
        m_queue_cv.notify_all();
        m_writer.join();
    }
}

void SqliteTrackStore::open_schema() {
    if (m_mode == TrackStoreMode::read_only) {
        if (!std::filesystem::exists(m_config.path)) {
            throw TrackStoreError(fmt::format("{}: no such file", context(m_config)));
        }
        m_db = std::make_unique<SQLite::Database>(m_config.path, SQLite::OPEN_READONLY);
        m_db->setBusyTimeout(5000);
    } else {
        m_db = std::make_unique<SQLite::Database>(m_config.path,
                                                  SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        m_db->setBusyTimeout(5000);
    }
    const int app = m_db->execAndGet("PRAGMA application_id").getInt();
    const int version = m_db->execAndGet("PRAGMA user_version").getInt();
    if (version == 0 && app == 0) {
        if (m_mode == TrackStoreMode::read_only) {
            throw TrackStoreError(fmt::format("{}: not a track store (empty)", context(m_config)));
        }
        const bool empty = m_db->execAndGet("SELECT count(*) FROM sqlite_schema").getInt() == 0;
        if (!empty) {
            throw TrackStoreError(fmt::format("{}: the file holds other tables; not a track store",
                                              context(m_config)));
        }
        m_db->exec("PRAGMA page_size=16384");
        m_db->exec("PRAGMA journal_mode=WAL");
        SQLite::Transaction tx(*m_db);
        m_db->exec(schema_sql);
        m_db->exec(fmt::format("PRAGMA application_id={}", application_id));
        m_db->exec(fmt::format("PRAGMA user_version={}", schema_version));
        tx.commit();
    } else if (app != application_id) {
        throw TrackStoreError(
            fmt::format("{}: not a track store (application_id {:#x})", context(m_config), app));
    } else if (version > schema_version) {
        throw TrackStoreError(
            fmt::format("{}: written by a newer build (schema {}, this build reads up to {})",
                        context(m_config), version, schema_version));
    }
    if (m_mode == TrackStoreMode::writer) {
        m_db->exec("PRAGMA journal_mode=WAL");
        m_db->exec(m_config.synchronous_full ? "PRAGMA synchronous=FULL"
                                             : "PRAGMA synchronous=NORMAL");
        m_db->exec("PRAGMA cache_size=-65536"); // 64 MiB
    }
}

void SqliteTrackStore::recover() {
    auto& db = *m_db;
    if (m_mode == TrackStoreMode::writer && !m_stmts) {
        m_stmts = std::make_unique<Statements>(db);
    }
    m_last_static.clear();
    m_seal_jobs.clear();
    m_newest.clear();
    {
        SQLite::Statement q(db, "SELECT key, value FROM meta");
        while (q.executeStep()) {
            const std::string key = q.getColumn(0).getString();
            const std::int64_t value = q.getColumn(1).getInt64();
            if (key == "next_seq") {
                m_next_seq = static_cast<std::uint64_t>(value);
            } else if (key == "stream_time_ms") {
                m_stream_time_ms = value;
            } else if (key == "retention_cursor") {
                m_retention_cursor = value;
            }
        }
    }
    {
        SQLite::Statement q(db, "SELECT id, name FROM sources ORDER BY id");
        while (q.executeStep()) {
            const auto id = static_cast<std::size_t>(q.getColumn(0).getInt64());
            if (id > 0xFFFF) {
                continue;
            }
            if (m_source_names.size() <= id) {
                m_source_names.resize(id + 1);
            }
            m_source_names[id] = q.getColumn(1).getString();
            m_source_ids[m_source_names[id]] = static_cast<std::uint16_t>(id);
        }
    }
    // Journal fixes newer than their vessel's last sealed fix return to the open segments.
    std::vector<JournalFix> journal;
    {
        SQLite::Statement q(db, "SELECT id, data FROM journal ORDER BY id");
        while (q.executeStep()) {
            const auto col = q.getColumn(1);
            const auto* p = static_cast<const std::uint8_t*>(col.getBlob());
            if (!decode_journal(std::span(p, static_cast<std::size_t>(col.getBytes())), journal)) {
                throw TrackStoreError(fmt::format("{}: journal row {} is damaged",
                                                  context(m_config), q.getColumn(0).getInt64()));
            }
        }
    }
    m_journal_fixes = journal.size();
    std::unordered_map<std::int64_t, std::uint64_t> sealed_seq;
    SQLite::Statement head(db, "SELECT last_seq FROM vessel_heads WHERE vessel = ?");
    const auto sealed_of = [&](std::int64_t vessel) {
        auto it = sealed_seq.find(vessel);
        if (it != sealed_seq.end()) {
            return it->second;
        }
        head.bind(1, vessel);
        std::uint64_t seq = 0;
        if (head.executeStep()) {
            seq = static_cast<std::uint64_t>(head.getColumn(0).getInt64());
        }
        head.reset();
        sealed_seq.emplace(vessel, seq);
        return seq;
    };
    const std::lock_guard lock(m_open_mutex);
    m_open.clear();
    std::vector<std::int64_t> touched;
    std::unique_ptr<SQLite::Transaction> tx;
    if (m_mode == TrackStoreMode::writer) {
        tx = std::make_unique<SQLite::Transaction>(db);
    }
    for (const auto& jf : journal) {
        m_next_seq = std::max(m_next_seq, jf.seq + 1);
        m_stream_time_ms = std::max(m_stream_time_ms, jf.fix.time_ms);
        if (jf.seq <= sealed_of(jf.fix.vessel)) {
            continue;
        }
        m_newest[jf.fix.vessel] = Newest{jf.fix.time_ms, jf.fix.lat_e6, jf.fix.lon_e6, false};
        if (m_mode == TrackStoreMode::writer) {
            place(jf, touched); // may seal: keeps one time bucket per segment
        } else {
            m_open[jf.fix.vessel].fixes.push_back(jf);
        }
    }
    if (tx) {
        write_seals();
        tx->commit();
        for (auto& [vessel, seg] : m_open) {
            seg.fixes.erase(seg.fixes.begin(),
                            seg.fixes.begin() + static_cast<std::ptrdiff_t>(seg.sealed));
            seg.sealed = 0;
        }
        std::erase_if(m_open, [](const auto& kv) { return kv.second.fixes.empty(); });
    }
    std::size_t open = 0;
    for (const auto& [vessel, seg] : m_open) {
        open += seg.fixes.size();
    }
    m_open_count = open;
}

// ---------------------------------------------------------------------------------------------
// Producer side.

bool SqliteTrackStore::append(const TrackFix& fix) {
    if (m_mode != TrackStoreMode::writer || !valid_fix(fix)) {
        ++m_invalid;
        return false;
    }
    bool wake = false;
    {
        const std::lock_guard lock(m_queue_mutex);
        if (m_pending.fixes.size() >= m_config.queue_capacity) {
            ++m_queue_full;
            return false;
        }
        m_pending.fixes.push_back(fix);
        ++m_appended_total;
        wake = m_pending.fixes.size() == m_config.flush_rows;
    }
    if (wake) {
        m_queue_cv.notify_one();
    }
    return true;
}

void SqliteTrackStore::append_static(StaticRecord record) {
    if (m_mode != TrackStoreMode::writer || record.vessel <= 0) {
        return;
    }
    const std::lock_guard lock(m_queue_mutex);
    if (m_pending.statics.size() < m_config.queue_capacity) {
        m_pending.statics.push_back(std::move(record));
    } else {
        ++m_queue_full;
    }
}

std::uint16_t SqliteTrackStore::source_id(const std::string& name) {
    {
        const std::lock_guard lock(m_source_mutex);
        if (auto it = m_source_ids.find(name); it != m_source_ids.end()) {
            return it->second;
        }
        if (m_mode != TrackStoreMode::writer) {
            return 0;
        }
        if (m_source_names.size() > 0xFFFF) {
            throw TrackStoreError(fmt::format("{}: more than 65535 sources", context(m_config)));
        }
    }
    // New source: recorded by the writer thread (the only writing connection), then returned.
    std::promise<std::uint16_t> done;
    auto result = done.get_future();
    {
        const std::lock_guard lock(m_queue_mutex);
        m_tasks.push_back([this, name, &done] {
            try {
                const std::lock_guard source_lock(m_source_mutex);
                if (auto it = m_source_ids.find(name); it != m_source_ids.end()) {
                    done.set_value(it->second);
                    return;
                }
                const auto id =
                    static_cast<std::uint16_t>(std::max<std::size_t>(m_source_names.size(), 1));
                SQLite::Statement ins(*m_db, "INSERT INTO sources(id, name) VALUES(?, ?)");
                ins.bind(1, id);
                ins.bind(2, name);
                ins.exec();
                m_source_names.resize(id + 1U);
                m_source_names[id] = name;
                m_source_ids[name] = id;
                done.set_value(id);
            } catch (const SQLite::Exception& e) {
                done.set_exception(std::make_exception_ptr(TrackStoreError(fmt::format(
                    "{}: cannot record source {}: {}", context(m_config), name, e.what()))));
            }
        });
    }
    m_queue_cv.notify_one();
    return result.get();
}

std::string SqliteTrackStore::source_name(std::uint16_t id) const {
    const std::lock_guard lock(m_source_mutex);
    return id < m_source_names.size() ? m_source_names[id] : std::string();
}

void SqliteTrackStore::flush() {
    if (m_mode != TrackStoreMode::writer) {
        return;
    }
    std::uint64_t target = 0;
    {
        const std::lock_guard lock(m_queue_mutex);
        target = m_appended_total;
    }
    // The writer writes what is queued before it runs a task, so an empty task marks the point.
    run_on_writer([] {});
    const std::lock_guard lock(m_queue_mutex);
    if (m_written_total < target) {
        throw TrackStoreError(fmt::format("{}: write failed: {}", context(m_config), m_last_error));
    }
}

void SqliteTrackStore::seal_all() {
    run_on_writer([this] {
        Pending none;
        write_batch(none, true, true);
    });
}

std::pair<std::uint64_t, std::uint64_t> SqliteTrackStore::apply_retention_now() {
    std::pair<std::uint64_t, std::uint64_t> total{0, 0};
    run_on_writer([&] {
        for (;;) {
            const auto step = retention_step(1000);
            total.first += step.first;
            total.second += step.second;
            if (step.first + step.second == 0) {
                break;
            }
        }
    });
    return total;
}

void SqliteTrackStore::run_on_writer(const std::function<void()>& task) {
    if (m_mode != TrackStoreMode::writer) {
        throw TrackStoreError(fmt::format("{}: opened read-only", context(m_config)));
    }
    std::promise<void> done;
    auto finished = done.get_future();
    {
        const std::lock_guard lock(m_queue_mutex);
        m_tasks.push_back([&] {
            try {
                task();
                done.set_value();
            } catch (const SQLite::Exception& e) {
                done.set_exception(std::make_exception_ptr(
                    TrackStoreError(fmt::format("{}: {}", context(m_config), e.what()))));
            } catch (...) {
                done.set_exception(std::current_exception());
            }
        });
        m_flush_requested = true;
    }
    m_queue_cv.notify_one();
    finished.get();
}

TrackStoreCounters SqliteTrackStore::counters() const {
    TrackStoreCounters c;
    {
        const std::lock_guard lock(m_queue_mutex);
        c.appended = m_appended_total;
        c.written = m_written_total;
        c.queued = m_pending.fixes.size();
    }
    c.queue_full = m_queue_full;
    c.invalid = m_invalid;
    c.stale = m_stale;
    c.flushes = m_flushes;
    c.segments = m_segments;
    c.checkpoints = m_checkpoints;
    c.statics = m_statics;
    c.write_errors = m_write_errors;
    c.downsampled = m_downsampled;
    c.expired = m_expired;
    c.open_fixes = m_open_count;
    return c;
}

// ---------------------------------------------------------------------------------------------
// Writer thread.

void SqliteTrackStore::writer_loop() {
    std::int64_t next_flush = steady_ms() + m_config.flush_interval_ms;
    int failures = 0;
    for (;;) {
        Pending batch;
        std::vector<std::function<void()>> tasks;
        bool stop = false;
        {
            std::unique_lock lock(m_queue_mutex);
            m_queue_cv.wait_until(
                lock, std::chrono::steady_clock::time_point(std::chrono::milliseconds(next_flush)),
                [&] {
                    return m_stop || m_flush_requested || !m_tasks.empty() ||
                           m_pending.fixes.size() >= m_config.flush_rows;
                });
            std::swap(batch, m_pending);
            tasks.swap(m_tasks);
            m_flush_requested = false;
            stop = m_stop;
        }
        const std::int64_t now = steady_ms();
        next_flush = now + m_config.flush_interval_ms;
        const std::size_t count = batch.fixes.size();
        const bool checkpoint_due =
            m_journal_fixes + count >= m_config.checkpoint_rows ||
            (m_journal_fixes > 0 &&
             now - m_last_checkpoint_ms >= std::int64_t{m_config.checkpoint_interval_s} * 1000);
        if (count > 0 || !batch.statics.empty() || checkpoint_due) {
            try {
                write_batch(batch, checkpoint_due, false);
                failures = 0;
                const std::lock_guard lock(m_queue_mutex);
                m_written_total += count;
                m_last_error.clear();
            } catch (const std::exception& e) {
                ++m_write_errors;
                ++failures;
                {
                    // Put the batch back in front of what arrived since; retried next round.
                    const std::lock_guard lock(m_queue_mutex);
                    m_last_error = e.what();
                    batch.fixes.insert(batch.fixes.end(), m_pending.fixes.begin(),
                                       m_pending.fixes.end());
                    batch.statics.insert(batch.statics.end(), m_pending.statics.begin(),
                                         m_pending.statics.end());
                    std::swap(batch, m_pending);
                }
                try {
                    recover(); // the open segments as the database has them
                } catch (const std::exception&) {
                    // Recovery itself failed; the next round retries everything.
                }
                if (stop && failures >= 3) {
                    break; // give up at shutdown; the journal holds everything committed
                }
                std::this_thread::sleep_for(
                    std::chrono::milliseconds(std::min(100 * failures, 2000)));
            }
        }
        if ((m_config.full_resolution_days > 0 || m_config.keep_days > 0) &&
            now - m_last_retention_ms >= 10'000) {
            m_last_retention_ms = now;
            try {
                retention_step(200);
            } catch (const std::exception& e) {
                ++m_write_errors;
            }
        }
        for (auto& task : tasks) {
            task();
        }
        if (stop) {
            const std::lock_guard lock(m_queue_mutex);
            if (m_pending.fixes.empty() && m_pending.statics.empty() && m_tasks.empty()) {
                break;
            }
        }
    }
}

bool SqliteTrackStore::is_new(const TrackFix& f) {
    // The vessel's newest stored fix: from this run, else from vessel_heads (its newest sealed
    // fix; unsealed ones came back from the journal into m_newest at recovery).
    auto it = m_newest.find(f.vessel);
    if (it == m_newest.end()) {
        Newest n;
        m_stmts->head_time.bind(1, f.vessel);
        if (m_stmts->head_time.executeStep()) {
            n.time_ms = m_stmts->head_time.getColumn(0).getInt64();
            n.from_database = true;
        }
        m_stmts->head_time.reset();
        it = m_newest.emplace(f.vessel, n).first;
    }
    Newest& n = it->second;
    // Older than what is stored: a feed re-read after a restart, or a late copy. Same time:
    // the same report again (from the database the position is not known: same time = same).
    if (f.time_ms < n.time_ms ||
        (f.time_ms == n.time_ms &&
         (n.from_database || (f.lat_e6 == n.lat_e6 && f.lon_e6 == n.lon_e6)))) {
        return false;
    }
    n = Newest{f.time_ms, f.lat_e6, f.lon_e6, false};
    return true;
}

void SqliteTrackStore::place(const JournalFix& jf, std::vector<std::int64_t>& touched) {
    const std::int64_t span_ms = std::int64_t{m_config.segment_span_s} * 1000;
    const std::int64_t bucket = floor_div(jf.fix.time_ms, span_ms);
    auto [it, inserted] = m_open.try_emplace(jf.fix.vessel);
    OpenSegment& seg = it->second;
    if (inserted || seg.fixes.size() == seg.sealed) {
        seg.bucket = bucket;
        touched.push_back(jf.fix.vessel);
    } else if (seg.bucket != bucket ||
               seg.fixes.size() - seg.sealed >= m_config.segment_max_fixes) {
        seal(jf.fix.vessel, seg);
        seg.bucket = bucket;
    }
    seg.fixes.push_back(jf);
}

void SqliteTrackStore::seal(std::int64_t vessel, OpenSegment& seg) {
    // Marked now (under the readers' mutex), written by write_seals() after the mutex is
    // released; the fixes stay in place until publish_after_commit().
    if (seg.fixes.size() > seg.sealed) {
        m_seal_jobs.push_back(SealJob{vessel, seg.sealed, seg.fixes.size()});
        seg.sealed = seg.fixes.size();
    }
}

void SqliteTrackStore::write_seals() {
    std::vector<TrackFix> fixes;
    for (const auto& job : m_seal_jobs) {
        const OpenSegment& seg = m_open.at(job.vessel);
        const auto begin = seg.fixes.begin() + static_cast<std::ptrdiff_t>(job.begin);
        const auto end = seg.fixes.begin() + static_cast<std::ptrdiff_t>(job.end);
        const std::int64_t vessel = job.vessel;
        fixes.clear();
        std::int64_t t0 = std::numeric_limits<std::int64_t>::max();
        std::int64_t t1 = std::numeric_limits<std::int64_t>::min();
        std::int32_t lat0 = std::numeric_limits<std::int32_t>::max();
        std::int32_t lat1 = std::numeric_limits<std::int32_t>::min();
        std::int32_t lon0 = lat0;
        std::int32_t lon1 = lat1;
        for (auto i = begin; i != end; ++i) {
            const TrackFix& f = i->fix;
            fixes.push_back(f);
            t0 = std::min(t0, f.time_ms);
            t1 = std::max(t1, f.time_ms);
            lat0 = std::min(lat0, f.lat_e6);
            lat1 = std::max(lat1, f.lat_e6);
            lon0 = std::min(lon0, f.lon_e6);
            lon1 = std::max(lon1, f.lon_e6);
        }
        const std::uint64_t last_seq = (end - 1)->seq;
        m_blob.clear();
        encode_segment(fixes, m_blob);
        auto& w = *m_stmts;
        w.segment.bind(1, vessel);
        w.segment.bind(2, t0);
        w.segment.bind(3, t1);
        w.segment.bind(4, static_cast<std::int64_t>(fixes.size()));
        w.segment.bind(5, static_cast<std::int64_t>(last_seq));
        w.segment.bind(6, m_blob.data(), static_cast<int>(m_blob.size()));
        w.segment.exec();
        w.segment.reset();
        const std::int64_t id = m_db->getLastInsertRowid();
        w.rtree.bind(1, id);
        w.rtree.bind(2, lon0);
        w.rtree.bind(3, lon1);
        w.rtree.bind(4, lat0);
        w.rtree.bind(5, lat1);
        w.rtree.bind(6, rtree_seconds(t0, false));
        w.rtree.bind(7, rtree_seconds(t1, true));
        w.rtree.exec();
        w.rtree.reset();
        w.head.bind(1, vessel);
        w.head.bind(2, static_cast<std::int64_t>(last_seq));
        w.head.bind(3, (end - 1)->fix.time_ms);
        w.head.bind(4, static_cast<std::int64_t>(fixes.size()));
        w.head.exec();
        w.head.reset();
        ++m_segments;
    }
    m_seal_jobs.clear();
}

void SqliteTrackStore::seal_idle(bool all) {
    const std::int64_t span_ms = std::int64_t{m_config.segment_span_s} * 1000;
    const std::int64_t grace_ms = std::int64_t{m_config.seal_grace_s} * 1000;
    for (auto& [vessel, seg] : m_open) {
        if (seg.fixes.size() > seg.sealed &&
            (all || (seg.bucket + 1) * span_ms + grace_ms <= m_stream_time_ms)) {
            seal(vessel, seg);
        }
    }
}

void SqliteTrackStore::checkpoint() {
    // The journal keeps only what is still open, grouped by vessel (smallest encoding).
    std::vector<JournalFix> open;
    for (const auto& [vessel, seg] : m_open) {
        open.insert(open.end(), seg.fixes.begin() + static_cast<std::ptrdiff_t>(seg.sealed),
                    seg.fixes.end());
    }
    m_db->exec("DELETE FROM journal");
    if (!open.empty()) {
        m_blob.clear();
        encode_journal(open, m_blob);
        auto& w = *m_stmts;
        w.journal.bind(1, static_cast<std::int64_t>(open.size()));
        w.journal.bind(2, m_blob.data(), static_cast<int>(m_blob.size()));
        w.journal.exec();
        w.journal.reset();
    }
    m_journal_fixes = open.size();
    m_last_checkpoint_ms = steady_ms();
    ++m_checkpoints;
}

void SqliteTrackStore::store_statics(std::vector<StaticRecord>& statics) {
    auto& w = *m_stmts;
    for (auto& r : statics) {
        auto it = m_last_static.find(r.vessel);
        if (it == m_last_static.end()) {
            w.last_static.bind(1, r.vessel);
            if (w.last_static.executeStep()) {
                it = m_last_static.emplace(r.vessel, read_static(w.last_static)).first;
            }
            w.last_static.reset();
        }
        if (it != m_last_static.end() && same_static(it->second, r)) {
            continue;
        }
        w.insert_static.bind(1, r.vessel);
        w.insert_static.bind(2, r.time_ms);
        w.insert_static.bind(3, r.name);
        w.insert_static.bind(4, r.call_sign);
        if (r.imo) {
            w.insert_static.bind(5, static_cast<std::int64_t>(*r.imo));
        } else {
            w.insert_static.bind(5);
        }
        if (r.ship_type) {
            w.insert_static.bind(6, *r.ship_type);
        } else {
            w.insert_static.bind(6);
        }
        w.insert_static.bind(7, r.destination);
        w.insert_static.exec();
        w.insert_static.reset();
        m_last_static[r.vessel] = r;
        ++m_statics;
    }
}

void SqliteTrackStore::write_batch(Pending& batch, bool force_checkpoint, bool seal_everything) {
    std::vector<JournalFix> journal;
    journal.reserve(batch.fixes.size());
    std::vector<std::int64_t> touched;
    SQLite::Transaction tx(*m_db);
    {
        // Placement changes the open segments that readers copy, so it holds their mutex;
        // sealed fixes stay in place (marked by `sealed`) until the commit.
        const std::lock_guard lock(m_open_mutex);
        std::uint64_t seq = m_next_seq;
        for (const auto& f : batch.fixes) {
            if (!is_new(f)) {
                ++m_stale;
                continue;
            }
            journal.push_back(JournalFix{seq++, f});
            m_stream_time_ms = std::max(m_stream_time_ms, f.time_ms);
        }
        m_next_seq = seq;
        for (const auto& jf : journal) {
            place(jf, touched);
        }
        seal_idle(seal_everything);
    }
    write_seals();
    auto& w = *m_stmts;
    if (!journal.empty()) {
        m_blob.clear();
        encode_journal(journal, m_blob);
        w.journal.bind(1, static_cast<std::int64_t>(journal.size()));
        w.journal.bind(2, m_blob.data(), static_cast<int>(m_blob.size()));
        w.journal.exec();
        w.journal.reset();
        m_journal_fixes += journal.size();
    }
    store_statics(batch.statics);
    if (force_checkpoint || m_journal_fixes >= m_config.checkpoint_rows) {
        checkpoint();
    }
    w.meta.bind(1, "next_seq");
    w.meta.bind(2, static_cast<std::int64_t>(m_next_seq));
    w.meta.exec();
    w.meta.reset();
    w.meta.bind(1, "stream_time_ms");
    w.meta.bind(2, m_stream_time_ms);
    w.meta.exec();
    w.meta.reset();
    tx.commit();
    ++m_flushes;
    publish_after_commit();
}

void SqliteTrackStore::publish_after_commit() {
    const std::lock_guard lock(m_open_mutex);
    std::size_t open = 0;
    for (auto it = m_open.begin(); it != m_open.end();) {
        OpenSegment& seg = it->second;
        if (seg.sealed > 0) {
            seg.fixes.erase(seg.fixes.begin(),
                            seg.fixes.begin() + static_cast<std::ptrdiff_t>(seg.sealed));
            seg.sealed = 0;
        }
        if (seg.fixes.empty()) {
            it = m_open.erase(it);
        } else {
            open += seg.fixes.size();
            ++it;
        }
    }
    m_open_count = open;
}

std::pair<std::uint64_t, std::uint64_t> SqliteTrackStore::retention_step(std::size_t max_segments) {
    std::uint64_t thinned = 0;
    std::uint64_t deleted = 0;
    SQLite::Transaction tx(*m_db);
    if (m_config.keep_days > 0) {
        // Oldest rows first (rowid order follows sealing order, i.e. time); stop at the first
        // row still to be kept.
        const std::int64_t cutoff = m_stream_time_ms - m_config.keep_days * ms_per_day;
        SQLite::Statement q(*m_db, "SELECT id, t1 FROM segments ORDER BY id LIMIT ?");
        q.bind(1, static_cast<std::int64_t>(max_segments));
        std::vector<std::int64_t> ids;
        while (q.executeStep()) {
            if (q.getColumn(1).getInt64() >= cutoff) {
                break;
            }
            ids.push_back(q.getColumn(0).getInt64());
        }
        for (const auto id : ids) {
            m_stmts->delete_segment.bind(1, id);
            m_stmts->delete_segment.exec();
            m_stmts->delete_segment.reset();
            m_stmts->delete_rtree.bind(1, id);
            m_stmts->delete_rtree.exec();
            m_stmts->delete_rtree.reset();
        }
        deleted = ids.size();
    }
    if (m_config.full_resolution_days > 0) {
        const std::int64_t cutoff = m_stream_time_ms - m_config.full_resolution_days * ms_per_day;
        const std::int64_t period_ms = std::int64_t{m_config.downsample_period_s} * 1000;
        SQLite::Statement q(
            *m_db,
            "SELECT id, vessel, t1, level, data FROM segments WHERE id > ? ORDER BY id LIMIT ?");
        q.bind(1, m_retention_cursor);
        q.bind(2, static_cast<std::int64_t>(max_segments));
        SQLite::Statement update(*m_db,
                                 "UPDATE segments SET data = ?, n = ?, level = 1 WHERE id = ?");
        std::vector<TrackFix> fixes;
        std::vector<TrackFix> kept;
        std::vector<std::uint8_t> blob;
        while (q.executeStep()) {
            const std::int64_t id = q.getColumn(0).getInt64();
            if (q.getColumn(2).getInt64() >= cutoff) {
                break; // young from here on
            }
            m_retention_cursor = id;
            if (q.getColumn(3).getInt() != 0) {
                continue;
            }
            const auto col = q.getColumn(4);
            fixes.clear();
            if (!decode_segment(std::span(static_cast<const std::uint8_t*>(col.getBlob()),
                                          static_cast<std::size_t>(col.getBytes())),
                                q.getColumn(1).getInt64(), fixes)) {
                continue; // damaged: left as it is (reported by scans)
            }
            kept.clear();
            std::int64_t last_slot = std::numeric_limits<std::int64_t>::min();
            for (const auto& f : fixes) {
                const std::int64_t slot = floor_div(f.time_ms, period_ms);
                if (slot != last_slot) {
                    kept.push_back(f);
                    last_slot = slot;
                }
            }
            blob.clear();
            encode_segment(kept, blob);
            update.bind(1, blob.data(), static_cast<int>(blob.size()));
            update.bind(2, static_cast<std::int64_t>(kept.size()));
            update.bind(3, id);
            update.exec();
            update.reset();
            ++thinned;
        }
        m_stmts->meta.bind(1, "retention_cursor");
        m_stmts->meta.bind(2, m_retention_cursor);
        m_stmts->meta.exec();
        m_stmts->meta.reset();
    }
    tx.commit();
    m_downsampled += thinned;
    m_expired += deleted;
    return {thinned, deleted};
}

// ---------------------------------------------------------------------------------------------
// Readers.

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
            const auto col = q.getColumn(0);
            segment.clear();
            if (!decode_segment(std::span(static_cast<const std::uint8_t*>(col.getBlob()),
                                          static_cast<std::size_t>(col.getBytes())),
                                vessel, segment)) {
                throw TrackStoreError(fmt::format("{}: a segment of vessel {} is damaged",
                                                  context(m_config), vessel));
            }
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
            const auto col = q.getColumn(2);
            segment.clear();
            if (!decode_segment(std::span(static_cast<const std::uint8_t*>(col.getBlob()),
                                          static_cast<std::size_t>(col.getBytes())),
                                vessel, segment)) {
                throw TrackStoreError(fmt::format("{}: a segment of vessel {} is damaged",
                                                  context(m_config), vessel));
            }
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
            "FROM static_reports s WHERE s.id = (SELECT max(id) FROM static_reports l WHERE "
            "l.vessel = s.vessel) AND (s.name LIKE ?1 ESCAPE '\\' OR s.call_sign LIKE ?1 ESCAPE "
            "'\\') ORDER BY s.vessel LIMIT ?2");
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
