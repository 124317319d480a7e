// One server-side WebSocket connection (RFC 6455) on Boost.Beast 1.74 that pushes text messages
// from a bounded queue: taken over from an HttpSession after the Router authorised the upgrade
// request (router.hpp Router::add_upgrade), so it never sees an unauthenticated client.
//
// `GET /api/alerts/stream HTTP/1.1` + `Upgrade: websocket` -> HttpSession -> Router (401/403,
// Origin) -> the route's UpgradeHandler calls `take()` -> `WebSocketSession` -> `101 Switching
// Protocols` -> text frames `{"type":"hello",...}`, `{"type":"event",...}` ...
// Sending: send() queues a message (at most WebSocketConfig::max_queued_messages; a full queue is
// reported, the caller decides — the alert stream closes with 1013 and a resume hint); one
// write at a time, in order. Receiving: a read is always pending so that pings are answered and
// the client's close frame is noticed; data messages from the client are read and ignored
// (over max_incoming_bytes: Beast closes with 1009). Heartbeat: Beast's keep-alive pings — after
// ping_interval without a frame from the client a ping is sent, and with no frame (pong) for
// another ping_interval the connection is dropped (a dead peer goes within 2 x ping_interval).
// The handshake and the closing handshake each have handshake_timeout.
// Data path: HttpSession (socket) -> WebSocketSession -> socket; the app's producer (e.g.
// app/alert_stream.hpp) calls send() and is told about each written message (flow control).
//
// Thread-safety: start() once from any thread; every other member function, and every
// callback, runs on executor() (the connection's strand, inherited from the HttpSession).
// Lifetime: the session keeps itself alive while its operations run; the callbacks are dropped
// after on_closed, so captures that own the producer do not leak.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "server/net/asio.hpp"
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace sahil::http {

/// The connection of an upgrade request, handed from the HttpSession to a route's
/// UpgradeHandler (router.hpp ConnectionTaker): the socket, whose executor is the connection's
/// strand, and the header of the request (for the WebSocket handshake). Bytes the client sent
/// after its request header are not kept (a WebSocket client waits for the 101 first).
struct UpgradedConnection {
    boost::asio::ip::tcp::socket socket;
    boost::beast::http::request<boost::beast::http::empty_body> request;
};

/// Limits and timers of a WebSocketSession.
struct WebSocketConfig {
    /// Messages queued and not yet written; send() beyond it reports queue_full.
    std::size_t max_queued_messages = 10'000;
    /// A ping after this long without a frame from the client; no frame for as long again
    /// closes the connection. 20 s keeps NAT and proxy mappings open (most idle out at 30-60 s).
    std::chrono::seconds ping_interval{20};
    /// Limit for the opening and for the closing handshake (Beast's suggested server value).
    std::chrono::seconds handshake_timeout{30};
    /// Largest message accepted from the client (they are ignored anyway); larger -> 1009.
    std::size_t max_incoming_bytes = 4096;
};

/// What send() did with a message.
enum class SendResult {
    queued,     ///< will be written after the messages queued before it
    queue_full, ///< max_queued_messages reached: not queued (the connection stays open)
    closed,     ///< closing or closed: not queued
};

/// One WebSocket connection in the server role; see the file comment.
class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
public:
    using Executor = boost::asio::any_io_executor;
    using CloseCode = boost::beast::websocket::close_code;

    /// What the producer is told; each runs on executor(), may be empty.
    struct Callbacks {
        /// The handshake succeeded (101 sent): start sending.
        std::function<void()> on_open;
        /// A message was written completely; `tag` is the one given to send().
        std::function<void(std::int64_t tag)> on_written;
        /// The connection ended (client closed, close() completed, I/O error, timeout, failed
        /// handshake). Called once; no callback runs afterwards.
        std::function<void()> on_closed;
    };

    /// Takes the connection; does no I/O yet.
    WebSocketSession(UpgradedConnection&& connection, WebSocketConfig config);
    WebSocketSession(const WebSocketSession&) = delete;
    WebSocketSession& operator=(const WebSocketSession&) = delete;

    /// Answers the upgrade request (101 with `Server: sahil`, or Beast's 400 when it is not a
    /// valid WebSocket handshake) and starts reading. Call once; posts to executor().
    void start(Callbacks callbacks);

    /// Queues a text message; `tag` comes back in on_written (e.g. a sequence number).
    [[nodiscard]] SendResult send(std::shared_ptr<const std::string> text, std::int64_t tag);

    /// Messages queued, including the one being written.
    [[nodiscard]] std::size_t queued() const noexcept { return m_queue.size(); }

    /// The tag of the newest message that a close() now would still deliver: the one being
    /// written, else the last one written; std::nullopt before any.
    [[nodiscard]] std::optional<std::int64_t> delivered_tag() const noexcept;

    /// Drops the queued messages not yet being written, finishes the one being written, then
    /// sends a close frame with `code` and `reason` (cut to 123 bytes, RFC 6455 §5.5) and waits
    /// for the client's (at most handshake_timeout). Idempotent; the first call wins.
    void close(CloseCode code, std::string reason);

    /// True from start() until close() or the end of the connection.
    [[nodiscard]] bool is_open() const noexcept { return !m_closing && !m_closed; }

    /// The connection's strand.
    [[nodiscard]] Executor executor() { return m_ws.get_executor(); }

private:
    struct Outgoing {
        std::shared_ptr<const std::string> text;
        std::int64_t tag = 0;
    };

    void on_accept(const boost::beast::error_code& ec);
    void read();
    void on_read(const boost::beast::error_code& ec);
    void write_next();
    void on_write(const boost::beast::error_code& ec);
    void send_close();
    /// Ends the session (once): on_closed, then the callbacks are dropped.
    void finish();

    boost::beast::websocket::stream<boost::beast::tcp_stream> m_ws;
    boost::beast::http::request<boost::beast::http::empty_body> m_request;
    WebSocketConfig m_config;
    Callbacks m_callbacks;
    boost::beast::flat_buffer m_read_buffer;
    std::deque<Outgoing> m_queue; ///< front is being written while m_writing
    std::optional<std::int64_t> m_written_tag;
    bool m_writing = false;
    bool m_closing = false; ///< close() called: nothing more is queued
    bool m_close_sent = false;
    bool m_closed = false; ///< finish() ran
    CloseCode m_close_code = CloseCode::normal;
    std::string m_close_reason;
};

} // namespace sahil::http
