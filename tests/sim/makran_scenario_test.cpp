// Consistency of the Makran demo (config/scenarios/makran.toml, makran-registry.csv,
// makran.expected.jsonl): the hand-written expected alerts must follow from the scripted traffic
// under the departure rule, evaluated here independently of the daemon with a circle model of
// the harbour fences (centre_lat/centre_lon/radius_m of config/geo/harbours.geojson).
//
// Circle vs polygon: the fences are 32-vertex polygons inscribed in those circles, so the two
// differ by at most r (1 - cos(π/32)) ≈ 0.5 % of r (≤ 8 m). Every scripted track crosses each
// threshold once, at ≥ 5 kn, and keeps ≥ 1.1 km from the fences it does not use, so that
// difference cannot change an outcome.
#include <chrono>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "geo/geodesic.hpp"
#include "tests/sim/sim_test_support.hpp"

namespace sahil::sim {
namespace {

struct Fence {
    std::string id;
    geo::Position centre;
    double radius_m;
};

std::vector<Fence> harbour_fences() {
    std::ifstream in(std::filesystem::path(SAHIL_SOURCE_DIR) / "config" / "geo" /
                     "harbours.geojson");
    EXPECT_TRUE(in.good());
    const auto doc = nlohmann::json::parse(in);
    std::vector<Fence> out;
    for (const auto& f : doc.at("features")) {
        const auto& p = f.at("properties");
        out.push_back({p.at("id").get<std::string>(),
                       {p.at("centre_lat").get<double>(), p.at("centre_lon").get<double>()},
                       p.at("radius_m").get<double>()});
    }
    return out;
}

struct Record {
    std::string registration_number;
    std::string name;
    std::string mmsi;
    std::string call_sign;
    std::string home_harbour;
    std::string licence_valid_until;
    std::string status;
};

std::vector<std::string> split_csv_line(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, ',')) {
        fields.push_back(field);
    }
    if (!line.empty() && line.back() == ',') {
        fields.emplace_back();
    }
    return fields;
}

std::vector<Record> registry() {
    std::ifstream in(test::scenario_path("makran-registry.csv"));
    EXPECT_TRUE(in.good());
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "registration_number,name,mmsi,call_sign,home_harbour,licence_valid_until,"
                    "status");
    std::vector<Record> out;
    while (std::getline(in, line)) {
        const auto f = split_csv_line(line);
        EXPECT_EQ(f.size(), 7U) << line;
        if (f.size() == 7) {
            out.push_back({f[0], f[1], f[2], f[3], f[4], f[5], f[6]});
        }
    }
    return out;
}

std::string utc_date(UtcTime t) {
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

TEST(MakranScenario, registry_rows_are_well_formed_with_valid_pakistani_mmsis) {
    const auto rows = registry();
    EXPECT_GE(rows.size(), 25U);
    std::set<std::string> mmsis;
    std::set<std::string> numbers;
    for (const auto& r : rows) {
        SCOPED_TRACE(r.registration_number);
        ASSERT_EQ(r.mmsi.size(), 9U);
        EXPECT_EQ(r.mmsi.find_first_not_of("0123456789"), std::string::npos);
        EXPECT_EQ(r.mmsi.substr(0, 3), "463"); // MID of Pakistan (ITU-R M.585)
        EXPECT_NE(r.mmsi.find_first_not_of(r.mmsi[0]), std::string::npos); // not 444444444
        EXPECT_TRUE(mmsis.insert(r.mmsi).second);
        EXPECT_TRUE(numbers.insert(r.registration_number).second);
        EXPECT_EQ(r.home_harbour.rfind("PK-HBR-", 0), 0U);
        EXPECT_EQ(r.licence_valid_until.size(), 10U);
        EXPECT_TRUE(r.status == "active" || r.status == "suspended" ||
                    r.status == "decommissioned");
    }
}

TEST(MakranScenario, expected_alerts_follow_from_the_script_and_the_registry) {
    const Scenario sc = load_scenario(test::scenario_path("makran.toml"));
    const test::Decoded out = test::run(sc);
    ASSERT_EQ(out.errors, std::vector<std::string>{});
    ASSERT_EQ(out.counters.error_total(), 0U);

    std::map<std::uint32_t, Record> by_mmsi;
    for (const auto& r : registry()) {
        by_mmsi[static_cast<std::uint32_t>(std::stoul(r.mmsi))] = r;
    }
    const auto fences = harbour_fences();
    ASSERT_EQ(fences.size(), 15U);

    // Departure rule, circle model: seen inside fence Z, later > 1000 m outside Z at >= 2 kn.
    using Alert = std::tuple<std::string, std::uint32_t, std::string>; // rule, mmsi, zone
    std::set<Alert> alerts;
    std::set<std::pair<std::uint32_t, std::string>> departures;
    std::map<std::uint32_t, std::set<std::string>> seen_inside;
    std::set<std::uint32_t> reporting;
    for (const auto& m : out.messages) {
        const ais::PositionFields* p = std::get_if<ais::PositionReport>(&m.message);
        if (p == nullptr) {
            p = std::get_if<ais::ClassBPositionReport>(&m.message);
        }
        if (p == nullptr) {
            continue;
        }
        const std::uint32_t mmsi = ais::message_mmsi(m.message);
        reporting.insert(mmsi);
        const geo::Position at{*p->lat_deg(), *p->lon_deg()};
        for (const auto& f : fences) {
            const double outside_m = geo::distance_m(at, f.centre) - f.radius_m;
            if (outside_m <= 0) {
                seen_inside[mmsi].insert(f.id);
            } else if (outside_m > 1000 && *p->sog_knots() >= 2.0 &&
                       seen_inside[mmsi].erase(f.id) > 0) {
                departures.insert({mmsi, f.id});
                const auto r = by_mmsi.find(mmsi);
                if (r == by_mmsi.end()) {
                    alerts.insert({"unregistered_departure", mmsi, f.id});
                } else if (r->second.licence_valid_until < utc_date(m.fix_time) ||
                           r->second.status == "suspended" ||
                           r->second.status == "decommissioned") {
                    alerts.insert({"licence_invalid_departure", mmsi, f.id});
                }
            }
        }
    }
    EXPECT_EQ(reporting.size(), 31U);

    std::ifstream in(test::scenario_path("makran.expected.jsonl"));
    ASSERT_TRUE(in.good());
    std::set<Alert> expected;
    std::string line;
    while (std::getline(in, line)) {
        const auto j = nlohmann::json::parse(line);
        const auto rule = j.at("rule").get<std::string>();
        // The file lists every rule's alerts; this model checks the departure rule's (R1/R2).
        if (rule != "unregistered_departure" && rule != "licence_invalid_departure") {
            continue;
        }
        expected.insert({rule, j.at("mmsi").get<std::uint32_t>(),
                         j.at("zone_id").get<std::string>()});
    }
    EXPECT_EQ(alerts, expected);

    // (d) NOOR-E-HAQ does depart Ormara: the rule sees it and stays silent (valid licence).
    EXPECT_TRUE(departures.count({463105264, "PK-HBR-06"}) == 1);
    // Ordinary registered departures: Gwadar x3, Pasni, Ormara West Bay, Jiwani; plus the five
    // scripted ones. Returning and moored boats never depart.
    EXPECT_EQ(departures.size(), 11U);
}

} // namespace
} // namespace sahil::sim
