#include <algorithm>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include "sync/atomic_file_writer.hpp"
#include "util/error.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using gsync::sync::AtomicFileWriter;
using gsync::sync::CommitResult;
using gsync::sync::is_temp_file_name;
using Clock = std::chrono::system_clock;

const Clock::time_point k_mtime = Clock::time_point(1754316471s) + 123456789ns;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

// Everything under a folder, recursively, as relative paths (symlinks not followed).
std::vector<std::string> all_entries(const fs::path& root) {
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    names.push_back(fs::relative(entry.path(), root).native());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class SyncAtomicFileWriter : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/gsync-test-writer-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    m_base = pattern;
    m_root = m_base / "data";
    m_outside = m_base / "outside";
    fs::create_directory(m_root);
    fs::create_directory(m_outside);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(m_base, ignored);
  }

  fs::path m_base;
  fs::path m_root;
  fs::path m_outside;
};

TEST_F(SyncAtomicFileWriter, CommitPutsContentUnderTheRealNameWithTheMtime) {
  {
    AtomicFileWriter writer(m_root, "sat/r/a.tif");
    writer.write("hello ");
    writer.write("world");
    EXPECT_EQ(writer.bytes_written(), 11u);
    EXPECT_EQ(writer.relative_path(), fs::path("sat/r/a.tif"));
    EXPECT_EQ(writer.commit(k_mtime, 11, false), CommitResult::committed);
  }
  EXPECT_EQ(read_file(m_root / "sat/r/a.tif"), "hello world");
  struct stat st {};
  ASSERT_EQ(::stat((m_root / "sat/r/a.tif").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 1754316471);
  EXPECT_EQ(st.st_mtim.tv_nsec, 123456789);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  const mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(st.st_mode & 0777, 0666 & ~mask);  // the umask decides, as for cp and aws-cli
  EXPECT_EQ(all_entries(m_root),
            (std::vector<std::string>{"sat", "sat/r", "sat/r/a.tif"}));  // no temp left
}

TEST_F(SyncAtomicFileWriter, NothingUnderTheRealNameBeforeCommit) {
  AtomicFileWriter writer(m_root, "r/a.tif");
  EXPECT_FALSE(fs::exists(m_root / "r"));  // lazy: nothing touched before the first write
  writer.write("partial");
  EXPECT_FALSE(fs::exists(m_root / "r/a.tif"));
  const std::string temp = writer.temp_file_name();
  EXPECT_TRUE(is_temp_file_name(temp)) << temp;
  EXPECT_EQ(temp.rfind(".a.tif.", 0), 0u) << temp;
  EXPECT_EQ(read_file(m_root / "r" / temp), "partial");  // in the destination's own folder
  writer.write("+rest");
  EXPECT_EQ(writer.commit(k_mtime, 12, false), CommitResult::committed);
  EXPECT_EQ(read_file(m_root / "r/a.tif"), "partial+rest");
  EXPECT_FALSE(fs::exists(m_root / "r" / temp));
}

TEST_F(SyncAtomicFileWriter, DestructorWithoutCommitLeavesNothing) {
  {
    AtomicFileWriter writer(m_root, "r/a.tif");
    writer.write("some bytes");
    ASSERT_FALSE(writer.temp_file_name().empty());
    ASSERT_TRUE(fs::exists(m_root / "r" / writer.temp_file_name()));
  }
  EXPECT_EQ(all_entries(m_root), (std::vector<std::string>{"r"}));
}

TEST_F(SyncAtomicFileWriter, AbortRemovesTheTempFileAndRefusesMore) {
  AtomicFileWriter writer(m_root, "a.tif");
  writer.write("x");
  writer.abort();
  EXPECT_TRUE(all_entries(m_root).empty());
  EXPECT_THROW(writer.write("y"), gsync::Error);
  EXPECT_THROW(writer.commit(k_mtime, 1, false), gsync::Error);
  EXPECT_TRUE(all_entries(m_root).empty());
}

TEST_F(SyncAtomicFileWriter, SafeCommitNeverOverwritesAnExistingFile) {
  write_file(m_root / "a.tif", "theirs, do not touch");
  const auto before = fs::last_write_time(m_root / "a.tif");
  AtomicFileWriter writer(m_root, "a.tif");
  writer.write("ours");
  EXPECT_EQ(writer.commit(k_mtime, 4, false), CommitResult::already_exists);
  EXPECT_EQ(read_file(m_root / "a.tif"), "theirs, do not touch");
  EXPECT_EQ(fs::last_write_time(m_root / "a.tif"), before);
  EXPECT_EQ(all_entries(m_root), (std::vector<std::string>{"a.tif"}));  // our temp is gone
}

TEST_F(SyncAtomicFileWriter, SafeCommitDoesNotReplaceASymlinkOrFolderEither) {
  write_file(m_outside / "target", "outside");
  fs::create_symlink(m_outside / "target", m_root / "link.tif");
  fs::create_directory(m_root / "folder.tif");
  for (const char* name : {"link.tif", "folder.tif"}) {
    AtomicFileWriter writer(m_root, name);
    writer.write("ours");
    EXPECT_EQ(writer.commit(k_mtime, 4, false), CommitResult::already_exists) << name;
  }
  EXPECT_TRUE(fs::is_symlink(m_root / "link.tif"));
  EXPECT_EQ(read_file(m_outside / "target"), "outside");
  EXPECT_TRUE(fs::is_directory(m_root / "folder.tif"));
}

TEST_F(SyncAtomicFileWriter, ReplaceCommitReplacesAtomically) {
  write_file(m_root / "a.tif", "old content");
  AtomicFileWriter writer(m_root, "a.tif");
  writer.write("new");
  EXPECT_EQ(writer.commit(k_mtime, 3, true), CommitResult::committed);
  EXPECT_EQ(read_file(m_root / "a.tif"), "new");
  EXPECT_EQ(all_entries(m_root), (std::vector<std::string>{"a.tif"}));
}

TEST_F(SyncAtomicFileWriter, ReplaceCommitReplacesASymlinkNotItsTarget) {
  write_file(m_outside / "target", "outside");
  fs::create_symlink(m_outside / "target", m_root / "a.tif");
  AtomicFileWriter writer(m_root, "a.tif");
  writer.write("new");
  EXPECT_EQ(writer.commit(k_mtime, 3, true), CommitResult::committed);
  EXPECT_FALSE(fs::is_symlink(m_root / "a.tif"));
  EXPECT_EQ(read_file(m_root / "a.tif"), "new");
  EXPECT_EQ(read_file(m_outside / "target"), "outside");
}

TEST_F(SyncAtomicFileWriter, WrongByteCountThrowsAndLeavesNoFile) {
  AtomicFileWriter writer(m_root, "r/a.tif");
  writer.write("12345");
  try {
    writer.commit(k_mtime, 10, false);
    FAIL() << "commit should have thrown";
  } catch (const gsync::Error& error) {
    EXPECT_NE(std::string(error.what()).find("truncated: got 5 of 10 bytes"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(all_entries(m_root), (std::vector<std::string>{"r"}));
}

TEST_F(SyncAtomicFileWriter, TooManyBytesAlsoThrows) {
  AtomicFileWriter writer(m_root, "a.tif");
  writer.write("12345");
  EXPECT_THROW(writer.commit(k_mtime, 4, true), gsync::Error);
  EXPECT_TRUE(all_entries(m_root).empty());
}

TEST_F(SyncAtomicFileWriter, CreatesNestedFolders) {
  AtomicFileWriter writer(m_root,
                          "1_download_merge_and_clip/sentinel2/134_Arsuk/download/2025/t.tif");
  writer.write("tile");
  EXPECT_EQ(writer.commit(k_mtime, 4, false), CommitResult::committed);
  EXPECT_EQ(read_file(m_root / "1_download_merge_and_clip/sentinel2/134_Arsuk/download/2025/t.tif"),
            "tile");
}

TEST_F(SyncAtomicFileWriter, ReusesExistingFolders) {
  fs::create_directories(m_root / "r/sub");
  write_file(m_root / "r/sub/other", "keep");
  AtomicFileWriter writer(m_root, "r/sub/a.tif");
  writer.write("a");
  EXPECT_EQ(writer.commit(k_mtime, 1, false), CommitResult::committed);
  EXPECT_EQ(read_file(m_root / "r/sub/other"), "keep");
  EXPECT_EQ(read_file(m_root / "r/sub/a.tif"), "a");
}

TEST_F(SyncAtomicFileWriter, RefusesASymlinkedFolderPointingOutside) {
  fs::create_directory(m_root / "r");
  fs::create_directory_symlink(m_outside, m_root / "r/evil");
  AtomicFileWriter writer(m_root, "r/evil/sub/a.tif");
  try {
    writer.write("payload");
    FAIL() << "write through a symlinked folder should have thrown";
  } catch (const gsync::Error& error) {
    EXPECT_NE(std::string(error.what()).find("symlink"), std::string::npos) << error.what();
  }
  EXPECT_THROW(writer.commit(k_mtime, 7, false), gsync::Error);
  EXPECT_TRUE(all_entries(m_outside).empty());  // nothing written, not even a folder
  EXPECT_TRUE(fs::is_symlink(m_root / "r/evil"));
}

TEST_F(SyncAtomicFileWriter, RefusesASymlinkedFirstFolderToo) {
  fs::create_directory_symlink(m_outside, m_root / "evil");
  AtomicFileWriter writer(m_root, "evil/a.tif");
  EXPECT_THROW(writer.commit(k_mtime, 0, false), gsync::Error);
  EXPECT_TRUE(all_entries(m_outside).empty());
}

TEST_F(SyncAtomicFileWriter, AFileWhereAFolderShouldBeIsAnError) {
  write_file(m_root / "r", "a file");
  AtomicFileWriter writer(m_root, "r/a.tif");
  EXPECT_THROW(writer.write("x"), gsync::Error);
  EXPECT_EQ(read_file(m_root / "r"), "a file");
}

TEST_F(SyncAtomicFileWriter, EmptyFileCommit) {
  AtomicFileWriter writer(m_root, "r/empty.txt");
  writer.write("");
  EXPECT_FALSE(fs::exists(m_root / "r"));  // an empty write opens nothing
  EXPECT_EQ(writer.commit(k_mtime, 0, false), CommitResult::committed);
  EXPECT_TRUE(fs::is_regular_file(m_root / "r/empty.txt"));
  EXPECT_EQ(fs::file_size(m_root / "r/empty.txt"), 0u);
  EXPECT_EQ(all_entries(m_root), (std::vector<std::string>{"r", "r/empty.txt"}));
}

TEST_F(SyncAtomicFileWriter, CommitTwiceThrows) {
  AtomicFileWriter writer(m_root, "a.tif");
  writer.write("a");
  ASSERT_EQ(writer.commit(k_mtime, 1, false), CommitResult::committed);
  EXPECT_THROW(writer.commit(k_mtime, 1, true), gsync::Error);
  EXPECT_EQ(read_file(m_root / "a.tif"), "a");
}

TEST_F(SyncAtomicFileWriter, MovedWriterKeepsOwnershipOfItsTempFile) {
  std::string temp;
  {
    AtomicFileWriter first(m_root, "a.tif");
    first.write("ab");
    temp = first.temp_file_name();
    AtomicFileWriter second(std::move(first));
    EXPECT_TRUE(fs::exists(m_root / temp));
    second.write("c");
    EXPECT_EQ(second.commit(k_mtime, 3, false), CommitResult::committed);
  }
  EXPECT_EQ(read_file(m_root / "a.tif"), "abc");
  EXPECT_FALSE(fs::exists(m_root / temp));
}

TEST_F(SyncAtomicFileWriter, MoveAssignmentAbortsTheOverwrittenWriter) {
  AtomicFileWriter target(m_root, "old.tif");
  target.write("old");
  AtomicFileWriter source(m_root, "new.tif");
  source.write("new");
  target = std::move(source);
  EXPECT_EQ(target.commit(k_mtime, 3, false), CommitResult::committed);
  EXPECT_EQ(all_entries(m_root), (std::vector<std::string>{"new.tif"}));
}

TEST_F(SyncAtomicFileWriter, RefusesUnsafeRelativePaths) {
  EXPECT_THROW(AtomicFileWriter(m_root, "../escape.tif"), gsync::Error);
  EXPECT_THROW(AtomicFileWriter(m_root, "r/../../escape.tif"), gsync::Error);
  EXPECT_THROW(AtomicFileWriter(m_root, "/etc/passwd"), gsync::Error);
  EXPECT_THROW(AtomicFileWriter(m_root, ""), gsync::Error);
  EXPECT_THROW(AtomicFileWriter(m_root, "r/"), gsync::Error);
  EXPECT_TRUE(all_entries(m_base / "outside").empty());
}

TEST_F(SyncAtomicFileWriter, LongNamesGetAShortenedTempName) {
  const std::string name(255, 'n');
  AtomicFileWriter writer(m_root, name);
  writer.write("x");
  EXPECT_LE(writer.temp_file_name().size(), 255u);
  EXPECT_TRUE(is_temp_file_name(writer.temp_file_name()));
  EXPECT_EQ(writer.commit(k_mtime, 1, false), CommitResult::committed);
  EXPECT_EQ(read_file(m_root / name), "x");
}

TEST_F(SyncAtomicFileWriter, MissingDataRootIsAnError) {
  AtomicFileWriter writer(m_base / "no-such-root", "a.tif");
  EXPECT_THROW(writer.write("x"), gsync::Error);
  EXPECT_FALSE(fs::exists(m_base / "no-such-root"));
}

// The link+unlink fallback is what runs on NFS, where renameat2 flags are refused.
TEST_F(SyncAtomicFileWriter, LinkFallbackPlacesTheFileWhenTheNameIsFree) {
  write_file(m_root / ".a.tif.0123abcd.gsync-tmp", "content");
  const int folder = ::open(m_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(folder, 0);
  EXPECT_EQ(gsync::sync::detail::link_then_unlink(folder, ".a.tif.0123abcd.gsync-tmp", "a.tif"), 0);
  ::close(folder);
  EXPECT_EQ(read_file(m_root / "a.tif"), "content");
  EXPECT_EQ(all_entries(m_root), (std::vector<std::string>{"a.tif"}));
}

TEST_F(SyncAtomicFileWriter, LinkFallbackNeverOverwrites) {
  write_file(m_root / ".a.tif.0123abcd.gsync-tmp", "ours");
  write_file(m_root / "a.tif", "theirs");
  const int folder = ::open(m_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(folder, 0);
  EXPECT_EQ(gsync::sync::detail::link_then_unlink(folder, ".a.tif.0123abcd.gsync-tmp", "a.tif"),
            EEXIST);
  ::close(folder);
  EXPECT_EQ(read_file(m_root / "a.tif"), "theirs");
  EXPECT_EQ(read_file(m_root / ".a.tif.0123abcd.gsync-tmp"), "ours");  // the writer removes it
}

TEST(SyncTempFileName, RecognisesOnlyTheWritersPattern) {
  EXPECT_TRUE(is_temp_file_name(".a.tif.0123abcd.gsync-tmp"));
  EXPECT_TRUE(is_temp_file_name(".x.ffffffff.gsync-tmp"));
  EXPECT_FALSE(is_temp_file_name("a.tif.0123abcd.gsync-tmp"));   // no leading dot
  EXPECT_FALSE(is_temp_file_name("..0123abcd.gsync-tmp"));       // empty name
  EXPECT_FALSE(is_temp_file_name(".a.tif.0123abc.gsync-tmp"));   // 7 digits
  EXPECT_FALSE(is_temp_file_name(".a.tif.0123ABCD.gsync-tmp"));  // upper case
  EXPECT_FALSE(is_temp_file_name(".a.tif.0123abcg.gsync-tmp"));  // not hex
  EXPECT_FALSE(is_temp_file_name(".a.tif.0123abcd.gsync-tmpx"));
  EXPECT_FALSE(is_temp_file_name(".a.tif"));
  EXPECT_FALSE(is_temp_file_name("a.tif"));
}

}  // namespace

namespace {

using gsync::sync::FolderHandleCache;
using gsync::sync::is_partial_file_name;
using gsync::sync::remove_if_abandoned;

TEST_F(SyncAtomicFileWriter, PartialFileHasAStableNameAndSurvivesAnInterruption) {
  FolderHandleCache folders(m_root);
  {
    auto writer = AtomicFileWriter::open_partial(folders, "sat/r/big.tif");
    ASSERT_TRUE(writer);
    EXPECT_TRUE(writer->is_partial());
    writer->write_at(0, "hello");
    writer->write_journal_at(10, "journal");
    EXPECT_EQ(writer->bytes_written(), 5u);  // the journal is not object bytes
    // Destroyed without commit, as in an interrupted run: the file stays for the next one.
  }
  EXPECT_EQ(all_entries(m_root),
            (std::vector<std::string>{"sat", "sat/r", "sat/r/.big.tif.gsync-part"}));
  EXPECT_TRUE(is_partial_file_name(".big.tif.gsync-part"));
  EXPECT_FALSE(is_partial_file_name("big.tif"));

  auto again = AtomicFileWriter::open_partial(folders, "sat/r/big.tif");
  ASSERT_TRUE(again);
  char buffer[7] = {};
  ASSERT_EQ(again->read_at(10, buffer, sizeof buffer), 7u);
  EXPECT_EQ(std::string(buffer, 7), "journal");
  again->note_existing_bytes(5);
  // Commit drops the journal after the object's bytes.
  EXPECT_EQ(again->commit(k_mtime, 5, false), CommitResult::committed);
  EXPECT_EQ(read_file(m_root / "sat/r/big.tif"), "hello");
  EXPECT_EQ(all_entries(m_root), (std::vector<std::string>{"sat", "sat/r", "sat/r/big.tif"}));
}

TEST_F(SyncAtomicFileWriter, APartialFileInUseIsNotOpenedTwiceNorRemoved) {
  FolderHandleCache folders(m_root);
  auto first = AtomicFileWriter::open_partial(folders, "sat/big.tif");
  ASSERT_TRUE(first);
  first->write_at(0, "x");
  // flock locks belong to the open file description: a second open, as another process
  // would do, does not get the lock.
  EXPECT_FALSE(AtomicFileWriter::open_partial(folders, "sat/big.tif"));
  const int folder = ::open((m_root / "sat").c_str(), O_RDONLY | O_DIRECTORY);
  EXPECT_FALSE(remove_if_abandoned(folder, ".big.tif.gsync-part"));
  EXPECT_TRUE(fs::exists(m_root / "sat/.big.tif.gsync-part"));
  first.reset();  // kept (interrupted), and no longer locked
  EXPECT_TRUE(remove_if_abandoned(folder, ".big.tif.gsync-part"));
  EXPECT_FALSE(fs::exists(m_root / "sat/.big.tif.gsync-part"));
  ::close(folder);
}

TEST_F(SyncAtomicFileWriter, AFailedPartialIsRemovedWhenNotKept) {
  FolderHandleCache folders(m_root);
  auto writer = AtomicFileWriter::open_partial(folders, "sat/big.tif");
  ASSERT_TRUE(writer);
  writer->write_at(0, "abc");
  writer->keep_partial_on_abort(false);
  writer->abort();
  EXPECT_EQ(all_entries(m_root), (std::vector<std::string>{"sat"}));
}

TEST_F(SyncAtomicFileWriter, LiveTempFilesAreNotRemovedAsAbandoned) {
  AtomicFileWriter writer(m_root, "sat/small.tif");
  writer.write("abc");
  const int folder = ::open((m_root / "sat").c_str(), O_RDONLY | O_DIRECTORY);
  EXPECT_FALSE(remove_if_abandoned(folder, writer.temp_file_name()));
  EXPECT_TRUE(fs::exists(m_root / "sat" / writer.temp_file_name()));
  // A temp file nobody holds (its writer was killed) goes.
  write_file(m_root / "sat/.dead.tif.0123abcd.gsync-tmp", "partial");
  EXPECT_TRUE(remove_if_abandoned(folder, ".dead.tif.0123abcd.gsync-tmp"));
  // A symlink is never followed nor removed as a leftover.
  fs::create_symlink(m_outside, m_root / "sat/.link.0123abcd.gsync-tmp");
  EXPECT_FALSE(remove_if_abandoned(folder, ".link.0123abcd.gsync-tmp"));
  ::close(folder);
}

}  // namespace
