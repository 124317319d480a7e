// Tests of the scenario loader (server/sim/scenario.hpp): values land where the file puts them,
// and every problem of a bad file is reported at once with its TOML path.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "server/sim/scenario.hpp"
#include "tests/sim/sim_test_support.hpp"

namespace sahil::sim {
namespace {

constexpr std::string_view minimal = R"(
[scenario]
name = "two boats"
start = 2026-03-14T17:30:00Z
duration_min = 90

[defaults]
class_a_moving_interval_s = 6
static_interval_s = 300

[[vessels]]
mmsi = 463100001
name = "AL-MADINA"
call_sign = "AP3318"
class = "A"
ship_type = 30
length_m = 20
beam_m = 6
track = [
  { lat_deg = 25.2, lon_deg = 63.5, stay_min = 10 },
  { lat_deg = 25.1, lon_deg = 63.5, sog_knots = 6, stay_min = 2.5, stay_status = "anchored" },
  { lat_deg = 25.0, lon_deg = 63.4, sog_knots = 3.5, leg_status = "fishing", stay_status = "fishing" },
]

[[vessels]]
mmsi = 463100002
name = "SAGAR RANI"
class = "B"
ais_off_after_min = 45
track = [ { lat_deg = -10.5, lon_deg = -179.25 } ]
)";

TEST(Scenario, reads_every_value_where_the_file_puts_it) {
    const Scenario sc = parse_scenario(minimal);
    EXPECT_EQ(sc.name, "two boats");
    EXPECT_EQ(sc.start, from_unix_seconds(1'773'509'400)); // date -u -d 2026-03-14T17:30:00Z +%s
    EXPECT_EQ(sc.duration_s, 5400.0);
    EXPECT_EQ(sc.source, "sim");
    EXPECT_EQ(sc.intervals.class_a_moving_s, 6.0);
    EXPECT_EQ(sc.intervals.class_a_stationary_s, 180.0); // defaults where the file is silent
    EXPECT_EQ(sc.intervals.class_b_moving_s, 30.0);
    EXPECT_EQ(sc.intervals.class_b_stationary_s, 180.0);
    EXPECT_EQ(sc.intervals.static_s, 300.0);
    ASSERT_EQ(sc.vessels.size(), 2U);

    const Vessel& a = sc.vessels[0];
    EXPECT_EQ(a.mmsi, 463100001U);
    EXPECT_EQ(a.name, "AL-MADINA");
    EXPECT_EQ(a.call_sign, "AP3318");
    EXPECT_EQ(a.ais_class, AisClass::a);
    EXPECT_EQ(a.ship_type, 30);
    EXPECT_EQ(a.length_m, 20);
    EXPECT_EQ(a.beam_m, 6);
    EXPECT_FALSE(a.ais_off_after_s);
    ASSERT_EQ(a.track.size(), 3U);
    EXPECT_EQ(a.track[0].position, (geo::Position{25.2, 63.5}));
    EXPECT_FALSE(a.track[0].sog_knots);
    EXPECT_EQ(a.track[0].stay_s, 600.0);
    EXPECT_EQ(a.track[0].stay_status, NavStatus::moored);
    EXPECT_EQ(a.track[1].sog_knots, 6.0);
    EXPECT_EQ(a.track[1].stay_s, 150.0);
    EXPECT_EQ(a.track[1].stay_status, NavStatus::at_anchor);
    EXPECT_EQ(a.track[1].leg_status, NavStatus::under_way);
    EXPECT_EQ(a.track[2].sog_knots, 3.5);
    EXPECT_EQ(a.track[2].leg_status, NavStatus::fishing);
    EXPECT_EQ(a.track[2].stay_status, NavStatus::fishing);

    const Vessel& b = sc.vessels[1];
    EXPECT_EQ(b.ais_class, AisClass::b);
    EXPECT_EQ(b.call_sign, "");
    EXPECT_EQ(b.ship_type, 30); // default: fishing
    EXPECT_EQ(b.ais_off_after_s, 2700.0);
    EXPECT_EQ(b.track[0].position, (geo::Position{-10.5, -179.25}));
}

TEST(Scenario, start_with_a_utc_offset_is_converted_to_utc) {
    std::string text(minimal);
    text.replace(text.find("2026-03-14T17:30:00Z"), 20, "2026-03-14T22:30:00+05:00");
    EXPECT_EQ(parse_scenario(text).start, from_unix_seconds(1'773'509'400));
}

/// The problems of a file as "path: message" strings.
std::set<std::string> problems_of(std::string_view text) {
    std::set<std::string> out;
    try {
        (void)parse_scenario(text, "bad.toml");
        ADD_FAILURE() << "no ScenarioError";
    } catch (const ScenarioError& e) {
        for (const auto& p : e.problems()) {
            out.insert(p.path + ": " + p.message);
        }
    }
    return out;
}

TEST(Scenario, reports_every_problem_at_once_with_its_path) {
    const auto problems = problems_of(R"(
[scenario]
start = 2026-03-14T17:30:00
duration_min = 0
colour = "blue"

[defaults]
class_a_moving_interval_s = 0
class_b_moving_interval_s = 7.5
class_c_interval_s = 5

[[vessels]]
mmsi = 463100001
name = "AL-MADINA"
class = "A"
track = [ { lat_deg = 25.2, lon_deg = 63.5, sog_knots = 5 } ]

[[vessels]]
mmsi = 463100001
name = "Sagar Rani"
class = "C"
ship_type = 300
call_sign = "AP12345678"
track = [
  { lat_deg = 25.2, lon_deg = 63.5 },
  { lat_deg = 95.0, lon_deg = 63.5, sog_knots = 6 },
  { lat_deg = 25.0, lon_deg = 181, sog_knots = 0, stay_status = "drifting" },
  { lat_deg = 25.0, lon_deg = 63.0, sog_knots = 6, hove_to = true },
]

[[vessels]]
name = "NOOR-E-HAQ"
track = []

[[vessels]]
mmsi = 12345
name = "BAHAR"
class = "B"
)");
    const std::set<std::string> expected{
        "scenario.start: must be an RFC 3339 date-time with a UTC offset, e.g. "
        "2026-03-14T17:30:00Z",
        "scenario.duration_min: must be 1..10080 (minutes, at most 7 days)",
        "scenario.colour: unknown key",
        "defaults.class_a_moving_interval_s: must be 1..3600 (seconds)",
        "defaults.class_b_moving_interval_s: must be an integer",
        "defaults.class_c_interval_s: unknown key",
        "vessels[0].track[0].sog_knots: not allowed on the first point (where the vessel starts)",
        "vessels[1].mmsi: duplicate of vessels[0].mmsi",
        "vessels[1].name: must be 1..20 characters of AIS 6-bit text (A-Z, 0-9, space, "
        "punctuation; no lower case, no '@')",
        "vessels[1].class: must be one of \"A\", \"B\"",
        "vessels[1].ship_type: must be 0..255 (ITU-R M.1371 Table 53)",
        "vessels[1].call_sign: must be 0..7 characters of AIS 6-bit text (A-Z, 0-9)",
        "vessels[1].track[1].lat_deg: must be -90..90",
        "vessels[1].track[2].lon_deg: must be -180..180",
        "vessels[1].track[2].sog_knots: must be 0.1..60 (knots)",
        "vessels[1].track[2].stay_status: must be one of \"moored\", \"anchored\", \"fishing\"",
        "vessels[1].track[3].hove_to: unknown key",
        "vessels[2].mmsi: missing",
        "vessels[2].class: missing",
        "vessels[2].track: must be a non-empty array of tables",
        "vessels[3].mmsi: must be a 9-digit MMSI",
        "vessels[3].track: missing",
    };
    EXPECT_EQ(problems, expected);
}

TEST(Scenario, error_message_names_file_line_and_path) {
    try {
        (void)parse_scenario("[scenario]\nstart = 2026-03-14T17:30:00Z\nduration_min = 60\n"
                             "[[vessels]]\nmmsi = 463100001\nname = \"X\"\nclass = \"A\"\n"
                             "track = [ { lat_deg = 91, lon_deg = 0 } ]\n",
                             "demo.toml");
        FAIL() << "no ScenarioError";
    } catch (const ScenarioError& e) {
        ASSERT_EQ(e.problems().size(), 1U);
        EXPECT_EQ(e.problems()[0].line, 8);
        EXPECT_NE(std::string(e.what()).find("demo.toml:8: vessels[0].track[0].lat_deg: must be "
                                             "-90..90"),
                  std::string::npos)
            << e.what();
    }
}

TEST(Scenario, missing_sections_are_reported) {
    const auto problems = problems_of("title = \"nothing here\"\n");
    EXPECT_EQ(problems, (std::set<std::string>{"title: unknown key", "scenario: missing",
                                               "vessels: missing (at least one [[vessels]] "
                                               "entry)"}));
}

TEST(Scenario, toml_syntax_error_names_the_line) {
    try {
        (void)parse_scenario("[scenario]\nstart = 2026-03-14T17:30:00Z\nduration_min = = 3\n",
                             "broken.toml");
        FAIL() << "no ScenarioError";
    } catch (const ScenarioError& e) {
        ASSERT_EQ(e.problems().size(), 1U);
        EXPECT_EQ(e.problems()[0].path, "");
        EXPECT_EQ(e.problems()[0].line, 3);
        EXPECT_EQ(e.problems()[0].message.rfind("TOML syntax error", 0), 0U);
    }
}

TEST(Scenario, load_scenario_reads_a_file_and_reports_a_missing_one) {
    const auto dir =
        std::filesystem::temp_directory_path() /
        ("sahil_sim_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "two.toml";
    {
        std::ofstream out(file);
        out << minimal;
    }
    EXPECT_EQ(load_scenario(file).vessels.size(), 2U);
    std::filesystem::remove_all(dir);
    EXPECT_THROW((void)load_scenario(file), ScenarioError);
}

TEST(Scenario, makran_demo_loads_with_valid_pakistani_mmsis) {
    const Scenario sc = load_scenario(test::scenario_path("makran.toml"));
    EXPECT_EQ(sc.start, from_unix_seconds(1'773'509'400)); // 2026-03-14T17:30:00Z
    EXPECT_EQ(sc.duration_s, 3 * 3600.0);
    EXPECT_EQ(sc.vessels.size(), 31U);
    std::set<std::uint32_t> seen;
    for (const auto& v : sc.vessels) {
        EXPECT_EQ(v.mmsi / 1'000'000, 463U) << v.name; // MID 463 = Pakistan (ITU-R M.585)
        EXPECT_TRUE(seen.insert(v.mmsi).second) << v.mmsi;
    }
}

} // namespace
} // namespace sahil::sim
