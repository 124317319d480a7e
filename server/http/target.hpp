// Request-target parsing: path and percent-decoded query of an origin-form target.
//
// `/api/tracks?mmsi=463012345&from=2024-01-01T00%3A00Z` -> path "/api/tracks",
// query {{"from", "2024-01-01T00:00Z"}, {"mmsi", "463012345"}} (RFC 3986 §3.3-3.4; '+' in the
// query is a space as in HTML form encoding).
// Data path: HttpSession -> parse_target -> Request -> Router.
//
// Thread-safety: pure functions. Untrusted input: returns std::nullopt, never throws (except
// std::bad_alloc).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace sahil::http {

/// Path and query of a target.
struct Target {
    std::string path;                         ///< up to '?' or '#', not decoded
    std::map<std::string, std::string> query; ///< decoded; a repeated key keeps its last value
    /// The first query key given more than once, if any: the server refuses such a request
    /// (400), as one value would silently win (HTTP parameter pollution).
    std::optional<std::string> repeated_key;
};

/// Decodes %XX escapes (and '+' as space when `plus_is_space`). Empty when an escape is
/// truncated or not hex, or decodes to a NUL byte.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

/// Splits an origin-form target ("/path?query"). Empty when it does not start with '/' (absolute
/// or asterisk form) or the query holds a bad escape.
std::optional<Target> parse_target(std::string_view target);

} // namespace sahil::http
