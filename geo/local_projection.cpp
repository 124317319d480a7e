#include "geo/local_projection.hpp"

#include <cmath>
#include <cstdio>
#include <mutex>
#include <utility>

#include <proj.h>

#include "geo/geo_error.hpp"

namespace sahil::geo {
namespace {

struct ContextDeleter {
    void operator()(PJ_CONTEXT* ctx) const noexcept { proj_context_destroy(ctx); }
};
struct PjDeleter {
    void operator()(PJ* pj) const noexcept { proj_destroy(pj); }
};

std::string format_deg(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

std::string tmerc_pipeline(const Position& centre) {
    // Input is (lon, lat) in degrees; PROJ operations work in radians, hence unitconvert.
    return "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=tmerc"
           " +lat_0=" +
           format_deg(centre.lat_deg) + " +lon_0=" + format_deg(centre.lon_deg) +
           " +k_0=1 +x_0=0 +y_0=0 +ellps=WGS84";
}

// PROJ signals a failed conversion with HUGE_VAL (infinity) coordinates.
bool finite(const PJ_COORD& c) noexcept {
    return std::isfinite(c.xy.x) && std::isfinite(c.xy.y);
}

std::string error_text(PJ_CONTEXT* ctx, int err) {
    const char* text = err != 0 ? proj_context_errno_string(ctx, err) : nullptr;
    return text != nullptr ? text : "";
}

} // namespace

struct LocalProjection::Impl {
    Position centre;
    std::string definition;
    std::unique_ptr<PJ_CONTEXT, ContextDeleter> context;
    std::unique_ptr<PJ, PjDeleter> pj; // declared after context: destroyed before it
    std::mutex mutex;                  // PJ and PJ_CONTEXT carry mutable error state
};

LocalProjection::LocalProjection(const Position& centre) : m_impl(std::make_unique<Impl>()) {
    if (!is_valid(centre)) {
        throw GeoError("invalid projection centre (lat " + format_deg(centre.lat_deg) + ", lon " +
                           format_deg(centre.lon_deg) + ")",
                       {}, {}, {}, GeoErrorSource::proj, 0, {});
    }
    m_impl->centre = centre;
    m_impl->definition = tmerc_pipeline(centre);
    m_impl->context.reset(proj_context_create());
    if (!m_impl->context) {
        throw GeoError("cannot create a PROJ context", {}, {}, {}, GeoErrorSource::proj, 0, {});
    }
    proj_log_level(m_impl->context.get(), PJ_LOG_NONE); // the library layer does not log
    m_impl->pj.reset(proj_create(m_impl->context.get(), m_impl->definition.c_str()));
    if (!m_impl->pj) {
        const int err = proj_context_errno(m_impl->context.get());
        throw GeoError("cannot create projection '" + m_impl->definition + "'", {}, {}, {},
                       GeoErrorSource::proj, err, error_text(m_impl->context.get(), err));
    }
}

LocalProjection::~LocalProjection() = default;
LocalProjection::LocalProjection(LocalProjection&&) noexcept = default;
LocalProjection& LocalProjection::operator=(LocalProjection&&) noexcept = default;

const Position& LocalProjection::centre() const noexcept {
    return m_impl->centre;
}

const std::string& LocalProjection::definition() const noexcept {
    return m_impl->definition;
}

std::optional<MetricPoint> LocalProjection::forward(const Position& p) const {
    if (!is_valid(p)) {
        return std::nullopt;
    }
    const std::lock_guard lock(m_impl->mutex);
    proj_errno_reset(m_impl->pj.get());
    const PJ_COORD out =
        proj_trans(m_impl->pj.get(), PJ_FWD, proj_coord(p.lon_deg, p.lat_deg, 0.0, 0.0));
    if (proj_errno(m_impl->pj.get()) != 0 || !finite(out)) {
        return std::nullopt;
    }
    return MetricPoint{out.xy.x, out.xy.y};
}

std::optional<Position> LocalProjection::inverse(const MetricPoint& m) const {
    if (!std::isfinite(m.x_m) || !std::isfinite(m.y_m)) {
        return std::nullopt;
    }
    const std::lock_guard lock(m_impl->mutex);
    proj_errno_reset(m_impl->pj.get());
    // The pipeline's inverse ends with unitconvert rad -> deg: output is (lon, lat) in degrees.
    const PJ_COORD out = proj_trans(m_impl->pj.get(), PJ_INV, proj_coord(m.x_m, m.y_m, 0.0, 0.0));
    if (proj_errno(m_impl->pj.get()) != 0 || !finite(out)) {
        return std::nullopt;
    }
    const Position p{out.lp.phi, out.lp.lam};
    if (!is_valid(p)) {
        return std::nullopt;
    }
    return p;
}

void LocalProjection::forward(std::span<const Position> in, std::span<MetricPoint> out) const {
    if (in.size() != out.size()) {
        throw GeoError("LocalProjection::forward: input and output sizes differ", {}, {}, {},
                       GeoErrorSource::proj, 0, {});
    }
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (!is_valid(in[i])) {
            throw GeoError("cannot project invalid position (lat " + format_deg(in[i].lat_deg) +
                               ", lon " + format_deg(in[i].lon_deg) + ")",
                           {}, {}, {}, GeoErrorSource::proj, 0, {});
        }
        out[i] = MetricPoint{in[i].lon_deg, in[i].lat_deg};
    }
    if (in.empty()) {
        return;
    }
    const std::lock_guard lock(m_impl->mutex);
    proj_errno_reset(m_impl->pj.get());
    // MetricPoint is two doubles; convert in place with strides (x = lon in, easting out).
    const std::size_t converted = proj_trans_generic(
        m_impl->pj.get(), PJ_FWD, &out[0].x_m, sizeof(MetricPoint), out.size(), &out[0].y_m,
        sizeof(MetricPoint), out.size(), nullptr, 0, 0, nullptr, 0, 0);
    const int err = proj_errno(m_impl->pj.get());
    bool all_finite = true;
    for (const MetricPoint& m : out) {
        all_finite = all_finite && std::isfinite(m.x_m) && std::isfinite(m.y_m);
    }
    if (converted != out.size() || err != 0 || !all_finite) {
        throw GeoError("cannot project " + std::to_string(out.size()) + " points with '" +
                           m_impl->definition + "'",
                       {}, {}, {}, GeoErrorSource::proj, err,
                       error_text(m_impl->context.get(), err));
    }
}

} // namespace sahil::geo
