// Decoded AIS messages of types 4/11, 7/13, 9, 10, 12, 14, 15, 16, 17, 20, 21, 22, 23 and 27
// (ITU-R M.1371-5 Annex 8). Included by ais/messages.hpp; see there for conventions: raw integer
// fields exactly as transmitted (so values compare 1:1 with `gpsdecode -u`), scaled accessors
// that return an empty std::optional for the standard's "not available" values, text in
// FixedText, fixed arrays instead of containers (decoding never allocates).
//
// `decode("403OviQuMGCqWrRO9>E6fE700@GO", 0)` -> BaseStationReport{type 4, MMSI 3669702,
// 2007-05-14T19:57:39Z, lon_raw -45811417, lat_raw 22130260, epfd 7, ...}.
//
// Two position resolutions occur here: 1/10,000 minute (types 4/11, 9, 21, as types 1-3;
// 91° = 54,600,000 and 181° = 108,600,000 are "not available") and 1/10 minute (types 17, 22, 23,
// 27; 91° = 54,600 and 181° = 108,600 are "not available").
//
// Thread-safety: plain values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "ais/text.hpp"
#include "ais/time.hpp"

namespace sahil::ais {

/// Types 4 and 11: base station report / UTC and date response (M.1371-5 Table 53).
/// Nominal length 168 bits.
struct BaseStationReport {
    std::uint8_t type = 4; ///< 4 (base station report) or 11 (UTC/date response)
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    std::uint16_t year = 0;             ///< UTC year 1..9999; 0 = n/a
    std::uint8_t month = 0;             ///< UTC month 1..12; 0 = n/a
    std::uint8_t day = 0;               ///< UTC day 1..31; 0 = n/a
    std::uint8_t hour = 24;             ///< UTC hour 0..23; 24 = n/a
    std::uint8_t minute = 60;           ///< UTC minute 0..59; 60 = n/a
    std::uint8_t second = 60;           ///< UTC second 0..59; 60 = n/a
    bool accuracy = false;              ///< position accuracy flag: true = high (< 10 m)
    std::int32_t lon_raw = 108'600'000; ///< longitude, 1/10,000 min, ±180°; 181° = n/a
    std::int32_t lat_raw = 54'600'000;  ///< latitude, 1/10,000 min, ±90°; 91° = n/a
    std::uint8_t epfd = 0;   ///< type of electronic position fixing device 0..15; 0 = undefined
    bool raim = false;       ///< RAIM in use
    std::uint32_t radio = 0; ///< SOTDMA communication state (19 bits)

    /// Latitude in degrees (WGS 84), empty when n/a (91°) or out of range.
    [[nodiscard]] std::optional<double> lat_deg() const;
    /// Longitude in degrees (WGS 84), empty when n/a (181°) or out of range.
    [[nodiscard]] std::optional<double> lon_deg() const;
    /// The station's UTC date and time, empty when any of its fields is n/a or the date does
    /// not exist (e.g. 31 February).
    [[nodiscard]] std::optional<UtcTime> utc_time() const;
};

/// One acknowledged message of types 7 and 13.
struct Acknowledgement {
    std::uint32_t mmsi = 0; ///< destination MMSI being acknowledged (30 bits)
    std::uint8_t seqno = 0; ///< sequence number 0..3 of the acknowledged message
};

/// Types 7 and 13: binary / safety related acknowledge (M.1371-5 Table 57).
/// 72, 104, 136 or 168 bits for 1..4 acknowledgements; longer is errc::too_long_for_type.
struct BinaryAcknowledge {
    std::uint8_t type = 7; ///< 7 (binary) or 13 (safety related)
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    /// Acknowledgements 1..4; entries past `ack_count` are zero. An entry cut short by the
    /// payload end reads its missing bits as 0 (as gpsd does) and flags length_mismatch.
    std::array<Acknowledgement, 4> acks{};
    std::uint8_t ack_count = 0; ///< entries present, at least in part: 1..4
};

/// Type 9: standard SAR aircraft position report (M.1371-5 Table 59). Nominal length 168 bits.
struct SarAircraftReport {
    static constexpr int type_number = 9;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    std::uint16_t altitude_raw = 4095;  ///< altitude, metres 0..4094; 4094 = ≥ 4094 m; 4095 = n/a
    std::uint16_t sog_raw = 1023;       ///< speed over ground in whole knots (not 0.1 kn!)
                                        ///< 0..1022; 1022 = ≥ 1022 kn; 1023 = n/a
    bool accuracy = false;              ///< position accuracy flag: true = high (< 10 m)
    std::int32_t lon_raw = 108'600'000; ///< longitude, 1/10,000 min, ±180°; 181° = n/a
    std::int32_t lat_raw = 54'600'000;  ///< latitude, 1/10,000 min, ±90°; 91° = n/a
    std::uint16_t cog_raw = 3600;       ///< course over ground, 0.1°, 0..3599; 3600 = n/a
    std::uint8_t second = 60;           ///< UTC second 0..59; 60..63 = n/a / manual / DR / off
    /// Bits 134..141 (gpsd's "regional"): M.1371-5 puts the altitude sensor flag in the first
    /// bit (see altitude_from_barometer()) followed by 7 spare bits.
    std::uint8_t regional = 0;
    bool dte = true;         ///< data terminal ready: false = available
    bool assigned = false;   ///< assigned mode flag
    bool raim = false;       ///< RAIM in use
    std::uint32_t radio = 0; ///< communication state incl. selector flag (20 bits)

    /// Altitude in metres (GNSS or barometric), empty when n/a (4095). 4094 means ≥ 4094 m.
    [[nodiscard]] std::optional<int> altitude_m() const;
    /// True when the altitude comes from a barometric sensor (M.1371-5 altitude sensor bit).
    [[nodiscard]] bool altitude_from_barometer() const noexcept { return (regional & 0x80U) != 0; }
    /// Speed over ground in knots, empty when n/a (1023). 1022 means ≥ 1022 kn.
    [[nodiscard]] std::optional<double> sog_knots() const;
    /// Course over ground in degrees [0, 360), empty when n/a (3600) or invalid.
    [[nodiscard]] std::optional<double> cog_deg() const;
    /// Latitude in degrees (WGS 84), empty when n/a (91°) or out of range.
    [[nodiscard]] std::optional<double> lat_deg() const;
    /// Longitude in degrees (WGS 84), empty when n/a (181°) or out of range.
    [[nodiscard]] std::optional<double> lon_deg() const;
    /// UTC second 0..59, empty when 60..63.
    [[nodiscard]] std::optional<int> utc_second() const;
};

/// Type 10: UTC and date inquiry (M.1371-5 Table 60). Nominal length 72 bits.
struct UtcInquiry {
    static constexpr int type_number = 10;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    std::uint32_t dest_mmsi = 0; ///< MMSI of the station asked for UTC/date (30 bits)
};

/// Type 12: addressed safety related message (M.1371-5 Table 61). 72..1,008 bits.
struct AddressedSafety {
    static constexpr int type_number = 12;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    std::uint8_t seqno = 0;      ///< sequence number 0..3
    std::uint32_t dest_mmsi = 0; ///< destination MMSI (30 bits)
    bool retransmit = false;     ///< retransmit flag: true = retransmitted
    /// Safety related text, 6-bit characters (M.1371-5 Table 47) from bit 72 to the end of the
    /// payload, cut at the first '@', trailing blanks removed; at most (1,008 − 72) / 6 = 156.
    FixedText<156> text;
};

/// Type 14: safety related broadcast message (M.1371-5 Table 62). 40..1,008 bits.
struct SafetyBroadcast {
    static constexpr int type_number = 14;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    /// Safety related text, 6-bit characters from bit 40 to the end of the payload, cut at the
    /// first '@', trailing blanks removed; at most (1,008 − 40) / 6 = 161.
    FixedText<161> text;
};

/// Type 15: interrogation (M.1371-5 Table 63). 88 bits (one request), 112 (two requests to one
/// station) or 160 (a third to a second station); 88..168 accepted. Requests past the payload
/// end are zero.
struct Interrogation {
    static constexpr int type_number = 15;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    std::uint32_t mmsi1 = 0;     ///< first interrogated station (30 bits)
    std::uint8_t type1_1 = 0;    ///< first message type requested from station 1 (0..63)
    std::uint16_t offset1_1 = 0; ///< its slot offset 0..4095
    std::uint8_t type1_2 = 0;    ///< second message type requested from station 1; 0 = none
    std::uint16_t offset1_2 = 0; ///< its slot offset 0..4095
    std::uint32_t mmsi2 = 0;     ///< second interrogated station; 0 = none
    std::uint8_t type2_1 = 0;    ///< message type requested from station 2; 0 = none
    std::uint16_t offset2_1 = 0; ///< its slot offset 0..4095
};

/// Type 16: assigned mode command (M.1371-5 Table 64). 96 bits (one station) or 144 (two);
/// 96..168 accepted. Below 144 bits the second assignment is zero.
struct AssignmentCommand {
    static constexpr int type_number = 16;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    std::uint32_t mmsi1 = 0;      ///< destination A MMSI (30 bits)
    std::uint16_t offset1 = 0;    ///< slot offset A 0..4095
    std::uint16_t increment1 = 0; ///< increment A 0..1023
    std::uint32_t mmsi2 = 0;      ///< destination B MMSI; 0 = none
    std::uint16_t offset2 = 0;    ///< slot offset B 0..4095
    std::uint16_t increment2 = 0; ///< increment B 0..1023
};

/// Type 17: GNSS broadcast binary message (M.1371-5 Table 65): a reference station position
/// and DGNSS corrections (ITU-R M.823 message body). 80..816 bits.
struct DgnssBroadcast {
    static constexpr int type_number = 17;
    /// Longest correction data: 816 − 80 = 736 bits.
    static constexpr int max_data_bits = 736;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    std::int32_t lon_raw = 108'600; ///< reference longitude, 1/10 min, 18 bits signed; 181° = n/a
    std::int32_t lat_raw = 54'600;  ///< reference latitude, 1/10 min, 17 bits signed; 91° = n/a
    std::uint16_t data_bits = 0;    ///< number of correction data bits 0..736
    /// Correction data from bit 80, most significant bit first; bits past `data_bits` are 0.
    std::array<std::uint8_t, max_data_bits / 8> data{};

    /// Latitude in degrees (WGS 84), empty when n/a (91°) or out of range.
    [[nodiscard]] std::optional<double> lat_deg() const;
    /// Longitude in degrees (WGS 84), empty when n/a (181°) or out of range.
    [[nodiscard]] std::optional<double> lon_deg() const;
    /// The ⌈data_bits / 8⌉ bytes of correction data.
    [[nodiscard]] std::span<const std::uint8_t> data_bytes() const noexcept {
        return {data.data(), (static_cast<std::size_t>(data_bits) + 7U) / 8U};
    }
};

/// One FATDMA slot reservation of type 20.
struct SlotReservation {
    std::uint16_t offset = 0;    ///< offset number 0..4095; 0 = no reservation (with number 0)
    std::uint8_t number = 0;     ///< number of consecutive slots 1..15; 0 = none
    std::uint8_t timeout = 0;    ///< time-out in minutes 0..7
    std::uint16_t increment = 0; ///< increment 0..1125 slots; 0 = one reservation per frame
};

/// Type 20: data link management (M.1371-5 Table 72). 72, 104, 136 or 160 bits for 1..4
/// reservations; 72..186 accepted.
struct DataLinkManagement {
    static constexpr int type_number = 20;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    std::array<SlotReservation, 4> reservations{}; ///< those past the payload end are zero
    std::uint8_t reservation_count = 0;            ///< reservations present, 1..4
};

/// Type 21: aids-to-navigation report (M.1371-5 Table 73). 272 bits, up to 360 with the name
/// extension; 272..368 accepted.
struct AidToNavigationReport {
    static constexpr int type_number = 21;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    std::uint8_t aid_type = 0; ///< type of aid to navigation 0..31; 0 = not specified
    /// Name: 20 six-bit characters, followed when all 20 are used by the name extension
    /// (bits 272.., up to 14 more characters); cut at the first '@', trailing blanks removed.
    FixedText<34> name;
    bool accuracy = false;              ///< position accuracy flag: true = high (< 10 m)
    std::int32_t lon_raw = 108'600'000; ///< longitude, 1/10,000 min, ±180°; 181° = n/a
    std::int32_t lat_raw = 54'600'000;  ///< latitude, 1/10,000 min, ±90°; 91° = n/a
    std::uint16_t to_bow = 0;           ///< dimension A, metres 0..511
    std::uint16_t to_stern = 0;         ///< dimension B, metres 0..511
    std::uint8_t to_port = 0;           ///< dimension C, metres 0..63
    std::uint8_t to_starboard = 0;      ///< dimension D, metres 0..63
    std::uint8_t epfd = 0;              ///< type of electronic position fixing device 0..15
    std::uint8_t second = 60;           ///< UTC second 0..59; 60..63 = n/a / manual / DR / off
    bool off_position = false;          ///< off-position indicator (floating aids only)
    std::uint8_t regional = 0;          ///< AtoN status, 8 bits (gpsd's "regional")
    bool raim = false;                  ///< RAIM in use
    bool virtual_aid = false;           ///< true = virtual AtoN (no physical aid)
    bool assigned = false;              ///< assigned mode flag

    /// Latitude in degrees (WGS 84), empty when n/a (91°) or out of range.
    [[nodiscard]] std::optional<double> lat_deg() const;
    /// Longitude in degrees (WGS 84), empty when n/a (181°) or out of range.
    [[nodiscard]] std::optional<double> lon_deg() const;
    /// UTC second 0..59, empty when 60..63.
    [[nodiscard]] std::optional<int> utc_second() const;
};

/// A rectangular region given by its north-east and south-west corners in 1/10 minute
/// (types 22 and 23; 18-bit longitudes, 17-bit latitudes, signed).
struct RegionCorners {
    std::int32_t ne_lon_raw = 0; ///< north-east corner longitude, 1/10 min
    std::int32_t ne_lat_raw = 0; ///< north-east corner latitude, 1/10 min
    std::int32_t sw_lon_raw = 0; ///< south-west corner longitude, 1/10 min
    std::int32_t sw_lat_raw = 0; ///< south-west corner latitude, 1/10 min

    /// Corner coordinates in degrees, empty when outside ±180° / ±90° (181°/91° included).
    [[nodiscard]] std::optional<double> ne_lon_deg() const;
    [[nodiscard]] std::optional<double> ne_lat_deg() const;
    [[nodiscard]] std::optional<double> sw_lon_deg() const;
    [[nodiscard]] std::optional<double> sw_lat_deg() const;
};

/// Type 22: channel management (M.1371-5 Table 74). Nominal length 168 bits. Broadcast
/// (`addressed` false) carries a region, addressed carries two destination MMSIs; only the
/// members of the given form are set.
struct ChannelManagement {
    static constexpr int type_number = 22;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    std::uint16_t channel_a = 0; ///< channel number A (ITU-R M.1084), 12 bits
    std::uint16_t channel_b = 0; ///< channel number B, 12 bits
    std::uint8_t txrx = 0;       ///< Tx/Rx mode 0..2 (4 bits; 0 = TxA/TxB, RxA/RxB, default)
    bool power = false;          ///< power level: false = high (default), true = low
    RegionCorners area;          ///< broadcast form only
    std::uint32_t dest1 = 0;     ///< addressed form only: first destination MMSI
    std::uint32_t dest2 = 0;     ///< addressed form only: second destination MMSI
    bool addressed = false;      ///< true = addressed to dest1/dest2, false = regional area
    bool band_a = false;         ///< channel A bandwidth flag (12.5 kHz in M.1371-1; spare now)
    bool band_b = false;         ///< channel B bandwidth flag (12.5 kHz in M.1371-1; spare now)
    std::uint8_t zonesize = 0;   ///< transitional zone size, 1..8 NM as 0..7
};

/// Type 23: group assignment command (M.1371-5 Table 75). Nominal length 160 bits.
struct GroupAssignment {
    static constexpr int type_number = 23;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    RegionCorners area;           ///< region the command applies to
    std::uint8_t stationtype = 0; ///< station type 0..15; 0 = all types of mobiles
    std::uint8_t shiptype = 0;    ///< type of ship and cargo 0..255; 0 = all types
    std::uint8_t txrx = 0;        ///< Tx/Rx mode 0..3 (2 bits)
    std::uint8_t interval = 0;    ///< reporting interval code 0..15 (M.1371-5, message 23 table)
    std::uint8_t quiet = 0;       ///< quiet time in minutes 1..15; 0 = none
};

/// Type 27: long-range AIS broadcast (M.1371-5 Table 81). 96 bits; the 168-bit form seen in the
/// wild is accepted and flagged length_mismatch, other lengths are rejected.
struct LongRangePositionReport {
    static constexpr int type_number = 27;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
    bool accuracy = false;          ///< position accuracy flag: true = high (< 10 m)
    bool raim = false;              ///< RAIM in use
    std::uint8_t nav_status = 15;   ///< navigational status 0..15; 15 = not defined
    std::int32_t lon_raw = 108'600; ///< longitude, 1/10 min, 18 bits signed; 181° = n/a
    std::int32_t lat_raw = 54'600;  ///< latitude, 1/10 min, 17 bits signed; 91° = n/a
    std::uint8_t sog_raw = 63;      ///< speed over ground, whole knots 0..62; 63 = n/a
    std::uint16_t cog_raw = 511;    ///< course over ground, whole degrees 0..359; 511 = n/a
    /// Bit 94 (gpsd's "gnss"): M.1371-5 position latency, false = < 5 s, true = > 5 s
    /// (default); M.1371-4 called it GNSS position status (false = current GNSS position).
    bool position_latency = true;

    /// Latitude in degrees (WGS 84), empty when n/a (91°) or out of range.
    [[nodiscard]] std::optional<double> lat_deg() const;
    /// Longitude in degrees (WGS 84), empty when n/a (181°) or out of range.
    [[nodiscard]] std::optional<double> lon_deg() const;
    /// Speed over ground in knots, empty when n/a (63).
    [[nodiscard]] std::optional<double> sog_knots() const;
    /// Course over ground in degrees [0, 360), empty when n/a (511) or invalid (≥ 360).
    [[nodiscard]] std::optional<double> cog_deg() const;
};

} // namespace sahil::ais
