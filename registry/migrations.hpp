// Registry schema migrations: the ordered list of SQL scripts that build registry.db.
//
// registry.db holds the boat registry, the alert store written by the core, and (later) parties,
// identifiers, accounts and the audit trail. Its schema version is SQLite's `PRAGMA user_version`:
// 0 for an empty file, N after migration N has been applied. Database applies every migration
// newer than the file's version, each in its own transaction together with the version bump.
//
// Rules for adding a migration (never edit one that has shipped):
//  * append a new entry with the next version number; versions are 1, 2, 3... without gaps
//    (checked at compile time in migrations.cpp);
//  * a script may hold several statements; it must not BEGIN/COMMIT itself;
//  * foreign keys are OFF while a step runs (SQLite's 12-step ALTER procedure: a table rebuild
//    drops and renames tables that others reference), and the runner checks
//    `PRAGMA foreign_key_check` before commit, so a step that leaves a dangling reference is
//    rolled back whole;
//  * a step may call sahil_name_norm(TEXT), registered on every connection by Database
//    (identifiers.hpp normalise_vessel_name).
//
// Thread-safety: the list is immutable static data.
#pragma once

#include <span>
#include <string_view>

namespace sahil::registry {

/// One schema step.
struct Migration {
    int version;           ///< Schema version after this step (1-based, consecutive).
    std::string_view name; ///< Short label for messages ("boats", "alerts").
    std::string_view sql;  ///< Statements to run, separated by ';'.
};

/// Every migration this build knows, in order (version 1 first).
[[nodiscard]] std::span<const Migration> migrations() noexcept;

} // namespace sahil::registry
