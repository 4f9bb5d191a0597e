#include <fstream>
#include <stdlib.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "sync/local_directory_index.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using gsync::sync::LocalDirectoryIndex;

namespace {

class LocalDirectoryIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "gsync-index-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root = pattern;
  }
  void TearDown() override {
    ::chmod((root / "locked").c_str(), 0755);
    fs::remove_all(root);
  }
  void write(const fs::path& relative, const std::string& content) {
    fs::create_directories((root / relative).parent_path());
    std::ofstream(root / relative) << content;
  }
  fs::path root;
};

}  // namespace

TEST_F(LocalDirectoryIndexTest, ReadsEachFolderOnceAndStatsOnlyExistingNames) {
  write("region/clipped/a.tif", "aaaa");
  write("region/clipped/b.tif", "bb");
  LocalDirectoryIndex index;
  const auto a = index.lookup(root / "region/clipped/a.tif");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->size, 4u);
  EXPECT_TRUE(a->is_regular_file);
  EXPECT_EQ(index.lookup(root / "region/clipped/b.tif")->size, 2u);
  EXPECT_FALSE(index.lookup(root / "region/clipped/new.tif").has_value());
  EXPECT_FALSE(index.lookup(root / "region/clipped/another-new.tif").has_value());
  EXPECT_EQ(index.folders_read(), 1u);
  EXPECT_EQ(index.files_inspected(), 2u);  // the absent names cost no stat
}

TEST_F(LocalDirectoryIndexTest, MissingFolderMeansMissingFiles) {
  LocalDirectoryIndex index;
  EXPECT_FALSE(index.lookup(root / "nowhere/deeper/x.tif").has_value());
  EXPECT_FALSE(index.lookup(root / "nowhere/deeper/y.tif").has_value());
  EXPECT_EQ(index.folders_read(), 1u);
  EXPECT_EQ(index.files_inspected(), 0u);
}

TEST_F(LocalDirectoryIndexTest, AFileWhereAFolderShouldBeMeansMissing) {
  write("region", "not a folder");
  LocalDirectoryIndex index;
  EXPECT_FALSE(index.lookup(root / "region/x.tif").has_value());
}

TEST_F(LocalDirectoryIndexTest, SubfolderWithTheObjectsNameIsNotARegularFile) {
  fs::create_directories(root / "region/x.tif");
  LocalDirectoryIndex index;
  const auto info = index.lookup(root / "region/x.tif");
  ASSERT_TRUE(info.has_value());
  EXPECT_FALSE(info->is_regular_file);
}

TEST_F(LocalDirectoryIndexTest, EvictsLeastRecentlyUsedFoldersBeyondTheBudget) {
  write("one/a", "1");
  write("one/b", "1");
  write("two/a", "1");
  write("two/b", "1");
  LocalDirectoryIndex index(3);  // room for one folder of two names
  index.lookup(root / "one/a");
  index.lookup(root / "two/a");  // evicts "one"
  index.lookup(root / "one/b");  // read again
  EXPECT_EQ(index.folders_read(), 3u);
  index.lookup(root / "one/a");  // still cached
  EXPECT_EQ(index.folders_read(), 3u);
}

TEST_F(LocalDirectoryIndexTest, UnreadableFolderIsAnError) {
  if (::geteuid() == 0) {
    // Root reads any folder; an unreadable one needs another failure: a name too long.
    LocalDirectoryIndex index;
    EXPECT_THROW(index.lookup(root / std::string(300, 'x') / "a"), gsync::Error);
    return;
  }
  write("locked/a", "1");
  ::chmod((root / "locked").c_str(), 0);
  LocalDirectoryIndex index;
  EXPECT_THROW(index.lookup(root / "locked/a"), gsync::Error);
}
