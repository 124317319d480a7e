// Multi-sentence AIS message reassembly.
//
// A type 5 message usually arrives as two sentences:
// `!AIVDM,2,1,3,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C`
// `!AIVDM,2,2,3,A,88888888880,2*25` -> one payload of 71 characters, 2 fill bits.
// Data path: parse_line -> FragmentAssembler -> decode.
//
// Rules (IEC 61162-1 §8.3.47 VDM; see tests/ais/malformed_test.cpp and
// tests/ais/fragment_assembler_test.cpp for each case):
// - Fragments are grouped by (feed, receiving station, talker, fragment count, sequence id,
//   channel). Several messages interleaved on one channel with different sequence ids, on
//   different channels with the same id, or from different stations (tag-block `s:`, inherited
//   by the later sentences of an NMEA 4 `g:` group) complete independently.
// - Fragments may arrive in any order; the message is joined in fragment-number order once all
//   are there, with the fill bits of the last fragment.
// - The same fragment twice (same number, same payload) is errc::duplicate_fragment and
//   ignored. A fragment number already held with a different payload means the sequence id
//   was reused for a new message before the old one completed: the old group is dropped
//   (errc::fragment_missing) and the new fragment starts a group. Nothing is ever spliced
//   from two messages.
// - A group that has waited longer than the timeout (receive time) is dropped
//   (errc::fragment_timeout); so is the oldest group when `max_pending` groups are held.
//
// Memory: group slots and their buffers are reused, so steady-state assembly does not
// allocate.
//
// Thread-safety: one instance per feed; not safe for concurrent use.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ais/error.hpp"
#include "ais/sentence.hpp"
#include "ais/text.hpp"
#include "ais/time.hpp"

namespace sahil::ais {

/// A complete AIS payload, ready for decode(). The views and the pointer are valid until the
/// next call of FragmentAssembler::add() or expire() (they point into the sentence passed to
/// add() or into the assembler's own buffer).
struct AssembledMessage {
    std::string_view payload;             ///< armoured payload of all fragments, in order
    int fill_bits = 0;                    ///< fill bits of the last fragment (0..5)
    FixedText<2> talker;                  ///< talker of the sentences ("AI", "BS", ...)
    bool own_ship = false;                ///< VDO
    char channel = '\0';                  ///< 'A', 'B', 'C', 'D' or '\0'
    int fragment_count = 1;               ///< how many sentences made it
    const TagBlock* tag_block = nullptr;  ///< first valid tag block among the fragments
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
    /// Settings. `timeout`: how long a group may wait for its missing fragments (default 10 s
    /// of receive time; real fragments follow within milliseconds). `max_pending`: groups held
    /// at once; beyond it the oldest is dropped (as a timeout), so memory stays bounded.
    struct Config {
        std::chrono::milliseconds timeout{std::chrono::seconds(10)};
        std::size_t max_pending = 512;
    };

    FragmentAssembler() : FragmentAssembler(Config{}) {}
    explicit FragmentAssembler(Config config) : m_config(config) {}

    /// Adds one sentence received at `now` from `source` (feed id; may be empty).
    AssemblyResult add(const Sentence& sentence, UtcTime now, std::string_view source = {});

    /// Drops groups that have waited longer than the timeout at `now`; returns how many (each
    /// is one errc::fragment_timeout for the caller to count).
    std::size_t expire(UtcTime now);

    /// Groups waiting for more fragments.
    [[nodiscard]] std::size_t pending() const noexcept { return m_active; }

private:
    struct Group {
        // key
        std::string source;
        std::string station;
        FixedText<2> talker;
        int count = 0;
        int sequence_id = -1;
        char channel = '\0';
        // content
        std::string data;                      // fragments' payloads, in arrival order
        std::array<std::uint16_t, 9> offset{}; // of fragment i in `data`
        std::array<std::uint16_t, 9> length{}; // of fragment i
        unsigned held = 0;                     // bit i: fragment i+1 received
        int fill_bits = 0;                     // of the last fragment
        bool own_ship = false;
        std::optional<TagBlock> tag_block;
        std::optional<UtcTime> trailing_time;
        UtcTime started;
    };

    std::size_t find(const Sentence& s, std::string_view source, std::string_view station) const;
    void start(std::size_t slot, const Sentence& s, std::string_view source,
               std::string_view station, UtcTime now);
    static void store(Group& g, const Sentence& s);
    void release(std::size_t slot);

    Config m_config;
    std::vector<Group> m_groups; // [0, m_active) in use; the rest keep their buffers for reuse
    std::size_t m_active = 0;
    std::string m_joined;                 // payload of the last completed multi-part message
    std::optional<TagBlock> m_joined_tag; // its tag block
    /// Tag-block group id -> station of its first sentence (NMEA 4 puts `s:` on the first
    /// sentence of a `g:` group only); bounded by max_pending.
    std::unordered_map<int, std::string> m_group_sources;
};

} // namespace sahil::ais
