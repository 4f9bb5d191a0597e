#include <string>

#include <gtest/gtest.h>

#include "util/base64.hpp"

namespace gsync::util {
namespace {

TEST(UtilBase64, Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_EQ(base64_decode(""), "");
}

TEST(UtilBase64, EveryByteRoundTrips) {
  std::string all;
  for (int i = 0; i < 256; ++i) {
    all.push_back(static_cast<char>(i));
  }
  EXPECT_EQ(base64_decode(base64_encode(all)), all);
  // The S3 form of a CRC32: four big-endian bytes.
  EXPECT_EQ(base64_decode("y/Q5Jg=="), std::string("\xcb\xf4\x39\x26", 4));
}

TEST(UtilBase64, RejectsWhatIsNotBase64) {
  EXPECT_FALSE(base64_decode("Zg="));       // length not a multiple of 4
  EXPECT_FALSE(base64_decode("Z!=="));      // not in the alphabet
  EXPECT_FALSE(base64_decode("Zg==Zg=="));  // padding in the middle
  EXPECT_FALSE(base64_decode("Z==="));      // too much padding
  EXPECT_FALSE(base64_decode("=Zg="));
}

}  // namespace
}  // namespace gsync::util
