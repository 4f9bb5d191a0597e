#include <gtest/gtest.h>

#include "cli/report_printer.hpp"

using namespace gsync;

TEST(ReportPrinter, SummaryLineNamesEveryCount) {
  sync::SyncReport report;
  report.downloaded = 3;
  report.skipped = 4;
  report.kept = 1;
  report.failed = 2;
  report.refused = 5;
  report.excluded = 6;
  EXPECT_EQ(cli::summary_line(report, false),
            "Summary: downloaded 3, skipped 4, kept 1, failed 2, refused 5, excluded 6");
  EXPECT_EQ(cli::summary_line(report, true),
            "Summary: downloaded 3, skipped 4, kept 1, failed 2, refused 5, excluded 6 (dry run: "
            "what would happen; nothing was written)");
}

TEST(ReportPrinter, VerificationLineCountsWhatWasCheckedAndWhyNot) {
  sync::SyncReport report;
  report.verified = 41;
  report.add_not_verified("multipart ETag");
  report.add_not_verified("multipart ETag");
  report.add_not_verified("encrypted with a KMS or customer key, so its ETag is not an MD5");
  EXPECT_EQ(cli::verification_line(report),
            "Verified: 41 (MD5 ETag or S3 checksum); not verified: 3 (encrypted with a KMS or "
            "customer key, so its ETag is not an MD5: 1; multipart ETag: 2)");
  sync::SyncReport all_checked;
  all_checked.verified = 2;
  EXPECT_EQ(cli::verification_line(all_checked),
            "Verified: 2 (MD5 ETag or S3 checksum); not verified: 0");
}
