// Paths of the test data shipped in tests/data (provenance in tests/data/ais/SOURCES.md).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace sahil::test {

/// tests/data/<relative>.
inline std::filesystem::path data_path(const std::string& relative) {
    return std::filesystem::path(SAHIL_SOURCE_DIR) / "tests" / "data" / relative;
}

/// Whole file as bytes.
inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace sahil::test
