// Text labels of coded fields in the application-specific messages of types 6 and 8, as
// printed in gpsd's AIS JSON `*_text` members and scaled string members (gpsd 3.27), for
// displays and for ais/gpsd_json_binary.cpp.
//
// `eri_ship_type_text(8010)` -> "Motor freighter"; `meteo_trend_text(1)` -> "decreasing".
//
// Where gpsd's text contradicts the standard (the pressure/water level trend codes 1 and 2,
// which gpsd 3.27 labels "increasing"/"decreasing"), the label follows the standard; see
// tests/data/DIFFERENCES.md.
//
// Thread-safety: pure functions over static tables.
#pragma once

#include <string_view>

namespace sahil::ais {

/// ERI ship or combination type (Inland AIS standard, DAC 200 FI 10) as gpsd labels it: the
/// first entry of gpsd's table whose ERI code or whose mapped ITU ship type equals `code`,
/// else "Illegal ship type value.".
[[nodiscard]] std::string_view eri_ship_type_text(unsigned code) noexcept;

/// Inland hazardous cargo code 0..5 (DAC 200 FI 10): "0 blue cones/lights" ... "Unknown".
[[nodiscard]] std::string_view inland_hazard_text(unsigned code) noexcept;

/// Inland loaded/unloaded code 0..2 (DAC 200 FI 10): "N/A (default)", "Unloaded", "Loaded".
[[nodiscard]] std::string_view inland_loaded_text(unsigned code) noexcept;

/// GLA AtoN RACON status 0..3 (DAC 235/250 FI 10).
[[nodiscard]] std::string_view racon_status_text(unsigned code) noexcept;

/// GLA AtoN light status 0..3 (DAC 235/250 FI 10).
[[nodiscard]] std::string_view light_status_text(unsigned code) noexcept;

/// Air pressure / water level trend 0..3 (DAC 1 FI 11 and 31; IMO SN/Circ.236 Annex 2 and
/// SN.1/Circ.289 Table 1.1): "steady", "decreasing", "increasing", "N/A".
[[nodiscard]] std::string_view meteo_trend_text(unsigned code) noexcept;

/// Precipitation type 0..7 (WMO 306 code table 4.201, DAC 1 FI 11 and 31).
[[nodiscard]] std::string_view precipitation_text(unsigned code) noexcept;

/// Ice 0..3 (DAC 1 FI 11 and 31): "no", "yes", "reserved", "N/A".
[[nodiscard]] std::string_view ice_text(unsigned code) noexcept;

/// Area notice description 0..127 (IMO SN.1/Circ.289 Table 11.2, DAC 1 FI 22).
[[nodiscard]] std::string_view area_notice_text(unsigned code) noexcept;

/// Area notice sub-area shape 0..7 (IMO SN.1/Circ.289 Table 11.3).
[[nodiscard]] std::string_view area_shape_text(unsigned code) noexcept;

} // namespace sahil::ais
