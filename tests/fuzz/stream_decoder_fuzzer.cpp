// libFuzzer target for the whole AIS ingest chain: LineFramer -> parse_line ->
// FragmentAssembler -> decode -> gpsd JSON, through the public sahil::ais::StreamDecoder.
//
// Input: arbitrary bytes, read as an NMEA stream, e.g. a 20-line slice of
// tests/data/ais/corpus.nmea. Unless the first byte is '#', every `*hh` checksum of a sentence
// or tag block is first rewritten to the right value, so that mutations reach the parser,
// assembler and decoder instead of stopping at errc::bad_checksum (seeds that must keep a wrong
// checksum, the malformed.nmea scenarios, start with '#', which the parser skips as junk).
//
// The same bytes go through four decoders:
//   A  feed() in one piece, finish();               gpsd JSON of every message checked
//   B  feed() in up to 5 chunks cut at points derived from the input, finish()
//   C  feed_line() per group of lines (cut after line terminators), finish()
//   D  small limits (100-byte lines, 2 pending groups, 1 s timeout, 3 held messages,
//      hold_until_time_marker), chunks fed at advancing and jumping clock values, a mix of
//      feed() and feed_line()
// Invariants (any violation traps; see docs/fuzzing.md):
//   - B and C deliver exactly the same messages and errors, in the same order, with the same
//     counters as A (partial reads and datagram lines change nothing);
//   - in every run, each line is accounted for exactly once:
//     lines == rejected lines + other_nmea + time_markers + sentences, where a rejected line is
//     an on_error() for line_too_long or for a line that parse_line() itself rejects with that
//     same code;
//   - no error is reported as errc::ok or outside the enum; the error, message, per-type and
//     length-mismatch counters equal what the sink saw; messages <= sentences; bytes == bytes fed;
//   - every message has type 1..27, a two-character printable talker, a channel A..D or none;
//   - its gpsd JSON, scaled (with the tag-block station as "device") and unscaled, passes
//     check_gpsd_json() (run A);
//   - messages with the same payload and fill bits (same payload_hash) render the same unscaled
//     JSON in every run, whatever was decoded before them (runs A to D).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ais/error.hpp"
#include "ais/gpsd_json.hpp"
#include "ais/sentence.hpp"
#include "ais/stream_decoder.hpp"
#include "tests/fuzz/gpsd_json_check.hpp"

namespace {

namespace ais = sahil::ais;
using sahil::fuzz::fail;
using sahil::fuzz::require;

/// Clock value passed by runs A, B and C (2023-11-14T22:13:20Z).
constexpr sahil::UtcTime base_time = sahil::from_unix_seconds(1'700'000'000);

/// Deterministic pseudo-random numbers (SplitMix64) seeded from the input, so that chunk
/// boundaries are derived from the data and a saved crash input reproduces.
class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) noexcept : m_state(seed) {}
    std::uint64_t next() noexcept {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31U);
    }
    /// Uniform-ish value in [0, n); n > 0.
    std::size_t below(std::size_t n) noexcept { return static_cast<std::size_t>(next() % n); }

private:
    std::uint64_t m_state;
};

std::uint64_t fnv1a(std::string_view s) noexcept {
    std::uint64_t h = 14695981039346656037ULL;
    for (const char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return h;
}

char hex_digit(unsigned v, bool lower) noexcept {
    return static_cast<char>(v < 10 ? '0' + v : (lower ? 'a' : 'A') + v - 10);
}

/// Writes the XOR of (first, star) as the two characters after `star`, keeping lower case.
void set_checksum(std::string& s, std::size_t first, std::size_t star) {
    unsigned sum = 0;
    for (std::size_t i = first; i < star; ++i) {
        sum ^= static_cast<unsigned char>(s[i]);
    }
    const bool lower = s[star + 1] >= 'a' && s[star + 1] <= 'f';
    s[star + 1] = hex_digit(sum >> 4U, lower);
    s[star + 2] = hex_digit(sum & 15U, lower);
}

/// Rewrites every sentence and tag-block checksum of every line to the right value.
std::string with_fixed_checksums(std::string_view in) {
    std::string s(in);
    std::size_t pos = 0;
    while (pos < s.size()) {
        const std::size_t start = s.find_first_of("!$\\\r\n", pos);
        if (start == std::string::npos) {
            break;
        }
        const char c = s[start];
        if (c == '\r' || c == '\n') {
            pos = start + 1;
            continue;
        }
        const std::size_t line_end = std::min(s.find_first_of("\r\n", start), s.size());
        if (c == '\\') {
            // Tag block: `\body*hh\`; the checksum is the last `*` before the closing `\`.
            const std::size_t close = s.find('\\', start + 1);
            if (close == std::string::npos || close > line_end) {
                pos = start + 1;
                continue;
            }
            const std::size_t star = s.rfind('*', close);
            if (star != std::string::npos && star > start && star + 3 == close) {
                set_checksum(s, start + 1, star);
            }
            pos = close + 1;
            continue;
        }
        const std::size_t star = s.find('*', start);
        if (star == std::string::npos || star + 2 >= line_end) {
            pos = start + 1;
            continue;
        }
        set_checksum(s, start + 1, star);
        pos = star + 3;
    }
    return s;
}

/// Up to `max_cuts` sorted cut positions in (0, size).
std::vector<std::size_t> cut_points(std::size_t size, std::size_t max_cuts, SplitMix64& rng) {
    std::vector<std::size_t> cuts;
    if (size < 2) {
        return cuts;
    }
    const std::size_t n = rng.below(max_cuts + 1);
    for (std::size_t i = 0; i < n; ++i) {
        cuts.push_back(1 + rng.below(size - 1));
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    return cuts;
}

template <class T> void append_pod(std::string& out, const T& v) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out.append(buf, sizeof(T));
}

void append_text(std::string& out, std::string_view s) {
    append_pod(out, s.size());
    out.append(s);
}

/// Unscaled gpsd JSON by payload hash, shared by the runs over one input: the same payload and
/// fill bits must render the same whatever was decoded before (no state left from an earlier
/// message in a reused one).
using RenderedByPayload = std::unordered_map<std::uint64_t, std::string>;

/// What a sink does with the gpsd JSON of each message.
enum class JsonChecks {
    full,         ///< render scaled and unscaled, check_gpsd_json(), compare by payload
    same_payload, ///< render unscaled and compare by payload only
    none,         ///< no rendering (runs whose message history equals run A's)
};

/// Checks every message and error as it arrives and keeps a transcript of them for the
/// differential comparison of the runs.
class CheckingSink final : public ais::MessageSink {
public:
    CheckingSink(JsonChecks json, RenderedByPayload& rendered)
        : m_json_checks(json), m_rendered(rendered) {}

    void on_message(const ais::DecodedMessage& m) override {
        const int type = ais::message_type(m.message);
        if (type < 1 || type > 27) {
            fail("message type outside 1..27", std::to_string(type));
        }
        require(m.talker.size() == 2, "talker is not two characters");
        for (const char c : m.talker.view()) {
            require(c >= 0x20 && c <= 0x7E, "talker is not printable");
        }
        require(m.channel == '\0' || (m.channel >= 'A' && m.channel <= 'D'),
                "channel is not A..D or none");
        ++m_messages;
        ++m_by_type[static_cast<std::size_t>(type)];
        if (m.length_mismatch) {
            ++m_length_mismatch;
        }

        m_events.push_back('M');
        append_pod(m_events, type);
        append_pod(m_events, ais::message_mmsi(m.message));
        append_pod(m_events, m.payload_hash);
        append_pod(m_events, sahil::unix_millis(m.received_at));
        append_pod(m_events, sahil::unix_millis(m.fix_time));
        append_text(m_events, m.station.view());
        append_text(m_events, m.talker.view());
        m_events.push_back(m.own_ship ? 'O' : 'o');
        m_events.push_back(m.channel);
        m_events.push_back(m.length_mismatch ? 'L' : 'l');

        if (m_json_checks == JsonChecks::none) {
            return;
        }
        if (m_json_checks == JsonChecks::full) {
            const ais::GpsdJsonOptions options{true, m.station.view()};
            m_json.clear();
            ais::JsonWriter w(m_json);
            ais::write_gpsd_json(w, m.message, options);
            sahil::fuzz::check_gpsd_json(m_json, m.message, options);
            require(m_json == ais::to_gpsd_json(m.message, options),
                    "to_gpsd_json differs from write_gpsd_json", m_json);
        }
        const ais::GpsdJsonOptions unscaled{false, {}};
        m_json = ais::to_gpsd_json(m.message, unscaled);
        if (m_json_checks == JsonChecks::full) {
            sahil::fuzz::check_gpsd_json(m_json, m.message, unscaled);
        }
        const auto [it, inserted] = m_rendered.try_emplace(m.payload_hash, m_json);
        if (!inserted && it->second != m_json) {
            fail("the same payload decoded to different messages", it->second + "\n*** " + m_json);
        }
    }

    void on_error(ais::errc e, std::string_view line) override {
        const auto code = static_cast<std::size_t>(e);
        require(e != ais::errc::ok, "an error reported as errc::ok", line);
        if (code >= ais::errc_count) {
            fail("error code outside the enum", std::to_string(code));
        }
        ++m_errors[code];
        m_events.push_back('E');
        append_pod(m_events, code);
        append_text(m_events, line);

        // Is this the one outcome of a line that was rejected as a whole?
        if (e == ais::errc::line_too_long && line.empty()) {
            ++m_rejected_lines;
        } else if (!line.empty()) {
            ais::ParsedLine fresh;
            const ais::errc again = ais::parse_line(line, fresh);
            if (again != ais::errc::ok) {
                if (again != e) {
                    fail("parse_line on the reported line gives another error",
                         std::string(ais::to_string(e)) + " vs " +
                             std::string(ais::to_string(again)) + " for: " + std::string(line));
                }
                ++m_rejected_lines;
            }
        }
    }

    /// Checks the decoder's counters against what this sink saw.
    void check_counters(const ais::FeedCounters& c, std::uint64_t bytes_fed) const {
        require(c.bytes == bytes_fed, "counters().bytes differs from the bytes fed");
        require(c.errors[0] == 0, "errc::ok counted as an error");
        for (std::size_t i = 0; i < ais::errc_count; ++i) {
            require(c.errors[i] == m_errors[i], "error counter differs from on_error() calls",
                    ais::to_string(static_cast<ais::errc>(i)));
        }
        require(c.messages == m_messages, "counters().messages differs from on_message() calls");
        require(c.by_type == m_by_type, "counters().by_type differs from the messages delivered");
        require(c.length_mismatch == m_length_mismatch,
                "counters().length_mismatch differs from the messages delivered");
        require(c.messages <= c.sentences, "more messages than sentences");
        if (c.lines != m_rejected_lines + c.other_nmea + c.time_markers + c.sentences) {
            fail("a line is not accounted for exactly once",
                 "lines=" + std::to_string(c.lines) +
                     " rejected=" + std::to_string(m_rejected_lines) +
                     " other_nmea=" + std::to_string(c.other_nmea) + " time_markers=" +
                     std::to_string(c.time_markers) + " sentences=" + std::to_string(c.sentences));
        }
    }

    [[nodiscard]] const std::string& events() const noexcept { return m_events; }

private:
    JsonChecks m_json_checks;
    RenderedByPayload& m_rendered;
    std::string m_events;
    std::string m_json;
    std::uint64_t m_messages = 0;
    std::uint64_t m_length_mismatch = 0;
    std::uint64_t m_rejected_lines = 0;
    std::array<std::uint64_t, ais::errc_count> m_errors{};
    std::array<std::uint64_t, 64> m_by_type{};
};

/// Outcome of one run, for the differential comparison.
struct RunResult {
    ais::FeedCounters counters;
    std::string events;
};

bool same_counters(const ais::FeedCounters& a, const ais::FeedCounters& b) {
    return a.bytes == b.bytes && a.lines == b.lines && a.sentences == b.sentences &&
           a.messages == b.messages && a.other_nmea == b.other_nmea &&
           a.time_markers == b.time_markers && a.length_mismatch == b.length_mismatch &&
           a.errors == b.errors && a.by_type == b.by_type;
}

/// A: the whole input in one feed().
RunResult run_whole(std::string_view in, RenderedByPayload& rendered) {
    CheckingSink sink(JsonChecks::full, rendered);
    ais::StreamDecoder decoder(sink);
    decoder.feed(in, base_time);
    decoder.finish(base_time);
    sink.check_counters(decoder.counters(), in.size());
    return {decoder.counters(), sink.events()};
}

/// B: feed() in chunks, as partial socket reads.
RunResult run_chunked(std::string_view in, SplitMix64& rng, RenderedByPayload& rendered) {
    CheckingSink sink(JsonChecks::none, rendered);
    ais::StreamDecoder decoder(sink);
    std::size_t from = 0;
    for (const std::size_t cut : cut_points(in.size(), 4, rng)) {
        decoder.feed(in.substr(from, cut - from), base_time);
        from = cut;
    }
    decoder.feed(in.substr(from), base_time);
    decoder.finish(base_time);
    sink.check_counters(decoder.counters(), in.size());
    return {decoder.counters(), sink.events()};
}

/// C: feed_line() per datagram, each datagram one or more whole lines (cut only right after a
/// terminator, so the result must equal A's).
RunResult run_datagrams(std::string_view in, SplitMix64& rng, RenderedByPayload& rendered) {
    CheckingSink sink(JsonChecks::none, rendered);
    ais::StreamDecoder decoder(sink);
    std::size_t from = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if ((in[i] == '\n' || in[i] == '\r') && rng.below(2) == 0) {
            decoder.feed_line(in.substr(from, i + 1 - from), base_time);
            from = i + 1;
        }
    }
    if (from < in.size()) {
        decoder.feed_line(in.substr(from), base_time);
    }
    decoder.finish(base_time);
    sink.check_counters(decoder.counters(), in.size());
    return {decoder.counters(), sink.events()};
}

/// D: small limits, a moving clock and a mix of feed() and feed_line(); invariants only.
void run_stressed(std::string_view in, SplitMix64& rng, RenderedByPayload& rendered) {
    ais::StreamDecoder::Config config;
    config.max_line_bytes = 100;
    config.assembler.timeout = std::chrono::seconds(1);
    config.assembler.max_pending = 2;
    config.hold_until_time_marker = true;
    config.max_held = 3;
    CheckingSink sink(JsonChecks::same_payload, rendered);
    ais::StreamDecoder decoder(sink, config);
    sahil::UtcTime now = base_time;
    std::size_t from = 0;
    auto feed = [&](std::string_view piece) {
        // Mostly forward by up to 3 s; sometimes a jump back (a replayed log, a clock step).
        const auto step = static_cast<std::int64_t>(rng.below(3000));
        now += std::chrono::milliseconds(rng.below(8) == 0 ? -10 * step : step);
        if (rng.below(4) == 0) {
            decoder.feed_line(piece, now);
        } else {
            decoder.feed(piece, now);
        }
    };
    for (const std::size_t cut : cut_points(in.size(), 8, rng)) {
        feed(in.substr(from, cut - from));
        from = cut;
    }
    feed(in.substr(from));
    decoder.finish(now);
    sink.check_counters(decoder.counters(), in.size());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    const std::string input =
        !raw.empty() && raw.front() == '#' ? std::string(raw) : with_fixed_checksums(raw);
    SplitMix64 rng(fnv1a(input));
    RenderedByPayload rendered;

    const RunResult whole = run_whole(input, rendered);
    const RunResult chunked = run_chunked(input, rng, rendered);
    require(same_counters(whole.counters, chunked.counters) && whole.events == chunked.events,
            "feeding in chunks changed the output");
    const RunResult datagrams = run_datagrams(input, rng, rendered);
    require(same_counters(whole.counters, datagrams.counters) && whole.events == datagrams.events,
            "feed_line() per datagram changed the output");
    run_stressed(input, rng, rendered);
    return 0;
}
