// load_closed_seasons(): the registry's closed seasons for rule R4 (anomaly_rules.hpp).
#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "registry/registry_error.hpp"
#include "registry/validation.hpp"
#include "server/rules/anomaly_rules.hpp"

namespace sahil::rules {

std::vector<ClosedSeason> load_closed_seasons(registry::Database& db) {
    try {
        SQLite::Statement st(db.handle(), "SELECT authority, name, starts_on, ends_on, zones "
                                          "FROM closed_seasons ORDER BY starts_on, id");
        std::vector<ClosedSeason> out;
        while (st.executeStep()) {
            const auto from = registry::parse_iso_date(st.getColumn(2).getString());
            const auto to = registry::parse_iso_date(st.getColumn(3).getString());
            if (!from || !to) {
                continue;
            }
            ClosedSeason s;
            s.authority = st.getColumn(0).getString();
            s.name = st.getColumn(1).getString();
            s.starts_on = std::chrono::sys_days(*from);
            s.ends_on = std::chrono::sys_days(*to);
            const auto zones = nlohmann::json::parse(st.getColumn(4).getString(), nullptr, false);
            if (zones.is_array()) {
                for (const auto& z : zones) {
                    if (z.is_string()) {
                        s.zones.push_back(z.get<std::string>());
                    }
                }
            }
            out.push_back(std::move(s));
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "reading closed seasons");
    }
}

} // namespace sahil::rules
