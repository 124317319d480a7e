// Loopback end-to-end tests of the network feeds: TCP listener, TCP client, UDP.
#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/net/asio.hpp"

#include "server/net/feed_manager.hpp"
#include "tests/net/net_test_support.hpp"

namespace sahil::net {
namespace {

using boost::asio::ip::tcp;
using boost::asio::ip::udp;
using test::Collector;
using test::IoThreads;

const boost::asio::ip::address loopback = boost::asio::ip::make_address("127.0.0.1");

/// Type 5 in two fragments (sequence id 1), from the corpus.
const std::string type5_part1 =
    "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C\r\n";
const std::string type5_part2 = "!AIVDM,2,2,1,A,88888888880,2*25\r\n";
const std::string type1_a = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n";
const std::string type1_b = "!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42\r\n";

/// Writes `bytes` in odd-sized pieces (1, 2, 3, 5, 7, 11, 13 ... bytes, repeating) with
/// TCP_NODELAY, so the feed sees lines cut at arbitrary points.
void write_in_odd_chunks(tcp::socket& s, const std::string& bytes) {
    static constexpr std::size_t sizes[] = {1, 2, 3, 5, 7, 11, 13, 17, 64, 97};
    s.set_option(tcp::no_delay(true));
    std::size_t pos = 0;
    for (std::size_t i = 0; pos < bytes.size(); ++i) {
        const std::size_t n = std::min(sizes[i % std::size(sizes)], bytes.size() - pos);
        boost::asio::write(s, boost::asio::buffer(bytes.data() + pos, n));
        pos += n;
    }
}

tcp::socket connect_to(boost::asio::io_context& ioc, std::uint16_t port) {
    tcp::socket s(ioc);
    s.connect(tcp::endpoint(loopback, port));
    return s;
}

FeedConfig listener_config(std::string id) {
    FeedConfig c;
    c.id = std::move(id);
    c.kind = FeedKind::tcp_listener;
    c.port = 0;
    return c;
}

FeedStatus status_of(const FeedManager& m, std::size_t i = 0) {
    return m.status().at(i);
}

TEST(TcpListenerFeed, delivers_messages_sent_in_odd_chunks) {
    Collector got; // outlives the io threads that call into it
    IoThreads io;
    FeedManager feeds(io.ioc, {listener_config("shore")}, got.handler(), got.logger());
    feeds.start();
    const std::uint16_t port = feeds.bound_port("shore");
    ASSERT_NE(port, 0);
    EXPECT_EQ(status_of(feeds).state, "listening");
    EXPECT_EQ(status_of(feeds).bound_port, port);

    // The first 200 corpus lines: all message types (this build decodes 1-3, 5, 18, 19, 24),
    // two-fragment messages, trailing receiver fields; plus one more two-fragment type 5.
    const std::string bytes =
        test::first_lines(test::data_path("ais/corpus.nmea"), 200) + type5_part1 + type5_part2;
    const test::Reference expected = test::reference_decode(bytes);
    ASSERT_GE(expected.mmsis.size(), 60U); // 63 with this decoder

    boost::asio::io_context client_ioc;
    tcp::socket s = connect_to(client_ioc, port);
    write_in_odd_chunks(s, bytes);
    ASSERT_TRUE(got.wait([&] {
        return status_of(feeds).counters.bytes == bytes.size() &&
               got.messages.size() >= expected.mmsis.size();
    }));
    EXPECT_EQ(got.mmsis, expected.mmsis); // one connection: order preserved
    EXPECT_EQ(got.feeds.front(), "shore");
    EXPECT_EQ(std::get<ais::StaticVoyageData>(got.messages.back().message).mmsi,
              expected.mmsis.back());

    const FeedStatus st = status_of(feeds);
    EXPECT_EQ(st.connections, 1U);
    EXPECT_EQ(st.counters.messages, expected.counters.messages);
    EXPECT_EQ(st.counters.lines, expected.counters.lines);
    EXPECT_EQ(st.counters.sentences, expected.counters.sentences);
    EXPECT_EQ(st.counters.errors, expected.counters.errors);
    EXPECT_EQ(st.counters.by_type, expected.counters.by_type);
}

TEST(TcpListenerFeed, keeps_fragments_of_each_connection_apart) {
    Collector got; // outlives the io threads that call into it
    IoThreads io;
    FeedManager feeds(io.ioc, {listener_config("shore")}, got.handler(), got.logger());
    feeds.start();
    boost::asio::io_context client_ioc;
    tcp::socket a = connect_to(client_ioc, feeds.bound_port("shore"));
    tcp::socket b = connect_to(client_ioc, feeds.bound_port("shore"));
    // Same sequence id on both stations, interleaved: one shared assembler would see duplicates.
    boost::asio::write(a, boost::asio::buffer(type5_part1));
    boost::asio::write(b, boost::asio::buffer(type5_part1));
    ASSERT_TRUE(got.wait([&] { return status_of(feeds).counters.sentences == 2; }));
    boost::asio::write(a, boost::asio::buffer(type5_part2));
    boost::asio::write(b, boost::asio::buffer(type5_part2));
    ASSERT_TRUE(got.wait([&] { return status_of(feeds).counters.messages == 2; }));
    EXPECT_EQ(got.count(), 2U);
    const FeedStatus st = status_of(feeds);
    EXPECT_EQ(st.connections, 2U);
    EXPECT_EQ(st.counters.messages, 2U);
    EXPECT_EQ(st.counters.error_total(), 0U);
}

TEST(TcpListenerFeed, accepts_a_new_connection_after_a_client_disconnects) {
    Collector got; // outlives the io threads that call into it
    IoThreads io;
    FeedManager feeds(io.ioc, {listener_config("shore")}, got.handler(), got.logger());
    feeds.start();
    boost::asio::io_context client_ioc;
    {
        tcp::socket s = connect_to(client_ioc, feeds.bound_port("shore"));
        boost::asio::write(s, boost::asio::buffer(type1_a + "!AIVDM,1,1,,A,broken"));
        ASSERT_TRUE(got.wait([&] { return got.messages.size() == 1; }));
    } // closed mid-line
    ASSERT_TRUE(got.wait([&] { return status_of(feeds).connections == 0; }));
    tcp::socket s2 = connect_to(client_ioc, feeds.bound_port("shore"));
    boost::asio::write(s2, boost::asio::buffer(type1_b));
    ASSERT_TRUE(got.wait([&] { return status_of(feeds).counters.messages == 2; }));
    EXPECT_EQ(got.count(), 2U);
    const FeedStatus st = status_of(feeds);
    EXPECT_EQ(st.state, "listening");
    EXPECT_EQ(st.counters.messages, 2U); // counters of the closed connection are kept
    EXPECT_EQ(st.counters.lines, 3U);    // the cut line was flushed and counted as rejected
    EXPECT_EQ(st.counters.error_total(), 1U);
}

TEST(TcpListenerFeed, refuses_clients_beyond_max_connections) {
    Collector got; // outlives the io threads that call into it
    IoThreads io;
    FeedConfig c = listener_config("shore");
    c.max_connections = 1;
    FeedManager feeds(io.ioc, {c}, got.handler(), got.logger());
    feeds.start();
    boost::asio::io_context client_ioc;
    tcp::socket a = connect_to(client_ioc, feeds.bound_port("shore"));
    ASSERT_TRUE(got.wait([&] { return status_of(feeds).connections == 1; }));
    tcp::socket b = connect_to(client_ioc, feeds.bound_port("shore"));
    char byte = 0;
    boost::system::error_code ec = boost::asio::error::timed_out;
    b.async_read_some(boost::asio::buffer(&byte, 1),
                      [&](const boost::system::error_code& e, std::size_t) { ec = e; });
    client_ioc.run_for(test::deadline); // the feed closes it at once
    EXPECT_TRUE(ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset)
        << ec.message();
    boost::asio::write(a, boost::asio::buffer(type1_a));
    ASSERT_TRUE(got.wait([&] { return got.messages.size() == 1; }));
}

TEST(TcpListenerFeed, reports_a_port_in_use_as_failed) {
    IoThreads io;
    boost::asio::io_context other;
    tcp::acceptor taken(other, tcp::endpoint(loopback, 0));
    FeedConfig c = listener_config("shore");
    c.port = taken.local_endpoint().port();
    FeedManager feeds(io.ioc, {c}, {});
    feeds.start();
    const FeedStatus st = status_of(feeds);
    EXPECT_EQ(st.state, "failed");
    EXPECT_NE(st.last_error.find("listen on 127.0.0.1:"), std::string::npos) << st.last_error;
}

/// Accepts one connection on a test-owned acceptor, or nothing by the deadline.
std::optional<tcp::socket> accept_one(boost::asio::io_context& ioc, tcp::acceptor& acceptor) {
    std::optional<tcp::socket> result;
    acceptor.async_accept([&](const boost::system::error_code& ec, tcp::socket s) {
        if (!ec) {
            result.emplace(std::move(s));
        }
    });
    ioc.restart();
    ioc.run_for(test::deadline);
    if (!result) {
        acceptor.cancel();
        ioc.restart();
        ioc.run();
    }
    return result;
}

TEST(TcpClientFeed, reconnects_after_the_server_drops_the_connection) {
    Collector got; // outlives the io threads that call into it
    IoThreads io;
    boost::asio::io_context server_ioc;
    tcp::acceptor acceptor(server_ioc, tcp::endpoint(loopback, 0));
    FeedConfig c;
    c.id = "aggregator";
    c.kind = FeedKind::tcp_client;
    c.port = acceptor.local_endpoint().port();
    c.reconnect_min = std::chrono::milliseconds(10);
    c.reconnect_max = std::chrono::milliseconds(40);
    FeedManager feeds(io.ioc, {c}, got.handler(), got.logger());
    feeds.start();

    std::optional<tcp::socket> first = accept_one(server_ioc, acceptor);
    ASSERT_TRUE(first.has_value());
    boost::asio::write(*first, boost::asio::buffer(type1_a));
    ASSERT_TRUE(got.wait([&] { return got.messages.size() == 1; }));
    EXPECT_EQ(status_of(feeds).state, "connected");
    first->close(); // kill the connection

    std::optional<tcp::socket> second = accept_one(server_ioc, acceptor);
    ASSERT_TRUE(second.has_value());
    boost::asio::write(*second, boost::asio::buffer(type1_b));
    ASSERT_TRUE(got.wait([&] { return status_of(feeds).counters.messages == 2; }));
    EXPECT_EQ(got.count(), 2U);
    const FeedStatus st = status_of(feeds);
    EXPECT_EQ(st.state, "connected");
    EXPECT_GE(st.reconnects, 1U);
    EXPECT_EQ(st.connections, 1U);
    EXPECT_EQ(st.counters.messages, 2U); // accumulated over both connections
    EXPECT_NE(st.last_error.find("read from 127.0.0.1"), std::string::npos) << st.last_error;
}

TEST(TcpClientFeed, keeps_retrying_while_nobody_listens) {
    Collector got; // outlives the io threads that call into it
    IoThreads io;
    std::uint16_t port = 0;
    {
        // A port that was free a moment ago: connecting to it is refused.
        boost::asio::io_context tmp;
        tcp::acceptor a(tmp, tcp::endpoint(loopback, 0));
        port = a.local_endpoint().port();
    }
    FeedConfig c;
    c.id = "aggregator";
    c.kind = FeedKind::tcp_client;
    c.port = port;
    c.reconnect_min = std::chrono::milliseconds(5);
    c.reconnect_max = std::chrono::milliseconds(20);
    FeedManager feeds(io.ioc, {c}, got.handler(), got.logger());
    feeds.start();
    ASSERT_TRUE(got.wait([&] { return status_of(feeds).reconnects >= 3; }));
    const FeedStatus st = status_of(feeds);
    EXPECT_EQ(st.connections, 0U);
    EXPECT_NE(st.last_error.find("connect 127.0.0.1"), std::string::npos) << st.last_error;
    feeds.stop();
    EXPECT_EQ(status_of(feeds).state, "stopped");
}

TEST(UdpFeed, decodes_each_line_of_a_datagram) {
    Collector got; // outlives the io threads that call into it
    IoThreads io;
    FeedConfig c;
    c.id = "udp";
    c.kind = FeedKind::udp;
    c.port = 0;
    FeedManager feeds(io.ioc, {c}, got.handler(), got.logger());
    feeds.start();
    ASSERT_EQ(status_of(feeds).state, "listening");
    boost::asio::io_context client_ioc;
    udp::socket s(client_ioc, udp::endpoint(loopback, 0));
    const std::string datagram = type1_a + type1_b.substr(0, type1_b.size() - 2); // no final CRLF
    s.send_to(boost::asio::buffer(datagram), udp::endpoint(loopback, feeds.bound_port("udp")));
    ASSERT_TRUE(got.wait([&] { return status_of(feeds).counters.messages == 2; }));
    EXPECT_EQ(got.count(), 2U);
    EXPECT_EQ(got.mmsis, test::reference_decode(type1_a + type1_b).mmsis);
    const FeedStatus st = status_of(feeds);
    EXPECT_EQ(st.counters.lines, 2U);
    EXPECT_EQ(st.counters.messages, 2U);
}

TEST(FeedManager, rejects_invalid_configs) {
    boost::asio::io_context ioc;
    FeedConfig a = listener_config("x");
    EXPECT_THROW(FeedManager(ioc, {a, a}, {}), std::invalid_argument);
    FeedConfig client;
    client.id = "c";
    client.kind = FeedKind::tcp_client;
    EXPECT_THROW(FeedManager(ioc, {client}, {}), std::invalid_argument); // port 0
    FeedConfig file;
    file.id = "f";
    file.kind = FeedKind::file;
    EXPECT_THROW(FeedManager(ioc, {file}, {}), std::invalid_argument); // no path
}

TEST(FeedStatus, to_json_lists_only_non_zero_errors_and_types) {
    FeedStatus s;
    s.id = "shore";
    s.kind = FeedKind::tcp_listener;
    s.state = "listening";
    s.counters.messages = 3;
    s.counters.by_type[1] = 2;
    s.counters.by_type[5] = 1;
    s.counters.errors[static_cast<std::size_t>(ais::errc::bad_checksum)] = 4;
    const nlohmann::json j = to_json(s);
    EXPECT_EQ(j["kind"], "tcp_listener");
    EXPECT_EQ(j["state"], "listening");
    EXPECT_EQ(j["counters"]["messages"], 3);
    EXPECT_EQ(j["counters"]["error_total"], 4);
    EXPECT_EQ(j["counters"]["errors"], (nlohmann::json{{"bad_checksum", 4}}));
    EXPECT_EQ(j["counters"]["by_type"], (nlohmann::json{{"1", 2}, {"5", 1}}));
}

} // namespace
} // namespace sahil::net
