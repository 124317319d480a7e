// gpsd AIS JSON members of the station message types (see ais/gpsd_json.hpp).
#include "ais/detail/gpsd_json_fields.hpp"

namespace sahil::ais::detail {

void write_fields(JsonWriter&, const BaseStationReport&, bool) {}
void write_fields(JsonWriter&, const BinaryAcknowledge&, bool) {}
void write_fields(JsonWriter&, const SarAircraftReport&, bool) {}
void write_fields(JsonWriter&, const UtcInquiry&, bool) {}
void write_fields(JsonWriter&, const AddressedSafety&, bool) {}
void write_fields(JsonWriter&, const SafetyBroadcast&, bool) {}
void write_fields(JsonWriter&, const Interrogation&, bool) {}
void write_fields(JsonWriter&, const AssignmentCommand&, bool) {}
void write_fields(JsonWriter&, const DgnssBroadcast&, bool) {}
void write_fields(JsonWriter&, const DataLinkManagement&, bool) {}
void write_fields(JsonWriter&, const AidToNavigationReport&, bool) {}
void write_fields(JsonWriter&, const ChannelManagement&, bool) {}
void write_fields(JsonWriter&, const GroupAssignment&, bool) {}
void write_fields(JsonWriter&, const LongRangePositionReport&, bool) {}

} // namespace sahil::ais::detail
