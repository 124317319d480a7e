// sahil::geo — the exception thrown when zone data or a projection cannot be used.
//
// Example: "x.geojson: layer 'x': id field 'id' not found (fields: a3, zone)".
// Data path: thrown while loading zones (startup, SIGHUP reload) and building projections; caught
// at the named boundaries (main(), check-config, reload handler). Queries never throw it.
// Thread-safety: immutable after construction.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace sahil::geo {

/// Which library reported the underlying error, if any.
enum class GeoErrorSource {
    none, ///< Sahil's own check (missing field, invalid geometry, duplicate id...)
    ogr,  ///< GDAL/OGR: library_error() is the CPLErrorNum (e.g. 4 = CPLE_OpenFailed)
    proj, ///< PROJ: library_error() is the proj_context_errno value
};

/// Resource or data error in the geo module (missing file, no layer, no polygon, missing id field,
/// invalid geometry, failed projection). what() is a complete one-line message naming the file,
/// layer and feature concerned and the library's own message; the parts are also kept apart.
class GeoError : public std::runtime_error {
public:
    /// `problem` is the short description; file/layer/feature may be empty when not applicable;
    /// `library_message` is the GDAL/PROJ message (empty if none).
    GeoError(const std::string& problem, std::filesystem::path file = {}, std::string layer = {},
             std::string feature = {}, GeoErrorSource source = GeoErrorSource::none,
             int library_error = 0, const std::string& library_message = {});

    /// File being read, or empty.
    [[nodiscard]] const std::filesystem::path& file() const noexcept { return m_file; }
    /// OGR layer name (or Sahil layer label), or empty.
    [[nodiscard]] const std::string& layer() const noexcept { return m_layer; }
    /// Feature id (or "FID n" when the id is unknown), or empty.
    [[nodiscard]] const std::string& feature() const noexcept { return m_feature; }
    /// Library that reported the error.
    [[nodiscard]] GeoErrorSource source() const noexcept { return m_source; }
    /// CPLErrorNum (source ogr) or PROJ errno (source proj); 0 when none.
    [[nodiscard]] int library_error() const noexcept { return m_library_error; }
    /// The short description alone (what() without the location and library parts).
    [[nodiscard]] const std::string& problem() const noexcept { return m_problem; }
    /// The library's own message, or empty.
    [[nodiscard]] const std::string& library_message() const noexcept { return m_library_message; }

    /// The same error located in `file` and `layer` (used when a check that does not know the
    /// file, such as make_zone(), fails during a load).
    [[nodiscard]] GeoError with_location(std::filesystem::path file, std::string layer) const;

private:
    std::string m_problem;
    std::string m_library_message;
    std::filesystem::path m_file;
    std::string m_layer;
    std::string m_feature;
    GeoErrorSource m_source;
    int m_library_error;
};

} // namespace sahil::geo
