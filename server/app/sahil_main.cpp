// sahil: the command-line tool (registry, users, replay, simulate, check-config). See README.md.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "server/app/commands.hpp"
#include "server/app/config.hpp"
#include "server/app/decode_commands.hpp"
#include "server/app/track_bench.hpp"
#include "server/app/track_commands.hpp"
#include "server/app/user_commands.hpp"

int main(int argc, char** argv) {
    using namespace sahil::app;
    CLI::App cli{"sahil: command-line tool of the Sahil coastal AIS watch"};
    cli.require_subcommand(1);
    std::string config_file = "config/sahil.toml";
    cli.add_option("-c,--config", config_file, "config file (TOML)")->capture_default_str();
    cli.set_version_flag("--version", "sahil 0.1.0");

    std::string check_file;
    auto* check = cli.add_subcommand("check-config", "check a config file; print every problem");
    check->add_option("file", check_file, "config file (default: --config)");

    auto* reg = cli.add_subcommand("registry", "the boat registry");
    reg->require_subcommand(1);
    auto* reg_init = reg->add_subcommand("init", "create or upgrade registry.db");
    AddBoatForm form;
    auto* reg_add = reg->add_subcommand("add", "register one boat");
    reg_add
        ->add_option("--registration", form.registration_number,
                     "registration number, e.g. GWD-1021")
        ->required();
    reg_add->add_option("--name", form.name, "boat name")->required();
    reg_add->add_option("--home-harbour", form.home_harbour, "harbour zone id, e.g. PK-HBR-02")
        ->required();
    reg_add->add_option("--mmsi", form.mmsi, "9-digit MMSI of its AIS transponder");
    reg_add->add_option("--call-sign", form.call_sign, "radio call sign");
    reg_add->add_option("--licence-valid-until", form.licence_valid_until, "YYYY-MM-DD");
    reg_add->add_option("--status", form.status, "active, suspended or decommissioned")
        ->capture_default_str();
    std::string csv;
    auto* reg_import = reg->add_subcommand("import", "import boats from CSV (all or nothing)");
    reg_import->add_option("file", csv, "CSV with a header row")->required();
    bool list_json = false;
    auto* reg_list = reg->add_subcommand("list", "list registered boats");
    reg_list->add_flag("--json", list_json, "one JSON object per line");
    bool verify_json = false;
    auto* reg_verify = reg->add_subcommand(
        "verify", "check registry.db: file integrity, audit hash chain, encrypted personal data");
    reg_verify->add_flag("--json", verify_json, "print the report as JSON");

    auto* user =
        cli.add_subcommand("user", "accounts: add, disable, enable, reset-password, token, list");
    user->require_subcommand(1);
    AddUserForm user_form;
    auto* user_add = user->add_subcommand("add", "add a user; prints a one-time password once");
    user_add->add_option("username", user_form.username, "sign-in name, e.g. amina")->required();
    user_add
        ->add_option("--role", user_form.role,
                     "admin, clerk, supervisor, cg_watchkeeper, msa_officer, msa_analyst or "
                     "auditor")
        ->required();
    user_add->add_option("--harbour", user_form.harbours,
                         "harbour zone id a clerk works for, e.g. PK-HBR-05 (repeatable)");
    user_add->add_option("--name", user_form.display_name, "display name, e.g. \"Amina Baloch\"");
    std::string user_name;
    std::string disable_reason;
    auto* user_disable =
        user->add_subcommand("disable", "disable a user: ends sessions, revokes API tokens");
    user_disable->add_option("username", user_name, "sign-in name")->required();
    user_disable->add_option("--reason", disable_reason, "why (kept in the audit trail)");
    auto* user_enable = user->add_subcommand("enable", "enable a disabled or locked user");
    user_enable->add_option("username", user_name, "sign-in name")->required();
    auto* user_reset = user->add_subcommand(
        "reset-password", "give a user a new one-time password (printed once); ends sessions");
    user_reset->add_option("username", user_name, "sign-in name")->required();
    std::string token_name = "cli";
    int token_days = 90;
    auto* user_token = user->add_subcommand(
        "token", "create an API token for a script or display (printed once on stdout)");
    user_token->add_option("username", user_name, "sign-in name")->required();
    user_token->add_option("--name", token_name, "what the token is for, e.g. ops-room-display");
    user_token->add_option("--days", token_days, "valid this many days, 1..730 (default 90)");
    bool user_list_json = false;
    auto* user_list = user->add_subcommand("list", "list users");
    user_list->add_flag("--json", user_list_json, "one JSON object per line");

    std::string log_file;
    ReplayOptions replay_opt;
    auto* replay = cli.add_subcommand(
        "replay", "run a recorded AIS log through the pipeline; print alerts as JSON lines");
    replay->add_option("log", log_file, "NMEA log file")->required();
    replay->add_option("--speed", replay_opt.speed, "0 = as fast as possible, N = N x real time")
        ->check(CLI::Range(0.0, 10000.0));
    replay->add_flag("--store", replay_opt.store, "also store the alerts in registry.db");

    std::size_t alerts_limit = 100;
    auto* alerts_cmd =
        cli.add_subcommand("alerts", "print stored alerts as JSON lines, newest first");
    alerts_cmd->add_option("--limit", alerts_limit, "how many (1..1000)")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();

    std::string scenario;
    std::string output;
    auto* simulate = cli.add_subcommand("simulate", "write the AIVDM sentences of a scenario");
    simulate->add_option("scenario", scenario, "scenario TOML file")->required();
    simulate->add_option("-o,--output", output, "output file (default: stdout)");

    std::string decode_input = "-";
    DecodeOptions decode_opt;
    auto* decode = cli.add_subcommand(
        "decode", "decode AIVDM/AIVDO to gpsd AIS JSON lines (like gpsdecode -j)");
    decode->add_option("input", decode_input, "NMEA file, or - for standard input")
        ->capture_default_str();
    decode->add_flag("--raw,-u", decode_opt.raw, "unscaled ITU integers (like gpsdecode -u)");
    decode->add_flag("--errors", decode_opt.errors,
                     "also print one {\"class\":\"ERROR\"} line per rejected input");
    decode->add_flag("--summary", decode_opt.summary,
                     "print the decode counters as JSON on standard error at the end");

    auto* bench = cli.add_subcommand("bench", "measure performance");
    bench->require_subcommand(1);
    std::string bench_file;
    BenchOptions bench_opt;
    auto* bench_decode = bench->add_subcommand(
        "decode", "time the checksum floor, decode into structs and decode to JSON on FILE");
    bench_decode->add_option("file", bench_file, "NMEA file (loaded into memory)")->required();
    bench_decode->add_option("--repetitions", bench_opt.repetitions, "runs per stage (median)")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    bench_decode->add_option("--max-struct-ratio", bench_opt.max_struct_ratio,
                             "fail when decode into structs takes more than X times the floor");
    bench_decode->add_option("--max-json-ratio", bench_opt.max_json_ratio,
                             "fail when decode to JSON takes more than X times the floor");
    bench_decode->add_flag("--json", bench_opt.json, "print one JSON object");

    // Track history (docs/tracks.md).
    auto* tracks_cmd = cli.add_subcommand(
        "tracks", "track history for analysts: track, area, near, export (reads tracks.db)");
    tracks_cmd->require_subcommand(1);
    TracksOptions tq;
    std::string tq_vessel;
    std::vector<std::string> tq_vessels;
    const auto add_window = [&](CLI::App* c) {
        c->add_option("--since", tq.since, "window start, ISO 8601 UTC, e.g. 2026-03-15T19:00:00Z")
            ->required();
        c->add_option("--until", tq.until, "window end, ISO 8601 UTC")->required();
        c->add_flag("--json", tq.json,
                    "JSON instead of a table (the fields of the HTTP answers, docs/api.md)");
    };
    double tq_simplify = 0;
    int tq_period = 0;
    bool tq_stats = false;
    auto* tracks_track = tracks_cmd->add_subcommand("track", "the fixes of one vessel");
    tracks_track
        ->add_option("vessel", tq_vessel, "MMSI, registration number or name (registry or AIS)")
        ->required();
    add_window(tracks_track);
    tracks_track->add_option("--simplify-m", tq_simplify,
                             "Douglas-Peucker tolerance in metres (keeps the shape, fewer fixes)");
    tracks_track->add_option("--period-s", tq_period, "keep one fix per this many seconds");
    tracks_track->add_flag("--stats", tq_stats,
                           "distance, time moving/stopped, max speed and stops instead");
    auto* tracks_events = tracks_cmd->add_subcommand(
        "events", "port visits, departures, AIS gaps, loitering and rendezvous (live rules)");
    tracks_events
        ->add_option("vessel", tq_vessel, "MMSI, registration number or name (registry or AIS)")
        ->required();
    add_window(tracks_events);
    std::string tq_bbox;
    std::string tq_zone;
    auto* tracks_area = tracks_cmd->add_subcommand("area", "vessels seen in an area");
    tracks_area->add_option("--bbox", tq_bbox, "WEST,SOUTH,EAST,NORTH in degrees");
    tracks_area->add_option("--zone", tq_zone, "a harbour or sea zone id, e.g. PK-HBR-05");
    add_window(tracks_area);
    double tq_radius = 1000;
    auto* tracks_near =
        tracks_cmd->add_subcommand("near", "vessels that came within a radius of a vessel");
    tracks_near->add_option("vessel", tq_vessel, "MMSI, registration number or name")->required();
    tracks_near->add_option("--radius-m", tq_radius, "radius in metres")->capture_default_str();
    add_window(tracks_near);
    std::string tq_format = "gpkg";
    std::string tq_out;
    std::string tq_reason;
    std::size_t tq_max = 2'000'000;
    auto* tracks_export = tracks_cmd->add_subcommand(
        "export", "write tracks to GeoJSON, KML, GPX, CSV or GeoPackage (audited)");
    tracks_export->add_option("vessels", tq_vessels, "MMSIs, registration numbers or names")
        ->required();
    add_window(tracks_export);
    tracks_export->add_option("--format", tq_format, "geojson, kml, gpx, csv or gpkg")
        ->capture_default_str();
    tracks_export->add_option("-o,--output", tq_out, "file to write")->required();
    tracks_export->add_option("--reason", tq_reason, "case number or purpose (audited)")
        ->required();
    tracks_export->add_option("--max-fixes", tq_max, "refuse exports larger than this")
        ->capture_default_str();

    TrackBenchOptions tracks_opt;
    auto* bench_tracks = bench->add_subcommand(
        "tracks", "build a large tracks.db from synthetic traffic; time inserts and queries");
    bench_tracks->add_option("--db", tracks_opt.db, "store to build (deleted first)")
        ->capture_default_str();
    bench_tracks->add_option("--vessels", tracks_opt.vessels, "vessels reporting")
        ->check(CLI::Range(2, 1'000'000))
        ->capture_default_str();
    bench_tracks->add_option("--days", tracks_opt.days, "days of traffic")
        ->check(CLI::Range(1, 3650))
        ->capture_default_str();
    bench_tracks->add_option("--interval", tracks_opt.interval_s, "seconds between fixes")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    bench_tracks->add_option("--rate", tracks_opt.rate,
                             "pace the producer at this many fixes/s (0 = as fast as possible)");
    bench_tracks->add_option("--max-fixes", tracks_opt.max_fixes, "stop after this many fixes");
    bench_tracks->add_option("--samples", tracks_opt.samples, "timed queries per kind")
        ->check(CLI::Range(10, 100'000))
        ->capture_default_str();
    bench_tracks->add_flag("--keep", tracks_opt.keep, "keep the store afterwards");
    bench_tracks->add_flag("--json", tracks_opt.json, "print one JSON object");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help / --version exit 0; every other command-line mistake is a usage error (2).
        return cli.exit(e) == 0 ? exit_ok : exit_usage;
    }

    try {
        if (*check) {
            return cmd_check_config(check_file.empty() ? config_file : check_file, std::cout,
                                    std::cerr);
        }
        if (*decode) {
            return cmd_decode(decode_input, decode_opt, std::cout, std::cerr);
        }
        if (*bench_tracks) {
            return cmd_bench_tracks(tracks_opt, std::cout, std::cerr);
        }
        if (*bench_decode) {
            return cmd_bench_decode(bench_file, bench_opt, std::cout, std::cerr);
        }
        if (*simulate) {
            return cmd_simulate(scenario,
                                output.empty() ? std::nullopt
                                               : std::optional<std::filesystem::path>(output),
                                std::cout, std::cerr);
        }
        const ConfigResult cfg = load_config(config_file);
        if (!cfg.ok()) {
            std::cerr << format_errors(cfg.errors) << config_file
                      << ": invalid configuration (run from the repository root, or pass "
                         "--config FILE)\n";
            return exit_bad_input;
        }
        if (*tracks_track) {
            return cmd_tracks_track(cfg.config, tq_vessel, tq, tq_simplify, tq_period, tq_stats,
                                    std::cout, std::cerr);
        }
        if (*tracks_events) {
            return cmd_tracks_events(cfg.config, tq_vessel, tq, std::cout, std::cerr);
        }
        if (*tracks_area) {
            return cmd_tracks_area(cfg.config, tq_bbox, tq_zone, tq, std::cout, std::cerr);
        }
        if (*tracks_near) {
            return cmd_tracks_near(cfg.config, tq_vessel, tq_radius, tq, std::cout, std::cerr);
        }
        if (*tracks_export) {
            return cmd_tracks_export(cfg.config, tq_vessels, tq, tq_format, tq_out, tq_reason,
                                     tq_max, std::cout, std::cerr);
        }
        if (*reg_init) {
            return cmd_registry_init(cfg.config, std::cout, std::cerr);
        }
        if (*reg_add) {
            return cmd_registry_add(cfg.config, form, std::cout, std::cerr);
        }
        if (*reg_import) {
            return cmd_registry_import(cfg.config, csv, std::cout, std::cerr);
        }
        if (*reg_list) {
            return cmd_registry_list(cfg.config, list_json, std::cout, std::cerr);
        }
        if (*reg_verify) {
            return cmd_registry_verify(cfg.config, verify_json, std::cout, std::cerr);
        }
        if (*user_token) {
            return cmd_user_token(cfg.config, user_name, token_name, token_days, std::cout,
                                  std::cerr);
        }
        if (*user_add) {
            return cmd_user_add(cfg.config, user_form, std::cout, std::cerr);
        }
        if (*user_disable) {
            return cmd_user_disable(cfg.config, user_name, disable_reason, std::cout, std::cerr);
        }
        if (*user_enable) {
            return cmd_user_enable(cfg.config, user_name, std::cout, std::cerr);
        }
        if (*user_reset) {
            return cmd_user_reset_password(cfg.config, user_name, std::cout, std::cerr);
        }
        if (*user_list) {
            return cmd_user_list(cfg.config, user_list_json, std::cout, std::cerr);
        }
        if (*alerts_cmd) {
            return cmd_alerts(cfg.config, alerts_limit, std::cout, std::cerr);
        }
        if (*replay) {
            return cmd_replay(cfg.config, log_file, replay_opt, std::cout, std::cerr);
        }
    } catch (const std::exception& e) {
        std::cerr << "sahil: fatal: " << e.what() << "\n";
        return exit_resource;
    }
    return exit_usage;
}
