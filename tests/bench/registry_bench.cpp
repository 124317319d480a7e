// Registry benchmarks: BoatIndex reload (the pipeline's in-memory copy of the registry, reloaded
// after every registry change) and lookups, for registries of 1,000 and 10,000 boats; and the
// search-first query a clerk runs before registering. Figures: docs/performance.md.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "registry/boat_index.hpp"
#include "registry/database.hpp"
#include "registry/vessel_registry.hpp"

namespace sahil {
namespace {

using namespace std::chrono;

/// A registry of `n` boats with an owner and a licence each, in memory.
registry::Database& registry_of(std::int64_t n) {
    static std::map<std::int64_t, std::unique_ptr<registry::Database>> cache;
    auto& db = cache[n];
    if (db) {
        return *db;
    }
    db = std::make_unique<registry::Database>(":memory:");
    registry::VesselRegistry reg(*db, registry::IdentifierRules{}, nullptr, nullptr,
                                 [] { return sys_days{year{2026} / 3 / 10} + hours{9}; });
    const registry::Actor actor{"bench", "admin", "", "bench", ""};
    db->handle().exec("BEGIN");
    for (std::int64_t i = 0; i < n; ++i) {
        registry::Registration r;
        r.vessel = {.name = fmt::format("SAHIL STAR {}", i),
                    .vessel_type = "launch",
                    .home_harbour = i % 2 == 0 ? "PK-HBR-02" : "PK-HBR-05"};
        r.identifiers = {
            {.scheme = "provincial_reg",
             .value = fmt::format("BAL-{:05}", i),
             .authority = "BAL-FISH"},
            {.scheme = "mmsi", .value = std::to_string(463100000 + i), .authority = "PTA"}};
        r.owners = {
            {.party = registry::Party{.name = fmt::format("Owner {}", i)}, .share_pct = 100}};
        r.licence = registry::Licence{.authority = "BAL-FISH",
                                      .licence_no = fmt::format("L-{:05}", i),
                                      .valid_from = "2026-01-01",
                                      .valid_to = "2026-12-31"};
        if (!reg.register_vessel(actor, r).ok()) {
            throw std::runtime_error("bench registry: registration failed");
        }
    }
    db->handle().exec("COMMIT");
    return *db;
}

void BM_BoatIndexReload(benchmark::State& state) {
    registry::Database& db = registry_of(state.range(0));
    registry::BoatIndex index(db);
    for (auto _ : state) {
        index.reload();
        benchmark::DoNotOptimize(index.size());
    }
    state.counters["boats"] = static_cast<double>(index.size());
}
BENCHMARK(BM_BoatIndexReload)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_BoatIndexLookup(benchmark::State& state) {
    registry::Database& db = registry_of(state.range(0));
    registry::BoatIndex index(db, hours{1}); // no change checks inside the loop
    std::uint32_t mmsi = 463100000;
    for (auto _ : state) {
        benchmark::DoNotOptimize(index.find_by_mmsi(mmsi));
        mmsi = mmsi + 7 < 463100000 + state.range(0) ? mmsi + 7 : 463100000;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BoatIndexLookup)->Arg(10000);

void BM_RegistrySearch(benchmark::State& state) {
    registry::Database& db = registry_of(state.range(0));
    registry::VesselRegistry reg(db, registry::IdentifierRules{}, nullptr, nullptr);
    for (auto _ : state) {
        benchmark::DoNotOptimize(reg.search("star 77", 25));
        benchmark::DoNotOptimize(reg.search("BAL-00777", 25));
    }
}
BENCHMARK(BM_RegistrySearch)->Arg(10000)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace sahil
