#include "registry/boat_store.hpp"

#include <limits>
#include <map>
#include <utility>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "registry/audit.hpp"
#include "registry/boat_csv.hpp"
#include "registry/csv_reader.hpp"

namespace sahil::registry {
namespace {

// Column order read by read_boat().
constexpr std::string_view select_boats =
    "SELECT id, registration_number, name, mmsi, call_sign, home_harbour, licence_valid_until, "
    "status, vessel_status, licence_status, licence_valid_from, night_fishing, foreign_waters, "
    "licence_zones, has_transponder, identity_conflict FROM boats";

std::string format_utc(std::chrono::sys_seconds time) {
    const auto day = std::chrono::floor<std::chrono::days>(time);
    const std::chrono::hh_mm_ss clock{time - day};
    return fmt::format("{}T{:02}:{:02}:{:02}Z", format_iso_date(std::chrono::year_month_day{day}),
                       clock.hours().count(), clock.minutes().count(), clock.seconds().count());
}

std::string describe(const Boat& boat) {
    return fmt::format("boat {} {} \"{}\"", boat.id, boat.registration_number, boat.name);
}

std::string upper_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

bool has_field(const std::vector<FieldError>& errors, std::string_view field) {
    for (const FieldError& error : errors) {
        if (error.field == field) {
            return true;
        }
    }
    return false;
}

/// Reads the current row of a statement built on select_boats. The schema's CHECK constraints
/// should make every failure here impossible; one means the file was edited by hand.
Boat read_boat(const SQLite::Statement& row, const std::string& context) {
    Boat boat;
    boat.id = row.getColumn(0).getInt64();
    const auto corrupt = [&](std::string_view column, const std::string& value) {
        return RegistryError(RegistryError::Kind::corrupt_row,
                             fmt::format("{}: boat {}: stored {} '{}' is not valid", context,
                                         boat.id, column, value));
    };
    boat.registration_number = row.getColumn(1).getString();
    boat.name = row.getColumn(2).getString();
    if (!row.getColumn(3).isNull()) {
        const std::int64_t mmsi = row.getColumn(3).getInt64();
        if (mmsi < 0 || mmsi > std::numeric_limits<std::uint32_t>::max()) {
            throw corrupt("mmsi", std::to_string(mmsi));
        }
        boat.mmsi = static_cast<std::uint32_t>(mmsi);
    }
    boat.call_sign = row.getColumn(4).getString(); // NULL reads as ""
    boat.home_harbour = row.getColumn(5).getString();
    if (!row.getColumn(6).isNull()) {
        const std::string text = row.getColumn(6).getString();
        boat.licence_valid_until = parse_iso_date(text);
        if (!boat.licence_valid_until) {
            throw corrupt("licence_valid_until", text);
        }
    }
    const std::string status = row.getColumn(7).getString();
    const auto parsed = parse_boat_status(status);
    if (!parsed) {
        throw corrupt("status", status);
    }
    boat.status = *parsed;
    boat.vessel_status = row.getColumn(8).getString();
    boat.licence_status = row.getColumn(9).getString();
    if (!row.getColumn(10).isNull()) {
        const std::string text = row.getColumn(10).getString();
        boat.licence_valid_from = parse_iso_date(text);
        if (!boat.licence_valid_from) {
            throw corrupt("licence_valid_from", text);
        }
    }
    boat.night_fishing = row.getColumn(11).getInt() != 0;
    boat.foreign_waters = row.getColumn(12).getInt() != 0;
    if (!row.getColumn(13).isNull()) {
        const auto zones = nlohmann::json::parse(row.getColumn(13).getString(), nullptr, false);
        if (!zones.is_array()) {
            throw corrupt("licence zones", row.getColumn(13).getString());
        }
        for (const auto& z : zones) {
            if (z.is_string()) {
                boat.licence_zones.push_back(z.get<std::string>());
            }
        }
    }
    boat.has_transponder = row.getColumn(14).getInt() != 0;
    boat.identity_conflict = row.getColumn(15).getInt() != 0;
    return boat;
}

/// One run of BoatStore::import_csv: reads records, turns them into boats, reports problems.
class CsvImport {
public:
    CsvImport(BoatStore& store, ImportReport& report) : m_store(store), m_report(report) {}

    void run(std::istream& in) {
        CsvReader reader(in);
        CsvRecord record;
        if (!reader.next(record)) {
            if (!stopped_by_csv_error(reader)) {
                add_error(1, {"", "the file is empty; expected a header row"});
            }
            return;
        }
        std::vector<FieldError> header_errors;
        const auto layout = parse_boat_csv_header(record.fields, header_errors);
        if (!layout) {
            for (FieldError& error : header_errors) {
                add_error(record.line, std::move(error));
            }
            return; // rows cannot be read without a valid header
        }
        while (!full() && reader.next(record)) {
            ++m_report.rows_read;
            import_row(*layout, record);
        }
        if (!full()) {
            stopped_by_csv_error(reader);
        } else if (reader.next(record)) {
            add_error(record.line, {"", fmt::format("too many problems; stopped reading here "
                                                    "after {}",
                                                    m_report.errors.size())});
        }
    }

private:
    void import_row(const BoatCsvLayout& layout, const CsvRecord& record) {
        std::vector<FieldError> problems;
        const Boat boat = boat_from_csv_record(layout, record.fields, problems);
        if (!has_field(problems, "")) { // the record has the header's shape
            check_duplicates_in_file(boat, record.line, problems);
        }
        if (problems.empty()) {
            // Inserted inside the import's transaction, so later rows see it and it vanishes if
            // any row fails. add() also checks against boats already in the database.
            AddResult added = m_store.add(boat);
            problems = std::move(added.errors);
        }
        for (FieldError& problem : problems) {
            add_error(record.line, std::move(problem));
        }
    }

    void check_duplicates_in_file(const Boat& boat, std::size_t line,
                                  std::vector<FieldError>& problems) {
        if (!has_field(problems, "registration_number")) {
            const auto [it, added] =
                m_registration_lines.emplace(upper_ascii(boat.registration_number), line);
            if (!added) {
                problems.push_back(
                    {"registration_number",
                     fmt::format("{} also on line {}", boat.registration_number, it->second)});
            }
        }
        if (boat.mmsi && !has_field(problems, "mmsi")) {
            const auto [it, added] = m_mmsi_lines.emplace(*boat.mmsi, line);
            if (!added) {
                problems.push_back(
                    {"mmsi", fmt::format("{} also on line {}", *boat.mmsi, it->second)});
            }
        }
    }

    bool stopped_by_csv_error(const CsvReader& reader) {
        if (!reader.error()) {
            return false;
        }
        add_error(reader.error_line(), {"", reader.error().message()});
        return true;
    }

    void add_error(std::size_t line, FieldError error) {
        m_report.errors.push_back({line, std::move(error.field), std::move(error.message)});
    }

    [[nodiscard]] bool full() const { return m_report.errors.size() >= max_import_errors; }

    BoatStore& m_store;
    ImportReport& m_report;
    std::map<std::string, std::size_t> m_registration_lines; // upper-cased number -> first line
    std::map<std::uint32_t, std::size_t> m_mmsi_lines;       // MMSI -> first line
};

} // namespace

std::string to_string(const ImportError& error) {
    if (error.field.empty()) {
        return fmt::format("line {}: {}", error.line, error.message);
    }
    return fmt::format("line {}: {}: {}", error.line, error.field, error.message);
}

BoatStore::BoatStore(Database& database, Clock clock, Actor actor)
    : m_db(database), m_clock(std::move(clock)), m_actor(std::move(actor)) {
    if (!m_clock) {
        m_clock = [] {
            return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        };
    }
}

std::string BoatStore::context(std::string_view what) const {
    return fmt::format("registry database {}: {}", m_db.path(), what);
}

AddResult BoatStore::add(const Boat& boat) {
    AddResult result;
    result.errors = validate(boat);
    try {
        for (FieldError& conflict : find_conflicts(boat)) {
            if (!has_field(result.errors, conflict.field)) {
                result.errors.push_back(std::move(conflict));
            }
        }
        if (result.ok()) {
            // A savepoint, not a transaction: import_csv() calls add() inside its own.
            m_db.handle().exec("SAVEPOINT boat_add");
            try {
                result.id = insert(boat, m_clock());
                m_db.handle().exec("RELEASE boat_add");
            } catch (...) {
                m_db.handle().exec("ROLLBACK TO boat_add");
                m_db.handle().exec("RELEASE boat_add");
                throw;
            }
        }
    } catch (const SQLite::Exception& e) {
        // Another connection may have inserted the same number between our check and insert.
        if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
            result.errors = find_conflicts(boat);
            if (!result.errors.empty()) {
                return result;
            }
        }
        throw RegistryError::from_sqlite(e, context("adding boat " + boat.registration_number));
    }
    return result;
}

std::vector<FieldError> BoatStore::find_conflicts(const Boat& boat) const {
    std::vector<FieldError> conflicts;
    if (!boat.registration_number.empty()) {
        if (const auto other = find_by_registration(boat.registration_number)) {
            conflicts.push_back(
                {"registration_number", fmt::format("already registered as {}", describe(*other))});
        }
    }
    if (boat.mmsi) {
        if (const auto other = find_by_mmsi(*boat.mmsi)) {
            conflicts.push_back(
                {"mmsi", fmt::format("{} is already used by {}", *boat.mmsi, describe(*other))});
        }
    }
    return conflicts;
}

std::int64_t BoatStore::insert(const Boat& boat, std::chrono::sys_seconds now) {
    // Since schema 3 a boat is a vessel row plus identifier rows (and a licence row); `boats` is
    // a view over them. The v1 form does not ask who issued the numbers, so they are recorded
    // as issued by UNRECORDED (the clerk can correct that through the full registry API).
    const std::string timestamp = format_utc(now);
    const std::string today = timestamp.substr(0, 10);
    SQLite::Statement vessel(m_db.handle(),
                             "INSERT INTO vessels(name, name_norm, home_harbour, status, "
                             "created_at, updated_at) VALUES(?, sahil_name_norm(?), ?, ?, ?, ?)");
    vessel.bind(1, boat.name);
    vessel.bind(2, boat.name);
    vessel.bind(3, boat.home_harbour);
    vessel.bind(4, std::string(to_string(boat.status)));
    vessel.bind(5, timestamp);
    vessel.bind(6, timestamp);
    vessel.exec();
    const std::int64_t id = m_db.handle().getLastInsertRowid();
    const auto add_identifier = [&](std::string_view scheme, const std::string& value) {
        SQLite::Statement ident(m_db.handle(),
                                "INSERT INTO identifiers(vessel_id, scheme, value, authority, "
                                "valid_from, created_at) VALUES(?, ?, ?, 'UNRECORDED', ?, ?)");
        ident.bind(1, id);
        ident.bind(2, std::string(scheme));
        ident.bind(3, value);
        ident.bind(4, today);
        ident.bind(5, timestamp);
        ident.exec();
    };
    add_identifier("provincial_reg", boat.registration_number);
    if (boat.mmsi) {
        add_identifier("mmsi", std::to_string(*boat.mmsi));
    }
    if (!boat.call_sign.empty()) {
        add_identifier("call_sign", boat.call_sign);
    }
    if (boat.licence_valid_until) {
        const std::string until = format_iso_date(*boat.licence_valid_until);
        SQLite::Statement licence(m_db.handle(),
                                  "INSERT INTO licences(vessel_id, authority, licence_no, kind, "
                                  "valid_from, valid_to, created_at, updated_at) "
                                  "VALUES(?, 'UNRECORDED', ?, 'artisanal', ?, ?, ?, ?)");
        licence.bind(1, id);
        licence.bind(2, boat.registration_number);
        licence.bind(3, std::min(today, until));
        licence.bind(4, until);
        licence.bind(5, timestamp);
        licence.bind(6, timestamp);
        licence.exec();
    }
    nlohmann::ordered_json after = {
        {"registration_number", boat.registration_number},
        {"name", boat.name},
        {"mmsi", boat.mmsi ? nlohmann::ordered_json(*boat.mmsi) : nlohmann::ordered_json()},
        {"call_sign", boat.call_sign},
        {"home_harbour", boat.home_harbour},
        {"licence_valid_until", boat.licence_valid_until
                                    ? nlohmann::ordered_json(
                                          format_iso_date(*boat.licence_valid_until))
                                    : nlohmann::ordered_json()},
        {"status", std::string(to_string(boat.status))}};
    AuditLog(m_db, [now] { return now; })
        .append(m_actor, {.action = "vessel.register",
                          .entity = "vessel",
                          .entity_id = std::to_string(id),
                          .after_json = after.dump(),
                          .reason = m_reason});
    return id;
}

std::optional<Boat> BoatStore::find(std::int64_t id) const {
    try {
        SQLite::Statement query(m_db.handle(), fmt::format("{} WHERE id = ?", select_boats));
        query.bind(1, id);
        if (!query.executeStep()) {
            return std::nullopt;
        }
        return read_boat(query, context("reading boats"));
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, context(fmt::format("finding boat {}", id)));
    }
}

std::optional<Boat> BoatStore::find_by_mmsi(std::uint32_t mmsi) const {
    try {
        SQLite::Statement query(m_db.handle(),
                                fmt::format("{} WHERE id = (SELECT vessel_id FROM identifiers "
                                            "WHERE scheme = 'mmsi' AND value = ? AND valid_to IS "
                                            "NULL)",
                                            select_boats));
        query.bind(1, std::to_string(mmsi));
        if (!query.executeStep()) {
            return std::nullopt;
        }
        return read_boat(query, context("reading boats"));
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, context(fmt::format("finding MMSI {}", mmsi)));
    }
}

std::optional<Boat> BoatStore::find_by_registration(std::string_view registration_number) const {
    try {
        SQLite::Statement query(
            m_db.handle(),
            fmt::format("{} WHERE id = (SELECT vessel_id FROM identifiers WHERE scheme IN "
                        "('provincial_reg','official_number','fishing_licence_no') AND value = ? "
                        "COLLATE NOCASE AND valid_to IS NULL LIMIT 1)",
                        select_boats));
        query.bind(1, std::string(registration_number));
        if (!query.executeStep()) {
            return std::nullopt;
        }
        return read_boat(query, context("reading boats"));
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, context("finding a registration number"));
    }
}

std::vector<Boat> BoatStore::list() const {
    try {
        SQLite::Statement query(m_db.handle(),
                                fmt::format("{} ORDER BY registration_number COLLATE NOCASE, id", select_boats));
        std::vector<Boat> boats;
        while (query.executeStep()) {
            boats.push_back(read_boat(query, context("reading boats")));
        }
        return boats;
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, context("listing boats"));
    }
}

std::size_t BoatStore::count() const {
    try {
        SQLite::Statement query(m_db.handle(), "SELECT count(*) FROM boats");
        query.executeStep();
        return static_cast<std::size_t>(query.getColumn(0).getInt64());
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, context("counting boats"));
    }
}

ImportReport BoatStore::import_csv(std::istream& in, const std::string& source_name) {
    ImportReport report;
    report.source_name = source_name;
    try {
        SQLite::Transaction transaction(m_db.handle(), SQLite::TransactionBehavior::IMMEDIATE);
        CsvImport(*this, report).run(in);
        if (report.ok()) {
            transaction.commit();
            report.rows_imported = report.rows_read;
        }
        // Otherwise the transaction's destructor rolls every inserted row back.
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, context("importing " + source_name));
    }
    return report;
}

} // namespace sahil::registry
