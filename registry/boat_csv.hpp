// Boat CSV layout: which registry field each column of an imported CSV file holds, and how one
// record becomes a Boat.
//
// The header row names the columns, in any order: `registration_number`, `name` and
// `home_harbour` are required; `mmsi`, `call_sign`, `licence_valid_until` (YYYY-MM-DD) and
// `status` (active/suspended/decommissioned; empty = active) are optional. Header names are
// matched ASCII case-insensitively after trimming spaces; an unknown, empty or repeated name is
// an error. Cell values are trimmed of surrounding spaces and tabs (spreadsheets pad them);
// an empty optional cell means "none". Example:
//     registration_number,name,mmsi,home_harbour,licence_valid_until
//     GWD-1234,Al-Madina,463123456,PK-HBR-02,2025-12-31
// Used by BoatStore::import_csv; kept apart so that a CSV export can share the column names.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/boat.hpp"
#include "registry/validation.hpp"

namespace sahil::registry {

/// A column of the boat CSV format.
enum class BoatCsvColumn {
    registration_number,
    name,
    mmsi,
    call_sign,
    home_harbour,
    licence_valid_until,
    status,
};

/// Number of BoatCsvColumn values.
inline constexpr std::size_t boat_csv_column_count = 7;

/// Header name of a column (same as the database column and the FieldError field).
[[nodiscard]] std::string_view to_string(BoatCsvColumn column) noexcept;

/// Where each column sits in the file's records.
struct BoatCsvLayout {
    /// position[c] = 0-based field index of column c, or std::nullopt if the file lacks it.
    std::array<std::optional<std::size_t>, boat_csv_column_count> position{};
    /// Number of fields in the header; every record must have exactly this many.
    std::size_t field_count = 0;
};

/// Reads a header record. On success returns the layout and leaves `errors` untouched; otherwise
/// returns std::nullopt and appends every problem (unknown, empty or repeated column name,
/// missing required column), with `field` = the column name concerned.
[[nodiscard]] std::optional<BoatCsvLayout>
parse_boat_csv_header(const std::vector<std::string>& header, std::vector<FieldError>& errors);

/// Converts one data record to a Boat (id 0), appending every problem to `errors`: wrong field
/// count (field ""), unparsable values ("mmsi": "must be 9 digits"), and everything validate()
/// finds. The returned Boat is meaningful only if nothing was appended.
[[nodiscard]] Boat boat_from_csv_record(const BoatCsvLayout& layout,
                                        const std::vector<std::string>& fields,
                                        std::vector<FieldError>& errors);

} // namespace sahil::registry
