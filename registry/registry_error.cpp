#include "registry/registry_error.hpp"

#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>

namespace sahil::registry {

RegistryError::RegistryError(Kind kind, const std::string& message, int sqlite_code,
                             int extended_code)
    : std::runtime_error(message), m_kind(kind), m_sqlite_code(sqlite_code),
      m_extended_code(extended_code) {}

RegistryError RegistryError::from_sqlite(const SQLite::Exception& error, std::string_view context) {
    const int extended = error.getExtendedErrorCode();
    int primary = error.getErrorCode();
    // SQLiteCpp passes through whatever the failing call returned, which is the extended code
    // when extended result codes are enabled; the primary code is always its low byte.
    if (primary > 0) {
        primary &= 0xff;
    }
    return RegistryError(Kind::sqlite,
                         fmt::format("{}: {} (SQLite code {}, extended {})", context, error.what(),
                                     primary, extended),
                         primary, extended);
}

std::string_view to_string(RegistryError::Kind kind) noexcept {
    switch (kind) {
    case RegistryError::Kind::sqlite:
        return "sqlite";
    case RegistryError::Kind::schema_too_new:
        return "schema_too_new";
    case RegistryError::Kind::schema_too_old:
        return "schema_too_old";
    case RegistryError::Kind::journal_mode:
        return "journal_mode";
    case RegistryError::Kind::corrupt_row:
        return "corrupt_row";
    }
    return "unknown";
}

} // namespace sahil::registry

#include "registry/outcome.hpp"

namespace sahil::registry {

std::string_view to_string(ErrorCode code) noexcept {
    switch (code) {
    case ErrorCode::none:
        return "ok";
    case ErrorCode::validation_failed:
        return "validation_failed";
    case ErrorCode::not_found:
        return "not_found";
    case ErrorCode::duplicate:
        return "duplicate";
    case ErrorCode::wrong_state:
        return "wrong_state";
    case ErrorCode::forbidden:
        return "forbidden";
    case ErrorCode::pii_unavailable:
        return "pii_unavailable";
    }
    return "unknown";
}

} // namespace sahil::registry
