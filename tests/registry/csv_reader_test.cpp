// Tests of registry/csv_reader: RFC 4180 cases, line numbering, and every rejection.
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/csv_reader.hpp"

namespace sahil::registry {
namespace {

using ::testing::ElementsAre;
using Fields = std::vector<std::string>;

struct ReadResult {
    std::vector<CsvRecord> records;
    std::error_code error;
    std::size_t error_line = 0;
};

ReadResult read_all(const std::string& text, CsvLimits limits = {}) {
    std::istringstream in(text);
    CsvReader reader(in, limits);
    ReadResult result;
    CsvRecord record;
    while (reader.next(record)) {
        result.records.push_back(record);
    }
    result.error = reader.error();
    result.error_line = reader.error_line();
    EXPECT_FALSE(reader.next(record)) << "a finished reader stays finished";
    return result;
}

Fields fields_of(const ReadResult& result, std::size_t index) {
    return index < result.records.size() ? result.records[index].fields : Fields{"<missing>"};
}

TEST(CsvReader, reads_plain_records_with_their_line_numbers) {
    const auto result = read_all("registration_number,name,home_harbour\n"
                                 "GWD-1234,Al-Madina,PK-HBR-02\n"
                                 "PSN/0456,Noor-e-Pasni,PK-HBR-05\n");
    EXPECT_FALSE(result.error);
    ASSERT_EQ(result.records.size(), 3u);
    EXPECT_THAT(fields_of(result, 1), ElementsAre("GWD-1234", "Al-Madina", "PK-HBR-02"));
    EXPECT_EQ(result.records[0].line, 1u);
    EXPECT_EQ(result.records[2].line, 3u);
}

TEST(CsvReader, quoted_fields_hold_commas_quotes_and_line_breaks) {
    const auto result = read_all("a,b\n"
                                 "\"Al-Madina, Gwadar\",\"Sahil \"\"Noor\"\"\"\n"
                                 "\"two\nlines\",\"crlf\r\ninside\"\n"
                                 "next,row\n");
    EXPECT_FALSE(result.error);
    ASSERT_EQ(result.records.size(), 4u);
    EXPECT_THAT(fields_of(result, 1), ElementsAre("Al-Madina, Gwadar", "Sahil \"Noor\""));
    EXPECT_THAT(fields_of(result, 2), ElementsAre("two\nlines", "crlf\r\ninside"));
    EXPECT_EQ(result.records[2].line, 3u);
    EXPECT_EQ(result.records[3].line, 6u) << "line numbers are physical lines";
}

TEST(CsvReader, crlf_line_ends_are_not_part_of_fields) {
    const auto result = read_all("a,b\r\nc,d\r\n");
    EXPECT_FALSE(result.error);
    ASSERT_EQ(result.records.size(), 2u);
    EXPECT_THAT(fields_of(result, 1), ElementsAre("c", "d"));
    EXPECT_EQ(result.records[1].line, 2u);
}

TEST(CsvReader, last_line_may_lack_a_line_end) {
    const auto result = read_all("a,b\nc,d");
    EXPECT_FALSE(result.error);
    EXPECT_THAT(fields_of(result, 1), ElementsAre("c", "d"));
    EXPECT_THAT(fields_of(read_all("a,\"b\""), 0), ElementsAre("a", "b"));
}

TEST(CsvReader, empty_fields_are_kept) {
    EXPECT_THAT(fields_of(read_all(",,\n"), 0), ElementsAre("", "", ""));
    EXPECT_THAT(fields_of(read_all("a,\n"), 0), ElementsAre("a", ""));
    EXPECT_THAT(fields_of(read_all("a,"), 0), ElementsAre("a", ""));
    EXPECT_THAT(fields_of(read_all("\"\"\n"), 0), ElementsAre(""));
    EXPECT_THAT(fields_of(read_all("a,\"\",c\n"), 0), ElementsAre("a", "", "c"));
}

TEST(CsvReader, spaces_are_data) {
    EXPECT_THAT(fields_of(read_all(" a , b \n"), 0), ElementsAre(" a ", " b "));
}

TEST(CsvReader, empty_lines_are_skipped_but_counted) {
    const auto result = read_all("\n\na,b\n\r\n\nc,d\n\n");
    EXPECT_FALSE(result.error);
    ASSERT_EQ(result.records.size(), 2u);
    EXPECT_EQ(result.records[0].line, 3u);
    EXPECT_EQ(result.records[1].line, 6u);
}

TEST(CsvReader, empty_input_has_no_records_and_no_error) {
    EXPECT_TRUE(read_all("").records.empty());
    EXPECT_FALSE(read_all("").error);
    EXPECT_TRUE(read_all("\n\n").records.empty());
    EXPECT_TRUE(read_all("\xEF\xBB\xBF").records.empty());
}

TEST(CsvReader, byte_order_mark_is_skipped_only_at_the_start) {
    const auto result = read_all("\xEF\xBB\xBFregistration_number,name\r\nx,\xEF\xBB\xBFy\r\n");
    EXPECT_FALSE(result.error);
    EXPECT_THAT(fields_of(result, 0), ElementsAre("registration_number", "name"));
    EXPECT_THAT(fields_of(result, 1), ElementsAre("x", "\xEF\xBB\xBFy"));
}

TEST(CsvReader, bytes_that_only_start_like_a_bom_are_data) {
    EXPECT_THAT(fields_of(read_all("\xEF\xBBx,y\n"), 0), ElementsAre("\xEF\xBBx", "y"));
    EXPECT_THAT(fields_of(read_all("\xEF"), 0), ElementsAre("\xEF"));
}

TEST(CsvReader, quote_inside_an_unquoted_field_is_an_error) {
    const auto result = read_all("a,b\nGWD-1234,Al \"Madina\"\n");
    EXPECT_EQ(result.error, CsvErrc::quote_in_unquoted_field);
    EXPECT_EQ(result.error_line, 2u);
    EXPECT_EQ(result.records.size(), 1u);
}

TEST(CsvReader, text_after_a_closing_quote_is_an_error) {
    const auto result = read_all("a,b\n\"Al\" Madina,x\n");
    EXPECT_EQ(result.error, CsvErrc::text_after_closing_quote);
    EXPECT_EQ(result.error_line, 2u);
}

TEST(CsvReader, unterminated_quote_reports_the_line_where_it_opened) {
    const auto result = read_all("a,b\nc,d\n\"open,e\nf,g\nh,i\n");
    EXPECT_EQ(result.error, CsvErrc::unterminated_quote);
    EXPECT_EQ(result.error_line, 3u);
    EXPECT_EQ(result.records.size(), 2u);
}

TEST(CsvReader, bare_carriage_return_is_an_error) {
    const auto result = read_all("a,b\rc,d\r");
    EXPECT_EQ(result.error, CsvErrc::bare_carriage_return);
    EXPECT_EQ(result.error_line, 1u);
    EXPECT_TRUE(result.records.empty());
}

TEST(CsvReader, limits_stop_runaway_fields_and_records) {
    const CsvLimits limits{.max_field_bytes = 8, .max_fields = 3};
    EXPECT_FALSE(read_all("12345678,a,b\n", limits).error);
    const auto long_field = read_all("ok\n123456789\n", limits);
    EXPECT_EQ(long_field.error, CsvErrc::field_too_long);
    EXPECT_EQ(long_field.error_line, 2u);
    EXPECT_EQ(read_all("\"12345678\n", limits).error, CsvErrc::field_too_long);
    const auto wide = read_all("a,b,c,d\n", limits);
    EXPECT_EQ(wide.error, CsvErrc::too_many_fields);
    EXPECT_EQ(read_all("a,b,c,\n", limits).error, CsvErrc::too_many_fields);
}

/// A stream buffer that serves some bytes and then fails like a broken disk.
class FailingBuffer : public std::streambuf {
public:
    explicit FailingBuffer(std::string data) : m_data(std::move(data)) {
        setg(m_data.data(), m_data.data(), m_data.data() + m_data.size());
    }

protected:
    int_type underflow() override { throw std::runtime_error("I/O error"); }

private:
    std::string m_data;
};

TEST(CsvReader, stream_failure_is_reported_not_mistaken_for_the_end) {
    FailingBuffer buffer("a,b\nc,d");
    std::istream in(&buffer);
    CsvReader reader(in);
    CsvRecord record;
    ASSERT_TRUE(reader.next(record));
    EXPECT_FALSE(reader.next(record));
    EXPECT_EQ(reader.error(), CsvErrc::read_failed);
    EXPECT_EQ(reader.error_line(), 2u);
}

TEST(CsvReader, error_codes_have_a_category_and_messages) {
    const std::error_code code = CsvErrc::unterminated_quote;
    EXPECT_STREQ(code.category().name(), "sahil.csv");
    EXPECT_THAT(code.message(), ::testing::HasSubstr("not closed"));
    EXPECT_EQ(make_error_code(CsvErrc::read_failed).message(), "the file could not be read");
    EXPECT_EQ(csv_category().message(99), "unknown CSV error");
}

} // namespace
} // namespace sahil::registry
