// BoundaryIndex on the shipped config/geo/pak_maritime_boundaries_approx.geojson, checked against
// independent truth: the distance table of shared/reference/geography.md §4 (harbour fence
// centres to the lines), a brute-force geodesic search along the lines, GeographicLib's
// RhumbSolve, and crossing points worked out by hand from the file's vertices.
//
//   lat 25.17  +  PAK-IRN ends in Gwatar Bay              * Jiwani 25.052 N 61.740 E
//   lat 25.06   \ (61.61, 25.06)                          * Gwadar FH 25.116 N 62.3345 E
//   lat 24.96    \ (61.56, 24.96)
//                 |   PAK-IRN: 4 vertices, runs SSW to the tripoint
//   lat 23.40     + (61.34, 23.40) tripoint ---- PAK-OMN: 50 vertices, ESE to (63.38, 21.81)
//                       lon 61.6: PAK-OMN at lat 23.225, PAK-IRN at lat 25.04
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "geo/boundary.hpp"
#include "geo/geo_error.hpp"
#include "geo/geodesic.hpp"
#include "geo/zone_index.hpp"
#include "geo_test_support.hpp"

namespace sahil::geo {
namespace {

using test::config_geo;

constexpr double nm = metres_per_nautical_mile;
constexpr double knots_10_m_s = 10.0 * nm / 3600.0;

const BoundaryIndex& shipped() {
    static const BoundaryIndex index =
        BoundaryIndex::load(config_geo("pak_maritime_boundaries_approx.geojson"));
    return index;
}

const BoundaryLine& line(std::string_view id) {
    const BoundaryLine* found = shipped().find(id);
    EXPECT_NE(found, nullptr) << id;
    return found != nullptr ? *found : shipped().lines().front();
}

/// Centre of a harbour fence, from the centre_lat/centre_lon properties of harbours.geojson.
Position harbour_centre(const std::string& id) {
    static const ZoneIndex harbours = ZoneIndex::load(config_geo("harbours.geojson"), "harbours");
    const Zone* zone = harbours.find(id);
    EXPECT_NE(zone, nullptr) << id;
    if (zone == nullptr) {
        return {0.0, 0.0};
    }
    return {std::stod(zone->properties.at("centre_lat")),
            std::stod(zone->properties.at("centre_lon"))};
}

/// Brute-force distance (m) from p to a line: golden-section search of the geodesic distance
/// along every lon/lat edge (no chord bound, no Newton step, no densification).
double oracle_m(const Position& p, const BoundaryLine& l) {
    double best = std::numeric_limits<double>::infinity();
    for (const auto& part : l.parts) {
        for (std::size_t i = 0; i + 1 < part.size(); ++i) {
            best = std::min(
                best, test::oracle_edge_m(p, LonLatPoint(part[i].lon_deg, part[i].lat_deg),
                                          LonLatPoint(part[i + 1].lon_deg, part[i + 1].lat_deg)));
        }
    }
    return best;
}

/// A temporary folder for hand-written line files, removed at the end of the test.
class TempDir {
public:
    TempDir() {
        const auto* info = testing::UnitTest::GetInstance()->current_test_info();
        m_path = std::filesystem::temp_directory_path() /
                 ("sahil_boundary_test_" + std::string(info->name()) + "_" +
                  std::to_string(static_cast<long>(::getpid())));
        std::filesystem::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::filesystem::path write(const std::string& name, const std::string& text) const {
        const auto file = m_path / name;
        std::ofstream(file) << text;
        return file;
    }

private:
    std::filesystem::path m_path;
};

std::string collection(const std::string& features) {
    return R"({"type":"FeatureCollection","name":"lines","features":[)" + features + "]}";
}

std::string line_feature(const std::string& properties, const std::string& coordinates,
                         const std::string& type = "LineString") {
    return R"({"type":"Feature","properties":)" + properties + R"(,"geometry":{"type":")" + type +
           R"(","coordinates":)" + coordinates + "}}";
}

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

// --- loading -----------------------------------------------------------------------------------

TEST(BoundaryIndexLoad, shipped_file_gives_four_lines_with_status_and_properties) {
    const BoundaryIndex& index = shipped();
    ASSERT_EQ(index.size(), 4U);
    const std::vector<std::string> ids{"PAK-IRN", "PAK-OMN", "PAK-IND", "PAK-outer-200nm"};
    for (std::size_t i = 0; i < ids.size(); ++i) {
        EXPECT_EQ(index.lines()[i].id, ids[i]);   // file order
        EXPECT_EQ(index.lines()[i].name, ids[i]); // no name field: the id
        EXPECT_EQ(index.lines()[i].parts.size(), 1U);
    }
    const BoundaryLine& irn = line("PAK-IRN");
    ASSERT_EQ(irn.parts.front().size(), 4U);
    EXPECT_EQ(irn.parts.front().front(), (Position{23.4, 61.34})); // lat, lon: axis order fixed
    EXPECT_EQ(irn.properties.at("length_km"), "198.6");
    EXPECT_EQ(line("PAK-OMN").parts.front().size(), 50U);
    EXPECT_EQ(line("PAK-IND").parts.front().size(), 25U);
    EXPECT_EQ(line("PAK-IND").status.rfind("DISPUTED (Sir Creek)", 0), 0U);
    EXPECT_EQ(index.find("PAK-XXX"), nullptr);
}

TEST(BoundaryIndexLoad, missing_file_names_the_file_and_the_ogr_error) {
    const auto missing = config_geo("no_such_lines.geojson");
    const GeoError e = expect_geo_error([&] { (void)BoundaryIndex::load(missing); });
    EXPECT_EQ(e.file(), missing);
    EXPECT_TRUE(mentions(e, "no_such_lines.geojson")) << e.what();
    EXPECT_EQ(e.source(), GeoErrorSource::ogr) << e.what();
    EXPECT_NE(e.library_error(), 0) << e.what();
}

TEST(BoundaryIndexLoad, garbage_and_polygon_files_are_rejected_naming_the_file) {
    const TempDir dir;
    const auto garbage = dir.write("garbage.geojson", "not JSON {");
    const GeoError g = expect_geo_error([&] { (void)BoundaryIndex::load(garbage); });
    EXPECT_TRUE(mentions(g, "garbage.geojson")) << g.what();

    // Harbour fences are polygons: no line at all.
    const GeoError h =
        expect_geo_error([] { (void)BoundaryIndex::load(config_geo("harbours.geojson"), "id"); });
    EXPECT_TRUE(mentions(h, "harbours.geojson")) << h.what();
    EXPECT_TRUE(mentions(h, "no LineString or MultiLineString feature")) << h.what();
}

TEST(BoundaryIndexLoad, missing_id_field_lists_the_fields) {
    const GeoError e = expect_geo_error([] {
        (void)BoundaryIndex::load(config_geo("pak_maritime_boundaries_approx.geojson"), "id");
    });
    EXPECT_TRUE(mentions(e, "id field 'id' not found (fields: boundary, status, length_km)"))
        << e.what();
    EXPECT_TRUE(mentions(e, "pak_maritime_boundaries_approx.geojson")) << e.what();
}

TEST(BoundaryIndexLoad, bad_features_are_named) {
    const TempDir dir;
    const std::string good = line_feature(R"({"boundary":"A"})", "[[62.0,24.0],[62.0,25.0]]");
    const auto duplicate = dir.write("duplicate.geojson", collection(good + "," + good));
    const GeoError d = expect_geo_error([&] { (void)BoundaryIndex::load(duplicate); });
    EXPECT_TRUE(mentions(d, "duplicate id")) << d.what();
    EXPECT_EQ(d.feature(), "A");

    const auto unnamed =
        dir.write("unnamed.geojson",
                  collection(line_feature(R"({"boundary":null})", "[[62.0,24.0],[62.0,25.0]]")));
    const GeoError u = expect_geo_error([&] { (void)BoundaryIndex::load(unnamed); });
    EXPECT_TRUE(mentions(u, "empty or null id")) << u.what();
    EXPECT_EQ(u.feature(), "FID 0");

    const auto stuck = dir.write(
        "stuck.geojson",
        collection(line_feature(R"({"boundary":"B"})", "[[62.0,24.0],[62.0,24.0],[62.0,24.0]]")));
    const GeoError s = expect_geo_error([&] { (void)BoundaryIndex::load(stuck); });
    EXPECT_TRUE(mentions(s, "stuck.geojson")) << s.what();
    EXPECT_TRUE(mentions(s, "feature 'B'")) << s.what();
    EXPECT_TRUE(mentions(s, "fewer than two distinct vertices")) << s.what();

    const auto far =
        dir.write("far.geojson",
                  collection(line_feature(R"({"boundary":"C"})", "[[62.0,24.0],[62.0,95.0]]")));
    const GeoError f = expect_geo_error([&] { (void)BoundaryIndex::load(far); });
    EXPECT_TRUE(mentions(f, "feature 'C'")) << f.what();
    EXPECT_TRUE(mentions(f, "out of range")) << f.what();
}

TEST(BoundaryIndexLoad, multilinestring_gives_parts_and_other_geometries_are_skipped) {
    const TempDir dir;
    const auto file =
        dir.write("mixed.geojson",
                  collection(line_feature(R"({"boundary":"M","name":"two pieces","status":"test"})",
                                          "[[[62.0,24.0],[62.0,24.5]],[[62.0,25.0],[62.0,25.5]]]",
                                          "MultiLineString") +
                             "," + line_feature(R"({"boundary":"P"})", "[62.5,24.5]", "Point")));
    const BoundaryIndex index = BoundaryIndex::load(file);
    ASSERT_EQ(index.size(), 1U);
    const BoundaryLine& m = index.lines().front();
    EXPECT_EQ(m.name, "two pieces");
    EXPECT_EQ(m.status, "test");
    ASSERT_EQ(m.parts.size(), 2U);
    EXPECT_EQ(m.parts[1].front(), (Position{25.0, 62.0}));
    // The gap between the parts (lat 24.5-25.0) is not part of the line.
    EXPECT_FALSE(index.crossed({24.75, 61.9}, {24.75, 62.1}));
    EXPECT_TRUE(index.crossed({24.25, 61.9}, {24.25, 62.1}));
    EXPECT_NEAR(distance_m({24.75, 62.0}, m), distance_m({24.75, 62.0}, {24.5, 62.0}), 1e-6);
}

// --- make_boundary_line and from_lines ---------------------------------------------------------

TEST(BoundaryLine, make_rejects_empty_short_and_out_of_range_lines) {
    EXPECT_THROW((void)make_boundary_line("E", "E", "", {}, {}), GeoError);
    const GeoError one = expect_geo_error([] {
        (void)make_boundary_line("O", "O", "", {}, {{{25.0, 62.0}}});
    });
    EXPECT_EQ(one.feature(), "O");
    EXPECT_THROW((void)make_boundary_line("N", "N", "", {}, {{{25.0, 62.0}, {25.0, 181.0}}}),
                 GeoError);
    EXPECT_THROW((void)make_boundary_line("N", "N", "", {}, {{{25.0, 62.0}, {std::nan(""), 62.0}}}),
                 GeoError);
}

TEST(BoundaryLine, from_lines_rejects_duplicate_ids) {
    const BoundaryLine a = make_boundary_line("A", "A", "", {}, {{{24.0, 62.0}, {26.0, 62.0}}});
    EXPECT_THROW((void)BoundaryIndex::from_lines({a, a}), GeoError);
    BoundaryLine bare = a;
    bare.id = "bare";
    bare.outline = nullptr;
    EXPECT_THROW((void)BoundaryIndex::from_lines({a, bare}), GeoError);
    EXPECT_EQ(BoundaryIndex::from_lines({a}).size(), 1U);
    EXPECT_TRUE(BoundaryIndex().empty());
}

// --- distances ---------------------------------------------------------------------------------

TEST(BoundaryDistance, harbour_distances_match_the_geography_table) {
    // geography.md §4: great-circle distances from fence centres, whole nm, on a sphere (its
    // values are reproduced by a 6,371 km sphere to the nm). Tolerance 0.5 nm for the rounding
    // plus 0.5 % for sphere against WGS 84: here the meridian radius is 0.45 % below 6,371 km and
    // the prime-vertical radius 0.2 % above (measured differences up to 0.8 nm at 215 nm).
    struct Row {
        const char* harbour;
        double irn_nm, omn_nm, ind_nm, outer_nm;
    };
    const Row table[] = {
        {"PK-HBR-01", 7, 102, 320, 215},   // Jiwani
        {"PK-HBR-02", 39, 117, 302, 207},  // Gwadar Fish Harbour
        {"PK-HBR-09", 47, 126, 302, 212},  // Sur Bandar
        {"PK-HBR-05", 102, 159, 261, 206}, // Pasni Fish Harbour
        {"PK-HBR-08", 135, 184, 234, 214}, // Kalmat
        {"PK-HBR-06", 165, 194, 203, 204}, // Ormara
        {"PK-HBR-10", 269, 272, 120, 238}, // Damb/Sonmiani
        {"PK-HBR-12", 292, 267, 81, 222},  // Karachi Fish Harbour
        {"PK-HBR-13", 300, 272, 73, 224},  // Korangi
        {"PK-HBR-15", 324, 265, 36, 207},  // Keti Bandar
    };
    for (const Row& row : table) {
        const Position p = harbour_centre(row.harbour);
        const std::pair<const char*, double> expected[] = {{"PAK-IRN", row.irn_nm},
                                                           {"PAK-OMN", row.omn_nm},
                                                           {"PAK-IND", row.ind_nm},
                                                           {"PAK-outer-200nm", row.outer_nm}};
        for (const auto& [id, table_nm] : expected) {
            EXPECT_NEAR(distance_m(p, line(id)) / nm, table_nm, 0.5 + 0.005 * table_nm)
                << row.harbour << " to " << id;
        }
    }
    // The figures anomaly-rules.md §6 quotes, more tightly (sphere effect < 0.1 nm this close).
    EXPECT_NEAR(distance_m(harbour_centre("PK-HBR-01"), line("PAK-IRN")) / nm, 7.0, 0.5);
    EXPECT_NEAR(distance_m(harbour_centre("PK-HBR-15"), line("PAK-IND")) / nm, 36.0, 0.5);
}

TEST(BoundaryDistance, matches_a_brute_force_geodesic_search) {
    // Harbours, points on the Iranian and Omani sides, the high-seas pocket, far inland.
    std::vector<Position> points{{25.6, 61.2},  {24.0, 60.5}, {22.0, 62.0}, {21.0, 64.5},
                                 {20.5, 66.5},  {23.5, 68.5}, {27.5, 58.0}, {25.0, 70.0},
                                 {23.4, 61.34}, {24.2, 61.45}};
    for (const char* id :
         {"PK-HBR-01", "PK-HBR-02", "PK-HBR-05", "PK-HBR-06", "PK-HBR-12", "PK-HBR-15"}) {
        points.push_back(harbour_centre(id));
    }
    for (const Position& p : points) {
        for (const BoundaryLine& l : shipped().lines()) {
            const double d = distance_m(p, l);
            EXPECT_NEAR(d, oracle_m(p, l), 1e-3) << p.lat_deg << ", " << p.lon_deg << " " << l.id;
        }
    }
}

TEST(BoundaryDistance, matches_a_search_over_the_line_densified_to_ten_metres) {
    // Independent of any minimisation: every 10 m along each edge; the sampled minimum exceeds
    // the true one by at most (5 m)^2 / 2d, under 1 mm at these distances.
    const std::pair<Position, const char*> cases[] = {{{25.052, 61.74}, "PAK-IRN"},
                                                      {{24.14444, 67.45083}, "PAK-IND"}};
    for (const auto& [p, id] : cases) {
        const BoundaryLine& l = line(id);
        double sampled = std::numeric_limits<double>::infinity();
        for (const auto& part : l.parts) {
            for (std::size_t i = 0; i + 1 < part.size(); ++i) {
                const int steps = static_cast<int>(distance_m(part[i], part[i + 1]) / 10.0) + 1;
                for (int k = 0; k <= steps; ++k) {
                    const double t = static_cast<double>(k) / steps;
                    sampled = std::min(
                        sampled, distance_m(p, Position{part[i].lat_deg + t * (part[i + 1].lat_deg -
                                                                               part[i].lat_deg),
                                                        part[i].lon_deg + t * (part[i + 1].lon_deg -
                                                                               part[i].lon_deg)}));
                }
            }
        }
        const double d = distance_m(p, l);
        EXPECT_LE(d, sampled + 1e-6) << id;
        EXPECT_NEAR(d, sampled, 2e-3) << id;
    }
}

TEST(BoundaryDistance, zero_on_the_line_and_nan_for_invalid_positions) {
    const BoundaryLine& irn = line("PAK-IRN");
    EXPECT_LT(distance_m({24.96, 61.56}, irn), 1e-6); // a vertex
    EXPECT_LT(distance_m({25.04, 61.60}, irn), 1e-6); // on the edge (61.56, 24.96)-(61.61, 25.06)
    EXPECT_TRUE(std::isnan(distance_m({91.0, 61.0}, irn)));
    EXPECT_TRUE(std::isnan(distance_m({25.0, std::nan("")}, irn)));
}

TEST(BoundaryIndex, nearest_gives_the_line_the_point_and_its_distance) {
    const Position jiwani = harbour_centre("PK-HBR-01");
    const auto near_jiwani = shipped().nearest(jiwani);
    ASSERT_TRUE(near_jiwani);
    EXPECT_EQ(near_jiwani->line->id, "PAK-IRN");
    EXPECT_NEAR(near_jiwani->distance_m, distance_m(jiwani, near_jiwani->point), 1e-6);
    EXPECT_LT(distance_m(near_jiwani->point, *near_jiwani->line), 1e-3); // the point is on it

    const auto near_karachi = shipped().nearest(harbour_centre("PK-HBR-12"));
    ASSERT_TRUE(near_karachi);
    EXPECT_EQ(near_karachi->line->id, "PAK-IND");
    EXPECT_NEAR(near_karachi->distance_m / nm, 81.0, 1.0);

    // In the high-seas pocket the 200 nm limit is nearest.
    const auto pocket = shipped().nearest({21.0, 64.5});
    ASSERT_TRUE(pocket);
    EXPECT_EQ(pocket->line->id, "PAK-outer-200nm");
}

TEST(BoundaryIndex, nearest_respects_the_limit) {
    const Position jiwani = harbour_centre("PK-HBR-01"); // 7.1 nm from PAK-IRN
    EXPECT_FALSE(shipped().nearest(jiwani, 5.0 * nm));   // R5 (b): not within 5 nm
    const auto within_8 = shipped().nearest(jiwani, 8.0 * nm);
    ASSERT_TRUE(within_8);
    EXPECT_EQ(within_8->line->id, "PAK-IRN");
    EXPECT_FALSE(shipped().nearest(jiwani, -1.0));
    EXPECT_FALSE(shipped().nearest(jiwani, std::nan("")));
    EXPECT_FALSE(shipped().nearest({91.0, 62.0}));
    EXPECT_FALSE(BoundaryIndex().nearest(jiwani));
    // At the tripoint both PAK-IRN and PAK-OMN are at 0: the first loaded wins.
    const auto tripoint = shipped().nearest({23.4, 61.34}, 1.0);
    ASSERT_TRUE(tripoint);
    EXPECT_EQ(tripoint->line->id, "PAK-IRN");
    EXPECT_EQ(tripoint->distance_m, 0.0);
}

// --- rhumb lines and crossings -----------------------------------------------------------------

TEST(RhumbDestination, matches_geographiclib_rhumbsolve) {
    // echo "lat1 lon1 azi12 s12" | RhumbSolve -p 9  (GeographicLib 2.1.2, Debian
    // geographiclib-tools): lat2 lon2.
    struct Case {
        Position from;
        double course_deg, distance_m;
        Position expected;
    };
    const Case cases[] = {
        {{25.116, 62.3345}, 250, 84817.9, {24.85411742880296, 61.54506812014397}},
        {{25.116, 62.3345}, 90, 1e6, {25.11600000000000, 72.24971462609102}},
        {{25.116, 62.3345}, 0, 1e6, {34.13741420430780, 62.33450000000000}},
        {{25.116, 62.3345}, 180, 3e6, {-1.99951727518695, 62.33450000000000}},
        {{24.848, 66.976}, 215, 333360, {22.38239649073095, 65.10217329130329}},
        {{-33.9, 18.4}, 300.5, 1.5e6, {-27.03277374459001, 4.92783398995359}},
        {{25.052, 61.74}, 89.999999, 50000, {25.05200000787790, 62.23550300712456}},
        {{60.0, 10.0}, 45, 2e6, {72.68247089632479, 42.34041010723514}},
    };
    for (const Case& c : cases) {
        const Position got = rhumb_destination(c.from, c.course_deg, c.distance_m);
        EXPECT_LT(distance_m(got, c.expected), 1e-3) << c.course_deg << " " << c.distance_m;
    }
    EXPECT_NEAR(rhumb_destination({25.0, 62.0}, 250.0 + 720.0, 1000.0).lon_deg,
                rhumb_destination({25.0, 62.0}, 250.0, 1000.0).lon_deg, 1e-12);
}

TEST(RhumbDestination, past_a_pole_or_invalid_input_gives_nan) {
    EXPECT_TRUE(std::isnan(rhumb_destination({89.9, 0.0}, 0.0, 100e3).lat_deg));
    EXPECT_TRUE(std::isnan(rhumb_destination({91.0, 0.0}, 0.0, 1.0).lat_deg));
    EXPECT_TRUE(std::isnan(rhumb_destination({25.0, 62.0}, std::nan(""), 1.0).lat_deg));
    EXPECT_TRUE(std::isnan(
        rhumb_destination({25.0, 62.0}, 0.0, std::numeric_limits<double>::infinity()).lon_deg));
    // Longitude wraps: east across the antimeridian.
    EXPECT_NEAR(rhumb_destination({0.0, 179.9}, 90.0, 22263.9).lon_deg, -179.9, 1e-6);
}

TEST(BoundaryIndex, vessel_leaving_gwadar_at_250_deg_10_kn_crosses_pak_irn) {
    const Position gwadar = harbour_centre("PK-HBR-02"); // 39.4 nm from PAK-IRN
    const auto c = shipped().predict_crossing(gwadar, 10.0, 250.0, 6 * 3600.0);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->line->id, "PAK-IRN");
    // The line lies ~39 nm away but the course meets it at an angle: 45.8 nm, 4.58 h.
    EXPECT_GT(c->time_s, 4.0 * 3600.0);
    EXPECT_LT(c->time_s, 5.0 * 3600.0);
    EXPECT_NEAR(c->time_s * knots_10_m_s, c->along_m, 1e-6);
    EXPECT_GE(c->along_m, distance_m(gwadar, *c->line));
    // The point is on the line and on the track: `RhumbSolve -i -p 9` from Gwadar to it gives
    // course 250.000000 deg, 84,817.9313 m. A geodesic this short is within a metre of the
    // rhumb line.
    EXPECT_LT(distance_m(c->point, *c->line), 1e-3);
    EXPECT_LT(distance_m(rhumb_destination(gwadar, 250.0, c->along_m), c->point), 1e-3);
    EXPECT_NEAR(c->along_m, 84817.9313, 1e-3);
    EXPECT_NEAR(distance_m(gwadar, c->point), c->along_m, 1.0);
    EXPECT_NEAR(initial_bearing_deg(gwadar, c->point), 250.0, 0.2);
}

TEST(BoundaryIndex, due_north_track_crosses_oman_line_then_iran_line_at_hand_computed_points) {
    // lon 61.6: PAK-OMN edge (61.64, 23.19)-(61.56, 23.26) gives lat 23.225; PAK-IRN edge
    // (61.56, 24.96)-(61.61, 25.06) gives lat 25.04. A due-north rhumb line is a meridian, so
    // along_m is the meridian geodesic length.
    const Position start{22.5, 61.6};
    const auto first = shipped().predict_crossing(start, 10.0, 0.0, 48 * 3600.0);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->line->id, "PAK-OMN");
    EXPECT_NEAR(first->point.lat_deg, 23.225, 1e-9);
    EXPECT_NEAR(first->point.lon_deg, 61.6, 1e-9);
    EXPECT_NEAR(first->along_m, distance_m(start, {23.225, 61.6}), 1e-3);
    EXPECT_NEAR(first->time_s, distance_m(start, {23.225, 61.6}) / knots_10_m_s, 1e-3);

    const Position past = rhumb_destination(first->point, 0.0, 10.0);
    const auto second = shipped().predict_crossing(past, 10.0, 0.0, 48 * 3600.0);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->line->id, "PAK-IRN");
    EXPECT_NEAR(second->point.lat_deg, 25.04, 1e-9);
    EXPECT_NEAR(second->along_m, distance_m(past, {25.04, 61.6}), 1e-3);
}

TEST(BoundaryIndex, vessel_heading_away_stopped_or_short_of_the_line_never_crosses) {
    const Position gwadar = harbour_centre("PK-HBR-02");
    EXPECT_FALSE(shipped().predict_crossing(gwadar, 10.0, 90.0, 6 * 3600.0));  // east, coastwise
    EXPECT_FALSE(shipped().predict_crossing(gwadar, 10.0, 70.0, 24 * 3600.0)); // inland
    EXPECT_FALSE(shipped().predict_crossing(gwadar, 0.0, 250.0, 6 * 3600.0));  // sog 0
    EXPECT_FALSE(shipped().predict_crossing(gwadar, -3.0, 250.0, 6 * 3600.0));
    EXPECT_FALSE(shipped().predict_crossing(gwadar, std::nan(""), 250.0, 6 * 3600.0));
    EXPECT_FALSE(shipped().predict_crossing(gwadar, 10.0, std::nan(""), 6 * 3600.0));
    EXPECT_FALSE(shipped().predict_crossing({91.0, 62.0}, 10.0, 250.0, 6 * 3600.0));
    // The crossing is 4.58 h away: a 4.5 h horizon does not reach it, 4.6 h does; none or
    // negative horizons reach nothing.
    EXPECT_FALSE(shipped().predict_crossing(gwadar, 10.0, 250.0, 4.5 * 3600.0));
    EXPECT_TRUE(shipped().predict_crossing(gwadar, 10.0, 250.0, 4.6 * 3600.0));
    EXPECT_FALSE(shipped().predict_crossing(gwadar, 10.0, 250.0, 0.0));
    EXPECT_FALSE(shipped().predict_crossing(gwadar, 10.0, 250.0, -3600.0));
    // COG is reduced: -110 deg is 250 deg.
    const auto reduced = shipped().predict_crossing(gwadar, 10.0, -110.0, 6 * 3600.0);
    ASSERT_TRUE(reduced);
    EXPECT_EQ(reduced->line->id, "PAK-IRN");
}

TEST(BoundaryIndex, crossed_finds_the_line_between_two_fixes) {
    // Across PAK-IRN at lat 25.0 (edge (61.56, 24.96)-(61.61, 25.06): lon 61.58).
    const auto west = shipped().crossed({25.0, 61.7}, {25.0, 61.5});
    ASSERT_TRUE(west);
    EXPECT_EQ(west->line->id, "PAK-IRN");
    EXPECT_NEAR(west->point.lat_deg, 25.0, 1e-9);
    EXPECT_NEAR(west->point.lon_deg, 61.58, 1e-9);
    EXPECT_NEAR(west->along_m, distance_m({25.0, 61.7}, {25.0, 61.58}), 0.01);
    EXPECT_EQ(west->time_s, 0.0);
    const auto east = shipped().crossed({25.0, 61.5}, {25.0, 61.7});
    ASSERT_TRUE(east);
    EXPECT_EQ(east->line->id, "PAK-IRN");

    EXPECT_FALSE(shipped().crossed({25.0, 61.7}, {25.0, 61.65}));         // short of the line
    EXPECT_FALSE(shipped().crossed({25.116, 62.3345}, {25.233, 62.469})); // along the coast
    EXPECT_FALSE(shipped().crossed({25.0, 61.7}, {25.0, 61.7}));          // no movement
    EXPECT_FALSE(shipped().crossed({91.0, 61.7}, {25.0, 61.5}));

    // A fix on the line (here a vertex) meets it at once.
    const auto on_line = shipped().crossed({24.96, 61.56}, {24.96, 61.7});
    ASSERT_TRUE(on_line);
    EXPECT_LT(on_line->along_m, 1e-6);

    // Through the PAK-IRN / PAK-OMN tripoint (23.40 N, 61.34 E): both lines meet the track
    // there; the first loaded is reported, whichever way the track runs.
    for (const auto& [a, b] : {std::pair<Position, Position>{{23.4, 61.0}, {23.4, 61.7}},
                               std::pair<Position, Position>{{23.4, 61.7}, {23.4, 61.0}}}) {
        const auto tripoint = shipped().crossed(a, b);
        ASSERT_TRUE(tripoint);
        EXPECT_EQ(tripoint->line->id, "PAK-IRN");
        EXPECT_NEAR(tripoint->point.lon_deg, 61.34, 1e-9);
    }
    // A long leg over two lines reports the first met.
    const auto first = shipped().crossed({22.5, 61.6}, {25.3, 61.6});
    ASSERT_TRUE(first);
    EXPECT_EQ(first->line->id, "PAK-OMN");
}

TEST(BoundaryIndex, crossed_on_a_drawn_meridian_line) {
    //   lat 26 +                 line "M": lon 62.0 from lat 24 to 26
    //          |
    //   a * ---|---> * b         a = (25.0, 61.9), b = (25.0, 62.1): crosses at (25.0, 62.0)
    //          |     * c         c = (24.9, 62.1): a->c crosses too, at lat ~24.95
    //   lat 24 +                 d = (22.0, 62.1): a->d passes lon 62.0 near lat 23.5, south of
    //                * d         the line's end: no crossing
    const BoundaryIndex index = BoundaryIndex::from_lines(
        {make_boundary_line("M", "meridian", "", {}, {{{24.0, 62.0}, {26.0, 62.0}}})});
    const auto ab = index.crossed({25.0, 61.9}, {25.0, 62.1});
    ASSERT_TRUE(ab);
    EXPECT_NEAR(ab->point.lat_deg, 25.0, 1e-12);
    EXPECT_NEAR(ab->point.lon_deg, 62.0, 1e-12);
    EXPECT_NEAR(ab->along_m, distance_m({25.0, 61.9}, {25.0, 62.0}), 1e-3);
    const auto ac = index.crossed({25.0, 61.9}, {24.9, 62.1});
    ASSERT_TRUE(ac);
    EXPECT_NEAR(ac->point.lat_deg, 24.95, 1e-4);
    EXPECT_FALSE(index.crossed({25.0, 61.9}, {22.0, 62.1}));
    EXPECT_FALSE(index.crossed({25.0, 61.9}, {25.0, 61.99}));
}

} // namespace
} // namespace sahil::geo
