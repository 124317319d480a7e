// Bit-field access to an armoured AIS payload (ITU-R M.1371-5 Annex 8 §3.3: each character
// carries 6 bits, most significant first). Internal to sahil_ais.
//
// The payload is de-armoured once into a packed big-endian byte buffer inside the reader (no
// heap allocation); each field is then one unaligned 64-bit load and two shifts.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "ais/error.hpp"
#include "ais/text.hpp"

namespace sahil::ais::detail {

/// Longest payload the decoder accepts, in bits. An AIS message occupies at most 5 slots
/// (M.1371-5 §3.3.7: ≤ 1,008 data bits for type 26); 2,048 leaves room for off-spec binary
/// payloads that real receivers pass on, and anything longer is not AIS.
inline constexpr int max_payload_bits = 2048;
/// The same, in armour characters.
inline constexpr int max_payload_chars = max_payload_bits / 6;

/// Armour character -> 6-bit value, 0xFF for characters outside the armour set
/// ('0'..'W' -> 0..39, '`'..'w' -> 40..63).
inline constexpr std::array<std::uint8_t, 256> armour_table = [] {
    std::array<std::uint8_t, 256> t{};
    for (int c = 0; c < 256; ++c) {
        std::uint8_t v = 0xFF;
        if (c >= '0' && c <= 'W') {
            v = static_cast<std::uint8_t>(c - '0');
        } else if (c >= '`' && c <= 'w') {
            v = static_cast<std::uint8_t>(c - '0' - 8);
        }
        t[static_cast<std::size_t>(c)] = v;
    }
    return t;
}();

/// Converts one armour character to its 6-bit value, or -1 when invalid.
constexpr int armour_value(char c) noexcept {
    const std::uint8_t v = armour_table[static_cast<unsigned char>(c)];
    return v == 0xFF ? -1 : v;
}

/// ITU-R M.1371-5 Table 47 6-bit character set: code 0 '@', 1..31 'A'..'_', 32..63 ' '..'?'.
constexpr char sixbit_char(std::uint32_t code) noexcept {
    return static_cast<char>(code < 32 ? code + 64 : code);
}

/// Reads unsigned/signed fields from a de-armoured payload.
class BitReader {
public:
    /// De-armours `payload` minus `fill_bits` (0..5) trailing bits. `error` is set to
    /// errc::bad_armour_character, errc::too_long (more than max_payload_bits) or left ok.
    BitReader(std::string_view payload, int fill_bits, errc& error) noexcept {
        error = errc::ok;
        if (payload.size() > static_cast<std::size_t>(max_payload_chars)) {
            error = errc::too_long;
            return;
        }
        // Four armour characters (24 bits) -> three bytes at a time, then the remainder.
        const auto* in = reinterpret_cast<const unsigned char*>(payload.data());
        const std::size_t n = payload.size();
        std::size_t out = 0;
        std::size_t i = 0;
        unsigned bad = 0;
        for (; i + 4 <= n; i += 4) {
            const unsigned a = armour_table[in[i]];
            const unsigned b = armour_table[in[i + 1]];
            const unsigned c = armour_table[in[i + 2]];
            const unsigned d = armour_table[in[i + 3]];
            bad |= a | b | c | d;
            const unsigned v =
                ((a & 63U) << 18U) | ((b & 63U) << 12U) | ((c & 63U) << 6U) | (d & 63U);
            m_bytes[out] = static_cast<std::uint8_t>(v >> 16U);
            m_bytes[out + 1] = static_cast<std::uint8_t>(v >> 8U);
            m_bytes[out + 2] = static_cast<std::uint8_t>(v);
            out += 3;
        }
        std::uint32_t acc = 0;
        int acc_bits = 0;
        for (; i < n; ++i) {
            const unsigned v = armour_table[in[i]];
            bad |= v;
            acc = (acc << 6U) | (v & 63U);
            acc_bits += 6;
            if (acc_bits >= 8) {
                acc_bits -= 8;
                m_bytes[out++] = static_cast<std::uint8_t>(acc >> static_cast<unsigned>(acc_bits));
            }
        }
        if (acc_bits > 0) {
            m_bytes[out++] = static_cast<std::uint8_t>(acc << static_cast<unsigned>(8 - acc_bits));
        }
        std::memset(m_bytes.data() + out, 0, 8);
        m_written = out + 8;
        if ((bad & 0x80U) != 0) { // 0xFF marks a character outside the armour set
            error = errc::bad_armour_character;
            return;
        }
        m_length = static_cast<int>(payload.size()) * 6 - fill_bits;
        if (m_length < 0) {
            m_length = 0;
        }
    }

    /// Payload bits after removing the fill bits.
    [[nodiscard]] int bit_length() const noexcept { return m_length; }

    /// Unsigned field of `width` (1..32) bits starting at bit `start` (0-based). A field cut
    /// short by the payload end yields the bits that are there, right-aligned (as gpsd does);
    /// a field wholly past the end reads 0.
    [[nodiscard]] std::uint32_t u(int start, int width) const noexcept {
        const int end = start + width < m_length ? start + width : m_length;
        const int w = end - start;
        if (w <= 0) {
            return 0;
        }
        std::uint64_t word = 0;
        const auto byte = static_cast<std::size_t>(start >> 3);
        std::memcpy(&word, m_bytes.data() + byte, 8);
        word = __builtin_bswap64(word);
        word <<= static_cast<unsigned>(start & 7);
        return static_cast<std::uint32_t>(word >> static_cast<unsigned>(64 - w));
    }

    /// Two's-complement signed field of `width` bits (a field cut short is sign-extended from
    /// the bits that are there).
    [[nodiscard]] std::int32_t s(int start, int width) const noexcept {
        const int end = start + width < m_length ? start + width : m_length;
        const int w = end - start;
        if (w <= 0) {
            return 0;
        }
        const std::uint32_t v = u(start, width);
        const std::uint32_t sign = 1U << static_cast<unsigned>(w - 1);
        return static_cast<std::int32_t>(v ^ sign) - static_cast<std::int32_t>(sign);
    }

    /// One-bit flag.
    [[nodiscard]] bool b(int start) const noexcept { return u(start, 1) != 0; }

    /// 6-bit text of up to `chars` characters from bit `start` into `out` (ITU-R M.1371-5
    /// Table 47): cut at the first '@' (code 0, "no more characters") and at the payload end,
    /// trailing blanks removed, as gpsd does.
    template <std::size_t N> void text(int start, int chars, FixedText<N>& out) const noexcept {
        out.clear();
        for (int i = 0; i < chars; ++i) {
            if (start + i * 6 + 6 > m_length) {
                break; // a text field cut short by the payload end ends there
            }
            const auto code = u(start + i * 6, 6);
            if (code == 0) {
                break;
            }
            out.push_back(sixbit_char(code));
        }
        while (!out.empty() && out.back() == ' ') {
            out.pop_back();
        }
    }

    /// Copies `count` bits from bit `start` into `out` (⌈count/8⌉ bytes), most significant bit
    /// first, zero-padded in the last byte. Bits past the payload end read as 0. `start + count`
    /// must not exceed max_payload_bits.
    void copy_bits(int start, int count, std::uint8_t* out) const noexcept {
        const int nbytes = (count + 7) / 8;
        for (int i = 0; i < nbytes; ++i) {
            const int at = start + 8 * i;
            const auto hi = byte_at(static_cast<std::size_t>(at >> 3));
            const auto lo = byte_at(static_cast<std::size_t>(at >> 3) + 1);
            out[i] =
                static_cast<std::uint8_t>(((hi << 8U) | lo) >> static_cast<unsigned>(8 - (at & 7)));
        }
        const int keep =
            m_length - start < count ? (m_length > start ? m_length - start : 0) : count;
        for (int bit = keep; bit < nbytes * 8; ++bit) {
            out[bit / 8] = static_cast<std::uint8_t>(out[bit / 8] &
                                                     ~(0x80U >> static_cast<unsigned>(bit % 8)));
        }
    }

private:
    /// Byte i of the de-armoured payload; 0 past what the constructor wrote (never reads
    /// uninitialised storage).
    [[nodiscard]] unsigned byte_at(std::size_t i) const noexcept {
        return i < m_written ? static_cast<unsigned>(m_bytes[i]) : 0U;
    }

    std::array<std::uint8_t, (max_payload_bits + 7) / 8 + 8 + 1> m_bytes; // NOLINT: written first
    int m_length = 0;
    std::size_t m_written = 0; ///< bytes of m_bytes written (payload + 8 zero bytes)
};

} // namespace sahil::ais::detail
