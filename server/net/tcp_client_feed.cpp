#include "server/net/tcp_client_feed.hpp"

#include <algorithm>
#include <string>

namespace sahil::net::detail {

namespace {
constexpr std::size_t read_buffer_bytes = 64 * 1024;

std::string endpoint_text(const boost::asio::ip::tcp::endpoint& ep) {
    return ep.address().to_string() + ":" + std::to_string(ep.port());
}
} // namespace

TcpClientFeed::TcpClientFeed(boost::asio::io_context& ioc, FeedConfig config,
                             std::shared_ptr<const FeedCallbacks> callbacks)
    : FeedBase(ioc, std::move(config), std::move(callbacks)), m_resolver(m_strand),
      m_socket(m_strand), m_timer(m_strand), m_backoff(m_config.reconnect_min),
      m_sink(this->callbacks(), m_config.id), m_buffer(read_buffer_bytes) {}

std::shared_ptr<TcpClientFeed> TcpClientFeed::self() {
    return std::static_pointer_cast<TcpClientFeed>(shared_from_this());
}

void TcpClientFeed::start() {
    set_state("connecting");
    boost::asio::post(m_strand,
                      [self = self()] { self->guarded("start", [&] { self->resolve(); }); });
}

void TcpClientFeed::do_stop() {
    boost::system::error_code ignored;
    m_resolver.cancel();
    m_timer.cancel(ignored);
    close_connection();
}

void TcpClientFeed::resolve() {
    if (stopped()) {
        return;
    }
    set_state("connecting");
    m_resolver.async_resolve(
        m_config.host, std::to_string(m_config.port),
        [self = self()](const boost::system::error_code& ec, const tcp::resolver::results_type& r) {
            self->guarded("resolve", [&] { self->on_resolve(ec, r); });
        });
}

void TcpClientFeed::on_resolve(const boost::system::error_code& ec,
                               const tcp::resolver::results_type& results) {
    if (stopped()) {
        return;
    }
    if (ec) {
        if (fail(ec, "resolve " + m_config.host)) {
            schedule_reconnect();
        }
        return;
    }
    boost::asio::async_connect(
        m_socket, results,
        [self = self()](const boost::system::error_code& cec, const tcp::endpoint& ep) {
            self->guarded("connect", [&] { self->on_connect(cec, ep); });
        });
}

void TcpClientFeed::on_connect(const boost::system::error_code& ec, const tcp::endpoint& endpoint) {
    if (stopped()) {
        return;
    }
    if (ec) {
        boost::system::error_code ignored;
        m_socket.close(ignored);
        if (fail(ec, "connect " + m_config.host + ":" + std::to_string(m_config.port))) {
            schedule_reconnect();
        }
        return;
    }
    boost::system::error_code ignored;
    m_socket.set_option(tcp::socket::keep_alive(true), ignored);
    m_backoff = m_config.reconnect_min;
    m_source = next_source_id();
    m_decoder.emplace(m_sink, decoder_config());
    add_connections(1);
    set_state("connected");
    log("connected to " + endpoint_text(endpoint));
    read();
}

void TcpClientFeed::read() {
    m_socket.async_read_some(boost::asio::buffer(m_buffer),
                             [self = self()](const boost::system::error_code& ec, std::size_t n) {
                                 self->guarded("read", [&] { self->on_read(ec, n); });
                             });
}

void TcpClientFeed::on_read(const boost::system::error_code& ec, std::size_t bytes) {
    if (!m_decoder) {
        return; // closed by stop()
    }
    if (bytes > 0) {
        m_decoder->feed(std::string_view(m_buffer.data(), bytes), wall_clock_now());
        publish_counters(m_source, m_decoder->counters());
    }
    if (ec) {
        const bool report =
            fail(ec, "read from " + m_config.host + ":" + std::to_string(m_config.port));
        close_connection();
        if (report) {
            schedule_reconnect();
        }
        return;
    }
    read();
}

void TcpClientFeed::close_connection() {
    boost::system::error_code ignored;
    m_socket.close(ignored);
    if (!m_decoder) {
        return;
    }
    // A last partial line and incomplete fragment groups are counted, not lost silently.
    m_decoder->finish(wall_clock_now());
    retire_counters(m_source, m_decoder->counters());
    m_decoder.reset();
    add_connections(-1);
}

void TcpClientFeed::schedule_reconnect() {
    if (stopped()) {
        return;
    }
    set_state("reconnecting");
    log("reconnecting in " + std::to_string(m_backoff.count()) + " ms");
    m_timer.expires_after(m_backoff);
    m_backoff = std::min(m_backoff * 2, m_config.reconnect_max);
    m_timer.async_wait([self = self()](const boost::system::error_code& ec) {
        if (ec || self->stopped()) {
            return;
        }
        self->guarded("reconnect", [&] {
            self->add_reconnect();
            self->resolve();
        });
    });
}

} // namespace sahil::net::detail
