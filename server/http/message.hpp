// HTTP request and response as Sahil's route handlers see them (no Beast types).
//
// `GET /api/feeds?kind=tcp%20client` -> Request{method "GET", target "/api/feeds?kind=...",
// path "/api/feeds", query {{"kind", "tcp client"}}}; a handler answers with
// Response{200, "application/json", R"({"feeds":[]})"} through its Responder, now or later.
// Data path: HttpSession (Beast) -> Router -> Handler -> Responder -> HttpSession.
//
// Thread-safety: plain values; a Responder may be called from any thread, once (later calls are
// ignored). If every copy of a Responder is destroyed without a call, the client gets a 500.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace sahil::http {

/// One parsed HTTP request.
struct Request {
    std::string method; ///< as sent, e.g. "GET", "HEAD" (case-sensitive, RFC 9110 §9.1)
    std::string target; ///< request-target as sent, e.g. "/api/feeds?x=1"
    std::string path;   ///< target up to '?', not decoded, e.g. "/api/feeds"
    std::map<std::string, std::string>
        query; ///< percent-decoded ('+' = space); a repeated key keeps its last value
};

/// One response. Headers Sahil adds to every response (Server, Cache-Control,
/// X-Content-Type-Options, Content-Security-Policy for JSON) need not be set here.
struct Response {
    unsigned status = 200;                         ///< HTTP status code 100..599
    std::string content_type = "application/json"; ///< Content-Type header value
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; ///< extra headers (e.g. Allow)
};

/// Delivers a handler's response; call once, from any thread.
using Responder = std::function<void(Response)>;

/// Handles one request; may call the responder before returning or later from another thread.
/// An exception it throws (before responding) becomes a 500 `{"error":"internal"}`.
using Handler = std::function<void(const Request&, Responder)>;

/// A JSON response with `body.dump()`.
Response json_response(const nlohmann::json& body, unsigned status = 200);

/// The error shape of the API: `{"error":"<code>","message":"<text>"}` with `status`.
/// `code` is a stable machine string ("not_found"), `message` is for people.
Response json_error(unsigned status, std::string_view code, std::string_view message);

} // namespace sahil::http
