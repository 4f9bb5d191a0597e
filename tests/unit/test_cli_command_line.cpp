#include <vector>

#include <gtest/gtest.h>

#include "cli/command_line.hpp"

using namespace gsync::cli;

namespace {

std::variant<CommandLine, EarlyExit> parse(std::vector<const char*> arguments) {
  arguments.insert(arguments.begin(), "glacier-sync");
  return parse_command_line(static_cast<int>(arguments.size()), arguments.data());
}

CommandLine parse_ok(std::vector<const char*> arguments) {
  auto parsed = parse(std::move(arguments));
  EXPECT_TRUE(std::holds_alternative<CommandLine>(parsed));
  return std::get<CommandLine>(parsed);
}

}  // namespace

TEST(CommandLine, OldScriptInterfaceInAnyOrder) {
  const auto command_line =
      parse_ok({"--dry-run", "landsat", "--exclude-downloads", "--force-overwrite"});
  EXPECT_EQ(command_line.satellites, std::vector<std::string>{"landsat"});
  EXPECT_TRUE(command_line.dry_run);
  EXPECT_TRUE(command_line.exclude_downloads);
  EXPECT_TRUE(command_line.force_overwrite);
}

TEST(CommandLine, NoSatelliteOrAllMeansEveryConfiguredOne) {
  EXPECT_TRUE(parse_ok({}).satellites.empty());
  EXPECT_TRUE(parse_ok({"all"}).satellites.empty());
  EXPECT_TRUE(parse_ok({"sentinel2", "all"}).satellites.empty());
  const auto both = parse_ok({"landsat", "sentinel2", "landsat"});
  EXPECT_EQ(both.satellites, (std::vector<std::string>{"landsat", "sentinel2"}));
  EXPECT_FALSE(parse_ok({}).dry_run);
  EXPECT_FALSE(parse_ok({}).force_overwrite);
}

TEST(CommandLine, NewOptionsAreCarried) {
  const auto command_line = parse_ok({"--config",       "/x/config.ini",
                                      "--env",          "hpc",
                                      "--data-dir",     "/d",
                                      "--bucket",       "b",
                                      "--prefix",       "p",
                                      "--region",       "eu-west-1",
                                      "--endpoint-url", "http://h:1",
                                      "--profile",      "glacier",
                                      "--jobs",         "8",
                                      "--retries",      "3",
                                      "--verbose"});
  EXPECT_EQ(command_line.config_file, "/x/config.ini");
  EXPECT_EQ(command_line.overrides.env, "hpc");
  EXPECT_EQ(command_line.overrides.data_dir, "/d");
  EXPECT_EQ(command_line.overrides.bucket, "b");
  EXPECT_EQ(command_line.overrides.prefix, "p");
  EXPECT_EQ(command_line.overrides.region, "eu-west-1");
  EXPECT_EQ(command_line.overrides.endpoint_url, "http://h:1");
  EXPECT_EQ(command_line.overrides.profile, "glacier");
  EXPECT_EQ(command_line.overrides.jobs, 8);
  EXPECT_EQ(command_line.retries, 3);
  EXPECT_TRUE(command_line.verbose);
}

TEST(CommandLine, UnknownArgumentsAreUsageErrors) {
  for (const auto& arguments : std::vector<std::vector<const char*>>{
           {"--frobnicate"}, {"modis"}, {"--env", "cloud"}, {"--jobs", "0"}, {"--jobs", "x"}}) {
    auto parsed = parse(arguments);
    ASSERT_TRUE(std::holds_alternative<EarlyExit>(parsed)) << arguments[0];
    const auto& early = std::get<EarlyExit>(parsed);
    EXPECT_EQ(early.exit_code, 2);
    EXPECT_TRUE(early.to_stderr);
    EXPECT_NE(early.text.find("Usage"), std::string::npos) << early.text;
  }
}

TEST(CommandLine, HelpAndVersionExitZeroOnStdout) {
  auto help = parse({"--help"});
  ASSERT_TRUE(std::holds_alternative<EarlyExit>(help));
  EXPECT_EQ(std::get<EarlyExit>(help).exit_code, 0);
  EXPECT_FALSE(std::get<EarlyExit>(help).to_stderr);
  EXPECT_NE(std::get<EarlyExit>(help).text.find("--force-overwrite"), std::string::npos);

  auto version = parse({"--version"});
  ASSERT_TRUE(std::holds_alternative<EarlyExit>(version));
  EXPECT_EQ(std::get<EarlyExit>(version).text, std::string("glacier-sync ") + GSYNC_VERSION + "\n");
}
