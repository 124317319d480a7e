// Outcome of a registry operation on untrusted input: a value, or an error code with the fields
// at fault. The codes are stable machine names shared by the CLI and the HTTP API (docs/api.md
// maps each to an HTTP status); messages are plain language a fisheries clerk can act on and
// name the field, e.g. `{code: validation_failed, errors: [{"owners[0].cnic", "CNIC must be 13
// digits, e.g. 42101-1234567-3"}]}`.
//
// Database failures are not outcomes: they throw RegistryError (registry_error.hpp).
//
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "registry/validation.hpp"

namespace sahil::registry {

/// Why an operation was refused. Stable: clients switch on to_string() of these.
enum class ErrorCode {
    none,              ///< No error (the operation succeeded).
    validation_failed, ///< One or more fields are invalid; see the field errors.
    not_found,         ///< The vessel, party, licence ... named does not exist.
    duplicate,         ///< The value is already held by another record (named in the message).
    wrong_state,       ///< Not allowed in the record's current state (e.g. reinstate an
                       ///< active licence, renew a revoked one).
    forbidden,         ///< The actor's role or harbour does not allow this (HTTP layer).
    pii_unavailable,   ///< Personal data was given or asked for, but no PII key is configured.
};

/// Stable machine name: "validation_failed", "not_found", "duplicate", "wrong_state",
/// "forbidden", "pii_unavailable"; "ok" for none.
[[nodiscard]] std::string_view to_string(ErrorCode code) noexcept;

/// A value of type T, or the reason there is none.
template <class T> struct Outcome {
    std::optional<T> value{};        ///< Present when ok().
    ErrorCode code = ErrorCode::none; ///< none when ok().
    std::vector<FieldError> errors{}; ///< Fields at fault (at least one unless ok()).

    /// True when the operation succeeded.
    [[nodiscard]] bool ok() const noexcept { return code == ErrorCode::none; }

    /// A successful outcome.
    static Outcome success(T v) {
        Outcome o;
        o.value = std::move(v);
        return o;
    }
    /// A failure with one field error.
    static Outcome failure(ErrorCode c, std::string field, std::string message) {
        Outcome o;
        o.code = c;
        o.errors.push_back({std::move(field), std::move(message)});
        return o;
    }
    /// A failure with several field errors (validation_failed when `errors` is not empty).
    static Outcome failure(ErrorCode c, std::vector<FieldError> errors) {
        Outcome o;
        o.code = c;
        o.errors = std::move(errors);
        return o;
    }
    /// The same failure carried over to another value type.
    template <class U> static Outcome from(const Outcome<U>& other) {
        Outcome o;
        o.code = other.code;
        o.errors = other.errors;
        return o;
    }
};

/// Value of an Outcome that carries no value.
struct Done {};

} // namespace sahil::registry
