#include "registry/database.hpp"

#include <string_view>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include "registry/identifiers.hpp"

namespace sahil::registry {
namespace {

constexpr int busy_timeout_ms = 5000;

bool is_in_memory(const std::string& path) {
    // "" is SQLite's private temporary database; it lives in memory until it spills to a
    // temp file, and WAL does not apply to either.
    return path.empty() || path == ":memory:";
}

int open_flags(OpenMode mode) {
    return mode == OpenMode::read_only ? SQLite::OPEN_READONLY
                                       : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE;
}

int read_user_version(const SQLite::Database& db) {
    SQLite::Statement query(db, "PRAGMA user_version");
    query.executeStep();
    return query.getColumn(0).getInt();
}

} // namespace

Database::Database(const std::string& path, OpenMode mode) : Database(path, mode, migrations()) {}

Database::Database(const std::string& path, OpenMode mode,
                   std::span<const Migration> migration_list) try
    : m_path(path), m_mode(mode), m_db(path, open_flags(mode), busy_timeout_ms) {
    // Reading user_version is the first access to the file, so one that is not a database fails
    // there with SQLITE_NOTADB. A file from a newer build is refused before anything is written.
    m_db.exec("PRAGMA foreign_keys=ON");
    register_functions();
    const int latest = migration_list.empty() ? 0 : migration_list.back().version;
    if (m_mode == OpenMode::read_only || read_user_version(m_db) > latest) {
        check_current(latest);
        return;
    }
    configure_writer();
    migrate(migration_list);
} catch (const SQLite::Exception& e) {
    throw RegistryError::from_sqlite(e, fmt::format("registry database {}: open", path));
}

void Database::register_functions() {
    // Deterministic, so SQLite may use it in indexes and CHECKs; never touches the database.
    const int rc = sqlite3_create_function_v2(
        m_db.getHandle(), "sahil_name_norm", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
        [](sqlite3_context* ctx, int /*argc*/, sqlite3_value** argv) {
            if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
                sqlite3_result_null(ctx);
                return;
            }
            const auto* text = sqlite3_value_text(argv[0]);
            const int bytes = sqlite3_value_bytes(argv[0]);
            try { // no exception may cross back into SQLite's C code
                const std::string norm = normalise_vessel_name(std::string_view(
                    reinterpret_cast<const char*>(text), static_cast<std::size_t>(bytes)));
                sqlite3_result_text(ctx, norm.data(), static_cast<int>(norm.size()),
                                    SQLITE_TRANSIENT);
            } catch (...) {
                sqlite3_result_error_nomem(ctx);
            }
        },
        nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        throw RegistryError(RegistryError::Kind::sqlite,
                            context() + ": cannot register sahil_name_norm()", rc, rc);
    }
}

int Database::schema_version() const {
    try {
        return read_user_version(m_db);
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, context() + ": reading schema version");
    }
}

int Database::latest_schema_version() noexcept {
    return migrations().back().version;
}

std::string Database::context() const {
    return fmt::format("registry database {}", m_path);
}

void Database::configure_writer() {
    if (!is_in_memory(m_path)) {
        const std::string journal = m_db.execAndGet("PRAGMA journal_mode=WAL").getString();
        if (journal != "wal") {
            throw RegistryError(
                RegistryError::Kind::journal_mode,
                fmt::format("{}: SQLite refused WAL journal mode (got '{}'); the file system "
                            "may not support shared memory (network share?)",
                            context(), journal));
        }
    }
    m_db.exec("PRAGMA synchronous=NORMAL");
}

void Database::check_current(int latest) const {
    const int found = read_user_version(m_db);
    if (found > latest) {
        throw RegistryError(RegistryError::Kind::schema_too_new,
                            fmt::format("{}: schema version {} is newer than this build knows "
                                        "({}); upgrade Sahil or restore a matching backup",
                                        context(), found, latest));
    }
    if (found < latest) {
        throw RegistryError(RegistryError::Kind::schema_too_old,
                            fmt::format("{}: schema version {} is older than this build's {}; "
                                        "open it read-write once to migrate",
                                        context(), found, latest));
    }
}

void Database::migrate(std::span<const Migration> migration_list) {
    const int latest = migration_list.empty() ? 0 : migration_list.back().version;
    const int found = read_user_version(m_db);
    for (const Migration& migration : migration_list) {
        if (migration.version > found) {
            apply(migration, latest);
        }
    }
}

void Database::apply(const Migration& migration, int latest) {
    // Foreign keys cannot be switched inside a transaction; they are off for the step and back on
    // afterwards whatever happens (the foreign_key_check below replaces them during the step).
    m_db.exec("PRAGMA foreign_keys=OFF");
    struct ForeignKeysOn {
        SQLite::Database& db;
        ~ForeignKeysOn() {
            try {
                db.exec("PRAGMA foreign_keys=ON");
            } catch (const SQLite::Exception&) { // NOLINT(bugprone-empty-catch): best effort
            }
        }
    } restore{m_db};
    try {
        // IMMEDIATE takes the write lock now, so two processes opening the same old file cannot
        // both run a step: the second waits (busy timeout), then sees the new version and skips.
        SQLite::Transaction transaction(m_db, SQLite::TransactionBehavior::IMMEDIATE);
        const int found = read_user_version(m_db);
        if (found > latest) {
            check_current(latest);
        }
        if (found >= migration.version) {
            return; // someone else applied it; the transaction rolls back harmlessly
        }
        m_db.exec(std::string(migration.sql));
        SQLite::Statement dangling(m_db, "PRAGMA foreign_key_check");
        if (dangling.executeStep()) {
            throw RegistryError(RegistryError::Kind::corrupt_row,
                                fmt::format("{}: migration {} ({}) leaves dangling references in "
                                            "table {}; nothing applied",
                                            context(), migration.version, migration.name,
                                            dangling.getColumn(0).getString()));
        }
        m_db.exec(fmt::format("PRAGMA user_version = {}", migration.version));
        transaction.commit();
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, fmt::format("{}: applying migration {} ({})", context(),
                                                        migration.version, migration.name));
    }
}

} // namespace sahil::registry
