#include "server/net/tcp_listener_feed.hpp"

#include <string>

namespace sahil::net::detail {

namespace {
constexpr std::size_t read_buffer_bytes = 16 * 1024;
/// Pause after an accept error other than cancel (e.g. out of file descriptors), so a
/// persistent error does not spin.
constexpr std::chrono::milliseconds accept_retry_delay{500};

std::string peer_text(const boost::asio::ip::tcp::socket& s) {
    boost::system::error_code ec;
    const auto ep = s.remote_endpoint(ec);
    if (ec) {
        return "unknown peer";
    }
    return ep.address().to_string() + ":" + std::to_string(ep.port());
}
} // namespace

TcpFeedSession::TcpFeedSession(std::shared_ptr<TcpListenerFeed> feed,
                               boost::asio::ip::tcp::socket socket, std::uint64_t id)
    : m_feed(std::move(feed)), m_socket(std::move(socket)), m_id(id), m_peer(peer_text(m_socket)),
      m_sink(m_feed->callbacks(), m_feed->config().id), m_decoder(m_sink, m_feed->decoder_config()),
      m_buffer(read_buffer_bytes) {}

void TcpFeedSession::start() {
    boost::asio::post(m_socket.get_executor(), [self = shared_from_this()] {
        self->m_feed->guarded("session start", [&] {
            self->m_feed->log("connection from " + self->m_peer);
            self->read();
        });
    });
}

void TcpFeedSession::stop() {
    boost::asio::post(m_socket.get_executor(), [self = shared_from_this()] {
        self->m_feed->guarded("session stop", [&] { self->close(); });
    });
}

void TcpFeedSession::read() {
    if (m_closed) {
        return;
    }
    m_socket.async_read_some(
        boost::asio::buffer(m_buffer),
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
            self->m_feed->guarded("session read", [&] { self->on_read(ec, n); });
        });
}

void TcpFeedSession::on_read(const boost::system::error_code& ec, std::size_t bytes) {
    if (m_closed) {
        return;
    }
    if (bytes > 0) {
        m_decoder.feed(std::string_view(m_buffer.data(), bytes), wall_clock_now());
        m_feed->publish_counters(m_id, m_decoder.counters());
    }
    if (ec) {
        if (ec == boost::asio::error::eof) {
            m_feed->log("connection from " + m_peer + " closed by peer");
        } else {
            m_feed->fail(ec, "read from " + m_peer);
        }
        close();
        return;
    }
    read();
}

void TcpFeedSession::close() {
    if (m_closed) {
        return;
    }
    m_closed = true;
    boost::system::error_code ignored;
    m_socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    m_socket.close(ignored);
    m_decoder.finish(wall_clock_now());
    m_feed->retire_counters(m_id, m_decoder.counters());
    m_feed->session_closed(m_id);
}

TcpListenerFeed::TcpListenerFeed(boost::asio::io_context& ioc, FeedConfig config,
                                 std::shared_ptr<const FeedCallbacks> callbacks)
    : FeedBase(ioc, std::move(config), std::move(callbacks)), m_acceptor(m_strand),
      m_retry_timer(m_strand) {}

std::shared_ptr<TcpListenerFeed> TcpListenerFeed::self() {
    return std::static_pointer_cast<TcpListenerFeed>(shared_from_this());
}

void TcpListenerFeed::start() {
    const std::string where = m_config.host + ":" + std::to_string(m_config.port);
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(m_config.host, ec);
    if (ec) {
        set_state("failed");
        set_error("listen on " + where + ": not an IP address: " + ec.message());
        return;
    }
    const tcp::endpoint endpoint(address, m_config.port);
    // Not on the strand yet: nothing else touches the acceptor before accept() is posted.
    if (m_acceptor.open(endpoint.protocol(), ec) ||
        m_acceptor.set_option(tcp::acceptor::reuse_address(true), ec) ||
        m_acceptor.bind(endpoint, ec) ||
        m_acceptor.listen(boost::asio::socket_base::max_listen_connections, ec)) {
        boost::system::error_code ignored;
        m_acceptor.close(ignored);
        set_state("failed");
        set_error("listen on " + where + ": " + ec.message());
        return;
    }
    set_bound_port(m_acceptor.local_endpoint(ec).port());
    set_state("listening");
    log("listening on " + m_config.host + ":" + std::to_string(status().bound_port));
    boost::asio::post(m_strand,
                      [self = self()] { self->guarded("accept", [&] { self->accept(); }); });
}

void TcpListenerFeed::accept() {
    if (stopped() || !m_acceptor.is_open()) {
        return;
    }
    m_acceptor.async_accept(boost::asio::make_strand(m_ioc),
                            [self = self()](const boost::system::error_code& ec, tcp::socket s) {
                                self->guarded("accept", [&] { self->on_accept(ec, std::move(s)); });
                            });
}

void TcpListenerFeed::on_accept(const boost::system::error_code& ec, tcp::socket socket) {
    if (stopped()) {
        return;
    }
    if (ec) {
        if (fail(ec, "accept")) {
            m_retry_timer.expires_after(accept_retry_delay);
            m_retry_timer.async_wait([self = self()](const boost::system::error_code& wec) {
                if (!wec) {
                    self->guarded("accept", [&] { self->accept(); });
                }
            });
        }
        return;
    }
    std::shared_ptr<TcpFeedSession> session;
    {
        const std::lock_guard lock(m_sessions_mutex);
        if (m_sessions.size() < m_config.max_connections) {
            const std::uint64_t id = next_source_id();
            session = std::make_shared<TcpFeedSession>(self(), std::move(socket), id);
            m_sessions.emplace(id, session);
        }
    }
    if (session) {
        add_connections(1);
        session->start();
    } else {
        log("refused " + peer_text(socket) + ": max_connections (" +
            std::to_string(m_config.max_connections) + ") reached");
        boost::system::error_code ignored;
        socket.close(ignored);
    }
    accept();
}

void TcpListenerFeed::session_closed(std::uint64_t id) {
    bool erased = false;
    {
        const std::lock_guard lock(m_sessions_mutex);
        erased = m_sessions.erase(id) > 0;
    }
    if (erased) {
        add_connections(-1);
    }
}

void TcpListenerFeed::do_stop() {
    boost::system::error_code ignored;
    m_acceptor.close(ignored);
    m_retry_timer.cancel(ignored);
    std::vector<std::shared_ptr<TcpFeedSession>> sessions;
    {
        const std::lock_guard lock(m_sessions_mutex);
        for (const auto& [id, weak] : m_sessions) {
            if (auto s = weak.lock()) {
                sessions.push_back(std::move(s));
            }
        }
    }
    for (const auto& s : sessions) {
        s->stop();
    }
}

} // namespace sahil::net::detail
