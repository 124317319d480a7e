// Runs all configured AIS feeds on one io_context and reports their status.
//
// `FeedManager feeds(ioc, config.feeds, [&](ais::DecodedMessage&& m, const std::string& id) {
//     boost::asio::post(tracking_strand, [m = std::move(m)]() mutable { pipeline.add(m); }); });
//  feeds.start();  ...  feeds.status();  ...  feeds.stop();`
// Data path: receivers/logs -> FeedManager (one strand per feed, one per listener connection)
// -> MessageHandler -> the app's tracking strand. `/api/feeds` serves to_json(status()).
//
// Thread-safety: start/stop/status/bound_port may be called from any thread. The MessageHandler
// and log callback are called from feed strands, possibly several at once (see feed.hpp).
// Lifetime: the io_context must outlive the manager; pending handlers keep the feed objects
// (and copies of the callbacks) alive after the manager is gone, until they complete or the
// io_context is destroyed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server/net/asio.hpp"

#include "server/net/feed.hpp"

namespace sahil::net {

namespace detail {
class FeedBase;
struct FeedCallbacks;
} // namespace detail

/// Owns and runs a set of feeds.
class FeedManager {
public:
    /// Creates (but does not start) one feed per config.
    /// @param handler receives every decoded message (see MessageHandler)
    /// @param log receives feed events (connects, disconnects, errors); may be empty
    /// @throws std::invalid_argument for an empty or duplicate id, a tcp_client without host or
    ///         port, a file feed without path, a negative speed, reconnect_min <= 0 or
    ///         reconnect_max < reconnect_min, max_line_bytes or max_connections of 0.
    FeedManager(boost::asio::io_context& ioc, std::vector<FeedConfig> feeds, MessageHandler handler,
                FeedLogHandler log = {});
    /// Stops the feeds (see stop()).
    ~FeedManager();
    FeedManager(const FeedManager&) = delete;
    FeedManager& operator=(const FeedManager&) = delete;

    /// Starts all feeds once (later calls do nothing). Listeners and UDP feeds bind before this
    /// returns, so bound_port() is valid afterwards; a bind failure sets that feed's state to
    /// "failed" (with last_error) and does not throw. Set on_file_finished before calling.
    void start();
    /// Closes every socket, cancels timers and stops replays; states become "stopped".
    /// Idempotent; does not wait: handlers already queued still run. No restart after stop.
    void stop();
    /// Thread-safe snapshot of every feed, in config order.
    [[nodiscard]] std::vector<FeedStatus> status() const;
    /// The port a tcp_listener or udp feed bound (useful with config port 0); 0 when the id is
    /// unknown, the feed is of another kind, or it is not bound (not started, failed).
    [[nodiscard]] std::uint16_t bound_port(const std::string& feed_id) const;

    /// Called once when a file feed ends (state "finished" or "failed"), from its strand.
    /// Must be set before start().
    std::function<void(const std::string& feed_id)> on_file_finished;

private:
    std::shared_ptr<detail::FeedCallbacks> m_callbacks;
    std::vector<std::shared_ptr<detail::FeedBase>> m_feeds;
    bool m_started = false;
};

} // namespace sahil::net
