#include "server/app/commands.hpp"

#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "ais/stream_decoder.hpp"
#include "geo/geo_error.hpp"
#include <SQLiteCpp/Statement.h>
#include <fmt/ranges.h>

#include "registry/audit.hpp"
#include "registry/boat_store.hpp"
#include "registry/crypto.hpp"
#include "registry/database.hpp"
#include "registry/pii_vault.hpp"
#include "registry/registry_error.hpp"
#include "registry/validation.hpp"
#include "server/app/engine.hpp"
#include "server/sim/simulator.hpp"

namespace sahil::app {
namespace {

std::string date_text(const std::optional<std::chrono::year_month_day>& d) {
    return d ? registry::format_iso_date(*d) : std::string();
}

/// Runs `body`, mapping resource exceptions to exit_resource with a clear message.
template <class F> int guarded(std::ostream& err, F&& body) {
    try {
        return body();
    } catch (const registry::RegistryError& e) {
        fmt::print(err, "error: {}\n", e.what());
    } catch (const geo::GeoError& e) {
        fmt::print(err, "error: {}\n", e.what());
    } catch (const std::filesystem::filesystem_error& e) {
        fmt::print(err, "error: {}\n", e.what());
    }
    return exit_resource;
}

/// Warns (does not refuse) when a home harbour is not a zone id of the harbour geofences:
/// a boat whose harbour has no geofence is still registered, but the clerk should know.
void warn_unknown_harbour(const Config& config, const std::string& harbour, std::ostream& err) {
    try {
        const auto zones = geo::ZoneIndex::load(config.paths.harbours, "harbours");
        if (zones.find(harbour) == nullptr) {
            fmt::print(err,
                       "warning: home_harbour \"{}\" is not a harbour id in {} (e.g. PK-HBR-05 "
                       "for Pasni)\n",
                       harbour, config.paths.harbours.string());
        }
    } catch (const geo::GeoError&) {
        // The harbour file itself is checked by check-config and sahild.
    }
}

registry::Database open_registry(const Config& config) {
    ensure_parent_dir(config.paths.registry_db);
    return registry::Database(config.paths.registry_db.string());
}

} // namespace

int cmd_check_config(const std::filesystem::path& file, std::ostream& out, std::ostream& err) {
    const ConfigResult r = load_config(file);
    if (!r.ok()) {
        err << format_errors(r.errors);
        fmt::print(err, "{}: {} problem(s)\n", file.string(), r.errors.size());
        return exit_bad_input;
    }
    // Beyond syntax: the files the config names must be usable.
    int rc = exit_ok;
    try {
        const auto zones = geo::ZoneIndex::load(r.config.paths.harbours, "harbours");
        fmt::print(out, "paths.harbours: {} zones from {}\n", zones.size(),
                   r.config.paths.harbours.string());
        // An override for a harbour that is not in the layer would silently never apply.
        for (std::size_t i = 0; i < r.config.tracking.rules.overrides.size(); ++i) {
            const auto& o = r.config.tracking.rules.overrides[i];
            if (!o.harbour.empty() && zones.find(o.harbour) == nullptr) {
                fmt::print(err,
                           "rules.override[{}].harbour: '{}' is not a harbour zone of {} (the "
                           "override would never apply)\n",
                           i, o.harbour, r.config.paths.harbours.string());
                rc = exit_bad_input;
            }
        }
    } catch (const geo::GeoError& e) {
        fmt::print(err, "paths.harbours: {}\n", e.what());
        rc = exit_bad_input;
    }
    for (std::size_t i = 0; i < r.config.feeds.size(); ++i) {
        const auto& f = r.config.feeds[i];
        if (f.kind == net::FeedKind::file && !std::filesystem::exists(f.path)) {
            fmt::print(out, "feeds[{}].path: warning: {} does not exist yet\n", i, f.path.string());
        }
    }
    if (rc == exit_ok) {
        fmt::print(out, "{}: ok ({} feed(s), registry {})\n", file.string(), r.config.feeds.size(),
                   r.config.paths.registry_db.string());
    }
    return rc;
}

int cmd_registry_init(const Config& config, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        const registry::Database db = open_registry(config);
        fmt::print(out, "registry {} ready (schema version {})\n",
                   config.paths.registry_db.string(), db.schema_version());
        return exit_ok;
    });
}

int cmd_registry_add(const Config& config, const AddBoatForm& form, std::ostream& out,
                     std::ostream& err) {
    return guarded(err, [&] {
        registry::Boat b;
        std::vector<registry::FieldError> errors;
        b.registration_number = form.registration_number;
        b.name = form.name;
        b.call_sign = form.call_sign;
        b.home_harbour = form.home_harbour;
        if (!form.mmsi.empty()) {
            b.mmsi = registry::parse_mmsi(form.mmsi);
            if (!b.mmsi) {
                errors.push_back({"mmsi", "must be 9 digits"});
            }
        }
        if (!form.licence_valid_until.empty()) {
            b.licence_valid_until = registry::parse_iso_date(form.licence_valid_until);
            if (!b.licence_valid_until) {
                errors.push_back({"licence_valid_until",
                                  fmt::format("must be a real date written YYYY-MM-DD (got \"{}\")",
                                              form.licence_valid_until)});
            }
        }
        const auto status = registry::parse_boat_status(form.status);
        if (!status) {
            errors.push_back({"status", "must be active, suspended or decommissioned"});
        } else {
            b.status = *status;
        }
        if (errors.empty()) {
            registry::Database db = open_registry(config);
            registry::BoatStore boats(db);
            const registry::AddResult r = boats.add(b);
            if (r.ok()) {
                fmt::print(out, "added boat {} ({} \"{}\")\n", r.id, b.registration_number, b.name);
                warn_unknown_harbour(config, b.home_harbour, err);
                return exit_ok;
            }
            errors = r.errors;
        }
        for (const auto& e : errors) {
            fmt::print(err, "{}: {}\n", e.field, e.message);
        }
        return exit_bad_input;
    });
}

int cmd_registry_import(const Config& config, const std::filesystem::path& csv, std::ostream& out,
                        std::ostream& err) {
    return guarded(err, [&] {
        std::ifstream in(csv, std::ios::binary);
        if (!in) {
            fmt::print(err, "error: cannot read {}\n", csv.string());
            return exit_resource;
        }
        registry::Database db = open_registry(config);
        registry::BoatStore boats(db);
        const registry::ImportReport r = boats.import_csv(in, csv.string());
        if (!r.ok()) {
            for (const auto& e : r.errors) {
                fmt::print(err, "{}: {}\n", csv.string(), registry::to_string(e));
            }
            fmt::print(err, "{}: nothing imported ({} row(s) read, {} problem(s))\n", csv.string(),
                       r.rows_read, r.errors.size());
            return exit_bad_input;
        }
        fmt::print(out, "{}: imported {} boat(s)\n", csv.string(), r.rows_imported);
        return exit_ok;
    });
}

int cmd_registry_list(const Config& config, bool json, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        registry::Database db = open_registry(config);
        registry::BoatStore boats(db);
        const auto list = boats.list();
        if (json) {
            for (const auto& b : list) {
                nlohmann::ordered_json j;
                j["id"] = b.id;
                j["registration_number"] = b.registration_number;
                j["name"] = b.name;
                j["mmsi"] =
                    b.mmsi ? nlohmann::ordered_json(*b.mmsi) : nlohmann::ordered_json(nullptr);
                j["call_sign"] = b.call_sign;
                j["home_harbour"] = b.home_harbour;
                j["licence_valid_until"] = date_text(b.licence_valid_until);
                j["status"] = registry::to_string(b.status);
                out << j.dump() << '\n';
            }
            return exit_ok;
        }
        fmt::print(out, "{:<14} {:<22} {:<10} {:<8} {:<10} {:<11} {}\n", "REGISTRATION", "NAME",
                   "MMSI", "CALL", "HARBOUR", "LICENCE", "STATUS");
        for (const auto& b : list) {
            fmt::print(out, "{:<14} {:<22} {:<10} {:<8} {:<10} {:<11} {}\n", b.registration_number,
                       b.name, b.mmsi ? std::to_string(*b.mmsi) : "-", b.call_sign, b.home_harbour,
                       b.licence_valid_until ? date_text(b.licence_valid_until) : "-",
                       registry::to_string(b.status));
        }
        fmt::print(out, "{} boat(s)\n", list.size());
        return exit_ok;
    });
}

namespace {

/// Feeds decoded messages into the pipeline, pacing them by fix time when asked.
class ReplaySink : public ais::MessageSink {
public:
    ReplaySink(tracking::Pipeline& p, double speed) : m_pipeline(p), m_speed(speed) {}
    void on_message(const ais::DecodedMessage& m) override {
        if (m_speed > 0) {
            if (m_last && m.fix_time > *m_last) {
                const auto gap = std::chrono::duration<double>(m.fix_time - *m_last) / m_speed;
                std::this_thread::sleep_for(std::min(gap, std::chrono::duration<double>(60)));
            }
            if (!m_last || m.fix_time > *m_last) {
                m_last = m.fix_time;
            }
        }
        m_pipeline.on_message(m, m_feed);
    }

private:
    tracking::Pipeline& m_pipeline;
    double m_speed;
    std::optional<UtcTime> m_last;
    std::string m_feed = "replay";
};

} // namespace

int cmd_replay(const Config& config, const std::filesystem::path& log, const ReplayOptions& opt,
               std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        std::ifstream in(log, std::ios::binary);
        if (!in) {
            fmt::print(err, "error: cannot read {}\n", log.string());
            return exit_resource;
        }
        Engine engine(config, opt.store);
        JsonLinesAlertSink printer(out, true);
        engine.pipeline().add_sink(printer);
        engine.pipeline().on_error = [&](const std::string& e) {
            fmt::print(err, "error: {}\n", e);
        };
        ReplaySink sink(engine.pipeline(), opt.speed);
        ais::StreamDecoder::Config dc;
        dc.hold_until_time_marker = true;
        dc.max_line_bytes = config.ais.max_line_bytes;
        dc.assembler.timeout =
            std::chrono::milliseconds(static_cast<long>(config.ais.fragment_timeout_s * 1000));
        ais::StreamDecoder decoder(sink, dc);
        // Replays have no wall clock of their own: lines before any time marker fall back to
        // the time the replay started.
        const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now());
        std::string chunk(64 * 1024, '\0');
        while (in) {
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            const auto n = static_cast<std::size_t>(in.gcount());
            if (n == 0) {
                break;
            }
            decoder.feed(std::string_view(chunk.data(), n), now);
        }
        decoder.finish(now);
        const auto& c = decoder.counters();
        const auto& t = engine.pipeline().counters();
        nlohmann::ordered_json summary;
        summary["file"] = log.string();
        summary["lines"] = c.lines;
        summary["sentences"] = c.sentences;
        summary["messages"] = c.messages;
        summary["other_nmea"] = c.other_nmea;
        summary["time_markers"] = c.time_markers;
        nlohmann::ordered_json errors = nlohmann::ordered_json::object();
        for (std::size_t i = 1; i < ais::errc_count; ++i) {
            if (c.errors[i] != 0) {
                errors[std::string(ais::to_string(static_cast<ais::errc>(i)))] = c.errors[i];
            }
        }
        summary["errors"] = errors;
        summary["fixes"] = t.fixes;
        summary["stale_fixes"] = t.stale_fixes;
        summary["vessels"] = engine.pipeline().vessels().size();
        summary["departures"] = t.departures;
        // Alerts this input raises: new ones, and ones a previous run had already stored
        // (printed as they stand now in the store).
        summary["alerts"] = t.alerts + t.alerts_existing;
        summary["alerts_new"] = t.alerts;
        summary["alerts_already_stored"] = t.alerts_existing;
        summary["alerts_updated"] = t.alerts_updated;
        summary["alerts_suppressed"] = t.alerts_suppressed;
        summary["implausible_fixes"] = t.implausible_fixes;
        fmt::print(err, "summary: {}\n", summary.dump());
        return exit_ok;
    });
}

int cmd_alerts(const Config& config, std::size_t limit, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        registry::Database db = open_registry(config);
        store::AlertStore alerts(db);
        store::AlertQuery q;
        q.limit = limit;
        for (const auto& a : alerts.list(q)) {
            out << alerts::to_json(a).dump() << '\n';
        }
        return exit_ok;
    });
}

int cmd_simulate(const std::filesystem::path& scenario,
                 const std::optional<std::filesystem::path>& output, std::ostream& out,
                 std::ostream& err) {
    try {
        const sim::Scenario s = sim::load_scenario(scenario);
        if (output) {
            ensure_parent_dir(*output);
            std::ofstream f(*output, std::ios::binary | std::ios::trunc);
            if (!f) {
                fmt::print(err, "error: cannot write {}\n", output->string());
                return exit_resource;
            }
            sim::simulate(s, f);
            f.close();
            if (!f) {
                fmt::print(err, "error: writing {} failed\n", output->string());
                return exit_resource;
            }
        } else {
            sim::simulate(s, out);
        }
        return exit_ok;
    } catch (const sim::ScenarioError& e) {
        fmt::print(err, "{}\n", e.what()); // what() already names the file
        return exit_bad_input;
    } catch (const std::filesystem::filesystem_error& e) {
        fmt::print(err, "error: cannot write the output: {}\n", e.what());
        return exit_resource;
    }
}

} // namespace sahil::app

namespace sahil::app {

int cmd_registry_verify(const Config& config, bool json, std::ostream& out, std::ostream& err) {
    return guarded(err, [&]() -> int {
        if (!std::filesystem::exists(config.paths.registry_db)) {
            fmt::print(err, "error: {} does not exist (run `sahil registry init` first)\n",
                       config.paths.registry_db.string());
            return exit_bad_input;
        }
        registry::Database db(config.paths.registry_db.string(), registry::OpenMode::read_only);
        nlohmann::ordered_json report;
        bool ok = true;
        // 1. The SQLite file itself.
        std::vector<std::string> integrity;
        {
            SQLite::Statement q(db.handle(), "PRAGMA integrity_check");
            while (q.executeStep()) {
                integrity.push_back(q.getColumn(0).getString());
            }
        }
        const bool file_ok = integrity.size() == 1 && integrity[0] == "ok";
        ok = ok && file_ok;
        std::int64_t dangling = 0;
        {
            SQLite::Statement q(db.handle(), "PRAGMA foreign_key_check");
            while (q.executeStep()) {
                ++dangling;
            }
        }
        ok = ok && dangling == 0;
        // 2. The audit hash chain.
        const registry::AuditVerifyReport audit = registry::AuditLog(db).verify();
        ok = ok && audit.ok();
        // 3. Encrypted personal data readable with the configured key.
        std::int64_t encrypted = registry::count_encrypted_values(db);
        std::int64_t unreadable = 0;
        std::string key_state = "not configured";
        if (!config.registry.pii_key_file.empty() &&
            std::filesystem::exists(config.registry.pii_key_file)) {
            try {
                const registry::PiiVault vault(
                    registry::MasterKey::load(config.registry.pii_key_file));
                key_state = "loaded";
                SQLite::Statement q(db.handle(),
                                    "SELECT cnic_enc, phone_enc FROM parties WHERE cnic_enc IS "
                                    "NOT NULL OR phone_enc IS NOT NULL");
                while (q.executeStep()) {
                    const std::pair<int, const char*> columns[] = {{0, "parties.cnic"},
                                                                   {1, "parties.phone"}};
                    for (const auto& [col, name] : columns) {
                        if (q.getColumn(col).isNull()) {
                            continue;
                        }
                        try {
                            (void)vault.cipher().decrypt(q.getColumn(col).getString(), name);
                        } catch (const registry::CryptoError&) {
                            ++unreadable;
                        }
                    }
                }
            } catch (const registry::CryptoError& e) {
                key_state = std::string("unusable: ") + e.what();
                ok = ok && encrypted == 0;
            }
        } else if (!config.registry.pii_key_file.empty()) {
            key_state = "missing";
            ok = ok && encrypted == 0;
        }
        ok = ok && unreadable == 0;
        if (json) {
            report = {{"database", config.paths.registry_db.string()},
                      {"schema_version", db.schema_version()},
                      {"integrity_check", integrity},
                      {"dangling_references", dangling},
                      {"audit_rows", audit.rows},
                      {"audit_head_hash", audit.head_hash},
                      {"audit_problems", audit.problems},
                      {"encrypted_values", encrypted},
                      {"pii_key", key_state},
                      {"unreadable_values", unreadable},
                      {"ok", ok}};
            out << report.dump(2) << '\n';
        } else {
            fmt::print(out, "database:     {} (schema {})\n", config.paths.registry_db.string(),
                       db.schema_version());
            fmt::print(out, "file:         {}\n",
                       file_ok ? "ok"
                               : "DAMAGED: " + fmt::format("{}", fmt::join(integrity, "; ")));
            fmt::print(out, "references:   {}\n",
                       dangling == 0 ? "ok" : fmt::format("{} dangling", dangling));
            fmt::print(out, "audit trail:  {} rows, {}\n", audit.rows,
                       audit.ok() ? "chain intact" : "CHAIN BROKEN");
            for (const std::string& p : audit.problems) {
                fmt::print(out, "  {}\n", p);
            }
            fmt::print(out, "audit head:   {}\n", audit.head_hash);
            fmt::print(out, "personal data: {} encrypted value(s), key {}, {} unreadable\n",
                       encrypted, key_state, unreadable);
            fmt::print(out, "{}\n", ok ? "verify: ok" : "verify: PROBLEMS FOUND");
        }
        return ok ? exit_ok : exit_bad_input;
    });
}

} // namespace sahil::app
