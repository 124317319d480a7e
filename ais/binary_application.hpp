// Decoded application-specific messages (ASM) carried by binary messages 6 and 8: the payload
// after the 16-bit application identifier (DAC = designated area code, FI = function
// identifier), ITU-R M.1371-5 Annex 5 §2.1.
//
// `8>jR06@0Bk3:wOli;<`WPhh<1rqVBQf2V@Pdt0J82avIM2b<<Rv1t<ot=@1` (type 8, DAC 1, FI 11) ->
// BroadcastBinary{.dac = 1, .fi = 11, .application = MeteoHydroImo236{.airtemp_raw = 742, ...}}
// whose air_temp_c() is 14.2.
//
// Decoded here (bit offsets in the comments count from the start of the AIS message, as in
// gpsd's AIVDM guide):
//   type 8: DAC 1 FI 11 (IMO SN/Circ.236 meteorological/hydrological data),
//           DAC 1 FI 22 (IMO SN.1/Circ.289 area notice), DAC 1 FI 29 (SN.1/Circ.289 text
//           description), DAC 1 FI 31 (SN.1/Circ.289 meteorological/hydrological data),
//           DAC 200 FI 10 (inland ship static and voyage data, CCNR/UNECE Inland AIS standard);
//   type 6: DAC 1 FI 12 (SN/Circ.236 dangerous cargo indication), DAC 1 FI 14 (SN/Circ.236
//           tidal window), DAC 1 FI 18 (SN.1/Circ.289 clearance time to enter port), DAC 1 FI 30
//           (SN.1/Circ.289 text description), DAC 1 FI 32 (SN.1/Circ.289 tidal window),
//           DAC 200 FI 55 (inland persons on board), DAC 235/250 FI 10 (UK/IE GLA AtoN
//           monitoring data).
// Every other DAC/FI stays raw bits (BinaryData in ais/messages_binary.hpp).
//
// Conventions as in ais/messages.hpp: raw integers exactly as transmitted, scaled accessors
// returning std::nullopt for the "not available" codes. Positions in these messages are in
// 1/1,000 minute (lat 91° = 5,460,000, lon 181° = 10,860,000 = n/a) except the IMO 236 tidal
// window, which uses 1/10,000 minute like message 1.
// A message shorter than its layout is decoded from the bits present, missing bits reading 0
// (as gpsd does); the decoder flags it in DecodeResult::length_mismatch.
//
// Thread-safety: plain values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <variant>

#include "ais/text.hpp"

namespace sahil::ais {

/// Latitude in degrees from 1/1,000 min (24-bit fields), empty for 91° (n/a) or |lat| > 90°.
[[nodiscard]] std::optional<double> lat_deg_from_milliminutes(std::int32_t raw) noexcept;
/// Longitude in degrees from 1/1,000 min (25-bit fields), empty for 181° (n/a) or |lon| > 180°.
[[nodiscard]] std::optional<double> lon_deg_from_milliminutes(std::int32_t raw) noexcept;

/// DAC 1 FI 11 (type 8): meteorological and hydrological data, IMO SN/Circ.236 Annex 2
/// application 1 (superseded by FI 31 but still transmitted). 352 bits.
/// Temperatures, water level and pressure are offset-coded unsigned fields.
struct MeteoHydroImo236 {
    std::int32_t lat_raw = 5'460'000;  ///< bits 56..79, 1/1,000 min; 91° = n/a
    std::int32_t lon_raw = 10'860'000; ///< bits 80..104, 1/1,000 min; 181° = n/a
    std::uint8_t day = 0;              ///< UTC day of transmission 1..31 (bits 105..109)
    std::uint8_t hour = 0;             ///< UTC hour 0..23 (bits 110..114)
    std::uint8_t minute = 0;           ///< UTC minute 0..59 (bits 115..120)
    std::uint8_t wspeed = 127;         ///< 10-min mean wind speed, kn 0..120; 127 = n/a
    std::uint8_t wgust = 127;          ///< 10-min max wind speed, kn 0..120; 127 = n/a
    std::uint16_t wdir = 511;          ///< wind direction, deg 0..359; 511 = n/a
    std::uint16_t wgustdir = 511;      ///< gust direction, deg 0..359; 511 = n/a
    std::uint16_t airtemp_raw = 2047; ///< dry bulb, (raw − 600) × 0.1 °C, −60..+60; 2047 = n/a
    std::uint8_t humidity = 127;      ///< relative humidity, % 0..100; 127 = n/a
    std::uint16_t dewpoint_raw = 1023;  ///< (raw − 200) × 0.1 °C, −20..+50; 1023 = n/a
    std::uint16_t pressure_raw = 511;   ///< raw + 800 hPa, 800..1200; 511 = n/a
    std::uint8_t pressuretend = 3;      ///< 0 steady, 1 decreasing, 2 increasing, 3 = n/a
    std::uint8_t visibility_raw = 255;  ///< horizontal visibility, 0.1 NM 0..250; 255 = n/a
    std::uint16_t waterlevel_raw = 511; ///< (raw − 100) × 0.1 m vs chart datum; 511 = n/a
    std::uint8_t leveltrend = 3;        ///< 0 steady, 1 decreasing, 2 increasing, 3 = n/a
    std::uint8_t cspeed_raw = 255;      ///< surface current speed, 0.1 kn 0..250; 255 = n/a
    std::uint16_t cdir = 511;           ///< surface current direction, deg; 511 = n/a
    std::uint8_t cspeed2_raw = 255;     ///< current #2 speed, 0.1 kn; 255 = n/a
    std::uint16_t cdir2 = 511;          ///< current #2 direction, deg; 511 = n/a
    std::uint8_t cdepth2 = 31;          ///< current #2 depth below surface, m 0..30; 31 = n/a
    std::uint8_t cspeed3_raw = 255;     ///< current #3 speed, 0.1 kn; 255 = n/a
    std::uint16_t cdir3 = 511;          ///< current #3 direction, deg; 511 = n/a
    std::uint8_t cdepth3 = 31;          ///< current #3 depth, m 0..30; 31 = n/a
    std::uint8_t waveheight_raw = 255;  ///< significant wave height, 0.1 m; 255 = n/a
    std::uint8_t waveperiod = 63;       ///< wave period, s 0..60; 63 = n/a
    std::uint16_t wavedir = 511;        ///< wave direction, deg; 511 = n/a
    std::uint8_t swellheight_raw = 255; ///< swell height, 0.1 m; 255 = n/a
    std::uint8_t swellperiod = 63;      ///< swell period, s; 63 = n/a
    std::uint16_t swelldir = 511;       ///< swell direction, deg; 511 = n/a
    std::uint8_t seastate = 15;         ///< Beaufort 0..12; 15 = n/a
    std::uint16_t watertemp_raw = 1023; ///< (raw − 100) × 0.1 °C, −10..+50; 1023 = n/a
    std::uint8_t preciptype = 7;        ///< WMO 306 code table 4.201, 0..6; 7 = n/a
    std::uint16_t salinity_raw = 511;   ///< 0.1 ‰ 0..500; 511 = n/a
    std::uint8_t ice = 3;               ///< 0 no, 1 yes; 3 = n/a

    /// Degrees (WGS 84), empty for 91° (n/a) or out of range.
    [[nodiscard]] std::optional<double> lat_deg() const noexcept;
    /// Degrees (WGS 84), empty for 181° (n/a) or out of range.
    [[nodiscard]] std::optional<double> lon_deg() const noexcept;
    /// °C, empty for 2047.
    [[nodiscard]] std::optional<double> air_temp_c() const noexcept;
    /// °C, empty for 1023.
    [[nodiscard]] std::optional<double> dew_point_c() const noexcept;
    /// hPa, empty for 511.
    [[nodiscard]] std::optional<int> pressure_hpa() const noexcept;
    /// NM, empty for 255.
    [[nodiscard]] std::optional<double> visibility_nm() const noexcept;
    /// m above chart datum, empty for 511.
    [[nodiscard]] std::optional<double> water_level_m() const noexcept;
    /// °C, empty for 1023.
    [[nodiscard]] std::optional<double> water_temp_c() const noexcept;
    /// m, empty for 255.
    [[nodiscard]] std::optional<double> wave_height_m() const noexcept;
};

/// DAC 1 FI 31 (type 8): meteorological and hydrological data, IMO SN.1/Circ.289 Annex
/// §1 (Table 1.1). 360 bits. Temperatures are two's complement in 0.1 °C.
struct MeteoHydroImo289 {
    std::int32_t lon_raw = 10'860'000;   ///< bits 56..80, 1/1,000 min; 181° = n/a
    std::int32_t lat_raw = 5'460'000;    ///< bits 81..104, 1/1,000 min; 91° = n/a
    bool accuracy = false;               ///< position accuracy: true = high (< 10 m)
    std::uint8_t day = 0;                ///< UTC day 1..31; 0 = n/a
    std::uint8_t hour = 24;              ///< UTC hour 0..23; 24 = n/a
    std::uint8_t minute = 60;            ///< UTC minute 0..59; 60 = n/a
    std::uint8_t wspeed = 127;           ///< 10-min mean wind, kn 0..125, 126 = ≥ 126; 127 = n/a
    std::uint8_t wgust = 127;            ///< 10-min max wind, kn, coded as wspeed
    std::uint16_t wdir = 360;            ///< wind direction, deg 0..359; 360 = n/a
    std::uint16_t wgustdir = 360;        ///< gust direction, deg 0..359; 360 = n/a
    std::int16_t airtemp = -1024;        ///< 0.1 °C, −60.0..+60.0; −1024 = n/a
    std::uint8_t humidity = 101;         ///< relative humidity, % 0..100; 101 = n/a
    std::int16_t dewpoint = 501;         ///< 0.1 °C, −20.0..+50.0; 501 = n/a
    std::uint16_t pressure_raw = 511;    ///< raw + 799 hPa: 0 = ≤ 799, 402 = ≥ 1201; 511 = n/a
    std::uint8_t pressuretend = 3;       ///< 0 steady, 1 decreasing, 2 increasing, 3 = n/a
    bool visgreater = false;             ///< visibility is greater than the value given
    std::uint8_t visibility_raw = 127;   ///< horizontal visibility, 0.1 NM 0..126; 127 = n/a
    std::uint16_t waterlevel_raw = 4001; ///< (raw − 1000) × 0.01 m, −10..+30; 4001 = n/a
    std::uint8_t leveltrend = 3;         ///< 0 steady, 1 decreasing, 2 increasing, 3 = n/a
    std::uint8_t cspeed_raw = 255;       ///< surface current, 0.1 kn 0..250, 251 ≥ 25.1; 255 n/a
    std::uint16_t cdir = 360;            ///< surface current direction, deg; 360 = n/a
    std::uint8_t cspeed2_raw = 255;      ///< current #2 speed, as cspeed
    std::uint16_t cdir2 = 360;           ///< current #2 direction; 360 = n/a
    std::uint8_t cdepth2 = 31;           ///< current #2 depth, m 0..30; 31 = n/a
    std::uint8_t cspeed3_raw = 255;      ///< current #3 speed, as cspeed
    std::uint16_t cdir3 = 360;           ///< current #3 direction; 360 = n/a
    std::uint8_t cdepth3 = 31;           ///< current #3 depth, m 0..30; 31 = n/a
    std::uint8_t waveheight_raw = 255;   ///< significant wave height, 0.1 m, 251 ≥ 25.1; 255 n/a
    std::uint8_t waveperiod = 63;        ///< wave period, s 0..60; 63 = n/a
    std::uint16_t wavedir = 360;         ///< wave direction, deg; 360 = n/a
    std::uint8_t swellheight_raw = 255;  ///< swell height, as waveheight
    std::uint8_t swellperiod = 63;       ///< swell period, s; 63 = n/a
    std::uint16_t swelldir = 360;        ///< swell direction, deg; 360 = n/a
    std::uint8_t seastate = 13;          ///< Beaufort 0..12; 13 = n/a
    std::int16_t watertemp = 501;        ///< 0.1 °C, −10.0..+50.0; 501 = n/a
    std::uint8_t preciptype = 7;         ///< WMO 306 code table 4.201, 0..6; 7 = n/a
    std::uint16_t salinity_raw = 510;    ///< 0.1 ‰ 0..500; 501..511 = n/a / no sensor
    std::uint8_t ice = 3;                ///< 0 no, 1 yes; 3 = n/a

    /// Degrees (WGS 84), empty for 91° (n/a) or out of range.
    [[nodiscard]] std::optional<double> lat_deg() const noexcept;
    /// Degrees (WGS 84), empty for 181° (n/a) or out of range.
    [[nodiscard]] std::optional<double> lon_deg() const noexcept;
    /// °C, empty for −1024.
    [[nodiscard]] std::optional<double> air_temp_c() const noexcept;
    /// °C, empty for 501.
    [[nodiscard]] std::optional<double> dew_point_c() const noexcept;
    /// hPa (799 means ≤ 799, 1201 ≥ 1201), empty for 403..511.
    [[nodiscard]] std::optional<int> pressure_hpa() const noexcept;
    /// NM, empty for 127.
    [[nodiscard]] std::optional<double> visibility_nm() const noexcept;
    /// m above chart datum, empty for raw > 4000.
    [[nodiscard]] std::optional<double> water_level_m() const noexcept;
    /// °C, empty for 501.
    [[nodiscard]] std::optional<double> water_temp_c() const noexcept;
    /// m, empty for 255.
    [[nodiscard]] std::optional<double> wave_height_m() const noexcept;
};

/// Area notice sub-area: circle (radius > 0) or point (radius 0), SN.1/Circ.289 Table 11.4.
struct AreaCircle {
    std::uint8_t scale = 0;            ///< distances are × 10^scale metres (0..3)
    std::uint8_t precision = 0;        ///< decimal places of the position 0..4
    std::uint16_t radius = 0;          ///< 0..4095 × 10^scale m; 0 = point
    std::int32_t lon_raw = 10'860'000; ///< 1/1,000 min; 181° = n/a
    std::int32_t lat_raw = 5'460'000;  ///< 1/1,000 min; 91° = n/a
};
/// Area notice sub-area: rectangle from its south-west corner (SN.1/Circ.289 Table 11.5).
struct AreaRectangle {
    std::uint8_t scale = 0;            ///< dimensions are × 10^scale metres (0..3)
    std::uint8_t precision = 0;        ///< decimal places of the position 0..4
    std::uint8_t e_dim = 0;            ///< east dimension 0..255 × 10^scale m
    std::uint8_t n_dim = 0;            ///< north dimension 0..255 × 10^scale m
    std::uint16_t orientation = 0;     ///< degrees clockwise from true north 0..359
    std::int32_t lon_raw = 10'860'000; ///< south-west corner, 1/1,000 min; 181° = n/a
    std::int32_t lat_raw = 5'460'000;  ///< south-west corner, 1/1,000 min; 91° = n/a
};
/// Area notice sub-area: sector of a circle (SN.1/Circ.289 Table 11.6).
struct AreaSector {
    std::uint8_t scale = 0;            ///< radius is × 10^scale metres (0..3)
    std::uint8_t precision = 0;        ///< decimal places of the position 0..4
    std::uint16_t radius = 0;          ///< 0..4095 × 10^scale m
    std::uint16_t left_bound = 0;      ///< degrees true 0..359
    std::uint16_t right_bound = 0;     ///< degrees true 0..359
    std::int32_t lon_raw = 10'860'000; ///< centre, 1/1,000 min; 181° = n/a
    std::int32_t lat_raw = 5'460'000;  ///< centre, 1/1,000 min; 91° = n/a
};
/// Area notice sub-area: polyline (waypoints) or polygon continuing the previous sub-area's
/// point, as up to 4 (angle, distance) legs (SN.1/Circ.289 Table 11.7). A distance of 0 ends
/// the list.
struct AreaPolyline {
    std::uint8_t scale = 0;                  ///< distances are × 10^scale metres (0..3)
    bool polygon = false;                    ///< shape 4 (closed) rather than 3
    std::array<std::uint16_t, 4> angle{};    ///< 0.5° steps from true north 0..719; 720 = n/a
    std::array<std::uint16_t, 4> distance{}; ///< 0..1023 × 10^scale m
};
/// Area notice sub-area: text associated with the preceding sub-areas (14 six-bit chars).
struct AreaText {
    FixedText<14> text; ///< 6-bit text, '@' and trailing blanks cut
};
/// Area notice sub-area of a reserved shape (6 or 7): kept as its shape only.
struct AreaReserved {
    std::uint8_t shape = 6;
};
/// One 87-bit sub-area (3-bit shape + 84 bits).
using AreaSubArea =
    std::variant<AreaCircle, AreaRectangle, AreaSector, AreaPolyline, AreaText, AreaReserved>;

/// DAC 1 FI 22 (type 8): area notice (broadcast), IMO SN.1/Circ.289 Annex §11 (Table 11.1):
/// a header of 55 bits then 1..10 sub-areas of 87 bits each (bits 111..).
struct AreaNotice {
    static constexpr int max_subareas = 10; ///< 5 slots hold at most 10 sub-areas
    std::uint16_t linkage = 0;              ///< message linkage ID 1..1023; 0 = n/a
    std::uint8_t notice = 127;              ///< notice description 0..127 (Table 11.2)
    std::uint8_t month = 0;                 ///< UTC start month 1..12; 0 = n/a
    std::uint8_t day = 0;                   ///< UTC start day 1..31; 0 = n/a
    std::uint8_t hour = 24;                 ///< UTC start hour 0..23; 24 = n/a
    std::uint8_t minute = 60;               ///< UTC start minute 0..59; 60 = n/a
    std::uint32_t duration = 262'143;       ///< minutes 0..262142; 262143 = undefined
    std::uint8_t subarea_count = 0;         ///< sub-areas present 0..10
    std::array<AreaSubArea, max_subareas> subareas{};

    /// Shape code 0..7 of a sub-area (3 and 4 are both AreaPolyline).
    [[nodiscard]] static int shape(const AreaSubArea& s) noexcept;
};

/// DAC 200 FI 10 (type 8): inland ship static and voyage related data, Inland AIS standard
/// (CCNR/UNECE, ed. 2.0 §2.4.1.2 "Inland specific message"). 168 bits.
struct InlandStaticVoyage {
    FixedText<8> vin;           ///< European vessel identification number (ENI), 8 chars
    std::uint16_t length = 0;   ///< length of ship/convoy, 0.1 m 1..8000; 0 = n/a
    std::uint16_t beam = 0;     ///< beam, 0.1 m 1..1000; 0 = n/a
    std::uint16_t shiptype = 0; ///< ERI ship or combination type code (8000..8510)
    std::uint8_t hazard = 5;    ///< hazardous cargo: blue cones 0..3, 4 = B-flag, 5 = unknown
    std::uint16_t draught = 0;  ///< 0.01 m 1..2000; 0 = n/a
    std::uint8_t loaded = 0;    ///< 1 = unloaded, 2 = loaded, 0 = n/a
    bool speed_q = false;       ///< speed from an approved sensor
    bool course_q = false;      ///< course from an approved sensor
    bool heading_q = false;     ///< heading from an approved sensor

    /// Metres, empty for 0 (n/a).
    [[nodiscard]] std::optional<double> length_m() const noexcept;
    /// Metres, empty for 0 (n/a).
    [[nodiscard]] std::optional<double> beam_m() const noexcept;
    /// Metres, empty for 0 (n/a).
    [[nodiscard]] std::optional<double> draught_m() const noexcept;
};

/// DAC 1 FI 29 (type 8) and DAC 1 FI 30 (type 6): text description linked to another message,
/// IMO SN.1/Circ.289 Annex §5 (Tables 5.1/5.2): linkage ID then 6-bit text to the end.
struct TextDescription {
    std::uint16_t linkage = 0; ///< message linkage ID 1..1023; 0 = n/a
    FixedText<157> text;       ///< up to (1008 − 66) / 6 characters, '@' and trailing blanks cut
};

/// DAC 1 FI 12 (type 6): dangerous cargo indication, IMO SN/Circ.236 Annex 2 application 2.
/// 360 bits.
struct DangerousCargoImo236 {
    FixedText<5> lastport;     ///< UN/LOCODE of the last port of call (bits 88..117)
    std::uint8_t lmonth = 0;   ///< UTC month of departure 1..12; 0 = n/a
    std::uint8_t lday = 0;     ///< UTC day 1..31; 0 = n/a
    std::uint8_t lhour = 24;   ///< UTC hour 0..23; 24 = n/a
    std::uint8_t lminute = 60; ///< UTC minute 0..59; 60 = n/a
    FixedText<5> nextport;     ///< UN/LOCODE of the next port of call (bits 138..167)
    std::uint8_t nmonth = 0;   ///< ETA month 1..12; 0 = n/a
    std::uint8_t nday = 0;     ///< ETA day 1..31; 0 = n/a
    std::uint8_t nhour = 24;   ///< ETA hour 0..23; 24 = n/a
    std::uint8_t nminute = 60; ///< ETA minute 0..59; 60 = n/a
    FixedText<20> dangerous;   ///< main dangerous good (bits 188..307)
    FixedText<4> imdcat;       ///< IMDG class or division (bits 308..331)
    std::uint16_t unid = 0;    ///< UN number 1..3363; 0 = n/a
    std::uint16_t amount = 0;  ///< amount of cargo 1..1023; 0 = n/a
    std::uint8_t unit = 0;     ///< 1 = kg, 2 = t, 3 = 1000 t; 0 = n/a
};

/// One position of a tidal window.
struct TidalPoint {
    std::int32_t lon_raw = 0;    ///< longitude (resolution per TidalWindow::imo236)
    std::int32_t lat_raw = 0;    ///< latitude (resolution per TidalWindow::imo236)
    std::uint8_t from_hour = 24; ///< UTC 0..23; 24 = n/a
    std::uint8_t from_min = 60;  ///< UTC 0..59; 60 = n/a
    std::uint8_t to_hour = 24;   ///< UTC 0..23; 24 = n/a
    std::uint8_t to_min = 60;    ///< UTC 0..59; 60 = n/a
    std::uint16_t cdir = 360;    ///< predicted current direction, deg 0..359; 360 = n/a
    std::uint8_t cspeed = 255;   ///< predicted current speed, 0.1 kn (n/a: 127 in FI 14, 255 FI 32)
};

/// DAC 1 FI 14 (IMO SN/Circ.236 Annex 2 application 3: latitude 27 then longitude 28 bits in
/// 1/10,000 min, current speed 7 bits; 93 bits a point) or DAC 1 FI 32 (IMO SN.1/Circ.289
/// Annex §14: longitude 25 then latitude 24 bits in 1/1,000 min, current speed 8 bits; 88 bits
/// a point) (type 6): tidal window, month and day (bits 88..96) then up to 3 points from bit 97.
/// A point cut by the payload end is decoded from its bits present (rest 0), as gpsd does.
struct TidalWindow {
    static constexpr int max_points = 3;
    bool imo236 = false;    ///< FI 14 layout (true) or FI 32 (false)
    std::uint8_t month = 0; ///< UTC month 1..12; 0 = n/a
    std::uint8_t day = 0;   ///< UTC day 1..31; 0 = n/a
    std::uint8_t count = 0; ///< points present 0..3
    std::array<TidalPoint, max_points> points{};

    /// Latitude of point `p` in degrees, empty for 91° (n/a) or out of range.
    [[nodiscard]] std::optional<double> lat_deg(const TidalPoint& p) const noexcept;
    /// Longitude of point `p` in degrees, empty for 181° (n/a) or out of range.
    [[nodiscard]] std::optional<double> lon_deg(const TidalPoint& p) const noexcept;
    /// Raw units per minute of arc: 10,000 (FI 14) or 1,000 (FI 32).
    [[nodiscard]] int units_per_minute() const noexcept { return imo236 ? 10'000 : 1'000; }
};

/// DAC 1 FI 18 (type 6): clearance time to enter port, IMO SN.1/Circ.289 Annex §7
/// (Table 7.1). 360 bits.
struct ClearanceTime {
    std::uint16_t linkage = 0;         ///< message linkage ID 1..1023; 0 = n/a
    std::uint8_t month = 0;            ///< UTC month 1..12; 0 = n/a
    std::uint8_t day = 0;              ///< UTC day 1..31; 0 = n/a
    std::uint8_t hour = 24;            ///< UTC hour 0..23; 24 = n/a
    std::uint8_t minute = 60;          ///< UTC minute 0..59; 60 = n/a
    FixedText<20> portname;            ///< name of port and berth (bits 118..237)
    FixedText<5> destination;          ///< UN/LOCODE (bits 238..267)
    std::int32_t lon_raw = 10'860'000; ///< bits 268..292, 1/1,000 min; 181° = n/a
    std::int32_t lat_raw = 5'460'000;  ///< bits 293..316, 1/1,000 min; 91° = n/a

    /// Degrees (WGS 84), empty for 91° (n/a) or out of range.
    [[nodiscard]] std::optional<double> lat_deg() const noexcept;
    /// Degrees (WGS 84), empty for 181° (n/a) or out of range.
    [[nodiscard]] std::optional<double> lon_deg() const noexcept;
};

/// DAC 200 FI 55 (type 6): number of persons on board, Inland AIS standard ed. 2.0. 168 bits.
struct InlandPersonsOnBoard {
    std::uint8_t crew = 255;         ///< crew members 0..254; 255 = unknown
    std::uint16_t passengers = 8191; ///< passengers 0..8190; 8191 = unknown
    std::uint8_t personnel = 255;    ///< shipboard personnel 0..254; 255 = unknown
};

/// DAC 235 or 250 FI 10 (type 6): AtoN monitoring data of the UK and Irish General Lighthouse
/// Authorities (GLA). 136 bits.
struct AtonMonitoring {
    std::uint16_t ana_int = 0;  ///< internal supply voltage, 0.05 V 0..1023
    std::uint16_t ana_ext1 = 0; ///< external analogue input 1, 0.05 V
    std::uint16_t ana_ext2 = 0; ///< external analogue input 2, 0.05 V
    std::uint8_t racon = 0;     ///< 0 none, 1 not monitored, 2 operational, 3 error
    std::uint8_t light = 0;     ///< 0 none/not monitored, 1 on, 2 off, 3 error
    bool alarm = false;         ///< health alarm
    std::uint8_t stat_ext = 0;  ///< external digital inputs, one bit each
    bool off_pos = false;       ///< off-position indicator

    /// Volts (raw × 0.05).
    [[nodiscard]] static double volts(std::uint16_t raw) noexcept { return raw * 0.05; }
};

/// Application messages of type 6 that Sahil decodes; std::monostate for any other DAC/FI or
/// a layout rejected by its length check (the raw bits are then all there is).
using AddressedApplication =
    std::variant<std::monostate, DangerousCargoImo236, TidalWindow, ClearanceTime, TextDescription,
                 InlandPersonsOnBoard, AtonMonitoring>;

/// Application messages of type 8 that Sahil decodes; std::monostate otherwise.
using BroadcastApplication = std::variant<std::monostate, MeteoHydroImo236, MeteoHydroImo289,
                                          AreaNotice, TextDescription, InlandStaticVoyage>;

} // namespace sahil::ais
