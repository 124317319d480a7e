// Registry error: the one exception type of the registry layer.
//
// The registry treats two kinds of failure differently (CONVENTIONS.md, "Errors"):
//  * untrusted input (CSV files, form fields) never throws; it comes back as FieldError/ImportError
//    values from validate(), BoatStore::add() and BoatStore::import_csv();
//  * resource failures (cannot open or migrate the database, disk full, SQLite busy, a row that
//    breaks the schema's own invariants) throw RegistryError, which keeps the SQLite result codes
//    so that main() and the HTTP layer can map them to an exit code or status.
//
// Example: `RegistryError: registry database /var/lib/sahil/registry.db: schema version 7 is
// newer than this build knows (2) [schema_too_new]`.
//
// Thread-safety: a RegistryError is an immutable value; copy it freely between threads.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace SQLite {
class Exception;
} // namespace SQLite

namespace sahil::registry {

/// A failure of the registry database (a resource error, never bad user input).
class RegistryError : public std::runtime_error {
public:
    /// What went wrong, independent of the SQLite code.
    enum class Kind {
        sqlite,         ///< SQLite reported an error; sqlite_code() says which.
        schema_too_new, ///< The file's user_version is newer than this build's migrations.
        schema_too_old, ///< A read-only open found a schema that still needs migrating.
        journal_mode,   ///< SQLite refused `PRAGMA journal_mode=WAL` for this file.
        corrupt_row,    ///< A stored row breaks an invariant the schema should have enforced.
    };

    /// Builds an error. `sqlite_code` is the primary SQLite result code (SQLITE_OK = 0 when the
    /// failure was not reported by SQLite), `extended_code` the extended result code (or the
    /// primary code when there is no extended one).
    RegistryError(Kind kind, const std::string& message, int sqlite_code = 0,
                  int extended_code = 0);

    /// Wraps a SQLiteCpp exception, prefixing its message with `context` (for example
    /// "registry database /srv/registry.db: applying migration 2 (alerts)"). SQLiteCpp reports
    /// -1 for errors it raised itself (bad column index and the like); those are kept as is.
    static RegistryError from_sqlite(const SQLite::Exception& error, std::string_view context);

    /// The category of failure.
    [[nodiscard]] Kind kind() const noexcept { return m_kind; }
    /// Primary SQLite result code (e.g. 5 SQLITE_BUSY, 14 SQLITE_CANTOPEN, 26 SQLITE_NOTADB), 0
    /// when SQLite was not the source, -1 when SQLiteCpp itself raised the error.
    [[nodiscard]] int sqlite_code() const noexcept { return m_sqlite_code; }
    /// Extended SQLite result code (e.g. 2067 SQLITE_CONSTRAINT_UNIQUE); same conventions.
    [[nodiscard]] int extended_code() const noexcept { return m_extended_code; }

private:
    Kind m_kind;
    int m_sqlite_code;
    int m_extended_code;
};

/// Stable machine-readable name of a kind ("sqlite", "schema_too_new", ...), for logs and APIs.
[[nodiscard]] std::string_view to_string(RegistryError::Kind kind) noexcept;

} // namespace sahil::registry
