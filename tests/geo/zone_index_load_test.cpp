// ZoneIndex::load on every shipped zone file (field names as documented in
// config/geo/SOURCES.md) and on small broken files written to a temporary folder.
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>

#include <unistd.h>

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include "geo/geo_error.hpp"
#include "geo/geodesic.hpp"
#include "geo/zone_index.hpp"
#include "geo_test_support.hpp"

namespace sahil::geo {
namespace {

using test::config_geo;

std::set<std::string> ids_of(const ZoneIndex& index) {
    std::set<std::string> ids;
    for (const Zone& z : index.zones()) {
        ids.insert(z.id);
    }
    return ids;
}

/// A temporary folder for hand-written zone files, removed at the end of the test.
class TempDir {
public:
    TempDir() {
        const auto* info = testing::UnitTest::GetInstance()->current_test_info();
        m_path = std::filesystem::temp_directory_path() /
                 ("sahil_geo_test_" + std::string(info->name()) + "_" +
                  std::to_string(static_cast<long>(::getpid())));
        std::filesystem::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::filesystem::path path(const std::string& name) const { return m_path / name; }

    std::filesystem::path write(const std::string& name, const std::string& text) const {
        const auto file = path(name);
        std::ofstream(file) << text;
        return file;
    }

private:
    std::filesystem::path m_path;
};

std::string feature_collection(const std::string& features) {
    return R"({"type":"FeatureCollection","name":"test","features":[)" + features + "]}";
}

std::string square_feature(const std::string& properties) {
    return R"({"type":"Feature","properties":)" + properties +
           R"(,"geometry":{"type":"Polygon","coordinates":[[[62.30,25.10],[62.32,25.10],)"
           R"([62.32,25.12],[62.30,25.12],[62.30,25.10]]]}})";
}

/// Runs `load` and returns the GeoError it must throw.
template <typename Load> GeoError expect_geo_error(Load load) {
    try {
        load();
    } catch (const GeoError& e) {
        return e;
    }
    ADD_FAILURE() << "no GeoError thrown";
    return GeoError("none");
}

bool mentions(const GeoError& e, const std::string& text) {
    return std::string(e.what()).find(text) != std::string::npos;
}

TEST(ZoneIndexLoad, harbours_use_id_name_kind_and_keep_all_properties) {
    const ZoneIndex index = ZoneIndex::load(config_geo("harbours.geojson"), "harbours");
    ASSERT_EQ(index.size(), 15U);
    const Zone* pasni = index.find("PK-HBR-05");
    ASSERT_NE(pasni, nullptr);
    EXPECT_EQ(pasni->name, "Pasni Fish Harbour");
    EXPECT_EQ(pasni->kind, "fish_harbour");
    EXPECT_EQ(pasni->layer, "harbours");
    EXPECT_EQ(pasni->properties.at("district"), "Gwadar");
    EXPECT_EQ(pasni->properties.at("radius_m"), "900");
    EXPECT_DOUBLE_EQ(std::stod(pasni->properties.at("centre_lat")), 25.248);
    EXPECT_EQ(pasni->geometry.size(), 1U);
    EXPECT_EQ(pasni->geometry.front().outer().size(), 33U); // 32 vertices + closing point
    EXPECT_EQ(index.zones().front().id, "PK-HBR-01");       // file order kept
}

TEST(ZoneIndexLoad, pakistan_zones_are_keyed_by_the_zone_field) {
    const ZoneIndex index =
        ZoneIndex::load(config_geo("pak_maritime_zones_approx.geojson"), "pak_zones", "zone");
    EXPECT_EQ(ids_of(index), (std::set<std::string>{"territorial_sea", "contiguous_zone_belt",
                                                    "eez_beyond_contiguous", "eez_all_waters"}));
    const Zone* eez = index.find("eez_all_waters");
    ASSERT_NE(eez, nullptr);
    EXPECT_EQ(eez->name, "eez_all_waters"); // no name field: the id
    EXPECT_EQ(eez->kind, "");
    EXPECT_EQ(eez->properties.at("status"), "not an official limit; for alerting only");
    // SOURCES.md: eez_all_waters spans 61.34-68.90 E, 21.08-25.62 N.
    EXPECT_NEAR(eez->bounds.min_corner().x(), 61.34, 0.005);
    EXPECT_NEAR(eez->bounds.max_corner().x(), 68.90, 0.005);
    EXPECT_NEAR(eez->bounds.min_corner().y(), 21.08, 0.005);
    EXPECT_NEAR(eez->bounds.max_corner().y(), 25.62, 0.005);
}

TEST(ZoneIndexLoad, neighbour_zones_territorial_seas_and_land_load_with_their_id_fields) {
    const ZoneIndex neighbours =
        ZoneIndex::load(config_geo("neighbour_maritime_zones_approx.geojson"), "neighbours", "a3",
                        "country", "zone");
    EXPECT_EQ(ids_of(neighbours), (std::set<std::string>{"IRN", "OMN", "IND", "ARE", "ZZZ"}));
    EXPECT_EQ(neighbours.find("OMN")->name, "Oman");
    EXPECT_EQ(neighbours.find("IRN")->kind, "eez_all_waters_0_200nm");

    const ZoneIndex seas =
        ZoneIndex::load(config_geo("territorial_seas_osm.geojson"), "territorial_seas", "a3");
    EXPECT_EQ(ids_of(seas), (std::set<std::string>{"PAK", "IRN", "OMN", "IND", "ARE"}));

    // land_osm spells the field "A3" (upper case).
    const ZoneIndex land = ZoneIndex::load(config_geo("land_osm.geojson"), "land", "A3");
    EXPECT_EQ(ids_of(land), (std::set<std::string>{"PAK", "IRN", "OMN", "IND", "ARE"}));

    // Karachi airport is on Pakistani land and in no territorial sea.
    const Position karachi_airport{24.906667, 67.160833};
    const auto on_land = land.containing(karachi_airport);
    ASSERT_EQ(on_land.size(), 1U);
    EXPECT_EQ(on_land[0]->id, "PAK");
    EXPECT_TRUE(seas.containing(karachi_airport).empty());
}

TEST(ZoneIndexLoad, missing_file_names_the_file_and_the_ogr_error) {
    const auto missing = config_geo("no_such_zones.geojson");
    const GeoError e = expect_geo_error([&] { (void)ZoneIndex::load(missing, "harbours"); });
    EXPECT_TRUE(mentions(e, "no_such_zones.geojson")) << e.what();
    EXPECT_EQ(e.file(), missing);
    EXPECT_EQ(e.source(), GeoErrorSource::ogr) << e.what();
    EXPECT_NE(e.library_error(), 0) << e.what();
}

TEST(ZoneIndexLoad, garbage_file_is_not_a_vector_dataset) {
    const TempDir dir;
    const auto file = dir.write("garbage.geojson", "this is not JSON {");
    const GeoError e = expect_geo_error([&] { (void)ZoneIndex::load(file, "x"); });
    EXPECT_TRUE(mentions(e, "garbage.geojson")) << e.what();
}

TEST(ZoneIndexLoad, missing_id_field_lists_the_fields_that_exist) {
    const TempDir dir;
    const auto file =
        dir.write("no_id.geojson", feature_collection(square_feature(R"({"name":"square"})")));
    const GeoError e = expect_geo_error([&] { (void)ZoneIndex::load(file, "test"); });
    EXPECT_TRUE(mentions(e, "id field 'id' not found")) << e.what();
    EXPECT_TRUE(mentions(e, "fields: name")) << e.what();
    EXPECT_TRUE(mentions(e, "no_id.geojson")) << e.what();

    // The shipped Pakistan zones have no "id" field either: the caller must say "zone".
    const GeoError z = expect_geo_error([] {
        (void)ZoneIndex::load(config_geo("pak_maritime_zones_approx.geojson"), "pak_zones");
    });
    EXPECT_TRUE(mentions(z, "fields: a3, zone, from_nm, to_nm, method, status")) << z.what();
}

TEST(ZoneIndexLoad, a_file_of_lines_has_no_polygon) {
    const GeoError e = expect_geo_error([] {
        (void)ZoneIndex::load(config_geo("pak_maritime_boundaries_approx.geojson"), "boundaries",
                              "boundary");
    });
    EXPECT_TRUE(mentions(e, "no polygon")) << e.what();
    EXPECT_TRUE(mentions(e, "Line String")) << e.what();
}

TEST(ZoneIndexLoad, invalid_geometry_names_the_feature_and_the_reason) {
    const TempDir dir;
    const auto file = dir.write(
        "bow_tie.geojson",
        feature_collection(
            square_feature(R"({"id":"GOOD"})") + "," +
            R"({"type":"Feature","properties":{"id":"BOW"},"geometry":{"type":"Polygon",)"
            R"("coordinates":[[[62.0,25.0],[62.1,25.1],[62.1,25.0],[62.0,25.1],[62.0,25.0]]]}})"));
    const GeoError e = expect_geo_error([&] { (void)ZoneIndex::load(file, "test"); });
    EXPECT_TRUE(mentions(e, "bow_tie.geojson")) << e.what();
    EXPECT_TRUE(mentions(e, "feature 'BOW'")) << e.what();
    EXPECT_TRUE(mentions(e, "invalid geometry")) << e.what();
    EXPECT_EQ(e.feature(), "BOW");
}

TEST(ZoneIndexLoad, duplicate_and_empty_ids_are_rejected) {
    const TempDir dir;
    const auto dup =
        dir.write("dup.geojson", feature_collection(square_feature(R"({"id":"A"})") + "," +
                                                    square_feature(R"({"id":"A"})")));
    EXPECT_TRUE(mentions(expect_geo_error([&] { (void)ZoneIndex::load(dup, "t"); }), "duplicate"));
    const auto empty =
        dir.write("empty.geojson", feature_collection(square_feature(R"({"id":""})") + "," +
                                                      square_feature(R"({"id":null})")));
    EXPECT_TRUE(
        mentions(expect_geo_error([&] { (void)ZoneIndex::load(empty, "t"); }), "empty or null id"));
}

TEST(ZoneIndexLoad, field_names_match_case_insensitively_like_ogr) {
    const TempDir dir;
    const auto file = dir.write("upper.geojson",
                                feature_collection(square_feature(R"({"A3":"PAK","NAME":"x"})")));
    const ZoneIndex index = ZoneIndex::load(file, "t", "a3");
    ASSERT_EQ(index.size(), 1U);
    EXPECT_EQ(index.zones().front().id, "PAK");
    EXPECT_EQ(index.zones().front().name, "x");
}

TEST(ZoneIndexLoad, points_and_null_geometries_are_skipped) {
    const TempDir dir;
    const auto file = dir.write(
        "mixed.geojson",
        feature_collection(
            square_feature(R"({"id":"SQ","kind":"test"})") + "," +
            R"({"type":"Feature","properties":{"id":"PT"},"geometry":{"type":"Point","coordinates":[62.0,25.0]}},)"
            R"({"type":"Feature","properties":{"id":"NULL"},"geometry":null})"));
    const ZoneIndex index = ZoneIndex::load(file, "t");
    EXPECT_EQ(ids_of(index), (std::set<std::string>{"SQ"}));
    EXPECT_EQ(index.find("SQ")->name, "SQ");
    EXPECT_EQ(index.find("SQ")->kind, "test");
}

TEST(ZoneIndexLoad, a_layer_in_utm_is_transformed_to_wgs84) {
    // Square of +-1000 m in UTM zone 41N (EPSG:32641) around Pasni Fish Harbour's centre
    // (cs2cs EPSG:4326 EPSG:32641: 25.248 63.483 -> 548641.471 2792496.344).
    // P = UTM (E + 1500, N) -> 25.247950538 63.497894259; foot of the perpendicular on the east
    // edge, UTM (E + 1000, N) -> 25.247967191 63.492929511; geod -I between them: 500.1846 m
    // (500 grid metres / UTM scale 0.99963).
    const TempDir dir;
    const auto file = dir.write(
        "utm.geojson",
        R"({"type":"FeatureCollection","name":"utm","crs":{"type":"name","properties":)"
        R"({"name":"urn:ogc:def:crs:EPSG::32641"}},"features":[{"type":"Feature","properties":)"
        R"({"id":"UTM"},"geometry":{"type":"Polygon","coordinates":[[[547641.471,2791496.344],)"
        R"([549641.471,2791496.344],[549641.471,2793496.344],[547641.471,2793496.344],)"
        R"([547641.471,2791496.344]]]}}]})");
    const ZoneIndex index = ZoneIndex::load(file, "utm");
    const Zone* zone = index.find("UTM");
    ASSERT_NE(zone, nullptr);
    EXPECT_EQ(index.containing({25.248, 63.483}).size(), 1U);
    EXPECT_NEAR(index.distance_outside_m({25.247950538, 63.497894259}, *zone), 500.1846, 0.01);
}

TEST(ZoneIndexLoad, a_geopackage_with_several_layers_is_read_by_layer_label) {
    // Build a two-layer GeoPackage from the shipped GeoJSON files with GDAL itself.
    const TempDir dir;
    const auto gpkg = dir.path("zones.gpkg");
    GDALAllRegister();
    {
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
        ASSERT_NE(driver, nullptr);
        GDALDatasetUniquePtr out(driver->Create(gpkg.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        ASSERT_NE(out, nullptr);
        for (const auto& [file, name] : {std::pair{"harbours.geojson", "harbours"},
                                         std::pair{"pak_maritime_zones_approx.geojson", "pak"}}) {
            GDALDatasetUniquePtr in(GDALDataset::Open(config_geo(file).c_str(), GDAL_OF_VECTOR));
            ASSERT_NE(in, nullptr);
            ASSERT_NE(out->CopyLayer(in->GetLayer(0), name), nullptr);
        }
    }
    const ZoneIndex pak = ZoneIndex::load(gpkg, "pak", "zone");
    EXPECT_EQ(pak.size(), 4U);
    EXPECT_NE(pak.find("eez_all_waters"), nullptr);
    const ZoneIndex harbours = ZoneIndex::load(gpkg, "harbours");
    EXPECT_EQ(harbours.size(), 15U);
    EXPECT_TRUE(harbours.containing({25.248, 63.483}).size() == 1U);
    const GeoError e = expect_geo_error([&] { (void)ZoneIndex::load(gpkg, "boundaries"); });
    EXPECT_TRUE(mentions(e, "2 layers (harbours, pak) and none is named 'boundaries'")) << e.what();
}

} // namespace
} // namespace sahil::geo
