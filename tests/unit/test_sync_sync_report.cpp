#include <gtest/gtest.h>

#include "sync/sync_report.hpp"

using gsync::sync::SyncReport;

TEST(SyncReport, MergeAddsCountsAndLists) {
  SyncReport first;
  first.downloaded = 2;
  first.bytes = 100;
  first.kept = 1;
  first.kept_files.push_back({"a", 1, 2});
  SyncReport second;
  second.downloaded = 3;
  second.failed = 1;
  second.bytes = 50;
  second.excluded_folders = 4;
  second.failures.push_back({"s3://b/k", "HTTP 500"});
  first.merge(second);
  EXPECT_EQ(first.downloaded, 5u);
  EXPECT_EQ(first.bytes, 150u);
  EXPECT_EQ(first.failed, 1u);
  EXPECT_EQ(first.excluded_folders, 4u);
  ASSERT_EQ(first.kept_files.size(), 1u);
  ASSERT_EQ(first.failures.size(), 1u);
  EXPECT_EQ(first.failures[0].reason, "HTTP 500");
}
