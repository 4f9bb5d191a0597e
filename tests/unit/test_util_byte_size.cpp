#include <gtest/gtest.h>

#include "util/byte_size.hpp"

using gsync::util::parse_byte_size;

TEST(ByteSize, PlainNumbersAreBytes) {
  EXPECT_EQ(parse_byte_size("8388608"), 8388608u);
  EXPECT_EQ(parse_byte_size("0"), 0u);
  EXPECT_EQ(parse_byte_size(" 12B "), 12u);
}

TEST(ByteSize, UnitsAreBinaryMultiples) {
  EXPECT_EQ(parse_byte_size("64k"), 64u * 1024);
  EXPECT_EQ(parse_byte_size("16M"), 16u << 20);
  EXPECT_EQ(parse_byte_size("16MiB"), 16u << 20);
  EXPECT_EQ(parse_byte_size("16MB"), 16u << 20);
  EXPECT_EQ(parse_byte_size("1.5GiB"), 3ULL << 29);
  EXPECT_EQ(parse_byte_size("2T"), 2ULL << 40);
}

TEST(ByteSize, RejectsGarbage) {
  for (const char* bad : {"", "MiB", "-1", "12 parsecs", "1.2.3M", "16Mx", "1e3", "99999999999T"}) {
    EXPECT_FALSE(parse_byte_size(bad).has_value()) << bad;
  }
}
