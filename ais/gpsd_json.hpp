// Rendering of decoded AIS messages as gpsd AIS JSON (the `"class":"AIS"` objects of gpsd's
// `gpsdecode -j` and of the gpsd daemon, documented in gpsd's `AIVDM.adoc`/`gpsd_json(5)`).
//
// Same field names, order and meanings as gpsd 3.27 so existing tooling works unchanged.
// Two modes, as gpsd: scaled (default; degrees, knots, metres, "n/a" strings for some
// not-available values) and unscaled (`--raw`, `gpsdecode -u`: the raw ITU integers).
// Label fields (`status_text`, `shiptype_text`, ...) are gpsd's texts.
// Differences from gpsd are listed in tests/data/DIFFERENCES.md.
//
// `write_gpsd_json(w, PositionReport{...}, {.scaled = false})`
//   -> {"class":"AIS","type":1,"repeat":0,"mmsi":371798000,"scaled":false,"status":0,...}
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "ais/json_writer.hpp"
#include "ais/messages.hpp"

namespace sahil::ais {

/// Options of the gpsd JSON rendering.
struct GpsdJsonOptions {
    bool scaled = true;      ///< false: raw integers as `gpsdecode -u`
    std::string_view device; ///< optional "device" member (gpsd's source name); empty = none
};

/// Writes one message as a gpsd AIS JSON object (no trailing newline).
void write_gpsd_json(JsonWriter& w, const AisMessage& message, const GpsdJsonOptions& options);

/// Convenience: the object as a string.
std::string to_gpsd_json(const AisMessage& message, const GpsdJsonOptions& options = {});

} // namespace sahil::ais
