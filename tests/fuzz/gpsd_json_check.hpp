// Invariant checks shared by the libFuzzer targets of the AIS ingest chain (docs/fuzzing.md).
//
// `check_gpsd_json(to_gpsd_json(msg, {.scaled = false}), msg, {.scaled = false})` aborts the
// fuzzer unless the text is exactly one well-formed JSON object (RFC 8259, valid UTF-8, no
// duplicate member names at any depth) whose "class" is "AIS" and whose "type", "mmsi",
// "scaled" and "device" members match the message and the options.
// Data path: test-only; the fuzz targets call it on every message they decode.
// A violated invariant calls `__builtin_trap()` after printing what failed, so libFuzzer saves
// the input as a crash artifact. nlohmann::json is used here only, never in the library.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "ais/gpsd_json.hpp"
#include "ais/messages.hpp"

namespace sahil::fuzz {

/// Prints `what` (and `detail` when not empty) to stderr and traps.
[[noreturn]] void fail(std::string_view what, std::string_view detail = {});

/// fail() when `ok` is false. Details that cost a string to build belong in
/// `if (!ok) { fail(...); }` instead, so that passing checks stay cheap.
inline void require(bool ok, std::string_view what, std::string_view detail = {}) {
    if (!ok) {
        fail(what, detail);
    }
}

/// The text a JSON parser returns for a string the JsonWriter escaped: each byte of `bytes` as
/// the code point of the same value (the writer escapes bytes >= 0x7F as \u00XX), in UTF-8.
std::string latin1_to_utf8(std::string_view bytes);

/// Checks one rendering of `message` (see the file comment); traps on a violation.
void check_gpsd_json(std::string_view json, const ais::AisMessage& message,
                     const ais::GpsdJsonOptions& options);

} // namespace sahil::fuzz
