// Helpers for the sahil_sim tests: run a scenario and decode its output with the ordinary ingest
// pipeline (ais::StreamDecoder), so that tests check what a receiver would see.
#pragma once

#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "ais/stream_decoder.hpp"
#include "server/sim/scenario.hpp"
#include "server/sim/simulator.hpp"

namespace sahil::sim::test {

/// Everything a decoded simulation produced.
struct Decoded {
    std::string text;                          ///< the NMEA lines as written
    std::size_t lines = 0;                     ///< simulate()'s count
    std::vector<ais::DecodedMessage> messages; ///< in output order
    std::vector<std::string> errors;           ///< "<errc>: <line>" for each rejected input
    ais::FeedCounters counters;
};

class Collector : public ais::MessageSink {
public:
    explicit Collector(Decoded& out) : m_out(out) {}
    void on_message(const ais::DecodedMessage& m) override { m_out.messages.push_back(m); }
    void on_error(ais::errc e, std::string_view line) override {
        m_out.errors.push_back(std::string(ais::to_string(e)) + ": " + std::string(line));
    }

private:
    Decoded& m_out;
};

/// Simulates `sc` and feeds the output through a StreamDecoder (receive clock far in the future,
/// so every fix time comes from the tag blocks).
inline Decoded run(const Scenario& sc) {
    Decoded d;
    std::ostringstream out;
    d.lines = simulate(sc, out);
    d.text = out.str();
    Collector sink(d);
    ais::StreamDecoder decoder(sink);
    const UtcTime receiver_clock = from_unix_seconds(4'000'000'000);
    decoder.feed(d.text, receiver_clock);
    decoder.finish(receiver_clock);
    d.counters = decoder.counters();
    return d;
}

/// Messages of one MMSI, in order.
inline std::vector<ais::DecodedMessage> of(const Decoded& d, std::uint32_t mmsi) {
    std::vector<ais::DecodedMessage> out;
    for (const auto& m : d.messages) {
        if (ais::message_mmsi(m.message) == mmsi) {
            out.push_back(m);
        }
    }
    return out;
}

/// Seconds from `start` to the message's fix time.
inline double seconds_after(const ais::DecodedMessage& m, UtcTime start) {
    return std::chrono::duration<double>(m.fix_time - start).count();
}

/// config/scenarios/<name>.
inline std::filesystem::path scenario_path(const std::string& name) {
    return std::filesystem::path(SAHIL_SOURCE_DIR) / "config" / "scenarios" / name;
}

} // namespace sahil::sim::test
