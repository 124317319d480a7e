// Decoded AIS binary messages: types 6, 8, 25, 26 and their application-specific messages
// (ITU-R M.1371-5 Annex 8 §3.4, §3.6, Messages 25 and 26; application identifiers Annex 5
// §2.1). Included by ais/messages.hpp.
//
// `!AIVDM,1,1,,A,602E3U0rFKsn<P<j07,4*5A` -> AddressedBinary{mmsi 2442132, seqno 0,
// dest_mmsi 244740029, retransmit, dac 200, fi 3, data = 16 bits 0x3200, application empty}.
//
// Every binary message keeps its application data as raw bits (BinaryData, inline, no heap);
// types 6 and 8 also carry the decoded application message when Sahil knows its DAC/FI (see
// ais/binary_application.hpp), else std::monostate. Types 25 and 26 follow M.1371-5: an
// addressed message has 2 spare bits after the destination MMSI (byte alignment), so its
// application identifier or data start at bit 72 (gpsd 3.27 and M.1371-3 readers use bit 70;
// tests/data/DIFFERENCES.md).
//
// Thread-safety: plain values.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "ais/binary_application.hpp"

namespace sahil::ais {

/// Application data of a binary message as raw bits, most significant bit first, inline.
/// Bits past `bit_count` in the last byte are 0. A 5-slot message carries at most 1,004
/// application bits (type 26 broadcast, M.1371-5 Message 26 table), so 1,024 bits always fit.
struct BinaryData {
    static constexpr int max_bits = 1024;
    std::array<std::uint8_t, max_bits / 8> bytes{};
    std::uint16_t bit_count = 0; ///< number of data bits 0..1024

    /// Bytes holding the data: ⌈bit_count / 8⌉.
    [[nodiscard]] std::size_t byte_count() const noexcept { return (bit_count + 7U) / 8U; }
    /// The data bytes (byte_count() of them).
    [[nodiscard]] std::span<const std::uint8_t> view() const noexcept {
        return {bytes.data(), byte_count()};
    }
    /// Data bit `i` (0 = first), false past bit_count.
    [[nodiscard]] bool bit(int i) const noexcept {
        if (i < 0 || i >= bit_count) {
            return false;
        }
        return ((bytes[static_cast<std::size_t>(i) / 8U] >> (7U - static_cast<unsigned>(i) % 8U)) &
                1U) != 0;
    }
};

/// Type 6: addressed binary message (M.1371-5 §3.4, Message 6 table). 88..1,008 bits.
struct AddressedBinary {
    static constexpr int type_number = 6;
    std::uint8_t repeat = 0;     ///< repeat indicator 0..3
    std::uint32_t mmsi = 0;      ///< source MMSI
    std::uint8_t seqno = 0;      ///< sequence number 0..3 (bits 38..39)
    std::uint32_t dest_mmsi = 0; ///< destination MMSI (bits 40..69)
    bool retransmit = false;     ///< retransmit flag (bit 70); bit 71 spare
    std::uint16_t dac = 0;       ///< designated area code 0..1023 (bits 72..81); 1 = international
    std::uint8_t fi = 0;         ///< function identifier 0..63 (bits 82..87)
    BinaryData data;             ///< application data, bits 88 to the end
    AddressedApplication application; ///< decoded application message, or std::monostate
};

/// Type 8: binary broadcast message (M.1371-5 §3.6, Message 8 table). 56..1,008 bits.
struct BroadcastBinary {
    static constexpr int type_number = 8;
    std::uint8_t repeat = 0; ///< repeat indicator 0..3
    std::uint32_t mmsi = 0;  ///< source MMSI
    std::uint16_t dac = 0;   ///< designated area code 0..1023 (bits 40..49); bits 38..39 spare
    std::uint8_t fi = 0;     ///< function identifier 0..63 (bits 50..55)
    BinaryData data;         ///< application data, bits 56 to the end
    BroadcastApplication application; ///< decoded application message, or std::monostate
};

/// Destination and application identifier of messages 25 and 26 (M.1371-5 Messages 25/26).
struct SlotBinaryHeader {
    bool addressed = false;      ///< destination indicator (bit 38): true = addressed
    bool structured = false;     ///< binary data flag (bit 39): true = application ID present
    std::uint32_t dest_mmsi = 0; ///< destination MMSI (bits 40..69) if addressed, else 0
    std::uint16_t app_id = 0;    ///< application identifier (DAC << 6 | FI) if structured, else 0

    /// Designated area code from app_id (0 when not structured).
    [[nodiscard]] std::uint16_t dac() const noexcept {
        return static_cast<std::uint16_t>(app_id >> 6U);
    }
    /// Function identifier from app_id.
    [[nodiscard]] std::uint8_t fi() const noexcept {
        return static_cast<std::uint8_t>(app_id & 63U);
    }
    /// First data bit: 40, + 32 when addressed (30-bit MMSI + 2 spare), + 16 when structured.
    [[nodiscard]] int data_start() const noexcept {
        return 40 + (addressed ? 32 : 0) + (structured ? 16 : 0);
    }
};

/// Type 25: single slot binary message (M.1371-5 Message 25 table). 40..168 bits.
struct SingleSlotBinary : SlotBinaryHeader {
    static constexpr int type_number = 25;
    std::uint8_t repeat = 0; ///< repeat indicator 0..3
    std::uint32_t mmsi = 0;  ///< source MMSI
    BinaryData data;         ///< binary data from data_start() to the end
};

/// Type 26: multiple slot binary message with communications state (M.1371-5 Message 26
/// table). 60..1,064 bits: header, data (including the spare bits for byte alignment), then
/// the 20-bit communication state in the last bits.
struct MultiSlotBinary : SlotBinaryHeader {
    static constexpr int type_number = 26;
    std::uint8_t repeat = 0; ///< repeat indicator 0..3
    std::uint32_t mmsi = 0;  ///< source MMSI
    BinaryData data;         ///< binary data from data_start() to 20 bits before the end
    std::uint32_t radio = 0; ///< selector flag (bit 19: 0 SOTDMA, 1 ITDMA) + 19-bit state

    /// True when the communication state is ITDMA (selector flag set), false for SOTDMA.
    [[nodiscard]] bool itdma() const noexcept { return (radio >> 19U) != 0; }
};

} // namespace sahil::ais
