// The `sahil` command-line tool's commands, callable from main() and from tests.
//
// Each command writes its normal output to `out`, problems to `err`, and returns a process exit
// code: 0 success, 1 bad input (a bad CSV row, an invalid form, a bad config value), 2 usage
// error, 3 resource failure (database, file, zone layer).
//
// Thread-safety: each call is independent.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

#include "server/app/config.hpp"

namespace sahil::app {

/// Exit codes shared by `sahil` and `sahild`.
enum ExitCode : int { exit_ok = 0, exit_bad_input = 1, exit_usage = 2, exit_resource = 3 };

/// `sahil check-config FILE`: prints "FILE: ok" or every problem with its path.
int cmd_check_config(const std::filesystem::path& file, std::ostream& out, std::ostream& err);

/// `sahil registry init`: creates/migrates registry.db; prints its path and schema version.
int cmd_registry_init(const Config& config, std::ostream& out, std::ostream& err);

/// Fields of `sahil registry add` (strings as typed; validated by the registry).
struct AddBoatForm {
    std::string registration_number;
    std::string name;
    std::string mmsi; ///< empty = none
    std::string call_sign;
    std::string home_harbour;
    std::string licence_valid_until; ///< YYYY-MM-DD, empty = no licence
    std::string status = "active";
};

/// `sahil registry add ...`: prints the new boat id, or each field error.
int cmd_registry_add(const Config& config, const AddBoatForm& form, std::ostream& out,
                     std::ostream& err);

/// `sahil registry import FILE.csv`: all or nothing; prints each bad row with its line number.
int cmd_registry_import(const Config& config, const std::filesystem::path& csv, std::ostream& out,
                        std::ostream& err);

/// `sahil registry list [--json]`.
/// `sahil registry verify [--json]`: checks registry.db read-only: PRAGMA integrity_check,
/// dangling foreign keys, the audit trail's hash chain (registry/audit.hpp; prints the head hash
/// to compare with one noted earlier), and that every encrypted CNIC/phone decrypts with the
/// configured key. Exit 0 when all is well, exit_bad_input (and each problem) otherwise.
int cmd_registry_verify(const Config& config, bool json, std::ostream& out, std::ostream& err);

int cmd_registry_list(const Config& config, bool json, std::ostream& out, std::ostream& err);

/// `sahil alerts [--limit N]`: stored alerts as JSON lines, newest first.
int cmd_alerts(const Config& config, std::size_t limit, std::ostream& out, std::ostream& err);

/// Options of `sahil replay`.
struct ReplayOptions {
    double speed = 0;   ///< 0 = as fast as possible; N = N× real time by fix times
    bool store = false; ///< also store alerts in registry.db (default: only print them)
};

/// `sahil replay LOG.nmea`: runs the log through the daemon's pipeline; prints alerts as JSON
/// lines to `out` and a summary (counters) to `err`.
int cmd_replay(const Config& config, const std::filesystem::path& log, const ReplayOptions& opt,
               std::ostream& out, std::ostream& err);

/// `sahil simulate SCENARIO [-o FILE]`: writes the scenario's AIVDM sentences.
int cmd_simulate(const std::filesystem::path& scenario,
                 const std::optional<std::filesystem::path>& output, std::ostream& out,
                 std::ostream& err);

} // namespace sahil::app
