// `sahil decode` and `sahil bench decode`: the AIS decoder as a command for people, scripts and
// benchmarks. Neither needs a config file or a database.
//
// `sahil decode corpus.nmea` prints one gpsd AIS JSON object per decoded message
// (`{"class":"AIS","type":1,"repeat":0,"mmsi":371798000,"scaled":true,...}`, field names and
// meanings of gpsd's `gpsdecode -j`); `--raw` prints the unscaled integers (`gpsdecode -u`);
// `--errors` adds one `{"class":"ERROR","error":"bad_checksum","line":"..."}` object per
// rejected input. Untrusted text (names, the rejected line) is JSON-escaped, never interpreted.
//
// Thread-safety: each call is independent.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

namespace sahil::app {

/// Options of `sahil decode`.
struct DecodeOptions {
    bool raw = false;     ///< unscaled ITU integers, as `gpsdecode -u`
    bool errors = false;  ///< also print one ERROR object per rejected input
    bool summary = false; ///< print the feed counters as one JSON object to `err` at the end
};

/// `sahil decode [FILE|-]`: decodes an NMEA/AIVDM stream (file, or standard input for "-")
/// and writes gpsd AIS JSON lines to `out`.
/// @returns exit_ok, or exit_resource when the file cannot be read or the output cannot be
/// written (e.g. disk full: nothing is lost silently). Bad input lines are never
/// fatal: they are skipped and counted (and printed with --errors).
int cmd_decode(const std::string& input, const DecodeOptions& options, std::ostream& out,
               std::ostream& err);

/// Options of `sahil bench decode`.
struct BenchOptions {
    int repetitions = 5;         ///< interleaved rounds; each stage's best time is reported
    double max_struct_ratio = 0; ///< > 0: fail (exit 1) when decode-into-structs / floor exceeds it
    double max_json_ratio = 0;   ///< > 0: fail (exit 1) when decode-to-JSON / floor exceeds it
    bool json = false;           ///< print the result as one JSON object instead of a table
};

/// `sahil bench decode FILE`: loads FILE into memory and times, single-threaded, in one run:
/// (1) the floor — line split + NMEA checksum check of every line; (2) decode into structs with
/// reassembly (StreamDecoder, no output); (3) decode to gpsd JSON (`sahil decode` without the
/// write). Prints sentences/s and the ratio of each stage to the floor (ratios, unlike seconds,
/// compare across machines, so CI asserts them).
int cmd_bench_decode(const std::filesystem::path& file, const BenchOptions& options,
                     std::ostream& out, std::ostream& err);

} // namespace sahil::app
