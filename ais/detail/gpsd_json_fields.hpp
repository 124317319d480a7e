// Per-type members of the gpsd AIS JSON rendering (internal to sahil_ais). Each overload
// writes the members that follow gpsd's common prefix ("class","device","type","repeat",
// "mmsi","scaled") in gpsd's order, scaled or unscaled.
#pragma once

#include "ais/json_writer.hpp"
#include "ais/messages.hpp"

namespace sahil::ais::detail {

// ais/gpsd_json_core.cpp
void write_fields(JsonWriter& w, const PositionReport& m, bool scaled);
void write_fields(JsonWriter& w, const StaticVoyageData& m, bool scaled);
void write_fields(JsonWriter& w, const ClassBPositionReport& m, bool scaled);
void write_fields(JsonWriter& w, const ClassBExtendedReport& m, bool scaled);
void write_fields(JsonWriter& w, const StaticDataReport& m, bool scaled);

// ais/gpsd_json_station.cpp
void write_fields(JsonWriter& w, const BaseStationReport& m, bool scaled);
void write_fields(JsonWriter& w, const BinaryAcknowledge& m, bool scaled);
void write_fields(JsonWriter& w, const SarAircraftReport& m, bool scaled);
void write_fields(JsonWriter& w, const UtcInquiry& m, bool scaled);
void write_fields(JsonWriter& w, const AddressedSafety& m, bool scaled);
void write_fields(JsonWriter& w, const SafetyBroadcast& m, bool scaled);
void write_fields(JsonWriter& w, const Interrogation& m, bool scaled);
void write_fields(JsonWriter& w, const AssignmentCommand& m, bool scaled);
void write_fields(JsonWriter& w, const DgnssBroadcast& m, bool scaled);
void write_fields(JsonWriter& w, const DataLinkManagement& m, bool scaled);
void write_fields(JsonWriter& w, const AidToNavigationReport& m, bool scaled);
void write_fields(JsonWriter& w, const ChannelManagement& m, bool scaled);
void write_fields(JsonWriter& w, const GroupAssignment& m, bool scaled);
void write_fields(JsonWriter& w, const LongRangePositionReport& m, bool scaled);

// ais/gpsd_json_binary.cpp
void write_fields(JsonWriter& w, const AddressedBinary& m, bool scaled);
void write_fields(JsonWriter& w, const BroadcastBinary& m, bool scaled);
void write_fields(JsonWriter& w, const SingleSlotBinary& m, bool scaled);
void write_fields(JsonWriter& w, const MultiSlotBinary& m, bool scaled);

} // namespace sahil::ais::detail
