#include "server/tracking/fix.hpp"

#include <type_traits>
#include <variant>

namespace sahil::tracking {

std::optional<Fix> to_fix(const ais::DecodedMessage& dm, const std::string& feed,
                          FixRejection& why) {
    why = FixRejection::none;
    return std::visit(
        [&](const auto& m) -> std::optional<Fix> {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_base_of_v<ais::PositionFields, T>) {
                if (m.mmsi == 0 || m.mmsi > 999'999'999U) {
                    why = FixRejection::bad_mmsi;
                    return std::nullopt;
                }
                const auto lat = m.lat_deg();
                const auto lon = m.lon_deg();
                if (!lat || !lon) {
                    why = FixRejection::no_position;
                    return std::nullopt;
                }
                if (*lat == 0.0 && *lon == 0.0) {
                    why = FixRejection::null_island;
                    return std::nullopt;
                }
                Fix f;
                f.mmsi = m.mmsi;
                f.time = dm.fix_time;
                f.received_at = dm.received_at;
                f.position = geo::Position{*lat, *lon};
                f.sog_knots = m.sog_knots();
                f.cog_deg = m.cog_deg();
                f.heading_deg = m.heading_deg();
                f.message_type = ais::message_type(dm.message);
                if constexpr (std::is_same_v<T, ais::PositionReport>) {
                    f.nav_status = m.nav_status;
                }
                f.feed = feed;
                f.station = dm.station;
                return f;
            } else {
                return std::nullopt;
            }
        },
        dm.message);
}

} // namespace sahil::tracking
