// gpsd AIS JSON members of types 1, 2, 3, 5, 18, 19 and 24 (see ais/gpsd_json.hpp).
#include "ais/detail/gpsd_json_fields.hpp"

namespace sahil::ais::detail {

void write_fields(JsonWriter&, const PositionReport&, bool) {}
void write_fields(JsonWriter&, const StaticVoyageData&, bool) {}
void write_fields(JsonWriter&, const ClassBPositionReport&, bool) {}
void write_fields(JsonWriter&, const ClassBExtendedReport&, bool) {}
void write_fields(JsonWriter&, const StaticDataReport&, bool) {}

} // namespace sahil::ais::detail
