#include "ais/fragment_assembler.hpp"

#include <algorithm>

namespace sahil::ais {
namespace {

std::string make_key(const Sentence& s, std::string_view source, std::string_view station) {
    std::string key;
    key.reserve(source.size() + station.size() + 10);
    key.append(source);
    key.push_back('|');
    key.append(station);
    key.push_back('|');
    key.append(s.talker);
    key.push_back(static_cast<char>('0' + s.fragment_count));
    key.push_back(s.sequence_id ? static_cast<char>('0' + *s.sequence_id) : '-');
    key.push_back(s.channel == '\0' ? '-' : s.channel);
    return key;
}

AssembledMessage start_message(Sentence& s) {
    AssembledMessage m;
    m.payload = std::move(s.payload);
    m.fill_bits = s.fill_bits;
    m.talker = std::move(s.talker);
    m.own_ship = s.own_ship;
    m.channel = s.channel;
    m.fragment_count = s.fragment_count;
    m.tag_block = std::move(s.tag_block);
    m.trailing_time = s.trailing_time;
    return m;
}

} // namespace

AssemblyResult FragmentAssembler::add(Sentence&& s, UtcTime now, std::string_view source) {
    AssemblyResult result;
    if (s.fragment_count == 1) {
        result.message = start_message(s);
        return result;
    }
    // The receiving station is part of the key. NMEA 4 tag-block groups carry `s:` on their
    // first sentence only, so later sentences of group `g:n-m-id` inherit it by group id.
    std::string station;
    if (s.tag_block) {
        const auto& tb = *s.tag_block;
        if (tb.source) {
            station = *tb.source;
            if (tb.group_id) {
                if (m_group_sources.size() >= m_config.max_pending) {
                    m_group_sources.clear();
                }
                m_group_sources[*tb.group_id] = station;
            }
        } else if (tb.group_id) {
            const auto g = m_group_sources.find(*tb.group_id);
            if (g != m_group_sources.end()) {
                station = g->second;
            }
        }
    }
    const std::string key = make_key(s, source, station);
    auto it = m_groups.find(key);

    if (s.fragment_number == 1) {
        if (it != m_groups.end()) {
            const bool repeat =
                it->second.fragments.size() == 1 && it->second.fragments.front() == s.payload;
            result.error = repeat ? errc::duplicate_fragment : errc::fragment_missing;
            m_groups.erase(it);
        }
        if (m_groups.size() >= m_config.max_pending) {
            auto oldest = std::min_element(
                m_groups.begin(), m_groups.end(),
                [](const auto& a, const auto& b) { return a.second.started < b.second.started; });
            m_groups.erase(oldest);
            result.error = errc::fragment_timeout;
        }
        Group g;
        g.fragments.push_back(s.payload);
        g.started = now;
        g.message = start_message(s);
        m_groups.emplace(key, std::move(g));
        return result;
    }

    if (it == m_groups.end()) {
        result.error = errc::fragment_missing; // orphan: its first fragment never arrived
        return result;
    }
    Group& g = it->second;
    const auto expected = static_cast<int>(g.fragments.size()) + 1;
    if (s.fragment_number != expected) {
        const auto idx = static_cast<std::size_t>(s.fragment_number - 1);
        if (s.fragment_number < expected && g.fragments[idx] == s.payload) {
            result.error = errc::duplicate_fragment; // keep the group, ignore the repeat
            return result;
        }
        m_groups.erase(it);
        result.error = errc::fragment_missing;
        return result;
    }
    g.fragments.push_back(s.payload);
    g.message.payload += s.payload;
    g.message.fill_bits = s.fill_bits;
    if (!g.message.tag_block && s.tag_block) {
        g.message.tag_block = std::move(s.tag_block);
    }
    if (s.trailing_time) {
        g.message.trailing_time = s.trailing_time;
    }
    if (s.fragment_number == s.fragment_count) {
        result.message = std::move(g.message);
        m_groups.erase(it);
    }
    return result;
}

std::size_t FragmentAssembler::expire(UtcTime now) {
    return std::erase_if(
        m_groups, [&](const auto& kv) { return now - kv.second.started > m_config.timeout; });
}

} // namespace sahil::ais
