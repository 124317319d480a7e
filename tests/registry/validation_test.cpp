// Tests of registry/validation: field rules (tables of good and bad values) and the strict
// MMSI and date parsers. Expected MMSI verdicts come from ITU-R M.585-9, not from the code.
#include <chrono>
#include <cstdint>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/validation.hpp"

namespace sahil::registry {
namespace {

using std::chrono::year;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Boat valid_boat() {
    return Boat{.registration_number = "GWD-1234",
                .name = "Al-Madina",
                .mmsi = 463123456,
                .call_sign = "AP4521",
                .home_harbour = "PK-HBR-02",
                .licence_valid_until = year{2025} / 12 / 31,
                .status = BoatStatus::active};
}

/// The messages validate() gives for `field`, joined (empty when the field is fine).
std::string problem_with(const Boat& boat, const std::string& field) {
    std::string out;
    for (const FieldError& error : validate(boat)) {
        if (error.field == field) {
            out += error.message;
        }
    }
    return out;
}

struct MmsiCase {
    std::uint32_t mmsi;
    const char* expected; // "" = accepted, otherwise a substring of the reason
};

class BoatValidationMmsi : public ::testing::TestWithParam<MmsiCase> {};

TEST_P(BoatValidationMmsi, follows_itu_r_m585) {
    const MmsiCase& c = GetParam();
    const auto problem = check_mmsi(c.mmsi);
    Boat boat = valid_boat();
    boat.mmsi = c.mmsi;
    if (std::string(c.expected).empty()) {
        EXPECT_EQ(problem, std::nullopt) << c.mmsi;
        EXPECT_EQ(problem_with(boat, "mmsi"), "");
    } else {
        ASSERT_TRUE(problem.has_value()) << c.mmsi;
        EXPECT_THAT(*problem, HasSubstr(c.expected)) << c.mmsi;
        EXPECT_EQ(problem_with(boat, "mmsi"), *problem);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, BoatValidationMmsi,
    ::testing::Values(MmsiCase{463123456, ""}, // Pakistan, MID 463
                      MmsiCase{463000001, ""}, //
                      MmsiCase{422123456, ""}, // Iran: a valid ship MID (flag is R9's business)
                      MmsiCase{201000001, ""}, // lowest ship-station MID
                      MmsiCase{775999998, ""}, // highest ship-station MID
                      MmsiCase{123456789, "MID 123"}, MmsiCase{200999999, "MID 200"},
                      MmsiCase{776000001, "MID 776"}, MmsiCase{970123456, "AIS-SART"},
                      MmsiCase{972123456, "man-overboard"}, MmsiCase{974123456, "EPIRB"},
                      MmsiCase{982123456, "MID 982"}, // craft associated with a parent ship
                      MmsiCase{992123456, "MID 992"}, // aid to navigation
                      MmsiCase{111463123, "MID 111"}, // SAR aircraft
                      MmsiCase{12345678, "must be 9 digits"},
                      MmsiCase{46312345, "must be 9 digits"}, // a group MMSI 046312345
                      MmsiCase{0, "must be 9 digits"}, MmsiCase{1000000000, "must be 9 digits"},
                      MmsiCase{333333333, "placeholder"}, MmsiCase{666666666, "placeholder"}),
    [](const ::testing::TestParamInfo<MmsiCase>& param_info) {
        return "mmsi_" + std::to_string(param_info.param.mmsi);
    });

TEST(BoatValidation, a_complete_boat_is_valid) {
    EXPECT_TRUE(validate(valid_boat()).empty());
}

TEST(BoatValidation, optional_fields_may_be_empty) {
    Boat boat = valid_boat();
    boat.mmsi.reset();
    boat.call_sign.clear();
    boat.licence_valid_until.reset();
    EXPECT_TRUE(validate(boat).empty());
}

TEST(BoatValidation, registration_number_rules) {
    const auto check = [](const std::string& value) {
        Boat boat = valid_boat();
        boat.registration_number = value;
        return problem_with(boat, "registration_number");
    };
    EXPECT_EQ(check("GWD-1234"), "");
    EXPECT_EQ(check("PSN/0456"), "");
    EXPECT_EQ(check("orm-77"), "");
    EXPECT_EQ(check(std::string(32, 'A')), "");
    EXPECT_THAT(check(""), HasSubstr("required"));
    EXPECT_THAT(check("   "), HasSubstr("required"));
    EXPECT_THAT(check(" GWD-1234"), HasSubstr("spaces"));
    EXPECT_THAT(check("GWD-1234 "), HasSubstr("spaces"));
    EXPECT_THAT(check(std::string(33, 'A')), HasSubstr("at most 32"));
    EXPECT_THAT(check("GWD 1234"), HasSubstr("only letters"));
    EXPECT_THAT(check("GWD_1234"), HasSubstr("only letters"));
    EXPECT_THAT(check("GWD-1234;DROP"), HasSubstr("only letters"));
    EXPECT_THAT(check("\xD0\x93WD-1"), HasSubstr("only letters")); // Cyrillic Г
}

TEST(BoatValidation, name_rules_count_characters_not_bytes) {
    const auto check = [](const std::string& value) {
        Boat boat = valid_boat();
        boat.name = value;
        return problem_with(boat, "name");
    };
    const std::string meem = "\xD9\x85"; // U+0645 ARABIC LETTER MEEM, 2 bytes
    std::string urdu_64;
    for (int i = 0; i < 64; ++i) {
        urdu_64 += meem;
    }
    EXPECT_EQ(check("Al-Madina"), "");
    EXPECT_EQ(check("\xD8\xA7\xD9\x84\xD9\x85\xD8\xAF\xDB\x8C\xD9\x86\xDB\x81"), ""); // المدینہ
    EXPECT_EQ(check(urdu_64), "");                                                    // 128 bytes
    EXPECT_THAT(check(urdu_64 + meem), HasSubstr("at most 64"));
    EXPECT_EQ(check(std::string(64, 'N')), "");
    EXPECT_THAT(check(std::string(65, 'N')), HasSubstr("at most 64"));
    EXPECT_EQ(check("\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xB4\xD9\x88\xD8\xAF"), ""); // ZWNJ allowed
    EXPECT_THAT(check(""), HasSubstr("required"));
    EXPECT_THAT(check(" Al-Madina"), HasSubstr("spaces"));
    EXPECT_THAT(check("Al\tMadina"), HasSubstr("control"));
    EXPECT_THAT(check("Al\nMadina"), HasSubstr("U+000A"));
    EXPECT_THAT(check(std::string("Al\0Madina", 9)), HasSubstr("control"));
    EXPECT_THAT(check("Al\x7FMadina"), HasSubstr("control"));
    EXPECT_THAT(check("Al\xC2\x85Madina"), HasSubstr("U+0085")); // C1 NEL
    EXPECT_THAT(check("Noor\xE2\x80\xAE"
                      "anidaM"),
                HasSubstr("U+202E"));                             // RTL override
    EXPECT_THAT(check("Al\xC3\x28Madina"), HasSubstr("UTF-8"));   // bad continuation
    EXPECT_THAT(check("Al\xC0\xAF"), HasSubstr("UTF-8"));         // overlong '/'
    EXPECT_THAT(check("Al\xED\xA0\x80"), HasSubstr("UTF-8"));     // UTF-16 surrogate
    EXPECT_THAT(check("Al\xF4\x90\x80\x80"), HasSubstr("UTF-8")); // above U+10FFFF
    EXPECT_THAT(check("Al\xE2\x80"), HasSubstr("UTF-8"));         // truncated
}

TEST(BoatValidation, call_sign_rules) {
    const auto check = [](const std::string& value) {
        Boat boat = valid_boat();
        boat.call_sign = value;
        return problem_with(boat, "call_sign");
    };
    EXPECT_EQ(check(""), "");
    EXPECT_EQ(check("AP4521"), "");
    EXPECT_EQ(check("6PA1234"), "");
    EXPECT_THAT(check("AP452101"), HasSubstr("at most 7"));
    EXPECT_THAT(check("ap4521"), HasSubstr("upper-case"));
    EXPECT_THAT(check("AP-452"), HasSubstr("upper-case"));
    EXPECT_THAT(check(" AP45"), HasSubstr("upper-case"));
}

TEST(BoatValidation, home_harbour_rules) {
    const auto check = [](const std::string& value) {
        Boat boat = valid_boat();
        boat.home_harbour = value;
        return problem_with(boat, "home_harbour");
    };
    EXPECT_EQ(check("PK-HBR-05"), "");
    EXPECT_EQ(check("Pasni Fish Harbour"), "");
    EXPECT_THAT(check(""), HasSubstr("required"));
    EXPECT_THAT(check("PK-HBR-06 "), HasSubstr("spaces"));
    EXPECT_THAT(check(std::string(65, 'H')), HasSubstr("at most 64"));
}

TEST(BoatValidation, impossible_date_and_unknown_status_are_reported) {
    Boat boat = valid_boat();
    boat.licence_valid_until = year{2025} / 2 / 30;
    boat.status = static_cast<BoatStatus>(7);
    EXPECT_THAT(validate(boat),
                ElementsAre(FieldError{"licence_valid_until", "not a real calendar date"},
                            FieldError{"status", "must be active, suspended or decommissioned"}));
}

TEST(BoatValidation, every_bad_field_is_reported_once_in_field_order) {
    Boat boat;
    boat.mmsi = 970123456;
    boat.call_sign = "toolongcs";
    const auto errors = validate(boat);
    ASSERT_EQ(errors.size(), 5u);
    EXPECT_EQ(errors[0].field, "registration_number");
    EXPECT_EQ(errors[1].field, "name");
    EXPECT_EQ(errors[2].field, "mmsi");
    EXPECT_EQ(errors[3].field, "call_sign");
    EXPECT_EQ(errors[4].field, "home_harbour");
}

TEST(BoatValidation, parse_mmsi_takes_exactly_nine_ascii_digits) {
    EXPECT_EQ(parse_mmsi("463123456"), 463123456u);
    EXPECT_EQ(parse_mmsi("046312345"), 46312345u); // parses; check_mmsi rejects it
    EXPECT_EQ(parse_mmsi("999999999"), 999999999u);
    EXPECT_EQ(parse_mmsi("46312345"), std::nullopt);
    EXPECT_EQ(parse_mmsi("4631234567"), std::nullopt);
    EXPECT_EQ(parse_mmsi(" 463123456"), std::nullopt);
    EXPECT_EQ(parse_mmsi("463 123 456"), std::nullopt);
    EXPECT_EQ(parse_mmsi("+46312345"), std::nullopt);
    EXPECT_EQ(parse_mmsi("46312345x"), std::nullopt);
    EXPECT_EQ(parse_mmsi("4.6312e08"), std::nullopt);
    EXPECT_EQ(parse_mmsi(""), std::nullopt);
}

TEST(BoatValidation, parse_iso_date_accepts_only_real_yyyy_mm_dd_dates) {
    EXPECT_EQ(parse_iso_date("2025-12-31"), year{2025} / 12 / 31);
    EXPECT_EQ(parse_iso_date("2024-02-29"), year{2024} / 2 / 29);
    EXPECT_EQ(parse_iso_date("2000-02-29"), year{2000} / 2 / 29);
    EXPECT_EQ(parse_iso_date("2025-02-29"), std::nullopt);
    EXPECT_EQ(parse_iso_date("1900-02-29"), std::nullopt);
    EXPECT_EQ(parse_iso_date("2025-04-31"), std::nullopt);
    EXPECT_EQ(parse_iso_date("2025-13-01"), std::nullopt);
    EXPECT_EQ(parse_iso_date("2025-00-10"), std::nullopt);
    EXPECT_EQ(parse_iso_date("2025-01-00"), std::nullopt);
    EXPECT_EQ(parse_iso_date("2025-4-30"), std::nullopt);
    EXPECT_EQ(parse_iso_date("25-04-30"), std::nullopt);
    EXPECT_EQ(parse_iso_date("2025/04/30"), std::nullopt);
    EXPECT_EQ(parse_iso_date("30-04-2025"), std::nullopt);
    EXPECT_EQ(parse_iso_date("2025-04-30T00:00Z"), std::nullopt);
    EXPECT_EQ(parse_iso_date(" 2025-04-30"), std::nullopt);
    EXPECT_EQ(parse_iso_date("2025-04-3a"), std::nullopt);
    EXPECT_EQ(parse_iso_date("20250430"), std::nullopt);
    EXPECT_EQ(parse_iso_date(""), std::nullopt);
}

TEST(BoatValidation, format_iso_date_pads_every_part) {
    EXPECT_EQ(format_iso_date(year{2025} / 1 / 5), "2025-01-05");
    EXPECT_EQ(format_iso_date(year{999} / 12 / 31), "0999-12-31");
    EXPECT_EQ(parse_iso_date(format_iso_date(year{2024} / 2 / 29)), year{2024} / 2 / 29);
}

} // namespace
} // namespace sahil::registry
