// NMEA 0183 line framing.
//
// Turns a byte stream from a TCP/UDP feed or a replay file into lines, e.g.
// `!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n` -> `!AIVDM,...*4A`.
// Data path: first stage of ingest (feed session -> LineFramer -> parse_sentence -> ...).
// Survives partial reads (a line may arrive in any number of chunks), accepts LF, CRLF and a bare
// CR as terminators (IEC 61162-1 specifies CRLF; real feeds send all three), drops empty lines,
// and discards an overlong line (garbage or a stuck talker) with one `errc::line_too_long`.
//
// Thread-safety: one instance per stream; not safe for concurrent use.
#pragma once

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

#include "ais/error.hpp"

namespace sahil::ais {

/// Splits a byte stream into lines without terminators.
class LineFramer {
public:
    /// Longest accepted line in bytes (tag block + sentence + trailing receiver fields). NMEA
    /// limits a sentence to 82 characters; tag blocks and vendor suffixes make real lines longer.
    static constexpr std::size_t default_max_line_bytes = 1024;

    /// @param max_line_bytes lines longer than this are dropped and reported as line_too_long.
    explicit LineFramer(std::size_t max_line_bytes = default_max_line_bytes)
        : m_max_line_bytes(max_line_bytes) {}

    /// Feeds a chunk of bytes. Calls `on_line(std::string_view)` for each complete non-empty
    /// line and `on_error(errc)` once per discarded overlong line. The views passed to
    /// `on_line` are valid only during the call.
    template <class OnLine, class OnError>
    void feed(std::string_view chunk, OnLine&& on_line, OnError&& on_error) {
        std::size_t pos = 0;
        while (pos < chunk.size()) {
            const std::size_t end = find_terminator(chunk, pos);
            const std::size_t stop = end == std::string_view::npos ? chunk.size() : end;
            const std::string_view piece = chunk.substr(pos, stop - pos);
            if (!m_discarding) {
                if (m_buffer.size() + piece.size() > m_max_line_bytes) {
                    m_buffer.clear();
                    m_discarding = true;
                    on_error(errc::line_too_long);
                } else if (end != std::string_view::npos && m_buffer.empty()) {
                    // Fast path: the whole line is inside this chunk; no copy.
                    if (!piece.empty()) {
                        on_line(piece);
                    }
                } else {
                    m_buffer.append(piece);
                }
            }
            if (end == std::string_view::npos) {
                break;
            }
            if (!m_discarding && !m_buffer.empty()) {
                on_line(std::string_view(m_buffer));
            }
            m_buffer.clear();
            m_discarding = false;
            pos = end + 1;
        }
    }

    /// Ends the stream: emits a last line that had no terminator (a file whose final line lacks
    /// a newline must not lose that sentence).
    template <class OnLine> void finish(OnLine&& on_line) {
        if (!m_discarding && !m_buffer.empty()) {
            on_line(std::string_view(m_buffer));
        }
        m_buffer.clear();
        m_discarding = false;
    }

    /// Bytes held for an incomplete line.
    [[nodiscard]] std::size_t pending_bytes() const noexcept { return m_buffer.size(); }

private:
    /// Position of the first CR or LF at or after `pos`, or npos. One memchr for LF over the
    /// chunk, then one for a bare CR inside that line.
    static std::size_t find_terminator(std::string_view chunk, std::size_t pos) noexcept {
        const char* const begin = chunk.data();
        const char* const from = begin + pos;
        const auto* lf = static_cast<const char*>(std::memchr(from, '\n', chunk.size() - pos));
        const char* const stop = lf != nullptr ? lf : begin + chunk.size();
        const auto* cr =
            static_cast<const char*>(std::memchr(from, '\r', static_cast<std::size_t>(stop - from)));
        if (cr != nullptr) {
            return static_cast<std::size_t>(cr - begin);
        }
        return lf != nullptr ? static_cast<std::size_t>(lf - begin) : std::string_view::npos;
    }

    std::size_t m_max_line_bytes;
    std::string m_buffer;
    bool m_discarding = false;
};

} // namespace sahil::ais
