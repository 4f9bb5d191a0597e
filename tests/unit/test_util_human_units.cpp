#include <gtest/gtest.h>

#include "util/human_units.hpp"

using namespace gsync::util;

TEST(HumanUnits, Bytes) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(1023), "1023 B");
  EXPECT_EQ(format_bytes(1024), "1.0 KiB");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(5ULL << 30), "5.0 GiB");
}

TEST(HumanUnits, Durations) {
  EXPECT_EQ(format_duration(std::chrono::duration<double>(0.42)), "0.42 s");
  EXPECT_EQ(format_duration(std::chrono::duration<double>(65)), "1 min 05 s");
  EXPECT_EQ(format_duration(std::chrono::duration<double>(7380)), "2 h 03 min");
}

TEST(HumanUnits, Rate) {
  EXPECT_EQ(format_rate(2048, std::chrono::duration<double>(2)), "1.0 KiB/s");
  EXPECT_EQ(format_rate(2048, std::chrono::duration<double>(0)), "-");
}
