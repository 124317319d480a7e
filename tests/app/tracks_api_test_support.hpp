// The fixture of the track history API tests (tracks_api_test.cpp, ogc_api_test.cpp): sahild's
// real router and ApiContext over a temporary registry.db, a track store in a temporary
// tracks.db filled with hand-made fixes whose answers are known, a harbour and a sea zone drawn
// as squares, and API tokens for every role.
//
//   lat ^                                              T0 = 2026-03-15T19:00:00Z
//  25.6 |  triangle POST area: (63.0,25.0) (63.6,25.0) (63.0,25.6)   (lon + lat <= 88.6)
//  25.45|                      C (63.45,25.45): in the triangle's box, outside the triangle
//  25.40|            D (63.30) E 300 m north of D     (encounter, 10 fixes, 1 min apart)
//  25.25|                           F in harbour PK-HBR-05 [63.47..63.49 x 25.24..25.26],
//       |                           leaves south at +11 min, 3 h silence from +14 min
//  25.1-25.12  A on lon 63.20 going north, 21 fixes 1 min apart (bbox west edge 63.2)
//  25.20|  B (63.10)                 sea zone "territorial_sea" = [63.0..63.25 x 25.0..25.5]
//  25.0 |  G (63.0, 25.0) one fix 5 min before the wall clock (registered "Sitara")
//       +------------------------------------------------------------------> lon
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "geo/geodesic.hpp"
#include "geo/zone.hpp"
#include "geo/zone_index.hpp"
#include "registry/accounts.hpp"
#include "registry/vessel_registry.hpp"
#include "server/alerts/alert.hpp"
#include "server/app/api_context.hpp"
#include "server/app/api_routes.hpp"
#include "server/app/engine.hpp"
#include "server/app/tracks_api.hpp"
#include "server/store/sqlite_track_store.hpp"
#include "tests/app/api_test_support.hpp"
#include "tests/app/app_test_support.hpp"

namespace sahil::test {

/// 2026-03-15T19:00:00Z, Unix seconds.
inline constexpr std::int64_t t0_s = 1'773'601'200;

inline constexpr std::int64_t vessel_a = 463000001; ///< registered "Noor", PSN-0001
inline constexpr std::int64_t vessel_b = 463000002; ///< AIS "SEA HAWK", not registered
inline constexpr std::int64_t vessel_c = 463000003;
inline constexpr std::int64_t vessel_d = 463000004;
inline constexpr std::int64_t vessel_e = 463000005;
inline constexpr std::int64_t vessel_f = 463000006;
inline constexpr std::int64_t vessel_g = 463000007; ///< registered "Sitara", fix near now

/// "2026-03-15T19:00:00Z" plus `seconds`.
inline std::string at(std::int64_t seconds) {
    return alerts::iso8601(from_unix_seconds(t0_s + seconds));
}

/// One answer of the router, and whether its body was streamed from a file.
struct TrackReply : ApiReply {
    bool streamed = false; ///< the body came as an http::BodyFile (a streamed download)
};

/// A polygon square in lon/lat degrees.
inline geo::LonLatMultiPolygon square(double west, double south, double east, double north) {
    geo::LonLatPolygon p;
    p.outer() = {{west, south}, {east, south}, {east, north}, {west, north}, {west, south}};
    return geo::LonLatMultiPolygon{p};
}

class TrackApiFixture : public ::testing::Test {
protected:
    TrackApiFixture()
        : config(config_from("[paths]\nregistry_db = \"" + (tmp.path() / "registry.db").string() +
                                 "\"\n[tracks]\npath = \"" +
                                 (tmp.path() / "var" / "tracks.db").string() +
                                 "\"\nflush_interval_ms = 20\n",
                             tmp.path())),
          api(config, {"PK-HBR-02", "PK-HBR-05"}, registry::PasswordParams::fast_for_tests()),
          router(app::make_api_router(api, monitoring)) {
        app::ensure_parent_dir(config.tracks.path);
        tracks =
            std::make_unique<store::SqliteTrackStore>(config.tracks, store::TrackStoreMode::writer);
        source = tracks->source_id("test-feed");
        seed();
        tracks->flush();
        api.tracks = tracks.get();
        std::vector<geo::Zone> harbours;
        harbours.push_back(geo::make_zone("PK-HBR-05", "Pasni Fish Harbour", "fish_harbour",
                                          "harbours", {{"province", "Balochistan"}},
                                          square(63.47, 25.24, 63.49, 25.26)));
        std::vector<geo::Zone> sea;
        sea.push_back(geo::make_zone("territorial_sea", "territorial_sea", "territorial_sea",
                                     "sea_zones", {}, square(63.0, 25.0, 63.25, 25.5)));
        api.set_track_zones(app::TrackZones::from(geo::ZoneIndex::from_zones(std::move(harbours)),
                                                  geo::ZoneIndex::from_zones(std::move(sea))));
        for (const auto& [name, role] :
             {std::pair{"root", "admin"}, std::pair{"watch", "cg_watchkeeper"},
              std::pair{"msa", "msa_officer"}, std::pair{"analyst", "msa_analyst"},
              std::pair{"sup", "supervisor"}, std::pair{"audit", "auditor"}}) {
            token[name] = make_token(name, role, {});
        }
        token["amina"] = make_token("amina", "clerk", {"PK-HBR-05"});
        register_boat("Noor", "PSN-0001", "463000001");
        register_boat("Sitara", "PSN-0002", "463000007");
    }

    std::string make_token(const std::string& name, const std::string& role,
                           std::vector<std::string> harbours) {
        const registry::Actor actor{"test", "admin", "", "test", ""};
        const auto user = api.accounts.add_user(
            actor, {.username = name, .role = role, .harbours = std::move(harbours)});
        EXPECT_TRUE(user.ok()) << name;
        const auto t = api.accounts.create_api_token(actor, user.value->user.id, "test", {});
        EXPECT_TRUE(t.ok());
        return t.value->token;
    }

    void register_boat(const std::string& name, const std::string& reg, const std::string& mmsi) {
        registry::Registration r;
        r.vessel =
            registry::Vessel{.name = name, .vessel_type = "launch", .home_harbour = "PK-HBR-05"};
        r.identifiers = {
            registry::Identifier{.scheme = "provincial_reg", .value = reg, .authority = "BAL-FISH"},
            registry::Identifier{.scheme = "mmsi", .value = mmsi, .authority = "PTA"}};
        r.owners = {registry::OwnerInput{.party = registry::Party{.name = "Owner " + name},
                                         .share_pct = 100}};
        const registry::Actor clerk{"clerk1", "clerk", "PK-HBR-05", "10.0.0.1", ""};
        const auto out = api.registry->register_vessel(clerk, r);
        ASSERT_TRUE(out.ok()) << (out.errors.empty() ? "" : out.errors[0].message);
    }

    /// Appends one fix `seconds` after T0 (or at Unix time `unix_s` when given) and keeps it in
    /// `seeded`.
    void add(std::int64_t vessel, std::int64_t seconds, double lat, double lon,
             double sog_knots = 5.0, double cog_deg = 0.0) {
        store::TrackFix f;
        f.vessel = vessel;
        f.time_ms = (t0_s + seconds) * 1000;
        f.received_ms = f.time_ms + 400;
        f.lat_e6 = store::to_e6(lat);
        f.lon_e6 = store::to_e6(lon);
        f.sog_dkn = static_cast<std::int16_t>(std::lround(sog_knots * 10));
        f.cog_ddeg = static_cast<std::int16_t>(std::lround(cog_deg * 10));
        f.nav_status = 0;
        f.message_type = 1;
        f.source = source;
        ASSERT_TRUE(tracks->append(f));
        seeded.push_back(f);
    }

    void seed() {
        for (int i = 0; i <= 20; ++i) { // A: north along 63.20 E, 0.001 deg a minute
            add(vessel_a, i * 60, 25.100 + 0.001 * i, 63.200, 3.6, 0);
        }
        for (int i = 0; i < 10; ++i) { // B: west of every box but the triangle's
            add(vessel_b, i * 60 + 30, 25.200, 63.100, 0.2, 90);
        }
        for (int i = 0; i < 5; ++i) { // C: in the triangle's bounding box only
            add(vessel_c, i * 60, 25.450, 63.450, 0.0, 0);
        }
        d_position = {25.400, 63.300};
        e_position = geo::destination(d_position, 0.0, 300.0);
        for (int i = 0; i < 10; ++i) { // D and E: 300 m apart, the same minutes
            add(vessel_d, i * 60, d_position.lat_deg, d_position.lon_deg, 0.5, 0);
            add(vessel_e, i * 60, e_position.lat_deg, e_position.lon_deg, 0.5, 0);
        }
        for (int i = 0; i <= 10; ++i) { // F: in the harbour for 10 min, at rest
            add(vessel_f, i * 60, 25.250, 63.480, 0.0, 0);
        }
        const double south[] = {25.235, 25.230, 25.225, 25.220};
        for (int i = 0; i < 4; ++i) { // ... leaves south at 5 kn ...
            add(vessel_f, (11 + i) * 60, south[i], 63.480, 5.0, 180);
        }
        add(vessel_f, 3 * 3600 + 14 * 60, 25.100, 63.480, 5.0, 180); // ... silent for 3 h
        // G: one fix five minutes before the wall clock (the vessels collection's position).
        const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
        add(vessel_g, now_s - 300 - t0_s, 25.000, 63.000, 1.0, 0);
        store::StaticRecord a;
        a.vessel = vessel_a;
        a.time_ms = t0_s * 1000;
        a.name = "NOOR";
        a.call_sign = "AP4521";
        tracks->append_static(a);
        store::StaticRecord b = a;
        b.vessel = vessel_b;
        b.name = "SEA HAWK";
        b.call_sign = "AP1234";
        b.ship_type = 30;
        tracks->append_static(b);
    }

    /// Seeded fixes matching `keep`, in the store's order (vessel, then time).
    template <class Pred> std::vector<store::TrackFix> seeded_where(Pred keep) const {
        std::vector<store::TrackFix> out;
        for (const auto& f : seeded) {
            if (keep(f)) {
                out.push_back(f);
            }
        }
        std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
            return a.vessel != b.vessel ? a.vessel < b.vessel : a.time_ms < b.time_ms;
        });
        return out;
    }

    /// Sends a request as `who`; a body is sent as JSON unless `content_type` says otherwise.
    TrackReply send(const std::string& who, const std::string& method, const std::string& target,
                    const std::optional<std::string>& body = std::nullopt,
                    const std::string& content_type = "application/json") {
        http::Request r;
        r.method = method;
        r.target = target;
        const auto q = target.find('?');
        r.path = target.substr(0, q);
        if (q != std::string::npos) {
            std::istringstream in(target.substr(q + 1));
            for (std::string kv; std::getline(in, kv, '&');) {
                const auto eq = kv.find('=');
                r.query[decode(kv.substr(0, eq))] =
                    eq == std::string::npos ? "" : decode(kv.substr(eq + 1));
            }
        }
        r.remote_address = "192.0.2.30";
        r.headers.emplace_back("Host", "sahil.local:8617");
        r.headers.emplace_back("Authorization", "Bearer " + token.at(who));
        if (body) {
            r.body = *body;
            r.headers.emplace_back("Content-Type", content_type);
        }
        std::optional<http::Response> out;
        router.dispatch(std::move(r), [&](http::Response resp) { out = std::move(resp); });
        TrackReply reply;
        if (out) {
            reply.status = out->status;
            reply.raw = out->body;
            if (out->file) { // a streamed download: what the client would receive
                std::ifstream in(out->file->path(), std::ios::binary);
                reply.raw.assign(std::istreambuf_iterator<char>(in), {});
                reply.streamed = true;
            }
            reply.body = nlohmann::json::parse(reply.raw, nullptr, false);
            reply.headers = out->headers;
            reply.content_type = out->content_type;
        }
        return reply;
    }

    TrackReply get(const std::string& who, const std::string& target) {
        return send(who, "GET", target);
    }

    TrackReply post(const std::string& who, const std::string& target, const nlohmann::json& body) {
        return send(who, "POST", target, body.dump());
    }

    /// Percent-decoding of a query part ('+' stays: the tests do not use it).
    static std::string decode(const std::string& s) {
        std::string out;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '%' && i + 2 < s.size()) {
                out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
                i += 2;
            } else {
                out += s[i];
            }
        }
        return out;
    }

    TempDir tmp;
    app::Config config;
    app::ApiContext api;
    NoMonitoring monitoring;
    http::Router router;
    std::unique_ptr<store::SqliteTrackStore> tracks;
    std::uint16_t source = 0;
    std::vector<store::TrackFix> seeded;
    geo::Position d_position{};
    geo::Position e_position{};
    std::map<std::string, std::string> token;
};

} // namespace sahil::test
