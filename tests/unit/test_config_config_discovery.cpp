#include <filesystem>
#include <fstream>
#include <stdlib.h>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_discovery.hpp"
#include "util/error.hpp"

namespace {

namespace fs = std::filesystem;
using gsync::config::discover_config;
using gsync::config::DiscoveryInputs;
using gsync::config::real_discovery_inputs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::string fatal_message(const DiscoveryInputs& inputs) {
  try {
    discover_config(inputs);
  } catch (const gsync::Fatal& fatal) {
    EXPECT_EQ(fatal.code(), gsync::ExitCode::usage_or_setup);
    EXPECT_THAT(fatal.what(), Not(StartsWith("Error")));
    return fatal.what();
  }
  ADD_FAILURE() << "expected gsync::Fatal";
  return {};
}

// A scratch tree on the real filesystem:
//   checkout/.git/  checkout/build/bin/glacier-sync   (a git checkout holding the binary)
//   data/glacier-sync -> ../checkout/build/bin/glacier-sync
//   loose/bin/glacier-sync                            (a binary outside any checkout)
//   cwd/   home/Github/greenland-glacier-flow/
class ConfigDiscovery : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "gsync-discovery-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_root = fs::canonical(pattern);
    for (const auto* dir : {"checkout/.git", "checkout/build/bin", "data", "loose/bin", "cwd",
                            "home/Github/greenland-glacier-flow"}) {
      fs::create_directories(m_root / dir);
    }
    touch(exe());
    touch(m_root / "loose/bin/glacier-sync");
    fs::create_symlink(exe(), m_root / "data/glacier-sync");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(m_root, ec);
  }

  static void touch(const fs::path& path) { std::ofstream(path) << "[PATHS]\n"; }
  fs::path at(const char* relative) const { return m_root / relative; }
  fs::path exe() const { return m_root / "checkout/build/bin/glacier-sync"; }

  // The real filesystem checks, with every place pointing into the scratch tree.
  DiscoveryInputs inputs() const {
    auto in = real_discovery_inputs(std::nullopt);
    in.env_config.reset();
    in.executable_path = exe();
    in.current_dir = at("cwd");
    in.home = at("home").string();
    return in;
  }

  // Puts a config.ini in every one of the five places.
  void fill_every_place() const {
    touch(at("explicit.ini"));
    touch(at("env.ini"));
    touch(at("checkout/build/bin/config.ini"));
    touch(at("checkout/config.ini"));
    touch(at("cwd/config.ini"));
    touch(at("home/Github/greenland-glacier-flow/config.ini"));
  }

  fs::path m_root;
};

TEST_F(ConfigDiscovery, ExplicitConfigComesFirst) {
  fill_every_place();
  auto in = inputs();
  in.explicit_config = at("explicit.ini");
  in.env_config = at("env.ini").string();
  const auto result = discover_config(in);
  EXPECT_EQ(result.config_path, at("explicit.ini"));
  EXPECT_THAT(result.searched, ElementsAre(at("explicit.ini")));
}

TEST_F(ConfigDiscovery, RelativeExplicitConfigIsTakenFromTheCurrentDirectory) {
  touch(at("cwd/mine.ini"));
  auto in = inputs();
  in.explicit_config = "mine.ini";
  EXPECT_EQ(discover_config(in).config_path, at("cwd/mine.ini"));
}

TEST_F(ConfigDiscovery, MissingExplicitConfigIsFatalEvenIfOthersExist) {
  fill_every_place();
  auto in = inputs();
  in.explicit_config = at("nope.ini");
  EXPECT_EQ(fatal_message(in), "config file not found: " + at("nope.ini").string());
  in.explicit_config = at("cwd");  // a directory is not a config file either
  EXPECT_THAT(fatal_message(in), HasSubstr(at("cwd").string()));
}

TEST_F(ConfigDiscovery, EnvironmentVariableComesSecond) {
  fill_every_place();
  auto in = inputs();
  in.env_config = at("env.ini").string();
  EXPECT_EQ(discover_config(in).config_path, at("env.ini"));

  in.env_config = at("gone.ini").string();
  EXPECT_THAT(fatal_message(in),
              AllOf(HasSubstr("config file not found: " + at("gone.ini").string()),
                    HasSubstr("GLACIER_SYNC_CONFIG")));

  in.env_config = "";  // set but empty counts as unset
  EXPECT_EQ(discover_config(in).config_path, at("checkout/build/bin/config.ini"));
}

TEST_F(ConfigDiscovery, ExecutableDirectoryComesThird) {
  fill_every_place();
  const auto result = discover_config(inputs());
  EXPECT_EQ(result.config_path, at("checkout/build/bin/config.ini"));
  EXPECT_THAT(result.searched, ElementsAre(at("checkout/build/bin/config.ini")));
}

TEST_F(ConfigDiscovery, ClimbsFromTheExecutableToTheCheckoutRoot) {
  fill_every_place();
  fs::remove(at("checkout/build/bin/config.ini"));
  const auto result = discover_config(inputs());
  EXPECT_EQ(result.config_path, at("checkout/config.ini"));
  EXPECT_THAT(result.searched,
              ElementsAre(at("checkout/build/bin/config.ini"), at("checkout/build/config.ini"),
                          at("checkout/config.ini")));
}

TEST_F(ConfigDiscovery, SymlinkedExecutableInADataDirectoryFindsTheCheckout) {
  touch(at("checkout/config.ini"));
  touch(at("data/config.ini"));  // beside the link, but the link is not where the binary is
  auto in = inputs();
  // What /proc/self/exe gives for a process started through the link.
  in.executable_path = fs::canonical(at("data/glacier-sync"));
  in.current_dir = at("data");
  EXPECT_EQ(discover_config(in).config_path, at("checkout/config.ini"));
}

TEST_F(ConfigDiscovery, RealInputsResolveTheRunningExecutable) {
  const auto in = real_discovery_inputs(fs::path("given.ini"));
  EXPECT_EQ(in.explicit_config, fs::path("given.ini"));
  EXPECT_TRUE(in.executable_path.is_absolute());
  EXPECT_EQ(in.executable_path, fs::canonical("/proc/self/exe"));
  EXPECT_EQ(in.current_dir, fs::current_path());
  EXPECT_TRUE(in.is_file(in.executable_path));
  EXPECT_FALSE(in.is_file(in.executable_path.parent_path()));
  EXPECT_TRUE(in.exists(in.executable_path.parent_path()));
  EXPECT_FALSE(in.exists(at("no-such-thing")));
}

TEST_F(ConfigDiscovery, StopsAtTheGitRoot) {
  touch(m_root / "config.ini");  // above the checkout: never searched
  const auto message = fatal_message(inputs());
  EXPECT_THAT(message, HasSubstr(at("checkout/config.ini").string()));
  EXPECT_THAT(message, Not(HasSubstr(" " + (m_root / "config.ini").string())));
}

TEST_F(ConfigDiscovery, GitFileOfAWorktreeMarksTheRootToo) {
  fs::remove_all(at("checkout/.git"));
  std::ofstream(at("checkout/build/.git")) << "gitdir: /elsewhere\n";
  touch(at("checkout/config.ini"));
  const auto message = fatal_message(inputs());
  EXPECT_THAT(message, HasSubstr(at("checkout/build/config.ini").string()));
  EXPECT_THAT(message, Not(HasSubstr(at("checkout/config.ini").string())));
}

TEST_F(ConfigDiscovery, ExecutableOutsideACheckoutSearchesOnlyItsOwnDirectory) {
  touch(at("loose/config.ini"));
  touch(at("cwd/config.ini"));
  auto in = inputs();
  in.executable_path = at("loose/bin/glacier-sync");
  const auto result = discover_config(in);
  EXPECT_EQ(result.config_path, at("cwd/config.ini"));
  EXPECT_THAT(result.searched, ElementsAre(at("loose/bin/config.ini"), at("cwd/config.ini")));
}

TEST_F(ConfigDiscovery, CurrentDirectoryComesFourth) {
  touch(at("cwd/config.ini"));
  touch(at("home/Github/greenland-glacier-flow/config.ini"));
  EXPECT_EQ(discover_config(inputs()).config_path, at("cwd/config.ini"));
}

TEST_F(ConfigDiscovery, HomeCheckoutComesLast) {
  touch(at("home/Github/greenland-glacier-flow/config.ini"));
  const auto result = discover_config(inputs());
  EXPECT_EQ(result.config_path, at("home/Github/greenland-glacier-flow/config.ini"));
  EXPECT_EQ(result.searched.size(), 5u);
}

TEST_F(ConfigDiscovery, NothingFoundListsEveryPlaceSearchedInOrder) {
  const auto message = fatal_message(inputs());
  const std::string expected =
      "no config.ini found; searched: " + at("checkout/build/bin/config.ini").string() + ", " +
      at("checkout/build/config.ini").string() + ", " + at("checkout/config.ini").string() + ", " +
      at("cwd/config.ini").string() + ", " +
      at("home/Github/greenland-glacier-flow/config.ini").string() +
      " (use --config FILE or set GLACIER_SYNC_CONFIG)";
  EXPECT_EQ(message, expected);
}

TEST_F(ConfigDiscovery, APlaceReachedTwiceIsSearchedOnce) {
  auto in = inputs();
  in.current_dir = at("checkout/build");
  in.home.reset();
  EXPECT_EQ(fatal_message(in),
            "no config.ini found; searched: " + at("checkout/build/bin/config.ini").string() +
                ", " + at("checkout/build/config.ini").string() + ", " +
                at("checkout/config.ini").string() +
                " (use --config FILE or set GLACIER_SYNC_CONFIG)");
}

}  // namespace
