// Decoded AIS binary messages: types 6, 8, 25, 26 and their application-specific messages
// (ITU-R M.1371-5 Annex 8; IMO SN.1/Circ.289; inland AIS). Included by ais/messages.hpp.
#pragma once

#include <cstdint>

#include "ais/text.hpp"

namespace sahil::ais {

/// Type 6: addressed binary message (M.1371-5 Table 56).
struct AddressedBinary {
    static constexpr int type_number = 6;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Type 8: binary broadcast message (M.1371-5 Table 58).
struct BroadcastBinary {
    static constexpr int type_number = 8;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Type 25: single slot binary message (M.1371-5 Table 79).
struct SingleSlotBinary {
    static constexpr int type_number = 25;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

/// Type 26: multiple slot binary message with communications state (M.1371-5 Table 80).
struct MultiSlotBinary {
    static constexpr int type_number = 26;
    std::uint8_t repeat = 0;
    std::uint32_t mmsi = 0;
};

} // namespace sahil::ais
