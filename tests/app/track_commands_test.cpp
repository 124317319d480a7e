// `sahil tracks ...`: the analyst's questions answered from tracks.db, checked against hand-made
// tracks whose answers are known (distances from geo::distance_m, counts by construction).
#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include <gtest/gtest.h>

#include "geo/geodesic.hpp"
#include "registry/audit.hpp"
#include "registry/database.hpp"
#include "server/app/commands.hpp"
#include "server/app/track_commands.hpp"
#include "server/store/sqlite_track_store.hpp"
#include "tests/app/app_test_support.hpp"

namespace sahil {
namespace {

constexpr std::int64_t t0 = 1'773'500'400'000; // 2026-03-14T15:00:00Z

store::TrackFix fix(std::int64_t mmsi, std::int64_t t_ms, double lat, double lon) {
    store::TrackFix f;
    f.vessel = mmsi;
    f.time_ms = t_ms;
    f.received_ms = t_ms;
    f.lat_e6 = store::to_e6(lat);
    f.lon_e6 = store::to_e6(lon);
    f.sog_dkn = 60;
    f.cog_ddeg = 900;
    f.message_type = 1;
    return f;
}

class TrackCommands : public ::testing::Test {
protected:
    void SetUp() override {
        m_config =
            test::config_from("[paths]\nregistry_db = \"var/registry.db\"\n"
                              "harbours = \"" +
                                  (test::source_dir() / "config/geo/harbours.geojson").string() +
                                  "\"\n[tracks]\npath = \"var/tracks.db\"\n",
                              m_tmp.path());
        std::filesystem::create_directories(m_tmp.path() / "var");
        // A (463000001) steams east along 25.0 N from 62.0 E, 0.001 degree every 10 s; B
        // (463000002, AIS name "SEA HAWK") lies 0.004 degree north of A's path at 62.05 E; C lies
        // 0.05 degree (5.5 km) north. A passes B at 15:08:20.
        store::SqliteTrackStore s(m_config.tracks, store::TrackStoreMode::writer);
        std::vector<store::TrackFix> all;
        for (int i = 0; i <= 100; ++i) {
            all.push_back(fix(463000001, t0 + i * 10'000, 25.0, 62.0 + i * 0.001));
        }
        for (int i = 0; i <= 20; ++i) {
            all.push_back(fix(463000002, t0 + i * 60'000, 25.004, 62.05));
            all.push_back(fix(463000003, t0 + i * 60'000, 25.05, 62.05));
        }
        std::stable_sort(all.begin(), all.end(),
                         [](const auto& a, const auto& b) { return a.time_ms < b.time_ms; });
        for (const auto& f : all) {
            s.append(f);
        }
        s.append_static({463000002, t0, "SEA HAWK", "AP1234", std::nullopt, 30, ""});
        s.append_static({463000003, t0, "SEA BREEZE", "AP9999", std::nullopt, 30, ""});
        s.flush();
    }

    app::TracksOptions window(bool json = true) const {
        return {"2026-03-14T15:00:00Z", "2026-03-14T16:00:00Z", json};
    }

    test::TempDir m_tmp;
    app::Config m_config;
};

TEST_F(TrackCommands, near_lists_the_closest_approach_of_each_vessel_within_the_radius) {
    std::ostringstream out;
    std::ostringstream err;
    ASSERT_EQ(app::cmd_tracks_near(m_config, "463000001", 1000, window(), out, err), app::exit_ok)
        << err.str();
    const auto lines = test::json_lines(out.str());
    ASSERT_EQ(lines.size(), 1U) << out.str(); // C, 5.5 km away, is not near
    EXPECT_EQ(lines[0]["mmsi"], 463000002);
    EXPECT_EQ(lines[0]["name"], "SEA HAWK");
    // The fields of GET /api/tracks/vessels/{mmsi}/near (0.1 m).
    EXPECT_NEAR(lines[0]["min_distance_m"].get<double>(),
                geo::distance_m({25.0, 62.05}, {25.004, 62.05}), 0.06);
    EXPECT_EQ(lines[0]["min_time"], "2026-03-14T15:08:20Z");
    EXPECT_NEAR(lines[0]["other_position"]["lat"].get<double>(), 25.004, 1e-6);
    // By AIS name, and a radius that reaches C too.
    std::ostringstream wide;
    ASSERT_EQ(app::cmd_tracks_near(m_config, "463000001", 6000, window(), wide, err), app::exit_ok);
    EXPECT_EQ(test::json_lines(wide.str()).size(), 2U);
}

TEST_F(TrackCommands, vessels_are_found_by_ais_name_and_ambiguity_is_refused_with_candidates) {
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(app::cmd_tracks_track(m_config, "hawk", window(), 0, 0, false, out, err),
              app::exit_ok)
        << err.str();
    EXPECT_EQ(test::json_lines(out.str()).size(), 21U);
    std::ostringstream amb_out;
    std::ostringstream amb;
    EXPECT_EQ(app::cmd_tracks_track(m_config, "sea", window(), 0, 0, false, amb_out, amb),
              app::exit_bad_input);
    EXPECT_NE(amb.str().find("463000002"), std::string::npos) << amb.str();
    EXPECT_NE(amb.str().find("463000003"), std::string::npos) << amb.str();
    std::ostringstream none;
    EXPECT_EQ(app::cmd_tracks_track(m_config, "nobody", window(), 0, 0, false, amb_out, none),
              app::exit_bad_input);
    std::ostringstream bad_time;
    app::TracksOptions w = window();
    w.until = "2026-03-14 16:00";
    EXPECT_EQ(app::cmd_tracks_track(m_config, "463000001", w, 0, 0, false, amb_out, bad_time),
              app::exit_bad_input);
    EXPECT_NE(bad_time.str().find("--until"), std::string::npos);
}

TEST_F(TrackCommands, track_downsamples_and_simplifies_a_straight_line_to_its_ends) {
    std::ostringstream out;
    std::ostringstream err;
    ASSERT_EQ(app::cmd_tracks_track(m_config, "463000001", window(), 0, 60, false, out, err),
              app::exit_ok);
    EXPECT_EQ(test::json_lines(out.str()).size(), 17U); // 1000 s of fixes: one per minute
    std::ostringstream straight;
    ASSERT_EQ(app::cmd_tracks_track(m_config, "463000001", window(), 10, 0, false, straight, err),
              app::exit_ok);
    EXPECT_EQ(test::json_lines(straight.str()).size(), 2U); // a straight line: its two ends
    std::ostringstream stats;
    ASSERT_EQ(app::cmd_tracks_track(m_config, "463000001", window(), 0, 0, true, stats, err),
              app::exit_ok);
    const auto j = nlohmann::json::parse(stats.str());
    EXPECT_EQ(j["fixes"], 101);
    // The shape of GET /api/tracks/vessels/{mmsi}/stats, field for field (docs/api.md).
    std::vector<std::string> keys;
    for (const auto& [key, value] : j.items()) {
        keys.push_back(key);
    }
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, (std::vector<std::string>{"distance_m", "distance_nm", "duration_s", "fixes",
                                              "gap_s", "max_implied_speed_knots", "max_sog_knots",
                                              "mmsi", "moving_s", "name", "options", "since",
                                              "stopped_s", "stops", "until"}));
    EXPECT_EQ(j["duration_s"], 1000);
    EXPECT_NEAR(j["distance_m"].get<double>(), geo::distance_m({25.0, 62.0}, {25.0, 62.1}), 1.0);
}

TEST_F(TrackCommands, a_vessel_without_fixes_in_the_window_is_said_so_and_an_unknown_mmsi_flagged) {
    app::TracksOptions later = window();
    later.since = "2026-03-15T15:00:00Z";
    later.until = "2026-03-15T16:00:00Z";
    std::ostringstream out;
    std::ostringstream err;
    ASSERT_EQ(app::cmd_tracks_track(m_config, "463000002", later, 0, 0, false, out, err),
              app::exit_ok);
    EXPECT_TRUE(out.str().empty());
    EXPECT_NE(err.str().find("463000002 SEA HAWK: no fixes stored between "
                             "2026-03-15T15:00:00Z and 2026-03-15T16:00:00Z"),
              std::string::npos)
        << err.str();
    EXPECT_EQ(err.str().find("check the number"), std::string::npos); // it is known
    std::ostringstream unknown;
    ASSERT_EQ(app::cmd_tracks_track(m_config, "999999999", window(), 0, 0, false, out, unknown),
              app::exit_ok);
    EXPECT_NE(unknown.str().find("999999999: no fixes stored"), std::string::npos)
        << unknown.str(); // no stray space where the unknown name would be
    EXPECT_NE(unknown.str().find("no static report of this MMSI at any time"), std::string::npos)
        << unknown.str();
    // A known vessel in a window before its data is not called unknown, whatever the window.
    app::TracksOptions before = window();
    before.since = "2026-03-13T00:00:00Z";
    before.until = "2026-03-14T00:00:00Z";
    std::ostringstream early;
    ASSERT_EQ(app::cmd_tracks_track(m_config, "463000002", before, 0, 0, false, out, early),
              app::exit_ok);
    EXPECT_EQ(early.str().find("at any time"), std::string::npos) << early.str();
    // near and events say the same for a vessel without fixes.
    std::ostringstream near_err;
    ASSERT_EQ(app::cmd_tracks_near(m_config, "999999999", 1000, window(), out, near_err),
              app::exit_ok);
    EXPECT_NE(near_err.str().find("999999999: no fixes stored"), std::string::npos)
        << near_err.str();
}

TEST_F(TrackCommands, events_finds_the_port_visit_the_departure_and_the_gap_with_the_live_rules) {
    // F rests in Pasni Fish Harbour (PK-HBR-05) for 10 min, leaves south at 5 kn and falls
    // silent for 3 h: R1 gives a visit and a departure, R6 a gap (2 h after a departure).
    const std::int64_t f_mmsi = 463000006;
    {
        store::SqliteTrackStore s(m_config.tracks, store::TrackStoreMode::writer);
        const auto at = [&](int seconds, double lat, double sog_dkn) {
            auto f = fix(f_mmsi, t0 + seconds * 1000LL, lat, 63.480);
            f.sog_dkn = static_cast<std::int16_t>(sog_dkn);
            f.cog_ddeg = 1800;
            f.nav_status = 0;
            ASSERT_TRUE(s.append(f));
        };
        for (int i = 0; i <= 10; ++i) {
            at(i * 60, 25.250, 0);
        }
        const double south[] = {25.235, 25.230, 25.225, 25.220};
        for (int i = 0; i < 4; ++i) {
            at((11 + i) * 60, south[i], 50);
        }
        at(3 * 3600 + 14 * 60, 25.100, 50);
        s.flush();
    }
    app::TracksOptions w = window();
    w.until = "2026-03-14T19:00:00Z";
    std::ostringstream out;
    std::ostringstream err;
    ASSERT_EQ(app::cmd_tracks_events(m_config, "463000006", w, out, err), app::exit_ok)
        << err.str();
    const auto j = nlohmann::json::parse(out.str());
    std::vector<std::string> kinds;
    for (const auto& e : j["events"]) {
        kinds.push_back(e["kind"]);
    }
    EXPECT_EQ(kinds, (std::vector<std::string>{"port_visit", "departure", "ais_gap"})) << out.str();
    EXPECT_EQ(j["events"][0]["zone_id"], "PK-HBR-05");
    EXPECT_EQ(j["events"][2]["basis"], "after_departure");
    EXPECT_EQ(j["events"][2]["start"], "2026-03-14T15:14:00Z");
    EXPECT_EQ(j["fixes"], 16);
    EXPECT_EQ(j["rule_parameters"]["rendezvous_checked"], true);
    EXPECT_EQ(j["rule_parameters"]["land_layer"], true); // the shipped land layer was loaded
    EXPECT_NE(err.str().find("3 events from 16 fixes"), std::string::npos) << err.str();
    // The table names the harbour and flags nothing here.
    std::ostringstream table;
    ASSERT_EQ(app::cmd_tracks_events(m_config, "463000006",
                                     app::TracksOptions{w.since, w.until, false}, table, err),
              app::exit_ok);
    EXPECT_NE(table.str().find("port_visit"), std::string::npos) << table.str();
    EXPECT_NE(table.str().find("PK-HBR-05"), std::string::npos) << table.str();
}

TEST_F(TrackCommands, area_by_box_and_an_empty_window) {
    std::ostringstream out;
    std::ostringstream err;
    ASSERT_EQ(app::cmd_tracks_area(m_config, "62.04,24.99,62.06,25.01", "", window(), out, err),
              app::exit_ok);
    const auto lines = test::json_lines(out.str());
    ASSERT_EQ(lines.size(), 2U); // A passes through, B lies inside; C is north of the box
    EXPECT_EQ(lines[0]["mmsi"], 463000001);
    EXPECT_EQ(lines[0]["fixes"], 21); // 62.040 .. 62.060 in 0.001 steps
    EXPECT_EQ(lines[1]["mmsi"], 463000002);
    std::ostringstream empty;
    app::TracksOptions later{"2026-03-15T15:00:00Z", "2026-03-15T16:00:00Z", true};
    ASSERT_EQ(app::cmd_tracks_area(m_config, "62.04,24.99,62.06,25.01", "", later, empty, err),
              app::exit_ok);
    EXPECT_TRUE(empty.str().empty());
    EXPECT_EQ(app::cmd_tracks_area(m_config, "62.06,24.99,62.04,25.01", "", window(), empty, err),
              app::exit_bad_input);
    EXPECT_EQ(app::cmd_tracks_area(m_config, "", "NO-SUCH-ZONE", window(), empty, err),
              app::exit_bad_input);
}

TEST_F(TrackCommands, export_writes_the_file_and_audits_who_what_and_why) {
    const auto file = m_tmp.path() / "case.gpkg";
    std::ostringstream out;
    std::ostringstream err;
    ASSERT_EQ(app::cmd_tracks_export(m_config, {"463000001", "SEA HAWK"}, window(), "gpkg", file,
                                     "case PS-2026-014", 1'000'000, out, err),
              app::exit_ok)
        << err.str();
    EXPECT_TRUE(std::filesystem::exists(file));
    const auto printed = nlohmann::json::parse(out.str()); // --json: the summary as JSON
    EXPECT_EQ(printed["fixes"], 122);                      // 101 + 21
    EXPECT_EQ(printed["sha256"].get<std::string>().size(), 64U);
    registry::Database db(m_config.paths.registry_db.string());
    registry::AuditLog audit(db);
    registry::AuditQuery q;
    q.entity = "track_export";
    const auto rows = audit.list(q);
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0].event.action, "tracks.export");
    EXPECT_EQ(rows[0].event.reason, "case PS-2026-014");
    const auto what = nlohmann::json::parse(*rows[0].event.after_json);
    EXPECT_EQ(what["mmsi"], nlohmann::json::array({463000001, 463000002}));
    EXPECT_EQ(what["fixes"], 122);
    EXPECT_EQ(what["sha256"], printed["sha256"]);
    // The record POST /api/tracks/export writes, field for field.
    std::vector<std::string> keys;
    for (const auto& [key, value] : what.items()) {
        keys.push_back(key);
    }
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, (std::vector<std::string>{"bytes", "features", "file", "fixes", "format",
                                              "lines", "mmsi", "points", "sha256", "since", "until",
                                              "vessels_with_fixes"}));
    EXPECT_EQ(what["since"], "2026-03-14T15:00:00Z");
    EXPECT_TRUE(audit.verify().ok());
    // Refused: no reason, unknown format (nothing written, nothing audited); too large
    // (nothing written, the refusal audited as over HTTP).
    const auto other = m_tmp.path() / "other.csv";
    EXPECT_EQ(
        app::cmd_tracks_export(m_config, {"463000001"}, window(), "csv", other, " ", 100, out, err),
        app::exit_bad_input);
    EXPECT_EQ(app::cmd_tracks_export(m_config, {"463000001"}, window(), "shp", other, "case 1", 100,
                                     out, err),
              app::exit_bad_input);
    EXPECT_EQ(app::cmd_tracks_export(m_config, {"463000001"}, window(), "csv", other, "case 1", 50,
                                     out, err),
              app::exit_bad_input);
    EXPECT_FALSE(std::filesystem::exists(other));
    const auto after_refusal = audit.list(q);
    ASSERT_EQ(after_refusal.size(), 2U);
    const auto refused =
        std::find_if(after_refusal.begin(), after_refusal.end(),
                     [](const auto& r) { return r.event.action != "tracks.export"; });
    ASSERT_NE(refused, after_refusal.end());
    EXPECT_EQ(refused->event.action, "tracks.export_refused");
    EXPECT_EQ(nlohmann::json::parse(*refused->event.after_json)["max_fixes"], 50);
    EXPECT_TRUE(audit.verify().ok());
}

TEST_F(TrackCommands, a_missing_store_is_a_clear_resource_error) {
    app::Config c = m_config;
    c.tracks.path = (m_tmp.path() / "nowhere/tracks.db").string();
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(app::cmd_tracks_near(c, "463000001", 1000, window(), out, err), app::exit_resource);
    EXPECT_NE(err.str().find("no track history"), std::string::npos) << err.str();
}

} // namespace
} // namespace sahil
