// Maps (method, exact path) to a Handler, with Sahil's error responses.
//
// `router.add("GET", "/api/feeds", [&](const Request&, Responder respond) {
//      respond(json_response(feeds_json())); });`
// Unknown path -> 404 `{"error":"not_found",...}`; known path, other method -> 405 with an Allow
// header; a handler that throws -> 500 `{"error":"internal",...}` (the exception text is not
// sent; it goes to on_exception). HEAD is answered by the GET handler when there is no HEAD
// handler (the session drops the body).
// Data path: HttpSession -> Router::dispatch -> Handler.
//
// Thread-safety: add() before the server starts; dispatch() is const and may run concurrently.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "server/http/message.hpp"

namespace sahil::http {

/// Exact-path request router.
class Router {
public:
    /// Registers a handler.
    /// @param method e.g. "GET" (case-sensitive)
    /// @param path exact path starting with '/', e.g. "/api/feeds"
    /// @throws std::invalid_argument for an empty method, a path not starting with '/', an empty
    ///         handler, or a (method, path) pair registered twice.
    void add(std::string method, std::string path, Handler handler);

    /// Routes one request; `respond` is called exactly once (possibly later, by the handler).
    /// Never throws: handler exceptions become 500.
    void dispatch(const Request& request, Responder respond) const;

    /// Methods allowed on a path, e.g. "GET, HEAD"; empty when the path is unknown.
    [[nodiscard]] std::string allowed_methods(std::string_view path) const;

    /// Told about each exception a handler threw (for the log); may be empty. Must not throw.
    std::function<void(const Request& request, const std::string& what)> on_exception;

private:
    std::map<std::string, std::map<std::string, Handler>, std::less<>> m_routes; // path -> method
};

} // namespace sahil::http
