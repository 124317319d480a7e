// tracks.db: the writer (queue, journal, open and sealed segments, checkpoints) and retention;
// see sqlite_track_store.hpp.
#include "server/store/sqlite_track_store.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <limits>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

#include "server/store/sqlite_track_store_internal.hpp"

namespace sahil::store {

using track_db::context;
using track_db::floor_div;
using track_db::ms_per_day;
using track_db::read_static;
using track_db::rtree_seconds;
using track_db::same_static;
using track_db::steady_ms;
using track_db::valid_fix;

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
        if (it != m_last_static.end()) {
            const StaticRecord& previous = it->second;
            if (r.time_ms < previous.time_ms) {
                continue; // older than what is stored: a feed read again after a restart
            }
            // A report that leaves a field unset (a class B part A without the type, a type 5
            // without a destination) says nothing about that field: it keeps its stored value.
            if (r.name.empty()) {
                r.name = previous.name;
            }
            if (r.call_sign.empty()) {
                r.call_sign = previous.call_sign;
            }
            if (!r.imo) {
                r.imo = previous.imo;
            }
            if (!r.ship_type) {
                r.ship_type = previous.ship_type;
            }
            if (r.destination.empty()) {
                r.destination = previous.destination;
            }
            if (same_static(previous, r)) {
                continue;
            }
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

} // namespace sahil::store
