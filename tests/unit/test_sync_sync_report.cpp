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

TEST(SyncReportVerification, MergeAddsVerificationResumeAndLeftoverCounts) {
  gsync::sync::SyncReport a;
  a.verified = 1;
  a.add_not_verified("multipart ETag");
  a.resumed = 1;
  a.resumed_bytes = 100;
  gsync::sync::SyncReport b;
  b.verified = 2;
  b.add_not_verified("multipart ETag");
  b.leftovers_removed = 3;
  a.merge(b);
  EXPECT_EQ(a.verified, 3u);
  EXPECT_EQ(a.not_verified, 2u);
  EXPECT_EQ(a.not_verified_reasons.at("multipart ETag"), 2u);
  EXPECT_EQ(a.resumed, 1u);
  EXPECT_EQ(a.resumed_bytes, 100u);
  EXPECT_EQ(a.leftovers_removed, 3u);
}
