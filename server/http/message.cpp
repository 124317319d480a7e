#include "server/http/message.hpp"

namespace sahil::http {
namespace {

bool iequals_ascii(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

std::string_view trim_ows(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

} // namespace

std::optional<std::string_view> Request::header(std::string_view name) const noexcept {
    for (const auto& [n, v] : headers) {
        if (iequals_ascii(n, name)) {
            return std::string_view(v);
        }
    }
    return std::nullopt;
}

std::optional<std::string_view> Request::cookie(std::string_view name) const noexcept {
    for (const auto& [n, v] : headers) {
        if (!iequals_ascii(n, "cookie")) {
            continue;
        }
        std::string_view rest = v;
        while (!rest.empty()) {
            const auto semi = rest.find(';');
            const std::string_view pair = trim_ows(rest.substr(0, semi));
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            const auto eq = pair.find('=');
            if (eq == std::string_view::npos) {
                continue;
            }
            if (trim_ows(pair.substr(0, eq)) == name) {
                std::string_view value = trim_ows(pair.substr(eq + 1));
                if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
                    value = value.substr(1, value.size() - 2);
                }
                return value;
            }
        }
    }
    return std::nullopt;
}

BodyFile::~BodyFile() {
    if (m_remove) {
        std::error_code ignored;
        std::filesystem::remove(m_path, ignored);
    }
}

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
