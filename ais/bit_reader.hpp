// Bit-field access to an armoured AIS payload (ITU-R M.1371-5 Annex 8 §3.3: each character
// carries 6 bits, most significant first). Internal to sahil_ais.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sahil::ais::detail {

/// Converts one armour character to its 6-bit value, or -1 when invalid.
constexpr int armour_value(char c) noexcept {
    if (c >= '0' && c <= 'W') {
        return c - '0';
    }
    if (c >= '`' && c <= 'w') {
        return c - '0' - 8;
    }
    return -1;
}

/// Reads unsigned/signed fields from a de-armoured payload. Bits past `bit_length()` read as 0.
class BitReader {
public:
    /// @param ok set false when a payload character is not valid armour.
    BitReader(std::string_view payload, int fill_bits, bool& ok) {
        ok = true;
        m_bits.reserve(payload.size());
        for (const char c : payload) {
            const int v = armour_value(c);
            if (v < 0) {
                ok = false;
                return;
            }
            m_bits.push_back(static_cast<std::uint8_t>(v));
        }
        m_length = static_cast<int>(payload.size()) * 6 - fill_bits;
        if (m_length < 0) {
            m_length = 0;
        }
    }

    [[nodiscard]] int bit_length() const noexcept { return m_length; }

    /// Unsigned field of `width` (1..32) bits starting at bit `start` (0-based). A field cut
    /// short by the payload end yields the bits that are there, right-aligned (as gpsd does);
    /// a field wholly past the end reads 0.
    [[nodiscard]] std::uint32_t u(int start, int width) const noexcept {
        std::uint32_t v = 0;
        const int end = start + width < m_length ? start + width : m_length;
        for (int i = start; i < end; ++i) {
            v <<= 1U;
            const auto sextet = m_bits[static_cast<std::size_t>(i / 6)];
            v |= (static_cast<std::uint32_t>(sextet) >> static_cast<unsigned>(5 - i % 6)) & 1U;
        }
        return v;
    }

    /// Two's-complement signed field.
    [[nodiscard]] std::int32_t s(int start, int width) const noexcept {
        const std::uint32_t v = u(start, width);
        const std::uint32_t sign = 1U << static_cast<unsigned>(width - 1);
        return static_cast<std::int32_t>(v ^ sign) - static_cast<std::int32_t>(sign);
    }

    [[nodiscard]] bool b(int start) const noexcept { return u(start, 1) != 0; }

    /// 6-bit text, see sixbit_text_from_payload().
    [[nodiscard]] std::string text(int start, int chars) const {
        std::string out;
        out.reserve(static_cast<std::size_t>(chars));
        for (int i = 0; i < chars; ++i) {
            if (start + i * 6 + 6 > m_length) {
                break; // a text field cut short by the payload end ends there
            }
            const auto code = u(start + i * 6, 6);
            if (code == 0) {
                break; // '@': no more characters
            }
            out.push_back(static_cast<char>(code < 32 ? code + 64 : code));
        }
        while (!out.empty() && out.back() == ' ') {
            out.pop_back();
        }
        return out;
    }

private:
    std::vector<std::uint8_t> m_bits;
    int m_length = 0;
};

} // namespace sahil::ais::detail
