// Sentence parsing, tag blocks, framing and fragment assembly on real and derived lines.
#include <gtest/gtest.h>

#include "ais/fragment_assembler.hpp"
#include "ais/line_framer.hpp"
#include "ais/sentence.hpp"

namespace {

using namespace sahil;
using namespace sahil::ais;

TEST(Sentence, parses_real_tag_block_sentence) {
    // libais test/data/tagblock.nmea style line (ORBCOMM), checksums from the source.
    ParsedLine p;
    ASSERT_EQ(parse_line("\\s:2573345,c:1241544035*4A\\!AIVDM,1,1,,B,15N4cJ`005Jrek0H@9n`DW5608EP,0*13",
                         p),
              errc::ok);
    ASSERT_EQ(p.kind, LineKind::ais);
    ASSERT_TRUE(p.sentence.tag_block);
    EXPECT_EQ(p.sentence.tag_block->source, "2573345");
    EXPECT_EQ(unix_seconds(*p.sentence.tag_block->time), 1241544035);
    EXPECT_EQ(p.sentence.channel, 'B');
    EXPECT_EQ(p.sentence.talker, "AI");
}

} // namespace
