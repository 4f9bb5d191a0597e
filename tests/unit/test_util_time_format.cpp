#include <gtest/gtest.h>

#include "util/time_format.hpp"

namespace gsync::util {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

SystemTime at(year_month_day date, seconds time_of_day) {
  return SystemTime{sys_days{date} + time_of_day};
}

TEST(UtilTimeFormat, FormatsAmzDateAndDateStamp) {
  const SystemTime t = at(2015y / August / 30, 12h + 36min);
  EXPECT_EQ(format_amz_date(t), "20150830T123600Z");
  EXPECT_EQ(format_date_stamp(t), "20150830");
}

TEST(UtilTimeFormat, FormattingDropsSubSecondsAndPadsFields) {
  const SystemTime t = at(2001y / January / 2, 3h + 4min + 5s) + 999ms;
  EXPECT_EQ(format_amz_date(t), "20010102T030405Z");
}

TEST(UtilTimeFormat, FormatsTimesBeforeTheEpoch) {
  EXPECT_EQ(format_amz_date(at(1969y / December / 31, 23h + 59min + 59s)), "19691231T235959Z");
}

TEST(UtilTimeFormat, ParsesIso8601WithAndWithoutMillis) {
  const SystemTime whole = at(2019y / October / 12, 17h + 50min + 30s);
  EXPECT_EQ(parse_iso8601("2019-10-12T17:50:30Z"), whole);
  EXPECT_EQ(parse_iso8601("2019-10-12T17:50:30.000Z"), whole);
  EXPECT_EQ(parse_iso8601("2019-10-12T17:50:30.250Z"), whole + 250ms);
  EXPECT_EQ(parse_iso8601("2019-10-12T17:50:30.123456Z"), whole + 123456us);
}

TEST(UtilTimeFormat, ParsesIso8601Offsets) {
  const SystemTime utc = at(2019y / October / 12, 17h + 50min + 30s);
  EXPECT_EQ(parse_iso8601("2019-10-12T19:50:30+02:00"), utc);
  EXPECT_EQ(parse_iso8601("2019-10-12T12:20:30.000-05:30"), utc);
}

TEST(UtilTimeFormat, RejectsBadIso8601) {
  EXPECT_EQ(parse_iso8601(""), std::nullopt);
  EXPECT_EQ(parse_iso8601("2019-10-12T17:50:30"), std::nullopt);  // no zone
  EXPECT_EQ(parse_iso8601("2019-10-12 17:50:30Z"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2019-10-12T17:50:30.Z"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2019-10-12T17:50:30Zjunk"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2019-02-30T17:50:30Z"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2019-13-01T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2019-10-12T24:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2019-10-12T17:60:00Z"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2019-1O-12T17:50:30Z"), std::nullopt);
}

TEST(UtilTimeFormat, ParsesLeapDay) {
  EXPECT_EQ(parse_iso8601("2024-02-29T00:00:00Z"), at(2024y / February / 29, 0s));
  EXPECT_EQ(parse_iso8601("2023-02-29T00:00:00Z"), std::nullopt);
}

TEST(UtilTimeFormat, ParsesHttpDate) {
  const auto parsed = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(duration_cast<seconds>(parsed->time_since_epoch()).count(), 784111777);
  EXPECT_EQ(parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT"), at(2015y / October / 21, 7h + 28min));
}

TEST(UtilTimeFormat, RejectsBadHttpDate) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"), std::nullopt);
  EXPECT_EQ(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"), std::nullopt);
  EXPECT_EQ(parse_http_date("Xyz, 06 Nov 1994 08:49:37 GMT"), std::nullopt);
  EXPECT_EQ(parse_http_date("Sun, 31 Nov 1994 08:49:37 GMT"), std::nullopt);
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT "), std::nullopt);
  EXPECT_EQ(parse_http_date(""), std::nullopt);
}

TEST(UtilTimeFormat, ParsesAmzDateAndRoundTrips) {
  const SystemTime t = at(2015y / August / 30, 12h + 36min);
  EXPECT_EQ(parse_amz_date("20150830T123600Z"), t);
  EXPECT_EQ(parse_amz_date(format_amz_date(t)), t);
  EXPECT_EQ(parse_amz_date("20150830T123600"), std::nullopt);
  EXPECT_EQ(parse_amz_date("2015-08-30T12:36:00Z"), std::nullopt);
  EXPECT_EQ(parse_amz_date("20150832T123600Z"), std::nullopt);
}

}  // namespace
}  // namespace gsync::util
