// A harness for scenario tests of the anomaly rules: the shipped geography (config/geo), the
// registry and the alert store on :memory:, and the tracking pipeline fed decoded messages built
// from tables of fixes (time, position, SOG, COG), as the decoder would deliver them.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "geo/boundary.hpp"
#include "geo/geodesic.hpp"
#include "registry/boat_index.hpp"
#include "registry/boat_store.hpp"
#include "registry/database.hpp"
#include "server/rules/geography.hpp"
#include "server/store/alert_store.hpp"
#include "server/tracking/pipeline.hpp"
#include "tests/core/core_test_support.hpp"

namespace sahil::test {

/// Harbour centres of config/geo/harbours.geojson (centre_lat/centre_lon properties).
inline constexpr geo::Position jiwani{25.052, 61.74};       // PK-HBR-01
inline constexpr geo::Position gwadar{25.116, 62.3345};     // PK-HBR-02
inline constexpr geo::Position pasni{25.248, 63.483};       // PK-HBR-05
inline constexpr geo::Position karachi{24.848, 66.976};     // PK-HBR-12

/// 2026-03-14T07:00:00Z (12:00 PKT, broad daylight) plus minutes.
inline UtcTime day(double minutes) {
    return from_unix_seconds(1'773'471'600) +
           std::chrono::milliseconds(static_cast<long>(minutes * 60'000));
}
/// 2026-03-14T17:30:00Z (22:30 PKT, night at every harbour) plus minutes.
inline UtcTime night(double minutes) { return at_minutes(minutes); }

/// The shipped geography, loaded once.
inline const rules::Geography& shipped_geography() {
    static const rules::Geography g = rules::Geography::load(
        harbours(), rules::GeographyFiles{
                        std::filesystem::path(SAHIL_SOURCE_DIR) /
                            "config/geo/pak_maritime_zones_approx.geojson",
                        std::filesystem::path(SAHIL_SOURCE_DIR) / "config/geo/land_osm.geojson",
                        std::filesystem::path(SAHIL_SOURCE_DIR) /
                            "config/geo/pak_maritime_boundaries_approx.geojson",
                        std::filesystem::path(SAHIL_SOURCE_DIR) /
                            "config/geo/rule_exception_areas.geojson"});
    return g;
}

/// Registry facts of a test boat.
struct BoatFacts {
    bool licensed = true;      ///< licence valid to 2026-12-31 (else none)
    bool night_fishing = false;
    bool foreign_waters = false;
    bool transponder = false;
    std::vector<std::string> licence_zones{};
};

/// See the file comment.
class RulesHarness {
public:
    struct Sink : tracking::AlertSink {
        std::vector<alerts::Alert> created;
        int updated = 0;
        void on_alert(const alerts::Alert& a, bool c) override {
            if (c) {
                created.push_back(a);
            }
        }
        void on_alert_updated(const alerts::Alert&) override { ++updated; }
    };

    registry::Database db{":memory:"};
    registry::BoatStore boats{db};
    registry::BoatIndex index{db, std::chrono::milliseconds{0}};
    store::AlertStore store{db};
    Sink sink;
    std::unique_ptr<tracking::Pipeline> pipeline;

    explicit RulesHarness(rules::RuleParamSet params = {}) {
        tracking::PipelineConfig cfg;
        cfg.dedup_window = std::chrono::milliseconds{0};
        cfg.rules = std::move(params);
        alerts::Agency cg;
        cg.id = "coast_guard";
        cg.areas = {"harbour", "territorial_sea"};
        alerts::Agency msa;
        msa.id = "msa";
        msa.areas = {"contiguous_zone", "eez", "boundary_area", "outside_eez"};
        cfg.agencies = {cg, msa};
        pipeline = std::make_unique<tracking::Pipeline>(cfg, harbours(), &index, &store,
                                                        &shipped_geography());
        pipeline->closed_seasons = [this] { return rules::load_closed_seasons(db); };
        pipeline->on_error = [](const std::string& e) { ADD_FAILURE() << e; };
        pipeline->add_sink(sink);
    }

    /// Registers a boat (registry v1 short form, then the full model's facts by SQL).
    std::int64_t add_boat(const std::string& reg, const std::string& name, std::uint32_t mmsi,
                          const std::string& harbour, const BoatFacts& f = {},
                          const std::string& call_sign = "") {
        registry::Boat b;
        b.registration_number = reg;
        b.name = name;
        b.mmsi = mmsi;
        b.call_sign = call_sign;
        b.home_harbour = harbour;
        if (f.licensed) {
            b.licence_valid_until = std::chrono::year{2026} / 12 / 31;
        }
        const auto r = boats.add(b);
        EXPECT_TRUE(r.ok());
        const std::int64_t id = r.id;
        auto& h = db.handle();
        if (f.licensed) {
            std::string zones = "[";
            for (const auto& z : f.licence_zones) {
                zones += (zones.size() > 1 ? ",\"" : "\"") + z + "\"";
            }
            zones += "]";
            h.exec("UPDATE licences SET valid_from = '2026-01-01', night_fishing = " +
                   std::to_string(f.night_fishing ? 1 : 0) +
                   ", foreign_waters = " + std::to_string(f.foreign_waters ? 1 : 0) +
                   ", zones = '" + zones + "' WHERE vessel_id = " + std::to_string(id));
        }
        if (f.transponder) {
            h.exec("INSERT INTO transponders(vessel_id, kind, mmsi, installed_on, created_at) "
                   "VALUES(" + std::to_string(id) + ", 'ais_class_b', " + std::to_string(mmsi) +
                   ", '2026-01-01', '2026-01-01T00:00:00Z')");
        }
        return id;
    }

    void closed_season(const std::string& authority, const std::string& from,
                       const std::string& to) {
        db.handle().exec("INSERT INTO closed_seasons(authority, name, starts_on, ends_on, "
                         "created_at) VALUES('" + authority + "', 'test season', '" + from +
                         "', '" + to + "', '2026-01-01T00:00:00Z')");
    }

    /// One Class A position report.
    void fix(std::uint32_t mmsi, UtcTime t, geo::Position p, double sog, double cog,
             int nav_status = 0) {
        ais::PositionReport r;
        r.type = 1;
        r.mmsi = mmsi;
        r.nav_status = static_cast<std::uint8_t>(nav_status);
        r.lat_raw = static_cast<std::int32_t>(std::lround(p.lat_deg * 600'000.0));
        r.lon_raw = static_cast<std::int32_t>(std::lround(p.lon_deg * 600'000.0));
        r.sog_raw = static_cast<std::uint16_t>(std::lround(sog * 10.0));
        r.cog_raw = static_cast<std::uint16_t>(std::lround(std::fmod(cog + 360.0, 360.0) * 10.0));
        ais::DecodedMessage m{r, t, t, "", "AI", false, 'A', false};
        m.payload_hash = (static_cast<std::uint64_t>(mmsi) << 32) ^
                         static_cast<std::uint64_t>(unix_millis(t));
        pipeline->on_message(m, "test");
    }

    /// One type 5 static report.
    void static_data(std::uint32_t mmsi, UtcTime t, const std::string& name,
                     const std::string& call_sign = "", int ship_type = 30, int length_m = 15) {
        ais::StaticVoyageData s;
        s.mmsi = mmsi;
        s.shipname = name;
        s.callsign = call_sign;
        s.shiptype = static_cast<std::uint8_t>(ship_type);
        s.to_bow = static_cast<std::uint16_t>(length_m);
        s.to_port = 2;
        s.to_starboard = 2;
        ais::DecodedMessage m{s, t, t, "", "AI", false, 'A', false};
        m.payload_hash = 0x5A5A0000ULL ^ mmsi ^ static_cast<std::uint64_t>(unix_millis(t));
        pipeline->on_message(m, "test");
    }

    /// Sails `mmsi` from `from` on a rhumb line `course` at `knots`, one fix every `step_min`
    /// minutes from `t0` for `minutes`; returns the last position.
    geo::Position sail(std::uint32_t mmsi, UtcTime t0, geo::Position from, double course,
                       double knots, double minutes, double step_min = 5.0) {
        geo::Position p = from;
        for (double m = 0; m <= minutes + 1e-9; m += step_min) {
            p = geo::rhumb_destination(from, course, knots * 1852.0 * m / 60.0);
            fix(mmsi, t0 + std::chrono::milliseconds(static_cast<long>(m * 60'000)), p, knots,
                course);
        }
        return p;
    }

    /// Sits in harbour (two fixes at the centre), then leaves on `course` at `knots`.
    geo::Position depart(std::uint32_t mmsi, UtcTime t0, geo::Position harbour, double course,
                         double knots, double minutes, double step_min = 5.0) {
        fix(mmsi, t0 - std::chrono::minutes(20), harbour, 0, 0);
        fix(mmsi, t0 - std::chrono::minutes(10), harbour, 0, 0);
        return sail(mmsi, t0, harbour, course, knots, minutes, step_min);
    }

    /// "rule:severity" of every stored alert of `mmsi` (or all), oldest first.
    std::vector<std::string> raised(std::optional<std::uint32_t> mmsi = std::nullopt) const {
        store::AlertQuery q;
        q.after_id = 0;
        q.limit = 1000;
        q.mmsi = mmsi;
        std::vector<std::string> out;
        for (const auto& a : store.list(q)) {
            out.push_back(a.rule + ":" + std::string(alerts::to_string(a.severity)));
        }
        return out;
    }

    /// The stored alert of `mmsi` and `rule` (the newest).
    std::optional<alerts::Alert> alert(std::uint32_t mmsi, const std::string& rule) const {
        store::AlertQuery q;
        q.mmsi = mmsi;
        q.rule = rule;
        const auto list = store.list(q);
        if (list.empty()) {
            return std::nullopt;
        }
        return list.front();
    }
};

} // namespace sahil::test
