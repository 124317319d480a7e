// Write transaction: an all-or-nothing write on the registry connection that nests.
//
// Opened while the connection has no transaction, it is the real one (`BEGIN IMMEDIATE`, taking
// the write lock at once so that a busy database fails at the start rather than half-way);
// opened inside another transaction, it is a SAVEPOINT (SQLite's nested transactions,
// https://sqlite.org/lang_savepoint.html). commit() makes its changes part of the enclosing
// transaction (`RELEASE`) or durable (`COMMIT`); destroying it uncommitted undoes exactly its
// own changes (`ROLLBACK TO` + `RELEASE`, or `ROLLBACK`). So every VesselRegistry operation stays
// all-or-nothing on its own, and a caller can group many of them into one unit of work whose
// outcome it decides at the end: the CSV import (registry_csv.hpp) runs every row inside one
// outer transaction that it rolls back for a dry run and commits for an apply.
// Example:
//   WriteTransaction batch{db};           // BEGIN IMMEDIATE
//   registry.register_vessel(actor, r1);  // SAVEPOINT ... RELEASE (or ROLLBACK TO on failure)
//   registry.register_vessel(actor, r2);
//   if (dry_run) return;                  // ~WriteTransaction: ROLLBACK, nothing stored
//   batch.commit();                       // COMMIT
//
// Errors: SQLite failures in the constructor and commit() throw SQLite::Exception (the callers
// in registry/ convert it to RegistryError, as for any statement). The destructor never throws.
//
// Thread-safety: as the Database: one thread at a time. Transactions on one connection must be
// closed in the reverse order of opening (they are stack-scoped objects).
#pragma once

#include "registry/database.hpp"

namespace sahil::registry {

/// One level of (possibly nested) write transaction on a Database. Not copyable or movable.
class WriteTransaction {
public:
    /// Begins: `BEGIN IMMEDIATE` when `database` has no open transaction, otherwise a SAVEPOINT.
    /// @throws SQLite::Exception (SQLITE_BUSY when another connection holds the write lock
    ///         beyond the busy timeout).
    explicit WriteTransaction(Database& database);

    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    WriteTransaction(WriteTransaction&&) = delete;
    WriteTransaction& operator=(WriteTransaction&&) = delete;

    /// Rolls back if neither commit() nor rollback() was called. Never throws.
    ~WriteTransaction();

    /// Keeps the changes: `COMMIT` (outermost) or `RELEASE` (nested). Afterwards the object is
    /// inert. @throws SQLite::Exception; std::logic_error when already finished.
    void commit();

    /// Undoes the changes made since construction. Afterwards the object is inert. Calling it on
    /// a finished transaction does nothing. @throws SQLite::Exception.
    void rollback();

    /// True when this is a SAVEPOINT inside an enclosing transaction.
    [[nodiscard]] bool nested() const noexcept { return m_nested; }

    /// True when `database` currently has an open transaction (is not in autocommit mode).
    [[nodiscard]] static bool in_transaction(const Database& database) noexcept;

private:
    Database& m_db;
    bool m_nested = false;
    bool m_open = true;
};

} // namespace sahil::registry
