#include "ais/stream_decoder.hpp"

#include "ais/decoder.hpp"

namespace sahil::ais {

std::uint64_t payload_hash(std::string_view payload, int fill_bits) noexcept {
    std::uint64_t h = 14695981039346656037ULL; // FNV-1a 64-bit offset basis
    for (const char c : payload) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL; // FNV prime
    }
    h ^= static_cast<std::uint64_t>(fill_bits) + 0x30U;
    h *= 1099511628211ULL;
    return h;
}

std::uint64_t FeedCounters::error_total() const noexcept {
    std::uint64_t total = 0;
    for (const auto n : errors) {
        total += n;
    }
    return total;
}

FeedCounters& FeedCounters::operator+=(const FeedCounters& o) noexcept {
    bytes += o.bytes;
    lines += o.lines;
    sentences += o.sentences;
    messages += o.messages;
    other_nmea += o.other_nmea;
    time_markers += o.time_markers;
    length_mismatch += o.length_mismatch;
    for (std::size_t i = 0; i < errors.size(); ++i) {
        errors[i] += o.errors[i];
    }
    for (std::size_t i = 0; i < by_type.size(); ++i) {
        by_type[i] += o.by_type[i];
    }
    return *this;
}

StreamDecoder::StreamDecoder(MessageSink& sink, Config config)
    : m_sink(sink), m_config(config), m_framer(config.max_line_bytes),
      m_assembler(config.assembler) {}

void StreamDecoder::feed(std::string_view bytes, UtcTime now) {
    m_counters.bytes += bytes.size();
    m_framer.feed(
        bytes, [&](std::string_view line) { handle_line(line, now); },
        [&](errc e) {
            ++m_counters.lines;
            count_error(e, {});
        });
}

void StreamDecoder::feed_line(std::string_view line, UtcTime now) {
    m_counters.bytes += line.size();
    // A datagram may hold several lines.
    m_framer.feed(
        line, [&](std::string_view l) { handle_line(l, now); },
        [&](errc e) {
            ++m_counters.lines;
            count_error(e, {});
        });
    m_framer.finish([&](std::string_view l) { handle_line(l, now); });
}

void StreamDecoder::finish(UtcTime now) {
    m_framer.finish([&](std::string_view l) { handle_line(l, now); });
    const UtcTime stamp = m_marker.value_or(now);
    while (!m_held.empty()) {
        DecodedMessage m = std::move(m_held.front());
        m_held.pop_front();
        m.received_at = stamp;
        m.fix_time = stamp;
        m_sink.on_message(m);
    }
    const std::size_t expired = m_assembler.expire(UtcTime::max());
    for (std::size_t i = 0; i < expired; ++i) {
        count_error(errc::fragment_timeout, {});
    }
}

void StreamDecoder::count_error(errc e, std::string_view line) {
    ++m_counters.errors[static_cast<std::size_t>(e)];
    m_sink.on_error(e, line);
}

namespace {

/// Where a second sentence starts on the same line: right after a `*hh` checksum, a tag block
/// `\`, `!` or `$` (two sentences joined by a lost terminator). npos when there is none.
std::size_t joined_sentence_start(std::string_view line) noexcept {
    auto is_hex = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    };
    for (std::size_t i = line.find('*'); i != std::string_view::npos && i + 3 < line.size();
         i = line.find('*', i + 1)) {
        const char next = line[i + 3];
        if (is_hex(line[i + 1]) && is_hex(line[i + 2]) &&
            (next == '!' || next == '$' || next == '\\')) {
            // A tag block's own checksum is followed by the closing backslash and then '!'.
            if (next == '\\' && i + 4 < line.size() && (line[i + 4] == '!' || line[i + 4] == '$')) {
                continue;
            }
            return i + 3;
        }
    }
    return std::string_view::npos;
}

} // namespace

void StreamDecoder::handle_line(std::string_view line, UtcTime now) {
    // Two sentences on one line (a lost terminator): split them, never decode across the join.
    const std::size_t join = joined_sentence_start(line);
    if (join != std::string_view::npos) {
        handle_line(line.substr(0, join), now);
        handle_line(line.substr(join), now);
        return;
    }
    ++m_counters.lines;
    const errc pe = parse_line(line, m_parsed);
    if (pe != errc::ok) {
        count_error(pe, line);
        return;
    }
    if (m_parsed.kind == LineKind::other_nmea) {
        ++m_counters.other_nmea;
        return;
    }
    if (m_parsed.kind == LineKind::time_marker) {
        ++m_counters.time_markers;
        const bool first = !m_marker.has_value();
        m_marker = m_parsed.marker.time;
        if (first) {
            while (!m_held.empty()) {
                DecodedMessage m = std::move(m_held.front());
                m_held.pop_front();
                m.received_at = *m_marker;
                m.fix_time = *m_marker;
                m_sink.on_message(m);
            }
        }
        return;
    }

    Sentence& s = m_parsed.sentence;
    ++m_counters.sentences;
    if (s.tag_block_invalid) {
        // The sentence is intact (own checksum); only its tag block is dropped.
        count_error(errc::bad_tag_block, line);
    }
    const UtcTime received = s.trailing_time.value_or(m_marker.value_or(now));
    if (m_assembler.pending() != 0) {
        const std::size_t expired = m_assembler.expire(received);
        for (std::size_t i = 0; i < expired; ++i) {
            count_error(errc::fragment_timeout, {});
        }
    }
    AssemblyResult ar = m_assembler.add(s, received);
    if (ar.error != errc::ok) {
        count_error(ar.error, line);
    }
    if (!ar.message) {
        return;
    }
    const AssembledMessage& am = *ar.message;
    const DecodeStatus dr = decode_into(am.payload, am.fill_bits, m_out.message);
    if (dr.error != errc::ok) {
        count_error(dr.error, line);
        return;
    }
    m_out.received_at = am.trailing_time.value_or(received);
    m_out.fix_time = m_out.received_at;
    m_out.station.clear();
    m_out.talker = am.talker;
    m_out.own_ship = am.own_ship;
    m_out.channel = am.channel;
    m_out.length_mismatch = dr.length_mismatch;
    m_out.payload_hash = payload_hash(am.payload, am.fill_bits);
    if (am.tag_block != nullptr) {
        if (am.tag_block->time) {
            m_out.fix_time = *am.tag_block->time;
        }
        if (am.tag_block->source) {
            m_out.station = *am.tag_block->source;
        }
    }
    const bool timed = am.trailing_time.has_value() ||
                       (am.tag_block != nullptr && am.tag_block->time) || m_marker.has_value();
    deliver(m_out, timed);
}

void StreamDecoder::deliver(DecodedMessage& m, bool timed) {
    ++m_counters.messages;
    ++m_counters.by_type[static_cast<std::size_t>(message_type(m.message)) & 63U];
    if (m.length_mismatch) {
        ++m_counters.length_mismatch;
    }
    if (m_config.hold_until_time_marker && !timed) {
        if (m_held.size() < m_config.max_held) {
            m_held.push_back(m);
            return;
        }
    }
    m_sink.on_message(m);
}

} // namespace sahil::ais
