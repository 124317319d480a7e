// `sahil decode` and `sahil bench decode` as a user runs them: input file or stdin, gpsd JSON
// lines out, --raw, --errors, --summary, and bad paths.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/app/commands.hpp"
#include "server/app/decode_commands.hpp"
#include "tests/ais/test_data.hpp"

namespace {

using nlohmann::json;
using namespace sahil;
using namespace sahil::app;

std::vector<json> lines_of(const std::string& text) {
    std::vector<json> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) {
        out.push_back(json::parse(l)); // every line must be one valid JSON object
    }
    return out;
}

std::filesystem::path write_temp(const std::string& name, const std::string& body) {
    const auto p = std::filesystem::temp_directory_path() / name;
    std::ofstream(p, std::ios::binary) << body;
    return p;
}

TEST(DecodeCommand, prints_gpsd_json_scaled_and_raw) {
    const auto file =
        write_temp("sahil_decode_1.nmea", "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n");
    std::ostringstream out, err;
    ASSERT_EQ(cmd_decode(file.string(), {}, out, err), exit_ok) << err.str();
    auto got = lines_of(out.str());
    ASSERT_EQ(got.size(), 1U);
    // gpsd 3.27's output for this sentence (tests/data/ais/expected.jsonl id 1).
    EXPECT_EQ(got[0]["class"], "AIS");
    EXPECT_EQ(got[0]["mmsi"], 371798000);
    EXPECT_EQ(got[0]["turn"], "fastleft");
    EXPECT_DOUBLE_EQ(got[0]["lon"].get<double>(), -123.3953833);
    EXPECT_DOUBLE_EQ(got[0]["speed"].get<double>(), 12.3);

    std::ostringstream raw;
    ASSERT_EQ(cmd_decode(file.string(), {.raw = true, .errors = false, .summary = false}, raw, err),
              exit_ok);
    got = lines_of(raw.str());
    EXPECT_EQ(got[0]["scaled"], false);
    EXPECT_EQ(got[0]["lon"], -74037230);
    EXPECT_EQ(got[0]["turn"], -127);
}

TEST(DecodeCommand, errors_flag_prints_each_rejected_line_as_escaped_data) {
    const auto file = write_temp("sahil_decode_2.nmea",
                                 "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B\n" // bad checksum
                                 "<script>alert(\"x\")</script>\n" // junk, never markup
                                 "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n");
    std::ostringstream out, err;
    ASSERT_EQ(cmd_decode(file.string(), {.raw = false, .errors = true, .summary = true}, out, err),
              exit_ok);
    const auto got = lines_of(out.str());
    ASSERT_EQ(got.size(), 3U);
    EXPECT_EQ(got[0]["class"], "ERROR");
    EXPECT_EQ(got[0]["error"], "bad_checksum");
    EXPECT_EQ(got[1]["error"], "not_nmea");
    EXPECT_EQ(got[1]["line"], "<script>alert(\"x\")</script>"); // round-trips as a JSON string
    EXPECT_EQ(got[2]["mmsi"], 371798000);
    const json summary = json::parse(err.str());
    EXPECT_EQ(summary["messages"], 1);
    EXPECT_EQ(summary["errors"]["bad_checksum"], 1);
    EXPECT_EQ(summary["errors"]["not_nmea"], 1);
}

TEST(DecodeCommand, whole_corpus_decodes_to_one_json_object_per_message) {
    std::ostringstream out, err;
    ASSERT_EQ(cmd_decode(test::data_path("ais/corpus.nmea").string(), {}, out, err), exit_ok);
    const auto got = lines_of(out.str());
    // 4,720 corpus messages; 144 rejected as gpsd 3.27 rejects them (tests/data/DIFFERENCES.md).
    EXPECT_EQ(got.size(), 4720U - 144U);
}

TEST(DecodeCommand, an_output_that_cannot_be_written_is_an_error_not_silence) {
    std::ostringstream out, err;
    out.setstate(std::ios::badbit); // as std::cout on a full disk
    EXPECT_EQ(cmd_decode(test::data_path("ais/corpus.nmea").string(), {}, out, err), exit_resource);
    EXPECT_NE(err.str().find("cannot write"), std::string::npos);
}

TEST(DecodeCommand, missing_file_is_a_resource_error) {
    std::ostringstream out, err;
    EXPECT_EQ(cmd_decode("/nonexistent/feed.nmea", {}, out, err), exit_resource);
    EXPECT_NE(err.str().find("cannot open"), std::string::npos);
}

TEST(BenchDecode, reports_the_three_stages_and_enforces_ratio_limits) {
    std::ostringstream out, err;
    const auto file = test::data_path("ais/replay-amsa-2012.nmea");
    ASSERT_EQ(cmd_bench_decode(
                  file,
                  {.repetitions = 1, .max_struct_ratio = 0, .max_json_ratio = 0, .json = true}, out,
                  err),
              exit_ok)
        << err.str();
    const json j = json::parse(out.str());
    EXPECT_EQ(j["lines"], 44687);
    EXPECT_GT(j["decode_structs"]["ratio"].get<double>(), 1.0);
    // An impossible limit fails the run (how CI catches a regression).
    std::ostringstream out2, err2;
    EXPECT_EQ(cmd_bench_decode(
                  file,
                  {.repetitions = 1, .max_struct_ratio = 0.5, .max_json_ratio = 0, .json = false},
                  out2, err2),
              exit_bad_input);
    EXPECT_NE(err2.str().find("above the limit"), std::string::npos);
    EXPECT_EQ(cmd_bench_decode("/nonexistent.nmea", {}, out2, err2), exit_resource);
}

} // namespace
