// Which departures become alerts, by registry match and licence state on the fix's UTC date.
#include <gtest/gtest.h>

#include "server/rules/departure_alert_rule.hpp"
#include "tests/core/core_test_support.hpp"

namespace {

using namespace sahil;
using namespace std::chrono;

registry::Boat boat(std::optional<year_month_day> until, registry::BoatStatus status) {
    registry::Boat b;
    b.id = 7;
    b.registration_number = "PSN-0456";
    b.name = "NOOR-E-HAQ";
    b.mmsi = 463100001;
    b.home_harbour = "PK-HBR-05";
    b.licence_valid_until = until;
    b.status = status;
    return b;
}

rules::DepartureEvent event() {
    return {"PK-HBR-05", "Pasni Fish Harbour", 1050.0, 6.0, test::at_minutes(0)};
}

// The fix is on 2026-03-14 (UTC).
const auto fix = test::fix_near_pasni(463100001, 12, 200, 1950, 6.0);

TEST(DepartureAlertRule, unregistered_mmsi_is_critical_unregistered_departure) {
    const auto a = rules::departure_alert(event(), fix, std::nullopt, "SEA HAWK");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->rule, "unregistered_departure");
    EXPECT_EQ(a->severity, alerts::Severity::critical);
    EXPECT_EQ(a->mmsi, 463100001U);
    EXPECT_EQ(a->zone_id, "PK-HBR-05");
    EXPECT_FALSE(a->boat_id);
    EXPECT_NE(a->reason.find("SEA HAWK"), std::string::npos);
    EXPECT_NE(a->reason.find("Pasni Fish Harbour"), std::string::npos);
}

TEST(DepartureAlertRule, valid_licence_raises_nothing_including_last_valid_day) {
    EXPECT_FALSE(rules::departure_alert(
        event(), fix, boat(2026y / March / 14d, registry::BoatStatus::active), ""));
    EXPECT_FALSE(rules::departure_alert(
        event(), fix, boat(2027y / January / 1d, registry::BoatStatus::active), ""));
}

TEST(DepartureAlertRule, expired_no_licence_suspended_decommissioned_are_licence_invalid) {
    const std::vector<std::pair<registry::Boat, std::string>> cases = {
        {boat(2026y / March / 13d, registry::BoatStatus::active), "expired"},
        {boat(std::nullopt, registry::BoatStatus::active), "no_licence"},
        {boat(2027y / January / 1d, registry::BoatStatus::suspended), "suspended"},
        {boat(2027y / January / 1d, registry::BoatStatus::decommissioned), "decommissioned"},
    };
    for (const auto& [b, state] : cases) {
        const auto a = rules::departure_alert(event(), fix, b, "NOOR E HAQ");
        ASSERT_TRUE(a) << state;
        EXPECT_EQ(a->rule, "licence_invalid_departure") << state;
        EXPECT_EQ(a->severity, alerts::Severity::warning);
        EXPECT_EQ(a->boat_id, 7);
        EXPECT_EQ(a->registration_number, "PSN-0456");
        EXPECT_EQ(a->evidence["registry"]["licence_state"], state);
    }
}

} // namespace
