#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "sync/decision.hpp"
#include "util/error.hpp"

namespace {

using namespace std::chrono_literals;
using gsync::sync::Action;
using gsync::sync::decide;
using gsync::sync::LocalFileInfo;
using gsync::sync::OverwritePolicy;
using gsync::sync::RemoteObject;
using Clock = std::chrono::system_clock;

const Clock::time_point k_modified = Clock::time_point(1754316471s) + 250ms;

RemoteObject remote(std::uint64_t size) {
  return RemoteObject{"p/a.tif", size, k_modified, "e"};
}

LocalFileInfo local(std::uint64_t size, Clock::time_point mtime, bool regular = true) {
  return LocalFileInfo{size, mtime, regular};
}

TEST(SyncDecision, NoLocalFileDownloadsUnderBothPolicies) {
  EXPECT_EQ(decide(remote(10), std::nullopt, OverwritePolicy::never), Action::download);
  EXPECT_EQ(decide(remote(10), std::nullopt, OverwritePolicy::when_different), Action::download);
  EXPECT_EQ(decide(remote(0), std::nullopt, OverwritePolicy::never), Action::download);
}

TEST(SyncDecision, NotARegularFileIsNeverTouched) {
  const auto folder = local(10, k_modified, false);
  EXPECT_EQ(decide(remote(10), folder, OverwritePolicy::never), Action::conflict_not_a_file);
  EXPECT_EQ(decide(remote(10), folder, OverwritePolicy::when_different),
            Action::conflict_not_a_file);
  EXPECT_EQ(decide(remote(99), local(10, k_modified - 1h, false), OverwritePolicy::when_different),
            Action::conflict_not_a_file);
}

TEST(SyncDecision, SafeModeSkipsSameSizeWhateverTheMtime) {
  EXPECT_EQ(decide(remote(10), local(10, k_modified), OverwritePolicy::never), Action::skip_same);
  EXPECT_EQ(decide(remote(10), local(10, k_modified - 24h), OverwritePolicy::never),
            Action::skip_same);
  EXPECT_EQ(decide(remote(10), local(10, k_modified + 24h), OverwritePolicy::never),
            Action::skip_same);
}

TEST(SyncDecision, SafeModeKeepsAFileWhoseSizeDiffers) {
  EXPECT_EQ(decide(remote(10), local(9, k_modified), OverwritePolicy::never), Action::keep_differs);
  EXPECT_EQ(decide(remote(10), local(11, k_modified), OverwritePolicy::never),
            Action::keep_differs);
  EXPECT_EQ(decide(remote(0), local(5, k_modified), OverwritePolicy::never), Action::keep_differs);
}

TEST(SyncDecision, ForceReplacesWhenTheSizeDiffers) {
  EXPECT_EQ(decide(remote(10), local(9, k_modified), OverwritePolicy::when_different),
            Action::replace);
  EXPECT_EQ(decide(remote(0), local(1, k_modified), OverwritePolicy::when_different),
            Action::replace);
}

TEST(SyncDecision, ForceSkipsSameSizeAndMtime) {
  EXPECT_EQ(decide(remote(10), local(10, k_modified), OverwritePolicy::when_different),
            Action::skip_same);
}

TEST(SyncDecision, ForceReplacesSameSizeWhenMtimeIsASecondOrMoreAway) {
  const auto policy = OverwritePolicy::when_different;
  // 999 ms either way is timestamp granularity; 1000 ms is a change.
  EXPECT_EQ(decide(remote(10), local(10, k_modified + 999ms), policy), Action::skip_same);
  EXPECT_EQ(decide(remote(10), local(10, k_modified - 999ms), policy), Action::skip_same);
  EXPECT_EQ(decide(remote(10), local(10, k_modified + 1000ms), policy), Action::replace);
  EXPECT_EQ(decide(remote(10), local(10, k_modified - 1000ms), policy), Action::replace);
  // Older local file and newer local file both count: unlike aws s3 sync.
  EXPECT_EQ(decide(remote(10), local(10, k_modified - 30 * 24h), policy), Action::replace);
  EXPECT_EQ(decide(remote(10), local(10, k_modified + 30 * 24h), policy), Action::replace);
}

TEST(SyncDecision, ActionNames) {
  EXPECT_EQ(gsync::sync::action_name(Action::download), "download");
  EXPECT_EQ(gsync::sync::action_name(Action::skip_same), "skip_same");
  EXPECT_EQ(gsync::sync::action_name(Action::keep_differs), "keep_differs");
  EXPECT_EQ(gsync::sync::action_name(Action::replace), "replace");
  EXPECT_EQ(gsync::sync::action_name(Action::conflict_not_a_file), "conflict_not_a_file");
}

class SyncStatLocalFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/gsync-test-decision-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    m_dir = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(m_dir, ignored);
  }
  std::filesystem::path m_dir;
};

TEST_F(SyncStatLocalFile, ReportsSizeMtimeAndRegularFile) {
  const auto file = m_dir / "a.tif";
  std::ofstream(file) << "12345";
  const timespec times[2] = {{1754316471, 250000000}, {1754316471, 250000000}};
  ASSERT_EQ(::utimensat(AT_FDCWD, file.c_str(), times, 0), 0);
  const auto info = gsync::sync::stat_local_file(file);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->size, 5u);
  EXPECT_TRUE(info->is_regular_file);
  EXPECT_EQ(info->mtime, k_modified);
}

TEST_F(SyncStatLocalFile, AbsentIsNullopt) {
  EXPECT_FALSE(gsync::sync::stat_local_file(m_dir / "missing").has_value());
  std::ofstream(m_dir / "file") << "x";
  EXPECT_FALSE(gsync::sync::stat_local_file(m_dir / "file" / "below").has_value());  // ENOTDIR
}

TEST_F(SyncStatLocalFile, FolderAndSymlinkAreNotRegularFiles) {
  std::filesystem::create_directory(m_dir / "folder");
  const auto folder = gsync::sync::stat_local_file(m_dir / "folder");
  ASSERT_TRUE(folder.has_value());
  EXPECT_FALSE(folder->is_regular_file);

  std::ofstream(m_dir / "target") << "x";
  std::filesystem::create_symlink(m_dir / "target", m_dir / "link");
  const auto link = gsync::sync::stat_local_file(m_dir / "link");
  ASSERT_TRUE(link.has_value());
  EXPECT_FALSE(link->is_regular_file);  // lstat: the link itself, not its target
  EXPECT_EQ(decide(remote(1), link, OverwritePolicy::when_different), Action::conflict_not_a_file);
}

TEST_F(SyncStatLocalFile, OtherErrorsThrow) {
  // ENAMETOOLONG is neither "absent" nor a file: guessing absent could mean downloading
  // over something we cannot see, so it must be an error.
  EXPECT_THROW(gsync::sync::stat_local_file(m_dir / std::string(300, 'a')), gsync::Error);
}

}  // namespace
