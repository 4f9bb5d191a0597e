#include <filesystem>
#include <fstream>
#include <functional>
#include <stdlib.h>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/environment.hpp"
#include "util/error.hpp"

namespace {

namespace fs = std::filesystem;
using gsync::config::check_data_dir;
using gsync::config::choose_data_dir;
using gsync::config::detect_environment;
using gsync::config::Environment;
using gsync::config::environment_name;
using gsync::config::ExecutionMode;
using gsync::config::is_executable_file;
using gsync::config::Settings;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::string fatal_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const gsync::Fatal& fatal) {
    EXPECT_EQ(fatal.code(), gsync::ExitCode::usage_or_setup);
    EXPECT_THAT(fatal.what(), Not(StartsWith("Error")));
    return fatal.what();
  }
  ADD_FAILURE() << "expected gsync::Fatal";
  return {};
}

class ConfigEnvironment : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "gsync-environment-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_root = fs::canonical(pattern);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(m_root, ec);
  }

  // A fake "sbatch" with the given permissions in a fresh folder of the scratch tree.
  fs::path bin_with_sbatch(const char* name, fs::perms perms) const {
    const auto dir = m_root / name;
    fs::create_directories(dir);
    std::ofstream(dir / "sbatch") << "#!/bin/sh\nexit 0\n";
    fs::permissions(dir / "sbatch", perms);
    return dir;
  }

  Environment detect_auto(const std::optional<std::string>& path) const {
    return detect_environment(ExecutionMode::auto_detect, path, is_executable_file);
  }

  fs::path m_root;
};

constexpr auto k_executable = fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read;
constexpr auto k_not_executable = fs::perms::owner_read | fs::perms::owner_write;

TEST_F(ConfigEnvironment, AutoIsHpcWhenAnExecutableSbatchIsOnPath) {
  const auto empty = m_root / "empty";
  fs::create_directories(empty);
  const auto slurm = bin_with_sbatch("slurm", k_executable);
  EXPECT_EQ(detect_auto(empty.string() + ":" + slurm.string()), Environment::hpc);
  EXPECT_EQ(detect_auto(slurm.string()), Environment::hpc);
  EXPECT_EQ(detect_auto(empty.string()), Environment::local);
  EXPECT_EQ(detect_auto(std::nullopt), Environment::local);
  EXPECT_EQ(detect_auto(""), Environment::local);
}

TEST_F(ConfigEnvironment, AutoIgnoresAnSbatchThatIsNotAnExecutableFile) {
  const auto plain = bin_with_sbatch("plain", k_not_executable);
  fs::create_directories(m_root / "dir/sbatch");
  EXPECT_EQ(detect_auto(plain.string() + ":" + (m_root / "dir").string()), Environment::local);
}

TEST_F(ConfigEnvironment, EmptyPathEntriesDoNotMeanTheCurrentDirectory) {
  std::vector<fs::path> asked;
  const auto record = [&](const fs::path& path) {
    asked.push_back(path);
    return false;
  };
  detect_environment(ExecutionMode::auto_detect, "::/usr/bin:", record);
  EXPECT_EQ(asked, std::vector<fs::path>{"/usr/bin/sbatch"});
}

TEST_F(ConfigEnvironment, ExplicitModesIgnorePath) {
  const auto slurm = bin_with_sbatch("slurm", k_executable);
  EXPECT_EQ(detect_environment(ExecutionMode::local, slurm.string(), is_executable_file),
            Environment::local);
  EXPECT_EQ(detect_environment(ExecutionMode::hpc, std::nullopt, is_executable_file),
            Environment::hpc);
}

TEST(ConfigEnvironmentName, NamesBothEnvironments) {
  EXPECT_EQ(environment_name(Environment::hpc), "HPC");
  EXPECT_EQ(environment_name(Environment::local), "local");
}

TEST(ConfigChooseDataDir, PicksTheOverrideThenTheDirectoryForTheEnvironment) {
  Settings settings;
  settings.config_path = "/etc/config.ini";
  settings.base_dir = "/fs/project/hpc";
  settings.local_base_dir = "/home/u/local";
  EXPECT_EQ(choose_data_dir(settings, Environment::hpc), fs::path("/fs/project/hpc"));
  EXPECT_EQ(choose_data_dir(settings, Environment::local), fs::path("/home/u/local"));
  settings.data_dir_override = "/scratch";
  EXPECT_EQ(choose_data_dir(settings, Environment::hpc), fs::path("/scratch"));
  EXPECT_EQ(choose_data_dir(settings, Environment::local), fs::path("/scratch"));
}

TEST(ConfigChooseDataDir, MissingDirectoryForTheEnvironmentIsFatal) {
  Settings settings;
  settings.config_path = "/etc/config.ini";
  settings.base_dir = "/fs/project/hpc";
  EXPECT_THAT(
      fatal_message([&] { choose_data_dir(settings, Environment::local); }),
      AllOf(StartsWith("config.ini [PATHS] local_base_dir is not set (needed in local mode)"),
            HasSubstr("/etc/config.ini"), HasSubstr("--data-dir")));
  settings.base_dir.reset();
  settings.local_base_dir = "/home/u/local";
  EXPECT_THAT(fatal_message([&] { choose_data_dir(settings, Environment::hpc); }),
              StartsWith("config.ini [PATHS] base_dir is not set (needed in HPC mode)"));
}

TEST_F(ConfigEnvironment, MissingDataDirectoryGivesTheMkdirHint) {
  const auto missing = m_root / "not-yet";
  EXPECT_EQ(
      fatal_message([&] { check_data_dir(missing); }),
      "Cannot cd to " + missing.string() + "\n  Create it with: mkdir -p " + missing.string());
  const auto spaced = m_root / "with space";
  EXPECT_THAT(fatal_message([&] { check_data_dir(spaced); }),
              HasSubstr("mkdir -p '" + spaced.string() + "'"));
}

TEST_F(ConfigEnvironment, AFileIsNotADataDirectory) {
  std::ofstream(m_root / "file") << "x";
  // mkdir -p would fail on it: the message says what is wrong instead.
  EXPECT_THAT(
      fatal_message([&] { check_data_dir(m_root / "file"); }),
      AllOf(StartsWith("Cannot cd to "), HasSubstr("not a folder"), Not(HasSubstr("mkdir -p"))));
}

TEST_F(ConfigEnvironment, AcceptedDirectoryComesBackCanonical) {
  fs::create_directories(m_root / "data/sub");
  fs::create_directory_symlink(m_root / "data", m_root / "link");
  EXPECT_EQ(check_data_dir(m_root / "data/sub/.."), m_root / "data");
  EXPECT_EQ(check_data_dir(m_root / "link/sub"), m_root / "data/sub");
}

TEST_F(ConfigEnvironment, DataDirectoryInsideAGitWorkTreeIsRefused) {
  fs::create_directories(m_root / "repo/.git");
  fs::create_directories(m_root / "repo/results/deep");
  const auto message = fatal_message([&] { check_data_dir(m_root / "repo/results/deep"); });
  EXPECT_EQ(message, "refusing data directory " + (m_root / "repo/results/deep").string() +
                         ": it is inside the git work tree " + (m_root / "repo").string() +
                         "; data never goes into a code repository");
  EXPECT_THAT(fatal_message([&] { check_data_dir(m_root / "repo"); }),
              HasSubstr("refusing data directory"));
}

TEST_F(ConfigEnvironment, SymlinkIntoAGitWorkTreeIsRefusedToo) {
  fs::create_directories(m_root / "repo/data");
  std::ofstream(m_root / "repo/.git") << "gitdir: /elsewhere\n";  // a worktree's .git file
  fs::create_directory_symlink(m_root / "repo/data", m_root / "innocent");
  EXPECT_THAT(fatal_message([&] { check_data_dir(m_root / "innocent"); }),
              HasSubstr("git work tree " + (m_root / "repo").string()));
}

}  // namespace
