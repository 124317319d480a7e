// Helpers shared by the gpsd AIS JSON renderers (internal to sahil_ais).
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ais/json_writer.hpp"

namespace sahil::ais::detail {

/// Short text assembled on the stack (dates, timestamps, hex data), so rendering does not allocate.
template <std::size_t N> class ShortText {
public:
    /// Appends `v` zero-padded to at least `width` digits ("%0*u").
    ShortText& number(unsigned v, int width = 0) {
        char digits[16];
        const auto r = std::to_chars(digits, digits + sizeof digits, v);
        for (auto n = static_cast<int>(r.ptr - digits); n < width; ++n) {
            put('0');
        }
        for (const char* p = digits; p != r.ptr; ++p) {
            put(*p);
        }
        return *this;
    }
    /// Appends `byte` as two lower-case hex digits.
    ShortText& hex(std::uint8_t byte) {
        static constexpr char digits[] = "0123456789abcdef";
        put(digits[byte >> 4U]);
        return put(digits[byte & 15U]);
    }
    ShortText& put(char c) {
        if (m_size < N) {
            m_buf[m_size++] = c;
        }
        return *this;
    }
    [[nodiscard]] std::string_view view() const { return {m_buf.data(), m_size}; }

private:
    std::array<char, N> m_buf{};
    std::size_t m_size = 0;
};

/// Ship dimensions to bow, stern, port, starboard (metres, unscaled in both modes; M.1371-5
/// Fig. 42), shared by types 5, 19, 21 and 24 part B.
template <class Msg> void write_dimensions(JsonWriter& w, const Msg& m) {
    w.field("to_bow", m.to_bow);
    w.field("to_stern", m.to_stern);
    w.field("to_port", m.to_port);
    w.field("to_starboard", m.to_starboard);
}

} // namespace sahil::ais::detail
