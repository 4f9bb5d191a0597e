#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "util/hex.hpp"

namespace gsync::util {
namespace {

TEST(UtilHex, EmptyInputGivesEmptyString) {
  EXPECT_EQ(to_hex(std::span<const unsigned char>{}), "");
  EXPECT_EQ(to_hex(std::string_view{}), "");
}

TEST(UtilHex, LowerCaseTwoDigitsPerByte) {
  const std::array<unsigned char, 6> bytes = {0x00, 0x01, 0x0f, 0xa0, 0xde, 0xff};
  EXPECT_EQ(to_hex(bytes), "00010fa0deff");
}

TEST(UtilHex, EveryByteValueRoundTripsThroughItsDigits) {
  std::vector<unsigned char> all(256);
  for (int i = 0; i < 256; ++i) {
    all[static_cast<std::size_t>(i)] = static_cast<unsigned char>(i);
  }
  const std::string hex = to_hex(all);
  ASSERT_EQ(hex.size(), 512u);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(std::stoi(hex.substr(i * 2, 2), nullptr, 16), static_cast<int>(i));
  }
  EXPECT_EQ(hex.find_first_of("ABCDEF"), std::string::npos);
}

TEST(UtilHex, StringBytesAndBackAgain) {
  const std::string bytes("\x00\x7f\x80\xff", 4);
  EXPECT_EQ(to_hex(std::string_view(bytes)), "007f80ff");
  EXPECT_EQ(from_hex("007f80ff"), bytes);
  EXPECT_EQ(from_hex("007F80FF"), bytes);
  EXPECT_EQ(from_hex(""), std::string());
}

TEST(UtilHex, FromHexRejectsOddLengthsAndNonDigits) {
  EXPECT_FALSE(from_hex("abc"));
  EXPECT_FALSE(from_hex("0g"));
  EXPECT_FALSE(from_hex("-1"));
}

}  // namespace
}  // namespace gsync::util
