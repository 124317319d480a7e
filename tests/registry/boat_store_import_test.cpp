// Tests of BoatStore::import_csv and registry/boat_csv: all-or-nothing import, physical line
// numbers in reports, duplicates in the file and against the database, header rules.
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/boat_csv.hpp"
#include "registry/boat_store.hpp"

namespace sahil::registry {
namespace {

using std::chrono::year;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class BoatStoreImportTest : public ::testing::Test {
protected:
    Database m_db{":memory:"};
    BoatStore m_boats{m_db};

    ImportReport import(const std::string& text) {
        std::istringstream in(text);
        return m_boats.import_csv(in, "boats.csv");
    }
};

std::vector<std::string> lines_of(const ImportReport& report) {
    std::vector<std::string> lines;
    for (const ImportError& error : report.errors) {
        lines.push_back(to_string(error));
    }
    return lines;
}

TEST_F(BoatStoreImportTest, imports_a_good_file_completely) {
    const auto report =
        import("registration_number,name,mmsi,call_sign,home_harbour,licence_valid_until,status\n"
               "GWD-1234,\"Al-Madina, Gwadar\",463123456,AP4521,PK-HBR-02,2025-12-31,active\n"
               "PSN/0456,Noor-e-Pasni,463100456,,PK-HBR-05,2024-06-30,suspended\n"
               "ORM-0077,Sea Pearl,,,PK-HBR-06,,\n");
    EXPECT_TRUE(report.ok()) << (report.ok() ? "" : to_string(report.errors[0]));
    EXPECT_EQ(report.rows_read, 3u);
    EXPECT_EQ(report.rows_imported, 3u);
    EXPECT_EQ(report.source_name, "boats.csv");
    EXPECT_EQ(m_boats.count(), 3u);

    const auto gwadar = m_boats.find_by_registration("GWD-1234");
    ASSERT_TRUE(gwadar.has_value());
    EXPECT_EQ(gwadar->name, "Al-Madina, Gwadar");
    EXPECT_EQ(gwadar->mmsi, 463123456u);
    EXPECT_EQ(gwadar->call_sign, "AP4521");
    EXPECT_EQ(gwadar->home_harbour, "PK-HBR-02");
    EXPECT_EQ(gwadar->licence_valid_until, year{2025} / 12 / 31);
    EXPECT_EQ(m_boats.find_by_mmsi(463100456)->status, BoatStatus::suspended);
    const auto ormara = m_boats.find_by_registration("ORM-0077");
    ASSERT_TRUE(ormara.has_value());
    EXPECT_EQ(ormara->mmsi, std::nullopt);
    EXPECT_EQ(ormara->licence_valid_until, std::nullopt);
    EXPECT_EQ(ormara->status, BoatStatus::active);
}

TEST_F(BoatStoreImportTest, one_bad_row_on_line_5_imports_nothing_and_says_line_5) {
    const auto report = import("registration_number,name,mmsi,home_harbour\n"
                               "GWD-1234,Al-Madina,463123456,PK-HBR-02\n"
                               "GWD-1235,Al-Noor,463123457,PK-HBR-02\n"
                               "PSN/0456,Noor-e-Pasni,463100456,PK-HBR-05\n"
                               "PSN/0457,Sagar,46310045,PK-HBR-05\n"
                               "ORM-0077,Sea Pearl,,PK-HBR-06\n");
    EXPECT_FALSE(report.ok());
    EXPECT_THAT(lines_of(report), ElementsAre("line 5: mmsi: must be 9 digits"));
    EXPECT_EQ(report.errors[0], (ImportError{5, "mmsi", "must be 9 digits"}));
    EXPECT_EQ(report.rows_read, 5u);
    EXPECT_EQ(report.rows_imported, 0u);
    EXPECT_EQ(m_boats.count(), 0u) << "rows before the bad one are rolled back too";
}

TEST_F(BoatStoreImportTest, every_bad_row_is_reported_in_file_order) {
    const auto report = import("registration_number,name,mmsi,call_sign,home_harbour,"
                               "licence_valid_until,status\n"
                               "GWD-1234,Al-Madina,123456789,AP4521,PK-HBR-02,2025-12-31,active\n"
                               "GWD 1235,Al-Noor,,ap45,PK-HBR-02,2025-02-30,active\n"
                               "PSN/0456,,970123456,,PK-HBR-05,31-12-2025,retired\n"
                               "ORM-0077,Sea Pearl,,,,,\n");
    EXPECT_THAT(
        lines_of(report),
        ElementsAre(
            "line 2: mmsi: MID 123 is not a ship-station MID (ITU-R M.585: 201..775)",
            "line 3: registration_number: may contain only letters A-Z, digits, '-' and '/'",
            "line 3: call_sign: may contain only upper-case letters A-Z and digits",
            "line 3: licence_valid_until: must be a real date written YYYY-MM-DD",
            "line 4: name: required",
            "line 4: mmsi: 970xxxxxx is an AIS-SART identity, not a vessel",
            "line 4: licence_valid_until: must be a real date written YYYY-MM-DD",
            "line 4: status: must be active, suspended or decommissioned",
            "line 5: home_harbour: required"));
    EXPECT_EQ(m_boats.count(), 0u);
}

TEST_F(BoatStoreImportTest, duplicates_inside_the_file_name_the_first_line) {
    const auto report = import("registration_number,name,mmsi,home_harbour\n"
                               "GWD-1234,Al-Madina,463123456,PK-HBR-02\n"
                               "PSN/0456,Noor-e-Pasni,463100456,PK-HBR-05\n"
                               "gwd-1234,Al-Madina II,,PK-HBR-02\n"
                               "ORM-0077,Sea Pearl,463100456,PK-HBR-06\n");
    EXPECT_THAT(lines_of(report),
                ElementsAre("line 4: registration_number: gwd-1234 also on line 2",
                            "line 5: mmsi: 463100456 also on line 3"));
    EXPECT_EQ(m_boats.count(), 0u);
}

TEST_F(BoatStoreImportTest, duplicates_of_boats_already_registered_name_the_boat) {
    const AddResult existing = m_boats.add(Boat{.registration_number = "PSN/0456",
                                                .name = "Noor-e-Pasni",
                                                .mmsi = 463100456,
                                                .home_harbour = "PK-HBR-05"});
    ASSERT_TRUE(existing.ok());
    const auto report = import("registration_number,name,mmsi,home_harbour\n"
                               "GWD-1234,Al-Madina,463100456,PK-HBR-02\n"
                               "PSN/0456,Sagar,,PK-HBR-05\n");
    ASSERT_EQ(report.errors.size(), 2u);
    EXPECT_EQ(report.errors[0].line, 2u);
    EXPECT_EQ(report.errors[0].field, "mmsi");
    EXPECT_THAT(report.errors[0].message, HasSubstr("PSN/0456 \"Noor-e-Pasni\""));
    EXPECT_EQ(report.errors[1].line, 3u);
    EXPECT_EQ(report.errors[1].field, "registration_number");
    EXPECT_THAT(report.errors[1].message,
                HasSubstr("boat " + std::to_string(existing.id) + " PSN/0456"));
    EXPECT_EQ(m_boats.count(), 1u);
}

TEST_F(BoatStoreImportTest, spreadsheet_file_with_bom_and_crlf_imports) {
    const auto report = import(
        "\xEF\xBB\xBFRegistration_Number,Name,Home_Harbour,MMSI\r\n"
        "GWD-1234,\xD8\xA7\xD9\x84\xD9\x85\xD8\xAF\xDB\x8C\xD9\x86\xDB\x81,PK-HBR-02,463123456\r\n"
        "ORM-0077, Sea Pearl ,PK-HBR-06,\r\n");
    ASSERT_TRUE(report.ok()) << (report.ok() ? "" : to_string(report.errors[0]));
    EXPECT_EQ(report.rows_imported, 2u);
    EXPECT_EQ(m_boats.find_by_mmsi(463123456)->name,
              "\xD8\xA7\xD9\x84\xD9\x85\xD8\xAF\xDB\x8C\xD9\x86\xDB\x81");
    EXPECT_EQ(m_boats.find_by_registration("ORM-0077")->name, "Sea Pearl") << "cells are trimmed";
    EXPECT_EQ(m_boats.find_by_registration("ORM-0077")->home_harbour, "PK-HBR-06") << "no stray CR";
}

TEST_F(BoatStoreImportTest, line_numbers_are_physical_across_quoted_newlines_and_blank_lines) {
    const auto report = import("registration_number,name,home_harbour\n"
                               "\n"
                               "GWD-1234,\"Al-Madina\nGwadar\",PK-HBR-02\n"
                               "PSN/0456,Noor-e-Pasni,\n");
    EXPECT_THAT(lines_of(report),
                ElementsAre("line 3: name: must not contain control characters (found U+000A)",
                            "line 5: home_harbour: required"));
}

TEST_F(BoatStoreImportTest, a_row_with_the_wrong_number_of_fields_is_reported) {
    const auto report = import("registration_number,name,home_harbour\n"
                               "GWD-1234,Al-Madina\n"
                               "PSN/0456,Noor-e-Pasni,PK-HBR-05,extra\n");
    EXPECT_THAT(lines_of(report),
                ElementsAre("line 2: expected 3 fields as in the header, found 2",
                            "line 3: expected 3 fields as in the header, found 4"));
}

TEST_F(BoatStoreImportTest, header_problems_are_all_reported_and_stop_the_import) {
    const auto report = import("name,owner_cnic,mmsi,,MMSI\n"
                               "Al-Madina,4210112345671,463123456,,\n");
    EXPECT_THAT(lines_of(report),
                ElementsAre(HasSubstr("line 1: owner_cnic: unknown column (expected "
                                      "registration_number, name, mmsi"),
                            "line 1: column 4 has no name",
                            "line 1: mmsi: column appears twice (columns 3 and 5)",
                            "line 1: registration_number: required column missing",
                            "line 1: home_harbour: required column missing"));
    EXPECT_EQ(report.rows_read, 0u);
    EXPECT_EQ(m_boats.count(), 0u);
}

TEST_F(BoatStoreImportTest, csv_syntax_error_stops_and_imports_nothing) {
    const auto report = import("registration_number,name,home_harbour\n"
                               "GWD-1234,Al-Madina,PK-HBR-02\n"
                               "PSN/0456,\"Noor-e-Pasni,PK-HBR-05\n"
                               "ORM-0077,Sea Pearl,PK-HBR-06\n");
    ASSERT_EQ(report.errors.size(), 1u);
    EXPECT_EQ(report.errors[0].line, 3u);
    EXPECT_THAT(report.errors[0].message, HasSubstr("not closed"));
    EXPECT_EQ(m_boats.count(), 0u);
}

TEST_F(BoatStoreImportTest, empty_file_is_an_error_and_header_only_is_fine) {
    EXPECT_THAT(lines_of(import("")),
                ElementsAre("line 1: the file is empty; expected a header row"));
    const auto header_only = import("registration_number,name,home_harbour\r\n");
    EXPECT_TRUE(header_only.ok());
    EXPECT_EQ(header_only.rows_read, 0u);
    EXPECT_EQ(header_only.rows_imported, 0u);
}

TEST_F(BoatStoreImportTest, reports_are_capped_for_garbage_files) {
    std::string text = "registration_number,name,home_harbour\n";
    for (int i = 0; i < 800; ++i) {
        text += "GWD-" + std::to_string(1000 + i) + ",,\n"; // name and harbour missing: 2 each
    }
    const auto report = import(text);
    ASSERT_EQ(report.errors.size(), max_import_errors + 1);
    EXPECT_EQ(report.errors.back().line, 252u);
    EXPECT_THAT(report.errors.back().message, HasSubstr("too many problems"));
    EXPECT_EQ(m_boats.count(), 0u);
}

TEST_F(BoatStoreImportTest, store_is_usable_after_a_failed_import) {
    ASSERT_FALSE(import("registration_number,name,home_harbour\nGWD-1234,,PK-HBR-02\n").ok());
    const auto report = import("registration_number,name,home_harbour\nGWD-1234,Al-Madina,"
                               "PK-HBR-02\n");
    EXPECT_TRUE(report.ok());
    EXPECT_EQ(m_boats.count(), 1u);
}

TEST(BoatCsv, header_is_matched_case_insensitively_in_any_order) {
    std::vector<FieldError> errors;
    const auto layout =
        parse_boat_csv_header({" Home_Harbour", "STATUS", "registration_number ", "name"}, errors);
    ASSERT_TRUE(layout.has_value());
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(layout->field_count, 4u);
    EXPECT_EQ(layout->position[static_cast<std::size_t>(BoatCsvColumn::home_harbour)], 0u);
    EXPECT_EQ(layout->position[static_cast<std::size_t>(BoatCsvColumn::registration_number)], 2u);
    EXPECT_EQ(layout->position[static_cast<std::size_t>(BoatCsvColumn::mmsi)], std::nullopt);
}

TEST(BoatCsv, column_names_match_the_database_columns) {
    EXPECT_EQ(to_string(BoatCsvColumn::registration_number), "registration_number");
    EXPECT_EQ(to_string(BoatCsvColumn::licence_valid_until), "licence_valid_until");
    EXPECT_EQ(to_string(BoatCsvColumn::status), "status");
}

} // namespace
} // namespace sahil::registry
