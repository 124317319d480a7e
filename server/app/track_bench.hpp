// `sahil bench tracks`: builds a large tracks.db from synthetic traffic and times the queries
// MSA analysts run (docs/performance.md, "Track store").
//
// Thread-safety: each call is independent.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace sahil::app {

/// Options of `sahil bench tracks`.
struct TrackBenchOptions {
    std::string db = "var/bench/tracks.db"; ///< store to build (deleted first)
    int vessels = 2000;                     ///< vessels reporting (>= 2)
    int days = 7;                           ///< days of traffic (>= 1)
    int interval_s = 10; ///< seconds between one vessel's fixes (AIS Class A under way: 10)
    std::uint64_t max_fixes =
        0; ///< stop after this many fixes; 0 = vessels x days x 86400 / interval
    /// Pace the producer at this many fixes/s (0 = as fast as the store takes them), to time the
    /// queries under a given ingest load.
    double rate = 0;
    int samples = 200; ///< timed queries per kind on the built store (>= 10)
    bool keep = false; ///< keep the store afterwards
    bool json = false; ///< one JSON object instead of text
};

/// Runs the benchmark; returns an ExitCode (3 when the store fails).
int cmd_bench_tracks(const TrackBenchOptions& options, std::ostream& out, std::ostream& err);

} // namespace sahil::app
