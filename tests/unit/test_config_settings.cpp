#include <functional>
#include <map>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/settings.hpp"
#include "util/error.hpp"
#include "util/ini_file.hpp"

namespace {

using gsync::config::CommandLineOverrides;
using gsync::config::ExecutionMode;
using gsync::config::expand_tilde;
using gsync::config::parse_execution_mode;
using gsync::config::resolve_settings;
using gsync::config::Settings;
using gsync::util::IniFile;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::filesystem::path k_config_path = "/etc/glacier/config.ini";

std::function<std::optional<std::string>(const char*)> fake_env(
    std::map<std::string, std::string> values) {
  return [values = std::move(values)](const char* name) -> std::optional<std::string> {
    const auto found = values.find(name);
    return found == values.end() ? std::nullopt : std::optional<std::string>(found->second);
  };
}

Settings resolve(std::string_view text, const CommandLineOverrides& cli = {},
                 std::map<std::string, std::string> env = {{"HOME", "/home/researcher"}}) {
  return resolve_settings(IniFile::parse(text, k_config_path.string()), k_config_path, cli,
                          fake_env(std::move(env)));
}

std::string fatal_message(std::string_view text, const CommandLineOverrides& cli = {}) {
  try {
    resolve(text, cli);
  } catch (const gsync::Fatal& fatal) {
    EXPECT_EQ(fatal.code(), gsync::ExitCode::usage_or_setup);
    EXPECT_THAT(fatal.what(), Not(StartsWith("Error")));
    EXPECT_EQ(std::string(fatal.what()).find('\n'), std::string::npos) << "one line";
    return fatal.what();
  }
  ADD_FAILURE() << "expected gsync::Fatal for:\n" << text;
  return {};
}

// Every value config.ini can set, different from every default.
constexpr std::string_view k_full_config = R"([PATHS]
base_dir = /fs/project/hpc
local_base_dir = ~/glaciers
[SETTINGS]
execution_mode = hpc
[S3]
bucket = config-bucket
prefix = /config/prefix/
region = eu-north-1
endpoint_url = http://127.0.0.1:7480
profile = config-profile
[SYNC]
satellites = landsat
download_folder = raw
jobs = 12
)";

TEST(ConfigSettings, DefaultsApplyWhenNothingIsConfigured) {
  const auto settings = resolve("[REGIONS]\nregions = 134_Arsuk\n");
  EXPECT_EQ(settings.config_path, k_config_path);
  EXPECT_EQ(settings.execution_mode, ExecutionMode::auto_detect);
  EXPECT_EQ(settings.base_dir, std::nullopt);
  EXPECT_EQ(settings.local_base_dir, std::nullopt);
  EXPECT_EQ(settings.data_dir_override, std::nullopt);
  EXPECT_EQ(settings.bucket, "greenland-glacier-data");
  EXPECT_EQ(settings.prefix, "1_download_merge_and_clip");
  EXPECT_EQ(settings.region, std::nullopt);
  EXPECT_EQ(settings.endpoint_url, std::nullopt);
  EXPECT_EQ(settings.profile, std::nullopt);
  EXPECT_THAT(settings.satellites, ElementsAre("sentinel2", "landsat"));
  EXPECT_EQ(settings.download_folder, "download");
  EXPECT_EQ(settings.jobs, std::nullopt);
}

TEST(ConfigSettings, ReadsThePipelineConfigShape) {
  const auto settings = resolve(
      "[REGIONS]\nregions = 138_SermiitsiaqInTasermiut\nstart_end_index =\n\n[PATHS]\n"
      "# Base output directory on HPC\nbase_dir = /fs/project/example/greenland_glacier_flow\n"
      "local_base_dir = /home/example/greenland_glacier_flow\n\n[SETTINGS]\ncores = 1\n"
      "runtime = 15:00:00\ndry_run = False\nexecution_mode = local\n");
  EXPECT_EQ(settings.base_dir, "/fs/project/example/greenland_glacier_flow");
  EXPECT_EQ(settings.local_base_dir, "/home/example/greenland_glacier_flow");
  EXPECT_EQ(settings.execution_mode, ExecutionMode::local);
}

TEST(ConfigSettings, ConfigValuesBeatDefaults) {
  const auto settings = resolve(k_full_config);
  EXPECT_EQ(settings.base_dir, "/fs/project/hpc");
  EXPECT_EQ(settings.local_base_dir, "/home/researcher/glaciers");
  EXPECT_EQ(settings.execution_mode, ExecutionMode::hpc);
  EXPECT_EQ(settings.bucket, "config-bucket");
  EXPECT_EQ(settings.prefix, "config/prefix");
  EXPECT_EQ(settings.region, "eu-north-1");
  EXPECT_EQ(settings.endpoint_url, "http://127.0.0.1:7480");
  EXPECT_EQ(settings.profile, "config-profile");
  EXPECT_THAT(settings.satellites, ElementsAre("landsat"));
  EXPECT_EQ(settings.download_folder, "raw");
  EXPECT_EQ(settings.jobs, 12);
}

TEST(ConfigSettings, CommandLineBeatsConfig) {
  CommandLineOverrides cli;
  cli.env = "LOCAL";
  cli.data_dir = "~/scratch";
  cli.bucket = "cli-bucket";
  cli.prefix = "cli/prefix/";
  cli.region = "us-east-2";
  cli.endpoint_url = "https://s3.example.org";
  cli.profile = "cli-profile";
  cli.jobs = 3;
  const auto settings = resolve(k_full_config, cli);
  EXPECT_EQ(settings.execution_mode, ExecutionMode::local);
  EXPECT_EQ(settings.data_dir_override, "/home/researcher/scratch");
  EXPECT_EQ(settings.bucket, "cli-bucket");
  EXPECT_EQ(settings.prefix, "cli/prefix");
  EXPECT_EQ(settings.region, "us-east-2");
  EXPECT_EQ(settings.endpoint_url, "https://s3.example.org");
  EXPECT_EQ(settings.profile, "cli-profile");
  EXPECT_EQ(settings.jobs, 3);
  // Values without a flag still come from the file.
  EXPECT_EQ(settings.base_dir, "/fs/project/hpc");
  EXPECT_THAT(settings.satellites, ElementsAre("landsat"));
}

TEST(ConfigSettings, CommandLineBeatsDefaults) {
  CommandLineOverrides cli;
  cli.env = "hpc";
  cli.bucket = "b";
  cli.prefix = "p";
  cli.jobs = 1024;
  const auto settings = resolve("[SETTINGS]\n", cli);
  EXPECT_EQ(settings.execution_mode, ExecutionMode::hpc);
  EXPECT_EQ(settings.bucket, "b");
  EXPECT_EQ(settings.prefix, "p");
  EXPECT_EQ(settings.jobs, 1024);
}

TEST(ConfigSettings, EmptyConfigValuesFallBackToDefaults) {
  const auto settings = resolve(
      "[SETTINGS]\nexecution_mode =\n[S3]\nbucket =\nprefix =\nregion =\n[SYNC]\nsatellites =\n"
      "jobs =\n");
  EXPECT_EQ(settings.execution_mode, ExecutionMode::auto_detect);
  EXPECT_EQ(settings.bucket, "greenland-glacier-data");
  EXPECT_EQ(settings.prefix, "1_download_merge_and_clip");
  EXPECT_EQ(settings.region, std::nullopt);
  EXPECT_THAT(settings.satellites, ElementsAre("sentinel2", "landsat"));
  EXPECT_EQ(settings.jobs, std::nullopt);
}

TEST(ConfigSettings, ExecutionModeIsCaseInsensitive) {
  EXPECT_EQ(parse_execution_mode("auto"), ExecutionMode::auto_detect);
  EXPECT_EQ(parse_execution_mode("HPC"), ExecutionMode::hpc);
  EXPECT_EQ(parse_execution_mode(" Local "), ExecutionMode::local);
  EXPECT_EQ(parse_execution_mode("cloud"), std::nullopt);
  EXPECT_EQ(parse_execution_mode(""), std::nullopt);
  EXPECT_EQ(resolve("[SETTINGS]\nExecution_Mode = Hpc\n").execution_mode, ExecutionMode::hpc);
}

TEST(ConfigSettings, ExpandsTilde) {
  EXPECT_EQ(expand_tilde("~/data", "/home/u"), "/home/u/data");
  EXPECT_EQ(expand_tilde("~", "/home/u/"), "/home/u");
  EXPECT_EQ(expand_tilde("~/x", "/"), "/x");
  EXPECT_EQ(expand_tilde("~other/data", "/home/u"), "~other/data");
  EXPECT_EQ(expand_tilde("/abs/~/x", "/home/u"), "/abs/~/x");
  EXPECT_EQ(expand_tilde("~/data", std::nullopt), "~/data");
  const auto settings =
      resolve("[PATHS]\nbase_dir = ~/hpc\nlocal_base_dir = ~\n", {}, {{"HOME", "/home/r"}});
  EXPECT_EQ(settings.base_dir, "/home/r/hpc");
  EXPECT_EQ(settings.local_base_dir, "/home/r");
}

TEST(ConfigSettings, PrefixLosesOuterSlashesAndMustStayInsideTheDataDirectory) {
  EXPECT_EQ(resolve("[S3]\nprefix = //a/b//\n").prefix, "a/b");
  EXPECT_EQ(resolve("[S3]\nprefix = /\n").prefix, "");
  EXPECT_THAT(fatal_message("[S3]\nprefix = ../../etc\n"),
              AllOf(HasSubstr(k_config_path.string()), HasSubstr("[S3] prefix")));
  EXPECT_THAT(fatal_message("[S3]\nprefix = a//b\n"), HasSubstr("prefix"));
  CommandLineOverrides cli;
  cli.prefix = "a/./b";
  EXPECT_THAT(fatal_message("[S3]\n", cli), HasSubstr("--prefix"));
}

TEST(ConfigSettings, SatellitesAreSeparatedByCommasOrBlanks) {
  EXPECT_THAT(resolve("[SYNC]\nsatellites = landsat, sentinel2\n").satellites,
              ElementsAre("landsat", "sentinel2"));
  EXPECT_THAT(resolve("[SYNC]\nsatellites = Sentinel2 landsat\n").satellites,
              ElementsAre("sentinel2", "landsat"));
  EXPECT_THAT(resolve("[SYNC]\nsatellites =\n  sentinel2\n  sentinel2,\n").satellites,
              ElementsAre("sentinel2"));
}

TEST(ConfigSettings, InvalidValuesFailNamingFileAndKey) {
  const auto named = [](std::string_view key) {
    return AllOf(HasSubstr(k_config_path.string()), HasSubstr(key));
  };
  EXPECT_THAT(fatal_message("[SETTINGS]\nexecution_mode = cloud\n"),
              AllOf(named("[SETTINGS] execution_mode"), HasSubstr("cloud")));
  EXPECT_THAT(fatal_message("[SYNC]\njobs = many\n"), named("[SYNC] jobs"));
  EXPECT_THAT(fatal_message("[SYNC]\njobs = 0\n"), named("[SYNC] jobs"));
  EXPECT_THAT(fatal_message("[SYNC]\njobs = 1025\n"), named("[SYNC] jobs"));
  EXPECT_THAT(fatal_message("[SYNC]\njobs = 8x\n"), named("[SYNC] jobs"));
  EXPECT_THAT(fatal_message("[SYNC]\nsatellites = sentinel2, modis\n"),
              AllOf(named("[SYNC] satellites"), HasSubstr("modis")));
  EXPECT_THAT(fatal_message("[SYNC]\nsatellites = ,\n"), named("[SYNC] satellites"));
  EXPECT_THAT(fatal_message("[SYNC]\ndownload_folder = download/2025\n"),
              named("[SYNC] download_folder"));
  EXPECT_THAT(fatal_message("[S3]\nbucket = bucket/with/path\n"), named("[S3] bucket"));
}

TEST(ConfigSettings, InvalidCommandLineValuesFailNamingTheFlag) {
  CommandLineOverrides env;
  env.env = "cluster";
  EXPECT_THAT(fatal_message("[S3]\n", env), AllOf(HasSubstr("--env"), HasSubstr("cluster")));
  CommandLineOverrides bucket;
  bucket.bucket = "";
  EXPECT_THAT(fatal_message("[S3]\nbucket = fine\n", bucket), HasSubstr("--bucket"));
  for (const int jobs : {0, -1, 1025}) {
    CommandLineOverrides cli;
    cli.jobs = jobs;
    EXPECT_THAT(fatal_message("[SYNC]\njobs = 4\n", cli), HasSubstr("--jobs"));
  }
  CommandLineOverrides region;
  region.region = "";
  EXPECT_THAT(fatal_message("[S3]\n", region), HasSubstr("--region"));
}

}  // namespace
