// The Makran demo scenario: simulated AIS for a night on the Makran coast, replayed through the
// daemon's pipeline with the shipped config, harbour geofences and geography, must raise exactly
// the alerts it was scripted to produce (config/scenarios/makran.expected.jsonl: rule, MMSI,
// zone and severity, checked by hand against the script; config/scenarios/README.md explains
// each one) and no others. Alerts are stored as the daemon stores them: one open alert per
// vessel and rule, later hits of the same occurrence counted as repeats, not listed again.
#include <set>
#include <sstream>
#include <tuple>

#include <gtest/gtest.h>

#include "server/app/commands.hpp"
#include "tests/app/app_test_support.hpp"

namespace {

using namespace sahil;

TEST(ScenarioE2E, makran_scenario_raises_exactly_the_scripted_alerts) {
    test::TempDir tmp;
    const auto src = test::source_dir();
    auto loaded = app::load_config(src / "config/sahil.toml");
    ASSERT_TRUE(loaded.ok()) << app::format_errors(loaded.errors);
    app::Config cfg = loaded.config;
    cfg.paths.registry_db = tmp.path() / "registry.db";
    std::ostringstream out;
    std::ostringstream err;
    ASSERT_EQ(app::cmd_registry_import(cfg, src / "config/scenarios/makran-registry.csv", out, err),
              app::exit_ok)
        << err.str();
    const auto feed = tmp.path() / "makran.nmea";
    ASSERT_EQ(app::cmd_simulate(src / "config/scenarios/makran.toml", feed, out, err), app::exit_ok)
        << err.str();
    out.str("");
    ASSERT_EQ(app::cmd_replay(cfg, feed, {.store = true}, out, err), app::exit_ok) << err.str();

    using Key = std::tuple<std::string, std::uint32_t, std::string, std::string>;
    std::multiset<Key> got;
    std::multiset<Key> want;
    for (const auto& a : test::json_lines(out.str())) {
        got.emplace(a["rule"], a["mmsi"], a["zone_id"], a["severity"]);
    }
    for (const auto& a : test::json_lines_of(src / "config/scenarios/makran.expected.jsonl")) {
        want.emplace(a["rule"], a["mmsi"], a["zone_id"], a["severity"]);
    }
    EXPECT_FALSE(want.empty());
    EXPECT_EQ(got, want) << "alerts:\n" << out.str() << "\nsummary:\n" << err.str();
    // A clean simulated feed: nothing rejected.
    EXPECT_NE(err.str().find("\"errors\":{}"), std::string::npos) << err.str();
}

} // namespace
