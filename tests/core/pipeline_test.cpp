// The tracking pipeline from decoded messages to stored alerts, with the registry on :memory:.
#include <gtest/gtest.h>

#include "registry/boat_store.hpp"
#include "registry/database.hpp"
#include "server/store/alert_store.hpp"
#include "server/tracking/pipeline.hpp"
#include "tests/core/core_test_support.hpp"

namespace {

using namespace sahil;

// Records the departure rule's alerts (R1/R2); these fixtures leave Pasni at 22:30 PKT, so the
// night-departure rule (R3, tests/core/anomaly_rules_test.cpp) fires too and is left out here.
struct Recorder : tracking::AlertSink {
    std::vector<alerts::Alert> alerts;
    std::vector<bool> created;
    void on_alert(const alerts::Alert& a, bool c) override {
        if (a.rule == alerts::rule_names::night_departure) {
            return;
        }
        alerts.push_back(a);
        created.push_back(c);
    }
};

/// A decoded Class A position report as the decoder would deliver it (raw ITU units).
ais::DecodedMessage position(std::uint32_t mmsi, double minute, double distance_m, double sog) {
    const auto f = test::fix_near_pasni(mmsi, minute, 200.0, distance_m, sog);
    ais::PositionReport p;
    p.type = 1;
    p.mmsi = mmsi;
    p.nav_status = 0;
    p.lat_raw = static_cast<std::int32_t>(std::lround(f.position.lat_deg * 600'000.0));
    p.lon_raw = static_cast<std::int32_t>(std::lround(f.position.lon_deg * 600'000.0));
    p.sog_raw = static_cast<std::uint16_t>(std::lround(sog * 10.0));
    p.cog_raw = 2000;
    return ais::DecodedMessage{p, f.time, f.time, "", "AI", false, 'A', false};
}

ais::DecodedMessage static_name(std::uint32_t mmsi, const std::string& name) {
    ais::StaticVoyageData s;
    s.mmsi = mmsi;
    s.shipname = name;
    return ais::DecodedMessage{s,    test::at_minutes(0), test::at_minutes(0), "", "AI", false, 'A',
                               false};
}

struct PipelineTest : ::testing::Test {
    registry::Database db{":memory:"};
    registry::BoatStore boats{db};
    registry::BoatIndex index{db, std::chrono::milliseconds{0}}; // checks at every lookup
    store::AlertStore store{db};
    Recorder sink;

    std::unique_ptr<tracking::Pipeline> make() {
        auto p = std::make_unique<tracking::Pipeline>(tracking::PipelineConfig{}, test::harbours(),
                                                      &index, &store);
        p->add_sink(sink);
        return p;
    }

    void leave_pasni(tracking::Pipeline& p, std::uint32_t mmsi) {
        p.on_message(position(mmsi, 0, 0, 0.0), "test");
        p.on_message(position(mmsi, 10, 1500, 6.0), "test");
        p.on_message(position(mmsi, 12, 1950, 6.0), "test");
    }
};

TEST_F(PipelineTest, unregistered_departure_is_stored_before_it_is_announced) {
    auto p = make();
    p->on_message(static_name(463100901, "<SCRIPT>ALERT(1)</S>"), "test");
    leave_pasni(*p, 463100901);
    ASSERT_EQ(sink.alerts.size(), 1U);
    const auto& a = sink.alerts.front();
    EXPECT_EQ(a.rule, "unregistered_departure");
    EXPECT_GT(a.id, 0); // stored first: the sink sees the store id
    EXPECT_EQ(store.find(a.id)->vessel_name, "<SCRIPT>ALERT(1)</S>");
    EXPECT_EQ(p->counters().departures, 1U);
    EXPECT_EQ(p->counters().alerts, 2U); // and the night departure (R3)
}

TEST_F(PipelineTest, registered_licensed_boat_leaves_without_alert) {
    registry::Boat b;
    b.registration_number = "PSN-0456";
    b.name = "NOOR-E-HAQ";
    b.mmsi = 463100902;
    b.home_harbour = "PK-HBR-05";
    b.licence_valid_until = std::chrono::year(2027) / 1 / 1;
    ASSERT_TRUE(boats.add(b).ok());
    auto p = make();
    leave_pasni(*p, 463100902);
    EXPECT_EQ(p->counters().departures, 1U);
    EXPECT_TRUE(sink.alerts.empty());
}

TEST_F(PipelineTest, boat_registered_after_first_sight_is_matched_at_departure) {
    auto p = make();
    p->on_message(position(463100903, 0, 0, 0.0), "test"); // first seen: not registered
    registry::Boat b;
    b.registration_number = "PSN-0457";
    b.name = "SAGAR RANI";
    b.mmsi = 463100903;
    b.home_harbour = "PK-HBR-05";
    b.licence_valid_until = std::chrono::year(2025) / 12 / 31; // expired
    ASSERT_TRUE(boats.add(b).ok());
    p->on_message(position(463100903, 12, 1950, 6.0), "test");
    ASSERT_EQ(sink.alerts.size(), 1U);
    EXPECT_EQ(sink.alerts.front().rule, "licence_invalid_departure");
    EXPECT_EQ(sink.alerts.front().registration_number, "PSN-0457");
}

TEST_F(PipelineTest, late_fix_from_another_station_is_kept_out_of_the_rules) {
    auto p = make();
    p->on_message(position(463100904, 0, 0, 0.0), "a");
    p->on_message(position(463100904, 12, 1950, 6.0), "a");
    p->on_message(position(463100904, 5, 100, 1.0), "b"); // older than the newest fix
    EXPECT_EQ(p->counters().stale_fixes, 1U);
    EXPECT_EQ(sink.alerts.size(), 1U);
}

TEST_F(PipelineTest, integrity_filter_counts_positions_not_available_and_null_island) {
    auto p = make();
    auto na = position(463100905, 0, 0, 0.0);
    std::get<ais::PositionReport>(na.message).lat_raw = 54'600'000; // 91° = n/a
    p->on_message(na, "t");
    auto zero = position(463100905, 1, 0, 0.0);
    std::get<ais::PositionReport>(zero.message).lat_raw = 0;
    std::get<ais::PositionReport>(zero.message).lon_raw = 0;
    p->on_message(zero, "t");
    EXPECT_EQ(p->counters().no_position, 1U);
    EXPECT_EQ(p->counters().null_island, 1U);
    EXPECT_EQ(p->counters().fixes, 0U);
}

TEST_F(PipelineTest, replaying_the_same_input_does_not_duplicate_alerts) {
    auto p1 = make();
    leave_pasni(*p1, 463100906);
    auto p2 = make();
    leave_pasni(*p2, 463100906);
    EXPECT_EQ(store.count(), 2U); // the departure alert and the night departure (R3)
    ASSERT_EQ(sink.created.size(), 2U);
    EXPECT_TRUE(sink.created[0]);
    EXPECT_FALSE(sink.created[1]);
}

} // namespace
