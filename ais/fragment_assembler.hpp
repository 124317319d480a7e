// Multi-sentence AIS message reassembly.
//
// A type 5 message usually arrives as two sentences:
// `!AIVDM,2,1,3,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C`
// `!AIVDM,2,2,3,A,88888888880,2*25` -> one payload of 71 characters, 2 fill bits.
// Data path: parse_line -> FragmentAssembler -> decode.
//
// Fragments are grouped by (source, talker, fragment count, sequence id, channel): several
// messages interleaved on one channel with different sequence ids, or on different channels
// with the same id, complete independently. Fragments must arrive in order (IEC 61162-1 sends
// them back to back). A new fragment 1 for a pending key supersedes the old group
// (errc::fragment_missing); an identical repeat is errc::duplicate_fragment; a fragment with no
// group is errc::fragment_missing; a group older than the timeout is errc::fragment_timeout.
//
// Thread-safety: one instance per feed (or station); not safe for concurrent use.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ais/error.hpp"
#include "ais/sentence.hpp"
#include "ais/time.hpp"

namespace sahil::ais {

/// A complete AIS payload, ready for decode().
struct AssembledMessage {
    std::string payload;                  ///< concatenated armoured payload of all fragments
    int fill_bits = 0;                    ///< fill bits of the last fragment (0..5)
    std::string talker;                   ///< talker of the sentences ("AI", "BS", ...)
    bool own_ship = false;                ///< VDO
    char channel = '\0';                  ///< 'A', 'B', 'C', 'D' or '\0'
    int fragment_count = 1;               ///< how many sentences made it
    std::optional<TagBlock> tag_block;    ///< first valid tag block among the fragments
    std::optional<UtcTime> trailing_time; ///< receive time from a trailing field, if any
};

/// Outcome of FragmentAssembler::add(). `message` is set when a message completed; `error` is
/// set when something was discarded (it may be set together with a buffered fragment, e.g. a
/// superseded group).
struct AssemblyResult {
    std::optional<AssembledMessage> message;
    errc error = errc::ok;
};

/// Reassembles multi-sentence messages; see the file comment for the rules.
class FragmentAssembler {
public:
    /// Settings. `timeout`: how long a group may wait for its next fragment (default 10 s of
    /// receive time; real fragments follow within milliseconds). `max_pending`: groups held at
    /// once; the oldest is dropped (as a timeout) beyond it, so memory stays bounded.
    struct Config {
        std::chrono::milliseconds timeout{std::chrono::seconds(10)};
        std::size_t max_pending = 4096;
    };

    FragmentAssembler() : FragmentAssembler(Config{}) {}
    explicit FragmentAssembler(Config config) : m_config(config) {}

    /// Adds one sentence received at `now` from `source` (feed id or tag-block station).
    AssemblyResult add(Sentence&& sentence, UtcTime now, std::string_view source = {});

    /// Drops groups that have waited longer than the timeout at `now`; returns how many (each is
    /// one errc::fragment_timeout for the caller to count).
    std::size_t expire(UtcTime now);

    /// Groups waiting for more fragments.
    [[nodiscard]] std::size_t pending() const noexcept { return m_groups.size(); }

private:
    struct Group {
        AssembledMessage message;
        std::vector<std::string> fragments; // payload of each fragment received so far
        UtcTime started;
    };

    Config m_config;
    std::unordered_map<std::string, Group> m_groups;
    /// Tag-block group id -> station of its first sentence (NMEA 4 puts `s:` on the first
    /// sentence of a `g:` group only); bounded like m_groups.
    std::unordered_map<int, std::string> m_group_sources;
};

} // namespace sahil::ais
