// End to end on a real recorded AIS log: `sahil replay` of the AMSA 2012 feed with berths drawn
// around real ferry wharves in it (tests/data/e2e/README.md) must raise exactly the departure
// alerts derived independently of Sahil by scripts/derive_departures.py (libais + pyproj +
// shapely, the rule implemented from its specification) in amsa-2012.expected.jsonl.
#include <cmath>
#include <set>
#include <sstream>
#include <tuple>

#include <gtest/gtest.h>

#include "server/app/commands.hpp"
#include "tests/app/app_test_support.hpp"

namespace {

using namespace sahil;

app::Config amsa_config(const test::TempDir& tmp) {
    const auto src = test::source_dir();
    return test::config_from(
        "[paths]\nregistry_db = \"" + (tmp.path() / "registry.db").string() + "\"\nharbours = \"" +
            (src / "tests/data/e2e/amsa-2012-berths.geojson").string() +
            // Only the harbour layer: Pakistan's sea zones, land and lines
            // have nothing to say about Australian berths.
            "\"\nsea_zones = \"\"\nland = \"\"\nboundaries = \"\"\n"
            "exception_areas = \"\"\n[rules.departure]\nbuffer_m = 300\nmin_sog_knots = 2\n",
        tmp.path());
}

TEST(ReplayE2E, real_amsa_log_raises_exactly_the_independently_derived_departures) {
    test::TempDir tmp;
    const app::Config cfg = amsa_config(tmp);
    std::ostringstream out;
    std::ostringstream err;
    ASSERT_EQ(app::cmd_registry_import(
                  cfg, test::source_dir() / "tests/data/e2e/amsa-2012-registry.csv", out, err),
              app::exit_ok)
        << err.str();
    out.str("");
    app::ReplayOptions opt;
    opt.store = true;
    ASSERT_EQ(app::cmd_replay(cfg, test::source_dir() / "tests/data/ais/replay-amsa-2012.nmea", opt,
                              out, err),
              app::exit_ok)
        << err.str();
    // The departure rule's alerts (the other rules' findings in this log, invalid MMSIs at
    // info severity, are listed and justified in docs/rules.md "Alert rate on real logs").
    std::vector<nlohmann::json> got;
    for (const auto& a : test::json_lines(out.str())) {
        if (a["rule"] == "unregistered_departure" || a["rule"] == "licence_invalid_departure") {
            got.push_back(a);
        }
    }
    const auto want =
        test::json_lines_of(test::source_dir() / "tests/data/e2e/amsa-2012.expected.jsonl");
    ASSERT_EQ(want.size(), 4U);

    using Key = std::tuple<std::string, std::uint32_t, std::string>;
    std::set<Key> got_keys;
    std::set<Key> want_keys;
    for (const auto& a : got) {
        got_keys.emplace(a["rule"], a["mmsi"], a["zone_id"]);
    }
    for (const auto& a : want) {
        want_keys.emplace(a["rule"], a["mmsi"], a["zone_id"]);
    }
    EXPECT_EQ(got_keys, want_keys) << "sahil replay printed:\n" << out.str();
    EXPECT_EQ(got.size(), want.size());

    // Same triggering fix: time and position of the first fix beyond the buffer.
    for (const auto& w : want) {
        for (const auto& g : got) {
            if (g["mmsi"] == w["mmsi"]) {
                EXPECT_EQ(g["time"], w["time"]) << w.dump();
                EXPECT_NEAR(g["lat"].get<double>(), w["lat"].get<double>(), 1e-5) << w.dump();
                EXPECT_NEAR(g["lon"].get<double>(), w["lon"].get<double>(), 1e-5) << w.dump();
            }
        }
    }
    std::printf("[e2e] %zu departure alerts from the AMSA 2012 log match the derivation\n",
                got.size());
}

TEST(ReplayE2E, replaying_twice_prints_the_same_alerts_and_stores_them_once) {
    test::TempDir tmp;
    const app::Config cfg = amsa_config(tmp);
    std::ostringstream out1;
    std::ostringstream out2;
    std::ostringstream err;
    app::ReplayOptions opt;
    opt.store = true;
    const auto log = test::source_dir() / "tests/data/ais/replay-amsa-2012.nmea";
    ASSERT_EQ(app::cmd_replay(cfg, log, opt, out1, err), app::exit_ok) << err.str();
    ASSERT_EQ(app::cmd_replay(cfg, log, opt, out2, err), app::exit_ok) << err.str();
    EXPECT_EQ(out1.str(), out2.str());
    EXPECT_FALSE(out1.str().empty());
    // `sahil alerts` lists what is stored: each alert once.
    std::ostringstream stored;
    ASSERT_EQ(app::cmd_alerts(cfg, 100, stored, err), app::exit_ok) << err.str();
    EXPECT_EQ(test::json_lines(stored.str()).size(), test::json_lines(out1.str()).size());
}

TEST(ReplayE2E, missing_log_is_a_resource_error) {
    test::TempDir tmp;
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(app::cmd_replay(amsa_config(tmp), tmp.path() / "nope.nmea", {}, out, err),
              app::exit_resource);
    EXPECT_NE(err.str().find("cannot read"), std::string::npos);
}

} // namespace
