#include "ais/fragment_assembler.hpp"

#include <algorithm>
#include <utility>

namespace sahil::ais {
namespace {
/// Bytes reserved per group and for the joined payload (9 fragments x ~80 payload chars).
constexpr std::size_t group_reserve = 768;
} // namespace

std::size_t FragmentAssembler::find(const Sentence& s, std::string_view source,
                                    std::string_view station) const {
    const int seq = s.sequence_id.value_or(-1);
    for (std::size_t i = 0; i < m_active; ++i) {
        const Group& g = m_groups[i];
        if (g.count == s.fragment_count && g.sequence_id == seq && g.channel == s.channel &&
            g.talker == s.talker.view() && g.station == station && g.source == source) {
            return i;
        }
    }
    return m_active;
}

void FragmentAssembler::store(Group& g, const Sentence& s) {
    const auto i = static_cast<std::size_t>(s.fragment_number - 1);
    g.offset[i] = static_cast<std::uint16_t>(g.data.size());
    g.length[i] = static_cast<std::uint16_t>(s.payload.size());
    g.data.append(s.payload);
    g.held |= 1U << i;
    if (s.fragment_number == s.fragment_count) {
        g.fill_bits = s.fill_bits;
    }
    if (!g.tag_block && s.tag_block) {
        g.tag_block = s.tag_block;
    }
    if (s.trailing_time) {
        g.trailing_time = s.trailing_time;
    }
}

void FragmentAssembler::start(std::size_t slot, const Sentence& s, std::string_view source,
                              std::string_view station, UtcTime now) {
    Group& g = m_groups[slot];
    g.source.assign(source);
    g.station.assign(station);
    g.talker = s.talker;
    g.count = s.fragment_count;
    g.sequence_id = s.sequence_id.value_or(-1);
    g.channel = s.channel;
    g.data.clear();
    g.held = 0;
    g.fill_bits = 0;
    g.own_ship = s.own_ship;
    g.tag_block.reset();
    g.trailing_time.reset();
    g.started = now;
    store(g, s);
}

void FragmentAssembler::release(std::size_t slot) {
    --m_active;
    if (slot != m_active) {
        std::swap(m_groups[slot], m_groups[m_active]); // keeps both buffers for reuse
    }
}

AssemblyResult FragmentAssembler::add(const Sentence& s, UtcTime now, std::string_view source) {
    AssemblyResult result;
    if (s.fragment_count == 1) {
        AssembledMessage m;
        m.payload = s.payload;
        m.fill_bits = s.fill_bits;
        m.talker = s.talker;
        m.own_ship = s.own_ship;
        m.channel = s.channel;
        m.fragment_count = 1;
        m.tag_block = s.tag_block ? &*s.tag_block : nullptr;
        m.trailing_time = s.trailing_time;
        result.message = m;
        return result;
    }
    // The receiving station is part of the key. NMEA 4 tag-block groups carry `s:` on their
    // first sentence only, so later sentences of group `g:n-m-id` inherit it by group id.
    std::string_view station;
    if (s.tag_block) {
        const auto& tb = *s.tag_block;
        if (tb.source) {
            station = *tb.source;
            if (tb.group_id) {
                if (m_group_sources.size() >= m_config.max_pending) {
                    m_group_sources.clear();
                }
                m_group_sources[*tb.group_id] = *tb.source;
            }
        } else if (tb.group_id) {
            const auto g = m_group_sources.find(*tb.group_id);
            if (g != m_group_sources.end()) {
                station = g->second;
            }
        }
    }

    std::size_t slot = find(s, source, station);
    const unsigned bit = 1U << static_cast<unsigned>(s.fragment_number - 1);
    if (slot < m_active) {
        Group& g = m_groups[slot];
        if ((g.held & bit) != 0) {
            const auto i = static_cast<std::size_t>(s.fragment_number - 1);
            if (std::string_view(g.data).substr(g.offset[i], g.length[i]) == s.payload) {
                result.error = errc::duplicate_fragment; // a repeat: keep the group, ignore it
                return result;
            }
            // Sequence id reused before the old message completed: never splice the two.
            result.error = errc::fragment_missing;
            start(slot, s, source, station, now);
            return result;
        }
        store(g, s);
    } else {
        if (m_active >= m_config.max_pending) {
            std::size_t oldest = 0;
            for (std::size_t i = 1; i < m_active; ++i) {
                if (m_groups[i].started < m_groups[oldest].started) {
                    oldest = i;
                }
            }
            release(oldest);
            result.error = errc::fragment_timeout;
        }
        if (m_active == m_groups.size()) {
            m_groups.emplace_back();
            // Room for 9 fragments of a full-length sentence: reused slots never regrow.
            m_groups.back().data.reserve(group_reserve);
        }
        slot = m_active++;
        start(slot, s, source, station, now);
        return result;
    }

    Group& g = m_groups[slot];
    const unsigned all = (1U << static_cast<unsigned>(g.count)) - 1U;
    if (g.held != all) {
        return result;
    }
    if (m_joined.capacity() < group_reserve) {
        m_joined.reserve(group_reserve);
    }
    m_joined.clear();
    for (std::size_t i = 0; i < static_cast<std::size_t>(g.count); ++i) {
        m_joined.append(std::string_view(g.data).substr(g.offset[i], g.length[i]));
    }
    m_joined_tag = std::move(g.tag_block);
    AssembledMessage m;
    m.payload = m_joined;
    m.fill_bits = g.fill_bits;
    m.talker = g.talker;
    m.own_ship = g.own_ship;
    m.channel = g.channel;
    m.fragment_count = g.count;
    m.tag_block = m_joined_tag ? &*m_joined_tag : nullptr;
    m.trailing_time = g.trailing_time;
    result.message = m;
    release(slot);
    return result;
}

std::size_t FragmentAssembler::expire(UtcTime now) {
    // Compare start times with a deadline instead of subtracting start times from `now`: a
    // start time from a recorded log can be far in the past (or negative), and `now` can be
    // UtcTime::max() at end of stream (found by the fuzzer: signed overflow).
    if (now < UtcTime::min() + m_config.timeout) {
        return 0;
    }
    const UtcTime deadline = now - m_config.timeout;
    std::size_t dropped = 0;
    for (std::size_t i = 0; i < m_active;) {
        if (m_groups[i].started < deadline) {
            release(i);
            ++dropped;
        } else {
            ++i;
        }
    }
    return dropped;
}

} // namespace sahil::ais
