// Minimal streaming JSON writer for the decode output path (`sahil decode`, gpsd-style JSON).
//
// Appends to a caller-owned std::string, so a reused buffer makes rendering allocation-free.
// Kept in-house rather than nlohmann::json because `sahil decode` must render ~1 M messages/s
// (issue #3); nlohmann builds a tree per message. Strings are escaped per RFC 8259 (quote,
// backslash, control characters as \uXXXX; bytes ≥ 0x80 as \u00XX, as gpsd does, so untrusted
// text from the air can never break the JSON or smuggle markup).
//
// `JsonWriter w(buf); w.begin_object(); w.field("mmsi", 371798000U); w.end_object();`
//   -> {"mmsi":371798000}
//
// Thread-safety: one writer per buffer.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace sahil::ais {

/// Appends JSON tokens to a string. The caller is responsible for well-formed nesting.
class JsonWriter {
public:
    explicit JsonWriter(std::string& out) noexcept : m_out(out) {}

    void begin_object() {
        separator();
        m_out.push_back('{');
        m_first = true;
    }
    void end_object() {
        m_out.push_back('}');
        m_first = false;
    }
    void begin_array() {
        separator();
        m_out.push_back('[');
        m_first = true;
    }
    void end_array() {
        m_out.push_back(']');
        m_first = false;
    }

    /// Object key (must be plain ASCII without quotes; keys are compile-time names).
    void key(std::string_view k) {
        const std::size_t comma = m_first ? 0U : 1U;
        char* p = grow(k.size() + 3 + comma);
        if (comma != 0) {
            *p++ = ',';
        }
        *p++ = '"';
        std::memcpy(p, k.data(), k.size());
        p += k.size();
        p[0] = '"';
        p[1] = ':';
        m_first = true; // the value follows without a comma
    }

    void value(bool v) {
        separator();
        if (v) {
            std::memcpy(grow(4), "true", 4);
        } else {
            std::memcpy(grow(5), "false", 5);
        }
    }
    void value(std::int64_t v) {
        separator();
        append_integer(v);
    }
    void value(std::uint64_t v) {
        separator();
        append_integer(v);
    }
    void value(std::int32_t v) { value(static_cast<std::int64_t>(v)); }
    void value(std::uint32_t v) { value(static_cast<std::uint64_t>(v)); }
    void value(std::int16_t v) { value(static_cast<std::int64_t>(v)); }
    void value(std::uint16_t v) { value(static_cast<std::uint64_t>(v)); }
    void value(std::int8_t v) { value(static_cast<std::int64_t>(v)); }
    void value(std::uint8_t v) { value(static_cast<std::uint64_t>(v)); }
    /// Escaped string.
    void value(std::string_view s) {
        separator();
        append_string(s);
    }
    void value(const char* s) { value(std::string_view(s)); }
    /// Number with exactly `decimals` digits after the point ("%.*f"), e.g. 48.3816333.
    void value_fixed(double v, int decimals) {
        separator();
        char buf[64];
        const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
        m_out.append(buf, r.ptr);
    }
    /// The exact quotient `numerator / denominator` (denominator > 0) with exactly `decimals`
    /// (0..9) digits after the point, rounded half away from zero, computed in integers: the
    /// same text as "%.*f" of the double quotient (an exact tie, where the double's own
    /// rounding would decide, falls back to that), several times faster. E.g.
    /// (-74037230, 600000, 7) -> -123.3953833 (1/10,000-minute longitude in degrees).
    void value_ratio(std::int64_t numerator, std::int64_t denominator, int decimals) {
        static constexpr std::int64_t pow10[] = {1,      10,      100,      1000,      10000,
                                                 100000, 1000000, 10000000, 100000000, 1000000000};
        const bool negative = numerator < 0;
        const std::int64_t mag = negative ? -numerator : numerator;
        const std::int64_t scaled = mag * pow10[decimals];
        std::int64_t q = scaled / denominator;
        const std::int64_t rem2 = (scaled % denominator) * 2;
        if (rem2 == denominator) {
            value_fixed(static_cast<double>(numerator) / static_cast<double>(denominator),
                        decimals);
            return;
        }
        if (rem2 > denominator) {
            ++q;
        }
        separator();
        char buf[32];
        char* p = buf + sizeof buf;
        for (int i = 0; i < decimals; ++i) {
            *--p = static_cast<char>('0' + q % 10);
            q /= 10;
        }
        if (decimals > 0) {
            *--p = '.';
        }
        do {
            *--p = static_cast<char>('0' + q % 10);
            q /= 10;
        } while (q != 0);
        if (negative) {
            *--p = '-'; // printf keeps the sign of a negative value that rounds to zero too
        }
        m_out.append(p, static_cast<std::size_t>(buf + sizeof buf - p));
    }
    /// key + value_ratio.
    void field_ratio(std::string_view k, std::int64_t numerator, std::int64_t denominator,
                     int decimals) {
        key(k);
        value_ratio(numerator, denominator, decimals);
    }

    /// Number with exactly `decimals` digits, as a quoted string (gpsd's scaled "turn").
    void string_fixed(double v, int decimals) {
        separator();
        char buf[64];
        const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
        m_out.push_back('"');
        m_out.append(buf, r.ptr);
        m_out.push_back('"');
    }
    /// Already-formatted JSON (a number or literal) appended as is.
    void raw(std::string_view json) {
        separator();
        m_out.append(json);
    }
    void null() { raw("null"); }

    /// key + value.
    template <class T> void field(std::string_view k, const T& v) {
        key(k);
        value(v);
    }
    /// key + value_fixed.
    void field_fixed(std::string_view k, double v, int decimals) {
        key(k);
        value_fixed(v, decimals);
    }

    /// The buffer written to.
    [[nodiscard]] std::string& buffer() noexcept { return m_out; }

private:
    void separator() {
        if (!m_first) {
            m_out.push_back(',');
        }
        m_first = false;
    }
    template <class Int> void append_integer(Int v) {
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, v);
        const auto n = static_cast<std::size_t>(r.ptr - buf);
        std::memcpy(grow(n), buf, n);
    }
    /// Extends the buffer by n bytes and returns where they start (one size update instead of
    /// a capacity check per character).
    char* grow(std::size_t n) {
        const std::size_t old = m_out.size();
        m_out.resize(old + n);
        return m_out.data() + old;
    }
    void append_string(std::string_view s) {
        bool plain = true;
        for (const char ch : s) {
            const auto c = static_cast<unsigned char>(ch);
            plain = plain && c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
        }
        if (plain) { // the usual case: one copy
            char* p = grow(s.size() + 2);
            *p++ = '"';
            std::memcpy(p, s.data(), s.size());
            p[s.size()] = '"';
            return;
        }
        static constexpr char hex[] = "0123456789abcdef";
        m_out.push_back('"');
        for (const char ch : s) {
            const auto c = static_cast<unsigned char>(ch);
            if (c == '"' || c == '\\') {
                m_out.push_back('\\');
                m_out.push_back(ch);
            } else if (c < 0x20 || c >= 0x7F) {
                m_out.append("\\u00");
                m_out.push_back(hex[c >> 4U]);
                m_out.push_back(hex[c & 15U]);
            } else {
                m_out.push_back(ch);
            }
        }
        m_out.push_back('"');
    }

    std::string& m_out;
    bool m_first = true;
};

} // namespace sahil::ais
