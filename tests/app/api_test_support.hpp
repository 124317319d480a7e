// Shared pieces of the in-process API tests (alerts, registry, auth, tracks, route matrix): a
// MonitoringSource with nothing to report and one answer of the router as the tests read it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/app/api_routes.hpp"

namespace sahil::test {

/// A MonitoringSource with nothing to report: no alerts, an empty vessel table and feed list,
/// stats `{}`; uptime 1 s.
class NoMonitoring : public app::MonitoringSource {
public:
    std::int64_t uptime_s() const override { return 1; }
    std::vector<alerts::Alert> alerts(const store::AlertQuery&) override { return {}; }
    void vessels(std::function<void(nlohmann::ordered_json)> done) override {
        done({{"vessels", nlohmann::ordered_json::array()}, {"count", 0}});
    }
    nlohmann::ordered_json feeds() override { return {{"feeds", nlohmann::ordered_json::array()}}; }
    void stats(std::function<void(nlohmann::ordered_json)> done) override { done({}); }
};

/// One answer of the router: status, body as sent (`raw`) and parsed (discarded JSON when it is
/// not JSON), headers as set by the handler and the Router, Content-Type.
struct ApiReply {
    unsigned status = 0;
    std::string raw;
    nlohmann::json body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string content_type;
    /// The value of the first header `name` (exact case), "" when absent.
    [[nodiscard]] std::string header(std::string_view name) const {
        for (const auto& [n, v] : headers) {
            if (n == name) {
                return v;
            }
        }
        return {};
    }
    /// The `error` code of an error answer, "(none)" otherwise.
    [[nodiscard]] std::string error() const {
        return body.is_object() && body.contains("error") ? body["error"].get<std::string>()
                                                          : std::string("(none)");
    }
    /// `parameter` of a 400, else the first `errors[].field` of a 422, else "(none)".
    [[nodiscard]] std::string field() const {
        if (body.is_object() && body.contains("parameter")) {
            return body["parameter"].get<std::string>();
        }
        return body.is_object() && body.contains("errors") && !body["errors"].empty()
                   ? body["errors"][0]["field"].get<std::string>()
                   : std::string("(none)");
    }
};

} // namespace sahil::test
