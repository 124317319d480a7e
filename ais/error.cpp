#include "ais/error.hpp"

#include <string>

namespace sahil::ais {
namespace {

constexpr std::array<std::string_view, errc_count> names{
    "ok",
    "line_too_long",
    "bad_character",
    "not_nmea",
    "missing_checksum",
    "bad_checksum",
    "bad_tag_block",
    "bad_address",
    "bad_field_count",
    "bad_fragment_count",
    "bad_fragment_number",
    "bad_sequence_id",
    "bad_channel",
    "bad_fill_bits",
    "bad_armour_character",
    "empty_payload",
    "fragment_missing",
    "fragment_timeout",
    "duplicate_fragment",
    "too_short",
    "bad_part_number",
    "bad_gatehouse_header",
    "unknown_type",
    "too_long",
    "too_long_for_type",
};
static_assert(names.size() == errc_count && !names.back().empty(),
              "errc name table must match the enum");

class Category final : public std::error_category {
public:
    const char* name() const noexcept override { return "sahil.ais"; }
    std::string message(int ev) const override {
        if (ev < 0 || static_cast<std::size_t>(ev) >= errc_count) {
            return "unknown AIS error";
        }
        return std::string(names[static_cast<std::size_t>(ev)]);
    }
};

} // namespace

std::string_view to_string(errc e) noexcept {
    const auto i = static_cast<std::size_t>(e);
    return i < errc_count ? names[i] : std::string_view("unknown");
}

const std::error_category& ais_category() noexcept {
    static const Category category;
    return category;
}

std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), ais_category()};
}

} // namespace sahil::ais
