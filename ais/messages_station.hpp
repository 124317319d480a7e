// Decoded AIS messages of types 4/11, 7/13, 9, 10, 12, 14, 15, 16, 17, 20, 21, 22, 23 and 27
// (ITU-R M.1371-5 Annex 8). Included by ais/messages.hpp; see there for conventions.
#pragma once

#include <cstdint>

#include "ais/text.hpp"

namespace sahil::ais {

/// Types 4 and 11: base station report / UTC and date response (M.1371-5 Table 53).
struct BaseStationReport {
    std::uint8_t type = 4; ///< 4 or 11
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Types 7 and 13: binary / safety related acknowledge (M.1371-5 Table 57).
struct BinaryAcknowledge {
    std::uint8_t type = 7; ///< 7 or 13
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Type 9: standard SAR aircraft position report (M.1371-5 Table 59).
struct SarAircraftReport {
    static constexpr int type_number = 9;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Type 10: UTC and date inquiry (M.1371-5 Table 60).
struct UtcInquiry {
    static constexpr int type_number = 10;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Type 12: addressed safety related message (M.1371-5 Table 61).
struct AddressedSafety {
    static constexpr int type_number = 12;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Type 14: safety related broadcast message (M.1371-5 Table 62).
struct SafetyBroadcast {
    static constexpr int type_number = 14;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Type 15: interrogation (M.1371-5 Table 63).
struct Interrogation {
    static constexpr int type_number = 15;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Type 16: assigned mode command (M.1371-5 Table 64).
struct AssignmentCommand {
    static constexpr int type_number = 16;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Type 17: GNSS broadcast binary message (M.1371-5 Table 65).
struct DgnssBroadcast {
    static constexpr int type_number = 17;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Type 20: data link management (M.1371-5 Table 72).
struct DataLinkManagement {
    static constexpr int type_number = 20;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Type 21: aids-to-navigation report (M.1371-5 Table 73).
struct AidToNavigationReport {
    static constexpr int type_number = 21;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Type 22: channel management (M.1371-5 Table 74).
struct ChannelManagement {
    static constexpr int type_number = 22;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Type 23: group assignment command (M.1371-5 Table 75).
struct GroupAssignment {
    static constexpr int type_number = 23;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Type 27: long-range AIS broadcast (M.1371-5 Table 81).
struct LongRangePositionReport {
    static constexpr int type_number = 27;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

} // namespace sahil::ais
