#include "server/http/websocket_session.hpp"

#include <exception>

namespace sahil::http {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

namespace {
/// RFC 6455 §5.5: a control frame payload is at most 125 bytes, 2 of them the close code.
constexpr std::size_t max_close_reason_bytes = 123;
} // namespace

WebSocketSession::WebSocketSession(UpgradedConnection&& connection, WebSocketConfig config)
    : m_ws(std::move(connection.socket)), m_request(std::move(connection.request)),
      m_config(config) {}

void WebSocketSession::start(Callbacks callbacks) {
    boost::asio::post(m_ws.get_executor(), [self = shared_from_this(),
                                            callbacks = std::move(callbacks)]() mutable {
        self->m_callbacks = std::move(callbacks);
        websocket::stream_base::timeout timeout =
            websocket::stream_base::timeout::suggested(beast::role_type::server);
        timeout.handshake_timeout = self->m_config.handshake_timeout;
        // Beast pings once half the idle timeout has passed without a frame from the peer.
        timeout.idle_timeout = 2 * self->m_config.ping_interval;
        timeout.keep_alive_pings = true;
        beast::get_lowest_layer(self->m_ws).expires_never(); // the websocket timers rule now
        self->m_ws.set_option(timeout);
        self->m_ws.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& res) { res.set(beast::http::field::server, "sahil"); }));
        self->m_ws.read_message_max(self->m_config.max_incoming_bytes);
        self->m_ws.auto_fragment(false);
        self->m_ws.async_accept(self->m_request, [self](const beast::error_code& ec) {
            try {
                self->on_accept(ec);
            } catch (...) {
                self->finish();
            }
        });
    });
}

void WebSocketSession::on_accept(const beast::error_code& ec) {
    m_request = {}; // no longer needed
    if (ec) {
        finish(); // Beast has answered 400 (not a valid handshake) or the peer went away
        return;
    }
    read();
    if (m_callbacks.on_open && !m_closed) {
        m_callbacks.on_open();
    }
}

void WebSocketSession::read() {
    m_ws.async_read(m_read_buffer,
                    [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                        try {
                            self->on_read(ec);
                        } catch (...) {
                            self->finish();
                        }
                    });
}

void WebSocketSession::on_read(const beast::error_code& ec) {
    if (ec) {
        // websocket::error::closed after a close handshake (either side's), or a broken
        // connection, an idle timeout, a message over max_incoming_bytes (Beast sent 1009).
        finish();
        return;
    }
    m_read_buffer.consume(m_read_buffer.size()); // client messages are ignored
    read();
}

SendResult WebSocketSession::send(std::shared_ptr<const std::string> text, std::int64_t tag) {
    if (m_closing || m_closed) {
        return SendResult::closed;
    }
    if (m_queue.size() >= m_config.max_queued_messages) {
        return SendResult::queue_full;
    }
    m_queue.push_back({std::move(text), tag});
    if (!m_writing) {
        write_next();
    }
    return SendResult::queued;
}

std::optional<std::int64_t> WebSocketSession::delivered_tag() const noexcept {
    if (m_writing && !m_queue.empty()) {
        return m_queue.front().tag;
    }
    return m_written_tag;
}

void WebSocketSession::write_next() {
    if (m_closed || m_writing) {
        return;
    }
    if (m_queue.empty()) {
        if (m_closing && !m_close_sent) {
            send_close();
        }
        return;
    }
    m_writing = true;
    m_ws.text(true);
    const std::string& text = *m_queue.front().text;
    m_ws.async_write(boost::asio::buffer(text),
                     [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                         try {
                             self->on_write(ec);
                         } catch (...) {
                             self->finish();
                         }
                     });
}

void WebSocketSession::on_write(const beast::error_code& ec) {
    m_writing = false;
    if (ec || m_closed) {
        // The read fails too and ends the session; nothing more is written.
        m_queue.clear();
        return;
    }
    const std::int64_t tag = m_queue.front().tag;
    m_queue.pop_front();
    m_written_tag = tag;
    if (m_callbacks.on_written && !m_closing) {
        m_callbacks.on_written(tag); // may send() more, which starts the next write
    }
    write_next();
}

void WebSocketSession::close(CloseCode code, std::string reason) {
    if (m_closing || m_closed) {
        return;
    }
    m_closing = true;
    if (reason.size() > max_close_reason_bytes) {
        reason.resize(max_close_reason_bytes);
    }
    m_close_code = code;
    m_close_reason = std::move(reason);
    // Keep the message being written (it is on the wire already), drop the rest.
    while (m_queue.size() > (m_writing ? 1U : 0U)) {
        m_queue.pop_back();
    }
    if (!m_writing) {
        send_close();
    }
}

void WebSocketSession::send_close() {
    m_close_sent = true;
    const websocket::close_reason reason(m_close_code, m_close_reason);
    m_ws.async_close(reason, [self = shared_from_this()](const beast::error_code&) {
        // The pending read completes as well (websocket::error::closed) and ends the session.
    });
}

void WebSocketSession::finish() {
    if (m_closed) {
        return;
    }
    m_closed = true;
    m_queue.clear();
    beast::error_code ignored;
    beast::get_lowest_layer(m_ws).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both,
                                                    ignored);
    beast::get_lowest_layer(m_ws).close();
    auto callbacks = std::move(m_callbacks);
    m_callbacks = {};
    if (callbacks.on_closed) {
        try {
            callbacks.on_closed();
        } catch (...) { // NOLINT(bugprone-empty-catch): the producer's cleanup must not throw
        }
    }
}

} // namespace sahil::http
