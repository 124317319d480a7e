// File replay feed: plays a recorded NMEA log as if it arrived live.
//
// `FeedConfig{.id = "dma-log", .kind = FeedKind::file, .path = "logs/2010-06-11.nmea",
// .speed = 10}` -> read 64 KiB chunks; decode with `hold_until_time_marker`, so the log's own
// `$PGHP`/ZDA/tag-block times stamp the messages; deliver them
//  - speed 0: as fast as possible, posting the next chunk so other handlers (HTTP) get a turn;
//  - speed N: at N× the pace of their fix times, with a steady_timer (never a sleeping thread).
//    Fix times going backwards are delivered at once; a forward jump of more than an hour of log
//    time is treated as a discontinuity (delivered at once, pacing restarts from it).
// At the end: StreamDecoder::finish, state "finished", on_file_finished(feed_id). A missing or
// unreadable file sets state "failed" with the reason in last_error (and also ends the feed).
// Data path: file -> ais::StreamDecoder -> queue -> (pacing) -> MessageHandler.
//
// Thread-safety: all work on the feed's strand; start/stop/status from any thread.
#pragma once

#include <chrono>
#include <deque>
#include <fstream>
#include <memory>
#include <optional>
#include <vector>

#include "server/net/asio.hpp"

#include "ais/stream_decoder.hpp"
#include "server/net/feed_base.hpp"

namespace sahil::net::detail {

/// Queues decoded messages for paced delivery.
struct QueueSink final : ais::MessageSink {
    void on_message(const ais::DecodedMessage& message) override { queue.push_back(message); }
    std::deque<ais::DecodedMessage> queue;
};

/// Replays one file.
class FileReplayFeed final : public FeedBase {
public:
    FileReplayFeed(boost::asio::io_context& ioc, FeedConfig config,
                   std::shared_ptr<const FeedCallbacks> callbacks);
    /// Posts the open; errors show up as state "failed".
    void start() override;

private:
    using Clock = std::chrono::steady_clock;

    void do_stop() override;
    void open();
    /// One step: deliver what is due, else read the next chunk, else finish; re-posts itself.
    void pump();
    void read_chunk();
    /// When the front message is due (speed > 0).
    [[nodiscard]] Clock::time_point due_time(UtcTime fix_time);
    void end(bool failed, const std::string& error);
    void post_pump();
    [[nodiscard]] std::shared_ptr<FileReplayFeed> self();

    std::ifstream m_file;
    boost::asio::steady_timer m_timer;
    QueueSink m_queue;
    HandlerSink m_sink;
    std::optional<ais::StreamDecoder> m_decoder;
    std::uint64_t m_source;
    std::vector<char> m_buffer;
    bool m_at_end = false; ///< file fully read and decoder finished
    bool m_ended = false;  ///< replay over (finished or failed)
    std::optional<Clock::time_point> m_anchor_steady;
    UtcTime m_anchor_fix{};
    UtcTime m_last_fix{};
};

} // namespace sahil::net::detail
