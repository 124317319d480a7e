// HTTP request and response as Sahil's route handlers see them (no Beast types).
//
// `GET /api/registry/vessels/17?x=1` with `Cookie: sahil_session=...` -> Request{method "GET",
// target "/api/registry/vessels/17?x=1", path "/api/registry/vessels/17", query {{"x", "1"}},
// path_params {{"id", "17"}} (filled by the Router from the pattern
// "/api/registry/vessels/{id}"), headers as sent, body, remote_address "10.1.2.3"}; the
// handler also gets a RequestContext (the authenticated Principal and a request id) and answers
// with Response{200, "application/json", R"({"vessel":{...}})"} through its Responder, now or
// later.
// Data path: HttpSession (Beast) -> Router (authentication, CSRF, authorisation) -> Handler ->
// Responder -> HttpSession.
//
// Everything in a Request is untrusted client input (headers, body, path parameters).
// Thread-safety: plain values; a Responder may be called from any thread, once (later calls are
// ignored). If every copy of a Responder is destroyed without a call, the client gets a 500.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/http/access.hpp"

namespace sahil::http {

/// One parsed HTTP request.
struct Request {
    std::string method; ///< as sent, e.g. "GET", "HEAD" (case-sensitive, RFC 9110 §9.1)
    std::string target; ///< request-target as sent, e.g. "/api/feeds?x=1"
    std::string path;   ///< target up to '?', not decoded, e.g. "/api/feeds"
    std::map<std::string, std::string>
        query; ///< percent-decoded ('+' = space); a repeated key keeps its last value
    /// Header fields in the order received, names as sent (compare with header(), which
    /// ignores ASCII case as RFC 9110 §5.1 asks). A repeated field appears repeatedly.
    std::vector<std::pair<std::string, std::string>> headers{};
    /// The request body as received (at most HttpConfig::max_body_bytes; empty for none).
    std::string body{};
    /// The peer's IP address as text ("127.0.0.1", "::1"); "" when unknown (in-memory tests).
    std::string remote_address{};
    /// Values of the route pattern's `{name}` segments, filled by the Router before
    /// authorisation: "/api/registry/vessels/{id}" on "/api/registry/vessels/17" gives
    /// {{"id", "17"}}. Names ending in "id" match digits only; other values are
    /// percent-decoded.
    std::map<std::string, std::string> path_params{};

    /// The value of the first header field named `name` (ASCII case ignored), or std::nullopt.
    /// The view points into `headers`.
    [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const noexcept;

    /// The value of cookie `name` from the Cookie header fields (RFC 6265 §5.4: "a=1; b=2"),
    /// or std::nullopt. Cookie names are case-sensitive. The view points into `headers`.
    [[nodiscard]] std::optional<std::string_view> cookie(std::string_view name) const noexcept;
};

/// What the Router learnt about a request before running its handler.
struct RequestContext {
    /// The authenticated caller; empty on public routes when nobody is signed in (on other
    /// routes the Router answers 401 before a handler runs).
    std::optional<Principal> principal{};
    /// Short id of this request ("r5f3a-000017"), also sent back as the X-Request-Id header,
    /// recorded in audit rows and log lines so that they can be matched.
    std::string request_id{};
    /// The pattern of the route that matched, e.g. "/api/admin/users/{id}/disable".
    std::string route{};
};

/// A file on disk sent as a response body in place of Response::body, for downloads too large to
/// hold in memory (track exports: up to ~1.4 GB). The session streams it in 4 KiB pieces
/// (Beast's file_body) with the idle timeout applied to each piece, not to the whole transfer.
/// Content-Length is the file's size when the response is written. With `remove_when_done` the
/// file is deleted when the last copy of the Response holding it is gone: after it was sent,
/// when the client went away, or when the response was never sent. A file that cannot be opened
/// when the response is written gives the client a 500 `{"error":"internal"}`.
class BodyFile {
public:
    /// @param path the file to send (it must exist until the response is written)
    /// @param remove_when_done delete `path` in the destructor (errors ignored)
    BodyFile(std::filesystem::path path, bool remove_when_done)
        : m_path(std::move(path)), m_remove(remove_when_done) {}
    ~BodyFile();
    BodyFile(const BodyFile&) = delete;
    BodyFile& operator=(const BodyFile&) = delete;
    BodyFile(BodyFile&&) = delete;
    BodyFile& operator=(BodyFile&&) = delete;
    /// The file sent.
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }

private:
    std::filesystem::path m_path;
    bool m_remove;
};

/// One response. Headers Sahil adds to every response (Server, Cache-Control: no-store,
/// X-Content-Type-Options, Content-Security-Policy for JSON by the session; X-Request-Id by the
/// Router) need not be set here.
struct Response {
    unsigned status = 200;                                    ///< HTTP status code 100..599
    std::string content_type = "application/json";            ///< Content-Type header value
    std::string body;                                         ///< the body, unless `file` is set
    std::vector<std::pair<std::string, std::string>> headers; ///< extra headers (e.g. Allow)
    /// When set, the body is this file's content (streamed) and `body` is ignored.
    std::shared_ptr<const BodyFile> file{};
};

/// Delivers a handler's response; call once, from any thread.
using Responder = std::function<void(Response)>;

/// Handles one request; may call the responder before returning or later from another thread.
/// Runs only after the Router has authenticated and authorised the request (see router.hpp).
/// An exception it throws (before responding) becomes a 500 `{"error":"internal"}`.
using Handler = std::function<void(const Request&, const RequestContext&, Responder)>;

/// A JSON response with `body.dump()`.
Response json_response(const nlohmann::json& body, unsigned status = 200);

/// The error shape of the API: `{"error":"<code>","message":"<text>"}` with `status`.
/// `code` is a stable machine string ("not_found"), `message` is for people.
Response json_error(unsigned status, std::string_view code, std::string_view message);

} // namespace sahil::http
