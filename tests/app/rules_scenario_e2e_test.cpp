// The every-rule Makran scenario: simulated AIS for 15 March 2026 on the Makran coast
// (config/scenarios/makran-rules.toml, plus makran-rules-late.toml for the second transmissions
// on three of its MMSIs), a registry built as the demo user builds it over HTTP (two full
// registry CSV imports and one closed season), replayed through the daemon's engine with the
// shipped config and geography, must raise exactly the alerts of
// config/scenarios/makran-rules.expected.jsonl (config/scenarios/README.md explains each boat),
// and every rule at least once.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "registry/database.hpp"
#include "registry/identifiers.hpp"
#include "registry/registry_csv.hpp"
#include "registry/vessel_registry.hpp"
#include "server/alerts/alert.hpp"
#include "server/app/commands.hpp"
#include "tests/app/app_test_support.hpp"

namespace {

using namespace sahil;
namespace fs = std::filesystem;

const fs::path scenarios = test::source_dir() / "config/scenarios";

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// The registry of the scenario, written through the calls behind POST /api/registry/import
/// (registry::plan_import, applied) and POST /api/registry/closed-seasons
/// (VesselRegistry::add_closed_season), with the config's identifier patterns and no PII key
/// (the files carry no CNIC or phone). Registered "on" 2026-03-01, before the scenario day.
void build_registry(const app::Config& cfg) {
    registry::Database db(cfg.paths.registry_db.string());
    std::vector<registry::AuthorityPattern> patterns;
    for (const auto& p : cfg.registry.patterns) {
        patterns.push_back(
            {p.authority, *registry::parse_id_scheme(p.scheme), p.pattern, p.example});
    }
    using namespace std::chrono;
    registry::VesselRegistry reg(db, registry::IdentifierRules(std::move(patterns)), nullptr,
                                 nullptr, [] { return sys_days{year{2026} / 3 / 1} + hours{8}; });
    const registry::Actor admin{"scenario", "admin", "", "cli", ""};
    // The second file registers DOST again under a Pasni number: an identity conflict.
    for (const char* file : {"makran-rules-registry.csv", "makran-rules-registry-duplicate.csv"}) {
        std::istringstream in(read_text(scenarios / file));
        const registry::ImportPlan plan =
            registry::plan_import(reg, in, admin, {.apply = true, .reason = file});
        std::string problems;
        for (const auto& e : plan.errors) {
            problems += "line " + std::to_string(e.line) + " " + e.column + ": " + e.message + "\n";
        }
        ASSERT_TRUE(plan.applied) << file << ":\n" << problems;
        EXPECT_EQ(plan.rows_valid, plan.rows_read) << file;
    }
    ASSERT_EQ(reg.conflicts(true).size(), 1U) << "DOST's MMSI claimed by two records";

    const auto j = nlohmann::json::parse(read_text(scenarios / "makran-rules-closed-season.json"));
    registry::ClosedSeason season;
    season.authority = j.at("authority").get<std::string>();
    season.name = j.at("name").get<std::string>();
    season.starts_on = j.at("starts_on").get<std::string>();
    season.ends_on = j.at("ends_on").get<std::string>();
    season.zones = j.at("zones").get<std::vector<std::string>>();
    season.gear = j.at("gear").get<std::vector<std::string>>();
    season.notification_ref = j.at("notification_ref").get<std::string>();
    ASSERT_TRUE(reg.add_closed_season(admin, season).ok());
}

/// Unix seconds of the tag block's `c:` field of a simulated line (0 if none).
long long tag_time(const std::string& line) {
    const auto c = line.find("c:");
    return c == std::string::npos ? 0 : std::atoll(line.c_str() + c + 2);
}

/// The lines of `logs` merged by tag-block time, stably (on equal times the earlier log's lines
/// first, in their order): what `sort -m -s -t '*' -k1,1 a.nmea b.nmea` does in the README.
std::string merge_by_time(const std::vector<std::string>& logs) {
    struct Line {
        long long time;
        std::size_t log;
        std::size_t index;
        std::string text;
    };
    std::vector<Line> lines;
    for (std::size_t i = 0; i < logs.size(); ++i) {
        std::istringstream in(logs[i]);
        std::size_t n = 0;
        for (std::string line; std::getline(in, line);) {
            lines.push_back({tag_time(line), i, n++, line});
        }
    }
    std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
        return std::tie(a.time, a.log, a.index) < std::tie(b.time, b.log, b.index);
    });
    std::string out;
    for (const auto& l : lines) {
        out += l.text;
        out += '\n';
    }
    return out;
}

/// rule, MMSI, zone, severity, other vessel's MMSI (rendezvous; 0 otherwise).
using Key = std::tuple<std::string, std::uint32_t, std::string, std::string, std::uint32_t>;

Key key_of(const nlohmann::json& a) {
    std::uint32_t other = 0;
    if (a.contains("other_mmsi")) {
        other = a["other_mmsi"].get<std::uint32_t>();
    } else if (a.contains("other_vessel") && a["other_vessel"].is_object()) {
        other = a["other_vessel"]["mmsi"].get<std::uint32_t>();
    }
    return {a["rule"].get<std::string>(), a["mmsi"].get<std::uint32_t>(),
            a["zone_id"].get<std::string>(), a["severity"].get<std::string>(), other};
}

std::string text_of(const Key& k) {
    return std::get<0>(k) + " " + std::to_string(std::get<1>(k)) + " " + std::get<2>(k) + " " +
           std::get<3>(k) + (std::get<4>(k) != 0 ? " with " + std::to_string(std::get<4>(k)) : "");
}

/// Builds a fresh registry `<dir>/<name>.db` (build_registry), simulates both scenario files,
/// merges them and replays them with `cfg`, storing alerts as the daemon does: one open alert
/// per vessel and rule, later hits of the same occurrence counted as repeats and not printed
/// again. Returns the alerts printed (JSON lines) and the summary.
std::pair<std::string, std::string> replay_scenario(app::Config cfg, const fs::path& dir,
                                                    const std::string& name) {
    cfg.paths.registry_db = dir / (name + ".db");
    build_registry(cfg);
    std::ostringstream out;
    std::ostringstream err;
    std::vector<std::string> logs;
    for (const char* file : {"makran-rules.toml", "makran-rules-late.toml"}) {
        std::ostringstream nmea;
        EXPECT_EQ(app::cmd_simulate(scenarios / file, std::nullopt, nmea, err), app::exit_ok)
            << err.str();
        logs.push_back(nmea.str());
    }
    const auto feed = dir / (name + ".nmea");
    std::ofstream(feed, std::ios::binary) << merge_by_time(logs);
    EXPECT_EQ(app::cmd_replay(cfg, feed, {.store = true}, out, err), app::exit_ok) << err.str();
    return {out.str(), err.str()};
}

/// The differences between two multisets of keys, for the failure message.
std::string differences(const std::multiset<Key>& got, const std::multiset<Key>& want) {
    std::string missing;
    std::string unexpected;
    for (const auto& k : std::set<Key>(want.begin(), want.end())) {
        if (got.count(k) < want.count(k)) {
            missing += "  " + text_of(k) + "\n";
        }
    }
    for (const auto& k : std::set<Key>(got.begin(), got.end())) {
        if (want.count(k) < got.count(k)) {
            unexpected += "  " + text_of(k) + "\n";
        }
    }
    return "missing:\n" + missing + "unexpected:\n" + unexpected;
}

TEST(RulesScenarioE2E, makran_rules_scenario_raises_exactly_the_scripted_alerts) {
    test::TempDir tmp;
    auto loaded = app::load_config(test::source_dir() / "config/sahil.toml");
    ASSERT_TRUE(loaded.ok()) << app::format_errors(loaded.errors);
    const app::Config cfg = loaded.config;
    const auto [out, err] = replay_scenario(cfg, tmp.path(), "shipped");
    if (HasFatalFailure()) {
        return;
    }
    std::multiset<Key> got;
    for (const auto& a : test::json_lines(out)) {
        got.insert(key_of(a));
    }
    std::multiset<Key> want;
    for (const auto& a : test::json_lines_of(scenarios / "makran-rules.expected.jsonl")) {
        want.insert(key_of(a));
    }
    EXPECT_EQ(got, want) << differences(got, want) << "alerts:\n" << out << "\nsummary:\n" << err;

    // The scenario's promise: every rule fires at least once.
    std::set<std::string> rules_expected;
    for (const auto& k : want) {
        rules_expected.insert(std::get<0>(k));
    }
    for (const auto rule : alerts::all_rule_names()) {
        EXPECT_EQ(rules_expected.count(std::string(rule)), 1U) << rule << " is not covered";
    }
    // The negative cases stay silent: SITARA (night permission), CAPE ORCHID (foreign merchant
    // ship crossing the Oman line), GWATAR (Jiwani boat in its exception area), RUSTAM (silent,
    // no registered transponder), AL-AMIN and HAJI KARIM (ordinary traffic).
    for (const std::uint32_t mmsi :
         {463201004U, 636019823U, 463201016U, 463201019U, 463201017U, 463201018U}) {
        for (const auto& k : got) {
            EXPECT_NE(std::get<1>(k), mmsi) << text_of(k);
        }
    }
    // A clean simulated feed: nothing rejected.
    EXPECT_NE(err.find("\"errors\":{}"), std::string::npos) << err;
}

// The scripted boats at sea never lie perfectly still (they drift at 0.3-0.5 kn), so no two of
// their position reports are bit-identical and the station deduplicator ([ais] dedup_window_s)
// has nothing to drop in this one-station feed: the alerts are the same with it switched off,
// i.e. the same as a live receiver's, whose reports arrive minutes apart. (A replay stamps every
// line of a file with one receive time, so identical reports of a boat lying still would be
// dropped as duplicates there but not live; see config/scenarios/README.md.)
TEST(RulesScenarioE2E, alerts_do_not_depend_on_the_station_deduplicator) {
    test::TempDir tmp;
    auto loaded = app::load_config(test::source_dir() / "config/sahil.toml");
    ASSERT_TRUE(loaded.ok()) << app::format_errors(loaded.errors);
    app::Config cfg = loaded.config;
    cfg.ais.dedup_window_s = 0;
    cfg.tracking.dedup_window = std::chrono::milliseconds{0};
    const auto [out, err] = replay_scenario(cfg, tmp.path(), "no-dedup");
    if (HasFatalFailure()) {
        return;
    }
    std::multiset<Key> got;
    for (const auto& a : test::json_lines(out)) {
        got.insert(key_of(a));
    }
    std::multiset<Key> want;
    for (const auto& a : test::json_lines_of(scenarios / "makran-rules.expected.jsonl")) {
        want.insert(key_of(a));
    }
    EXPECT_EQ(got, want) << differences(got, want) << "summary:\n" << err;
}

} // namespace
