#include <gtest/gtest.h>

#include "sync/exclude_filter.hpp"
#include "util/error.hpp"

namespace {

using gsync::sync::ExcludeFilter;

TEST(SyncExcludeFilter, ExcludesDownloadFolderAtEveryDepth) {
  const ExcludeFilter filter("download");
  EXPECT_TRUE(filter.active());
  EXPECT_TRUE(filter.excludes_key_remainder("download/a.tif"));             // depth 1
  EXPECT_TRUE(filter.excludes_key_remainder("001_x/download/2020/a.tif"));  // depth 2
  EXPECT_TRUE(filter.excludes_key_remainder("001_x/sub/download/a.tif"));   // depth 3
  EXPECT_TRUE(filter.excludes_key_remainder("001_x/download/"));            // marker
}

TEST(SyncExcludeFilter, KeepsEverythingElse) {
  const ExcludeFilter filter("download");
  EXPECT_FALSE(filter.excludes_key_remainder("001_x/clipped/a.tif"));
  EXPECT_FALSE(filter.excludes_key_remainder("001_x/metadata/combined_csv/a.csv"));
  EXPECT_FALSE(filter.excludes_key_remainder("a.tif"));
}

TEST(SyncExcludeFilter, AFileNamedDownloadIsNotExcluded) {
  const ExcludeFilter filter("download");
  EXPECT_FALSE(filter.excludes_key_remainder("001_x/download"));
  EXPECT_FALSE(filter.excludes_key_remainder("download"));
  EXPECT_FALSE(filter.excludes_key_remainder("001_x/download.tif"));
}

TEST(SyncExcludeFilter, OnlyWholeSegmentsMatch) {
  const ExcludeFilter filter("download");
  EXPECT_FALSE(filter.excludes_key_remainder("001_x/downloads/a.tif"));
  EXPECT_FALSE(filter.excludes_key_remainder("001_x/predownload/a.tif"));
  EXPECT_FALSE(filter.excludes_key_remainder("001_x/Download/a.tif"));
  EXPECT_FALSE(filter.excludes_common_prefix("001_x/downloads/"));
}

TEST(SyncExcludeFilter, InactiveFilterExcludesNothing) {
  const ExcludeFilter filter;
  EXPECT_FALSE(filter.active());
  EXPECT_FALSE(filter.excludes_key_remainder("001_x/download/2020/a.tif"));
  EXPECT_FALSE(filter.excludes_common_prefix("001_x/download/"));
}

TEST(SyncExcludeFilter, PrunesCommonPrefixes) {
  const ExcludeFilter filter("download");
  EXPECT_TRUE(filter.excludes_common_prefix("001_x/download/"));
  EXPECT_TRUE(filter.excludes_common_prefix("download/"));
  EXPECT_TRUE(filter.excludes_common_prefix("001_x/download/2020/"));
  EXPECT_FALSE(filter.excludes_common_prefix("001_x/"));
  EXPECT_FALSE(filter.excludes_common_prefix("001_x/clipped/"));
}

TEST(SyncExcludeFilter, UsesTheConfiguredFolderName) {
  const ExcludeFilter filter("raw");
  EXPECT_TRUE(filter.excludes_key_remainder("001_x/raw/a.tif"));
  EXPECT_FALSE(filter.excludes_key_remainder("001_x/download/a.tif"));
}

TEST(SyncExcludeFilter, AcceptsTheOldScriptsSpellingWithSlashes) {
  const ExcludeFilter filter("download/");
  EXPECT_EQ(filter.folder_name(), "download");
  EXPECT_TRUE(filter.excludes_key_remainder("001_x/download/a.tif"));
}

TEST(SyncExcludeFilter, RejectsNamesThatCouldNeverMatch) {
  EXPECT_THROW(ExcludeFilter(""), gsync::Error);
  EXPECT_THROW(ExcludeFilter("/"), gsync::Error);
  EXPECT_THROW(ExcludeFilter("a/download"), gsync::Error);
}

}  // namespace
