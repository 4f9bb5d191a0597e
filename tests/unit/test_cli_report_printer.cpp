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
