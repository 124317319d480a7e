// Scaled accessors of the application-specific messages (ais/binary_application.hpp).
#include "ais/binary_application.hpp"

#include <cstdlib>

namespace sahil::ais {
namespace {

/// `raw` in 1/`per_minute` minute as degrees, empty beyond ±`limit_deg` (incl. the n/a codes
/// 91° and 181°).
std::optional<double> degrees(std::int32_t raw, int per_minute, int limit_deg) noexcept {
    const double units_per_degree = 60.0 * per_minute;
    if (std::abs(static_cast<double>(raw)) > limit_deg * units_per_degree) {
        return std::nullopt;
    }
    return raw / units_per_degree;
}

std::optional<double> tenths(int raw, int offset, int na) noexcept {
    if (raw == na) {
        return std::nullopt;
    }
    return (raw - offset) / 10.0;
}

} // namespace

std::optional<double> lat_deg_from_milliminutes(std::int32_t raw) noexcept {
    return degrees(raw, 1000, 90);
}

std::optional<double> lon_deg_from_milliminutes(std::int32_t raw) noexcept {
    return degrees(raw, 1000, 180);
}

// --- DAC 1 FI 11 ---

std::optional<double> MeteoHydroImo236::lat_deg() const noexcept {
    return lat_deg_from_milliminutes(lat_raw);
}
std::optional<double> MeteoHydroImo236::lon_deg() const noexcept {
    return lon_deg_from_milliminutes(lon_raw);
}
std::optional<double> MeteoHydroImo236::air_temp_c() const noexcept {
    return tenths(airtemp_raw, 600, 2047);
}
std::optional<double> MeteoHydroImo236::dew_point_c() const noexcept {
    return tenths(dewpoint_raw, 200, 1023);
}
std::optional<int> MeteoHydroImo236::pressure_hpa() const noexcept {
    if (pressure_raw == 511) {
        return std::nullopt;
    }
    return pressure_raw + 800;
}
std::optional<double> MeteoHydroImo236::visibility_nm() const noexcept {
    return tenths(visibility_raw, 0, 255);
}
std::optional<double> MeteoHydroImo236::water_level_m() const noexcept {
    return tenths(waterlevel_raw, 100, 511);
}
std::optional<double> MeteoHydroImo236::water_temp_c() const noexcept {
    return tenths(watertemp_raw, 100, 1023);
}
std::optional<double> MeteoHydroImo236::wave_height_m() const noexcept {
    return tenths(waveheight_raw, 0, 255);
}

// --- DAC 1 FI 31 ---

std::optional<double> MeteoHydroImo289::lat_deg() const noexcept {
    return lat_deg_from_milliminutes(lat_raw);
}
std::optional<double> MeteoHydroImo289::lon_deg() const noexcept {
    return lon_deg_from_milliminutes(lon_raw);
}
std::optional<double> MeteoHydroImo289::air_temp_c() const noexcept {
    return tenths(airtemp, 0, -1024);
}
std::optional<double> MeteoHydroImo289::dew_point_c() const noexcept {
    return tenths(dewpoint, 0, 501);
}
std::optional<int> MeteoHydroImo289::pressure_hpa() const noexcept {
    if (pressure_raw > 402) {
        return std::nullopt;
    }
    return pressure_raw + 799;
}
std::optional<double> MeteoHydroImo289::visibility_nm() const noexcept {
    return tenths(visibility_raw, 0, 127);
}
std::optional<double> MeteoHydroImo289::water_level_m() const noexcept {
    if (waterlevel_raw > 4000) {
        return std::nullopt;
    }
    return (waterlevel_raw - 1000) / 100.0;
}
std::optional<double> MeteoHydroImo289::water_temp_c() const noexcept {
    return tenths(watertemp, 0, 501);
}
std::optional<double> MeteoHydroImo289::wave_height_m() const noexcept {
    return tenths(waveheight_raw, 0, 255);
}

// --- DAC 1 FI 22 ---

int AreaNotice::shape(const AreaSubArea& s) noexcept {
    switch (s.index()) {
    case 0: // circle/point
    case 1: // rectangle
    case 2: // sector
        return static_cast<int>(s.index());
    case 3:
        return std::get<AreaPolyline>(s).polygon ? 4 : 3;
    case 4:
        return 5;
    default:
        return std::get<AreaReserved>(s).shape;
    }
}

// --- DAC 200 FI 10 ---

std::optional<double> InlandStaticVoyage::length_m() const noexcept {
    return tenths(length, 0, 0);
}
std::optional<double> InlandStaticVoyage::beam_m() const noexcept {
    return tenths(beam, 0, 0);
}
std::optional<double> InlandStaticVoyage::draught_m() const noexcept {
    if (draught == 0) {
        return std::nullopt;
    }
    return draught / 100.0;
}

// --- DAC 1 FI 14 / 32 ---

std::optional<double> TidalWindow::lat_deg(const TidalPoint& p) const noexcept {
    return degrees(p.lat_raw, units_per_minute(), 90);
}
std::optional<double> TidalWindow::lon_deg(const TidalPoint& p) const noexcept {
    return degrees(p.lon_raw, units_per_minute(), 180);
}

// --- DAC 1 FI 18 ---

std::optional<double> ClearanceTime::lat_deg() const noexcept {
    return lat_deg_from_milliminutes(lat_raw);
}
std::optional<double> ClearanceTime::lon_deg() const noexcept {
    return lon_deg_from_milliminutes(lon_raw);
}

} // namespace sahil::ais
