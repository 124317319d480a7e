// The track history API (server/app/tracks_api.hpp) through sahild's real router and ApiContext
// over a track store of hand-made fixes (tracks_api_test_support.hpp draws them): the GeoJSON
// track with simplification, downsampling and its limit; statistics; history events with the
// live rule parameters; encounters at a distance computed independently with geo::distance_m;
// vessels in a box (edge included), a named zone and a drawn polygon (a corner excluded);
// search by MMSI, registry number and AIS name; exports opened again with GDAL, their audit
// rows, their limits; who may call what; strict parameters; the store switched off.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gdal_priv.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/store/track_export.hpp"
#include <ogrsf_frmts.h>

#include "registry/audit.hpp"
#include "registry/crypto.hpp"
#include "tests/app/tracks_api_test_support.hpp"

namespace sahil {
namespace {

using nlohmann::json;
using test::at;
using test::vessel_a;
using test::vessel_b;
using test::vessel_c;
using test::vessel_d;
using test::vessel_e;
using test::vessel_f;
using ::testing::HasSubstr;

class TracksApi : public test::TrackApiFixture {
protected:
    /// The MMSIs of an area answer, in order.
    static std::vector<std::int64_t> mmsis(const test::TrackReply& r) {
        std::vector<std::int64_t> out;
        for (const auto& v : r.body.value("vessels", json::array())) {
            out.push_back(v["mmsi"].get<std::int64_t>());
        }
        return out;
    }

    /// The window of the first hour after T0 as query parameters.
    static std::string hour() { return "since=" + at(0) + "&until=" + at(3600); }

    json export_body(std::vector<std::int64_t> mmsi, const std::string& format) const {
        return {{"mmsi", mmsi},
                {"since", at(0)},
                {"until", at(3600)},
                {"format", format},
                {"reason", "case MSA-2026-041"}};
    }

    std::vector<registry::AuditEntry> audit_rows(const std::string& entity) {
        return api.audit.list({.entity = entity});
    }
};

// ---- the track ----------------------------------------------------------------------------------

TEST_F(TracksApi, track_is_geojson_with_a_line_and_one_point_per_fix) {
    const auto r = get("analyst", "/api/tracks/vessels/463000001?" + hour());
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.content_type, "application/geo+json");
    EXPECT_EQ(r.header("Content-Security-Policy"), "default-src 'none'");
    EXPECT_EQ(r.body["type"], "FeatureCollection");
    EXPECT_EQ(r.body["name"], "NOOR");
    EXPECT_EQ(r.body["fixes_in_window"], 21);
    EXPECT_EQ(r.body["returned"], 21);
    EXPECT_EQ(r.body["truncated"], false);
    const auto& features = r.body["features"];
    ASSERT_EQ(features.size(), 22U); // the line and 21 points
    EXPECT_EQ(features[0]["geometry"]["type"], "LineString");
    EXPECT_EQ(features[0]["geometry"]["coordinates"].size(), 21U);
    EXPECT_EQ(features[0]["properties"]["kind"], "track");
    const auto& first = features[1];
    EXPECT_EQ(first["geometry"]["type"], "Point");
    EXPECT_EQ(first["geometry"]["coordinates"], json::parse("[63.2, 25.1]")); // lon, lat
    EXPECT_EQ(first["properties"]["time"], "2026-03-15T19:00:00Z");
    EXPECT_EQ(first["properties"]["received"], "2026-03-15T19:00:00.400Z");
    EXPECT_DOUBLE_EQ(first["properties"]["sog_kn"].get<double>(), 3.6);
    EXPECT_DOUBLE_EQ(first["properties"]["cog_deg"].get<double>(), 0.0);
    EXPECT_TRUE(first["properties"]["heading_deg"].is_null());
    EXPECT_EQ(first["properties"]["nav_status"], 0);
    EXPECT_EQ(first["properties"]["source"], "test-feed");
    EXPECT_EQ(features[21]["properties"]["time"], "2026-03-15T19:20:00Z");
}

TEST_F(TracksApi, limit_truncates_and_says_so) {
    const auto r = get("analyst", "/api/tracks/vessels/463000001?" + hour() + "&limit=5");
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.body["truncated"], true);
    EXPECT_EQ(r.body["returned"], 5);
    EXPECT_EQ(r.body["fixes_in_window"], 21);
    EXPECT_EQ(r.body["features"].size(), 6U);
    EXPECT_EQ(r.body["features"][0]["geometry"]["coordinates"].size(), 5U);
}

TEST_F(TracksApi, simplify_keeps_the_ends_of_a_straight_track_and_period_downsamples) {
    const auto s = get("analyst", "/api/tracks/vessels/463000001?" + hour() + "&simplify_m=10");
    ASSERT_EQ(s.status, 200U) << s.raw;
    EXPECT_EQ(s.body["returned"], 2); // a straight line: first and last fix
    EXPECT_EQ(s.body["simplify_m"], 10.0);
    // Regression (issue-6 analyst trial): the two kept fixes are 20 min apart, but the stored
    // track has no silence between them, so the line feature is still there.
    ASSERT_EQ(s.body["features"].size(), 3U) << s.raw;
    EXPECT_EQ(s.body["features"][0]["geometry"]["type"], "LineString");
    EXPECT_EQ(s.body["features"][0]["geometry"]["coordinates"].size(), 2U);
    const auto p = get("analyst", "/api/tracks/vessels/463000001?" + hour() + "&period_s=300");
    ASSERT_EQ(p.status, 200U) << p.raw;
    EXPECT_EQ(p.body["returned"], 5); // minutes 0, 5, 10, 15, 20 (T0 is a multiple of 300 s)
    EXPECT_EQ(
        get("analyst", "/api/tracks/vessels/463000001?" + hour() + "&simplify_m=10&period_s=300")
            .field(),
        "period_s");
}

TEST_F(TracksApi, an_empty_window_is_an_empty_collection) {
    const auto r =
        get("analyst", "/api/tracks/vessels/463000001?since=" + at(7200) + "&until=" + at(10800));
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.body["fixes_in_window"], 0);
    EXPECT_TRUE(r.body["features"].empty());
}

TEST_F(TracksApi, bad_or_missing_parameters_are_400_naming_them) {
    const std::string base = "/api/tracks/vessels/463000001?";
    struct Case {
        std::string query;
        std::string parameter;
    };
    for (const Case& c : std::vector<Case>{
             {"until=" + at(3600), "since"},
             {"since=" + at(0), "until"},
             {"since=yesterday&until=" + at(3600), "since"},
             {"since=2026-03-15T19:00:00&until=" + at(3600), "since"}, // no Z
             {"since=" + at(3600) + "&until=" + at(0), "until"},
             {"since=" + at(0) + "&until=" + at(32 * 86400), "until"}, // 32 days
             {hour() + "&limit=0", "limit"},
             {hour() + "&limit=100001", "limit"},
             {hour() + "&simplify_m=-1", "simplify_m"},
             {hour() + "&period_s=0", "period_s"},
             {hour() + "&colour=red", "colour"},
         }) {
        const auto r = get("analyst", base + c.query);
        EXPECT_EQ(r.status, 400U) << c.query;
        EXPECT_EQ(r.error(), "bad_request") << c.query;
        EXPECT_EQ(r.field(), c.parameter) << c.query << " " << r.raw;
    }
    EXPECT_EQ(get("analyst", "/api/tracks/vessels/abc?" + hour()).field(), "mmsi");
    EXPECT_EQ(get("analyst", "/api/tracks/vessels/1234567890?" + hour()).field(), "mmsi");
}

// ---- statistics, events, encounters -------------------------------------------------------------

TEST_F(TracksApi, stats_add_up_the_geodesic_steps) {
    const auto r = get("analyst", "/api/tracks/vessels/463000001/stats?" + hour());
    ASSERT_EQ(r.status, 200U) << r.raw;
    double expected_m = 0;
    const auto fixes = seeded_where([](const auto& f) { return f.vessel == vessel_a; });
    for (std::size_t i = 1; i < fixes.size(); ++i) {
        expected_m += geo::distance_m(fixes[i - 1].position(), fixes[i].position());
    }
    EXPECT_EQ(r.body["fixes"], 21);
    EXPECT_NEAR(r.body["distance_m"].get<double>(), expected_m, 0.1);
    EXPECT_EQ(r.body["duration_s"], 1200);
    EXPECT_EQ(r.body["moving_s"], 1200); // 111 m a minute is 3.6 kn, above 0.5 kn
    EXPECT_DOUBLE_EQ(r.body["max_sog_knots"].get<double>(), 3.6);
    EXPECT_TRUE(r.body["stops"].empty());
}

TEST_F(TracksApi, events_find_the_port_visit_the_departure_and_the_gap_after_it) {
    const auto r = get("analyst", "/api/tracks/vessels/463000006/events?since=" + at(0) +
                                      "&until=" + at(4 * 3600));
    ASSERT_EQ(r.status, 200U) << r.raw;
    std::vector<std::string> kinds;
    for (const auto& e : r.body["events"]) {
        kinds.push_back(e["kind"]);
    }
    ASSERT_EQ(kinds, (std::vector<std::string>{"port_visit", "departure", "ais_gap"})) << r.raw;
    const auto& events = r.body["events"];
    EXPECT_EQ(events[0]["zone_id"], "PK-HBR-05");
    EXPECT_EQ(events[0]["start"], at(0));
    EXPECT_EQ(events[0]["end"], at(600));
    EXPECT_EQ(events[1]["zone_name"], "Pasni Fish Harbour");
    // The gap rule uses the live parameters: 2 h after a departure, here 3 h of silence.
    EXPECT_EQ(events[2]["basis"], "after_departure");
    EXPECT_EQ(events[2]["start"], at(14 * 60));
    EXPECT_EQ(events[2]["end"], at(3 * 3600 + 14 * 60));
    EXPECT_EQ(r.body["rule_parameters"]["vessel_class"], "other");
}

TEST_F(TracksApi, events_find_a_rendezvous_at_sea_with_the_other_vessel_and_not_a_passer_by) {
    // G and H drift 250 m apart at 1 kn for 45 min, some 60 km from any harbour: R7 (500 m,
    // 30 min, < 3 kn, > 3 nm from harbours). I passes within 400 m for 10 min only; J keeps
    // them company at 6 kn (not slow). Worked out from the definition: one rendezvous G-H over
    // the time both tracks cover.
    const std::int64_t g = 463100010;
    const std::int64_t h = 463100011;
    const std::int64_t passer = 463100012;
    const std::int64_t fast = 463100013;
    const geo::Position g_at{24.800, 63.900};
    const geo::Position h_at = geo::destination(g_at, 90.0, 250.0);
    const geo::Position i_at = geo::destination(g_at, 270.0, 400.0);
    const geo::Position j_at = geo::destination(g_at, 0.0, 300.0);
    for (int i = 0; i <= 45; ++i) {
        add(g, i * 60, g_at.lat_deg, g_at.lon_deg, 1.0, 90);
        add(h, i * 60 + 20, h_at.lat_deg, h_at.lon_deg, 1.0, 90);
        add(fast, i * 60 + 40, j_at.lat_deg, j_at.lon_deg, 6.0, 90);
        if (i >= 10 && i < 20) {
            add(passer, i * 60 + 10, i_at.lat_deg, i_at.lon_deg, 2.0, 0);
        }
    }
    tracks->flush();
    const auto r = get("analyst", "/api/tracks/vessels/463100010/events?" + hour());
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.body["rule_parameters"]["rendezvous_checked"], true);
    ASSERT_EQ(r.body["count"], 1) << r.raw;
    const auto& e = r.body["events"][0];
    EXPECT_EQ(e["kind"], "rendezvous");
    EXPECT_EQ(e["other_mmsi"], h);
    // Both positions exist only between H's first fix (20 s) and G's last (45 min): positions
    // are interpolated between fixes, never extrapolated beyond a track's ends.
    EXPECT_EQ(e["start"], at(20));
    EXPECT_EQ(e["end"], at(45 * 60));
    EXPECT_EQ(e["basis"], "away_from_harbours");
    // The other side sees the same meeting.
    const auto other = get("analyst", "/api/tracks/vessels/463100011/events?" + hour());
    ASSERT_EQ(other.body["count"], 1) << other.raw;
    EXPECT_EQ(other.body["events"][0]["other_mmsi"], g);
    // Parameters that differ between the two (an override for speedboats, H one): as live, the
    // duration is judged by the lower MMSI (the live rule raises the pair's alert at its
    // fixes), so both histories agree. Here G (lower, class other) needs 30 min: found.
    tracks->append_static({h, test::t0_s * 1000, "H", "", std::nullopt, 40, ""});
    tracks->flush();
    config.tracking.rules.overrides.push_back(
        {"", rules::VesselClass::speedboat, {{"rendezvous_min_minutes", 90.0}}});
    for (const std::int64_t side : {g, h}) {
        const auto both =
            get("analyst", "/api/tracks/vessels/" + std::to_string(side) + "/events?" + hour());
        EXPECT_EQ(both.body["count"], 1) << side << " " << both.raw;
    }
    // A range of 200 m for H alone: the live rule breaks the pair at each of H's fixes (they
    // are 250 m apart), so no alert; the history agrees on both sides.
    config.tracking.rules.overrides.back().values = {{"rendezvous_distance_m", 200.0}};
    for (const std::int64_t side : {g, h}) {
        const auto apart =
            get("analyst", "/api/tracks/vessels/" + std::to_string(side) + "/events?" + hour());
        EXPECT_EQ(apart.body["count"], 0) << side << " " << apart.raw;
    }
    config.tracking.rules.overrides.back().values = {{"rendezvous_min_minutes", 90.0}};
    // G a speedboat too: the pair needs 90 min by G's parameters; neither history lists it.
    tracks->append_static({g, test::t0_s * 1000, "G", "", std::nullopt, 40, ""});
    tracks->flush();
    for (const std::int64_t side : {g, h}) {
        const auto neither =
            get("analyst", "/api/tracks/vessels/" + std::to_string(side) + "/events?" + hour());
        EXPECT_EQ(neither.body["count"], 0) << side << " " << neither.raw;
    }
    config.tracking.rules.overrides.clear();
    // Windows longer than the encounter search's 7 days are answered without rendezvous.
    const auto long_window =
        get("analyst",
            "/api/tracks/vessels/463100010/events?since=" + at(-86400) + "&until=" + at(8 * 86400));
    ASSERT_EQ(long_window.status, 200U) << long_window.raw;
    EXPECT_EQ(long_window.body["rule_parameters"]["rendezvous_checked"], false);
    EXPECT_EQ(long_window.body["count"], 0);
}

TEST_F(TracksApi, near_finds_the_other_vessel_at_the_distance_geodesics_give) {
    const double expected = geo::distance_m(d_position, e_position);
    const auto r = get("analyst", "/api/tracks/vessels/463000004/near?radius_m=500&" + hour());
    ASSERT_EQ(r.status, 200U) << r.raw;
    ASSERT_EQ(r.body["count"], 1);
    const auto& e = r.body["encounters"][0];
    EXPECT_EQ(e["mmsi"], vessel_e);
    EXPECT_NEAR(e["min_distance_m"].get<double>(), expected, 0.2);
    EXPECT_EQ(e["first_within"], at(0));
    EXPECT_EQ(e["last_within"], at(540));
    EXPECT_EQ(
        get("analyst", "/api/tracks/vessels/463000004/near?radius_m=100&" + hour()).body["count"],
        0);
    EXPECT_EQ(get("analyst", "/api/tracks/vessels/463000004/near?radius_m=5&" + hour()).field(),
              "radius_m");
    EXPECT_EQ(get("analyst", "/api/tracks/vessels/463000004/near?" + hour()).field(), "radius_m");
    EXPECT_EQ(get("analyst", "/api/tracks/vessels/463000004/near?radius_m=500&since=" + at(0) +
                                 "&until=" + at(8 * 86400))
                  .field(),
              "until"); // encounters: at most 7 days
}

// ---- areas
// ----------------------------------------------------------------------------------------

TEST_F(TracksApi, bbox_includes_a_vessel_on_its_edge_and_not_one_outside) {
    const auto r = get("analyst", "/api/tracks/area?bbox=63.2,25.0,63.5,25.5&" + hour());
    ASSERT_EQ(r.status, 200U) << r.raw;
    // A runs along the west edge (63.2); B is at 63.1; F's harbour fixes are inside.
    EXPECT_EQ(mmsis(r),
              (std::vector<std::int64_t>{vessel_a, vessel_c, vessel_d, vessel_e, vessel_f}));
    const auto& a = r.body["vessels"][0];
    EXPECT_EQ(a["name"], "NOOR");
    EXPECT_EQ(a["fixes"], 21);
    EXPECT_EQ(a["first_seen"], at(0));
    EXPECT_EQ(a["last_seen"], at(1200));
    EXPECT_EQ(a["gaps"], 0);
    // The same box an hour later holds only F's last fixes... which came at 3 h 14 min.
    EXPECT_TRUE(mmsis(get("analyst", "/api/tracks/area?bbox=63.2,25.0,63.5,25.5&since=" + at(3600) +
                                         "&until=" + at(7200)))
                    .empty());
    for (const char* bad : {"63.5,25.0,63.2,25.5", "63.2,25.0,63.5", "x,1,2,3", "63,95,64,96"}) {
        EXPECT_EQ(
            get("analyst", std::string("/api/tracks/area?bbox=") + bad + "&" + hour()).field(),
            "bbox")
            << bad;
    }
    EXPECT_EQ(get("analyst", "/api/tracks/area?" + hour()).status, 400U);
}

TEST_F(TracksApi, zone_uses_the_exact_shape_of_a_sea_zone_or_harbour) {
    const auto sea = get("analyst", "/api/tracks/area?zone=territorial_sea&" + hour());
    ASSERT_EQ(sea.status, 200U) << sea.raw;
    EXPECT_EQ(mmsis(sea), (std::vector<std::int64_t>{vessel_a, vessel_b}));
    EXPECT_EQ(sea.body["area"]["zone"]["layer"], "sea_zones");
    const auto harbour = get("analyst", "/api/tracks/area?zone=PK-HBR-05&" + hour());
    ASSERT_EQ(harbour.status, 200U) << harbour.raw;
    EXPECT_EQ(mmsis(harbour), (std::vector<std::int64_t>{vessel_f}));
    EXPECT_EQ(harbour.body["vessels"][0]["fixes"], 11); // in the harbour for minutes 0..10
    const auto unknown = get("analyst", "/api/tracks/area?zone=atlantis&" + hour());
    EXPECT_EQ(unknown.field(), "zone");
    EXPECT_THAT(unknown.body["message"].get<std::string>(), HasSubstr("territorial_sea"));
}

TEST_F(TracksApi, polygon_excludes_the_corner_its_bounding_box_would_take) {
    // Literal arrays are parsed: nested braces of one element would be flattened.
    const json triangle = {
        {"type", "Polygon"},
        {"coordinates", json::parse("[[[63.0,25.0],[63.6,25.0],[63.0,25.6],[63.0,25.0]]]")}};
    const auto r = post("analyst", "/api/tracks/area?" + hour(), triangle);
    ASSERT_EQ(r.status, 200U) << r.raw;
    // C, D, E and F are inside the triangle's box but beyond its hypotenuse.
    EXPECT_EQ(mmsis(r), (std::vector<std::int64_t>{vessel_a, vessel_b}));
    EXPECT_EQ(r.body["area"]["polygon"]["vertices"], 4);
    // GeoJSON's own media type is accepted too, and a MultiPolygon.
    const json multi = {{"type", "MultiPolygon"},
                        {"coordinates", json::array({triangle["coordinates"]})}};
    const auto m =
        send("analyst", "POST", "/api/tracks/area?" + hour(), multi.dump(), "application/geo+json");
    ASSERT_EQ(m.status, 200U) << m.raw;
    EXPECT_EQ(mmsis(m), (std::vector<std::int64_t>{vessel_a, vessel_b}));
}

TEST_F(TracksApi, polygon_bodies_are_strict) {
    const auto ring = json::parse("[[63.0,25.0],[63.6,25.0],[63.0,25.6],[63.0,25.0]]");
    json big = json::array();
    for (int i = 0; i < 10'001; ++i) {
        const double a = 2 * 3.141592653589793 * i / 10'001;
        big.push_back({63.3 + 0.1 * std::cos(a), 25.3 + 0.1 * std::sin(a)});
    }
    big.push_back(big[0]);
    struct Case {
        json body;
        std::string field;
    };
    for (const Case& c : std::vector<Case>{
             {{{"type", "Point"}, {"coordinates", {63.0, 25.0}}}, "type"},
             {{{"type", "Polygon"}, {"coordinates", json::array({ring})}, {"name", "x"}}, "name"},
             {{{"type", "Polygon"},
               {"coordinates", json::parse("[[[63.0,25.0],[63.6,25.0],[63.0,25.6],[63.1,25.0]]]")}},
              "coordinates[0]"},
             {{{"type", "Polygon"},
               {"coordinates", json::parse("[[[630,25.0],[63.6,25.0],[63.0,25.6],[630,25.0]]]")}},
              "coordinates[0][0]"},
             {{{"type", "Polygon"}, // a bow tie: its edges cross
               {"coordinates", json::parse("[[[63.0,25.0],[63.2,25.2],[63.2,25.0],[63.0,25.2],"
                                           "[63.0,25.0]]]")}},
              "coordinates"},
             {{{"type", "Polygon"}, {"coordinates", json::array({big})}}, "coordinates"},
             {{{"type", "Polygon"},
               {"coordinates", json::array({ring})},
               {"crs", {{"type", "name"}, {"properties", {{"name", "EPSG:3857"}}}}}},
              "crs"},
         }) {
        const auto r = post("analyst", "/api/tracks/area?" + hour(), c.body);
        EXPECT_EQ(r.status, 422U) << c.body.dump().substr(0, 200);
        EXPECT_EQ(r.field(), c.field) << r.raw.substr(0, 300);
    }
    EXPECT_EQ(send("analyst", "POST", "/api/tracks/area?" + hour(), "not json").status, 400U);
    EXPECT_EQ(send("analyst", "POST", "/api/tracks/area?" + hour(), "{}", "text/plain").status,
              415U);
}

// ---- search
// --------------------------------------------------------------------------------------

TEST_F(TracksApi, search_finds_vessels_by_registry_number_ais_name_and_mmsi) {
    const auto reg = get("analyst", "/api/tracks/search?q=PSN-0001");
    ASSERT_EQ(reg.status, 200U) << reg.raw;
    ASSERT_GE(reg.body["count"].get<int>(), 1);
    EXPECT_EQ(reg.body["vessels"][0]["mmsi"], vessel_a);
    EXPECT_EQ(reg.body["vessels"][0]["registry"]["registration_number"], "PSN-0001");
    EXPECT_EQ(reg.body["vessels"][0]["ais_name"], "NOOR");

    const auto ais = get("analyst", "/api/tracks/search?q=hawk");
    ASSERT_EQ(ais.status, 200U) << ais.raw;
    ASSERT_EQ(ais.body["count"], 1);
    EXPECT_EQ(ais.body["vessels"][0]["mmsi"], vessel_b);
    EXPECT_EQ(ais.body["vessels"][0]["ais_call_sign"], "AP1234");
    EXPECT_TRUE(ais.body["vessels"][0]["registry"].is_null());

    // B renames itself: found by the old name too, with the report that matched.
    tracks->append_static({vessel_b, (test::t0_s + 7200) * 1000, "DARK STAR", "AP1234",
                           std::nullopt, std::nullopt, ""});
    tracks->flush();
    const auto old_name = get("analyst", "/api/tracks/search?q=hawk");
    ASSERT_EQ(old_name.body["count"], 1) << old_name.raw;
    EXPECT_EQ(old_name.body["vessels"][0]["ais_name"], "DARK STAR");
    EXPECT_EQ(old_name.body["vessels"][0]["matched_report"]["name"], "SEA HAWK");
    EXPECT_EQ(get("analyst", "/api/tracks/search?q=dark").body["count"], 1);

    const auto by_mmsi = get("analyst", "/api/tracks/search?q=463000005");
    ASSERT_EQ(by_mmsi.status, 200U) << by_mmsi.raw;
    EXPECT_EQ(by_mmsi.body["vessels"][0]["mmsi"], vessel_e);
    EXPECT_EQ(by_mmsi.body["vessels"][0]["matched"][0], "mmsi");

    EXPECT_EQ(get("analyst", "/api/tracks/search?q=x").field(), "q");
    EXPECT_EQ(get("analyst", "/api/tracks/search").field(), "q");
}

// ---- exports ------------------------------------------------------------------------------------

TEST_F(TracksApi, export_opens_with_gdal_with_every_fix_and_is_audited_with_its_reason) {
    const auto r = post("analyst", "/api/tracks/export", export_body({vessel_a, vessel_b}, "gpkg"));
    ASSERT_EQ(r.status, 200U) << r.raw.substr(0, 300);
    EXPECT_EQ(r.content_type, "application/geopackage+sqlite3");
    EXPECT_EQ(r.header("Content-Disposition"),
              "attachment; filename=\"sahil-tracks-20260315T190000Z-2-vessels.gpkg\"");
    EXPECT_EQ(r.header("X-Export-Fixes"), "31");
    EXPECT_TRUE(r.streamed); // sent from the file, not from memory
    EXPECT_EQ(r.header("X-Export-SHA256"), registry::sha256_hex(r.raw));
    const auto file = tmp.path() / "download.gpkg";
    std::ofstream(file, std::ios::binary) << r.raw;
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(
        GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    ASSERT_NE(ds->GetLayerByName("fixes"), nullptr);
    EXPECT_EQ(ds->GetLayerByName("fixes")->GetFeatureCount(), 31); // 21 of A, 10 of B
    EXPECT_EQ(ds->GetLayerByName("tracks")->GetFeatureCount(), 2);
    ds.reset();
    // Nothing is left in the export folder once the response is gone.
    const auto dir = std::filesystem::path(config.tracks.path).parent_path() / "exports";
    EXPECT_TRUE(std::filesystem::is_empty(dir));

    const auto rows = audit_rows("track_export");
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0].event.action, "tracks.export");
    EXPECT_EQ(rows[0].event.reason, "case MSA-2026-041");
    EXPECT_EQ(rows[0].actor.user, "analyst");
    EXPECT_EQ(rows[0].actor.role, "msa_analyst");
    const auto after = json::parse(*rows[0].event.after_json);
    EXPECT_EQ(after["mmsi"], json::parse("[463000001, 463000002]"));
    EXPECT_EQ(after["fixes"], 31);
    EXPECT_EQ(after["format"], "gpkg");
    EXPECT_EQ(after["since"], at(0));
    EXPECT_EQ(after["sha256"], registry::sha256_hex(r.raw));
    EXPECT_TRUE(api.audit.verify().ok());
}

TEST_F(TracksApi, export_formats_carry_their_media_types) {
    for (const auto& [format, type] : std::vector<std::pair<std::string, std::string>>{
             {"geojson", "application/geo+json"},
             {"csv", "text/csv; charset=utf-8"},
             {"kml", "application/vnd.google-earth.kml+xml; charset=utf-8"},
             {"gpx", "application/gpx+xml; charset=utf-8"}}) {
        const auto r = post("root", "/api/tracks/export", export_body({vessel_a}, format));
        ASSERT_EQ(r.status, 200U) << format << " " << r.raw.substr(0, 200);
        EXPECT_EQ(r.content_type, type);
        EXPECT_THAT(r.header("Content-Disposition"), HasSubstr("-463000001." + format));
    }
    // CSV: a header and one row per fix.
    const auto csv = post("root", "/api/tracks/export", export_body({vessel_a}, "csv"));
    EXPECT_EQ(std::count(csv.raw.begin(), csv.raw.end(), '\n'), 22);
}

TEST_F(TracksApi, too_large_exports_are_refused_and_recorded) {
    api.track_export_max_fixes = 20; // A alone has 21 fixes in the hour
    const auto r = post("analyst", "/api/tracks/export", export_body({vessel_a}, "csv"));
    EXPECT_EQ(r.status, 422U);
    EXPECT_EQ(r.field(), "mmsi");
    EXPECT_THAT(r.body["message"].get<std::string>(), HasSubstr("more than 20 fixes"));
    const auto rows = audit_rows("track_export");
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0].event.action, "tracks.export_refused");
    EXPECT_EQ(rows[0].event.reason, "case MSA-2026-041");

    std::vector<std::int64_t> many;
    for (std::int64_t i = 0; i < 51; ++i) {
        many.push_back(463100000 + i);
    }
    const auto too_many = post("analyst", "/api/tracks/export", export_body(many, "csv"));
    EXPECT_EQ(too_many.status, 422U);
    EXPECT_EQ(too_many.field(), "mmsi");
    EXPECT_THAT(too_many.body["message"].get<std::string>(), HasSubstr("at most 50 vessels"));
}

TEST_F(TracksApi, kml_exports_over_the_kml_cap_are_refused_pointing_to_gpkg_or_gpx) {
    // 2,001 fixes of one vessel within the hour (about one every 1.8 s): over store::
    // kml_max_fixes, far under the general limit.
    const std::int64_t busy = 463100099;
    for (int i = 0; i <= static_cast<int>(store::kml_max_fixes); ++i) {
        add(busy, i * 18 / 10, 25.0 + i * 1e-5, 63.0);
    }
    tracks->flush();
    const auto kml = post("analyst", "/api/tracks/export", export_body({busy}, "kml"));
    EXPECT_EQ(kml.status, 422U) << kml.raw;
    EXPECT_THAT(kml.body["message"].get<std::string>(), HasSubstr("gpkg or gpx"));
    const auto gpx = post("analyst", "/api/tracks/export", export_body({busy}, "gpx"));
    EXPECT_EQ(gpx.status, 200U);
}

/// The fixture's store, except that the first scan_track waits until release() (to hold an
/// export in progress).
class HeldStore final : public store::TrackStore {
public:
    explicit HeldStore(store::TrackStore& inner) : m_inner(inner) {}
    void release() { m_release.set_value(); }
    /// Blocks until a scan is being held.
    void wait_until_held() { m_held.get_future().wait(); }
    bool append(const store::TrackFix& f) override { return m_inner.append(f); }
    void append_static(store::StaticRecord r) override { m_inner.append_static(std::move(r)); }
    std::uint16_t source_id(const std::string& n) override { return m_inner.source_id(n); }
    std::string source_name(std::uint16_t id) const override { return m_inner.source_name(id); }
    void flush() override { m_inner.flush(); }
    void scan_track(std::int64_t vessel, const store::TimeWindow& window,
                    const store::FixVisitor& visit) const override {
        if (!m_first.exchange(true)) {
            m_held.set_value();
            m_gate.wait();
        }
        m_inner.scan_track(vessel, window, visit);
    }
    void scan_area(const store::GeoBox& box, const store::TimeWindow& window,
                   const store::FixVisitor& visit) const override {
        m_inner.scan_area(box, window, visit);
    }
    std::vector<store::StaticRecord> static_history(std::int64_t v,
                                                    std::int64_t until) const override {
        return m_inner.static_history(v, until);
    }
    std::vector<store::StaticRecord> find_by_name(const std::string& t,
                                                  std::size_t limit) const override {
        return m_inner.find_by_name(t, limit);
    }
    store::TrackStoreCounters counters() const override { return m_inner.counters(); }

private:
    store::TrackStore& m_inner;
    mutable std::atomic<bool> m_first{false};
    mutable std::promise<void> m_held;
    std::promise<void> m_release;
    std::shared_future<void> m_gate{m_release.get_future().share()};
};

TEST_F(TracksApi, a_second_export_while_one_is_written_is_refused_with_retry_after) {
    // One export at a time: of the two track workers one stays free for queries.
    HeldStore held(*tracks);
    api.tracks = &held;
    test::TrackReply first;
    std::thread writer(
        [&] { first = post("analyst", "/api/tracks/export", export_body({vessel_a}, "csv")); });
    held.wait_until_held();
    const auto second = post("root", "/api/tracks/export", export_body({vessel_b}, "csv"));
    EXPECT_EQ(second.status, 503U) << second.raw;
    EXPECT_EQ(second.header("Retry-After"), "60");
    // Queries go on meanwhile.
    EXPECT_EQ(get("analyst", "/api/tracks/vessels/463000002?" + hour()).status, 200U);
    held.release();
    writer.join();
    EXPECT_EQ(first.status, 200U) << first.raw.substr(0, 200);
    // And once it is done, the next export runs.
    EXPECT_EQ(post("root", "/api/tracks/export", export_body({vessel_b}, "csv")).status, 200U);
    api.tracks = tracks.get();
}

TEST_F(TracksApi, export_bodies_are_strict) {
    struct Case {
        std::function<void(json&)> change;
        std::string field;
    };
    for (const Case& c : std::vector<Case>{
             {[](json& b) { b.erase("reason"); }, "reason"},
             {[](json& b) { b["reason"] = "  x "; }, "reason"},
             {[](json& b) { b["reason"] = std::string(501, 'r'); }, "reason"},
             {[](json& b) { b["format"] = "shp"; }, "format"},
             {[](json& b) { b["mmsi"] = json::array(); }, "mmsi"},
             {[](json& b) {
                  b["mmsi"] = {463000001, 463000001};
              },
              "mmsi[1]"},
             {[](json& b) { b["mmsi"] = {"463000001"}; }, "mmsi[0]"},
             {[](json& b) { b["until"] = at(-60); }, "until"},
             {[](json& b) { b["since"] = "2026-03-15"; }, "since"},
             {[](json& b) {
                  b["points"] = false;
                  b["lines"] = false;
              },
              "points"},
             {[](json& b) { b["case"] = "x"; }, "case"},
         }) {
        json body = export_body({vessel_a}, "csv");
        c.change(body);
        const auto r = post("analyst", "/api/tracks/export", body);
        EXPECT_EQ(r.status, 422U) << body.dump();
        EXPECT_EQ(r.field(), c.field) << body.dump() << " " << r.raw;
    }
    EXPECT_TRUE(audit_rows("track_export").empty()); // invalid requests export nothing
}

// ---- who may call what
// ----------------------------------------------------------------------------

TEST_F(TracksApi, readers_read_exporters_export_and_clerks_and_supervisors_get_nothing) {
    const std::string track = "/api/tracks/vessels/463000001?" + hour();
    for (const char* who : {"root", "watch", "msa", "analyst", "audit"}) {
        EXPECT_EQ(get(who, track).status, 200U) << who;
    }
    for (const char* who : {"amina", "sup"}) {
        EXPECT_EQ(get(who, track).status, 403U) << who;
        EXPECT_EQ(get(who, "/api/tracks/search?q=noor").status, 403U) << who;
        EXPECT_EQ(post(who, "/api/tracks/export", export_body({vessel_a}, "csv")).status, 403U)
            << who;
    }
    for (const char* who : {"watch", "msa", "audit"}) {
        EXPECT_EQ(post(who, "/api/tracks/export", export_body({vessel_a}, "csv")).status, 403U)
            << who;
    }
    EXPECT_EQ(post("root", "/api/tracks/export", export_body({vessel_a}, "csv")).status, 200U);
    // The 403s of signed-in users are in the audit trail (the Router's), the export too.
    EXPECT_EQ(audit_rows("track_export").size(), 1U);
    EXPECT_GE(audit_rows("route").size(), 5U);
}

TEST_F(TracksApi, scans_run_on_the_track_workers_and_answer_from_there) {
    std::vector<std::function<void()>> queued;
    api.run_track_job = [&queued](std::function<void()> job) { queued.push_back(std::move(job)); };
    http::Request r;
    r.method = "GET";
    r.path = "/api/tracks/vessels/463000001/stats";
    r.target = r.path;
    r.query = {{"since", at(0)}, {"until", at(3600)}};
    r.headers.emplace_back("Authorization", "Bearer " + token.at("analyst"));
    std::optional<http::Response> out;
    router.dispatch(r, [&out](http::Response resp) { out = std::move(resp); });
    EXPECT_FALSE(out.has_value()); // handed to a worker, not answered on the io thread
    ASSERT_EQ(queued.size(), 1U);
    queued[0]();
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(out->status, 200U);
    EXPECT_EQ(json::parse(out->body)["fixes"], 21);
    // The cheap OGC documents stay on the io thread.
    out.reset();
    r.path = r.target = "/ogc/conformance";
    r.query.clear();
    router.dispatch(r, [&out](http::Response resp) { out = std::move(resp); });
    EXPECT_TRUE(out.has_value());
    EXPECT_EQ(queued.size(), 1U);
}

TEST_F(TracksApi, with_the_store_switched_off_every_route_says_so) {
    api.tracks = nullptr;
    for (const std::string& target : std::vector<std::string>{
             "/api/tracks/vessels/463000001?" + hour(),
             "/api/tracks/vessels/463000001/stats?" + hour(),
             "/api/tracks/vessels/463000001/events?" + hour(),
             "/api/tracks/vessels/463000001/near?radius_m=100&" + hour(),
             "/api/tracks/area?bbox=63,25,64,26&" + hour(), "/api/tracks/search?q=noor"}) {
        const auto r = get("analyst", target);
        EXPECT_EQ(r.status, 503U) << target;
        EXPECT_EQ(r.error(), "unavailable") << target;
        EXPECT_THAT(r.body["message"].get<std::string>(), HasSubstr("[tracks] enabled = false"));
    }
    EXPECT_EQ(post("analyst", "/api/tracks/export", export_body({vessel_a}, "csv")).status, 503U);
}

} // namespace
} // namespace sahil
