#include "geo/geo_error.hpp"

#include <utility>

namespace sahil::geo {
namespace {

std::string compose(const std::string& problem, const std::filesystem::path& file,
                    const std::string& layer, const std::string& feature, GeoErrorSource source,
                    int library_error, const std::string& library_message) {
    std::string text;
    if (!file.empty()) {
        text += file.string() + ": ";
    }
    if (!layer.empty()) {
        text += "layer '" + layer + "': ";
    }
    if (!feature.empty()) {
        text += "feature '" + feature + "': ";
    }
    text += problem;
    if (library_error != 0 || !library_message.empty()) {
        text += source == GeoErrorSource::proj ? " (PROJ error " : " (OGR error ";
        text += std::to_string(library_error);
        if (!library_message.empty()) {
            text += ": " + library_message;
        }
        text += ")";
    }
    return text;
}

} // namespace

GeoError::GeoError(const std::string& problem, std::filesystem::path file, std::string layer,
                   std::string feature, GeoErrorSource source, int library_error,
                   const std::string& library_message)
    : std::runtime_error(
          compose(problem, file, layer, feature, source, library_error, library_message)),
      m_problem(problem), m_library_message(library_message), m_file(std::move(file)),
      m_layer(std::move(layer)), m_feature(std::move(feature)), m_source(source),
      m_library_error(library_error) {}

GeoError GeoError::with_location(std::filesystem::path file, std::string layer) const {
    return GeoError(m_problem, std::move(file), std::move(layer), m_feature, m_source,
                    m_library_error, m_library_message);
}

} // namespace sahil::geo
