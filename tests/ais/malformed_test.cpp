// Every line of tests/data/ais/malformed.nmea, block by block (a scenario id groups the lines
// that belong together), against what malformed.notes.jsonl says a correct decoder does.
// Where the note leaves a policy choice, the choice is stated beside the expectation.
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ais/stream_decoder.hpp"
#include "tests/ais/test_data.hpp"

namespace {

using namespace sahil;
using namespace sahil::ais;

struct Collector : MessageSink {
    std::vector<std::pair<int, std::uint32_t>> messages; // (type, MMSI)
    std::multiset<errc> errors;
    void on_message(const DecodedMessage& m) override {
        messages.emplace_back(message_type(m.message), message_mmsi(m.message));
    }
    void on_error(errc e, std::string_view) override { errors.insert(e); }
};

struct Expect {
    std::vector<std::pair<int, std::uint32_t>> messages;
    std::multiset<errc> errors;
    const char* why;
};

// clang-format off
const std::map<std::string, Expect> expectations = {
    {"A1", {{}, {errc::bad_checksum}, "checksum mismatch"}},
    {"A2", {{}, {errc::bad_checksum, errc::bad_checksum}, "cut payload kept old checksum; tag block alone emits nothing"}},
    {"A3", {{}, {errc::bad_checksum}, "strict: checksum is mandatory (no lenient mode)"}},
    {"A4", {{{1, 371798000}}, {}, "lower-case hex accepted"}},
    {"A5", {{}, {errc::missing_checksum}, "checksum mandatory for ! sentences"}},
    {"A6", {{}, {errc::bad_checksum}, "one hex digit"}},
    {"A7", {{}, {errc::bad_checksum}, "non-hex checksum"}},
    {"B1", {{}, {errc::missing_checksum}, "incomplete sentence"}},
    {"B2", {{}, {errc::too_short}, "too short for type 1; nothing partial"}},
    {"B3", {{}, {errc::bad_fill_bits}, "fill bits 7"}},
    {"B4", {{{1, 371798000}}, {}, "policy: empty fill-bits field counts as 0 (as gpsd)"}},
    {"B5", {{{1, 371798000}}, {}, "policy: 166 bits decoded with a length_mismatch flag (as gpsd)"}},
    {"B6", {{}, {errc::bad_armour_character}, "'X' is not armour"}},
    {"B7", {{}, {errc::bad_armour_character}, "'x' is not armour"}},
    {"B8", {{}, {errc::empty_payload}, "empty payload"}},
    {"C1", {{}, {errc::fragment_timeout}, "fragment 1 buffered, then discarded at end of stream"}},
    {"C2", {{}, {errc::fragment_timeout}, "policy: fragments may come in any order, so an orphan fragment 2 waits for its fragment 1 and is discarded when it times out (here: end of stream)"}},
    {"C3", {{{5, 244016000}}, {}, "policy: reordering decoder (the note allows it): fragment 2 waits, fragment 1 completes the type 5, joined in fragment-number order"}},
    {"C4", {{{5, 273436530}, {5, 211493380}}, {}, "talker in the key"}},
    {"C5", {{{5, 273436530}, {5, 211493380}}, {}, "channel in the key"}},
    {"C6", {{{5, 273436530}, {5, 211493380}}, {}, "sequence id in the key"}},
    {"C7", {{{5, 211493380}}, {errc::fragment_missing}, "new fragment 1 supersedes; never splice"}},
    {"C8", {{{5, 244016000}}, {errc::duplicate_fragment}, "duplicate fragment 1; emitted once"}},
    {"C9", {{}, {errc::fragment_timeout, errc::fragment_timeout}, "count mismatch: the count is part of the key, so they never join; both wait and are discarded at the timeout"}},
    {"C10", {{}, {errc::bad_fragment_number}, "fragment 3 of 2"}},
    {"C11", {{}, {errc::bad_fragment_count}, "fragment count 0"}},
    {"C12", {{}, {errc::too_short}, "single-sentence type 5 cut short (gpsd rejects)"}},
    {"D1", {{{1, 371798000}}, {}, "CRLF"}},
    {"D2", {{{1, 371798000}}, {}, "LF"}},
    {"D3", {{{1, 371798000}, {1, 440348000}}, {}, "bare CR is a terminator too"}},
    {"D4", {{{5, 211265330}}, {errc::fragment_timeout, errc::fragment_timeout}, "policy: joined sentences are split at the join; line 47 joins fragments of two talkers (never assembled: both time out), line 48 one whole type 5"}},
    {"D5", {{{5, 2424139}}, {errc::bad_tag_block, errc::bad_tag_block}, "policy: split at the join; both tag blocks (checksum 00) dropped and counted; the sentences' own checksums are valid"}},
    {"D6", {{}, {errc::bad_tag_block, errc::fragment_timeout}, "split after fragment 1's checksum; the literal \\\\r\\\\n text is no valid tag block, so fragment 2 is lost with it and fragment 1 times out: no output"}},
    {"D7", {{{1, 371798000}}, {}, "blanks trimmed"}},
    {"D8", {{{1, 371798000}}, {}, "policy: scan forward to the first '!', '$' or '\\\\' (as gpsd)"}},
    {"D9", {{}, {errc::not_nmea, errc::not_nmea}, "binary garbage (contains a bare CR, so two lines)"}},
    {"D10", {{{1, 371798000}}, {}, "junk before the sentence skipped"}},
    {"D11", {{}, {errc::bad_character}, "NUL inside the sentence; never truncated and decoded"}},
    {"D12", {{{6, 1003769495}}, {}, "policy: an overlong (200-character) sentence is framed fine up to the 1 KiB line cap, as gpsd 3.22 and libais do, and its type 6 decoded"}},
    {"D13", {{}, {errc::line_too_long}, "4.9 KB junk line discarded"}},
    {"D14", {{{1, 371798000}}, {}, "policy: bytes after the checksum ignored"}},
    {"E1", {{}, {errc::not_nmea}, "non-AIS NMEA ignored; the last one ($81130.00,...) has no valid address field"}},
    {"E2", {{{5, 211493380}}, {}, "other NMEA between fragments does not disturb the buffer"}},
    {"F1", {{{1, 564721000}}, {}, "policy: any two printable characters as talker"}},
    {"F2", {{{21, 995031028}}, {}, "channel 1 accepted as A; type 21 decoded"}},
    {"F3", {{{18, 0}}, {}, "VDO with empty channel accepted (own ship)"}},
    {"F4", {{{1, 538002398}}, {}, "policy: channel C decoded (see tests/data/DIFFERENCES.md)"}},
    {"F5", {{{1, 371798000}}, {}, "policy: '$' start accepted for VDM"}},
    {"F6", {{}, {errc::bad_address}, "lower-case address field"}},
    {"F7", {{}, {errc::bad_field_count}, "extra field; never taken as fill bits"}},
    {"F8", {{{1, 503503000}}, {errc::bad_tag_block}, "bad tag block dropped and counted, sentence decoded"}},
    {"F9", {{{21, 512000298}}, {}, "assembled by NMEA fields despite the malformed group id; type 21 decoded"}},
    {"F10", {{{1, 371798000}}, {errc::bad_tag_block}, "unterminated tag block skipped to '!'"}},
    {"F11", {{{1, 327801000}}, {}, "trailing receiver fields are optional metadata"}},
    {"F12", {{{5, 219825000}}, {}, "talker BY accepted"}},
    {"D15", {{{1, 440348000}}, {}, "last line without terminator flushed at end of stream"}},
};
// clang-format on

/// Raw lines of malformed.nmea split on LF only, keeping CR bytes inside (scenario D3/D9).
std::vector<std::string> raw_lines() {
    const std::string all = test::read_file(test::data_path("ais/malformed.nmea"));
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < all.size()) {
        const auto end = all.find('\n', pos);
        if (end == std::string::npos) {
            lines.push_back(all.substr(pos));
            break;
        }
        lines.push_back(all.substr(pos, end - pos + 1));
        pos = end + 1;
    }
    return lines;
}

TEST(Malformed, every_line_gets_the_outcome_its_note_asks_for) {
    const auto lines = raw_lines();
    std::ifstream notes_file(test::data_path("ais/malformed.notes.jsonl"));
    std::vector<nlohmann::json> notes;
    for (std::string l; std::getline(notes_file, l);) {
        notes.push_back(nlohmann::json::parse(l));
    }
    ASSERT_EQ(lines.size(), 88U);
    ASSERT_EQ(notes.size(), lines.size());
    std::set<std::string> seen;
    std::size_t i = 0;
    while (i < notes.size()) {
        const std::string scenario = notes[i]["scenario"];
        Collector sink;
        StreamDecoder decoder(sink);
        std::size_t j = i;
        for (; j < notes.size() && notes[j]["scenario"] == scenario; ++j) {
            decoder.feed(lines[j], UtcTime{});
        }
        decoder.finish(UtcTime{});
        const auto it = expectations.find(scenario);
        ASSERT_NE(it, expectations.end()) << "no expectation for scenario " << scenario;
        EXPECT_EQ(sink.messages, it->second.messages)
            << scenario << " (lines " << i + 1 << "-" << j << "): " << it->second.why;
        EXPECT_EQ(sink.errors, it->second.errors)
            << scenario << " (lines " << i + 1 << "-" << j << "): " << it->second.why;
        seen.insert(scenario);
        i = j;
    }
    EXPECT_EQ(seen.size(), expectations.size());
}

TEST(Malformed, whole_file_in_one_stream_counts_every_bad_line) {
    struct Null : MessageSink {
        void on_message(const DecodedMessage&) override {}
    } sink;
    StreamDecoder decoder(sink);
    const std::string all = test::read_file(test::data_path("ais/malformed.nmea"));
    // Worst case for framing: one byte at a time.
    for (const char c : all) {
        decoder.feed(std::string_view(&c, 1), UtcTime{});
    }
    decoder.finish(UtcTime{});
    const auto& c = decoder.counters();
    EXPECT_GT(c.messages, 20U);
    EXPECT_GT(c.error_total(), 30U);
    EXPECT_EQ(c.errors[static_cast<std::size_t>(errc::ok)], 0U);
    EXPECT_EQ(c.by_type[6], 1U);  // D12
    EXPECT_EQ(c.by_type[21], 2U); // F2 and F9
    EXPECT_EQ(c.other_nmea + c.time_markers,
              12U); // E1's 11 NMEA lines (not the one without address) + E2's $GPRMC
}

} // namespace
