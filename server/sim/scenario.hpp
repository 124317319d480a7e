// Vessel scenarios for the AIS simulator: a TOML script of boats and their tracks.
//
// Example (config/scenarios/makran.toml holds a full one):
//   [scenario]
//   start = 2026-03-14T17:30:00Z          # RFC 3339, UTC offset required
//   duration_min = 180
//   [[vessels]]
//   mmsi = 463100101
//   name = "AL-MADINA"
//   class = "A"
//   track = [ { lat_deg = 25.2480, lon_deg = 63.4830, stay_min = 30 },     # moored 30 min
//             { lat_deg = 25.2300, lon_deg = 63.4700, sog_knots = 7.0 } ]  # then out at 7 kn
// Data path: not on the live path. load_scenario -> simulate (simulator.hpp) -> NMEA lines that
// replay through the ordinary ingest (ais::StreamDecoder -> tracking -> rules), for demos and
// end-to-end tests.
// Errors: every problem of a file is collected and thrown at once as one ScenarioError, each
// with the TOML path of the bad key (`vessels[3].track[1].lat_deg: must be -90..90`); unknown
// keys are errors. Indices in paths are 0-based.
//
// Thread-safety: plain values and a pure loader.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ais/time.hpp"
#include "geo/position.hpp"

namespace sahil::sim {

/// AIS equipment class (ITU-R M.1371-5): class A sends types 1 and 5, class B (CS) 18 and 24.
enum class AisClass { a, b };

/// Navigational status written in class A position reports (M.1371-5 Table 45 values).
/// Class B reports carry no status; the class B simulator only uses moving vs stationary.
enum class NavStatus : std::uint8_t {
    under_way = 0, ///< under way using engine
    at_anchor = 1, ///< at anchor
    moored = 5,    ///< moored
    fishing = 7,   ///< engaged in fishing
};

/// One point of a scripted track. The first point is where the vessel is at the scenario start;
/// each later point is reached by a geodesic leg from the previous one at `sog_knots`. After
/// arriving, the vessel stays `stay_s` at the point; after the last point it stays there until
/// the scenario ends (with `stay_status`).
struct TrackPoint {
    geo::Position position;          ///< WGS 84, degrees
    std::optional<double> sog_knots; ///< leg speed, knots, (0, 60]; empty on the first point
    double stay_s = 0;               ///< seconds to stay after arriving, ≥ 0
    NavStatus stay_status =
        NavStatus::moored; ///< status while staying (moored, at_anchor, fishing)
    NavStatus leg_status = NavStatus::under_way; ///< status on the leg to here (under_way, fishing)
};

/// A scripted vessel.
struct Vessel {
    std::uint32_t mmsi = 0; ///< 9 digits (100000000..999999999)
    std::string name;       ///< 1..20 characters of ITU-R M.1371 6-bit ASCII
    std::string call_sign;  ///< 0..7 characters of 6-bit ASCII; empty = n/a
    AisClass ais_class = AisClass::a;
    std::uint8_t ship_type = 30;           ///< M.1371-5 Table 53; 30 = fishing
    std::uint16_t length_m = 0;            ///< overall length, metres 0..511; 0 = n/a
    std::uint8_t beam_m = 0;               ///< beam, metres 0..126; 0 = n/a
    std::optional<double> ais_off_after_s; ///< stops transmitting this many seconds after start
    std::vector<TrackPoint> track;         ///< at least one point
};

/// Reporting intervals, whole seconds 1..3600. Defaults simplify ITU-R M.1371-5 Annex 1 Tables 1
/// and 2: class A 10 s at 0-14 kn, 3 min when anchored or moored; class B CS 30 s above 2 kn, 3 min
/// at ≤ 2 kn; static and voyage data (type 5, type 24 A+B) every 6 min.
struct Intervals {
    double class_a_moving_s = 10;
    double class_a_stationary_s = 180;
    double class_b_moving_s = 30;
    double class_b_stationary_s = 180;
    double static_s = 360;
};

/// A whole scenario. All times are whole UTC seconds.
struct Scenario {
    std::string name;            ///< short identifier, free text
    std::string description;     ///< free text
    UtcTime start;               ///< first instant simulated
    double duration_s = 0;       ///< messages are sent at start + [0, duration_s)
    std::string source = "sim";  ///< tag-block `s:` station of every sentence
    Intervals intervals;         ///< from the [defaults] table
    std::vector<Vessel> vessels; ///< in file order; MMSIs unique
};

/// One problem found in a scenario file.
struct ScenarioProblem {
    std::string path;    ///< TOML path, e.g. `vessels[3].track[1].lat_deg`; empty for the file
    std::string message; ///< what is wrong, e.g. `must be -90..90`
    int line = 0;        ///< 1-based line in the file where the key is, 0 when unknown
};

/// Thrown by load_scenario()/parse_scenario() with every problem of the file. `what()` lists
/// them one per line as `<file>:<line>: <path>: <message>`.
class ScenarioError : public std::runtime_error {
public:
    ScenarioError(const std::string& file, std::vector<ScenarioProblem> problems);

    /// The problems, in file order.
    [[nodiscard]] const std::vector<ScenarioProblem>& problems() const noexcept {
        return m_problems;
    }

private:
    std::vector<ScenarioProblem> m_problems;
};

/// Reads and validates a scenario file (format in the file comment and
/// config/scenarios/README.md).
/// @throws ScenarioError when the file cannot be read, is not valid TOML (the problem names
/// line and column), or has missing, unknown or out-of-range keys (all reported at once).
[[nodiscard]] Scenario load_scenario(const std::filesystem::path& file);

/// Same as load_scenario() for TOML text; `source_name` names it in error messages.
/// @throws ScenarioError as load_scenario().
[[nodiscard]] Scenario parse_scenario(std::string_view toml_text,
                                      std::string_view source_name = "scenario");

} // namespace sahil::sim
