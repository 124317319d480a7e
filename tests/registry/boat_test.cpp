// Tests of registry/boat: status names and licence state on boundary days.
#include <chrono>

#include <gtest/gtest.h>

#include "registry/boat.hpp"

namespace sahil::registry {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;
using std::chrono::year;

Boat licensed_until(std::chrono::year_month_day last_day, BoatStatus status = BoatStatus::active) {
    return Boat{.registration_number = "GWD-1234",
                .name = "Al-Madina",
                .home_harbour = "PK-HBR-02",
                .licence_valid_until = last_day,
                .status = status};
}

TEST(BoatStatus, names_round_trip) {
    for (const BoatStatus status :
         {BoatStatus::active, BoatStatus::suspended, BoatStatus::decommissioned}) {
        EXPECT_EQ(parse_boat_status(to_string(status)), status);
    }
    EXPECT_EQ(to_string(BoatStatus::active), "active");
    EXPECT_EQ(to_string(BoatStatus::suspended), "suspended");
    EXPECT_EQ(to_string(BoatStatus::decommissioned), "decommissioned");
}

TEST(BoatStatus, parse_is_case_insensitive_but_otherwise_strict) {
    EXPECT_EQ(parse_boat_status("Suspended"), BoatStatus::suspended);
    EXPECT_EQ(parse_boat_status("ACTIVE"), BoatStatus::active);
    EXPECT_EQ(parse_boat_status(" active"), std::nullopt);
    EXPECT_EQ(parse_boat_status("retired"), std::nullopt);
    EXPECT_EQ(parse_boat_status(""), std::nullopt);
    EXPECT_EQ(to_string(static_cast<BoatStatus>(42)), "unknown");
}

TEST(BoatLicence, valid_through_the_whole_last_day_and_expired_the_next) {
    const Boat boat = licensed_until(year{2025} / 6 / 30);
    EXPECT_EQ(licence_state(boat, sys_days{year{2025} / 1 / 1}), LicenceState::valid);
    EXPECT_EQ(licence_state(boat, sys_days{year{2025} / 6 / 29}), LicenceState::valid);
    EXPECT_EQ(licence_state(boat, sys_days{year{2025} / 6 / 30}), LicenceState::valid);
    EXPECT_EQ(licence_state(boat, sys_days{year{2025} / 7 / 1}), LicenceState::expired);
    EXPECT_EQ(licence_state(boat, sys_days{year{2026} / 1 / 1}), LicenceState::expired);
}

TEST(BoatLicence, fix_times_are_floored_to_the_utc_day) {
    const Boat boat = licensed_until(year{2025} / 6 / 30);
    const auto last_second = sys_days{year{2025} / 6 / 30} + 23h + 59min + 59s;
    const auto next_midnight = sys_days{year{2025} / 7 / 1} + 0s;
    EXPECT_EQ(licence_state(boat, std::chrono::floor<std::chrono::days>(last_second)),
              LicenceState::valid);
    EXPECT_EQ(licence_state(boat, std::chrono::floor<std::chrono::days>(next_midnight)),
              LicenceState::expired);
}

TEST(BoatLicence, leap_day_and_year_end_boundaries) {
    const Boat leap = licensed_until(year{2024} / 2 / 29);
    EXPECT_EQ(licence_state(leap, sys_days{year{2024} / 2 / 29}), LicenceState::valid);
    EXPECT_EQ(licence_state(leap, sys_days{year{2024} / 3 / 1}), LicenceState::expired);
    const Boat year_end = licensed_until(year{2024} / 12 / 31);
    EXPECT_EQ(licence_state(year_end, sys_days{year{2024} / 12 / 31}), LicenceState::valid);
    EXPECT_EQ(licence_state(year_end, sys_days{year{2025} / 1 / 1}), LicenceState::expired);
}

TEST(BoatLicence, no_licence_when_no_date) {
    Boat boat = licensed_until(year{2025} / 6 / 30);
    boat.licence_valid_until.reset();
    EXPECT_EQ(licence_state(boat, sys_days{year{2025} / 1 / 1}), LicenceState::no_licence);
}

TEST(BoatLicence, suspension_and_decommissioning_take_precedence) {
    const auto day = sys_days{year{2025} / 3 / 15};
    EXPECT_EQ(licence_state(licensed_until(year{2025} / 12 / 31, BoatStatus::suspended), day),
              LicenceState::suspended);
    EXPECT_EQ(licence_state(licensed_until(year{2024} / 12 / 31, BoatStatus::suspended), day),
              LicenceState::suspended);
    EXPECT_EQ(licence_state(licensed_until(year{2025} / 12 / 31, BoatStatus::decommissioned), day),
              LicenceState::decommissioned);
    Boat unlicensed = licensed_until(year{2025} / 12 / 31, BoatStatus::suspended);
    unlicensed.licence_valid_until.reset();
    EXPECT_EQ(licence_state(unlicensed, day), LicenceState::suspended);
}

TEST(BoatLicence, an_out_of_range_status_is_never_valid) {
    const Boat boat = licensed_until(year{2025} / 12 / 31, static_cast<BoatStatus>(42));
    EXPECT_NE(licence_state(boat, sys_days{year{2025} / 3 / 15}), LicenceState::valid);
}

TEST(BoatLicence, state_names) {
    EXPECT_EQ(to_string(LicenceState::valid), "valid");
    EXPECT_EQ(to_string(LicenceState::expired), "expired");
    EXPECT_EQ(to_string(LicenceState::no_licence), "no_licence");
    EXPECT_EQ(to_string(LicenceState::suspended), "suspended");
    EXPECT_EQ(to_string(LicenceState::decommissioned), "decommissioned");
}

} // namespace
} // namespace sahil::registry
