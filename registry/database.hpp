// Registry database: one SQLite connection to registry.db, configured and migrated on open.
//
// registry.db is small and precious (registry, alerts, later accounts and audit; DESIGN.md
// "Decisions"). Opening it read-write sets the connection up the same way every time:
//   PRAGMA journal_mode=WAL   (files only; persistent, so readers never block the writer)
//   PRAGMA foreign_keys=ON    (per connection)
//   busy_timeout 5000 ms      (wait for another process's write lock instead of failing)
//   PRAGMA synchronous=NORMAL (safe with WAL: a power cut can lose the last commits, never
//                              corrupt the file)
// and then applies every migration newer than the file's `PRAGMA user_version` (migrations.hpp).
// Example: `Database db{"/var/lib/sahil/registry.db"};  BoatStore boats{db};`
//
// Thread-safety: a Database (one SQLite connection) is used from one thread at a time; give each
// thread or strand its own. Keep one writing connection per file (DESIGN.md build notes: Debian's
// SQLite predates the WAL-reset fix).
#pragma once

#include <span>
#include <string>

#include <SQLiteCpp/Database.h>

#include "registry/migrations.hpp"
#include "registry/registry_error.hpp"

namespace sahil::registry {

/// How Database opens its file.
enum class OpenMode {
    read_write, ///< Create the file if missing, configure WAL, migrate to the latest schema.
    read_only,  ///< Open an existing file without writing; the schema must already be current.
};

/// Owner of the SQLite connection to registry.db. Valid from construction: a constructed
/// Database is open, configured and at latest_schema_version(). Not copyable or movable, so that
/// stores can hold a reference to it.
class Database {
public:
    /// Opens (creating if needed, in read_write mode) the database at `path`; ":memory:" gives a
    /// private in-memory database (no WAL). In read_write mode migrates to the latest schema; in
    /// read_only mode only checks that the schema is the latest.
    /// @throws RegistryError kind sqlite (cannot open: SQLITE_CANTOPEN 14; not a database:
    ///         SQLITE_NOTADB 26; a migration failed: its code, nothing of that step applied),
    ///         schema_too_new (file written by a newer build), schema_too_old (read_only on a
    ///         file that needs migrating), journal_mode (the file system refused WAL).
    explicit Database(const std::string& path, OpenMode mode = OpenMode::read_write);

    /// As above with an explicit migration list instead of migrations(). For tests and tools
    /// (e.g. building an old-version file); the list must be consecutive from version 1 and is
    /// only used during construction.
    Database(const std::string& path, OpenMode mode, std::span<const Migration> migration_list);

    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    Database(Database&&) = delete;
    Database& operator=(Database&&) = delete;
    ~Database() = default;

    /// The underlying SQLiteCpp connection, for stores in this and later layers. SQLiteCpp throws
    /// SQLite::Exception; callers outside registry/ convert it to their own errors.
    [[nodiscard]] SQLite::Database& handle() noexcept { return m_db; }
    /// Read-only access to the connection.
    [[nodiscard]] const SQLite::Database& handle() const noexcept { return m_db; }

    /// The file's current `PRAGMA user_version`, read from the database.
    /// @throws RegistryError on a SQLite failure.
    [[nodiscard]] int schema_version() const;

    /// The schema version this build migrates to (the last entry of migrations()).
    [[nodiscard]] static int latest_schema_version() noexcept;

    /// The path given to the constructor.
    [[nodiscard]] const std::string& path() const noexcept { return m_path; }
    /// The mode given to the constructor.
    [[nodiscard]] OpenMode mode() const noexcept { return m_mode; }

private:
    void register_functions();
    void configure_writer();
    void migrate(std::span<const Migration> migration_list);
    void apply(const Migration& migration, int latest);
    void check_current(int latest) const;
    [[nodiscard]] std::string context() const;

    std::string m_path;
    OpenMode m_mode;
    SQLite::Database m_db;
};

} // namespace sahil::registry
