// One HTTP/1.1 connection of the HttpServer (Boost.Beast 1.74): read a request, route it, write
// the response, repeat while keep-alive.
//
// `GET /api/feeds HTTP/1.1` -> Router -> `HTTP/1.1 200 OK` + Sahil's standard headers.
// Malformed requests get 400 and the connection closes; a body over max_body_bytes gets 413 and
// closes; header fields over 8 KiB get 431 and close; an idle connection closes after
// idle_timeout. A handler may respond later from any thread: the response is posted back to
// this session's strand. A WebSocket upgrade request (`Upgrade: websocket`) is dispatched with
// a ConnectionTaker (router.hpp): when an upgrade route's handler calls it, the socket leaves
// this session (which then ends without closing it) for a WebSocketSession.
// Data path: socket -> beast::http::request_parser -> Request -> Router -> Response -> socket.
//
// Thread-safety: everything runs on the session's strand except stop() and the Responder,
// which post to it.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "server/net/asio.hpp"
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "server/http/http_server.hpp"
#include "server/http/message.hpp"
#include "server/http/router.hpp"

namespace sahil::http::detail {

class HttpSession;

/// State shared by an HttpServer's listener and its sessions (outlives both while in use).
struct ServerContext {
    ServerContext(HttpConfig c, Router r) : config(std::move(c)), router(std::move(r)) {}
    const HttpConfig config;
    const Router router;
    std::mutex mutex;
    std::map<std::uint64_t, std::weak_ptr<HttpSession>> sessions; // guarded
    std::uint64_t next_id = 1;                                    // guarded
    bool stopped = false;                                         // guarded
};

/// One accepted connection.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    /// @param socket an accepted socket whose executor is a strand of its own
    HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerContext> context,
                std::uint64_t id);
    /// Starts reading (posts to the strand).
    void start();
    /// Closes the connection (posts to the strand); idempotent.
    void stop();

private:
    using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;
    using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;
    using FileResponse = boost::beast::http::response<boost::beast::http::file_body>;
    using FileSerializer = boost::beast::http::response_serializer<boost::beast::http::file_body>;

    void read();
    void on_read(const boost::beast::error_code& ec);
    void handle_request();
    /// Called on the strand with the handler's response.
    void send(Response response);
    /// Answers a request that could not be parsed and closes afterwards.
    void send_error(const boost::beast::error_code& ec);
    void write(Response&& response, bool keep_alive, bool head);
    void on_write(const boost::beast::error_code& ec, bool keep_alive);
    /// Writes a response whose body is Response::file, piece by piece (write_file_piece).
    void write_file(Response&& response, unsigned status, bool keep_alive, bool head);
    void write_file_piece(bool keep_alive);
    /// Drops the file response and its BodyFile (closing, and removing a temporary file).
    void file_sent();
    /// After an error response: stop sending, drain what the client still sends for a moment
    /// (closing with unread data would reset the connection and lose the response), then close.
    void linger();
    void drain(std::shared_ptr<std::array<char, 4096>> buffer);
    void close();
    /// Makes the Responder handed to the router (posts to the strand; 500 if never called).
    Responder make_responder();
    /// Makes the ConnectionTaker of an upgrade request with this request header.
    ConnectionTaker make_taker(boost::beast::http::request<boost::beast::http::empty_body> header);
    struct PendingReply;

    boost::beast::tcp_stream m_stream;
    std::shared_ptr<ServerContext> m_context;
    std::uint64_t m_id;
    boost::beast::flat_buffer m_buffer;
    std::optional<Parser> m_parser;
    BeastResponse m_response;
    std::shared_ptr<const BodyFile> m_file; ///< the file being sent, held until it is sent
    std::optional<FileResponse> m_file_response;
    std::optional<FileSerializer> m_file_serializer; ///< refers to *m_file_response
    unsigned m_version = 11;                         ///< HTTP version of the request being answered
    bool m_keep_alive = false;                       ///< of the request being answered
    bool m_head = false;                             ///< the request being answered is HEAD
    bool m_error_reply = false; ///< the response being written answers an unparsable request
    bool m_closed = false;
    bool m_dispatching = false; ///< inside Router::dispatch (a ConnectionTaker works only then)
};

} // namespace sahil::http::detail
