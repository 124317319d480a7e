// Tests of registry/identifiers: identifier schemes (MMSI with the ITU MID table, IMO check
// digit, call signs, free-form numbers with authority patterns) and person fields (CNIC, phone,
// vessel name key). Expected verdicts come from the specifications, worked by hand:
//  * IMO check digits (IMO Res. A.1078(28)): 9074729: 9·7+0·6+7·5+4·4+7·3+2·2 = 139 → 9;
//    9176187: 63+6+35+24+3+16 = 147 → 7; 9321483: 63+18+10+4+12+16 = 123 → 3.
//  * MIDs from the ITU Table of Maritime Identification Digits (463 Pakistan, 419 India, 201
//    Albania, 775 Venezuela; 217, 474 and 776 unallocated).
//  * Call sign series from ITU RR Appendix 42 (Pakistan AP–AS, 6P–6S; VU is India).
#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/identifiers.hpp"

namespace sahil::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

/// The single error message of a check, or "" when there is none.
std::string error_of(const IdentifierRules::Checked& checked) {
    if (checked.errors.empty()) {
        return "";
    }
    EXPECT_EQ(checked.errors.size(), 1u);
    EXPECT_EQ(checked.errors.front().field, "value");
    return checked.errors.front().message;
}

IdentifierRules balochistan_rules() {
    return IdentifierRules{{
        AuthorityPattern{.authority = "BAL-FISH",
                         .scheme = IdScheme::provincial_reg,
                         .pattern = "BAL-[A-Z]{3}-[0-9]{1,6}",
                         .example = "BAL-GWD-1234"},
        AuthorityPattern{.authority = "SIN-FISH",
                         .scheme = IdScheme::fishing_licence_no,
                         .pattern = "SFL/[0-9]{4}/[0-9]{2}",
                         .example = ""},
    }};
}

// --- schemes --------------------------------------------------------------------------------

TEST(IdScheme, names_round_trip) {
    for (const IdScheme scheme :
         {IdScheme::official_number, IdScheme::provincial_reg, IdScheme::fishing_licence_no,
          IdScheme::mfd_licence, IdScheme::mmsi, IdScheme::call_sign, IdScheme::imo,
          IdScheme::vms_id, IdScheme::cooperative_no, IdScheme::other}) {
        EXPECT_EQ(parse_id_scheme(to_string(scheme)), scheme) << to_string(scheme);
    }
    EXPECT_EQ(to_string(IdScheme::call_sign), "call_sign");
    EXPECT_EQ(to_string(IdScheme::imo), "imo");
    EXPECT_EQ(to_string(static_cast<IdScheme>(99)), "unknown");
}

TEST(IdScheme, parse_is_case_insensitive_and_strict) {
    EXPECT_EQ(parse_id_scheme("IMO"), IdScheme::imo);
    EXPECT_EQ(parse_id_scheme("Provincial_Reg"), IdScheme::provincial_reg);
    EXPECT_EQ(parse_id_scheme(" imo"), std::nullopt);
    EXPECT_EQ(parse_id_scheme("call sign"), std::nullopt);
    EXPECT_EQ(parse_id_scheme(""), std::nullopt);
}

// --- MID table and MMSI ---------------------------------------------------------------------

TEST(MidTable, knows_allocated_mids) {
    EXPECT_TRUE(is_allocated_mid(463));
    EXPECT_EQ(mid_country(463), "Pakistan");
    EXPECT_EQ(mid_country(419), "India");
    EXPECT_EQ(mid_country(201), "Albania");   // first
    EXPECT_EQ(mid_country(775), "Venezuela"); // last
    EXPECT_EQ(mid_country(422), "Iran");
    EXPECT_EQ(mid_country(470), "United Arab Emirates");
    EXPECT_EQ(mid_country(475), "Yemen");
    EXPECT_EQ(mid_country(550), "Timor-Leste");
    EXPECT_EQ(mid_country(638), "South Sudan");
}

TEST(MidTable, rejects_unallocated_and_reserved_mids) {
    for (const unsigned mid : {0u, 111u, 200u, 217u, 260u, 302u, 474u, 776u, 970u, 999u}) {
        EXPECT_FALSE(is_allocated_mid(mid)) << mid;
        EXPECT_EQ(mid_country(mid), "") << mid;
    }
}

TEST(IdentifierRules, mmsi_with_pakistani_mid_is_clean) {
    const auto checked = IdentifierRules{}.check(IdScheme::mmsi, "463123456", "BAL-FISH");
    EXPECT_EQ(checked.value, "463123456");
    EXPECT_THAT(checked.errors, IsEmpty());
    EXPECT_THAT(checked.warnings, IsEmpty());
}

TEST(IdentifierRules, mmsi_with_foreign_mid_is_a_warning_for_pakistani_boats) {
    const IdentifierRules rules;
    const auto indian = rules.check(IdScheme::mmsi, "419123456", "BAL-FISH");
    EXPECT_EQ(error_of(indian), "");
    EXPECT_THAT(indian.warnings, ElementsAre("MID 419 is India; Pakistani boats use 463"));

    const auto albanian = rules.check(IdScheme::mmsi, "201000000", "BAL-FISH");
    EXPECT_EQ(error_of(albanian), "");
    EXPECT_THAT(albanian.warnings, ElementsAre("MID 201 is Albania; Pakistani boats use 463"));

    const auto foreign_boat = rules.check(IdScheme::mmsi, "419123456", "", false);
    EXPECT_EQ(error_of(foreign_boat), "");
    EXPECT_THAT(foreign_boat.warnings, IsEmpty());
}

TEST(IdentifierRules, mmsi_is_normalised_to_digits) {
    const IdentifierRules rules;
    EXPECT_EQ(rules.check(IdScheme::mmsi, " 463 123 456 ", "").value, "463123456");
    EXPECT_EQ(rules.check(IdScheme::mmsi, "463-123-456", "").value, "463123456");
    EXPECT_EQ(error_of(rules.check(IdScheme::mmsi, "463.123.456", "")), "");
}

struct MmsiCase {
    const char* mmsi;
    const char* expected; // substring of the error
};

class IdentifierRulesMmsi : public ::testing::TestWithParam<MmsiCase> {};

TEST_P(IdentifierRulesMmsi, rejects_non_ship_identities) {
    const MmsiCase& c = GetParam();
    const auto checked = IdentifierRules{}.check(IdScheme::mmsi, c.mmsi, "BAL-FISH");
    EXPECT_THAT(error_of(checked), HasSubstr(c.expected)) << c.mmsi;
    EXPECT_THAT(checked.warnings, IsEmpty());
    EXPECT_EQ(check_mmsi_text(checked.value).value_or(""), error_of(checked));
}

INSTANTIATE_TEST_SUITE_P(
    Table, IdentifierRulesMmsi,
    ::testing::Values(MmsiCase{"970123456", "AIS-SART"},      // ITU-R M.585-9 Annex 2
                      MmsiCase{"972123456", "man-overboard"}, //
                      MmsiCase{"974123456", "EPIRB-AIS"},     //
                      MmsiCase{"999999999", "placeholder"},   // all digits equal
                      MmsiCase{"000000000", "placeholder"},   //
                      MmsiCase{"123456789", "placeholder"},   //
                      MmsiCase{"111463123", "search-and-rescue aircraft"},
                      MmsiCase{"046312345", "group call"},        // group of ships
                      MmsiCase{"004631234", "coast station"},     //
                      MmsiCase{"846312345", "handheld"},          // 8MIDXXXXX
                      MmsiCase{"982463123", "parent ship"},       // 98MIDXXXX
                      MmsiCase{"992463123", "aid to navigation"}, // 99MIDXXXX
                      MmsiCase{"217123456", "MID 217"},           // unallocated in 2xx
                      MmsiCase{"474123456", "not allocated"},     // Yemen is 473/475
                      MmsiCase{"776123456", "MID 776"},           // above the ship range
                      MmsiCase{"46312345", "must be 9 digits, e.g. 463123456 (has 8)"},
                      MmsiCase{"4631234567", "(has 10)"}, MmsiCase{"46312345X", "only digits"},
                      MmsiCase{"+463123456", "only digits"}),
    [](const ::testing::TestParamInfo<MmsiCase>& param_info) {
        std::string name = "mmsi_";
        for (const char* p = param_info.param.mmsi; *p != '\0'; ++p) {
            name += (*p >= '0' && *p <= '9') ? *p : 'x';
        }
        return name;
    });

TEST(IdentifierRules, empty_value_is_required) {
    const IdentifierRules rules;
    EXPECT_EQ(error_of(rules.check(IdScheme::mmsi, "", "")), "MMSI is required");
    EXPECT_EQ(error_of(rules.check(IdScheme::imo, "  ", "")), "IMO number is required");
    EXPECT_EQ(error_of(rules.check(IdScheme::official_number, "\t", "")),
              "Official number is required");
}

// --- IMO numbers ----------------------------------------------------------------------------

TEST(ImoNumber, check_digit_follows_imo_rule) {
    EXPECT_TRUE(imo_check_digit_ok("9074729"));
    EXPECT_TRUE(imo_check_digit_ok("9176187"));
    EXPECT_TRUE(imo_check_digit_ok("9321483"));
    EXPECT_FALSE(imo_check_digit_ok("9074728")); // last digit off by one
    EXPECT_FALSE(imo_check_digit_ok("9176188"));
    EXPECT_FALSE(imo_check_digit_ok("9321493")); // a middle digit changed
    EXPECT_FALSE(imo_check_digit_ok("907472"));
    EXPECT_FALSE(imo_check_digit_ok("90747290"));
    EXPECT_FALSE(imo_check_digit_ok("907472a"));
    EXPECT_FALSE(imo_check_digit_ok("IMO 9074729")); // prefix is check()'s business
    EXPECT_FALSE(imo_check_digit_ok(""));
}

TEST(IdentifierRules, imo_prefix_and_spaces_are_stripped) {
    const IdentifierRules rules;
    for (const char* input : {"IMO 9074729", "imo9074729", " IMO  9074 729 ", "9074729"}) {
        const auto checked = rules.check(IdScheme::imo, input, "");
        EXPECT_EQ(checked.value, "9074729") << input;
        EXPECT_EQ(error_of(checked), "") << input;
    }
}

TEST(IdentifierRules, imo_errors_name_the_problem) {
    const IdentifierRules rules;
    EXPECT_EQ(error_of(rules.check(IdScheme::imo, "IMO 9074728", "")),
              "IMO number 9074728 is not valid: its last digit should be 9 (check digit); look "
              "for a typing mistake");
    EXPECT_EQ(error_of(rules.check(IdScheme::imo, "IMO 907472", "")),
              "IMO number must be 7 digits, e.g. IMO 9074729 (has 6)");
    EXPECT_THAT(error_of(rules.check(IdScheme::imo, "IMO-9074729", "")), HasSubstr("only digits"));
    EXPECT_THAT(error_of(rules.check(IdScheme::imo, "0000000", "")), HasSubstr("placeholder"));
}

// --- call signs -----------------------------------------------------------------------------

TEST(CallSign, pakistan_series_is_accepted) {
    for (const char* call_sign :
         {"AP4521", "AQ7", "AR12345", "AS1B", "6P1", "6Q2AB", "6R99", "6S12345"}) {
        EXPECT_EQ(check_call_sign_pk(call_sign), std::nullopt) << call_sign;
    }
}

TEST(CallSign, other_series_and_shapes_are_rejected) {
    EXPECT_THAT(check_call_sign_pk("VU2ABC").value_or(""), // India
                HasSubstr("not in Pakistan's series"));
    EXPECT_THAT(check_call_sign_pk("AT4521").value_or(""), HasSubstr("AP, AQ, AR, AS"));
    EXPECT_THAT(check_call_sign_pk("6T123").value_or(""), HasSubstr("6P, 6Q, 6R or 6S"));
    EXPECT_THAT(check_call_sign_pk("AP").value_or(""), HasSubstr("at least 3"));
    EXPECT_THAT(check_call_sign_pk("AP123456").value_or(""), HasSubstr("at most 7"));
    EXPECT_THAT(check_call_sign_pk("ap4521").value_or(""), HasSubstr("only letters A-Z"));
    EXPECT_THAT(check_call_sign_pk("AP-452").value_or(""), HasSubstr("(found '-')"));
}

TEST(IdentifierRules, call_sign_is_upper_cased_and_checked_by_flag) {
    const IdentifierRules rules;
    const auto pakistani = rules.check(IdScheme::call_sign, " ap4521 ", "BAL-FISH");
    EXPECT_EQ(pakistani.value, "AP4521");
    EXPECT_EQ(error_of(pakistani), "");
    EXPECT_THAT(error_of(rules.check(IdScheme::call_sign, "VU2ABC", "")),
                HasSubstr("Pakistani call signs start with"));
    EXPECT_EQ(error_of(rules.check(IdScheme::call_sign, "VU2ABC", "", false)), "");
    EXPECT_EQ(error_of(rules.check(IdScheme::call_sign, "9hA2", "", false)), "");
    EXPECT_THAT(error_of(rules.check(IdScheme::call_sign, "A1", "", false)),
                HasSubstr("at least 3"));
    EXPECT_THAT(error_of(rules.check(IdScheme::call_sign, "VU2 ABC", "", false)),
                HasSubstr("only letters A-Z and digits"));
}

// --- free-form numbers and authority patterns -----------------------------------------------

TEST(IdentifierRules, free_form_numbers_are_upper_cased_and_collapsed) {
    const IdentifierRules rules;
    EXPECT_EQ(rules.check(IdScheme::official_number, " psn/0456 ", "").value, "PSN/0456");
    EXPECT_EQ(rules.check(IdScheme::cooperative_no, "kcs  12.7", "").value, "KCS 12.7");
    EXPECT_EQ(error_of(rules.check(IdScheme::vms_id, "thuraya-00A1F3", "")), "");
}

TEST(IdentifierRules, free_form_numbers_reject_other_characters_and_length) {
    const IdentifierRules rules;
    EXPECT_EQ(error_of(rules.check(IdScheme::official_number, "GWD#1234", "")),
              "Official number may contain only letters A-Z, digits, '-', '/', '.' and spaces "
              "(found '#')");
    EXPECT_THAT(error_of(rules.check(IdScheme::other, "گوادر-12", "")),
                HasSubstr("non-English letter"));
    EXPECT_EQ(error_of(rules.check(IdScheme::mfd_licence, std::string(33, '7'), "")),
              "MFD licence number must be at most 32 characters (has 33)");
    EXPECT_EQ(error_of(rules.check(IdScheme::mfd_licence, std::string(32, '7'), "")), "");
}

TEST(IdentifierRules, authority_pattern_applies_to_its_authority_and_scheme_only) {
    const IdentifierRules rules = balochistan_rules();
    const auto good = rules.check(IdScheme::provincial_reg, " bal-gwd-1234 ", "BAL-FISH");
    EXPECT_EQ(good.value, "BAL-GWD-1234");
    EXPECT_EQ(error_of(good), "");
    EXPECT_EQ(error_of(rules.check(IdScheme::provincial_reg, "GWD 1234", "BAL-FISH")),
              "does not match the BAL-FISH pattern for provincial_reg, e.g. BAL-GWD-1234");
    // Whole value must match, not a part of it.
    EXPECT_THAT(error_of(rules.check(IdScheme::provincial_reg, "BAL-GWD-1234X", "BAL-FISH")),
                HasSubstr("does not match"));
    EXPECT_EQ(error_of(rules.check(IdScheme::provincial_reg, "GWD 1234", "SIN-FISH")), "");
    EXPECT_EQ(error_of(rules.check(IdScheme::fishing_licence_no, "GWD 1234", "BAL-FISH")), "");
    EXPECT_EQ(error_of(rules.check(IdScheme::fishing_licence_no, "SFL/2024/07", "SIN-FISH")), "");
    EXPECT_EQ(error_of(rules.check(IdScheme::fishing_licence_no, "SFL-2024-07", "SIN-FISH")),
              "does not match the SIN-FISH pattern for fishing_licence_no");
    // Built-in rules come first: one error, about the characters.
    EXPECT_THAT(error_of(rules.check(IdScheme::provincial_reg, "BAL_GWD_1", "BAL-FISH")),
                HasSubstr("(found '_')"));
}

TEST(IdentifierRules, bad_patterns_are_configuration_errors) {
    const auto build = [](AuthorityPattern pattern) {
        return IdentifierRules{std::vector<AuthorityPattern>{std::move(pattern)}};
    };
    try {
        build({"BAL-FISH", IdScheme::provincial_reg, "BAL-[A-Z", ""});
        ADD_FAILURE() << "no exception";
    } catch (const std::invalid_argument& error) {
        EXPECT_THAT(error.what(), HasSubstr("BAL-FISH provincial_reg"));
        EXPECT_THAT(error.what(), HasSubstr("not a valid regular expression"));
    }
    EXPECT_THROW(build({"BAL-FISH", IdScheme::imo, std::string(201, 'A'), ""}),
                 std::invalid_argument);
    EXPECT_NO_THROW(build({"BAL-FISH", IdScheme::imo, std::string(200, 'A'), ""}));
    EXPECT_THROW(build({"BAL-FISH", IdScheme::provincial_reg, "BAL-[0-9]+", "BAL-GWD-1"}),
                 std::invalid_argument);
    EXPECT_THROW(build({"BAL-FISH", IdScheme::provincial_reg, "", ""}), std::invalid_argument);
    EXPECT_THROW(build({"", IdScheme::provincial_reg, "X", ""}), std::invalid_argument);
    EXPECT_THROW((IdentifierRules{{{"BAL-FISH", IdScheme::other, "A", ""},
                                   {"BAL-FISH", IdScheme::other, "B", ""}}}),
                 std::invalid_argument);
}

// --- CNIC -----------------------------------------------------------------------------------

TEST(Cnic, accepts_plain_and_dashed_forms) {
    EXPECT_EQ(normalise_cnic("4210112345673"), "4210112345673");
    EXPECT_EQ(normalise_cnic("42101-1234567-3"), "4210112345673");
    EXPECT_EQ(normalise_cnic(" 42101-1234567-3 "), "4210112345673");
    EXPECT_EQ(normalise_cnic("3520212345671"), "3520212345671"); // Lahore
    EXPECT_EQ(normalise_cnic("5440012345679"), "5440012345679"); // Quetta
    EXPECT_EQ(normalise_cnic("9210112345673"), "9210112345673"); // only a leading 0 is refused
}

TEST(Cnic, rejects_wrong_length_dashes_and_letters) {
    EXPECT_EQ(normalise_cnic("421011234567"), std::nullopt);   // 12 digits
    EXPECT_EQ(normalise_cnic("42101123456734"), std::nullopt); // 14 digits
    EXPECT_EQ(normalise_cnic("4210-11234567-3"), std::nullopt);
    EXPECT_EQ(normalise_cnic("42101-12345673"), std::nullopt);
    EXPECT_EQ(normalise_cnic("421011234567-3"), std::nullopt);
    EXPECT_EQ(normalise_cnic("42101-1234567-X"), std::nullopt);
    EXPECT_EQ(normalise_cnic("42101 1234567 3"), std::nullopt);
    EXPECT_EQ(normalise_cnic("0210112345673"), std::nullopt);
    EXPECT_EQ(normalise_cnic(""), std::nullopt);

    EXPECT_EQ(check_cnic("4210112345673"), std::nullopt);
    EXPECT_EQ(check_cnic("421011234567"), "CNIC must be 13 digits, e.g. 42101-1234567-3 (has 12)");
    EXPECT_THAT(check_cnic("42101-1234567-X").value_or(""), HasSubstr("only digits and dashes"));
    EXPECT_THAT(check_cnic("4210-11234567-3").value_or(""), HasSubstr("after the 5th"));
    EXPECT_THAT(check_cnic("0210112345673").value_or(""), HasSubstr("cannot start with 0"));
    EXPECT_THAT(check_cnic(" ").value_or(""), HasSubstr("required"));
}

TEST(Cnic, formats_and_masks) {
    EXPECT_EQ(format_cnic("4210112345673"), "42101-1234567-3");
    EXPECT_EQ(format_cnic("42101-1234567-3"), "42101-1234567-3");
    EXPECT_EQ(format_cnic("not a cnic"), "not a cnic");
    EXPECT_EQ(mask_cnic("4210112345673"), "42101-*******-3");
    EXPECT_EQ(mask_cnic("42101-1234567-3"), "42101-*******-3");
    EXPECT_EQ(mask_cnic("421011234567"), "*****-*******-*");
}

// --- phone numbers --------------------------------------------------------------------------

TEST(PkPhone, normalises_common_forms_to_e164) {
    EXPECT_EQ(normalise_pk_phone("+92 300 1234567"), "+923001234567");
    EXPECT_EQ(normalise_pk_phone("0300-1234567"), "+923001234567");
    EXPECT_EQ(normalise_pk_phone("03001234567"), "+923001234567");
    EXPECT_EQ(normalise_pk_phone("923001234567"), "+923001234567");
    EXPECT_EQ(normalise_pk_phone("0092 300 1234567"), "+923001234567");
    EXPECT_EQ(normalise_pk_phone("3001234567"), "+923001234567");
    EXPECT_EQ(normalise_pk_phone("+92 21 12345678"), "+922112345678"); // Karachi landline
    EXPECT_EQ(normalise_pk_phone("(021) 3456-7890"), "+922134567890");
    EXPECT_EQ(normalise_pk_phone("091-5212345"), "+92915212345"); // Peshawar, 9 digits
    EXPECT_EQ(normalise_pk_phone("0864-211234"), "+92864211234"); // Gwadar
}

TEST(PkPhone, rejects_other_numbers_with_a_reason) {
    EXPECT_EQ(normalise_pk_phone("+971 50 1234567"), std::nullopt);
    EXPECT_THAT(check_pk_phone("+971 50 1234567").value_or(""), HasSubstr("Only Pakistani"));
    EXPECT_THAT(check_pk_phone("00971501234567").value_or(""), HasSubstr("Only Pakistani"));
    EXPECT_EQ(check_pk_phone("0300-123456"),
              "Mobile number must have 11 digits, e.g. 0300-1234567 (has 10)");
    EXPECT_THAT(check_pk_phone("0300-12345678").value_or(""), HasSubstr("(has 12)"));
    EXPECT_THAT(check_pk_phone("+92 0300 1234567").value_or(""), HasSubstr("Leave out the 0"));
    EXPECT_THAT(check_pk_phone("021-123456").value_or(""),
                HasSubstr("Landline number must have 10 or 11 digits"));
    EXPECT_THAT(check_pk_phone("0111-123456").value_or(""), HasSubstr("starts with 1"));
    EXPECT_THAT(check_pk_phone("1234567").value_or(""), HasSubstr("must start with 0 or +92"));
    EXPECT_THAT(check_pk_phone("0300/1234567").value_or(""), HasSubstr("may contain only"));
    EXPECT_THAT(check_pk_phone("+92").value_or(""), HasSubstr("too short"));
    EXPECT_THAT(check_pk_phone("").value_or(""), HasSubstr("required"));
    EXPECT_EQ(check_pk_phone("0300-1234567"), std::nullopt);
}

TEST(PkPhone, masks_keep_country_code_first_and_last_three_digits) {
    EXPECT_EQ(mask_phone("+923001234567"), "+92 3** ****567");
    EXPECT_EQ(mask_phone("0300-1234567"), "+92 3** ****567");
    EXPECT_EQ(mask_phone("+922112345678"), "+92 2******678");
    EXPECT_EQ(mask_phone("+971501234567"), "+** *** *******");
}

// --- vessel names ---------------------------------------------------------------------------

TEST(VesselName, spellings_of_one_name_share_a_key) {
    EXPECT_EQ(normalise_vessel_name("Al-Madina "), "AL MADINA");
    EXPECT_EQ(normalise_vessel_name("AL MADINA"), "AL MADINA");
    EXPECT_EQ(normalise_vessel_name("al  madina"), "AL MADINA");
    EXPECT_EQ(normalise_vessel_name("Al- Madina."), "AL MADINA");
    EXPECT_EQ(normalise_vessel_name("Sea Queen-II"), "SEA QUEEN II");
    EXPECT_EQ(normalise_vessel_name("Noor's Pride"), "NOORS PRIDE");
    EXPECT_EQ(normalise_vessel_name("Noor\u2019s Pride"), "NOORS PRIDE");
    EXPECT_EQ(normalise_vessel_name("AL\u00A0MADINA"), "AL MADINA"); // no-break space
    EXPECT_EQ(normalise_vessel_name("---"), "");
    EXPECT_EQ(normalise_vessel_name(""), "");
}

TEST(VesselName, latin_diacritics_are_folded) {
    EXPECT_EQ(normalise_vessel_name("Café Étoile"), "CAFE ETOILE");
    EXPECT_EQ(normalise_vessel_name("Cafe\u0301"), "CAFE"); // decomposed é
    EXPECT_EQ(normalise_vessel_name("Straße"), "STRASSE");
    EXPECT_EQ(normalise_vessel_name("Łódź"), "LODZ");
    EXPECT_EQ(normalise_vessel_name("Æolus"), "AEOLUS");
}

TEST(VesselName, arabic_script_is_kept) {
    EXPECT_EQ(normalise_vessel_name("المدينة"), "المدينة");
    EXPECT_EQ(normalise_vessel_name(" مدینہ  منورہ "), "مدینہ منورہ");
    EXPECT_EQ(normalise_vessel_name("مدينـــة"), "مدينة");             // tatweel dropped
    EXPECT_EQ(normalise_vessel_name("الفلاح ٢"), "الفلاح 2");          // Arabic-Indic digit
    EXPECT_EQ(normalise_vessel_name("Al-Madina ۲"), "AL MADINA 2");    // Urdu digit
    EXPECT_EQ(normalise_vessel_name("البحر، الأزرق"), "البحر الأزرق"); // Arabic comma
}

TEST(VesselName, invalid_utf8_bytes_are_dropped) {
    EXPECT_EQ(normalise_vessel_name("AL\xFFMADINA"), "ALMADINA");
    EXPECT_EQ(normalise_vessel_name("AL \xC3"), "AL");
}

} // namespace
} // namespace sahil::registry
