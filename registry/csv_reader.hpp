// CSV reader: a small, strict RFC 4180 record reader for registry imports.
//
// Input is comma-separated text with optional double-quoted fields; inside quotes a doubled quote
// is one quote and commas, CR and LF are data:
//     registration_number,name,mmsi
//     GWD-1234,"Al-Madina, Gwadar",463123456
//     PSN/0456,"Sahil ""Noor""",
// Accepted beyond the RFC: LF as well as CRLF line ends, a final line without a line end, and a
// UTF-8 byte order mark at the very start (spreadsheets write one), which is skipped. Empty lines
// (outside quotes) are skipped. Rejected, with the physical line where it happened: a quote
// inside an unquoted field, text after a closing quote, a quoted field still open at the end of
// input, a bare CR outside quotes (old Mac line ends), over-long fields, too many fields, a
// stream read failure. After an error the reader stops: the rest of the file cannot be trusted.
// Fields are bytes as found (no trimming, no encoding check); the caller validates them.
//
// Thread-safety: a CsvReader reads one stream from one thread.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <system_error>
#include <type_traits>
#include <vector>

namespace sahil::registry {

/// Why a CSV file could not be read further.
enum class CsvErrc {
    unterminated_quote = 1,   ///< A quoted field is still open at the end of input.
    quote_in_unquoted_field,  ///< `ab"c`: quotes are only allowed around a whole field.
    text_after_closing_quote, ///< `"ab"c`: only a comma or line end may follow a closing quote.
    bare_carriage_return,     ///< CR not followed by LF outside quotes.
    field_too_long,           ///< A field is longer than CsvLimits::max_field_bytes.
    too_many_fields,          ///< A record has more than CsvLimits::max_fields fields.
    read_failed,              ///< The stream reported an I/O error (badbit).
};

/// The error category of CsvErrc ("sahil.csv").
[[nodiscard]] const std::error_category& csv_category() noexcept;

/// Makes a std::error_code in csv_category().
[[nodiscard]] std::error_code make_error_code(CsvErrc code) noexcept;

/// Limits that keep a hostile or broken file (one unterminated quote) from using unbounded
/// memory.
struct CsvLimits {
    std::size_t max_field_bytes = 64 * 1024; ///< Longest field, in bytes.
    std::size_t max_fields = 256;            ///< Most fields in one record.
};

/// One record: its fields and the physical line (1-based) on which it starts.
struct CsvRecord {
    std::size_t line = 0;
    std::vector<std::string> fields{};
};

/// Reads records one at a time from a stream it does not own.
class CsvReader {
public:
    /// Reads from `in`, which must outlive the reader.
    explicit CsvReader(std::istream& in, CsvLimits limits = {});

    /// Reads the next non-empty record into `record`. Returns false at the end of input or on an
    /// error; then error() tells which (empty at a clean end) and error_line() where.
    bool next(CsvRecord& record);

    /// Why reading stopped; empty while reading is fine or after a clean end.
    [[nodiscard]] std::error_code error() const noexcept { return m_error; }
    /// Physical line (1-based) of the error: where the open quote started for
    /// unterminated_quote, where the offending character is otherwise. 0 when no error.
    [[nodiscard]] std::size_t error_line() const noexcept { return m_error_line; }

private:
    enum class State { field_start, unquoted, quoted, after_quote };
    enum class Step { more, end_of_record, end_of_input, failed };

    int read_byte();
    int read_stream_byte();
    void skip_bom();
    bool fail(CsvErrc code, std::size_t line);
    Step end_line(int c);
    Step consume(int c, State& state, std::string& field, std::vector<std::string>& fields);
    Step consume_quoted(int c, State& state, std::string& field, std::vector<std::string>& fields);
    Step append(std::string& field, int c);
    bool finish_field(std::string& field, std::vector<std::string>& fields);

    std::istream& m_in;
    CsvLimits m_limits;
    std::string m_pending; // bytes read ahead while looking for a byte order mark
    std::size_t m_line = 1;
    std::size_t m_quote_line = 0;
    bool m_started = false;
    bool m_done = false;
    std::error_code m_error;
    std::size_t m_error_line = 0;
};

} // namespace sahil::registry

template <> struct std::is_error_code_enum<sahil::registry::CsvErrc> : std::true_type {};
