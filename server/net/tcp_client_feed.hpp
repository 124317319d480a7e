// TCP client feed: connects out to a receiver or aggregator and reads NMEA lines.
//
// `FeedConfig{.id = "gwadar-shore", .kind = FeedKind::tcp_client, .host = "10.0.4.2",
// .port = 5631}` -> resolve, connect, read until EOF or error, then reconnect after
// reconnect_min, doubling up to reconnect_max (reset after a successful connection).
// Data path: socket -> ais::StreamDecoder (fresh framing per connection, counters accumulate per
// feed) -> MessageHandler. Receive time is the wall clock at read completion.
//
// Thread-safety: all work runs on the feed's strand; start/stop/status from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "server/net/asio.hpp"

#include "ais/stream_decoder.hpp"
#include "server/net/feed_base.hpp"

namespace sahil::net::detail {

/// Outbound TCP feed with exponential reconnect backoff.
class TcpClientFeed final : public FeedBase {
public:
    TcpClientFeed(boost::asio::io_context& ioc, FeedConfig config,
                  std::shared_ptr<const FeedCallbacks> callbacks);
    void start() override;

private:
    using tcp = boost::asio::ip::tcp;

    void do_stop() override;
    void resolve();
    void on_resolve(const boost::system::error_code& ec,
                    const tcp::resolver::results_type& results);
    void on_connect(const boost::system::error_code& ec, const tcp::endpoint& endpoint);
    void read();
    void on_read(const boost::system::error_code& ec, std::size_t bytes);
    /// Finishes and retires the connection's decoder and closes the socket (idempotent).
    void close_connection();
    void schedule_reconnect();
    [[nodiscard]] std::shared_ptr<TcpClientFeed> self();

    tcp::resolver m_resolver;
    tcp::socket m_socket;
    boost::asio::steady_timer m_timer;
    std::chrono::milliseconds m_backoff;
    HandlerSink m_sink;
    std::optional<ais::StreamDecoder> m_decoder; // engaged while connected
    std::uint64_t m_source = 0;
    std::vector<char> m_buffer;
};

} // namespace sahil::net::detail
