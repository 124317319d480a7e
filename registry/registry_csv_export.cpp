// Export half of registry_csv.hpp (the file comment there describes the format); the import is
// registry_csv.cpp.
#include "registry/registry_csv.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "registry/identifiers.hpp"
#include "registry/registry_csv_detail.hpp"
#include "registry/vessel_registry.hpp"

namespace sahil::registry {

std::string csv_cell(std::string_view value) {
    std::string cell;
    cell.reserve(value.size() + 3);
    if (!value.empty() &&
        std::string_view("=+-@\t\r'").find(value.front()) != std::string_view::npos) {
        cell += '\'';
    }
    cell += value;
    if (cell.find_first_of(",\"\r\n") == std::string::npos) {
        return cell;
    }
    std::string quoted = "\"";
    for (char c : cell) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    quoted += '"';
    return quoted;
}

namespace {

using namespace detail::csv_columns;

std::string number_text(const std::optional<double>& v) {
    return v ? fmt::format("{}", *v) : std::string();
}

std::string number_text(const std::optional<int>& v) {
    return v ? std::to_string(*v) : std::string();
}

const Identifier* current_identifier(const VesselRecord& r, std::string_view scheme) {
    for (const Identifier& i : r.identifiers) {
        if (i.scheme == scheme && i.valid_to.empty()) {
            return &i;
        }
    }
    return nullptr;
}

Cells export_cells(const VesselRecord& r, const ExportOptions& options, bool& partial_owner) {
    Cells cells;
    const Vessel& v = r.vessel;
    for (std::string_view scheme : {"provincial_reg", "official_number", "fishing_licence_no"}) {
        if (const Identifier* id = current_identifier(r, scheme)) {
            cells[c_registration_number] = id->value;
            cells[c_authority] = id->authority;
            cells[c_registration_scheme] = id->scheme;
            break;
        }
    }
    cells[c_name] = v.name;
    cells[c_vessel_type] = v.vessel_type;
    cells[c_hull_material] = v.hull_material;
    cells[c_loa_m] = number_text(v.loa_m);
    cells[c_engine_kw] = number_text(v.engine_kw);
    cells[c_max_persons] = number_text(v.max_persons);
    cells[c_build_year] = number_text(v.build_year);
    cells[c_home_harbour] = v.home_harbour;
    cells[c_hull_colour] = v.hull_colour;
    if (const Identifier* id = current_identifier(r, "mmsi")) {
        cells[c_mmsi] = id->value;
    }
    if (const Identifier* id = current_identifier(r, "call_sign")) {
        cells[c_call_sign] = id->value;
    }
    const VesselParty* owner = nullptr;
    std::size_t owners = 0;
    for (const VesselParty& role : r.roles) {
        if (role.role == "owner" && role.valid_to.empty()) {
            ++owners;
            if (owner == nullptr || role.share_pct.value_or(0) > owner->share_pct.value_or(0)) {
                owner = &role;
            }
        }
    }
    partial_owner = owners > 1;
    if (owner != nullptr) {
        const auto party = std::find_if(r.parties.begin(), r.parties.end(),
                                        [&](const Party& p) { return p.id == owner->party_id; });
        if (party != r.parties.end()) {
            cells[c_owner_name] = party->name;
            cells[c_owner_father_name] = party->father_or_husband_name;
            if (party->cnic && !party->cnic->empty()) {
                cells[c_owner_cnic] =
                    options.include_pii ? format_cnic(*party->cnic) : mask_cnic(*party->cnic);
            }
            if (party->phone && !party->phone->empty()) {
                cells[c_owner_phone] =
                    options.include_pii ? *party->phone : mask_phone(*party->phone);
            }
            // The address is personal data like the CNIC: only in a PII export.
            cells[c_owner_address] = options.include_pii ? party->address : std::string();
        }
    }
    const auto licence = std::find_if(r.licences.begin(), r.licences.end(),
                                      [](const Licence& l) { return l.status != "superseded"; });
    if (licence != r.licences.end()) {
        cells[c_licence_no] = licence->licence_no;
        cells[c_licence_authority] = licence->authority;
        cells[c_licence_kind] = licence->kind;
        cells[c_licence_valid_from] = licence->valid_from;
        cells[c_licence_valid_to] = licence->valid_to;
        cells[c_gear] = fmt::format("{}", fmt::join(licence->gear, ";"));
        cells[c_night_fishing] = licence->night_fishing ? "yes" : "no";
    }
    const auto fitted = std::find_if(r.transponders.begin(), r.transponders.end(),
                                     [](const Transponder& t) { return t.removed_on.empty(); });
    if (fitted != r.transponders.end()) {
        cells[c_transponder_kind] = fitted->kind;
    }
    return cells;
}

void write_row(std::ostream& out, const Cells& cells) {
    for (std::size_t c = 0; c < column_count; ++c) {
        if (c != 0) {
            out << ',';
        }
        out << csv_cell(cells[c]);
    }
    out << "\r\n";
}

} // namespace

ExportReport export_csv(VesselRegistry& registry, std::ostream& out, const ExportOptions& options) {
    ExportReport report;
    std::vector<std::int64_t> ids;
    try {
        SQLite::Statement q(registry.database().handle(),
                            "SELECT id FROM vessels WHERE ?1 = '' OR home_harbour = ?1 "
                            "ORDER BY id");
        q.bind(1, options.harbour);
        while (q.executeStep()) {
            ids.push_back(q.getColumn(0).getInt64());
        }
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: listing vessels for a CSV export");
    }
    if (options.byte_order_mark) {
        out << "\xEF\xBB\xBF";
    }
    Cells header;
    std::copy(registry_csv_columns.begin(), registry_csv_columns.end(), header.begin());
    write_row(out, header);
    for (std::int64_t id : ids) {
        // PII is decrypted even for a masked export: mask_cnic keeps the locality code and the
        // last digit, which it needs the plaintext for. It never leaves this function in clear.
        const auto record = registry.get(id, true);
        if (!record) {
            continue;
        }
        bool partial_owner = false;
        write_row(out, export_cells(*record, options, partial_owner));
        if (partial_owner) {
            report.partial_owner_vessels.push_back(id);
        }
        ++report.rows;
    }
    return report;
}

} // namespace sahil::registry
