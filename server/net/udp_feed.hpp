// UDP feed: receivers send datagrams of NMEA lines (one or more lines per datagram).
//
// `FeedConfig{.id = "pasni-udp", .kind = FeedKind::udp, .host = "0.0.0.0", .port = 10110}` ->
// bind, then each datagram, e.g. "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n", goes to
// StreamDecoder::feed_line (a datagram never continues a line of the previous one). One decoder
// for the feed: two-sentence messages from different senders may interleave only if their
// sequence ids collide, which the assembler reports as fragment errors.
// Data path: socket -> ais::StreamDecoder -> MessageHandler. Receive time: wall clock.
//
// Thread-safety: all work on the feed's strand; start/stop/status from any thread.
#pragma once

#include <memory>
#include <vector>

#include "server/net/asio.hpp"

#include "ais/stream_decoder.hpp"
#include "server/net/feed_base.hpp"

namespace sahil::net::detail {

/// Datagram feed.
class UdpFeed final : public FeedBase {
public:
    UdpFeed(boost::asio::io_context& ioc, FeedConfig config,
            std::shared_ptr<const FeedCallbacks> callbacks);
    /// Binds synchronously (so bound_port is known on return), then receives.
    void start() override;

private:
    using udp = boost::asio::ip::udp;

    void do_stop() override;
    void receive();
    void on_receive(const boost::system::error_code& ec, std::size_t bytes);
    [[nodiscard]] std::shared_ptr<UdpFeed> self();

    udp::socket m_socket;
    udp::endpoint m_sender;
    boost::asio::steady_timer m_retry_timer;
    HandlerSink m_sink;
    ais::StreamDecoder m_decoder;
    std::uint64_t m_source;
    std::vector<char> m_buffer;
    bool m_finished = false;
};

} // namespace sahil::net::detail
