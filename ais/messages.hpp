// Decoded AIS messages (ITU-R M.1371-5, Annex 8).
//
// Each struct keeps the raw integer fields exactly as transmitted (so no rounding policy is
// forced on users and values compare 1:1 with `gpsdecode -u`), and offers accessors that scale
// them and map the standard's "not available" values to an empty std::optional:
// latitude 91° (54,600,000 in 1/10,000 min), longitude 181° (108,600,000), SOG 1023 (102.3 kn),
// COG 3600 (360°), true heading 511, ROT −128, time stamp second 60..63.
// Data path: decode() -> FeedRecord -> tracking.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>

#include "ais/messages_binary.hpp"
#include "ais/messages_station.hpp"
#include "ais/text.hpp"

namespace sahil::ais {

/// Common position fields of types 1, 2, 3, 18 and 19, with scaled accessors.
struct PositionFields {
    std::uint16_t sog_raw = 1023;       ///< speed over ground, 0.1 kn; 1023 = n/a; 1022 = ≥102.2
    bool accuracy = false;              ///< position accuracy flag: true = high (< 10 m)
    std::int32_t lon_raw = 108'600'000; ///< longitude, 1/10,000 min, ±180°; 181° = n/a
    std::int32_t lat_raw = 54'600'000;  ///< latitude, 1/10,000 min, ±90°; 91° = n/a
    std::uint16_t cog_raw = 3600;       ///< course over ground, 0.1°, 0..3599; 3600 = n/a
    std::uint16_t heading_raw = 511;    ///< true heading, degrees 0..359; 511 = n/a
    std::uint8_t second = 60;           ///< UTC second of the report 0..59; 60..63 = n/a/modes
    bool raim = false;                  ///< RAIM in use

    /// Latitude in degrees (WGS 84), empty when n/a or out of range.
    [[nodiscard]] std::optional<double> lat_deg() const;
    /// Longitude in degrees (WGS 84), empty when n/a or out of range.
    [[nodiscard]] std::optional<double> lon_deg() const;
    /// Speed over ground in knots, empty when n/a (1023).
    [[nodiscard]] std::optional<double> sog_knots() const;
    /// Course over ground in degrees [0, 360), empty when n/a or invalid (≥ 3600).
    [[nodiscard]] std::optional<double> cog_deg() const;
    /// True heading in degrees [0, 359], empty when n/a (511) or invalid.
    [[nodiscard]] std::optional<double> heading_deg() const;
    /// UTC second of the report 0..59, empty when 60..63 (n/a, manual, dead reckoning, off).
    [[nodiscard]] std::optional<int> utc_second() const;
};

/// Types 1, 2, 3: Class A position report (M.1371-5 Table 47).
struct PositionReport : PositionFields {
    std::uint8_t type = 1;        ///< 1, 2 or 3
    std::uint8_t repeat = 0;      ///< repeat indicator 0..3
    std::uint32_t mmsi = 0;       ///< source MMSI (30 bits)
    std::uint8_t nav_status = 15; ///< navigational status 0..15; 15 = not defined
    std::int8_t rot_raw = -128;   ///< rate of turn indicator ROT_AIS −127..127; −128 = n/a
    std::uint8_t maneuver = 0;    ///< special manoeuvre indicator 0..2
    std::uint32_t radio = 0;      ///< communication state (19 bits)

    /// Rate of turn in degrees per minute, (ROT_AIS / 4.733)² with sign; empty when n/a (−128)
    /// or when only a direction is known (±127: turning > 5°/30 s, no rate).
    [[nodiscard]] std::optional<double> rot_deg_per_min() const;
};

/// Type 5: Class A static and voyage related data (M.1371-5 Table 52).
struct StaticVoyageData {
    static constexpr int type_number = 5;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    std::uint8_t ais_version = 0;  ///< 0 = M.1371-1, 1..3 later editions
    std::uint32_t imo = 0;         ///< IMO number; 0 = n/a
    FixedText<7> callsign;         ///< call sign, 7 six-bit chars, '@' and trailing blanks cut
    FixedText<20> shipname;        ///< name, 20 six-bit chars
    std::uint8_t shiptype = 0;     ///< type of ship and cargo 0..255; 0 = n/a
    std::uint16_t to_bow = 0;      ///< dimension A, metres 0..511
    std::uint16_t to_stern = 0;    ///< dimension B, metres 0..511
    std::uint8_t to_port = 0;      ///< dimension C, metres 0..63
    std::uint8_t to_starboard = 0; ///< dimension D, metres 0..63
    std::uint8_t epfd = 0;         ///< type of electronic position fixing device 0..15
    std::uint8_t eta_month = 0;    ///< ETA month 1..12; 0 = n/a
    std::uint8_t eta_day = 0;      ///< ETA day 1..31; 0 = n/a
    std::uint8_t eta_hour = 24;    ///< ETA hour 0..23; 24 = n/a
    std::uint8_t eta_minute = 60;  ///< ETA minute 0..59; 60 = n/a
    std::uint8_t draught_raw = 0;  ///< maximum present static draught, 0.1 m; 0 = n/a
    FixedText<20> destination;     ///< destination, 20 six-bit chars
    bool dte = true;               ///< data terminal ready: false = available
};

/// Type 18: standard Class B CS position report (M.1371-5 Table 70).
struct ClassBPositionReport : PositionFields {
    static constexpr int type_number = 18;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    std::uint8_t reserved = 0; ///< regional reserved (8 bits)
    std::uint8_t regional = 0; ///< regional reserved (2 bits)
    bool cs = false;           ///< Class B unit flag: true = carrier-sense (CS) unit
    bool display = false;      ///< has an integrated display
    bool dsc = false;          ///< has DSC
    bool band = false;         ///< can use the whole marine band
    bool msg22 = false;        ///< accepts channel management by message 22
    bool assigned = false;     ///< mode flag: true = assigned mode
    std::uint32_t radio = 0;   ///< communication state (20 bits incl. selector)
};

/// Type 19: extended Class B position report (M.1371-5 Table 71).
struct ClassBExtendedReport : PositionFields {
    static constexpr int type_number = 19;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    std::uint8_t reserved = 0; ///< regional reserved (8 bits)
    std::uint8_t regional = 0; ///< regional reserved (4 bits)
    FixedText<20> shipname;
    std::uint8_t shiptype = 0;
    std::uint16_t to_bow = 0;
    std::uint16_t to_stern = 0;
    std::uint8_t to_port = 0;
    std::uint8_t to_starboard = 0;
    std::uint8_t epfd = 0;
    bool dte = true;
    bool assigned = false;
};

/// Type 24: static data report, part A (name) or part B (type, vendor, call sign, dimensions)
/// (M.1371-5 Tables 76–78). Only the fields of the given part are meaningful.
struct StaticDataReport {
    static constexpr int type_number = 24;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    std::uint8_t part = 0; ///< 0 = part A, 1 = part B
    // part A
    FixedText<20> shipname;
    // part B
    std::uint8_t shiptype = 0;
    FixedText<7> vendorid;    ///< 7 chars (bits 48..89, M.1371-3 layout, as gpsd)
    std::uint8_t model = 0;   ///< unit model code (bits 66..69, M.1371-4 layout)
    std::uint32_t serial = 0; ///< serial number (bits 70..89)
    FixedText<7> callsign;
    std::uint16_t to_bow = 0;
    std::uint16_t to_stern = 0;
    std::uint8_t to_port = 0;
    std::uint8_t to_starboard = 0;
    std::uint32_t mothership_mmsi = 0; ///< only for auxiliary craft (MMSI 98xxxxxxx)

    /// True for auxiliary craft (MMSI 98MIDxxxx, ITU-R M.585), whose part B carries the
    /// mother ship's MMSI instead of dimensions.
    [[nodiscard]] bool is_auxiliary() const noexcept { return mmsi / 10'000'000U == 98U; }
};

/// Any ITU-R M.1371-5 message, types 1..27. Structs shared by several type numbers carry a
/// `type` member; the others a `static constexpr int type_number`.
using AisMessage =
    std::variant<PositionReport, BaseStationReport, StaticVoyageData, AddressedBinary,
                 BinaryAcknowledge, BroadcastBinary, SarAircraftReport, UtcInquiry, AddressedSafety,
                 SafetyBroadcast, Interrogation, AssignmentCommand, DgnssBroadcast,
                 ClassBPositionReport, ClassBExtendedReport, DataLinkManagement,
                 AidToNavigationReport, ChannelManagement, GroupAssignment, StaticDataReport,
                 SingleSlotBinary, MultiSlotBinary, LongRangePositionReport>;

/// Message type number (1..27) of a decoded message.
int message_type(const AisMessage& m) noexcept;

/// Source MMSI of a decoded message.
std::uint32_t message_mmsi(const AisMessage& m) noexcept;

} // namespace sahil::ais
