// One feed's AIS ingest pipeline without I/O: bytes -> lines -> sentences -> messages.
//
// `feed("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n", now)` calls
// `sink.on_message(DecodedMessage{PositionReport{...}, ...})`.
// Data path: feed session (server/net) or replay/decode command -> StreamDecoder -> tracking.
// Every line is accounted for in `FeedCounters`: decoded, other NMEA, time marker, or rejected
// under exactly one `errc`. Pure library: no logging, no exceptions on bad input.
//
// Time: a message's receive time is, in order of preference, a trailing receiver time field,
// the last `$PGHP`/`$xxZDA` time marker of the stream, or the clock value the caller passes.
// Its fix time is the tag block `c:` time when present, else the receive time. With
// `Config::hold_until_time_marker` (file replay), messages before the first time marker are held
// (bounded) and stamped with that first marker, so a recorded log replays with its own times.
//
// Thread-safety: one instance per feed, used from one strand.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "ais/error.hpp"
#include "ais/fragment_assembler.hpp"
#include "ais/line_framer.hpp"
#include "ais/messages.hpp"
#include "ais/sentence.hpp"
#include "ais/time.hpp"

namespace sahil::ais {

/// A decoded message with where and when it was received.
struct DecodedMessage {
    AisMessage message;
    UtcTime received_at;          ///< receive time (see file comment)
    UtcTime fix_time;             ///< tag-block `c:` time, else received_at
    FixedText<32> station;        ///< tag-block `s:` station (first 32 characters), else empty
    FixedText<2> talker;          ///< "AI", "BS", ...
    bool own_ship = false;        ///< from a VDO sentence
    char channel = '\0';          ///< 'A', 'B', 'C', 'D' or '\0'
    bool length_mismatch = false; ///< payload length differed from the type's nominal one
    /// 64-bit FNV-1a hash of the armoured payload and fill bits: the same transmission heard
    /// by several receivers has the same hash (the deduplication key, see ais/dedup.hpp).
    std::uint64_t payload_hash = 0;
};

/// 64-bit FNV-1a hash of an armoured payload and its fill bits (DecodedMessage::payload_hash).
std::uint64_t payload_hash(std::string_view payload, int fill_bits) noexcept;

/// Per-feed counters; every input line lands in exactly one of lines' outcomes.
struct FeedCounters {
    std::uint64_t bytes = 0;           ///< bytes fed
    std::uint64_t lines = 0;           ///< non-empty lines framed
    std::uint64_t sentences = 0;       ///< AIS sentences with a valid checksum
    std::uint64_t messages = 0;        ///< messages decoded and delivered
    std::uint64_t other_nmea = 0;      ///< non-AIS NMEA sentences ignored ($GPRMC, $AIALR ...)
    std::uint64_t time_markers = 0;    ///< $PGHP / $xxZDA time markers used
    std::uint64_t length_mismatch = 0; ///< messages decoded with an off-nominal bit length
    std::array<std::uint64_t, errc_count> errors{}; ///< rejected input by reason
    std::array<std::uint64_t, 64> by_type{};        ///< delivered messages by type

    /// Total of all error counters.
    [[nodiscard]] std::uint64_t error_total() const noexcept;
    /// Adds another feed's counters (for totals).
    FeedCounters& operator+=(const FeedCounters& other) noexcept;
};

/// Receives the output of a StreamDecoder.
class MessageSink {
public:
    virtual ~MessageSink() = default;
    /// A decoded message; the reference is valid only during the call.
    virtual void on_message(const DecodedMessage& message) = 0;
    /// A rejected input: `line` is the offending line when there is one (may be empty).
    virtual void on_error(errc /*error*/, std::string_view /*line*/) {}
};

/// Bytes-to-messages pipeline for one feed.
class StreamDecoder {
public:
    struct Config {
        std::size_t max_line_bytes = LineFramer::default_max_line_bytes;
        FragmentAssembler::Config assembler{};
        bool hold_until_time_marker =
            false; ///< file replay: stamp early messages with the first marker
        std::size_t max_held =
            100'000; ///< bound on held messages; beyond it they go out with the caller's clock
    };

    explicit StreamDecoder(MessageSink& sink) : StreamDecoder(sink, Config{}) {}
    StreamDecoder(MessageSink& sink, Config config);

    /// Feeds bytes read at `now` (the caller's clock: wall clock for live feeds).
    void feed(std::string_view bytes, UtcTime now);
    /// Feeds one complete line (UDP datagram lines, tests).
    void feed_line(std::string_view line, UtcTime now);
    /// End of stream: flushes a last unterminated line, held messages, and expires fragments.
    void finish(UtcTime now);

    [[nodiscard]] const FeedCounters& counters() const noexcept { return m_counters; }

private:
    void handle_line(std::string_view line, UtcTime now);
    void count_error(errc e, std::string_view line);
    void deliver(DecodedMessage& m, bool timed);

    MessageSink& m_sink;
    Config m_config;
    LineFramer m_framer;
    FragmentAssembler m_assembler;
    FeedCounters m_counters;
    ParsedLine m_parsed;
    DecodedMessage m_out; // reused for every message: no per-message construction
    std::optional<UtcTime> m_marker;
    std::deque<DecodedMessage> m_held;
};

} // namespace sahil::ais
