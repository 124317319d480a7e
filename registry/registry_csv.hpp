// Registry CSV: bulk import and export of boat registrations as one spreadsheet row per boat
// (docs/registry-csv.md; example config/examples/registry-import.csv).
//
// Format: RFC 4180 CSV (csv_reader.hpp), UTF-8, a header row naming the columns in any order and
// ASCII case (unknown or repeated names are errors), then one row per boat:
//   registration_number,authority,name,home_harbour,owner_name,owner_cnic,mmsi,...
//   GWD-1234,BAL-FISH,Al-Madina,PK-HBR-02,Abdul Ghani,54101-1234567-3,463123456,...
// Columns (registry_csv_columns, in export order): registration_number, authority, name,
// vessel_type, hull_material, loa_m, engine_kw, max_persons, build_year, home_harbour,
// hull_colour, mmsi, call_sign, owner_name, owner_father_name, owner_cnic, owner_phone,
// owner_address, licence_no, licence_authority, licence_kind, licence_valid_from,
// licence_valid_to, gear (codes separated by ';'), night_fishing (yes/no), transponder_kind,
// registration_scheme (provincial_reg when empty). Required: registration_number, authority,
// name, home_harbour, owner_name. Each row becomes one VesselRegistry::register_vessel call: the
// registration number as an identifier of `registration_scheme` issued by `authority`, MMSI and
// call sign as identifiers issued by PTA, one owner with a 100 % share (an owner whose CNIC is
// already on file is reused, not duplicated), a licence when any licence column is filled, and a
// transponder (with the row's MMSI) when transponder_kind is given.
//
// Cells: surrounding spaces are trimmed, then ONE leading apostrophe is removed (the export's
// formula guard, below). Empty cells mean "not recorded". Rows whose cells are all empty are
// skipped. Dates are YYYY-MM-DD.
//
// Import is two-step and all-or-nothing: plan_import() runs every row through register_vessel
// inside one outer WriteTransaction (each row a SAVEPOINT), so a dry run checks exactly the rules
// an apply enforces, including uniqueness against the database and against earlier rows; the
// outer transaction is rolled back for a dry run, and committed for an apply only when no row
// has an error. It holds the database's write lock while it runs (about 1 ms per row).
//
// Export (export_csv) writes the same columns, so an export re-imports into an empty registry:
// CRLF line ends, RFC 4180 quoting, an optional UTF-8 byte order mark for Excel, and spreadsheet
// formula injection neutralised (OWASP "CSV Injection"): a cell starting with '=', '+', '-',
// '@', TAB or CR — or with an apostrophe, so that the guard round-trips — gets a leading
// apostrophe, e.g. a phone `'+923001234567`. The import's apostrophe rule undoes it.
//
// Untrusted input never throws: problems are ImportIssue values naming the physical line and the
// column. Database failures throw RegistryError; a PII key failure CryptoError.
//
// Thread-safety: uses the registry's connection; one thread at a time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "registry/audit.hpp"

namespace sahil::registry {

class VesselRegistry;

/// The columns of the registry CSV, in the order export_csv() writes them.
inline constexpr std::array<std::string_view, 27> registry_csv_columns{
    "registration_number", "authority",         "name",
    "vessel_type",         "hull_material",     "loa_m",
    "engine_kw",           "max_persons",       "build_year",
    "home_harbour",        "hull_colour",       "mmsi",
    "call_sign",           "owner_name",        "owner_father_name",
    "owner_cnic",          "owner_phone",       "owner_address",
    "licence_no",          "licence_authority", "licence_kind",
    "licence_valid_from",  "licence_valid_to",  "gear",
    "night_fishing",       "transponder_kind",  "registration_scheme"};

/// Columns an import file must have.
inline constexpr std::array<std::string_view, 5> registry_csv_required_columns{
    "registration_number", "authority", "name", "home_harbour", "owner_name"};

/// Most data rows an import may have (a larger file is refused whole: split it).
inline constexpr std::size_t max_import_rows = 20000;
/// Most errors (and, separately, warnings) reported; the count goes on beyond it.
inline constexpr std::size_t max_import_issues = 500;

/// How plan_import() runs.
struct ImportOptions {
    /// false: dry run (validate everything, store nothing); true: store every row if, and only
    /// if, no row has an error.
    bool apply = false;
    /// Home harbours the actor may register boats for; a row for another harbour is an error.
    /// Empty = any harbour (the HTTP layer fills it from the clerk's harbours).
    std::vector<std::string> allowed_harbours{};
    /// Note for the audit trail of each registration, e.g. "import of gwadar-2026-03.csv".
    std::string reason{};
    std::size_t max_rows = max_import_rows;     ///< Lower it for tests only.
    std::size_t max_issues = max_import_issues; ///< Lower it for tests only.
};

/// One problem (or warning) in an import file.
struct ImportIssue {
    std::size_t line = 0;  ///< Physical line (1-based) where the row starts; 0 = the whole file.
    std::string column{};  ///< CSV column name ("owner_cnic"); "" = the row or file as a whole.
    std::string message{}; ///< Plain words for the clerk, naming the value where that helps.

    friend bool operator==(const ImportIssue&, const ImportIssue&) = default;
};

/// What plan_import() found (and did).
struct ImportPlan {
    std::size_t rows_read = 0;  ///< Data rows read (not the header, not empty rows).
    std::size_t rows_valid = 0; ///< Rows that would be imported (dry run) or were (applied).
    std::size_t rows_with_errors = 0;
    std::size_t owners_reused = 0;       ///< Rows whose owner CNIC matched a party already on file.
    bool applied = false;                ///< True when the rows were committed.
    std::vector<ImportIssue> errors{};   ///< At most ImportOptions::max_issues, in line order.
    std::size_t error_count = 0;         ///< All errors, including those not listed.
    std::vector<ImportIssue> warnings{}; ///< At most ImportOptions::max_issues.
    std::size_t warning_count = 0;
    std::string file_sha256{}; ///< SHA-256 of the bytes read, for the audit trail.

    /// True when the file can be (or was) imported: no errors and at least one row.
    [[nodiscard]] bool ok() const noexcept { return error_count == 0 && rows_read > 0; }
};

/// Reads a registry CSV from `in` (the caller limits its size) and registers every row as
/// `actor` inside one transaction; see the file comment. An apply that commits also appends one
/// "registry.import" audit row (rows, file hash). Never throws for bad input.
/// @throws RegistryError on a database failure; CryptoError when a stored PII value fails to
///         decrypt.
[[nodiscard]] ImportPlan plan_import(VesselRegistry& registry, std::istream& in, const Actor& actor,
                                     const ImportOptions& options);

/// What export_csv() writes.
struct ExportOptions {
    /// Only boats whose home harbour is this zone id; "" = every boat.
    std::string harbour{};
    /// false: owner CNIC and phone masked (mask_cnic, mask_phone); true: in full — only for a
    /// role allowed a PII export, which the caller has checked and audited.
    bool include_pii = false;
    /// Start with a UTF-8 byte order mark, so that Excel reads Urdu names as UTF-8.
    bool byte_order_mark = false;
};

/// What export_csv() wrote.
struct ExportReport {
    std::size_t rows = 0; ///< Boats written (one row each, after the header).
    /// Boats with more than one current owner: the row names the owner with the largest share
    /// only (the format has one owner per boat), so a re-import would lose the others.
    std::vector<std::int64_t> partial_owner_vessels{};
};

/// Writes every boat (all statuses, by vessel id) matching `options` as a registry CSV:
/// the registration number (current provincial_reg, else official_number, else
/// fishing_licence_no), current MMSI and call sign, the largest-share current owner, the current
/// licence (the newest that is not superseded) and the first fitted transponder.
/// @throws RegistryError on a database failure; CryptoError (PII that fails to decrypt).
ExportReport export_csv(VesselRegistry& registry, std::ostream& out, const ExportOptions& options);

/// The text export_csv() writes for one cell: formula guard applied (see the file comment),
/// then RFC 4180 quoting when the cell holds ',', '"', CR or LF. Exposed for tests.
[[nodiscard]] std::string csv_cell(std::string_view value);

} // namespace sahil::registry
