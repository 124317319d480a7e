#include "registry/registry_csv.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <sstream>
#include <utility>

#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "registry/crypto.hpp"
#include "registry/csv_reader.hpp"
#include "registry/identifiers.hpp"
#include "registry/registry_csv_detail.hpp"
#include "registry/vessel_registry.hpp"
#include "registry/write_transaction.hpp"

namespace sahil::registry {
namespace {

using namespace detail::csv_columns;

/// Authority recorded for MMSI and call-sign identifiers given in the file.
constexpr std::string_view radio_authority = "PTA";

std::string_view column_name(std::size_t c) {
    return registry_csv_columns[c];
}

std::string_view trim(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t'; };
    while (!s.empty() && space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return out;
}

std::string ascii_upper(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    });
    return out;
}

/// A cell as the import uses it: trimmed, then one leading apostrophe (the export's formula
/// guard, or Excel's "text" marker) removed.
std::string clean_cell(std::string_view raw) {
    std::string_view s = trim(raw);
    if (!s.empty() && s.front() == '\'') {
        s.remove_prefix(1);
    }
    return std::string(s);
}

/// Where each known column sits in the file's header.
struct Header {
    std::array<std::optional<std::size_t>, column_count> position{};
    std::size_t width = 0;
};

std::optional<Header> parse_header(const CsvRecord& record, std::vector<ImportIssue>& errors) {
    // Spreadsheets set to some locales save "CSV" with ';' or TAB between cells.
    if (record.fields.size() == 1 && record.fields[0].find_first_of(";\t") != std::string::npos) {
        errors.push_back({record.line, "",
                          "the columns are separated by ';' or TAB, not by commas: save the file "
                          "as \"CSV UTF-8 (comma delimited)\""});
        return std::nullopt;
    }
    Header h;
    h.width = record.fields.size();
    for (std::size_t i = 0; i < record.fields.size(); ++i) {
        const std::string name = ascii_lower(trim(record.fields[i]));
        const auto it = std::find(registry_csv_columns.begin(), registry_csv_columns.end(), name);
        if (it == registry_csv_columns.end()) {
            errors.push_back({record.line, std::string(trim(record.fields[i])),
                              name.empty() ? fmt::format("column {} has no name", i + 1)
                                           : fmt::format("unknown column '{}'; the columns are "
                                                         "listed in docs/registry-csv.md",
                                                         trim(record.fields[i]))});
            continue;
        }
        const auto c = static_cast<std::size_t>(it - registry_csv_columns.begin());
        if (h.position[c]) {
            errors.push_back({record.line, name,
                              fmt::format("column '{}' appears twice (columns {} and {})", name,
                                          *h.position[c] + 1, i + 1)});
            continue;
        }
        h.position[c] = i;
    }
    for (std::string_view required : registry_csv_required_columns) {
        const auto it =
            std::find(registry_csv_columns.begin(), registry_csv_columns.end(), required);
        const auto c = static_cast<std::size_t>(it - registry_csv_columns.begin());
        if (!h.position[c]) {
            errors.push_back({record.line, std::string(required),
                              fmt::format("the required column '{}' is missing", required)});
        }
    }
    if (!errors.empty()) {
        return std::nullopt;
    }
    return h;
}

Cells row_cells(const Header& h, const CsvRecord& record) {
    Cells cells;
    for (std::size_t c = 0; c < column_count; ++c) {
        if (h.position[c]) {
            cells[c] = clean_cell(record.fields[*h.position[c]]);
        }
    }
    return cells;
}

bool all_empty(const CsvRecord& record) {
    return std::all_of(record.fields.begin(), record.fields.end(),
                       [](const std::string& f) { return trim(f).empty(); });
}

std::optional<double> parse_decimal(std::string_view s) {
    double v = 0;
    const auto [end, ec] =
        std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::fixed);
    if (ec != std::errc{} || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

std::optional<int> parse_integer(std::string_view s) {
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

std::optional<bool> parse_yes_no(std::string_view s) {
    const std::string v = ascii_lower(s);
    if (v.empty() || v == "no" || v == "n" || v == "false" || v == "0" ||
        v == "\xD9\x86\xDB\x81\xDB\x8C\xDA\xBA") { // نہیں
        return false;
    }
    if (v == "yes" || v == "y" || v == "true" || v == "1" || v == "\xDB\x81\xD8\xA7\xDA\xBA") {
        return true; // ہاں
    }
    return std::nullopt;
}

/// One row turned into a registration, with what is needed to name columns in errors.
struct RowForm {
    Registration form;
    std::vector<std::size_t> identifier_columns; ///< Value column of identifiers[i].
    std::vector<ImportIssue> errors;             ///< Cells that could not be read.
    std::optional<std::string> mmsi_digits;      ///< Normalised MMSI, when the cell is one.
    std::string registration_value;              ///< Normalised registration number.
    std::string registration_key;                ///< Scheme and number (unique in the registry).
    std::optional<std::int64_t> reused_party;
    bool duplicate_registration = false; ///< Registration number on an earlier line too.
};

void parse_vessel(const Cells& cells, std::size_t line, RowForm& row) {
    Vessel& v = row.form.vessel;
    v.name = cells[c_name];
    v.vessel_type = cells[c_vessel_type].empty() ? "other" : ascii_lower(cells[c_vessel_type]);
    v.hull_material = ascii_lower(cells[c_hull_material]);
    v.home_harbour = cells[c_home_harbour];
    v.hull_colour = cells[c_hull_colour];
    const auto decimal = [&](std::size_t c, std::optional<double>& out, std::string_view unit) {
        if (cells[c].empty()) {
            return;
        }
        out = parse_decimal(cells[c]);
        if (!out) {
            row.errors.push_back({line, std::string(column_name(c)),
                                  fmt::format("'{}' is not a number of {}; write decimals with a "
                                              "point, e.g. 14.5",
                                              cells[c], unit)});
        }
    };
    const auto integer = [&](std::size_t c, std::optional<int>& out, std::string_view what) {
        if (cells[c].empty()) {
            return;
        }
        out = parse_integer(cells[c]);
        if (!out) {
            row.errors.push_back({line, std::string(column_name(c)),
                                  fmt::format("'{}' is not a whole number ({})", cells[c], what)});
        }
    };
    decimal(c_loa_m, v.loa_m, "metres");
    decimal(c_engine_kw, v.engine_kw, "kilowatts");
    integer(c_max_persons, v.max_persons, "persons on board");
    integer(c_build_year, v.build_year, "a year, e.g. 2016");
}

void parse_identifiers(const Cells& cells, std::size_t line, RowForm& row) {
    std::string scheme = ascii_lower(cells[c_registration_scheme]);
    if (scheme.empty()) {
        scheme = "provincial_reg";
    } else if (scheme != "provincial_reg" && scheme != "official_number" &&
               scheme != "fishing_licence_no") {
        row.errors.push_back({line, "registration_scheme",
                              fmt::format("'{}' is not a registration scheme; use "
                                          "provincial_reg, official_number or "
                                          "fishing_licence_no (empty = provincial_reg)",
                                          cells[c_registration_scheme])});
        scheme = "provincial_reg";
    }
    const std::string authority = ascii_upper(cells[c_authority]);
    row.form.identifiers.push_back(Identifier{
        .scheme = scheme, .value = cells[c_registration_number], .authority = authority});
    row.identifier_columns.push_back(c_registration_number);
    if (auto id_scheme = parse_id_scheme(scheme)) {
        row.registration_value =
            IdentifierRules{}.check(*id_scheme, cells[c_registration_number], authority).value;
        row.registration_key = scheme + ":" + row.registration_value;
    }
    if (!cells[c_mmsi].empty()) {
        row.form.identifiers.push_back(Identifier{
            .scheme = "mmsi", .value = cells[c_mmsi], .authority = std::string(radio_authority)});
        row.identifier_columns.push_back(c_mmsi);
        const auto checked = IdentifierRules{}.check(IdScheme::mmsi, cells[c_mmsi], "");
        if (checked.errors.empty()) {
            row.mmsi_digits = checked.value;
        }
    }
    if (!cells[c_call_sign].empty()) {
        row.form.identifiers.push_back(Identifier{.scheme = "call_sign",
                                                  .value = cells[c_call_sign],
                                                  .authority = std::string(radio_authority)});
        row.identifier_columns.push_back(c_call_sign);
    }
}

void parse_owner(VesselRegistry& registry, const Cells& cells, std::size_t line, RowForm& row,
                 std::vector<ImportIssue>& warnings) {
    const std::string& cnic = cells[c_owner_cnic];
    if (cnic.find('*') != std::string::npos) {
        row.errors.push_back({line, "owner_cnic",
                              "this CNIC is masked (it comes from an export without personal "
                              "data); give the full 13 digits, e.g. 42101-1234567-3, or leave "
                              "the cell empty"});
    } else if (!cnic.empty()) {
        if (auto existing = registry.party_id_by_cnic(cnic)) {
            row.reused_party = existing;
            row.form.owners.push_back(OwnerInput{.party_id = *existing, .share_pct = 100.0});
            const auto on_file = registry.party(*existing, false);
            if (on_file && normalise_vessel_name(on_file->name) !=
                               normalise_vessel_name(cells[c_owner_name])) {
                warnings.push_back(
                    {line, "owner_name",
                     fmt::format("this CNIC is already on file as '{}'; that owner record is "
                                 "used and the owner details in this row ('{}') are not applied",
                                 on_file->name, cells[c_owner_name])});
            }
            return;
        }
    }
    if (cells[c_owner_phone].find('*') != std::string::npos) {
        row.errors.push_back({line, "owner_phone",
                              "this phone number is masked (it comes from an export without "
                              "personal data); give the full number or leave the cell empty"});
    }
    Party p;
    p.kind = "person";
    p.name = cells[c_owner_name];
    p.father_or_husband_name = cells[c_owner_father_name];
    if (!cnic.empty() && cnic.find('*') == std::string::npos) {
        p.cnic = cnic;
    }
    if (!cells[c_owner_phone].empty() && cells[c_owner_phone].find('*') == std::string::npos) {
        p.phone = cells[c_owner_phone];
    }
    p.address = cells[c_owner_address];
    row.form.owners.push_back(OwnerInput{.party = std::move(p), .share_pct = 100.0});
}

void parse_licence_and_transponder(const Cells& cells, std::size_t line, RowForm& row) {
    const auto night = parse_yes_no(cells[c_night_fishing]);
    if (!night) {
        row.errors.push_back(
            {line, "night_fishing", fmt::format("'{}' is not yes or no", cells[c_night_fishing])});
    }
    const bool any_licence =
        !cells[c_licence_no].empty() || !cells[c_licence_authority].empty() ||
        !cells[c_licence_kind].empty() || !cells[c_licence_valid_from].empty() ||
        !cells[c_licence_valid_to].empty() || !cells[c_gear].empty() || night.value_or(false);
    if (any_licence) {
        Licence l;
        // The provincial fisheries department both registers and licenses a boat: an empty
        // licence_authority means the registration's authority.
        l.authority = ascii_upper(cells[c_licence_authority].empty() ? cells[c_authority]
                                                                     : cells[c_licence_authority]);
        l.licence_no = cells[c_licence_no];
        l.kind = cells[c_licence_kind].empty() ? "artisanal" : ascii_lower(cells[c_licence_kind]);
        std::string_view gear = cells[c_gear];
        while (!gear.empty()) {
            const std::size_t cut = gear.find(';');
            const std::string_view item = trim(gear.substr(0, cut));
            if (!item.empty()) {
                l.gear.push_back(ascii_lower(item));
            }
            gear = cut == std::string_view::npos ? std::string_view{} : gear.substr(cut + 1);
        }
        l.valid_from = cells[c_licence_valid_from];
        l.valid_to = cells[c_licence_valid_to];
        l.night_fishing = night.value_or(false);
        row.form.licence = std::move(l);
    }
    if (!cells[c_transponder_kind].empty()) {
        Transponder t;
        t.kind = ascii_lower(cells[c_transponder_kind]);
        if (row.mmsi_digits && t.kind.starts_with("ais_")) {
            t.mmsi = parse_mmsi(*row.mmsi_digits); // an AIS transponder transmits the MMSI
        }
        row.form.transponders.push_back(std::move(t));
    }
}

/// The CSV column a service field name ("owners[0].party.cnic") stands for in this row.
std::string column_for(std::string_view field, const RowForm& row) {
    const auto after_dot = [&](std::string_view f) {
        const std::size_t dot = f.rfind('.');
        return dot == std::string_view::npos ? std::string_view{} : f.substr(dot + 1);
    };
    if (field == "identifiers") {
        return "registration_number";
    }
    if (field.starts_with("identifiers[")) {
        std::size_t index = 0;
        const char* first = field.data() + 12;
        std::from_chars(first, field.data() + field.size(), index);
        const std::size_t c = index < row.identifier_columns.size()
                                  ? row.identifier_columns[index]
                                  : std::size_t{c_registration_number};
        const std::string_view leaf = after_dot(field);
        if (c == c_registration_number && leaf == "authority") {
            return "authority";
        }
        if (c == c_registration_number && leaf == "scheme") {
            return "registration_scheme";
        }
        return std::string(column_name(c));
    }
    if (field.starts_with("owners")) {
        const std::string_view leaf = after_dot(field);
        if (leaf == "father_or_husband_name") {
            return "owner_father_name";
        }
        if (leaf == "cnic" || leaf == "party_id") {
            return "owner_cnic";
        }
        if (leaf == "phone") {
            return "owner_phone";
        }
        if (leaf == "address") {
            return "owner_address";
        }
        return "owner_name";
    }
    if (field.starts_with("licence.")) {
        const std::string_view leaf = field.substr(8);
        if (leaf == "authority") {
            return "licence_authority";
        }
        if (leaf == "kind") {
            return "licence_kind";
        }
        if (leaf == "valid_from" || leaf == "valid_to") {
            return fmt::format("licence_{}", leaf);
        }
        if (leaf.starts_with("gear")) {
            return "gear";
        }
        return std::string(leaf == "licence_no" ? "licence_no" : "");
    }
    if (field.starts_with("transponders")) {
        return after_dot(field) == "mmsi" ? "mmsi" : "transponder_kind";
    }
    if (field.starts_with("vessel.")) {
        field.remove_prefix(7); // the vessel's own columns have the same names
    }
    const auto it = std::find(registry_csv_columns.begin(), registry_csv_columns.end(), field);
    return it != registry_csv_columns.end() ? std::string(field) : std::string();
}

/// A service message in the file's terms.
std::string message_for(const FieldError& e, const std::string& column) {
    std::string message = e.message;
    if (column == "licence_valid_to" && message == "must not be before valid_from") {
        message = "must not be before licence_valid_from";
    }
    if (column.empty()) {
        message = fmt::format("{}: {}", e.field, message);
    }
    return message;
}

/// Collects issues under the caps.
struct IssueSink {
    ImportPlan& plan;
    std::size_t cap;

    void error(ImportIssue issue) {
        ++plan.error_count;
        if (plan.errors.size() < cap) {
            plan.errors.push_back(std::move(issue));
        }
    }
    void warning(ImportIssue issue) {
        ++plan.warning_count;
        if (plan.warnings.size() < cap) {
            plan.warnings.push_back(std::move(issue));
        }
    }
};

/// First line on which each registration number and MMSI was seen.
struct SeenInFile {
    std::map<std::string, std::size_t> registration;
    std::map<std::string, std::size_t> mmsi;
};

class Importer {
public:
    Importer(VesselRegistry& registry, const Actor& actor, const ImportOptions& options,
             ImportPlan& plan)
        : m_registry(registry), m_actor(actor), m_options(options),
          m_plan(plan), m_sink{plan, options.max_issues} {}

    /// Validates (and stages, inside the caller's transaction) one data row.
    void row(const Header& header, const CsvRecord& record) {
        const std::size_t line = record.line;
        if (record.fields.size() != header.width) {
            m_sink.error({line, "",
                          fmt::format("this row has {} cells but the header has {}; check for a "
                                      "stray comma or a missing quote",
                                      record.fields.size(), header.width)});
            ++m_plan.rows_with_errors;
            return;
        }
        const Cells cells = row_cells(header, record);
        RowForm row = parse_row(cells, line);
        std::vector<ImportIssue> warnings;

        // The row's own savepoint: kept only if the row is clean, so that later rows are checked
        // against exactly the rows an apply would store.
        WriteTransaction staged(m_registry.database());
        parse_owner(m_registry, cells, line, row, warnings);
        std::vector<ImportIssue> errors = register_row(row, line, warnings);
        for (ImportIssue& w : warnings) {
            m_sink.warning(std::move(w));
        }
        if (!errors.empty()) {
            ++m_plan.rows_with_errors;
            for (ImportIssue& e : errors) {
                m_sink.error(std::move(e));
            }
            return; // `staged` rolls the row back
        }
        staged.commit();
        ++m_plan.rows_valid;
        if (row.reused_party) {
            ++m_plan.owners_reused;
        }
    }

    IssueSink& sink() noexcept { return m_sink; }

private:
    /// The row's cells as a registration (owner aside), with the problems found in the cells.
    RowForm parse_row(const Cells& cells, std::size_t line) {
        RowForm row;
        row.form.reason = m_options.reason;
        parse_vessel(cells, line, row);
        parse_identifiers(cells, line, row);
        parse_licence_and_transponder(cells, line, row);
        const auto& allowed = m_options.allowed_harbours;
        if (!allowed.empty() && !cells[c_home_harbour].empty() &&
            std::find(allowed.begin(), allowed.end(), cells[c_home_harbour]) == allowed.end()) {
            row.errors.push_back(
                {line, "home_harbour",
                 fmt::format("you may only register boats of {}", fmt::join(allowed, ", "))});
        }
        row.duplicate_registration = check_duplicates(row, line);
        return row;
    }

    /// Runs the registration and returns all of the row's errors (cells first, then the
    /// registry's, in column order); appends the registry's warnings to `warnings`.
    std::vector<ImportIssue> register_row(RowForm& row, std::size_t line,
                                          std::vector<ImportIssue>& warnings) {
        std::vector<ImportIssue> errors = std::move(row.errors);
        const auto outcome = m_registry.register_vessel(m_actor, row.form);
        for (const FieldError& e : outcome.errors) {
            const std::string column = column_for(e.field, row);
            if (row.duplicate_registration && column == "registration_number") {
                continue; // already reported as a duplicate within the file
            }
            errors.push_back({line, column, message_for(e, column)});
        }
        if (outcome.ok()) {
            for (const FieldError& w : outcome.value->warnings) {
                const std::string column = column_for(w.field, row);
                warnings.push_back({line, column, message_for(w, column)});
            }
        }
        std::stable_sort(errors.begin(), errors.end(),
                         [](const ImportIssue& a, const ImportIssue& b) {
                             return column_index(a.column) < column_index(b.column);
                         });
        return errors;
    }

    static std::size_t column_index(const std::string& column) {
        const auto it = std::find(registry_csv_columns.begin(), registry_csv_columns.end(), column);
        return static_cast<std::size_t>(it - registry_csv_columns.begin());
    }

    /// Reports a registration number or MMSI given on an earlier line. A duplicated MMSI is
    /// taken out of the row (so that the registry does not open an identity conflict against
    /// a boat of the same file).
    bool check_duplicates(RowForm& row, std::size_t line) {
        bool duplicate_registration = false;
        if (!row.registration_key.empty()) {
            const auto [it, inserted] = m_seen.registration.emplace(row.registration_key, line);
            if (!inserted) {
                row.errors.push_back(
                    {line, "registration_number",
                     fmt::format("registration number {} is given twice, on line {} and on line "
                                 "{}; each boat has its own",
                                 row.registration_value, it->second, line)});
                duplicate_registration = true;
            }
        }
        if (row.mmsi_digits) {
            const auto [it, inserted] = m_seen.mmsi.emplace(*row.mmsi_digits, line);
            if (!inserted) {
                row.errors.push_back({line, "mmsi",
                                      fmt::format("MMSI {} is given twice, on line {} and on "
                                                  "line {}; an MMSI belongs to one boat",
                                                  *row.mmsi_digits, it->second, line)});
                std::erase_if(row.form.identifiers,
                              [](const Identifier& i) { return i.scheme == "mmsi"; });
                std::erase(row.identifier_columns, std::size_t{c_mmsi});
                for (Transponder& t : row.form.transponders) {
                    t.mmsi.reset();
                }
            }
        }
        return duplicate_registration;
    }

    VesselRegistry& m_registry;
    const Actor& m_actor;
    const ImportOptions& m_options;
    ImportPlan& m_plan;
    IssueSink m_sink;
    SeenInFile m_seen;
};

std::string read_all(std::istream& in, bool& failed) {
    std::ostringstream buffer;
    buffer << in.rdbuf();
    failed = in.bad();
    return std::move(buffer).str();
}

} // namespace

ImportPlan plan_import(VesselRegistry& registry, std::istream& in, const Actor& actor,
                       const ImportOptions& options) {
    ImportPlan plan;
    bool read_failed = false;
    const std::string bytes = read_all(in, read_failed);
    plan.file_sha256 = sha256_hex(bytes);
    IssueSink file_sink{plan, options.max_issues};
    if (read_failed) {
        file_sink.error({0, "", "the file could not be read"});
        return plan;
    }
    std::istringstream text(bytes);
    CsvReader reader(text);
    CsvRecord record;
    std::optional<Header> header;
    while (!header && reader.next(record)) {
        if (all_empty(record)) {
            continue;
        }
        std::vector<ImportIssue> errors;
        header = parse_header(record, errors);
        for (ImportIssue& e : errors) {
            file_sink.error(std::move(e));
        }
        if (!header) {
            return plan;
        }
    }
    if (!header) {
        if (reader.error()) {
            file_sink.error({reader.error_line(), "", reader.error().message()});
        } else {
            file_sink.error({0, "",
                             "the file is empty: it needs a header row and one row per "
                             "boat"});
        }
        return plan;
    }
    try {
        WriteTransaction batch(registry.database());
        Importer importer(registry, actor, options, plan);
        while (reader.next(record)) {
            if (all_empty(record)) {
                continue;
            }
            if (++plan.rows_read > options.max_rows) {
                plan.rows_read = options.max_rows;
                importer.sink().error(
                    {record.line, "",
                     fmt::format("the file has more than {} rows; split it into smaller files",
                                 options.max_rows)});
                break;
            }
            importer.row(*header, record);
        }
        if (reader.error()) {
            importer.sink().error(
                {reader.error_line(), "",
                 fmt::format("{}; nothing after this line was read", reader.error().message())});
        }
        if (plan.rows_read == 0 && plan.error_count == 0) {
            importer.sink().error({0, "", "the file has a header but no boats"});
        }
        if (options.apply && plan.error_count == 0) {
            const nlohmann::ordered_json summary = {{"rows", plan.rows_valid},
                                                    {"owners_reused", plan.owners_reused},
                                                    {"warnings", plan.warning_count},
                                                    {"file_sha256", plan.file_sha256}};
            AuditLog(registry.database(), registry.clock())
                .append(actor, {.action = "registry.import",
                                .entity = "import",
                                .entity_id = plan.file_sha256.substr(0, 16),
                                .after_json = summary.dump(),
                                .reason = options.reason});
            batch.commit();
            plan.applied = true;
        }
        // Otherwise `batch` rolls everything back: a dry run, or an apply with errors.
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: importing a CSV file");
    }
    return plan;
}

} // namespace sahil::registry
