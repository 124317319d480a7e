#include "registry/csv_reader.hpp"

#include <array>
#include <ios>
#include <string_view>

namespace sahil::registry {
namespace {

constexpr int end_of_file = std::char_traits<char>::eof();
constexpr int stream_error = end_of_file - 1; // distinct from every byte and from EOF

constexpr std::array<std::string_view, 8> csv_messages{
    "success",
    "quoted field not closed before the end of the file",
    "quote character inside an unquoted field (quote the whole field and double the quote)",
    "text after a closing quote (only a comma or line end may follow)",
    "carriage return without line feed (save the file with CRLF or LF line ends)",
    "field too long",
    "too many fields in one record",
    "the file could not be read",
};
static_assert(csv_messages.size() == static_cast<std::size_t>(CsvErrc::read_failed) + 1,
              "one message per CsvErrc value");

class CsvCategory final : public std::error_category {
public:
    [[nodiscard]] const char* name() const noexcept override { return "sahil.csv"; }
    [[nodiscard]] std::string message(int code) const override {
        if (code < 0 || static_cast<std::size_t>(code) >= csv_messages.size()) {
            return "unknown CSV error";
        }
        return std::string(csv_messages[static_cast<std::size_t>(code)]);
    }
};

} // namespace

const std::error_category& csv_category() noexcept {
    static const CsvCategory category;
    return category;
}

std::error_code make_error_code(CsvErrc code) noexcept {
    return {static_cast<int>(code), csv_category()};
}

CsvReader::CsvReader(std::istream& in, CsvLimits limits) : m_in(in), m_limits(limits) {}

bool CsvReader::next(CsvRecord& record) {
    record.fields.clear();
    if (m_done || m_error) {
        return false;
    }
    if (!m_started) {
        m_started = true;
        skip_bom();
    }
    record.line = m_line;
    State state = State::field_start;
    std::string field;
    for (;;) {
        switch (consume(read_byte(), state, field, record.fields)) {
        case Step::more:
            break;
        case Step::failed:
            record.fields.clear();
            return false;
        case Step::end_of_input:
            m_done = true;
            return !record.fields.empty();
        case Step::end_of_record:
            if (!record.fields.empty()) {
                return true;
            }
            record.line = m_line; // an empty line: skip it
            break;
        }
    }
}

int CsvReader::read_byte() {
    if (!m_pending.empty()) {
        const auto byte = static_cast<unsigned char>(m_pending.front());
        m_pending.erase(0, 1);
        return byte;
    }
    return read_stream_byte();
}

int CsvReader::read_stream_byte() {
    try {
        const int c = m_in.get();
        if (c == end_of_file && m_in.bad()) {
            return stream_error;
        }
        return c;
    } catch (const std::ios_base::failure&) {
        // Only reachable when the caller enabled stream exceptions.
        return m_in.eof() && !m_in.bad() ? end_of_file : stream_error;
    }
}

void CsvReader::skip_bom() {
    static constexpr std::string_view bom = "\xEF\xBB\xBF";
    for (const char expected : bom) {
        const int c = read_stream_byte();
        if (c == end_of_file || c == stream_error) {
            if (c == stream_error) {
                fail(CsvErrc::read_failed, m_line);
            }
            return;
        }
        m_pending.push_back(static_cast<char>(c));
        if (static_cast<char>(c) != expected) {
            return; // not a BOM: the bytes read so far are data
        }
    }
    m_pending.clear();
}

bool CsvReader::fail(CsvErrc code, std::size_t line) {
    m_error = make_error_code(code);
    m_error_line = line;
    return false;
}

CsvReader::Step CsvReader::end_line(int c) {
    if (c == '\r') {
        const int following = read_byte();
        if (following != '\n') {
            fail(following == stream_error ? CsvErrc::read_failed : CsvErrc::bare_carriage_return,
                 m_line);
            return Step::failed;
        }
    }
    ++m_line;
    return Step::end_of_record;
}

bool CsvReader::finish_field(std::string& field, std::vector<std::string>& fields) {
    if (fields.size() >= m_limits.max_fields) {
        return fail(CsvErrc::too_many_fields, m_line);
    }
    fields.push_back(std::move(field));
    field.clear();
    return true;
}

CsvReader::Step CsvReader::append(std::string& field, int c) {
    if (field.size() >= m_limits.max_field_bytes) {
        fail(CsvErrc::field_too_long, m_line);
        return Step::failed;
    }
    field.push_back(static_cast<char>(c));
    return Step::more;
}

CsvReader::Step CsvReader::consume(int c, State& state, std::string& field,
                                   std::vector<std::string>& fields) {
    if (c == stream_error) {
        fail(CsvErrc::read_failed, m_line);
        return Step::failed;
    }
    if (state == State::quoted || state == State::after_quote) {
        return consume_quoted(c, state, field, fields);
    }
    const bool line_end = c == '\r' || c == '\n';
    if (state == State::field_start) {
        if (c == '"') {
            state = State::quoted;
            m_quote_line = m_line;
            return Step::more;
        }
        if ((c == end_of_file || line_end) && fields.empty()) {
            // Nothing on this line: skip it (or stop at the end of input).
            return c == end_of_file ? Step::end_of_input : end_line(c);
        }
        state = State::unquoted; // "a," ends with an empty last field, handled below
    } else if (c == '"') {
        fail(CsvErrc::quote_in_unquoted_field, m_line);
        return Step::failed;
    }
    if (c == ',') {
        state = State::field_start;
        return finish_field(field, fields) ? Step::more : Step::failed;
    }
    if (c == end_of_file || line_end) {
        if (!finish_field(field, fields)) {
            return Step::failed;
        }
        return c == end_of_file ? Step::end_of_input : end_line(c);
    }
    return append(field, c);
}

CsvReader::Step CsvReader::consume_quoted(int c, State& state, std::string& field,
                                          std::vector<std::string>& fields) {
    if (state == State::quoted) {
        if (c == end_of_file) {
            fail(CsvErrc::unterminated_quote, m_quote_line);
            return Step::failed;
        }
        if (c == '"') {
            state = State::after_quote;
            return Step::more;
        }
        if (c == '\n') {
            ++m_line; // a line break inside quotes is data, but still a physical line
        }
        return append(field, c);
    }
    // after_quote: the quote just read either closes the field or starts a doubled quote.
    if (c == '"') {
        state = State::quoted;
        return append(field, c);
    }
    if (c == ',') {
        state = State::field_start;
        return finish_field(field, fields) ? Step::more : Step::failed;
    }
    if (c == end_of_file || c == '\r' || c == '\n') {
        if (!finish_field(field, fields)) {
            return Step::failed;
        }
        return c == end_of_file ? Step::end_of_input : end_line(c);
    }
    fail(CsvErrc::text_after_closing_quote, m_line);
    return Step::failed;
}

} // namespace sahil::registry
