#include <map>

#include <gtest/gtest.h>

#include "sync/planner.hpp"
#include "util/error.hpp"

using namespace gsync::sync;
using namespace std::chrono_literals;

namespace {

const auto k_modified = std::chrono::system_clock::time_point(1'700'000'000s);

class PlannerTest : public ::testing::Test {
 protected:
  PlannerTest() {
    job.bucket = "bucket";
    job.root_prefix = "1_download_merge_and_clip/sentinel2/";
    job.data_root = "/data";
  }

  PlanStep plan(const std::string& key, std::uint64_t size = 10) {
    Planner planner(job, [this](const std::filesystem::path& path) -> std::optional<LocalFileInfo> {
      stat_calls.push_back(path);
      if (path == "/data/1_download_merge_and_clip/sentinel2/broken/stat.tif") {
        throw gsync::Error("Permission denied");
      }
      auto found = local_files.find(path);
      if (found == local_files.end()) {
        return std::nullopt;
      }
      return found->second;
    });
    return planner.plan(RemoteObject{key, size, k_modified, "\"etag\""});
  }

  SyncJob job;
  std::map<std::filesystem::path, LocalFileInfo> local_files;
  std::vector<std::filesystem::path> stat_calls;
};

}  // namespace

TEST_F(PlannerTest, MissingLocalFileIsDownloadedToTheMappedPath) {
  const auto step = plan("1_download_merge_and_clip/sentinel2/001_x/a b+c.tif");
  EXPECT_EQ(step.kind, StepKind::download);
  EXPECT_EQ(step.relative_path, "1_download_merge_and_clip/sentinel2/001_x/a b+c.tif");
  ASSERT_EQ(stat_calls.size(), 1u);
  EXPECT_EQ(stat_calls[0], "/data/1_download_merge_and_clip/sentinel2/001_x/a b+c.tif");
}

TEST_F(PlannerTest, SafeModeSkipsSameSizeAndKeepsDifferentSize) {
  local_files["/data/1_download_merge_and_clip/sentinel2/same.tif"] = {10, k_modified - 1h, true};
  local_files["/data/1_download_merge_and_clip/sentinel2/differs.tif"] = {11, k_modified, true};
  EXPECT_EQ(plan("1_download_merge_and_clip/sentinel2/same.tif").kind, StepKind::skip);
  const auto kept = plan("1_download_merge_and_clip/sentinel2/differs.tif");
  EXPECT_EQ(kept.kind, StepKind::keep);
  ASSERT_TRUE(kept.local.has_value());
  EXPECT_EQ(kept.local->size, 11u);
}

TEST_F(PlannerTest, ForceReplacesWhenTimeDiffers) {
  job.policy = OverwritePolicy::when_different;
  local_files["/data/1_download_merge_and_clip/sentinel2/old.tif"] = {10, k_modified - 2s, true};
  EXPECT_EQ(plan("1_download_merge_and_clip/sentinel2/old.tif").kind, StepKind::replace);
}

TEST_F(PlannerTest, ExcludedKeysAreNeverStatted) {
  job.exclude = ExcludeFilter("download");
  EXPECT_EQ(plan("1_download_merge_and_clip/sentinel2/001_x/download/2020/a.tif").kind,
            StepKind::excluded);
  EXPECT_TRUE(stat_calls.empty());
  EXPECT_EQ(plan("1_download_merge_and_clip/sentinel2/001_x/result.tif").kind, StepKind::download);
}

TEST_F(PlannerTest, UnsafeKeysAreRefusedWithAReason) {
  const auto step = plan("1_download_merge_and_clip/sentinel2/../../etc/passwd");
  EXPECT_EQ(step.kind, StepKind::refused);
  EXPECT_FALSE(step.reason.empty());
  EXPECT_TRUE(stat_calls.empty());
}

TEST_F(PlannerTest, DirectoryMarkersWriteNothing) {
  EXPECT_EQ(plan("1_download_merge_and_clip/sentinel2/001_x/", 0).kind, StepKind::directory_marker);
  EXPECT_TRUE(stat_calls.empty());
}

TEST_F(PlannerTest, LocalDirectoryInTheWayIsAProblemNotAnOverwrite) {
  job.policy = OverwritePolicy::when_different;
  local_files["/data/1_download_merge_and_clip/sentinel2/dir.tif"] = {4096, k_modified, false};
  EXPECT_EQ(plan("1_download_merge_and_clip/sentinel2/dir.tif").kind, StepKind::local_problem);
}

TEST_F(PlannerTest, StatFailureIsAProblemForThatFileOnly) {
  const auto step = plan("1_download_merge_and_clip/sentinel2/broken/stat.tif");
  EXPECT_EQ(step.kind, StepKind::local_problem);
  EXPECT_EQ(step.reason, "Permission denied");
}
