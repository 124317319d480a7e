#include "server/http/router.hpp"

#include <atomic>
#include <exception>
#include <memory>
#include <stdexcept>

namespace sahil::http {

void Router::add(std::string method, std::string path, Handler handler) {
    if (method.empty() || path.empty() || path.front() != '/' || !handler) {
        throw std::invalid_argument("Router::add: need a method, a path starting with '/' and a "
                                    "handler (got \"" +
                                    method + " " + path + "\")");
    }
    auto& methods = m_routes[path];
    if (!methods.emplace(method, std::move(handler)).second) {
        throw std::invalid_argument("Router::add: " + method + " " + path + " registered twice");
    }
}

std::string Router::allowed_methods(std::string_view path) const {
    const auto it = m_routes.find(path);
    if (it == m_routes.end()) {
        return {};
    }
    std::string out;
    const bool has_get = it->second.contains("GET");
    for (const auto& [method, handler] : it->second) {
        if (method == "HEAD" && has_get) {
            continue; // listed once, below
        }
        out += (out.empty() ? "" : ", ") + method;
    }
    if (has_get) {
        out += ", HEAD";
    }
    return out;
}

void Router::dispatch(const Request& request, Responder respond) const {
    // The handler may respond and then throw; the client must get exactly one response.
    auto once = std::make_shared<std::atomic<bool>>(false);
    Responder guarded = [once, respond](Response r) {
        if (!once->exchange(true)) {
            respond(std::move(r));
        }
    };
    const auto path_it = m_routes.find(request.path);
    if (path_it == m_routes.end()) {
        guarded(json_error(404, "not_found", "no resource at " + request.path));
        return;
    }
    const auto& methods = path_it->second;
    auto it = methods.find(request.method);
    if (it == methods.end() && request.method == "HEAD") {
        it = methods.find("GET");
    }
    if (it == methods.end()) {
        Response r = json_error(405, "method_not_allowed",
                                request.method + " is not allowed on " + request.path);
        r.headers.emplace_back("Allow", allowed_methods(request.path));
        guarded(std::move(r));
        return;
    }
    std::string what;
    try {
        it->second(request, guarded);
        return;
    } catch (const std::exception& e) {
        what = e.what();
    } catch (...) {
        what = "unknown exception";
    }
    if (on_exception) {
        try {
            on_exception(request, what);
        } catch (...) { // NOLINT(bugprone-empty-catch): the reporter must not break the reply
        }
    }
    guarded(json_error(500, "internal", "internal server error"));
}

} // namespace sahil::http
