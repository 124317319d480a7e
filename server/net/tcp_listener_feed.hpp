// TCP listener feed: receivers (or a forwarder) connect to us and send NMEA lines.
//
// `FeedConfig{.id = "ormara-stations", .kind = FeedKind::tcp_listener, .host = "0.0.0.0",
// .port = 5632, .max_connections = 16}` -> listen; each accepted connection is a
// TcpFeedSession on its own strand with its own StreamDecoder, so fragments from different
// stations never mix. Counters of all sessions are summed into the feed's. A broken connection
// closes only itself; clients beyond max_connections are accepted and closed at once.
// Data path: socket -> TcpFeedSession -> ais::StreamDecoder -> MessageHandler.
//
// Thread-safety: the acceptor runs on the feed strand, each session on its own strand; the
// session registry is guarded by a mutex; start/stop/status from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "server/net/asio.hpp"

#include "ais/stream_decoder.hpp"
#include "server/net/feed_base.hpp"

namespace sahil::net::detail {

class TcpListenerFeed;

/// One accepted connection of a listener feed.
class TcpFeedSession : public std::enable_shared_from_this<TcpFeedSession> {
public:
    TcpFeedSession(std::shared_ptr<TcpListenerFeed> feed, boost::asio::ip::tcp::socket socket,
                   std::uint64_t id);
    /// Starts reading (posts to the session strand).
    void start();
    /// Closes the connection (posts to the session strand); idempotent.
    void stop();

private:
    void read();
    void on_read(const boost::system::error_code& ec, std::size_t bytes);
    void close();

    std::shared_ptr<TcpListenerFeed> m_feed;
    boost::asio::ip::tcp::socket m_socket; // its executor is this session's strand
    std::uint64_t m_id;
    std::string m_peer;
    HandlerSink m_sink;
    ais::StreamDecoder m_decoder;
    std::vector<char> m_buffer;
    bool m_closed = false;
};

/// Accepting TCP feed.
class TcpListenerFeed final : public FeedBase {
public:
    TcpListenerFeed(boost::asio::io_context& ioc, FeedConfig config,
                    std::shared_ptr<const FeedCallbacks> callbacks);
    /// Binds and listens synchronously (so bound_port is known on return), then accepts.
    void start() override;
    /// Called by a session when it has closed (any thread).
    void session_closed(std::uint64_t id);

private:
    using tcp = boost::asio::ip::tcp;

    void do_stop() override;
    void accept();
    void on_accept(const boost::system::error_code& ec, tcp::socket socket);
    [[nodiscard]] std::shared_ptr<TcpListenerFeed> self();

    tcp::acceptor m_acceptor;
    boost::asio::steady_timer m_retry_timer;
    std::mutex m_sessions_mutex;
    std::map<std::uint64_t, std::weak_ptr<TcpFeedSession>> m_sessions; // guarded
};

} // namespace sahil::net::detail
