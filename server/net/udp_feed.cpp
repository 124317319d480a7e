#include "server/net/udp_feed.hpp"

#include <string>

namespace sahil::net::detail {

namespace {
/// Largest UDP payload over IPv4 is 65,507 bytes; one buffer holds any datagram.
constexpr std::size_t datagram_buffer_bytes = 64 * 1024;
/// Pause after a receive error other than cancel, so a persistent error does not spin.
constexpr std::chrono::milliseconds receive_retry_delay{200};
} // namespace

UdpFeed::UdpFeed(boost::asio::io_context& ioc, FeedConfig config,
                 std::shared_ptr<const FeedCallbacks> callbacks)
    : FeedBase(ioc, std::move(config), std::move(callbacks)), m_socket(m_strand),
      m_retry_timer(m_strand), m_sink(this->callbacks(), m_config.id),
      m_decoder(m_sink, decoder_config()), m_source(next_source_id()),
      m_buffer(datagram_buffer_bytes) {}

std::shared_ptr<UdpFeed> UdpFeed::self() {
    return std::static_pointer_cast<UdpFeed>(shared_from_this());
}

void UdpFeed::start() {
    const std::string where = m_config.host + ":" + std::to_string(m_config.port);
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(m_config.host, ec);
    if (ec) {
        set_state("failed");
        set_error("bind " + where + ": not an IP address: " + ec.message());
        return;
    }
    const udp::endpoint endpoint(address, m_config.port);
    if (m_socket.open(endpoint.protocol(), ec) || m_socket.bind(endpoint, ec)) {
        boost::system::error_code ignored;
        m_socket.close(ignored);
        set_state("failed");
        set_error("bind " + where + ": " + ec.message());
        return;
    }
    set_bound_port(m_socket.local_endpoint(ec).port());
    set_state("listening");
    log("receiving on " + m_config.host + ":" + std::to_string(status().bound_port) + "/udp");
    boost::asio::post(m_strand,
                      [self = self()] { self->guarded("receive", [&] { self->receive(); }); });
}

void UdpFeed::receive() {
    if (stopped()) {
        return;
    }
    m_socket.async_receive_from(
        boost::asio::buffer(m_buffer), m_sender,
        [self = self()](const boost::system::error_code& ec, std::size_t n) {
            self->guarded("receive", [&] { self->on_receive(ec, n); });
        });
}

void UdpFeed::on_receive(const boost::system::error_code& ec, std::size_t bytes) {
    if (m_finished) {
        return;
    }
    if (ec) {
        if (fail(ec, "receive") && !stopped()) {
            m_retry_timer.expires_after(receive_retry_delay);
            m_retry_timer.async_wait([self = self()](const boost::system::error_code& wec) {
                if (!wec) {
                    self->guarded("receive", [&] { self->receive(); });
                }
            });
        }
        return;
    }
    if (bytes > 0) {
        m_decoder.feed_line(std::string_view(m_buffer.data(), bytes), wall_clock_now());
        publish_counters(m_source, m_decoder.counters());
    }
    receive();
}

void UdpFeed::do_stop() {
    boost::system::error_code ignored;
    m_retry_timer.cancel(ignored);
    m_socket.close(ignored);
    if (!m_finished) {
        m_finished = true;
        m_decoder.finish(wall_clock_now());
        publish_counters(m_source, m_decoder.counters());
    }
}

} // namespace sahil::net::detail
