// SQLite implementation of TrackStore: tracks.db (embedded default; DESIGN.md "Decisions").
//
// Design (docs/tracks.md has the full picture and what a crash can lose):
// - append() puts fixes into a bounded in-memory queue; one writer thread owns the only writing
//   connection and, at least every `flush_interval_ms` or every `flush_rows` fixes, commits the
//   queued fixes in ONE transaction as ONE compressed journal row (the durability point: a crash
//   loses at most the fixes still in the queue).
// - The same transaction places each fix into its vessel's open segment (one vessel, one UTC
//   time bucket of `segment_span_s`); a segment is sealed — written as a row of `segments`
//   (delta-encoded blob, ~10 bytes a fix) with its extent in the R*Tree `segments_rtree`
//   (longitude, latitude, time) — when the vessel's next fix falls in a later bucket, when it
//   holds `segment_max_fixes`, or `seal_grace_s` after its bucket ended (stream time).
// - Every `checkpoint_rows` journalled fixes (or `checkpoint_interval_s`), the journal is
//   rewritten to hold only the fixes of still-open segments, so it stays small and recovery is
//   quick: on open, the journal is decoded and every fix newer than its vessel's last sealed
//   segment (by write sequence number) returns to the open segments.
// - Readers use their own read-only connections and see the open segments too: a scan copies
//   the vessel's open fixes first, then reads the sealed segments, and drops open fixes already
//   sealed (sequence numbers), so a scan racing a seal neither loses nor repeats a fix.
// - Retention (`full_resolution_days`, `downsample_period_s`, `keep_days`) runs in small chunks
//   on the writer thread between flushes, against stream time (the newest fix time), so a
//   replay of an old log is not thinned by the wall clock.
//
// Thread-safety: every public member may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "server/store/track_codec.hpp"
#include "server/store/track_store.hpp"

namespace SQLite {
class Database;
}

namespace sahil::store {

/// A storage failure of the track store (cannot open, SQLite error, damaged blob).
class TrackStoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Settings of the SQLite track store (config section `[tracks]`; defaults documented in
/// config/sahil.toml).
struct TrackStoreConfig {
    std::string path = "var/tracks.db";     ///< database file; ":memory:" is refused (readers)
    int flush_interval_ms = 1000;           ///< commit at least this often (ms, 10..60000)
    std::size_t flush_rows = 50'000;        ///< ... or when this many fixes are queued (>= 1)
    std::size_t queue_capacity = 2'000'000; ///< fixes held before append() refuses (>= flush_rows)
    int segment_span_s = 3600;              ///< time bucket of a segment (s, 60..86400)
    std::size_t segment_max_fixes = 1024;   ///< a segment is sealed at this many fixes (16..65535)
    int seal_grace_s = 120; ///< seal an open segment this long after its bucket ends
    std::size_t checkpoint_rows = 2'000'000; ///< rewrite the journal after this many fixes
    int checkpoint_interval_s = 300;         ///< ... or this often (s)
    int full_resolution_days = 0;            ///< keep every fix this many days; 0 = for ever
    int downsample_period_s = 60;            ///< then keep one fix per this period (s)
    int keep_days = 0;                       ///< delete segments older than this; 0 = for ever
    bool synchronous_full = false;           ///< PRAGMA synchronous=FULL (power-cut safe) vs NORMAL
};

/// Checks a TrackStoreConfig; returns one message per bad field ("tracks.flush_rows: ..."),
/// empty when valid.
[[nodiscard]] std::vector<std::string> validate(const TrackStoreConfig& config);

/// How SqliteTrackStore opens its file.
enum class TrackStoreMode {
    writer,    ///< create/migrate the file, start the writer thread (one per file)
    read_only, ///< read a snapshot (sealed segments + journal at open); append() refuses
};

/// tracks.db; see the file comment.
class SqliteTrackStore final : public TrackStore {
public:
    /// Opens (writer mode: creating) the store and recovers the open segments from the journal.
    /// @throws TrackStoreError (cannot open, not a track store, schema newer than this build,
    ///         damaged journal, invalid config).
    SqliteTrackStore(TrackStoreConfig config, TrackStoreMode mode);
    /// Flushes what is queued (writer mode) and stops the writer. Never throws.
    ~SqliteTrackStore() override;
    SqliteTrackStore(const SqliteTrackStore&) = delete;
    SqliteTrackStore& operator=(const SqliteTrackStore&) = delete;

    bool append(const TrackFix& fix) override;
    void append_static(StaticRecord record) override;
    std::uint16_t source_id(const std::string& name) override;
    [[nodiscard]] std::string source_name(std::uint16_t id) const override;
    void flush() override;
    void scan_track(std::int64_t vessel, const TimeWindow& window,
                    const FixVisitor& visit) const override;
    void scan_area(const GeoBox& box, const TimeWindow& window,
                   const FixVisitor& visit) const override;
    [[nodiscard]] std::vector<StaticRecord> static_history(std::int64_t vessel,
                                                           std::int64_t until_ms) const override;
    [[nodiscard]] std::vector<StaticRecord> find_by_name(const std::string& text,
                                                         std::size_t limit) const override;
    [[nodiscard]] TrackStoreCounters counters() const override;

    /// Runs the retention policy to completion now (writer mode; tests and `sahil tracks
    /// retention`). Returns the segments thinned and deleted.
    std::pair<std::uint64_t, std::uint64_t> apply_retention_now();

    /// Seals every open segment now (writer mode), e.g. before a benchmark's queries.
    void seal_all();

    /// The settings in use.
    [[nodiscard]] const TrackStoreConfig& config() const noexcept { return m_config; }

private:
    struct OpenSegment {
        std::int64_t bucket = 0;       // bucket of fixes[sealed..]
        std::size_t sealed = 0;        // leading fixes sealed in the current transaction
        std::vector<JournalFix> fixes; // in time order
    };
    struct Pending {
        std::vector<TrackFix> fixes;
        std::vector<StaticRecord> statics;
    };
    class ReaderPool;
    struct Statements; // the writer's prepared statements

    void run_on_writer(const std::function<void()>& task);
    void open_schema();
    void recover();
    void writer_loop();
    void write_batch(Pending& batch, bool force_checkpoint, bool seal_everything);
    bool is_new(const TrackFix& f);
    void place(const JournalFix& jf, std::vector<std::int64_t>& touched);
    void seal(std::int64_t vessel, OpenSegment& seg);
    void seal_idle(bool all);
    void write_seals();
    void checkpoint();
    void store_statics(std::vector<StaticRecord>& statics);
    void publish_after_commit();
    std::pair<std::uint64_t, std::uint64_t> retention_step(std::size_t max_segments);
    void copy_open(std::int64_t vessel, std::vector<JournalFix>& out) const;
    void copy_open_area(const GeoBox& box, const TimeWindow& window,
                        std::map<std::int64_t, std::vector<JournalFix>>& out) const;

    TrackStoreConfig m_config;
    TrackStoreMode m_mode;
    std::unique_ptr<SQLite::Database> m_db; // the writing connection (writer thread after start)
    std::unique_ptr<ReaderPool> m_readers;

    // Queue (producer side).
    mutable std::mutex m_queue_mutex;
    std::condition_variable m_queue_cv; // wakes the writer
    Pending m_pending;
    std::uint64_t m_appended_total = 0;         // fixes ever queued (under m_queue_mutex)
    std::uint64_t m_written_total = 0;          // fixes ever committed (under m_queue_mutex)
    std::vector<std::function<void()>> m_tasks; // run by the writer after the queued fixes
    bool m_flush_requested = false;
    bool m_stop = false;
    std::string m_last_error;

    // Open segments (writer mutates; readers copy under the mutex).
    mutable std::mutex m_open_mutex;
    std::unordered_map<std::int64_t, OpenSegment> m_open;

    // Writer-thread state.
    std::uint64_t m_next_seq = 1;
    std::int64_t m_stream_time_ms = 0;
    std::size_t m_journal_fixes = 0;       // fixes in the journal since the last checkpoint
    std::int64_t m_last_checkpoint_ms = 0; // steady clock
    std::int64_t m_last_retention_ms = 0;  // steady clock
    std::int64_t m_retention_cursor = 0;   // segments.id below which retention is done
    struct SealJob {
        std::int64_t vessel;
        std::size_t begin; // fixes[begin, end) of the vessel's open segment
        std::size_t end;
    };
    std::vector<SealJob> m_seal_jobs; // marked under m_open_mutex, written after it
    std::unique_ptr<Statements> m_stmts;
    std::vector<std::uint8_t> m_blob; // encoding buffer
    std::unordered_map<std::int64_t, StaticRecord> m_last_static;
    struct Newest {
        std::int64_t time_ms = std::numeric_limits<std::int64_t>::min();
        std::int32_t lat_e6 = 0;
        std::int32_t lon_e6 = 0;
        bool from_database = false; // position unknown
    };
    std::unordered_map<std::int64_t, Newest> m_newest; // per vessel, writer thread

    // Sources.
    mutable std::mutex m_source_mutex;
    std::unordered_map<std::string, std::uint16_t> m_source_ids;
    std::vector<std::string> m_source_names; // index = id

    // Counters (atomics: read from any thread).
    std::atomic<std::uint64_t> m_stale{0};
    std::atomic<std::uint64_t> m_queue_full{0}, m_invalid{0}, m_flushes{0}, m_segments{0},
        m_checkpoints{0}, m_statics{0}, m_write_errors{0}, m_downsampled{0}, m_expired{0},
        m_open_count{0};

    std::thread m_writer;
};

} // namespace sahil::store
