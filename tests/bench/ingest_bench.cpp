// Throughput of the ingest path on real recorded AIS (tests/data/ais/replay-amsa-2012.nmea:
// 44,687 lines of a national shore network, 32,517 AIS messages mixed with other NMEA).
//   BM_StreamDecoder: bytes -> decoded messages (framing, checksum, assembly, decode).
//   BM_Pipeline:      the same plus tracking, zone lookup and the departure rule.
#include <fstream>
#include <sstream>

#include <benchmark/benchmark.h>

#include "ais/stream_decoder.hpp"
#include "geo/zone_index.hpp"
#include "server/tracking/pipeline.hpp"

namespace {

using namespace sahil;

const std::string& amsa_log() {
    static const std::string text = [] {
        std::ifstream in(std::string(SAHIL_SOURCE_DIR) + "/tests/data/ais/replay-amsa-2012.nmea",
                         std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }();
    return text;
}

struct CountingSink : ais::MessageSink {
    std::size_t n = 0;
    void on_message(const ais::DecodedMessage&) override { ++n; }
};

void BM_StreamDecoder(benchmark::State& state) {
    const std::string& log = amsa_log();
    std::size_t lines = 0;
    for (auto _ : state) {
        CountingSink sink;
        ais::StreamDecoder dec(sink);
        dec.feed(log, UtcTime{});
        dec.finish(UtcTime{});
        benchmark::DoNotOptimize(sink.n);
        lines += dec.counters().lines;
    }
    state.counters["lines/s"] =
        benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsRate);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * log.size()));
}
BENCHMARK(BM_StreamDecoder)->Unit(benchmark::kMillisecond);

struct PipelineSink : ais::MessageSink {
    tracking::Pipeline& p;
    std::string feed = "bench";
    explicit PipelineSink(tracking::Pipeline& pl) : p(pl) {}
    void on_message(const ais::DecodedMessage& m) override { p.on_message(m, feed); }
};

void BM_Pipeline(benchmark::State& state) {
    const std::string& log = amsa_log();
    const auto harbours = geo::ZoneIndex::load(
        std::string(SAHIL_SOURCE_DIR) + "/tests/data/e2e/amsa-2012-berths.geojson", "harbours");
    std::size_t messages = 0;
    for (auto _ : state) {
        tracking::Pipeline pipeline({}, harbours, nullptr, nullptr);
        PipelineSink sink(pipeline);
        ais::StreamDecoder::Config cfg;
        cfg.hold_until_time_marker = true;
        ais::StreamDecoder dec(sink, cfg);
        dec.feed(log, UtcTime{});
        dec.finish(UtcTime{});
        messages += pipeline.counters().messages;
    }
    state.counters["messages/s"] =
        benchmark::Counter(static_cast<double>(messages), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Pipeline)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
