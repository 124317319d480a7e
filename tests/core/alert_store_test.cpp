// AlertStore on :memory: and on a file: durable, idempotent by natural key, filters.
#include <filesystem>

#include <gtest/gtest.h>

#include "registry/database.hpp"
#include "server/store/alert_store.hpp"
#include "tests/core/core_test_support.hpp"

namespace {

using namespace sahil;

alerts::Alert sample(std::uint32_t mmsi, double minute,
                     std::string rule = "unregistered_departure") {
    alerts::Alert a;
    a.rule = std::move(rule);
    a.severity = alerts::Severity::critical;
    a.mmsi = mmsi;
    a.vessel_name = "<b>SEA \"HAWK\"</b>"; // untrusted text from the air: stored as data
    a.zone_id = "PK-HBR-05";
    a.zone_name = "Pasni Fish Harbour";
    a.fix_time = test::at_minutes(minute);
    a.position = {25.23, 63.47};
    a.sog_knots = 6.2;
    a.reason = "test";
    a.evidence["departure"] = {{"distance_outside_m", 1050}};
    return a;
}

TEST(AlertStore, stores_reads_back_every_field) {
    registry::Database db(":memory:");
    store::AlertStore s(db, [] { return std::string("2026-11-29T00:00:00Z"); });
    const auto r = s.insert(sample(463100001, 12));
    EXPECT_TRUE(r.created);
    const auto a = s.find(r.id);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->rule, "unregistered_departure");
    EXPECT_EQ(a->vessel_name, "<b>SEA \"HAWK\"</b>");
    EXPECT_EQ(a->fix_time, test::at_minutes(12));
    EXPECT_DOUBLE_EQ(a->position.lat_deg, 25.23);
    EXPECT_EQ(a->sog_knots, 6.2);
    EXPECT_FALSE(a->cog_deg);
    EXPECT_EQ(a->status, alerts::Status::new_);
    EXPECT_EQ(a->evidence["departure"]["distance_outside_m"], 1050);
    EXPECT_EQ(a->created_at, "2026-11-29T00:00:00Z");
}

TEST(AlertStore, same_alert_twice_is_stored_once) {
    registry::Database db(":memory:");
    store::AlertStore s(db);
    const auto first = s.insert(sample(463100001, 12));
    const auto again = s.insert(sample(463100001, 12));
    EXPECT_TRUE(first.created);
    EXPECT_FALSE(again.created);
    EXPECT_EQ(first.id, again.id);
    EXPECT_EQ(s.count(), 1U);
}

TEST(AlertStore, filters_and_resumes_after_id) {
    registry::Database db(":memory:");
    store::AlertStore s(db);
    const auto a1 = s.insert(sample(463100001, 1)).id;
    const auto a2 = s.insert(sample(463100002, 2, "licence_invalid_departure")).id;
    const auto a3 = s.insert(sample(463100003, 3)).id;
    store::AlertQuery q;
    EXPECT_EQ(s.list(q).size(), 3U);
    EXPECT_EQ(s.list(q).front().id, a3); // newest first
    q.rule = "licence_invalid_departure";
    ASSERT_EQ(s.list(q).size(), 1U);
    EXPECT_EQ(s.list(q).front().id, a2);
    store::AlertQuery resume;
    resume.after_id = a1;
    const auto after = s.list(resume);
    ASSERT_EQ(after.size(), 2U);
    EXPECT_EQ(after[0].id, a2); // oldest first when resuming
    store::AlertQuery by_mmsi;
    by_mmsi.mmsi = 463100003;
    EXPECT_EQ(s.list(by_mmsi).size(), 1U);
}

TEST(AlertStore, survives_reopening_the_file) {
    const auto dir = std::filesystem::temp_directory_path() / "sahil_alert_store_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto path = (dir / "registry.db").string();
    {
        registry::Database db(path);
        store::AlertStore s(db);
        s.insert(sample(463100001, 12));
    }
    registry::Database db(path, registry::OpenMode::read_only);
    store::AlertStore s(db);
    EXPECT_EQ(s.count(), 1U);
    std::filesystem::remove_all(dir);
}

} // namespace
