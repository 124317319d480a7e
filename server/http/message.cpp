#include "server/http/message.hpp"

namespace sahil::http {

Response json_response(const nlohmann::json& body, unsigned status) {
    Response r;
    r.status = status;
    // Untrusted strings (ship names from the air) may hold invalid UTF-8: replace, never throw.
    r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

Response json_error(unsigned status, std::string_view code, std::string_view message) {
    return json_response({{"error", code}, {"message", message}}, status);
}

} // namespace sahil::http
