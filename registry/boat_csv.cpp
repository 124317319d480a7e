#include "registry/boat_csv.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace sahil::registry {
namespace {

constexpr std::array<std::string_view, boat_csv_column_count> column_names{
    "registration_number", "name",   "mmsi", "call_sign", "home_harbour",
    "licence_valid_until", "status",
};

constexpr std::array<BoatCsvColumn, 3> required_columns{
    BoatCsvColumn::registration_number, BoatCsvColumn::name, BoatCsvColumn::home_harbour};

std::string_view trim(std::string_view text) noexcept {
    const auto space = [](char c) { return c == ' ' || c == '\t'; };
    while (!text.empty() && space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return out;
}

std::optional<BoatCsvColumn> column_named(std::string_view name) {
    for (std::size_t i = 0; i < column_names.size(); ++i) {
        if (column_names[i] == name) {
            return static_cast<BoatCsvColumn>(i);
        }
    }
    return std::nullopt;
}

std::size_t index_of(BoatCsvColumn column) {
    return static_cast<std::size_t>(column);
}

} // namespace

std::string_view to_string(BoatCsvColumn column) noexcept {
    const auto i = static_cast<std::size_t>(column);
    return i < column_names.size() ? column_names[i] : std::string_view{"unknown"};
}

std::optional<BoatCsvLayout> parse_boat_csv_header(const std::vector<std::string>& header,
                                                   std::vector<FieldError>& errors) {
    const std::size_t errors_before = errors.size();
    BoatCsvLayout layout;
    layout.field_count = header.size();
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string name = ascii_lower(trim(header[i]));
        if (name.empty()) {
            errors.push_back({"", fmt::format("column {} has no name", i + 1)});
            continue;
        }
        const auto column = column_named(name);
        if (!column) {
            errors.push_back(
                {name, fmt::format("unknown column (expected {})", fmt::join(column_names, ", "))});
            continue;
        }
        auto& position = layout.position[index_of(*column)];
        if (position) {
            errors.push_back({name, fmt::format("column appears twice (columns {} and {})",
                                                *position + 1, i + 1)});
            continue;
        }
        position = i;
    }
    for (const BoatCsvColumn column : required_columns) {
        if (!layout.position[index_of(column)]) {
            errors.push_back({std::string(to_string(column)), "required column missing"});
        }
    }
    if (errors.size() != errors_before) {
        return std::nullopt;
    }
    return layout;
}

Boat boat_from_csv_record(const BoatCsvLayout& layout, const std::vector<std::string>& fields,
                          std::vector<FieldError>& errors) {
    Boat boat;
    if (fields.size() != layout.field_count) {
        errors.push_back({"", fmt::format("expected {} fields as in the header, found {}",
                                          layout.field_count, fields.size())});
        return boat;
    }
    const auto cell = [&](BoatCsvColumn column) -> std::string_view {
        const auto& position = layout.position[index_of(column)];
        return position ? trim(fields[*position]) : std::string_view{};
    };
    boat.registration_number = cell(BoatCsvColumn::registration_number);
    boat.name = cell(BoatCsvColumn::name);
    boat.call_sign = cell(BoatCsvColumn::call_sign);
    boat.home_harbour = cell(BoatCsvColumn::home_harbour);

    // A value that does not parse is left empty, so validate() does not report that field again.
    std::vector<FieldError> parse_errors;
    if (const auto text = cell(BoatCsvColumn::mmsi); !text.empty()) {
        boat.mmsi = parse_mmsi(text);
        if (!boat.mmsi) {
            parse_errors.push_back({"mmsi", "must be 9 digits"});
        }
    }
    if (const auto text = cell(BoatCsvColumn::licence_valid_until); !text.empty()) {
        boat.licence_valid_until = parse_iso_date(text);
        if (!boat.licence_valid_until) {
            parse_errors.push_back(
                {"licence_valid_until", "must be a real date written YYYY-MM-DD"});
        }
    }
    if (const auto text = cell(BoatCsvColumn::status); !text.empty()) {
        const auto status = parse_boat_status(text);
        if (status) {
            boat.status = *status;
        } else {
            parse_errors.push_back({"status", "must be active, suspended or decommissioned"});
        }
    }
    std::vector<FieldError> problems = validate(boat);
    problems.insert(problems.end(), parse_errors.begin(), parse_errors.end());
    // Report in column order (the order of validate()), whatever the source of the problem.
    std::stable_sort(problems.begin(), problems.end(),
                     [](const FieldError& a, const FieldError& b) {
                         return column_named(a.field).value_or(BoatCsvColumn::status) <
                                column_named(b.field).value_or(BoatCsvColumn::status);
                     });
    errors.insert(errors.end(), problems.begin(), problems.end());
    return boat;
}

} // namespace sahil::registry
