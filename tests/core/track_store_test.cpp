// Track store: codec round trips, journal recovery, sealing, scans, retention, crash loss.
//
// Truth here is the input itself: every test appends a list of fixes it wrote by hand or
// generated, and checks a scan against that list filtered by plain comparisons (window, box),
// never against the store's own earlier output.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <random>
#include <thread>

#include <SQLiteCpp/Database.h>

#include "server/store/sqlite_track_store.hpp"
#include "server/store/track_codec.hpp"

namespace sahil::store {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t t_base = 1'764'547'200'000; // 2025-12-01T00:00:00Z, Unix ms

TrackFix fix_at(std::int64_t vessel, std::int64_t time_ms, double lat, double lon) {
    TrackFix f;
    f.vessel = vessel;
    f.time_ms = time_ms;
    f.received_ms = time_ms + 400;
    f.lat_e6 = to_e6(lat);
    f.lon_e6 = to_e6(lon);
    f.sog_dkn = 65;
    f.cog_ddeg = 2455;
    f.heading = 246;
    f.nav_status = 7;
    f.message_type = 1;
    f.source = 1;
    return f;
}

/// A vessel steaming south-west from Pasni at one fix every `step_s`, `count` fixes.
std::vector<TrackFix> steaming(std::int64_t vessel, std::int64_t start_ms, int count, int step_s,
                               double lat = 25.25, double lon = 63.47) {
    std::vector<TrackFix> out;
    for (int i = 0; i < count; ++i) {
        out.push_back(fix_at(vessel, start_ms + std::int64_t{i} * step_s * 1000, lat - i * 1e-4,
                             lon - i * 1.3e-4));
    }
    return out;
}

std::vector<TrackFix> scan(const TrackStore& s, std::int64_t vessel, TimeWindow w) {
    std::vector<TrackFix> out;
    s.scan_track(vessel, w, [&](const TrackFix& f) {
        out.push_back(f);
        return true;
    });
    return out;
}

std::vector<TrackFix> scan_box(const TrackStore& s, GeoBox box, TimeWindow w) {
    std::vector<TrackFix> out;
    s.scan_area(box, w, [&](const TrackFix& f) {
        out.push_back(f);
        return true;
    });
    return out;
}

std::vector<TrackFix> expected(const std::vector<TrackFix>& all, std::int64_t vessel,
                               TimeWindow w) {
    std::vector<TrackFix> out;
    for (const auto& f : all) {
        if (f.vessel == vessel && f.time_ms >= w.since_ms && f.time_ms <= w.until_ms) {
            out.push_back(f);
        }
    }
    return out;
}

class TrackStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("sahil-tracks-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        m_config.path = (m_dir / "tracks.db").string();
        m_config.flush_interval_ms = 50;
    }
    void TearDown() override { fs::remove_all(m_dir); }

    fs::path m_dir;
    TrackStoreConfig m_config;
};

// ----- codec -----------------------------------------------------------------------------------

TEST(TrackCodec, segment_round_trips_every_field_including_not_available_and_wraps) {
    std::vector<TrackFix> in;
    TrackFix a = fix_at(419000001, t_base, 25.1, 62.3);
    a.cog_ddeg = 3599;
    a.heading = 359;
    in.push_back(a);
    TrackFix b = a;
    b.time_ms += 10'000;
    b.received_ms = b.time_ms; // no receive offset
    b.cog_ddeg = 1;            // wraps 3599 -> 1 (+2)
    b.heading = 0;
    b.sog_dkn = -1; // not available
    b.nav_status = -1;
    b.message_type = 18;
    b.source = 300;
    in.push_back(b);
    TrackFix c = b;
    c.time_ms -= 5'000; // out of order is still encoded exactly
    c.lat_e6 = -89'999'999;
    c.lon_e6 = 179'999'999;
    c.sog_dkn = 1022;
    c.cog_ddeg = -1;
    c.heading = -1;
    c.nav_status = 15;
    c.received_ms = c.time_ms - 2'000; // received before the fix time: a bad receiver clock
    in.push_back(c);
    std::vector<std::uint8_t> blob;
    encode_segment(in, blob);
    std::vector<TrackFix> out;
    ASSERT_TRUE(decode_segment(blob, 419000001, out));
    EXPECT_EQ(out, in);
}

TEST(TrackCodec, truncated_or_extended_blobs_are_refused_without_reading_past_the_end) {
    const auto in = steaming(463000001, t_base, 50, 10);
    std::vector<std::uint8_t> blob;
    encode_segment(in, blob);
    for (std::size_t n = 0; n < blob.size(); ++n) {
        std::vector<std::uint8_t> cut(blob.begin(), blob.begin() + static_cast<long>(n));
        std::vector<TrackFix> out;
        EXPECT_FALSE(decode_segment(cut, 1, out)) << "length " << n;
    }
    blob.push_back(0);
    std::vector<TrackFix> out;
    EXPECT_FALSE(decode_segment(blob, 1, out));
    std::vector<std::uint8_t> wrong_version = {9, 0};
    EXPECT_FALSE(decode_segment(wrong_version, 1, out));
}

TEST(TrackCodec, journal_round_trips_interleaved_vessels_and_sequence_numbers) {
    std::vector<JournalFix> in;
    std::uint64_t seq = 1000;
    for (int i = 0; i < 30; ++i) {
        in.push_back({seq, fix_at(463000000 + (i % 3), t_base + i * 1000, 24.8, 66.9)});
        seq += static_cast<std::uint64_t>(1 + (i % 4));
    }
    std::swap(in[3], in[20]); // any order
    std::vector<std::uint8_t> blob;
    encode_journal(in, blob);
    std::vector<JournalFix> out;
    ASSERT_TRUE(decode_journal(blob, out));
    ASSERT_EQ(out.size(), in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        EXPECT_EQ(out[i].seq, in[i].seq);
        EXPECT_EQ(out[i].fix, in[i].fix);
    }
}

TEST(TrackCodec, a_boat_reporting_every_ten_seconds_costs_at_most_ten_bytes_a_fix) {
    // 8 knots, a fix every 10 s, COG and heading steady: the common case of the coast.
    const auto in = steaming(463000001, t_base, 360, 10);
    std::vector<std::uint8_t> blob;
    encode_segment(in, blob);
    EXPECT_LE(static_cast<double>(blob.size()) / static_cast<double>(in.size()), 10.0);
}

// ----- store -----------------------------------------------------------------------------------

TEST_F(TrackStoreTest, tracks_come_back_exactly_from_open_sealed_and_reopened_stores) {
    std::vector<TrackFix> all;
    // Three vessels over 3 hours (3 time buckets), one every 10 s, 20 s and 60 s.
    for (const auto& [vessel, step] :
         {std::pair{463000001, 10}, {463000002, 20}, {419000003, 60}}) {
        auto t = steaming(vessel, t_base + 1'234, 3 * 3600 / step, step);
        all.insert(all.end(), t.begin(), t.end());
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const auto& a, const auto& b) { return a.time_ms < b.time_ms; });
    const TimeWindow whole{t_base, t_base + 4 * 3'600'000};
    const TimeWindow middle{t_base + 5'400'000, t_base + 7'200'000}; // crosses a bucket edge
    {
        SqliteTrackStore store(m_config, TrackStoreMode::writer);
        for (const auto& f : all) {
            ASSERT_TRUE(store.append(f));
        }
        store.flush();
        const auto c = store.counters();
        EXPECT_EQ(c.written, all.size());
        EXPECT_GT(c.segments, 0U); // the first two buckets of each vessel are sealed
        EXPECT_GT(c.open_fixes, 0U);
        for (const std::int64_t v : {463000001, 463000002, 419000003}) {
            EXPECT_EQ(scan(store, v, whole), expected(all, v, whole)) << v;
            EXPECT_EQ(scan(store, v, middle), expected(all, v, middle)) << v;
        }
    }
    {
        // Reopened: the open segments come back from the journal.
        SqliteTrackStore store(m_config, TrackStoreMode::writer);
        EXPECT_GT(store.counters().open_fixes, 0U);
        for (const std::int64_t v : {463000001, 463000002, 419000003}) {
            EXPECT_EQ(scan(store, v, whole), expected(all, v, whole)) << v;
        }
        store.seal_all();
        EXPECT_EQ(store.counters().open_fixes, 0U);
        for (const std::int64_t v : {463000001, 463000002, 419000003}) {
            EXPECT_EQ(scan(store, v, middle), expected(all, v, middle)) << v;
        }
    }
    SqliteTrackStore reader(m_config, TrackStoreMode::read_only);
    for (const std::int64_t v : {463000001, 463000002, 419000003}) {
        EXPECT_EQ(scan(reader, v, whole), expected(all, v, whole)) << v;
    }
    EXPECT_TRUE(scan(reader, 463000009, whole).empty());
    EXPECT_TRUE(scan(reader, 463000001, {t_base - 7'200'000, t_base - 1}).empty());
    EXPECT_FALSE(reader.append(all.front())); // read-only
}

TEST_F(TrackStoreTest, a_read_only_snapshot_sees_fixes_that_are_journalled_but_not_sealed) {
    const auto all = steaming(463000001, t_base, 100, 10);
    SqliteTrackStore writer(m_config, TrackStoreMode::writer);
    for (const auto& f : all) {
        writer.append(f);
    }
    writer.flush();
    ASSERT_EQ(writer.counters().segments, 0U);
    SqliteTrackStore reader(m_config, TrackStoreMode::read_only);
    EXPECT_EQ(scan(reader, 463000001, {t_base, t_base + 3'600'000}), all);
}

TEST_F(TrackStoreTest, area_scans_include_the_box_edges_and_group_by_vessel_in_time_order) {
    // Hand-placed fixes around a 0.1-degree box off Gwadar.
    const GeoBox box = GeoBox::from_degrees(25.0, 62.3, 25.1, 62.4);
    std::vector<TrackFix> in = {
        fix_at(463000002, t_base + 1000, 25.05, 62.35),      // inside
        fix_at(463000001, t_base + 2000, 25.0, 62.3),        // south-west corner: inside
        fix_at(463000001, t_base + 3000, 25.1, 62.4),        // north-east corner: inside
        fix_at(463000001, t_base + 4000, 25.100001, 62.4),   // 1 microdegree north: outside
        fix_at(463000003, t_base + 5000, 24.99, 62.35),      // south of the box
        fix_at(463000002, t_base + 7'200'000, 25.05, 62.35), // inside, two hours later
    };
    SqliteTrackStore store(m_config, TrackStoreMode::writer);
    for (const auto& f : in) {
        store.append(f);
    }
    store.flush();
    const TimeWindow first_hour{t_base, t_base + 3'600'000};
    const auto check = [&](const char* when) {
        const auto got = scan_box(store, box, first_hour);
        ASSERT_EQ(got.size(), 3U) << when;
        EXPECT_EQ(got[0], in[1]) << when;
        EXPECT_EQ(got[1], in[2]) << when;
        EXPECT_EQ(got[2], in[0]) << when;
        EXPECT_EQ(scan_box(store, box, {t_base, t_base + 8'000'000}).size(), 4U) << when;
        EXPECT_TRUE(scan_box(store, GeoBox::from_degrees(20, 60, 21, 61), first_hour).empty());
        EXPECT_TRUE(scan_box(store, box, {t_base + 10'000, t_base + 20'000}).empty()) << when;
    };
    check("open");
    store.seal_all();
    check("sealed");
}

TEST_F(TrackStoreTest, invalid_fixes_are_refused_and_counted) {
    SqliteTrackStore store(m_config, TrackStoreMode::writer);
    auto bad = fix_at(463000001, t_base, 91.0, 62.0);
    EXPECT_FALSE(store.append(bad));
    bad = fix_at(463000001, t_base, 25.0, 62.0);
    bad.sog_dkn = 1023; // "not available" in AIS must arrive as -1
    EXPECT_FALSE(store.append(bad));
    bad = fix_at(0, t_base, 25.0, 62.0);
    EXPECT_FALSE(store.append(bad));
    bad = fix_at(463000001, t_base, 25.0, 62.0);
    bad.heading = 511;
    EXPECT_FALSE(store.append(bad));
    EXPECT_EQ(store.counters().invalid, 4U);
    EXPECT_EQ(store.counters().appended, 0U);
}

TEST_F(TrackStoreTest, a_full_queue_refuses_and_counts_instead_of_growing) {
    m_config.flush_rows = 10;
    m_config.queue_capacity = 10;
    m_config.flush_interval_ms = 60'000;
    SqliteTrackStore store(m_config, TrackStoreMode::writer);
    std::size_t accepted = 0;
    for (const auto& f : steaming(463000001, t_base, 100'000, 1)) {
        accepted += store.append(f) ? 1 : 0;
    }
    store.flush();
    const auto c = store.counters();
    EXPECT_EQ(c.appended, accepted);
    EXPECT_EQ(c.queue_full, 100'000 - accepted);
    EXPECT_EQ(c.written, accepted);
}

TEST_F(TrackStoreTest, checkpoints_keep_the_journal_small_and_lose_nothing) {
    m_config.checkpoint_rows = 500;
    std::vector<TrackFix> all;
    for (int v = 0; v < 5; ++v) {
        auto t = steaming(463000010 + v, t_base, 1000, 7);
        all.insert(all.end(), t.begin(), t.end());
    }
    {
        SqliteTrackStore store(m_config, TrackStoreMode::writer);
        for (std::size_t i = 0; i < all.size(); ++i) {
            store.append(all[i]);
            if (i % 400 == 0) {
                store.flush();
            }
        }
        store.flush();
        EXPECT_GT(store.counters().checkpoints, 3U);
    }
    SqliteTrackStore reader(m_config, TrackStoreMode::read_only);
    const TimeWindow whole{t_base, t_base + 86'400'000};
    for (int v = 0; v < 5; ++v) {
        EXPECT_EQ(scan(reader, 463000010 + v, whole), expected(all, 463000010 + v, whole));
    }
}

TEST_F(TrackStoreTest, segments_are_sealed_at_the_size_limit_and_after_their_bucket_ends) {
    m_config.segment_max_fixes = 100;
    m_config.seal_grace_s = 60;
    SqliteTrackStore store(m_config, TrackStoreMode::writer);
    for (const auto& f : steaming(463000001, t_base, 250, 1)) { // 250 fixes in one bucket
        store.append(f);
    }
    store.flush();
    EXPECT_EQ(store.counters().segments, 2U); // 100 + 100 sealed, 50 open
    EXPECT_EQ(store.counters().open_fixes, 50U);
    // Another vessel's fix 2 h later moves stream time past the bucket end + grace.
    store.append(fix_at(463000002, t_base + 7'200'000, 25.0, 62.0));
    store.flush();
    EXPECT_EQ(store.counters().segments, 3U);
    EXPECT_EQ(store.counters().open_fixes, 1U);
}

TEST_F(TrackStoreTest, scans_racing_the_writer_never_repeat_lose_or_reorder_a_fix) {
    m_config.segment_max_fixes = 16; // many seals
    m_config.flush_rows = 7;
    m_config.flush_interval_ms = 10;
    SqliteTrackStore store(m_config, TrackStoreMode::writer);
    const auto all = steaming(463000001, t_base, 3000, 2);
    std::atomic<bool> done{false};
    std::atomic<int> bad{0};
    std::thread reader([&] {
        std::size_t last = 0;
        while (!done) {
            const auto got = scan(store, 463000001, {t_base, t_base + 86'400'000});
            // Everything appended is in order; a scan must be a prefix of it, at least as long
            // as the previous one's durable part.
            if (got.size() > all.size() || !std::equal(got.begin(), got.end(), all.begin())) {
                ++bad;
            }
            if (got.size() + 16 < last) {
                ++bad;
            }
            last = std::max(last, got.size());
        }
    });
    for (const auto& f : all) {
        store.append(f);
        if (f.time_ms % 50'000 == 0) {
            store.flush();
        }
    }
    store.flush();
    done = true;
    reader.join();
    EXPECT_EQ(bad.load(), 0);
    EXPECT_EQ(scan(store, 463000001, {t_base, t_base + 86'400'000}), all);
}

TEST_F(TrackStoreTest, a_killed_writer_loses_at_most_the_unflushed_batch) {
    // The child appends 2,000 fixes, waits until they are durable, appends 500 more without
    // flushing (a flush interval of a minute keeps them queued) and is killed with SIGKILL.
    m_config.flush_interval_ms = 60'000;
    m_config.flush_rows = 1'000'000;
    m_config.queue_capacity = 1'000'000;
    const auto all = steaming(463000001, t_base, 2500, 10);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        SqliteTrackStore store(m_config, TrackStoreMode::writer);
        for (int i = 0; i < 2000; ++i) {
            store.append(all[static_cast<std::size_t>(i)]);
        }
        store.flush();
        for (int i = 2000; i < 2500; ++i) {
            store.append(all[static_cast<std::size_t>(i)]);
        }
        ::kill(::getpid(), SIGKILL);
        ::_exit(3);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status));
    SqliteTrackStore store(m_config, TrackStoreMode::writer);
    const auto got = scan(store, 463000001, {t_base, t_base + 86'400'000});
    ASSERT_GE(got.size(), 2000U);
    ASSERT_LE(got.size(), 2500U);
    EXPECT_TRUE(std::equal(got.begin(), got.end(), all.begin()));
    // Writing goes on after the crash, with no sequence number reused.
    store.append(all[got.size()]);
    store.flush();
    store.seal_all();
    EXPECT_EQ(scan(store, 463000001, {t_base, t_base + 86'400'000}).size(), got.size() + 1);
}

TEST_F(TrackStoreTest, retention_thins_old_segments_to_one_fix_a_period_and_deletes_expired) {
    m_config.full_resolution_days = 1;
    m_config.downsample_period_s = 60;
    m_config.keep_days = 2;
    // One fix every 15 s for 4 days (stream time ends at day 4).
    const auto all = steaming(463000001, t_base, 4 * 86400 / 15, 15, 25.0, 62.0);
    SqliteTrackStore store(m_config, TrackStoreMode::writer);
    for (const auto& f : all) {
        store.append(f);
    }
    store.flush();
    store.seal_all();
    store.apply_retention_now(); // the writer may already have done part of it in the background
    EXPECT_GT(store.counters().downsampled, 0U);
    EXPECT_GT(store.counters().expired, 0U);
    const std::int64_t end = all.back().time_ms;
    const TimeWindow whole{t_base, end};
    const auto got = scan(store, 463000001, whole);
    // Expected, computed from the input: nothing older than 2 days; between 2 and 1 days old,
    // the first fix of each minute (of whole segments that ended before the cutoff); younger,
    // every fix.
    const std::int64_t keep_cutoff = end - 2 * 86'400'000;
    const std::int64_t full_cutoff = end - 86'400'000;
    const std::int64_t span = 3'600'000;
    std::vector<TrackFix> want;
    std::int64_t last_minute = -1;
    for (const auto& f : all) {
        const std::int64_t bucket_end = (f.time_ms / span + 1) * span - 1;
        // Whole segments: a segment is kept if its last fix is at or after the cutoff.
        const std::int64_t seg_last = std::min(bucket_end, end);
        const std::int64_t last_in_seg = seg_last - ((seg_last - t_base) % 15'000);
        if (last_in_seg < keep_cutoff) {
            continue;
        }
        if (last_in_seg < full_cutoff) {
            if (f.time_ms / 60'000 == last_minute) {
                continue;
            }
            last_minute = f.time_ms / 60'000;
        }
        want.push_back(f);
    }
    EXPECT_EQ(got, want);
    EXPECT_EQ(store.apply_retention_now(), (std::pair<std::uint64_t, std::uint64_t>{0, 0}));
}

TEST_F(TrackStoreTest, static_history_keeps_only_changes_and_finds_vessels_by_name) {
    SqliteTrackStore store(m_config, TrackStoreMode::writer);
    StaticRecord r{463000001, t_base, "AL NOOR", "AP1234", std::nullopt, 30, "GWADAR"};
    store.append_static(r);
    r.time_ms += 360'000;
    store.append_static(r); // unchanged: not stored
    r.time_ms += 360'000;
    r.destination = "MUSCAT";
    store.append_static(r);
    store.append_static({463000002, t_base, "SEA_100%", "", 9074729U, 70, ""});
    store.flush();
    const auto history = store.static_history(463000001, t_base + 86'400'000);
    ASSERT_EQ(history.size(), 2U);
    EXPECT_EQ(history[0].destination, "GWADAR");
    EXPECT_EQ(history[1].destination, "MUSCAT");
    EXPECT_EQ(history[1].time_ms, t_base + 720'000);
    EXPECT_EQ(store.counters().statics, 3U);
    ASSERT_EQ(store.find_by_name("noor", 10).size(), 1U);
    EXPECT_EQ(store.find_by_name("ap12", 10).at(0).vessel, 463000001);
    // LIKE wildcards in the text are literal characters.
    EXPECT_EQ(store.find_by_name("100%", 10).size(), 1U);
    EXPECT_TRUE(store.find_by_name("L_N", 10).empty()); // would match "AL NOOR" as a wildcard
    EXPECT_EQ(store.find_by_name("SEA", 10).at(0).imo, 9074729U);
}

TEST_F(TrackStoreTest, class_b_halves_restarts_and_renames_give_one_history_row_per_change) {
    // Regression (analyst trial): a class B vessel sends its name (type 24 part A) and its call
    // sign and ship type (part B) separately; the two records alternated, so every restart on
    // the same feed stored both again. A field a report leaves unset keeps its stored value,
    // and a report older than the stored one is dropped.
    const std::int64_t b = 463104558;
    const auto feed = [&](SqliteTrackStore& store) {
        store.append_static({b, t_base, "ZAINAB", "", std::nullopt, std::nullopt, ""}); // part A
        store.append_static({b, t_base, "", "AP4455", std::nullopt, 30, ""});           // part B
        store.append_static({b, t_base + 600'000, "ZAINAB", "", std::nullopt, std::nullopt, ""});
        // ... renamed an hour later (what a smuggler would do), then part A again.
        store.append_static({b, t_base + 3'600'000, "BULBUL", "", std::nullopt, std::nullopt, ""});
        store.append_static({b, t_base + 4'200'000, "", "AP4455", std::nullopt, 30, ""});
    };
    for (int run = 0; run < 2; ++run) {
        SqliteTrackStore store(m_config, TrackStoreMode::writer);
        feed(store);
        store.flush();
        const auto history = store.static_history(b, t_base + 86'400'000);
        ASSERT_EQ(history.size(), 3U) << "run " << run;
        EXPECT_EQ(history[0].name, "ZAINAB");
        EXPECT_FALSE(history[0].ship_type.has_value()); // what part A alone said
        EXPECT_EQ(history[1].name, "ZAINAB");           // part B completes it
        EXPECT_EQ(history[1].call_sign, "AP4455");
        EXPECT_EQ(history[1].ship_type, 30);
        EXPECT_EQ(history[2].name, "BULBUL"); // the rename keeps the call sign and type
        EXPECT_EQ(history[2].call_sign, "AP4455");
        EXPECT_EQ(history[2].ship_type, 30);
        EXPECT_EQ(store.counters().statics, run == 0 ? 3U : 0U) << "run " << run;
        // Found by the old name as by the new; the latest matching record is returned.
        const auto old_name = store.find_by_name("zainab", 10);
        ASSERT_EQ(old_name.size(), 1U);
        EXPECT_EQ(old_name[0].name, "ZAINAB");
        EXPECT_EQ(old_name[0].time_ms, t_base);
        ASSERT_EQ(store.find_by_name("bulbul", 10).size(), 1U);
        EXPECT_EQ(store.find_by_name("AP4455", 10).at(0).name, "BULBUL");
    }
}

TEST_F(TrackStoreTest, sources_get_stable_ids_across_restarts) {
    std::uint16_t a = 0;
    std::uint16_t b = 0;
    {
        SqliteTrackStore store(m_config, TrackStoreMode::writer);
        a = store.source_id("gwadar-tcp");
        b = store.source_id("pasni-udp");
        EXPECT_NE(a, b);
        EXPECT_EQ(store.source_id("gwadar-tcp"), a);
    }
    SqliteTrackStore store(m_config, TrackStoreMode::writer);
    EXPECT_EQ(store.source_name(a), "gwadar-tcp");
    EXPECT_EQ(store.source_id("pasni-udp"), b);
    EXPECT_EQ(store.source_name(999), "");
}

TEST_F(TrackStoreTest, a_file_that_is_not_a_track_store_is_refused_by_name) {
    { SqliteTrackStore store(m_config, TrackStoreMode::writer); }
    const auto other = (m_dir / "other.db").string();
    {
        TrackStoreConfig c = m_config;
        c.path = other;
        EXPECT_THROW(SqliteTrackStore(c, TrackStoreMode::read_only), TrackStoreError);
    }
    {
        SQLite::Database db(other, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE boats(id INTEGER)");
    }
    TrackStoreConfig c = m_config;
    c.path = other;
    try {
        SqliteTrackStore store(c, TrackStoreMode::writer);
        FAIL() << "opened a registry-like file as a track store";
    } catch (const TrackStoreError& e) {
        EXPECT_NE(std::string(e.what()).find("not a track store"), std::string::npos) << e.what();
    }
    c.flush_rows = 0;
    EXPECT_THROW(SqliteTrackStore(c, TrackStoreMode::writer), TrackStoreError);
    EXPECT_FALSE(validate(c).empty());
}

} // namespace
} // namespace sahil::store

#include "geo/geodesic.hpp"
#include "server/store/track_query.hpp"

namespace sahil::store {
namespace {

class TrackQueryTest : public TrackStoreTest {};

TEST_F(TrackQueryTest,
       who_was_near_finds_the_closest_approach_and_ignores_far_late_and_gappy_boats) {
    // Target A steams east along 25.0 N from 62.0 E, 0.001 degree every 10 s (about 8 knots).
    // B lies still 0.004 degree north of A's path at 62.05 E (A passes at t = 500 s), reporting
    // every 60 s: its closest approach is the meridian distance between the two points then.
    // C lies still 0.02 degree (2.2 km) north: never within 1 km. D passes over A's path an hour
    // after the window. E's only two fixes, 20 min apart, straddle A's path: its position in
    // between is unknown (gap > 10 min), so it is not an encounter.
    std::vector<TrackFix> all;
    for (int i = 0; i <= 100; ++i) {
        all.push_back(fix_at(463000001, t_base + i * 10'000, 25.0, 62.0 + i * 0.001));
    }
    for (int i = 0; i <= 20; ++i) {
        all.push_back(fix_at(463000002, t_base + i * 60'000, 25.004, 62.05));
        all.push_back(fix_at(463000003, t_base + i * 60'000, 25.02, 62.05));
    }
    all.push_back(fix_at(463000004, t_base + 4'000'000, 25.0, 62.05));
    all.push_back(fix_at(463000005, t_base + 0, 24.99, 62.05));
    all.push_back(fix_at(463000005, t_base + 1'200'000, 25.01, 62.05));
    std::stable_sort(all.begin(), all.end(),
                     [](const auto& a, const auto& b) { return a.time_ms < b.time_ms; });
    SqliteTrackStore store(m_config, TrackStoreMode::writer);
    for (const auto& f : all) {
        store.append(f);
    }
    store.flush();
    EncounterQuery q;
    q.vessel = 463000001;
    q.window = {t_base, t_base + 3'600'000};
    q.radius_m = 1000;
    const auto near = encounters(store, q);
    ASSERT_EQ(near.size(), 1U);
    EXPECT_EQ(near[0].vessel, 463000002);
    const double truth = geo::distance_m({25.0, 62.05}, {25.004, 62.05});
    EXPECT_NEAR(truth, 442.9, 0.5); // 0.004 degree of latitude at 25 N
    EXPECT_NEAR(near[0].min_distance_m, truth, 1e-3);
    EXPECT_EQ(near[0].min_time_ms, t_base + 500'000);
    // Within 1 km while A is within sqrt(1000^2 - 443^2) = 896 m east or west of 62.05 E:
    // 0.001 degree of longitude is 100.9 m at 25 N, so from step 42 to step 58.
    EXPECT_EQ(near[0].first_within_ms, t_base + 420'000);
    EXPECT_EQ(near[0].last_within_ms, t_base + 580'000);
    // Sealed segments answer the same.
    store.seal_all();
    const auto again = encounters(store, q);
    ASSERT_EQ(again.size(), 1U);
    EXPECT_EQ(again[0].min_time_ms, near[0].min_time_ms);
    // A vessel with no fixes in the window: nobody.
    q.vessel = 463000099;
    EXPECT_TRUE(encounters(store, q).empty());
    q.radius_m = 0;
    EXPECT_THROW((void)encounters(store, q), std::invalid_argument);
}

TEST_F(TrackQueryTest, vessels_in_area_reports_first_last_count_and_gaps) {
    const GeoBox box = GeoBox::from_degrees(25.0, 62.0, 25.2, 62.2);
    std::vector<TrackFix> in = {
        fix_at(463000002, t_base + 0, 25.1, 62.1),
        fix_at(463000002, t_base + 60'000, 25.1, 62.1),
        fix_at(463000002, t_base + 60'000 + 900'000, 25.1, 62.1), // 15 min gap
        fix_at(463000002, t_base + 60'000 + 960'000, 25.5, 62.1), // outside
        fix_at(463000001, t_base + 30'000, 25.2, 62.2),           // on the corner
    };
    std::stable_sort(in.begin(), in.end(),
                     [](const auto& a, const auto& b) { return a.time_ms < b.time_ms; });
    SqliteTrackStore store(m_config, TrackStoreMode::writer);
    for (const auto& f : in) {
        store.append(f);
    }
    store.flush();
    const auto visits = vessels_in_area(store, box, {t_base, t_base + 3'600'000});
    ASSERT_EQ(visits.size(), 2U);
    EXPECT_EQ(visits[0].vessel, 463000001);
    EXPECT_EQ(visits[0].fixes, 1U);
    EXPECT_EQ(visits[0].gaps, 0U);
    EXPECT_EQ(visits[1].vessel, 463000002);
    EXPECT_EQ(visits[1].first_ms, t_base);
    EXPECT_EQ(visits[1].last_ms, t_base + 960'000);
    EXPECT_EQ(visits[1].fixes, 3U);
    EXPECT_EQ(visits[1].gaps, 1U);
    EXPECT_EQ(visits[1].longest_gap_ms, 900'000);
    EXPECT_TRUE(
        vessels_in_area(store, GeoBox::from_degrees(0, 0, 1, 1), {t_base, t_base + 1}).empty());
}

} // namespace
} // namespace sahil::store

namespace sahil::store {
namespace {

TEST_F(TrackStoreTest, a_feed_read_again_after_a_restart_is_not_stored_twice) {
    // Regression: alerts were idempotent under a replayed feed, the track history was not —
    // a daemon restarted on the same log stored every fix again.
    const auto all = steaming(463000001, t_base, 500, 10);
    const TimeWindow whole{t_base, t_base + 86'400'000};
    for (int run = 0; run < 2; ++run) {
        SqliteTrackStore store(m_config, TrackStoreMode::writer);
        for (const auto& f : all) {
            store.append(f);
        }
        store.flush();
        EXPECT_EQ(store.counters().stale, run == 0 ? 0U : all.size()) << "run " << run;
        EXPECT_EQ(scan(store, 463000001, whole), all) << "run " << run;
        if (run == 0) {
            store.seal_all(); // the second run meets sealed segments and the journal
        }
    }
    // Within one run: a repeat of the newest fix, and an older one, are dropped; a different
    // report in the same second is kept.
    SqliteTrackStore store(m_config, TrackStoreMode::writer);
    auto next = fix_at(463000001, all.back().time_ms + 10'000, 24.0, 61.0);
    store.append(next);
    store.append(next);
    store.append(all[3]);
    auto same_second = next;
    same_second.lat_e6 += 10;
    store.append(same_second);
    store.flush();
    EXPECT_EQ(store.counters().stale, 2U);
    EXPECT_EQ(scan(store, 463000001, whole).size(), all.size() + 2);
}

} // namespace
} // namespace sahil::store
