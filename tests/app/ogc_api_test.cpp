// OGC API – Features (server/app/ogc_api.cpp): the landing page, conformance and collections
// documents, items with bbox, datetime (instants, intervals, open ends), limit and offset paging
// through the `next` links, numberMatched/numberReturned, single features, the fixes
// collection's refusal of unbounded requests, strict parameters and roles, all through sahild's
// real router (tracks_api_test_support.hpp has the data); then sahild itself with a small track
// store, read by the real `ogrinfo` through GDAL's OAPIF driver with the API token passed as
// `--config GDAL_HTTP_HEADERS "Authorization: Bearer ..."` (GDAL >= 3.6).
#include <array>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/app/daemon_test_support.hpp"
#include "tests/app/tracks_api_test_support.hpp"

namespace sahil {
namespace {

using nlohmann::json;
using test::at;
using ::testing::HasSubstr;

class OgcApi : public test::TrackApiFixture {
protected:
    /// The target (path and query) of an absolute link of this server.
    static std::string target_of(const std::string& href) {
        const std::string base = "http://sahil.local:8617";
        EXPECT_EQ(href.substr(0, base.size()), base) << href;
        return href.substr(base.size());
    }

    static std::string link(const json& doc, const std::string& rel) {
        for (const auto& l : doc["links"]) {
            if (l["rel"] == rel) {
                return l["href"];
            }
        }
        return {};
    }
};

TEST_F(OgcApi, landing_page_links_conformance_and_collections) {
    const auto r = get("analyst", "/ogc");
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(link(r.body, "self"), "http://sahil.local:8617/ogc");
    EXPECT_EQ(link(r.body, "conformance"), "http://sahil.local:8617/ogc/conformance");
    EXPECT_EQ(link(r.body, "data"), "http://sahil.local:8617/ogc/collections");
    const auto c = get("analyst", "/ogc/conformance");
    ASSERT_EQ(c.status, 200U);
    EXPECT_THAT(
        c.body["conformsTo"].get<std::vector<std::string>>(),
        ::testing::ElementsAre("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                               "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"));
}

TEST_F(OgcApi, collections_lists_fixes_zones_and_vessels_with_extents_and_items_links) {
    const auto r = get("analyst", "/ogc/collections");
    ASSERT_EQ(r.status, 200U) << r.raw;
    std::vector<std::string> ids;
    for (const auto& c : r.body["collections"]) {
        ids.push_back(c["id"]);
        EXPECT_EQ(link(c, "items"), "http://sahil.local:8617/ogc/collections/" +
                                        c["id"].get<std::string>() + "/items");
        EXPECT_EQ(c["itemType"], "feature");
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"fixes", "sea_zones", "harbours", "vessels"}));
    const auto harbours = get("analyst", "/ogc/collections/harbours");
    ASSERT_EQ(harbours.status, 200U);
    EXPECT_EQ(harbours.body["extent"]["spatial"]["bbox"],
              json::parse("[[63.47,25.24,63.49,25.26]]"));
    const auto fixes = get("analyst", "/ogc/collections/fixes");
    EXPECT_THAT(fixes.body["description"].get<std::string>(), HasSubstr("at most 7 days"));
    EXPECT_EQ(get("analyst", "/ogc/collections/nothing").status, 404U);
}

TEST_F(OgcApi, zone_items_are_geojson_multipolygons_with_exterior_rings_counter_clockwise) {
    const auto r = get("analyst", "/ogc/collections/harbours/items");
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.content_type, "application/geo+json");
    EXPECT_EQ(r.body["numberMatched"], 1);
    EXPECT_EQ(r.body["numberReturned"], 1);
    const auto& f = r.body["features"][0];
    EXPECT_EQ(f["id"], "PK-HBR-05");
    EXPECT_EQ(f["properties"]["name"], "Pasni Fish Harbour");
    EXPECT_EQ(f["properties"]["province"], "Balochistan");
    EXPECT_EQ(f["geometry"]["type"], "MultiPolygon");
    const auto& ring = f["geometry"]["coordinates"][0][0];
    double twice_area = 0; // shoelace: positive for counter-clockwise (RFC 7946 3.1.6)
    for (std::size_t i = 1; i < ring.size(); ++i) {
        twice_area += ring[i - 1][0].get<double>() * ring[i][1].get<double>() -
                      ring[i][0].get<double>() * ring[i - 1][1].get<double>();
    }
    EXPECT_GT(twice_area, 0);
    EXPECT_EQ(get("analyst", "/ogc/collections/sea_zones/items?bbox=63.3,25.0,63.4,25.1")
                  .body["numberMatched"],
              0);
    const auto one = get("analyst", "/ogc/collections/sea_zones/items/territorial_sea");
    ASSERT_EQ(one.status, 200U);
    EXPECT_EQ(one.body["type"], "Feature");
    EXPECT_EQ(link(one.body, "collection"), "http://sahil.local:8617/ogc/collections/sea_zones");
    EXPECT_EQ(get("analyst", "/ogc/collections/harbours/items/PK-HBR-99").status, 404U);
}

TEST_F(OgcApi, fixes_need_a_bbox_or_a_short_interval) {
    const auto none = get("analyst", "/ogc/collections/fixes/items");
    EXPECT_EQ(none.status, 400U);
    EXPECT_EQ(none.field(), "bbox");
    EXPECT_THAT(none.body["message"].get<std::string>(), HasSubstr("at most 7 days"));
    EXPECT_EQ(get("analyst", "/ogc/collections/fixes/items?datetime=" + at(0) + "/" + at(8 * 86400))
                  .field(),
              "datetime");
    EXPECT_EQ(get("analyst", "/ogc/collections/fixes/items?datetime=" + at(0) + "/..").field(),
              "datetime");
    for (const std::string& bad :
         std::vector<std::string>{"yesterday", at(3600) + "/" + at(0), "a/b/c"}) {
        EXPECT_EQ(get("analyst", "/ogc/collections/fixes/items?datetime=" + bad).field(),
                  "datetime")
            << bad;
    }
}

TEST_F(OgcApi, fixes_in_an_interval_are_counted_and_paged_through_next_links) {
    const auto expected = seeded_where([](const store::TrackFix& f) {
        return f.time_ms >= test::t0_s * 1000 && f.time_ms <= (test::t0_s + 3600) * 1000;
    });
    std::string target =
        "/ogc/collections/fixes/items?datetime=" + at(0) + "/" + at(3600) + "&limit=25";
    std::vector<std::string> ids;
    int pages = 0;
    while (!target.empty() && pages < 10) {
        const auto r = get("analyst", target);
        ASSERT_EQ(r.status, 200U) << r.raw;
        EXPECT_EQ(r.body["numberMatched"], expected.size());
        EXPECT_LE(r.body["numberReturned"].get<std::size_t>(), 25U);
        for (const auto& f : r.body["features"]) {
            ids.push_back(f["id"]);
        }
        const std::string next = link(r.body, "next");
        target = next.empty() ? std::string() : target_of(next);
        ++pages;
    }
    ASSERT_EQ(ids.size(), expected.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        EXPECT_EQ(ids[i],
                  std::to_string(expected[i].vessel) + "-" + std::to_string(expected[i].time_ms));
    }
    EXPECT_EQ(pages, static_cast<int>((expected.size() + 24) / 25));
    // A single fix by its id.
    const auto one = get("analyst", "/ogc/collections/fixes/items/" + ids[0]);
    ASSERT_EQ(one.status, 200U) << one.raw;
    EXPECT_EQ(one.body["properties"]["mmsi"], expected[0].vessel);
    EXPECT_EQ(one.body["properties"]["time"], at(0));
    EXPECT_EQ(get("analyst", "/ogc/collections/fixes/items/463000001-1").status, 404U);
    EXPECT_EQ(get("analyst", "/ogc/collections/fixes/items/nonsense").status, 404U);
}

TEST_F(OgcApi, fixes_in_a_bbox_over_all_time_and_at_an_instant) {
    const auto in_box = seeded_where([](const store::TrackFix& f) {
        return f.lon_e6 >= 63'200'000 && f.lon_e6 <= 63'500'000 && f.lat_e6 >= 25'000'000 &&
               f.lat_e6 <= 25'500'000;
    });
    const auto r = get("analyst", "/ogc/collections/fixes/items?bbox=63.2,25.0,63.5,25.5");
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.body["numberMatched"], in_box.size());
    const auto instant = get("analyst", "/ogc/collections/fixes/items?datetime=" + at(60));
    ASSERT_EQ(instant.status, 200U) << instant.raw;
    // A, C, D, E and F report at every whole minute; B at the half minutes.
    EXPECT_EQ(instant.body["numberMatched"], 5);
    const auto open = get("analyst", "/ogc/collections/fixes/items?bbox=63.2,25.0,63.5,25.5&"
                                     "datetime=../" +
                                         at(60));
    EXPECT_EQ(open.body["numberMatched"], 10); // minutes 0 and 1 of A, C, D, E, F
}

TEST_F(OgcApi, vessels_are_registry_boats_placed_at_their_last_fix) {
    const auto r = get("analyst", "/ogc/collections/vessels/items");
    ASSERT_EQ(r.status, 200U) << r.raw;
    ASSERT_EQ(r.body["numberMatched"], 2);
    const auto& noor = r.body["features"][0];
    EXPECT_EQ(noor["id"], test::vessel_a);
    EXPECT_EQ(noor["properties"]["registration_number"], "PSN-0001");
    EXPECT_EQ(noor["properties"]["home_harbour"], "PK-HBR-05");
    EXPECT_TRUE(noor["geometry"].is_null()); // heard in March, not in the past 30 days
    const auto& sitara = r.body["features"][1];
    EXPECT_EQ(sitara["properties"]["name"], "Sitara");
    EXPECT_EQ(sitara["geometry"]["coordinates"], json::parse("[63.0, 25.0]"));
    const auto boxed = get("analyst", "/ogc/collections/vessels/items?bbox=62.9,24.9,63.1,25.1");
    EXPECT_EQ(boxed.body["numberMatched"], 1);
    EXPECT_EQ(get("analyst", "/ogc/collections/vessels/items/463000007").body["id"],
              test::vessel_g);
}

TEST_F(OgcApi, parameters_are_strict_and_roles_as_for_tracks) {
    EXPECT_EQ(get("analyst", "/ogc/collections/harbours/items?colour=red").field(), "colour");
    EXPECT_EQ(get("analyst", "/ogc/collections/harbours/items?limit=0").field(), "limit");
    EXPECT_EQ(get("analyst", "/ogc/collections/harbours/items?limit=10001").field(), "limit");
    EXPECT_EQ(get("analyst", "/ogc/collections/harbours/items?offset=-1").field(), "offset");
    EXPECT_EQ(get("analyst", "/ogc?f=html").field(), "f");
    EXPECT_EQ(get("analyst", "/ogc?f=json").status, 200U);
    EXPECT_EQ(get("analyst", "/ogc/collections/harbours/items?bbox=1,2,3").field(), "bbox");
    for (const char* who : {"amina", "sup"}) {
        EXPECT_EQ(get(who, "/ogc").status, 403U) << who;
        EXPECT_EQ(get(who, "/ogc/collections/vessels/items").status, 403U) << who;
    }
    for (const char* who : {"root", "watch", "msa", "audit"}) {
        EXPECT_EQ(get(who, "/ogc/collections").status, 200U) << who;
    }
    api.tracks = nullptr;
    EXPECT_EQ(get("analyst", "/ogc/collections/fixes/items?bbox=63,25,64,26").status, 503U);
    EXPECT_EQ(get("analyst", "/ogc/collections/harbours/items").status, 200U);
}

// ---- the real daemon and the real ogrinfo
// --------------------------------------------------------

/// Runs a shell command and returns what it printed (stdout and stderr).
std::string run(const std::string& command) {
    std::string out;
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen((command + " 2>&1").c_str(), "r"), pclose);
    if (!pipe) {
        return "(popen failed)";
    }
    std::array<char, 4096> buffer{};
    while (fgets(buffer.data(), static_cast<int>(buffer.size()), pipe.get()) != nullptr) {
        out += buffer.data();
    }
    return out;
}

TEST(OgcDaemon, ogrinfo_reads_the_collections_through_gdal_oapif_with_an_api_token) {
    if (run("ogrinfo --formats").find("OAPIF") == std::string::npos) {
        GTEST_SKIP() << "this GDAL has no OAPIF driver";
    }
    test::TempDir tmp;
    const auto src = test::source_dir();
    const app::Config cfg = test::config_from(
        "[paths]\nregistry_db = \"" + (tmp.path() / "registry.db").string() + "\"\nharbours = \"" +
            (src / "config/geo/harbours.geojson").string() + "\"\nsea_zones = \"" +
            (src / "config/geo/pak_maritime_zones_approx.geojson").string() +
            "\"\n[log]\nlevel = \"warn\"\n[http]\nport = 0\n[tracks]\npath = \"" +
            (tmp.path() / "tracks.db").string() + "\"\n",
        tmp.path());
    {
        // Seven fixes of one boat off Pasni, written before the daemon opens the store.
        store::SqliteTrackStore tracks(cfg.tracks, store::TrackStoreMode::writer);
        for (int i = 0; i < 7; ++i) {
            store::TrackFix f;
            f.vessel = 463000001;
            f.time_ms = (test::t0_s + i * 60) * 1000;
            f.received_ms = f.time_ms;
            f.lat_e6 = store::to_e6(25.1 + 0.001 * i);
            f.lon_e6 = store::to_e6(63.4);
            ASSERT_TRUE(tracks.append(f));
        }
        tracks.flush();
    }
    const std::string analyst =
        test::make_api_token(cfg.paths.registry_db, "analyst", "msa_analyst");
    const std::size_t harbour_count =
        geo::ZoneIndex::load(src / "config/geo/harbours.geojson", "harbours").size();

    test::RunningDaemon daemon(cfg);
    ASSERT_NE(daemon.http_port(), 0);
    const std::string url = "OAPIF:http://127.0.0.1:" + std::to_string(daemon.http_port()) + "/ogc";
    const std::string auth =
        " --config GDAL_HTTP_HEADERS \"Authorization: Bearer " + analyst + "\"";

    const std::string all = run("ogrinfo -ro -al -so \"" + url + "\"" + auth);
    for (const char* layer : {"fixes", "sea_zones", "harbours", "vessels"}) {
        EXPECT_THAT(all, HasSubstr(std::string("Layer name: ") + layer)) << all;
    }
    const std::string harbours = run("ogrinfo -ro -so \"" + url + "\" harbours" + auth);
    EXPECT_THAT(harbours, HasSubstr("Feature Count: " + std::to_string(harbour_count))) << harbours;
    EXPECT_THAT(harbours, HasSubstr("Geometry: Multi Polygon")) << harbours;
    // The fixes collection with a spatial filter (GDAL sends it as bbox): all seven.
    const std::string fixes =
        run("ogrinfo -ro -so -spat 63.3 25.0 63.5 25.2 \"" + url + "\" fixes" + auth);
    EXPECT_THAT(fixes, HasSubstr("Feature Count: 7")) << fixes;
    // Without the token the server answers 401 and GDAL cannot open it.
    const std::string refused = run("ogrinfo -ro -so \"" + url + "\"");
    EXPECT_THAT(refused, HasSubstr("401")) << refused;
}

} // namespace
} // namespace sahil
