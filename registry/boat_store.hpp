// Boat store: the boats table of registry.db — add, look up, list and bulk-import boats.
//
// Sits between the clerks' tools (HTTP forms, `sahil registry import boats.csv`) and the
// tracking pipeline, which asks "which registered boat has MMSI 463123456?". Input from clerks
// is untrusted: add() and import_csv() return problems as values (FieldError, ImportError),
// never exceptions; duplicates of a registration number or MMSI are such problems and name the
// boat that already holds the value. Database failures throw RegistryError.
// Example: `BoatStore boats{db}; auto added = boats.add(boat); if (!added.ok())
// show(added.errors);`
//
// Thread-safety: a BoatStore uses its Database's single connection; use both from one thread
// at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/audit.hpp"
#include "registry/boat.hpp"
#include "registry/database.hpp"
#include "registry/validation.hpp"

namespace sahil::registry {

/// Outcome of BoatStore::add(): the new row id, or the problems that prevented the insert.
struct AddResult {
    std::int64_t id = 0;              ///< Row id of the new boat; 0 when not added.
    std::vector<FieldError> errors{}; ///< Empty when added.

    /// True when the boat was added.
    [[nodiscard]] bool ok() const noexcept { return errors.empty(); }
};

/// One problem in an imported file: the physical line (1-based; where the record starts, the
/// header is line 1 unless blank lines precede it), the column concerned ("" for the whole
/// record or file) and what is wrong.
struct ImportError {
    std::size_t line = 0;
    std::string field{};
    std::string message{};

    friend bool operator==(const ImportError&, const ImportError&) = default;
};

/// "line 7: mmsi: must be 9 digits" ("line 7: message" when field is empty).
[[nodiscard]] std::string to_string(const ImportError& error);

/// Outcome of BoatStore::import_csv().
struct ImportReport {
    std::size_t rows_read = 0;         ///< Data records read (header and empty lines excluded).
    std::size_t rows_imported = 0;     ///< Boats added: rows_read when ok(), otherwise 0.
    std::vector<ImportError> errors{}; ///< Every problem found, in file order; empty when ok().
    std::string source_name{};         ///< The name given to import_csv (file name), for messages.

    /// True when the whole file was imported.
    [[nodiscard]] bool ok() const noexcept { return errors.empty(); }
};

/// Most problems one import reports; after that it stops reading and says so.
inline constexpr std::size_t max_import_errors = 500;

/// Access to the boats table.
class BoatStore {
public:
    /// Source of "now" for created_at/updated_at (UTC, whole seconds).
    using Clock = std::function<std::chrono::sys_seconds()>;

    /// The actor recorded in the audit trail when no other is given: a local operator.
    static Actor local_operator() { return Actor{"cli", "admin", "", "cli", ""}; }

    /// Uses `database`, which must outlive the store. `clock` defaults to the system clock;
    /// tests inject a fixed one. Every boat added is recorded in the audit trail as registered
    /// by `actor` (audit.hpp).
    explicit BoatStore(Database& database, Clock clock = {}, Actor actor = local_operator());

    /// Reason written into the audit rows of later add()/import_csv() calls (e.g. "import of
    /// boats.csv"); empty by default.
    void set_audit_reason(std::string reason) { m_reason = std::move(reason); }

    /// Validates `boat` (validate()) and checks that no other boat holds its registration number
    /// (case-insensitive) or MMSI; if all is well inserts it (boat.id is ignored) and returns the
    /// new id. Problems come back in AddResult::errors, e.g.
    /// `{"mmsi", "463123456 is already registered to boat 3 (GWD-1234 \"Al-Madina\")"}`.
    /// @throws RegistryError on a database failure.
    AddResult add(const Boat& boat);

    /// The boat with row id `id`, if any. @throws RegistryError on a database failure or a
    /// stored row that does not parse (kind corrupt_row).
    [[nodiscard]] std::optional<Boat> find(std::int64_t id) const;

    /// The boat whose transponder has this MMSI, if any (uses the MMSI index).
    /// @throws RegistryError as find().
    [[nodiscard]] std::optional<Boat> find_by_mmsi(std::uint32_t mmsi) const;

    /// The boat with this registration number, compared ASCII case-insensitively ("gwd-1234"
    /// finds "GWD-1234"); no trimming. @throws RegistryError as find().
    [[nodiscard]] std::optional<Boat>
    find_by_registration(std::string_view registration_number) const;

    /// All boats, ordered by registration number (case-insensitive).
    /// @throws RegistryError as find().
    [[nodiscard]] std::vector<Boat> list() const;

    /// Number of boats. @throws RegistryError on a database failure.
    [[nodiscard]] std::size_t count() const;

    /// Imports boats from CSV text (format: boat_csv.hpp, csv_reader.hpp), all or nothing: every
    /// row is parsed, validated and checked for duplicates (inside the file and against the
    /// database) within one transaction, which is committed only if no row has a problem.
    /// Problems are reported with their physical line (`line 7: mmsi: must be 9 digits`); a
    /// header or CSV syntax error stops reading; at most max_import_errors are reported.
    /// `source_name` (usually the file name) is copied into the report.
    /// @throws RegistryError on a database failure (nothing is imported then either).
    ImportReport import_csv(std::istream& in, const std::string& source_name);

private:
    [[nodiscard]] std::vector<FieldError> find_conflicts(const Boat& boat) const;
    [[nodiscard]] std::int64_t insert(const Boat& boat, std::chrono::sys_seconds now);
    [[nodiscard]] std::string context(std::string_view what) const;

    Database& m_db;
    Clock m_clock;
    Actor m_actor;
    std::string m_reason{};
};

} // namespace sahil::registry
