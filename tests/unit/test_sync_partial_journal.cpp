#include <string>

#include <gtest/gtest.h>

#include "sync/partial_journal.hpp"

namespace gsync::sync {
namespace {

const std::string k_etag = "\"0123456789abcdef0123456789abcdef-3\"";

TEST(SyncPartialJournal, RoundTripsHeaderAndDoneParts) {
  PartialJournal journal(k_etag, 3000);
  std::string text =
      journal.header() + PartialJournal::done_line(1000, 2000) + PartialJournal::done_line(0, 1000);
  const auto parsed = PartialJournal::parse(text, k_etag, 3000);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->covers(0, 1000));
  EXPECT_TRUE(parsed->covers(1000, 2000));
  EXPECT_TRUE(parsed->covers(1500, 1800));
  EXPECT_FALSE(parsed->covers(2000, 3000));
  EXPECT_FALSE(parsed->covers(500, 1500));  // spans two records: not one recorded part
  EXPECT_EQ(parsed->done_bytes(), 2000u);
  EXPECT_EQ(parsed->text_length(), text.size());
}

TEST(SyncPartialJournal, AnotherVersionOfTheObjectIsNotResumed) {
  const std::string text =
      PartialJournal(k_etag, 3000).header() + PartialJournal::done_line(0, 1000);
  EXPECT_FALSE(PartialJournal::parse(text, "\"another-etag\"", 3000));
  EXPECT_FALSE(PartialJournal::parse(text, k_etag, 3001));
  EXPECT_FALSE(PartialJournal::parse("", k_etag, 3000));
  EXPECT_FALSE(PartialJournal::parse(std::string(4096, '\0'), k_etag, 3000));  // bytes, no journal
}

TEST(SyncPartialJournal, ATornLastLineIsIgnoredAndOverwritten) {
  const std::string good =
      PartialJournal(k_etag, 3000).header() + PartialJournal::done_line(0, 1000);
  const auto parsed = PartialJournal::parse(good + "done 1000 20", k_etag, 3000);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->done_bytes(), 1000u);
  EXPECT_EQ(parsed->text_length(), good.size());  // the next line goes over the torn one
}

TEST(SyncPartialJournal, NonsenseRangesStopTheParse) {
  const std::string header = PartialJournal(k_etag, 3000).header();
  for (const std::string bad :
       {"done 2000 1000\n", "done 0 4000\n", "done x 10\n", "done 5\n", "gone 0 10\n"}) {
    const auto parsed =
        PartialJournal::parse(header + bad + PartialJournal::done_line(0, 1000), k_etag, 3000);
    ASSERT_TRUE(parsed) << bad;
    EXPECT_EQ(parsed->done_bytes(), 0u) << bad;
    EXPECT_EQ(parsed->text_length(), header.size()) << bad;
  }
}

}  // namespace
}  // namespace gsync::sync
