#include "ais/gpsd_json.hpp"

#include "ais/detail/gpsd_json_fields.hpp"

namespace sahil::ais {

void write_gpsd_json(JsonWriter& w, const AisMessage& message, const GpsdJsonOptions& options) {
    w.begin_object();
    w.field("class", "AIS");
    if (!options.device.empty()) {
        w.field("device", options.device);
    }
    w.field("type", message_type(message));
    std::visit(
        [&](const auto& m) {
            w.field("repeat", m.repeat);
            w.field("mmsi", m.mmsi);
            w.field("scaled", options.scaled);
            detail::write_fields(w, m, options.scaled);
        },
        message);
    w.end_object();
}

std::string to_gpsd_json(const AisMessage& message, const GpsdJsonOptions& options) {
    std::string out;
    JsonWriter w(out);
    write_gpsd_json(w, message, options);
    return out;
}

} // namespace sahil::ais
