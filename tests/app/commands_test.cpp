// The `sahil` commands as a clerk and an administrator use them: clear errors, exit codes,
// nothing half-applied.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "server/app/commands.hpp"
#include "tests/app/app_test_support.hpp"

namespace {

using namespace sahil;

app::Config temp_config(const test::TempDir& tmp) {
    return test::config_from("[paths]\nregistry_db = \"" +
                                 (tmp.path() / "var/registry.db").string() + "\"\n",
                             test::source_dir() / "config");
}

TEST(Commands, registry_init_creates_the_database_folder_and_schema) {
    test::TempDir tmp;
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(app::cmd_registry_init(temp_config(tmp), out, err), app::exit_ok) << err.str();
    EXPECT_TRUE(std::filesystem::exists(tmp.path() / "var/registry.db"));
    EXPECT_NE(out.str().find("schema version"), std::string::npos);
}

TEST(Commands, import_with_a_bad_row_reports_its_line_and_imports_nothing) {
    test::TempDir tmp;
    const auto csv = tmp.path() / "boats.csv";
    std::ofstream(csv) << "registration_number,name,mmsi,home_harbour,licence_valid_until\n"
                          "GWD-1021,AL-MADINA,463100101,PK-HBR-02,2026-12-31\n"
                          "GWD-1022,SAGAR RANI,12345,PK-HBR-02,2026-12-31\n"
                          "GWD-1023,NOOR,463100103,PK-HBR-02,2026-02-30\n";
    const auto cfg = temp_config(tmp);
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(app::cmd_registry_import(cfg, csv, out, err), app::exit_bad_input);
    EXPECT_NE(err.str().find("line 3: mmsi"), std::string::npos) << err.str();
    EXPECT_NE(err.str().find("line 4: licence_valid_until"), std::string::npos) << err.str();
    EXPECT_NE(err.str().find("nothing imported"), std::string::npos);
    std::ostringstream list;
    EXPECT_EQ(app::cmd_registry_list(cfg, true, list, err), app::exit_ok);
    EXPECT_TRUE(list.str().empty()) << list.str();
}

TEST(Commands, add_validates_the_form_and_lists_the_boat) {
    test::TempDir tmp;
    const auto cfg = temp_config(tmp);
    std::ostringstream out;
    std::ostringstream err;
    app::AddBoatForm bad;
    bad.registration_number = "PSN-0456";
    bad.name = "NOOR-E-HAQ";
    bad.home_harbour = "PK-HBR-05";
    bad.mmsi = "97012345"; // 8 digits
    bad.licence_valid_until = "2026/12/31";
    EXPECT_EQ(app::cmd_registry_add(cfg, bad, out, err), app::exit_bad_input);
    EXPECT_NE(err.str().find("mmsi"), std::string::npos);
    EXPECT_NE(err.str().find("licence_valid_until"), std::string::npos);

    app::AddBoatForm good = bad;
    good.mmsi = "463100456";
    good.licence_valid_until = "2026-12-31";
    EXPECT_EQ(app::cmd_registry_add(cfg, good, out, err), app::exit_ok) << err.str();
    std::ostringstream list;
    EXPECT_EQ(app::cmd_registry_list(cfg, true, list, err), app::exit_ok);
    const auto rows = test::json_lines(list.str());
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0]["registration_number"], "PSN-0456");
    EXPECT_EQ(rows[0]["mmsi"], 463100456);
    EXPECT_EQ(rows[0]["licence_valid_until"], "2026-12-31");
}

TEST(Commands, check_config_lists_problems_and_accepts_the_shipped_file) {
    test::TempDir tmp;
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(app::cmd_check_config(test::source_dir() / "config/sahil.toml", out, err),
              app::exit_ok)
        << err.str();
    const auto bad = tmp.path() / "bad.toml";
    std::ofstream(bad) << "[http]\nport = \"eighty\"\n[nonsense]\n";
    EXPECT_EQ(app::cmd_check_config(bad, out, err), app::exit_bad_input);
    EXPECT_NE(err.str().find("http.port: must be a whole number"), std::string::npos) << err.str();
    EXPECT_NE(err.str().find("nonsense: unknown key"), std::string::npos) << err.str();
}

} // namespace
