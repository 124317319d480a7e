// sahild: the Sahil daemon (see server/app/daemon.hpp and README.md).
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "server/app/commands.hpp"
#include "server/app/config.hpp"
#include "server/app/daemon.hpp"
#include "server/app/log.hpp"

int main(int argc, char** argv) {
    using namespace sahil::app;
    CLI::App cli{"sahild: AIS watch daemon for the Makran and Sindh coast"};
    std::string config_file = "config/sahil.toml";
    std::string log_level;
    DaemonOptions options;
    cli.add_option("-c,--config", config_file, "config file (TOML)")->capture_default_str();
    cli.add_option("--log-level", log_level, "override [log] level (trace..off)");
    cli.add_flag("--once", options.once, "exit when every file feed has been replayed");
    cli.set_version_flag("--version", "sahild 0.1.0");
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help / --version exit 0; every other command-line mistake is a usage error (2).
        return cli.exit(e) == 0 ? exit_ok : exit_usage;
    }

    const ConfigResult cfg = load_config(config_file);
    if (!cfg.ok()) {
        std::cerr << format_errors(cfg.errors) << config_file << ": invalid configuration ("
                  << cfg.errors.size() << " problem(s)); check it with `sahil check-config "
                  << config_file << "` (run from the repository root, or pass --config FILE)\n";
        return exit_bad_input;
    }
    try {
        log::setup(log_level.empty() ? cfg.config.log.level : log_level);
    } catch (const std::exception& e) {
        std::cerr << "--log-level: " << e.what() << "\n";
        return exit_usage;
    }
    try {
        return run_daemon(cfg.config, options);
    } catch (const std::exception& e) {
        std::cerr << "sahild: fatal: " << e.what() << "\n";
        return exit_resource;
    }
}
