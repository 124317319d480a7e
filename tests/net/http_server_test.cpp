// HttpServer over loopback: routing, standard headers, HEAD, keep-alive, async handlers,
// malformed and oversized requests, idle timeout, port in use.
#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/net/asio.hpp"
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "server/http/http_server.hpp"
#include "tests/net/net_test_support.hpp"

namespace sahil::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::asio::ip::tcp;
using test::IoThreads;

using ClientResponse = bhttp::response<bhttp::string_body>;

/// A blocking-style HTTP client whose every operation has a deadline.
class Client {
public:
    explicit Client(std::uint16_t port) : m_stream(m_ioc) {
        m_stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    }

    /// Sends one request on this connection and reads the response (empty on error/timeout).
    std::optional<ClientResponse>
    request(bhttp::verb method, const std::string& target, const std::string& body = {},
            const std::vector<std::pair<std::string, std::string>>& headers = {}) {
        bhttp::request<bhttp::string_body> req{method, target, 11};
        req.set(bhttp::field::host, "localhost");
        for (const auto& [name, value] : headers) {
            req.set(name, value);
        }
        if (!body.empty()) {
            req.body() = body;
            req.prepare_payload();
        }
        bhttp::response_parser<bhttp::string_body> parser;
        parser.skip(method == bhttp::verb::head);
        beast::error_code result = boost::asio::error::timed_out;
        m_stream.expires_after(test::deadline);
        bhttp::async_write(m_stream, req, [&](const beast::error_code& ec, std::size_t) {
            if (ec) {
                result = ec;
                return;
            }
            bhttp::async_read(m_stream, m_buffer, parser,
                              [&](const beast::error_code& rec, std::size_t) { result = rec; });
        });
        run();
        if (result) {
            return std::nullopt;
        }
        return parser.release();
    }

    /// Sends raw bytes and returns everything the server sends until it closes.
    std::string raw(const std::string& bytes) {
        std::string out;
        boost::asio::write(m_stream.socket(), boost::asio::buffer(bytes));
        read_until_closed(out);
        return out;
    }

    /// True when the server closes the connection before the deadline.
    bool closed_by_server(std::chrono::milliseconds timeout = test::deadline) {
        std::string ignored;
        return read_until_closed(ignored, timeout);
    }

private:
    bool read_until_closed(std::string& out, std::chrono::milliseconds timeout = test::deadline) {
        bool closed = false;
        std::array<char, 4096> buf{};
        std::function<void()> next = [&] {
            m_stream.async_read_some(boost::asio::buffer(buf),
                                     [&](const beast::error_code& ec, std::size_t n) {
                                         out.append(buf.data(), n);
                                         if (ec) {
                                             closed = ec == boost::asio::error::eof ||
                                                      ec == boost::asio::error::connection_reset;
                                             return;
                                         }
                                         next();
                                     });
        };
        m_stream.expires_after(timeout);
        next();
        run();
        return closed;
    }

    void run() {
        m_ioc.restart();
        m_ioc.run();
    }

    boost::asio::io_context m_ioc;
    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
};

/// Threads that answer requests later; joined before the io_context goes away.
class LaterResponders {
public:
    ~LaterResponders() {
        const std::lock_guard lock(m_mutex);
        for (auto& t : m_threads) {
            t.join();
        }
    }
    void respond_later(Responder respond) {
        const std::lock_guard lock(m_mutex);
        m_threads.emplace_back([respond = std::move(respond)]() mutable {
            respond(json_response({{"later", true}}));
            respond = nullptr; // release the session before the thread ends
        });
    }

private:
    std::mutex m_mutex;
    std::vector<std::thread> m_threads;
};

Router test_router(LaterResponders* later = nullptr) {
    const Access open{.public_route = true};
    Router r;
    r.add("GET", "/api/feeds", open,
          [](const Request& req, const RequestContext&, Responder respond) {
              respond(json_response({{"feeds", nlohmann::json::array()}, {"query", req.query}}));
          });
    r.add("GET", "/text", open, [](const Request&, const RequestContext&, Responder respond) {
        respond(Response{200, "text/plain; charset=utf-8", "hello", {}});
    });
    if (later != nullptr) {
        r.add("GET", "/later", open,
              [later](const Request&, const RequestContext&, Responder respond) {
                  // Responds from another thread, as a handler that posts to the tracking
                  // strand does.
                  later->respond_later(std::move(respond));
              });
    }
    r.add("GET", "/never", open, [](const Request&, const RequestContext&, Responder) {});
    r.add("GET", "/throws", open, [](const Request&, const RequestContext&, Responder) {
        throw std::runtime_error("boom");
    });
    r.add("PUT", "/echo/{name}", Access{.public_route = true, .state_changing = true},
          [](const Request& req, const RequestContext&, Responder respond) {
              respond(json_response({{"x_test", req.header("x-TEST").value_or("(none)")},
                                     {"body", req.body},
                                     {"peer", req.remote_address},
                                     {"name", req.path_params.at("name")}}));
          });
    return r;
}

HttpConfig ephemeral() {
    HttpConfig c;
    c.port = 0;
    return c;
}

TEST(HttpServer, serves_json_with_the_standard_headers) {
    IoThreads io;
    HttpServer server(io.ioc, ephemeral(), test_router());
    server.start();
    ASSERT_NE(server.port(), 0);
    Client client(server.port());
    const auto r = client.request(bhttp::verb::get, "/api/feeds?kind=tcp%20client");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200U);
    EXPECT_EQ((*r)[bhttp::field::content_type], "application/json");
    EXPECT_EQ((*r)[bhttp::field::cache_control], "no-store");
    EXPECT_EQ((*r)["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ((*r)["Content-Security-Policy"], "default-src 'none'");
    EXPECT_EQ((*r)[bhttp::field::server], "sahil");
    EXPECT_EQ(nlohmann::json::parse(r->body())["query"]["kind"], "tcp client");
    EXPECT_TRUE(r->keep_alive());
}

TEST(HttpServer, gives_the_handler_headers_body_peer_address_and_path_parameters) {
    IoThreads io;
    HttpServer server(io.ioc, ephemeral(), test_router());
    server.start();
    Client client(server.port());
    const auto r = client.request(bhttp::verb::put, "/echo/Gwadar%20East", R"({"a":1})",
                                  {{"X-Test", "yes"}, {"Content-Type", "application/json"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200U);
    const auto body = nlohmann::json::parse(r->body());
    EXPECT_EQ(body["x_test"], "yes");
    EXPECT_EQ(body["body"], R"({"a":1})");
    EXPECT_EQ(body["peer"], "127.0.0.1");
    EXPECT_EQ(body["name"], "Gwadar East");
    EXPECT_FALSE((*r)["X-Request-Id"].empty());
    EXPECT_EQ((*r)[bhttp::field::cache_control], "no-store");
}

TEST(HttpServer, keeps_the_connection_alive_across_requests) {
    IoThreads io;
    HttpServer server(io.ioc, ephemeral(), test_router());
    server.start();
    Client client(server.port());
    const auto a = client.request(bhttp::verb::get, "/missing");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->result_int(), 404U);
    EXPECT_EQ(nlohmann::json::parse(a->body())["error"], "not_found");
    const auto b = client.request(bhttp::verb::post, "/api/feeds");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->result_int(), 405U);
    EXPECT_EQ((*b)[bhttp::field::allow], "GET, HEAD");
    const auto c = client.request(bhttp::verb::get, "/text");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->body(), "hello");
    EXPECT_EQ((*c)["Content-Security-Policy"], ""); // only JSON carries the CSP
    EXPECT_EQ((*c)["X-Content-Type-Options"], "nosniff");
}

TEST(HttpServer, answers_head_with_headers_only) {
    IoThreads io;
    HttpServer server(io.ioc, ephemeral(), test_router());
    server.start();
    Client client(server.port());
    const auto get = client.request(bhttp::verb::get, "/api/feeds");
    ASSERT_TRUE(get);
    const auto head = client.request(bhttp::verb::head, "/api/feeds");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->result_int(), 200U);
    EXPECT_EQ((*head)[bhttp::field::content_length], std::to_string(get->body().size()));
    EXPECT_TRUE(head->body().empty());
    // No stray body bytes: the next response on the connection parses.
    const auto again = client.request(bhttp::verb::get, "/text");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->body(), "hello");
}

TEST(HttpServer, sends_a_response_given_later_from_another_thread) {
    IoThreads io;
    LaterResponders later;
    HttpServer server(io.ioc, ephemeral(), test_router(&later));
    server.start();
    Client client(server.port());
    const auto r = client.request(bhttp::verb::get, "/later");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200U);
    EXPECT_EQ(nlohmann::json::parse(r->body())["later"], true);
}

TEST(HttpServer, answers_500_when_a_handler_throws_or_never_responds) {
    IoThreads io;
    HttpServer server(io.ioc, ephemeral(), test_router());
    server.start();
    Client client(server.port());
    for (const char* target : {"/throws", "/never"}) {
        const auto r = client.request(bhttp::verb::get, target);
        ASSERT_TRUE(r) << target;
        EXPECT_EQ(r->result_int(), 500U) << target;
        EXPECT_EQ(nlohmann::json::parse(r->body())["error"], "internal");
    }
}

TEST(HttpServer, answers_a_malformed_request_with_400_and_closes) {
    IoThreads io;
    HttpServer server(io.ioc, ephemeral(), test_router());
    server.start();
    {
        Client client(server.port());
        const std::string reply = client.raw("GARBAGE\r\n\r\n");
        EXPECT_TRUE(reply.starts_with("HTTP/1.1 400 ")) << reply;
        EXPECT_NE(reply.find("\"bad_request\""), std::string::npos) << reply;
    }
    {
        Client client(server.port());
        const std::string reply = client.raw("GET http://example.com/ HTTP/1.1\r\nHost: x\r\n\r\n");
        EXPECT_TRUE(reply.starts_with("HTTP/1.1 400 ")) << reply;
    }
}

TEST(HttpServer, answers_an_oversized_body_with_413) {
    IoThreads io;
    HttpConfig config = ephemeral();
    config.max_body_bytes = 1024;
    HttpServer server(io.ioc, config, test_router());
    server.start();
    Client client(server.port());
    const std::string reply =
        client.raw("POST /api/feeds HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" +
                   std::string(5000, 'x'));
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 413 ")) << reply;
}

TEST(HttpServer, closes_an_idle_connection) {
    IoThreads io;
    HttpConfig config = ephemeral();
    config.idle_timeout = std::chrono::seconds(1);
    HttpServer server(io.ioc, config, test_router());
    server.start();
    Client client(server.port());
    EXPECT_TRUE(client.closed_by_server());
}

TEST(HttpServer, stop_closes_open_connections) {
    IoThreads io;
    HttpServer server(io.ioc, ephemeral(), test_router());
    server.start();
    Client client(server.port());
    ASSERT_TRUE(client.request(bhttp::verb::get, "/text"));
    server.stop();
    EXPECT_TRUE(client.closed_by_server());
}

TEST(HttpServer, start_throws_when_the_port_is_taken) {
    IoThreads io;
    HttpServer first(io.ioc, ephemeral(), test_router());
    first.start();
    HttpConfig config;
    config.port = first.port();
    HttpServer second(io.ioc, config, test_router());
    try {
        second.start();
        FAIL() << "start() did not throw";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), std::errc::address_in_use);
        EXPECT_NE(std::string(e.what()).find("cannot listen on 127.0.0.1:"), std::string::npos)
            << e.what();
    }
}

// ---- streamed file bodies (http::BodyFile)
// -------------------------------------------------------

/// A file of `size` bytes of a repeating, position-dependent pattern, in the temp folder.
std::filesystem::path pattern_file(const std::string& name, std::size_t size) {
    const auto path =
        std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".bin");
    std::ofstream out(path, std::ios::binary);
    std::string piece(1 << 16, '\0');
    for (std::size_t done = 0; done < size;) {
        const std::size_t n = std::min(piece.size(), size - done);
        for (std::size_t i = 0; i < n; ++i) {
            piece[i] = static_cast<char>('a' + ((done + i) * 7 + (done + i) / 4093) % 26);
        }
        out.write(piece.data(), static_cast<std::streamsize>(n));
        done += n;
    }
    return path;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// Serves GET /file from `path` (kept) and GET /temp from a copy that the response removes.
Router file_router(const std::filesystem::path& path, const std::filesystem::path& temp) {
    const Access open{.public_route = true};
    Router r;
    r.add("GET", "/file", open, [path](const Request&, const RequestContext&, Responder respond) {
        Response out{200, "application/octet-stream", "ignored when a file is set", {}};
        out.file = std::make_shared<const BodyFile>(path, false);
        respond(std::move(out));
    });
    r.add("GET", "/temp", open, [temp](const Request&, const RequestContext&, Responder respond) {
        Response out{200, "application/octet-stream", {}, {}};
        out.file = std::make_shared<const BodyFile>(temp, true);
        respond(std::move(out));
    });
    r.add("GET", "/missing", open,
          [path](const Request&, const RequestContext&, Responder respond) {
              Response out{200, "application/octet-stream", {}, {}};
              out.file = std::make_shared<const BodyFile>(path.string() + ".gone", false);
              respond(std::move(out));
          });
    return r;
}

TEST(HttpServer, streams_a_file_body_whole_with_its_length_and_removes_a_temporary_file) {
    const std::size_t size = 24U << 20U; // 24 MiB: many times the 4 KiB pieces and socket buffers
    const auto path = pattern_file("sahil-body", size);
    const auto temp = pattern_file("sahil-body-temp", 100'003);
    const std::string expected = read_file(path);
    IoThreads io;
    HttpServer server(io.ioc, ephemeral(), file_router(path, temp));
    server.start();
    Client client(server.port());
    const auto r = client.request(bhttp::verb::get, "/file");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200U);
    EXPECT_EQ((*r)[bhttp::field::content_length], std::to_string(size));
    EXPECT_EQ((*r)[bhttp::field::content_type], "application/octet-stream");
    EXPECT_EQ((*r)["X-Content-Type-Options"], "nosniff");
    ASSERT_EQ(r->body().size(), size);
    EXPECT_TRUE(r->body() == expected);         // byte for byte (not printed: 24 MiB)
    EXPECT_TRUE(std::filesystem::exists(path)); // not asked to remove it

    // HEAD: the length of the GET, no body; the connection stays usable.
    const auto head = client.request(bhttp::verb::head, "/file");
    ASSERT_TRUE(head);
    EXPECT_EQ((*head)[bhttp::field::content_length], std::to_string(size));
    EXPECT_TRUE(head->body().empty());

    const std::string temp_bytes = read_file(temp);
    const auto t = client.request(bhttp::verb::get, "/temp");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->body(), temp_bytes);
    // Removed once sent (the session releases it before reading the next request).
    ASSERT_TRUE(client.request(bhttp::verb::get, "/text"));
    EXPECT_FALSE(std::filesystem::exists(temp));

    // A file gone before it could be sent: a 500, not a crash or a hang.
    const auto missing = client.request(bhttp::verb::get, "/missing");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->result_int(), 500U);
    EXPECT_EQ(nlohmann::json::parse(missing->body())["error"], "internal");
    std::filesystem::remove(path);
}

TEST(HttpServer, a_download_longer_than_the_idle_timeout_goes_on_while_the_client_reads) {
    // 16 MiB read at about 4 MiB per 0.5 s: ~2 s in all, twice the 1 s idle timeout, but the
    // connection is never idle for long. The timeout applies to each piece, not to the transfer.
    const std::size_t size = 16U << 20U;
    const auto path = pattern_file("sahil-slow", size);
    IoThreads io;
    HttpConfig config = ephemeral();
    config.idle_timeout = std::chrono::seconds(1);
    HttpServer server(io.ioc, config, file_router(path, path.string() + ".unused"));
    server.start();
    boost::asio::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), server.port()));
    socket.set_option(boost::asio::socket_base::receive_buffer_size(64 * 1024));
    const std::string request = "GET /file HTTP/1.1\r\nHost: x\r\n\r\n";
    boost::asio::write(socket, boost::asio::buffer(request));
    std::string received;
    std::vector<char> buf(64 * 1024);
    std::size_t since_pause = 0;
    const auto start = std::chrono::steady_clock::now();
    for (;;) {
        beast::error_code ec;
        const std::size_t n = socket.read_some(boost::asio::buffer(buf), ec);
        received.append(buf.data(), n);
        since_pause += n;
        const auto header_end = received.find("\r\n\r\n");
        if (ec || (header_end != std::string::npos && received.size() - header_end - 4 >= size)) {
            break;
        }
        if (since_pause >= (4U << 20U)) {
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            since_pause = 0;
        }
    }
    const auto took = std::chrono::steady_clock::now() - start;
    const auto header_end = received.find("\r\n\r\n");
    ASSERT_NE(header_end, std::string::npos);
    EXPECT_TRUE(received.starts_with("HTTP/1.1 200 "));
    EXPECT_EQ(received.size() - header_end - 4, size) << "the download was cut short";
    EXPECT_TRUE(received.substr(header_end + 4) == read_file(path));
    EXPECT_GT(took, std::chrono::milliseconds(1500)); // it did outlast the idle timeout
    std::filesystem::remove(path);
}

} // namespace
} // namespace sahil::http
