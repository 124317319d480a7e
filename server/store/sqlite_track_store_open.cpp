// tracks.db: configuration check, schema, opening and recovery; see sqlite_track_store.hpp.
#include "server/store/sqlite_track_store.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

#include "server/store/sqlite_track_store_internal.hpp"

namespace sahil::store {

using track_db::application_id;
using track_db::context;
using track_db::schema_sql;
using track_db::schema_version;
using track_db::steady_ms;

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

} // namespace sahil::store
