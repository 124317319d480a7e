// Human-readable labels of AIS code fields, with gpsd 3.27's exact texts (the `*_text` members
// of gpsd's AIS JSON: `status_text`, `epfd_text`, `shiptype_text`, `stationtype_text`,
// `aid_type_text`), so Sahil's JSON can be consumed by tools written for gpsd.
//
// `nav_status_text(5)` -> "Moored"; `ship_type_text(70)` -> "Cargo - all ships of this type".
// Data path: gpsd JSON rendering (ais/gpsd_json*.cpp), API and CLI output.
// Codes are defined by ITU-R M.1371-5 (navigational status, EPFD type, type of ship and cargo,
// station type, type of aid to navigation); texts follow gpsd, not the standard's wording.
//
// Thread-safety: pure functions over immutable tables.
#pragma once

#include <string_view>

namespace sahil::ais {

/// Navigational status 0..15 (types 1-3 and 27), e.g. 0 -> "Under way using engine",
/// 15 -> "Not defined". Values above 15 cannot be transmitted (4 bits); they give "Not defined".
[[nodiscard]] std::string_view nav_status_text(unsigned status) noexcept;

/// Type of electronic position fixing device 0..15 (types 4/11, 5, 19, 21), e.g. 1 -> "GPS",
/// 9..14 -> "Reserved (9)".."Reserved (14)", 15 -> "Internal GNSS". Above 15: "INVALID EPFD".
[[nodiscard]] std::string_view epfd_text(unsigned epfd) noexcept;

/// Type of ship and cargo 0..99 (types 5, 19, 23, 24 part B), e.g. 30 -> "Fishing";
/// 100..255 -> "INVALID SHIP TYPE" (gpsd's text for codes the standard does not define).
[[nodiscard]] std::string_view ship_type_text(unsigned shiptype) noexcept;

/// Station type 0..15 of a group assignment (type 23), e.g. 0 -> "All types of mobiles".
/// Above 15: "INVALID STATION TYPE".
[[nodiscard]] std::string_view station_type_text(unsigned stationtype) noexcept;

/// Type of aid to navigation 0..31 (type 21), e.g. 20 -> "Cardinal Mark N".
/// Above 31: "INVALID NAVAID TYPE".
[[nodiscard]] std::string_view aid_type_text(unsigned aid_type) noexcept;

} // namespace sahil::ais
