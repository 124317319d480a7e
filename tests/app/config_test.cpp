// Config parsing: defaults, every problem reported at once with its path, unknown keys.
#include <gtest/gtest.h>

#include "server/app/config.hpp"
#include "tests/app/app_test_support.hpp"

namespace {

using namespace sahil;

TEST(Config, shipped_config_is_valid_and_documents_its_defaults) {
    const auto r = app::load_config(test::source_dir() / "config/sahil.toml");
    ASSERT_TRUE(r.ok()) << app::format_errors(r.errors);
    const auto& c = r.config;
    EXPECT_EQ(c.http.bind, "127.0.0.1");
    EXPECT_EQ(c.http.port, 8617);
    EXPECT_DOUBLE_EQ(c.tracking.departure.buffer_m, 1000.0);
    EXPECT_DOUBLE_EQ(c.tracking.departure.min_sog_knots, 2.0);
    EXPECT_EQ(c.paths.harbours.filename(), "harbours.geojson");
    EXPECT_TRUE(std::filesystem::exists(c.paths.harbours));
    ASSERT_EQ(c.feeds.size(), 1U);
    EXPECT_EQ(c.feeds[0].kind, net::FeedKind::file);
}

TEST(Config, empty_file_gives_documented_defaults) {
    const auto r = app::parse_config("", "/etc/sahil", "empty.toml");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.config.paths.harbours, "/etc/sahil/geo/harbours.geojson");
    EXPECT_EQ(r.config.paths.registry_db, "/etc/var/registry.db");
    EXPECT_DOUBLE_EQ(r.config.ais.fragment_timeout_s, 10.0);
    EXPECT_TRUE(r.config.feeds.empty());
}

TEST(Config, reports_every_problem_with_its_path) {
    const std::string text = R"(
[http]
port = 70000
colour = "blue"

[rules.departure]
buffer_m = -5
min_sog_knots = "fast"

[[feeds]]
id = "a"
kind = "tcp_client"
port = 4001

[[feeds]]
id = "a"
kind = "carrier-pigeon"

[[feeds]]
id = "f"
kind = "file"
)";
    const auto r = app::parse_config(text, "/tmp", "bad.toml");
    std::vector<std::string> paths;
    for (const auto& e : r.errors) {
        paths.push_back(e.path);
    }
    const std::vector<std::string> expected = {"http.port",
                                               "http.colour",
                                               "rules.departure.buffer_m",
                                               "rules.departure.min_sog_knots",
                                               "feeds[1].id",
                                               "feeds[1].kind",
                                               "feeds[2].path"};
    for (const auto& p : expected) {
        EXPECT_NE(std::find(paths.begin(), paths.end(), p), paths.end())
            << "missing error for " << p << "\n"
            << app::format_errors(r.errors);
    }
    EXPECT_EQ(r.errors.size(), expected.size()) << app::format_errors(r.errors);
}

TEST(Config, syntax_error_names_line_and_column) {
    const auto r = app::parse_config("[http\nport = 1\n", "/tmp", "broken.toml");
    ASSERT_EQ(r.errors.size(), 1U);
    EXPECT_EQ(r.errors[0].path.rfind("broken.toml:1:", 0), 0U) << r.errors[0].path;
}

TEST(Config, missing_file_is_an_error_not_a_crash) {
    const auto r = app::load_config("/nonexistent/sahil.toml");
    ASSERT_EQ(r.errors.size(), 1U);
    EXPECT_NE(r.errors[0].message.find("cannot read"), std::string::npos);
}

} // namespace
