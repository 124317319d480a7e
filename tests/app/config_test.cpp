// Config parsing: defaults, every problem reported at once with its path, unknown keys.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "server/app/config.hpp"
#include "tests/app/app_test_support.hpp"

namespace {

using namespace sahil;

TEST(Config, shipped_config_is_valid_and_documents_its_defaults) {
    const auto r = app::load_config(test::source_dir() / "config/sahil.toml");
    ASSERT_TRUE(r.ok()) << app::format_errors(r.errors);
    const auto& c = r.config;
    EXPECT_EQ(c.http.bind, "127.0.0.1");
    EXPECT_EQ(c.http.port, 8617);
    EXPECT_DOUBLE_EQ(c.tracking.departure.buffer_m, 1000.0);
    EXPECT_DOUBLE_EQ(c.tracking.departure.min_sog_knots, 2.0);
    EXPECT_EQ(c.paths.harbours.filename(), "harbours.geojson");
    EXPECT_TRUE(std::filesystem::exists(c.paths.harbours));
    ASSERT_EQ(c.feeds.size(), 1U);
    EXPECT_EQ(c.feeds[0].kind, net::FeedKind::file);
}

TEST(Config, empty_file_gives_documented_defaults) {
    const auto r = app::parse_config("", "/etc/sahil", "empty.toml");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.config.paths.harbours, "/etc/sahil/geo/harbours.geojson");
    EXPECT_EQ(r.config.paths.registry_db, "/etc/var/registry.db");
    EXPECT_DOUBLE_EQ(r.config.ais.fragment_timeout_s, 10.0);
    EXPECT_TRUE(r.config.feeds.empty());
}

TEST(Config, reports_every_problem_with_its_path) {
    const std::string text = R"(
[http]
port = 70000
colour = "blue"

[rules.departure]
buffer_m = -5
min_sog_knots = "fast"

[[feeds]]
id = "a"
kind = "tcp_client"
port = 4001

[[feeds]]
id = "a"
kind = "carrier-pigeon"

[[feeds]]
id = "f"
kind = "file"
)";
    const auto r = app::parse_config(text, "/tmp", "bad.toml");
    std::vector<std::string> paths;
    for (const auto& e : r.errors) {
        paths.push_back(e.path);
    }
    const std::vector<std::string> expected = {"http.port",
                                               "http.colour",
                                               "rules.departure.buffer_m",
                                               "rules.departure.min_sog_knots",
                                               "feeds[1].id",
                                               "feeds[1].kind",
                                               "feeds[2].path"};
    for (const auto& p : expected) {
        EXPECT_NE(std::find(paths.begin(), paths.end(), p), paths.end())
            << "missing error for " << p << "\n"
            << app::format_errors(r.errors);
    }
    EXPECT_EQ(r.errors.size(), expected.size()) << app::format_errors(r.errors);
}

TEST(Config, syntax_error_names_line_and_column) {
    const auto r = app::parse_config("[http\nport = 1\n", "/tmp", "broken.toml");
    ASSERT_EQ(r.errors.size(), 1U);
    EXPECT_EQ(r.errors[0].path.rfind("broken.toml:1:", 0), 0U) << r.errors[0].path;
}

TEST(Config, missing_file_is_an_error_not_a_crash) {
    const auto r = app::load_config("/nonexistent/sahil.toml");
    ASSERT_EQ(r.errors.size(), 1U);
    EXPECT_NE(r.errors[0].message.find("cannot read"), std::string::npos);
}

} // namespace

TEST(Config, rule_parameters_overrides_agencies_and_layers) {
    const std::string text = R"(
[paths]
exception_areas = ""
[rules.params]
boundary_horizon_h = 4
static_change_alerts = false
[[rules.override]]
harbour = "PK-HBR-01"
boundary_proximity_nm = 3
[[rules.override]]
vessel_class = "speedboat"
max_speed_knots = 70
[[agencies]]
id = "msa"
areas = ["eez", "outside_eez"]
min_severity = "critical"
webhook_url = "http://127.0.0.1:9000/hook"
)";
    const auto r = app::parse_config(text, "/etc/sahil", "rules.toml");
    ASSERT_TRUE(r.ok()) << app::format_errors(r.errors);
    const auto& rules = r.config.tracking.rules;
    EXPECT_EQ(rules.defaults.boundary_horizon_h, 4.0);
    EXPECT_FALSE(rules.defaults.static_change_alerts);
    EXPECT_EQ(rules.defaults.boundary_proximity_nm, 5.0) << "default kept";
    EXPECT_EQ(rules.for_vessel("PK-HBR-01", rules::VesselClass::fishing).boundary_proximity_nm,
              3.0);
    EXPECT_EQ(rules.for_vessel("PK-HBR-02", rules::VesselClass::fishing).boundary_proximity_nm,
              5.0);
    EXPECT_EQ(rules.for_vessel("", rules::VesselClass::speedboat).max_speed_knots, 70.0);
    EXPECT_TRUE(r.config.paths.exception_areas.empty()) << "\"\" switches the layer off";
    EXPECT_EQ(r.config.paths.boundaries, "/etc/sahil/geo/pak_maritime_boundaries_approx.geojson");
    ASSERT_EQ(r.config.agencies.size(), 1U);
    EXPECT_EQ(r.config.agencies[0].min_severity, alerts::Severity::critical);
    EXPECT_EQ(r.config.agencies[0].webhook_url, "http://127.0.0.1:9000/hook");
    // Without [[agencies]]: Coast Guards and MSA.
    const auto d = app::parse_config("", "/etc/sahil", "empty.toml");
    ASSERT_EQ(d.config.agencies.size(), 2U);
    EXPECT_EQ(d.config.agencies[0].id, "coast_guard");
}

TEST(Config, bad_rule_parameters_and_agencies_are_named) {
    const std::string text = R"(
[rules.params]
boundary_horizon_hours = 4
night_sun_deg = 5
gap_offshore_h = -1
[[rules.override]]
boundary_proximity_nm = 3
[[rules.override]]
vessel_class = "submarine"
[[agencies]]
id = "Coast Guard"
[[agencies]]
id = "msa"
areas = ["high_seas"]
min_severity = "loud"
)";
    const auto r = app::parse_config(text, "/tmp", "bad-rules.toml");
    const std::string all = app::format_errors(r.errors);
    for (const char* path :
         {"rules.params.boundary_horizon_hours", "rules.params.night_sun_deg",
          "rules.params.gap_offshore_h", "rules.override[0]", "rules.override[1].vessel_class",
          "agencies[0].id", "agencies[1].areas", "agencies[1].min_severity"}) {
        EXPECT_NE(all.find(path), std::string::npos) << path << " missing in:\n" << all;
    }
}

TEST(Config, every_problem_of_an_agency_and_every_mistyped_rule_parameter_is_reported_at_once) {
    // Regression (issue-5 trial): a bad id or severity stopped the checks of the entry, so the
    // https URL went unreported; a boolean and a count were accepted in any numeric form.
    const std::string text = R"(
[rules.params]
duplicate_jumps = 2.5
static_change_alerts = 1
boundary_horizon_h = 1e9
[[agencies]]
id = "Coast Guard"
areas = ["harbor", 5]
min_severity = "high"
colour = "red"
webhook_url = "https://x/a"
[[agencies]]
id = "msa"
areas = []
webhook_token = "secret"
)";
    const auto r = app::parse_config(text, "/tmp", "bad-agencies.toml");
    const std::string all = app::format_errors(r.errors);
    for (const char* expected :
         {"rules.params.duplicate_jumps: must be a whole number",
          "rules.params.static_change_alerts: must be true or false",
          "rules.params.boundary_horizon_h: must be greater than 0 and at most 100000",
          "agencies[0].id:", "agencies[0].areas[0]: unknown area 'harbor'",
          "agencies[0].areas[1]: must be a string",
          "agencies[0].min_severity:", "agencies[0].colour: unknown key",
          "agencies[0].webhook_url: https is not supported", "agencies[1].areas: is empty",
          "agencies[1].webhook_token: is set but webhook_url is not"}) {
        EXPECT_NE(all.find(expected), std::string::npos) << expected << " missing in:\n" << all;
    }
    EXPECT_EQ(all.find("secret"), std::string::npos) << "the token must not be echoed";
}

TEST(Config, tracks_section_has_defaults_ranges_and_cross_checks) {
    auto r = app::parse_config("", "/srv/sahil/config", "t.toml");
    ASSERT_TRUE(r.ok()) << app::format_errors(r.errors);
    EXPECT_TRUE(r.config.tracks_enabled);
    EXPECT_EQ(r.config.tracks.path, "/srv/sahil/var/tracks.db");
    EXPECT_EQ(r.config.tracks.flush_interval_ms, 1000);
    r = app::parse_config("[tracks]\nflush_interval_ms = 5\nflush_rows = 100\nqueue_capacity = 10\n"
                          "synchronous = \"off\"\nsegment_max_fixes = 3\nspeed = 1\n",
                          "/tmp", "t.toml");
    const std::string all = app::format_errors(r.errors);
    for (const char* expected :
         {"tracks.flush_interval_ms: must be 10..60000", "tracks.synchronous:",
          "tracks.segment_max_fixes: must be 16..65535", "tracks.speed: unknown key"}) {
        EXPECT_NE(all.find(expected), std::string::npos) << expected << " missing in:\n" << all;
    }
    r = app::parse_config("[tracks]\nflush_rows = 100\nqueue_capacity = 10\n", "/tmp", "t.toml");
    EXPECT_NE(
        app::format_errors(r.errors).find("tracks.queue_capacity: must be at least flush_rows"),
        std::string::npos)
        << app::format_errors(r.errors);
    r = app::parse_config("[tracks]\nenabled = false\npath = \"h/t.db\"\nkeep_days = 30\n"
                          "full_resolution_days = 7\nsynchronous = \"full\"\n",
                          "/srv", "t.toml");
    ASSERT_TRUE(r.ok()) << app::format_errors(r.errors);
    EXPECT_FALSE(r.config.tracks_enabled);
    EXPECT_EQ(r.config.tracks.path, "/srv/h/t.db");
    EXPECT_EQ(r.config.tracks.keep_days, 30);
    EXPECT_TRUE(r.config.tracks.synchronous_full);
}

TEST(Config, shipped_rule_parameters_are_the_documented_defaults) {
    const auto r = app::load_config(test::source_dir() / "config/sahil.toml");
    ASSERT_TRUE(r.ok()) << app::format_errors(r.errors);
    const rules::RuleParams defaults;
    std::ifstream in(test::source_dir() / "config/sahil.toml");
    const std::string shipped((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
    for (const auto key : rules::rule_param_keys()) {
        EXPECT_EQ(rules::get_rule_param(r.config.tracking.rules.defaults, key),
                  rules::get_rule_param(defaults, key))
            << key;
        EXPECT_NE(shipped.find("\n" + std::string(key) + " ="), std::string::npos)
            << key << " is not documented in config/sahil.toml";
    }
    for (const auto& p : {r.config.paths.sea_zones, r.config.paths.land, r.config.paths.boundaries,
                          r.config.paths.exception_areas}) {
        EXPECT_TRUE(std::filesystem::exists(p)) << p;
    }
}
