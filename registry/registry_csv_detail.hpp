// Registry CSV internals shared by the import (registry_csv.cpp) and the export
// (registry_csv_export.cpp): the column positions of registry_csv_columns and a row of cells.
// Not part of the public interface.
//
// Thread-safety: constants and types only.
#pragma once

#include <array>
#include <cstddef>
#include <string>

#include "registry/registry_csv.hpp"

namespace sahil::registry::detail::csv_columns {

constexpr std::size_t column_count = registry_csv_columns.size();

/// Column positions in registry_csv_columns (kept in step by the static_assert below).
enum Col : std::size_t {
    c_registration_number,
    c_authority,
    c_name,
    c_vessel_type,
    c_hull_material,
    c_loa_m,
    c_engine_kw,
    c_max_persons,
    c_build_year,
    c_home_harbour,
    c_hull_colour,
    c_mmsi,
    c_call_sign,
    c_owner_name,
    c_owner_father_name,
    c_owner_cnic,
    c_owner_phone,
    c_owner_address,
    c_licence_no,
    c_licence_authority,
    c_licence_kind,
    c_licence_valid_from,
    c_licence_valid_to,
    c_gear,
    c_night_fishing,
    c_transponder_kind,
    c_registration_scheme,
    c_count
};
static_assert(c_count == column_count, "one Col per registry CSV column");
static_assert(registry_csv_columns[c_registration_scheme] == "registration_scheme" &&
                  registry_csv_columns[c_night_fishing] == "night_fishing" &&
                  registry_csv_columns[c_owner_cnic] == "owner_cnic",
              "Col order matches registry_csv_columns");

/// One row: a cell per column of registry_csv_columns ("" when absent or empty).
using Cells = std::array<std::string, column_count>;

} // namespace sahil::registry::detail::csv_columns
