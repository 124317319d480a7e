#include "server/app/decode_commands.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <ostream>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ais/gpsd_json.hpp"
#include "ais/stream_decoder.hpp"
#include "server/app/commands.hpp"
#include "server/net/feed.hpp"

namespace sahil::app {
namespace {

/// Renders decoded messages (and, optionally, errors) as JSON lines into a buffer that is
/// flushed to a stream in large writes.
class JsonLinesSink final : public ais::MessageSink {
public:
    JsonLinesSink(std::ostream* out, const DecodeOptions& opt) : m_out(out), m_opt(opt) {
        m_buf.reserve(flush_at + 4096);
    }
    ~JsonLinesSink() override { flush(); }
    JsonLinesSink(const JsonLinesSink&) = delete;
    JsonLinesSink& operator=(const JsonLinesSink&) = delete;

    void on_message(const ais::DecodedMessage& m) override {
        ais::JsonWriter w(m_buf);
        ais::write_gpsd_json(w, m.message,
                             ais::GpsdJsonOptions{.scaled = !m_opt.raw, .device = {}});
        m_buf.push_back('\n');
        if (m_buf.size() >= flush_at) {
            flush();
        }
    }
    void on_error(ais::errc e, std::string_view line) override {
        if (!m_opt.errors) {
            return;
        }
        ais::JsonWriter w(m_buf);
        w.begin_object();
        w.field("class", "ERROR");
        w.field("error", ais::to_string(e));
        w.field("line", line);
        w.end_object();
        m_buf.push_back('\n');
    }
    void flush() {
        if (m_out != nullptr && !m_buf.empty()) {
            m_out->write(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
        }
        m_buf.clear();
    }
    /// True once writing to the output failed (disk full, closed pipe).
    [[nodiscard]] bool write_failed() const { return m_out != nullptr && m_out->fail(); }

private:
    static constexpr std::size_t flush_at = 1U << 20U;
    std::ostream* m_out;
    DecodeOptions m_opt;
    std::string m_buf;
};

/// Counts messages without output (stage 2 of the benchmark).
class CountingSink final : public ais::MessageSink {
public:
    void on_message(const ais::DecodedMessage& m) override {
        ++messages;
        mmsi_xor ^= ais::message_mmsi(m.message);
    }
    std::uint64_t messages = 0;
    std::uint32_t mmsi_xor = 0;
};

/// The decode counters as one JSON object (the same members as `/api/feeds`).
nlohmann::json counters_json(const ais::FeedCounters& c) {
    nlohmann::json j = net::to_json(c);
    j["class"] = "SUMMARY";
    return j;
}

/// The floor: split lines and verify each NMEA checksum (XOR of the characters between the
/// start delimiter and '*', IEC 61162-1 §7.2.3). Returns the number of valid sentences.
/// Written apart from the library on purpose (its own hex parsing too), so the floor does not
/// move when the decoder changes.
std::size_t checksum_scan(std::string_view data) {
    std::size_t valid = 0;
    const char* p = data.data();
    const char* const end = p + data.size();
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    };
    while (p < end) {
        const auto* nl =
            static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        const char* line_end = nl != nullptr ? nl : end;
        const char* q = p;
        while (q < line_end && *q != '!' && *q != '$') {
            ++q;
        }
        if (q < line_end) {
            unsigned sum = 0;
            ++q;
            while (q < line_end && *q != '*') {
                sum ^= static_cast<unsigned char>(*q);
                ++q;
            }
            if (q + 2 < line_end) {
                const int h = hex(q[1]);
                const int l = hex(q[2]);
                if (h >= 0 && l >= 0 && static_cast<unsigned>(h * 16 + l) == sum) {
                    ++valid;
                }
            }
        }
        p = line_end + 1;
    }
    return valid;
}

template <class F> double seconds_of(F&& run) {
    const auto start = std::chrono::steady_clock::now();
    run();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int cmd_decode(const std::string& input, const DecodeOptions& options, std::ostream& out,
               std::ostream& err) {
    std::FILE* file = stdin;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(nullptr, &std::fclose);
    if (input != "-") {
        owned.reset(std::fopen(input.c_str(), "rb"));
        if (!owned) {
            err << "sahil decode: cannot open " << input << ": " << std::strerror(errno) << "\n";
            return exit_resource;
        }
        file = owned.get();
    }
    JsonLinesSink sink(&out, options);
    ais::StreamDecoder decoder(sink);
    std::vector<char> chunk(1U << 18U);
    for (;;) {
        const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), file);
        if (n > 0) {
            decoder.feed(std::string_view(chunk.data(), n), UtcTime{});
        }
        if (n < chunk.size() || sink.write_failed()) {
            break;
        }
    }
    const bool read_error = std::ferror(file) != 0;
    decoder.finish(UtcTime{});
    sink.flush();
    out.flush();
    if (options.summary) {
        err << counters_json(decoder.counters()).dump() << "\n";
    }
    if (read_error) {
        err << "sahil decode: read error on " << input << "\n";
        return exit_resource;
    }
    if (sink.write_failed() || !out) {
        err << "sahil decode: cannot write the output (disk full or output closed)\n";
        return exit_resource;
    }
    return exit_ok;
}

int cmd_bench_decode(const std::filesystem::path& file, const BenchOptions& options,
                     std::ostream& out, std::ostream& err) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        err << "sahil bench decode: cannot open " << file.string() << "\n";
        return exit_resource;
    }
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto lines = static_cast<std::size_t>(std::count(data.begin(), data.end(), '\n'));
    if (lines == 0) {
        err << "sahil bench decode: " << file.string() << " holds no lines\n";
        return exit_bad_input;
    }
    const int reps = std::max(1, options.repetitions);

    // Interleaved rounds (floor, structs, JSON in turn), best time of each stage: another load
    // on the machine slows all three alike within a round, and the minimum filters out rounds
    // that a burst of load hit, so the ratios stay stable on a busy CI machine.
    std::size_t valid = 0;
    std::uint64_t messages = 0;
    std::uint64_t json_messages = 0;
    ais::FeedCounters counters;
    double t_floor = 1e300;
    double t_struct = 1e300;
    double t_json = 1e300;
    for (int round = 0; round < reps; ++round) {
        for (int i = 0; i < 3; ++i) { // the floor is short: three tries per round
            t_floor = std::min(t_floor, seconds_of([&] { valid = checksum_scan(data); }));
        }
        t_struct = std::min(t_struct, seconds_of([&] {
                                CountingSink sink;
                                ais::StreamDecoder decoder(sink);
                                decoder.feed(data, UtcTime{});
                                decoder.finish(UtcTime{});
                                messages = sink.messages;
                                counters = decoder.counters();
                            }));
        t_json = std::min(t_json, seconds_of([&] {
                              JsonLinesSink sink(nullptr, DecodeOptions{});
                              ais::StreamDecoder decoder(sink);
                              decoder.feed(data, UtcTime{});
                              decoder.finish(UtcTime{});
                              json_messages = decoder.counters().messages;
                          }));
    }

    const auto rate = [&](double t) { return static_cast<double>(lines) / t; };
    const double r_struct = t_struct / t_floor;
    const double r_json = t_json / t_floor;
    if (options.json) {
        const nlohmann::json j = {
            {"file", file.string()},
            {"lines", lines},
            {"valid_checksums", valid},
            {"messages", messages},
            {"errors", counters.error_total()},
            {"floor", {{"seconds", t_floor}, {"sentences_per_s", rate(t_floor)}}},
            {"decode_structs",
             {{"seconds", t_struct}, {"sentences_per_s", rate(t_struct)}, {"ratio", r_struct}}},
            {"decode_json",
             {{"seconds", t_json}, {"sentences_per_s", rate(t_json)}, {"ratio", r_json}}},
            {"repetitions", reps}};
        out << j.dump() << "\n";
    } else {
        out << fmt::format("{}: {} lines, {} valid checksums, {} messages decoded, {} rejected "
                           "inputs (best of {} interleaved rounds, one thread)\n",
                           file.string(), lines, valid, messages, counters.error_total(), reps);
        out << fmt::format("{:<34} {:>10} {:>16} {:>10}\n", "stage", "seconds", "sentences/s",
                           "x floor");
        out << fmt::format("{:<34} {:>10.4f} {:>16.0f} {:>10.2f}\n",
                           "floor (line split + checksum)", t_floor, rate(t_floor), 1.0);
        out << fmt::format("{:<34} {:>10.4f} {:>16.0f} {:>10.2f}\n",
                           "decode into structs (reassembly)", t_struct, rate(t_struct), r_struct);
        out << fmt::format("{:<34} {:>10.4f} {:>16.0f} {:>10.2f}\n", "decode to gpsd JSON", t_json,
                           rate(t_json), r_json);
    }
    int rc = exit_ok;
    if (json_messages != messages) {
        err << "sahil bench decode: JSON stage decoded " << json_messages
            << " messages, struct stage " << messages << "\n";
        rc = exit_bad_input;
    }
    if (options.max_struct_ratio > 0 && r_struct > options.max_struct_ratio) {
        err << fmt::format("sahil bench decode: decode into structs is {:.2f}x the floor, above "
                           "the limit {:.2f}x\n",
                           r_struct, options.max_struct_ratio);
        rc = exit_bad_input;
    }
    if (options.max_json_ratio > 0 && r_json > options.max_json_ratio) {
        err << fmt::format("sahil bench decode: decode to JSON is {:.2f}x the floor, above the "
                           "limit {:.2f}x\n",
                           r_json, options.max_json_ratio);
        rc = exit_bad_input;
    }
    return rc;
}

} // namespace sahil::app
