#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "sync/atomic_file_writer.hpp"
#include "sync/folder_handle_cache.hpp"
#include "util/error.hpp"

namespace {

namespace fs = std::filesystem;
using gsync::sync::AtomicFileWriter;
using gsync::sync::FolderHandleCache;

// The device and inode behind a descriptor: which folder it really is.
std::pair<dev_t, ino_t> identity(int fd) {
  struct stat st {};
  EXPECT_EQ(::fstat(fd, &st), 0);
  return {st.st_dev, st.st_ino};
}

std::pair<dev_t, ino_t> identity(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0);
  return {st.st_dev, st.st_ino};
}

class SyncFolderHandleCache : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/gsync-test-folders-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    m_base = pattern;
    m_root = m_base / "data";
    fs::create_directory(m_root);
    fs::create_directory(m_base / "outside");
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(m_base, ignored);
  }

  fs::path m_base;
  fs::path m_root;
};

TEST_F(SyncFolderHandleCache, CreatesMissingFoldersAndOpensTheRightOne) {
  FolderHandleCache folders(m_root);
  auto folder = folders.open("sat/134_Arsuk/clipped");
  ASSERT_TRUE(folder && *folder);
  EXPECT_TRUE(fs::is_directory(m_root / "sat/134_Arsuk/clipped"));
  EXPECT_EQ(identity(folder->get()), identity(m_root / "sat/134_Arsuk/clipped"));
  EXPECT_EQ(identity(folders.open("")->get()), identity(m_root));
}

TEST_F(SyncFolderHandleCache, ASecondOpenReusesTheDescriptor) {
  FolderHandleCache folders(m_root);
  auto first = folders.open("sat/r/a");
  auto again = folders.open("sat/r/a");
  EXPECT_EQ(first.get(), again.get());
  // The folders on the way are remembered too, so a sibling is one openat away.
  EXPECT_EQ(folders.size(), 3u);
  auto sibling = folders.open("sat/r/b");
  EXPECT_EQ(folders.size(), 4u);
  EXPECT_EQ(identity(sibling->get()), identity(m_root / "sat/r/b"));
}

TEST_F(SyncFolderHandleCache, EvictsTheLeastRecentlyUsedButKeepsHeldDescriptorsOpen) {
  FolderHandleCache folders(m_root, 2);
  auto a = folders.open("a");
  folders.open("b");
  folders.open("a");  // a is now the most recent
  folders.open("c");  // evicts b
  EXPECT_EQ(folders.size(), 2u);
  EXPECT_EQ(folders.open("a").get(), a.get());
  // An evicted descriptor a writer still holds stays valid.
  FolderHandleCache tiny(m_root, 1);
  auto held = tiny.open("x");
  tiny.open("y");
  EXPECT_EQ(identity(held->get()), identity(m_root / "x"));
}

TEST_F(SyncFolderHandleCache, RefusesASymlinkAndAFileOnTheWay) {
  fs::create_directory_symlink(m_base / "outside", m_root / "link");
  fs::create_directory(m_root / "sat");
  { std::ofstream(m_root / "sat/file") << "x"; }
  FolderHandleCache folders(m_root);
  EXPECT_THROW(folders.open("link/r"), gsync::Error);
  EXPECT_THROW(folders.open("sat/file/r"), gsync::Error);
  EXPECT_TRUE(fs::is_empty(m_base / "outside"));
}

TEST_F(SyncFolderHandleCache, ForgetDropsTheFolderAndEverythingBelowIt) {
  FolderHandleCache folders(m_root);
  auto deep = folders.open("sat/r/a");
  folders.open("other");
  folders.forget("sat/r");
  EXPECT_EQ(folders.size(), 2u);  // "sat" and "other"
  EXPECT_NE(folders.open("sat/r/a").get(), deep.get());
  folders.forget("");
  EXPECT_EQ(folders.size(), 0u);
}

TEST_F(SyncFolderHandleCache, AWriterRecoversWhenItsCachedFolderWasRemoved) {
  FolderHandleCache folders(m_root);
  {
    AtomicFileWriter writer(folders, "sat/r/one.tif");
    writer.write("one");
    writer.commit(std::chrono::system_clock::now(), 3, false);
  }
  // Someone tidies the folder away while its descriptor is cached.
  fs::remove_all(m_root / "sat/r");
  AtomicFileWriter writer(folders, "sat/r/two.tif");
  writer.write("two");
  writer.commit(std::chrono::system_clock::now(), 3, false);
  EXPECT_TRUE(fs::is_regular_file(m_root / "sat/r/two.tif"));
}

}  // namespace
