#include "server/http/http_session.hpp"

#include <array>
#include <atomic>
#include <exception>
#include <string>

#include <boost/beast/websocket/rfc6455.hpp>

#include "server/http/target.hpp"
#include "server/http/websocket_session.hpp"

namespace sahil::http::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

constexpr std::uint32_t max_header_bytes = 8 * 1024;
constexpr std::chrono::seconds linger_time{2};

bool is_http_parse_error(const beast::error_code& ec) {
    return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

/// A header we may copy into a response: no CR, LF or NUL (no response splitting).
bool safe_header(std::string_view name, std::string_view value) {
    const auto bad = [](std::string_view s) {
        return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
    };
    return !name.empty() && !bad(name) && !bad(value);
}

} // namespace

/// Shared by all copies of one Responder: the first call wins; no call at all gives a 500.
struct HttpSession::PendingReply {
    explicit PendingReply(std::shared_ptr<HttpSession> s) : session(std::move(s)) {}
    PendingReply(const PendingReply&) = delete;
    PendingReply& operator=(const PendingReply&) = delete;
    ~PendingReply() {
        try {
            reply(json_error(500, "internal", "the request handler did not respond"));
        } catch (...) { // NOLINT(bugprone-empty-catch): out of memory; the idle timeout closes
        }
    }
    void reply(Response r) {
        if (done.exchange(true)) {
            return;
        }
        auto s = session;
        boost::asio::post(s->m_stream.get_executor(), [s, r = std::move(r)]() mutable {
            try {
                s->send(std::move(r));
            } catch (...) {
                s->close();
            }
        });
    }
    std::shared_ptr<HttpSession> session;
    std::atomic<bool> done{false};
};

HttpSession::HttpSession(boost::asio::ip::tcp::socket socket,
                         std::shared_ptr<ServerContext> context, std::uint64_t id)
    : m_stream(std::move(socket)), m_context(std::move(context)), m_id(id) {}

void HttpSession::start() {
    boost::asio::post(m_stream.get_executor(), [self = shared_from_this()] { self->read(); });
}

void HttpSession::stop() {
    boost::asio::post(m_stream.get_executor(), [self = shared_from_this()] { self->close(); });
}

void HttpSession::read() {
    if (m_closed) {
        return;
    }
    m_parser.emplace();
    m_parser->body_limit(m_context->config.max_body_bytes);
    m_parser->header_limit(max_header_bytes);
    m_stream.expires_after(m_context->config.idle_timeout);
    bhttp::async_read(m_stream, m_buffer, *m_parser,
                      [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                          try {
                              self->on_read(ec);
                          } catch (...) {
                              self->close();
                          }
                      });
}

void HttpSession::on_read(const beast::error_code& ec) {
    if (m_closed) {
        return;
    }
    if (ec) {
        // A client that closes or goes quiet, or a half-sent request, gets no answer.
        if (is_http_parse_error(ec) && ec != bhttp::error::end_of_stream &&
            ec != bhttp::error::partial_message) {
            send_error(ec);
        } else {
            close();
        }
        return;
    }
    handle_request();
}

void HttpSession::handle_request() {
    auto& req = m_parser->get();
    m_version = req.version();
    m_keep_alive = req.keep_alive();
    m_head = req.method() == bhttp::verb::head;
    m_error_reply = false;
    auto target = parse_target(std::string_view(req.target().data(), req.target().size()));
    if (!target) {
        m_keep_alive = false;
        m_error_reply = true;
        write(json_error(400, "bad_request", "malformed request target"), false, m_head);
        return;
    }
    if (target->repeated_key) {
        // The key is the client's text: cut and kept to printable ASCII (JSON escapes the rest).
        std::string key = target->repeated_key->substr(0, 64);
        for (char& c : key) {
            if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) {
                c = '?';
            }
        }
        m_error_reply = true;
        write(
            json_error(400, "bad_request", "query parameter '" + key + "' is given more than once"),
            false, m_head);
        return;
    }
    Request request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.path = std::move(target->path);
    request.query = std::move(target->query);
    request.headers.reserve(static_cast<std::size_t>(std::distance(req.begin(), req.end())));
    for (const auto& field : req) {
        request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(req.body());
    beast::error_code ec;
    const auto peer = m_stream.socket().remote_endpoint(ec);
    if (!ec) {
        request.remote_address = peer.address().to_string();
    }
    ConnectionTaker take;
    if (beast::websocket::is_upgrade(req)) {
        take = make_taker(bhttp::request<bhttp::empty_body>(bhttp::request_header<>(req.base())));
    }
    m_parser.reset(); // the request is moved out; free the parser
    m_dispatching = true;
    try {
        m_context->router.dispatch(std::move(request), make_responder(), std::move(take));
    } catch (...) { // NOLINT(bugprone-empty-catch)
        // dispatch does not throw; if it ever does, the dropped Responder answers 500.
    }
    m_dispatching = false;
}

ConnectionTaker HttpSession::make_taker(bhttp::request<bhttp::empty_body> header) {
    auto shared = std::make_shared<bhttp::request<bhttp::empty_body>>(std::move(header));
    return [self = shared_from_this(), shared]() -> std::unique_ptr<UpgradedConnection> {
        // Only while the handler runs (on this strand): afterwards the session reads again.
        if (!self->m_dispatching || self->m_closed) {
            return nullptr;
        }
        // The connection leaves the session: no more reads, writes or replies here (a reply
        // still posted by the dropped Responder finds m_closed); HttpServer::stop() no longer
        // reaches it, its new owner closes it.
        self->m_closed = true;
        {
            const std::lock_guard lock(self->m_context->mutex);
            self->m_context->sessions.erase(self->m_id);
        }
        return std::make_unique<UpgradedConnection>(
            UpgradedConnection{self->m_stream.release_socket(), std::move(*shared)});
    };
}

Responder HttpSession::make_responder() {
    auto pending = std::make_shared<PendingReply>(shared_from_this());
    return [pending](Response r) { pending->reply(std::move(r)); };
}

void HttpSession::send(Response response) {
    if (m_closed) {
        return;
    }
    write(std::move(response), m_keep_alive, m_head);
}

void HttpSession::send_error(const beast::error_code& ec) {
    m_version = 11;
    m_head = false;
    m_keep_alive = false;
    m_error_reply = true;
    if (ec == bhttp::error::body_limit) {
        write(json_error(413, "payload_too_large",
                         "request body over " + std::to_string(m_context->config.max_body_bytes) +
                             " bytes"),
              false, false);
    } else if (ec == bhttp::error::header_limit) {
        write(json_error(431, "header_too_large", "request header fields too large"), false, false);
    } else {
        write(json_error(400, "bad_request", "malformed HTTP request: " + ec.message()), false,
              false);
    }
}

namespace {

/// The headers of `response` that every Sahil response carries, set on a Beast message.
template <class Message>
void set_headers(Message& m, const Response& response, unsigned version, unsigned status,
                 bool keep_alive) {
    m.version(version);
    m.result(status);
    m.set(bhttp::field::server, "sahil");
    m.set(bhttp::field::cache_control, "no-store");
    m.set("X-Content-Type-Options", "nosniff");
    m.set(bhttp::field::content_type, response.content_type);
    if (response.content_type.starts_with("application/json")) {
        m.set("Content-Security-Policy", "default-src 'none'");
    }
    for (const auto& [name, value] : response.headers) {
        if (safe_header(name, value)) {
            m.set(name, value);
        }
    }
    m.keep_alive(keep_alive);
}

} // namespace

void HttpSession::write(Response&& response, bool keep_alive, bool head) {
    const unsigned status =
        response.status >= 100 && response.status <= 599 ? response.status : 500U;
    if (response.file) {
        write_file(std::move(response), status, keep_alive, head);
        return;
    }
    m_response = BeastResponse{};
    set_headers(m_response, response, m_version, status, keep_alive);
    m_response.body() = std::move(response.body);
    m_response.prepare_payload();
    if (head) {
        m_response.body().clear(); // Content-Length stays that of the GET response
    }
    m_stream.expires_after(m_context->config.idle_timeout);
    bhttp::async_write(
        m_stream, m_response,
        [self = shared_from_this(), keep_alive](const beast::error_code& ec, std::size_t) {
            try {
                self->on_write(ec, keep_alive);
            } catch (...) {
                self->close();
            }
        });
}

void HttpSession::write_file(Response&& response, unsigned status, bool keep_alive, bool head) {
    m_file = std::move(response.file);
    m_file_response.emplace();
    beast::error_code ec;
    m_file_response->body().open(m_file->path().c_str(), beast::file_mode::scan, ec);
    if (ec) {
        m_file_response.reset();
        m_file.reset();
        write(json_error(500, "internal", "the response file could not be opened"), keep_alive,
              head);
        return;
    }
    set_headers(*m_file_response, response, m_version, status, keep_alive);
    m_file_response->prepare_payload(); // Content-Length: the file's size
    m_file_serializer.emplace(*m_file_response);
    if (head) {
        m_stream.expires_after(m_context->config.idle_timeout);
        bhttp::async_write_header(
            m_stream, *m_file_serializer,
            [self = shared_from_this(), keep_alive](const beast::error_code& e, std::size_t) {
                self->file_sent();
                try {
                    self->on_write(e, keep_alive);
                } catch (...) {
                    self->close();
                }
            });
        return;
    }
    write_file_piece(keep_alive);
}

void HttpSession::write_file_piece(bool keep_alive) {
    // The idle timeout applies to each piece: a download of any size goes on while the client
    // keeps reading, and stops when it stalls.
    m_stream.expires_after(m_context->config.idle_timeout);
    bhttp::async_write_some(
        m_stream, *m_file_serializer,
        [self = shared_from_this(), keep_alive](const beast::error_code& ec, std::size_t) {
            try {
                if (!ec && !self->m_closed && !self->m_file_serializer->is_done()) {
                    self->write_file_piece(keep_alive);
                    return;
                }
                self->file_sent();
                self->on_write(ec, keep_alive);
            } catch (...) {
                self->file_sent();
                self->close();
            }
        });
}

void HttpSession::file_sent() {
    m_file_serializer.reset();
    m_file_response.reset(); // closes the file
    m_file.reset();          // a temporary file is removed once nothing holds it
}

void HttpSession::on_write(const beast::error_code& ec, bool keep_alive) {
    if (ec || m_closed) {
        close();
        return;
    }
    if (!keep_alive) {
        if (m_error_reply) {
            linger();
            return;
        }
        beast::error_code ignored;
        m_stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
        close();
        return;
    }
    read();
}

void HttpSession::linger() {
    beast::error_code ignored;
    m_stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
    m_stream.expires_after(linger_time); // one deadline for the whole drain
    drain(std::make_shared<std::array<char, 4096>>());
}

void HttpSession::drain(std::shared_ptr<std::array<char, 4096>> buffer) {
    auto& b = *buffer;
    m_stream.async_read_some(boost::asio::buffer(b),
                             [self = shared_from_this(), buffer = std::move(buffer)](
                                 const beast::error_code& ec, std::size_t) mutable {
                                 if (ec || self->m_closed) {
                                     self->close();
                                 } else {
                                     self->drain(std::move(buffer));
                                 }
                             });
}

void HttpSession::close() {
    if (m_closed) {
        return;
    }
    m_closed = true;
    beast::error_code ignored;
    m_stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    m_stream.close();
    const std::lock_guard lock(m_context->mutex);
    m_context->sessions.erase(m_id);
}

} // namespace sahil::http::detail
