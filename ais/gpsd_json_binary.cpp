// gpsd AIS JSON members of the binary message types (see ais/gpsd_json.hpp).
#include "ais/detail/gpsd_json_fields.hpp"

namespace sahil::ais::detail {

void write_fields(JsonWriter&, const AddressedBinary&, bool) {}
void write_fields(JsonWriter&, const BroadcastBinary&, bool) {}
void write_fields(JsonWriter&, const SingleSlotBinary&, bool) {}
void write_fields(JsonWriter&, const MultiSlotBinary&, bool) {}

} // namespace sahil::ais::detail
