// `sahil bench tracks`; see track_bench.hpp.
//
// Traffic model (synthetic, deterministic from the seed): `vessels` boats in a box off the
// Makran and Sindh coast (24.0-25.5 N, 61.5-67.0 E, about 165 x 550 km). Each alternates between
// lying still (in harbour or at anchor: GNSS jitter of a few metres, SOG 0, navigational status
// 1) and steaming at 3-12 knots, changing course and speed about once an hour and turning back
// at the box edges. A fix every `interval_s` seconds plus 0-2 s of jitter, whole-second fix
// times (the AIS time stamp), receive time 0-999 ms later; 30 % Class B (type 18, no status).
// Fixes are appended in time order across all vessels, as a live feed delivers them.
#include "server/app/track_bench.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <ostream>
#include <thread>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "server/app/commands.hpp"
#include "server/store/sqlite_track_store.hpp"
#include "server/store/track_query.hpp"

namespace sahil::app {

namespace {

using Clock = std::chrono::steady_clock;

struct Rng {
    std::uint64_t s;
    std::uint64_t next() noexcept { // splitmix64
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31U);
    }
    double uniform() noexcept { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }
    int below(int n) noexcept { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
};

constexpr double south = 24.0;
constexpr double north = 25.5;
constexpr double west = 61.5;
constexpr double east = 67.0;

struct Boat {
    std::int64_t mmsi = 0;
    double lat = 0;
    double lon = 0;
    double knots = 0;
    double course = 0;
    double vlat = 0; // degrees per second
    double vlon = 0;
    bool class_b = false;
    Rng rng{0};

    void steer() {
        const double rad = course * M_PI / 180.0;
        const double mps = knots * 1852.0 / 3600.0;
        vlat = mps * std::cos(rad) / 110'800.0;
        vlon = mps * std::sin(rad) / (111'320.0 * std::cos(lat * M_PI / 180.0));
    }
    void change() {
        if (rng.uniform() < 0.3) {
            knots = 0;
        } else {
            knots = 3 + 9 * rng.uniform();
            course = 360 * rng.uniform();
        }
        steer();
    }
    store::TrackFix step(std::int64_t t_ms, int dt_s) {
        if (rng.below(360) == 0) {
            change();
        }
        lat += vlat * dt_s;
        lon += vlon * dt_s;
        if (lat < south || lat > north || lon < west || lon > east) {
            lat = std::clamp(lat, south, north);
            lon = std::clamp(lon, west, east);
            course = std::fmod(course + 180.0, 360.0);
            steer();
        }
        store::TrackFix f;
        f.vessel = mmsi;
        f.time_ms = t_ms + 1000 * rng.below(3);
        f.received_ms = f.time_ms + rng.below(1000);
        const double jitter = knots == 0 ? 3e-5 : 1e-5; // GNSS noise, degrees
        f.lat_e6 = store::to_e6(lat + jitter * (rng.uniform() - 0.5));
        f.lon_e6 = store::to_e6(lon + jitter * (rng.uniform() - 0.5));
        f.sog_dkn =
            static_cast<std::int16_t>(std::lround(knots * 10 + (knots > 0 ? rng.below(5) - 2 : 0)));
        f.sog_dkn = std::max<std::int16_t>(f.sog_dkn, 0);
        f.cog_ddeg = static_cast<std::int16_t>(
            std::lround(std::fmod(course * 10 + rng.below(21) - 10 + 3600, 3600)) % 3600);
        f.heading = class_b ? -1 : static_cast<std::int16_t>(std::lround(course) % 360);
        f.nav_status = class_b ? -1 : (knots == 0 ? 1 : 0);
        f.message_type = class_b ? 18 : 1;
        f.source = 1;
        return f;
    }
};

struct Latencies {
    std::vector<double> ms;
    [[nodiscard]] double mean_of(std::size_t total) const {
        return ms.empty() ? 0.0 : static_cast<double>(total) / static_cast<double>(ms.size());
    }
    [[nodiscard]] double pct(double p) const {
        if (ms.empty()) {
            return 0;
        }
        auto v = ms;
        std::sort(v.begin(), v.end());
        const auto i =
            static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size()))) - 1;
        return v[std::min(i, v.size() - 1)];
    }
};

double since_ms(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

store::GeoBox box_20km(const store::TrackFix& centre) {
    const double dlat = 10'000.0 / 110'800.0;
    const double dlon = 10'000.0 / (111'320.0 * std::cos(centre.lat() * M_PI / 180.0));
    return store::GeoBox::from_degrees(centre.lat() - dlat, centre.lon() - dlon,
                                       centre.lat() + dlat, centre.lon() + dlon);
}

std::uint64_t size_of(const std::filesystem::path& p) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(p, ec);
    return ec ? 0 : n;
}

} // namespace

int cmd_bench_tracks(const TrackBenchOptions& o, std::ostream& out, std::ostream& err) {
    if (o.vessels < 2 || o.days < 1 || o.interval_s < 1 || o.samples < 10) {
        err << "bench tracks: need --vessels >= 2, --days >= 1, --interval >= 1, --samples >= 10\n";
        return exit_usage;
    }
    namespace fs = std::filesystem;
    const fs::path db = o.db;
    std::error_code ec;
    fs::create_directories(db.parent_path().empty() ? fs::path(".") : db.parent_path(), ec);
    for (const char* suffix : {"", "-wal", "-shm"}) {
        fs::remove(db.string() + suffix, ec);
    }
    const std::int64_t t_start = 1'767'225'600'000; // 2026-01-01T00:00:00Z
    const std::int64_t steps = std::int64_t{o.days} * 86'400 / o.interval_s;
    const std::uint64_t total =
        o.max_fixes > 0 ? o.max_fixes
                        : static_cast<std::uint64_t>(steps) * static_cast<std::uint64_t>(o.vessels);

    std::vector<Boat> boats(static_cast<std::size_t>(o.vessels));
    Rng seed{20261130};
    for (std::size_t i = 0; i < boats.size(); ++i) {
        Boat& b = boats[i];
        b.mmsi = 463'000'000 + static_cast<std::int64_t>(i);
        b.rng = Rng{seed.next()};
        b.lat = south + (north - south) * b.rng.uniform();
        b.lon = west + (east - west) * b.rng.uniform();
        b.class_b = b.rng.uniform() < 0.3;
        b.change();
    }

    try {
        store::TrackStoreConfig config;
        config.path = db.string();
        auto store_ptr =
            std::make_unique<store::SqliteTrackStore>(config, store::TrackStoreMode::writer);
        auto& ts = *store_ptr;
        (void)ts.source_id("bench");

        // Queries while loading: a 24 h track or an area-hour, every 50 ms.
        std::atomic<bool> loading{true};
        std::atomic<std::int64_t> loaded_until{t_start};
        Latencies during;
        std::thread querier([&] {
            Rng r{7};
            while (loading) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                const std::int64_t until = loaded_until;
                const auto vessel = 463'000'000 + r.below(o.vessels);
                const auto t0 = Clock::now();
                std::size_t n = 0;
                ts.scan_track(vessel, {until - 86'400'000, until}, [&](const store::TrackFix&) {
                    ++n;
                    return true;
                });
                during.ms.push_back(since_ms(t0));
            }
        });

        const auto load_start = Clock::now();
        std::uint64_t appended = 0;
        std::uint64_t waits = 0;
        for (std::int64_t s = 0; s < steps && appended < total; ++s) {
            const std::int64_t t = t_start + s * o.interval_s * 1000;
            for (auto& b : boats) {
                const auto f = b.step(t, o.interval_s);
                while (!ts.append(f)) {
                    ++waits; // queue full: the writer is behind; wait as a feed would
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
                if (++appended >= total) {
                    break;
                }
            }
            loaded_until = t;
            if (o.rate > 0) {
                const double due_ms = static_cast<double>(appended) / o.rate * 1000.0;
                const double ahead_ms = due_ms - since_ms(load_start);
                if (ahead_ms > 1) {
                    std::this_thread::sleep_for(
                        std::chrono::microseconds(static_cast<std::int64_t>(ahead_ms * 1000)));
                }
            }
            if (appended % 10'000'000 < static_cast<std::uint64_t>(o.vessels)) {
                err << fmt::format("bench tracks: {} M fixes, {:.0f} s\n", appended / 1'000'000,
                                   since_ms(load_start) / 1000);
            }
        }
        ts.flush();
        const double load_s = since_ms(load_start) / 1000;
        loading = false;
        querier.join();
        const auto seal_start = Clock::now();
        ts.seal_all();
        const double seal_s = since_ms(seal_start) / 1000;
        const std::int64_t t_end = loaded_until;

        // Queries on the built store.
        Rng r{11};
        Latencies track;
        Latencies area_hour;
        Latencies area_week;
        Latencies near;
        std::size_t track_fixes = 0;
        std::size_t hour_vessels = 0;
        std::size_t week_vessels = 0;
        std::size_t near_vessels = 0;
        const std::int64_t span = t_end - t_start;
        const auto random_fix = [&](std::int64_t window_ms, std::int64_t& from) {
            from = t_start + static_cast<std::int64_t>(
                                 r.uniform() *
                                 static_cast<double>(std::max<std::int64_t>(span - window_ms, 1)));
            const auto vessel = 463'000'000 + r.below(o.vessels);
            store::TrackFix centre;
            ts.scan_track(vessel, {from, from + window_ms}, [&](const store::TrackFix& f) {
                centre = f;
                return false;
            });
            return centre;
        };
        for (int i = 0; i < o.samples; ++i) {
            const auto vessel = 463'000'000 + r.below(o.vessels);
            const std::int64_t from =
                t_start + static_cast<std::int64_t>(
                              r.uniform() *
                              static_cast<double>(std::max<std::int64_t>(span - 86'400'000, 1)));
            const auto t0 = Clock::now();
            ts.scan_track(vessel, {from, from + 86'400'000}, [&](const store::TrackFix&) {
                ++track_fixes;
                return true;
            });
            track.ms.push_back(since_ms(t0));
        }
        for (int i = 0; i < o.samples; ++i) {
            std::int64_t from = 0;
            const auto centre = random_fix(3'600'000, from);
            if (centre.vessel == 0) {
                continue;
            }
            const auto t0 = Clock::now();
            hour_vessels +=
                store::vessels_in_area(ts, box_20km(centre), {from, from + 3'600'000}).size();
            area_hour.ms.push_back(since_ms(t0));
        }
        const int week_samples = std::max(10, o.samples / 10);
        const std::int64_t week_ms = std::min<std::int64_t>(7 * 86'400'000, span);
        for (int i = 0; i < week_samples; ++i) {
            std::int64_t from = 0;
            const auto centre = random_fix(week_ms, from);
            if (centre.vessel == 0) {
                continue;
            }
            const auto t0 = Clock::now();
            week_vessels +=
                store::vessels_in_area(ts, box_20km(centre), {from, from + week_ms}).size();
            area_week.ms.push_back(since_ms(t0));
        }
        for (int i = 0; i < week_samples; ++i) {
            store::EncounterQuery q;
            q.vessel = 463'000'000 + r.below(o.vessels);
            q.window.since_ms =
                t_start + static_cast<std::int64_t>(
                              r.uniform() *
                              static_cast<double>(std::max<std::int64_t>(span - 86'400'000, 1)));
            q.window.until_ms = q.window.since_ms + 86'400'000;
            q.radius_m = 1000;
            const auto t0 = Clock::now();
            near_vessels += store::encounters(ts, q).size();
            near.ms.push_back(since_ms(t0));
        }
        const auto counters = ts.counters();
        store_ptr.reset(); // closes: the WAL is checkpointed into the file
        const std::uint64_t bytes = size_of(db) + size_of(db.string() + "-wal");
        std::uint64_t free_bytes = 0;
        {
            SQLite::Database check(db.string(), SQLite::OPEN_READONLY);
            free_bytes =
                static_cast<std::uint64_t>(check.execAndGet("PRAGMA freelist_count").getInt64() *
                                           check.execAndGet("PRAGMA page_size").getInt64());
        }
        rusage usage{};
        ::getrusage(RUSAGE_SELF, &usage);
        const double rate = static_cast<double>(appended) / load_s;
        nlohmann::json j = {
            {"fixes", appended},
            {"vessels", o.vessels},
            {"interval_s", o.interval_s},
            {"load_s", load_s},
            {"insert_fixes_per_s", rate},
            {"paced_at", o.rate},
            {"producer_waits_ms", waits},
            {"seal_all_s", seal_s},
            {"queries_during_load", during.ms.size()},
            {"track_24h_during_load_ms", {{"p50", during.pct(50)}, {"p99", during.pct(99)}}},
            {"track_24h_ms",
             {{"p50", track.pct(50)},
              {"p99", track.pct(99)},
              {"mean_fixes", track.mean_of(track_fixes)}}},
            {"area_20km_1h_ms",
             {{"p50", area_hour.pct(50)},
              {"p99", area_hour.pct(99)},
              {"mean_vessels", area_hour.mean_of(hour_vessels)}}},
            {"area_20km_7d_ms",
             {{"p50", area_week.pct(50)},
              {"p99", area_week.pct(99)},
              {"mean_vessels", area_week.mean_of(week_vessels)}}},
            {"who_was_near_1km_24h_ms",
             {{"p50", near.pct(50)},
              {"p99", near.pct(99)},
              {"mean_vessels", near.mean_of(near_vessels)}}},
            {"segments", counters.segments},
            {"store_bytes", bytes},
            {"free_bytes", free_bytes},
            {"bytes_per_fix", static_cast<double>(bytes) / static_cast<double>(appended)},
            {"peak_rss_mib", static_cast<double>(usage.ru_maxrss) / 1024.0},
        };
        if (o.json) {
            out << j.dump() << '\n';
        } else {
            out << fmt::format(
                "fixes                 {}  ({} vessels, one every {} s)\n"
                "insert                {:.0f} fixes/s sustained ({:.1f} s, queries running; seal "
                "of the tail {:.2f} s)\n"
                "track 24 h (loading)  p50 {:.2f} ms  p99 {:.2f} ms  ({} queries)\n"
                "track 24 h            p50 {:.2f} ms  p99 {:.2f} ms  ({:.0f} fixes each)\n"
                "area 20 km, 1 h       p50 {:.2f} ms  p99 {:.2f} ms  ({:.1f} vessels)\n"
                "area 20 km, 7 d       p50 {:.1f} ms  p99 {:.1f} ms  ({:.1f} vessels)\n"
                "who was near, 24 h    p50 {:.1f} ms  p99 {:.1f} ms  ({:.1f} vessels within 1 km)\n"
                "store                 {} bytes, {:.2f} bytes/fix ({} bytes free pages), {} "
                "segments\n"
                "peak memory           {:.0f} MiB\n",
                appended, o.vessels, o.interval_s, rate, load_s, seal_s, during.pct(50),
                during.pct(99), during.ms.size(), track.pct(50), track.pct(99),
                j["track_24h_ms"]["mean_fixes"].get<double>(), area_hour.pct(50), area_hour.pct(99),
                j["area_20km_1h_ms"]["mean_vessels"].get<double>(), area_week.pct(50),
                area_week.pct(99), j["area_20km_7d_ms"]["mean_vessels"].get<double>(), near.pct(50),
                near.pct(99), j["who_was_near_1km_24h_ms"]["mean_vessels"].get<double>(), bytes,
                static_cast<double>(bytes) / static_cast<double>(appended), free_bytes,
                counters.segments, static_cast<double>(usage.ru_maxrss) / 1024.0);
        }
    } catch (const store::TrackStoreError& e) {
        err << "bench tracks: " << e.what() << '\n';
        return exit_resource;
    }
    if (!o.keep) {
        for (const char* suffix : {"", "-wal", "-shm"}) {
            fs::remove(db.string() + suffix, ec);
        }
    }
    return exit_ok;
}

} // namespace sahil::app
