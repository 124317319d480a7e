// File replay feed: a real recorded log end to end, paced replay, and a missing file.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/net/asio.hpp"

#include "server/net/feed_manager.hpp"
#include "tests/net/net_test_support.hpp"

namespace sahil::net {
namespace {

using test::Collector;
using test::IoThreads;

FeedConfig file_config(const std::filesystem::path& path, double speed = 0) {
    FeedConfig c;
    c.id = "log";
    c.kind = FeedKind::file;
    c.path = path;
    c.speed = speed;
    return c;
}

TEST(FileReplayFeed, replays_the_dma_log_and_accounts_for_every_line) {
    const auto summary_path = test::data_path("ais/replay-dma-2010-pghp.summary.json");
    std::ifstream summary_file(summary_path);
    const nlohmann::json summary = nlohmann::json::parse(summary_file);

    Collector got; // outlives the io threads that call into it
    IoThreads io;
    FeedManager feeds(io.ioc, {file_config(test::data_path("ais/replay-dma-2010-pghp.nmea"))},
                      got.handler(), got.logger());
    feeds.on_file_finished = got.finished_handler();
    feeds.start();
    ASSERT_TRUE(got.wait([&] { return got.finished.contains("log"); }, std::chrono::seconds(60)));
    const FeedStatus st = feeds.status().at(0);
    const ais::FeedCounters& c = st.counters;
    EXPECT_EQ(st.state, "finished");
    EXPECT_EQ(st.last_error, "");

    // Expected values come from the summary (made by an independent tool), not from our output.
    std::uint64_t sentences = 0;
    for (const auto& [fragments, groups] : summary["fragments_per_message"].items()) {
        sentences += std::stoull(fragments) * groups.get<std::uint64_t>();
    }
    const auto reassembled = summary["ais_messages_reassembled"].get<std::uint64_t>();
    const auto pghp = summary["non_ais_sentences"]["PGHP"].get<std::uint64_t>();
    const auto unrecognised = summary["non_ais_sentences"]["unrecognised"].get<std::uint64_t>();

    // The summary's 18 "unrecognised" lines are "!--VDM" sentences (talker "--"), which
    // sahil_ais accepts: check that from the file, then count them as single-fragment type 8.
    std::uint64_t dash_talker = 0;
    {
        std::ifstream log(test::data_path("ais/replay-dma-2010-pghp.nmea"), std::ios::binary);
        for (std::string line; std::getline(log, line);) {
            if (line.starts_with("!--VDM,1,1,") && line.find(",8") != std::string::npos) {
                ++dash_talker;
            }
        }
    }
    ASSERT_EQ(dash_talker, unrecognised);

    EXPECT_EQ(c.bytes, summary["bytes"].get<std::uint64_t>());
    EXPECT_EQ(c.lines, summary["lines"].get<std::uint64_t>());
    EXPECT_EQ(c.sentences, sentences + dash_talker);
    EXPECT_EQ(c.time_markers, pghp);
    EXPECT_EQ(c.other_nmea, 0U);
    // Every line is an AIS sentence or a time marker; none is rejected.
    EXPECT_EQ(c.lines, c.sentences + c.time_markers);
    // Every message of every type is decoded and delivered: the feed is clean.
    EXPECT_EQ(c.messages, reassembled + dash_talker);
    EXPECT_EQ(c.error_total(), 0U);
    for (const auto& [type, n] : summary["messages_by_type"].items()) {
        if (type == "24A" || type == "24B") {
            continue;
        }
        const std::uint64_t extra = type == "8" ? dash_talker : 0U; // the !--VDM lines are type 8
        EXPECT_EQ(c.by_type[std::stoul(type)], n.get<std::uint64_t>() + extra) << "type " << type;
    }
    EXPECT_EQ(c.by_type[24], summary["messages_by_type"]["24A"].get<std::uint64_t>() +
                                 summary["messages_by_type"]["24B"].get<std::uint64_t>());

    // The handler saw every message, stamped with the log's own $PGHP times (2010-06-11).
    ASSERT_EQ(got.messages.size(), c.messages);
    const auto day = std::chrono::floor<std::chrono::days>(got.messages.front().fix_time);
    EXPECT_EQ(day, std::chrono::sys_days(std::chrono::year(2010) / 6 / 11));
    RecordProperty("messages", std::to_string(c.messages));
    feeds.stop();
    EXPECT_EQ(feeds.status().at(0).state, "finished"); // stop() keeps the outcome
}

TEST(FileReplayFeed, paces_messages_by_fix_time_at_the_given_speed) {
    // Three messages 1 s apart in log time; at 10x they take at least 200 ms.
    const auto path = std::filesystem::temp_directory_path() / "sahil_net_paced_replay.nmea";
    {
        std::ofstream out(path, std::ios::binary);
        out << "$PGHP,1,2010,6,11,11,46,11,000,231,45,992190934,1,2B*51\r\n"
               "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n"
               "$PGHP,1,2010,6,11,11,46,12,000,231,45,992190934,1,2B*52\r\n"
               "!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42\r\n"
               "$PGHP,1,2010,6,11,11,46,13,000,231,45,992190934,1,2B*53\r\n"
               "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n";
    }
    Collector got; // outlives the io threads that call into it
    IoThreads io;
    FeedManager feeds(io.ioc, {file_config(path, 10.0)}, got.handler(), got.logger());
    feeds.on_file_finished = got.finished_handler();
    const auto t0 = std::chrono::steady_clock::now();
    feeds.start();
    ASSERT_TRUE(got.wait([&] { return got.finished.contains("log"); }));
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    const FeedStatus st = feeds.status().at(0);
    EXPECT_EQ(st.counters.time_markers, 3U) << to_json(st).dump();
    ASSERT_EQ(got.messages.size(), 3U);
    EXPECT_EQ(got.messages[2].fix_time - got.messages[0].fix_time, std::chrono::seconds(2));
    EXPECT_GE(elapsed, std::chrono::milliseconds(190));
    EXPECT_LT(elapsed, std::chrono::seconds(5));
    std::filesystem::remove(path);
}

TEST(FileReplayFeed, reports_a_missing_file_as_failed) {
    Collector got; // outlives the io threads that call into it
    IoThreads io;
    const auto path = test::data_path("ais/does-not-exist.nmea");
    FeedManager feeds(io.ioc, {file_config(path)}, got.handler(), got.logger());
    feeds.on_file_finished = got.finished_handler();
    feeds.start();
    ASSERT_TRUE(got.wait([&] { return got.finished.contains("log"); }));
    const FeedStatus st = feeds.status().at(0);
    EXPECT_EQ(st.state, "failed");
    EXPECT_NE(st.last_error.find(path.string()), std::string::npos) << st.last_error;
    EXPECT_NE(st.last_error.find("No such file"), std::string::npos) << st.last_error;
    EXPECT_EQ(st.counters.lines, 0U);
}

} // namespace
} // namespace sahil::net
