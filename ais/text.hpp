// Fixed-capacity text for decoded AIS string fields (names, call signs, destinations, safety
// text). Decoding never allocates: the characters live inside the message struct.
//
// `FixedText<20> name; name = "AL MADINA"; std::string_view v = name;` -> "AL MADINA".
// Assigning a longer text keeps its first N characters (AIS fields have fixed maxima, e.g. 20
// six-bit characters for a ship name, M.1371-5 Table 48).
//
// Thread-safety: plain value.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace sahil::ais {

/// Up to `N` characters stored inline, with string_view access. Not NUL-terminated.
template <std::size_t N> class FixedText {
public:
    static_assert(N > 0 && N <= 65535);

    FixedText() = default;
    /// From text; characters past N are dropped.
    FixedText(std::string_view s) noexcept { assign(s); } // NOLINT(google-explicit-constructor)
    FixedText(const char* s) noexcept : FixedText(std::string_view(s)) {}        // NOLINT
    FixedText(const std::string& s) noexcept : FixedText(std::string_view(s)) {} // NOLINT

    /// Replaces the text; characters past N are dropped.
    void assign(std::string_view s) noexcept {
        m_size = static_cast<std::uint16_t>(std::min(s.size(), N));
        std::copy_n(s.data(), m_size, m_data.data());
    }
    FixedText& operator=(std::string_view s) noexcept {
        assign(s);
        return *this;
    }
    FixedText& operator=(const std::string& s) noexcept {
        assign(s);
        return *this;
    }
    FixedText& operator=(const char* s) noexcept {
        assign(s);
        return *this;
    }

    /// Appends one character; ignored when full.
    void push_back(char c) noexcept {
        if (m_size < N) {
            m_data[m_size++] = c;
        }
    }
    /// Removes the last character (must not be empty).
    void pop_back() noexcept { --m_size; }
    void clear() noexcept { m_size = 0; }

    [[nodiscard]] std::string_view view() const noexcept { return {m_data.data(), m_size}; }
    operator std::string_view() const noexcept { return view(); } // NOLINT
    [[nodiscard]] std::string str() const { return std::string(view()); }
    [[nodiscard]] const char* data() const noexcept { return m_data.data(); }
    [[nodiscard]] std::size_t size() const noexcept { return m_size; }
    [[nodiscard]] bool empty() const noexcept { return m_size == 0; }
    [[nodiscard]] char back() const noexcept { return m_data[m_size - 1U]; }
    static constexpr std::size_t capacity() noexcept { return N; }

    friend bool operator==(const FixedText& a, std::string_view b) noexcept {
        return a.view() == b;
    }

    friend std::ostream& operator<<(std::ostream& os, const FixedText& t) { return os << t.view(); }

private:
    std::array<char, N> m_data{};
    std::uint16_t m_size = 0;
};

} // namespace sahil::ais
