#include <string>

#include <gtest/gtest.h>

#include "util/uri.hpp"

namespace gsync::util {
namespace {

TEST(UtilUri, UnreservedCharactersStay) {
  const std::string unreserved =
      "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  EXPECT_EQ(uri_encode(unreserved, false), unreserved);
  EXPECT_EQ(uri_encode(unreserved, true), unreserved);
}

TEST(UtilUri, ReservedAndSpaceBecomeUpperCaseEscapes) {
  EXPECT_EQ(uri_encode("a b+c%d=e&f?g#h", false), "a%20b%2Bc%25d%3De%26f%3Fg%23h");
  EXPECT_EQ(uri_encode("!*'()$,;:@[]", false), "%21%2A%27%28%29%24%2C%3B%3A%40%5B%5D");
}

TEST(UtilUri, SlashKeptOnlyWhenAsked) {
  EXPECT_EQ(uri_encode("a b/c+d%e=f/\xC3\xBC.txt", true), "a%20b/c%2Bd%25e%3Df/%C3%BC.txt");
  EXPECT_EQ(uri_encode("dir/file", false), "dir%2Ffile");
}

TEST(UtilUri, Utf8IsEncodedBytewise) {
  EXPECT_EQ(uri_encode("\xE1\x88\xB4", false), "%E1%88%B4");
  EXPECT_EQ(uri_encode(std::string("\0\x7f\xff", 3), false), "%00%7F%FF");
}

TEST(UtilUri, DecodeEscapesInEitherCase) {
  EXPECT_EQ(url_decode("%C3%bc%2F", false), "\xC3\xBC/");
  EXPECT_EQ(url_decode("plain", false), "plain");
  EXPECT_EQ(url_decode("", true), "");
}

TEST(UtilUri, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(url_decode("a+b%2Bc%25", true), "a b+c%");
  EXPECT_EQ(url_decode("a+b%2Bc%25", false), "a+b+c%");
}

TEST(UtilUri, MalformedEscapesAreRejected) {
  EXPECT_EQ(url_decode("%", false), std::nullopt);
  EXPECT_EQ(url_decode("abc%2", false), std::nullopt);
  EXPECT_EQ(url_decode("%zz", false), std::nullopt);
  EXPECT_EQ(url_decode("%2g", false), std::nullopt);
  EXPECT_EQ(url_decode("ok%", true), std::nullopt);
}

TEST(UtilUri, EveryByteRoundTrips) {
  std::string all;
  for (int i = 0; i < 256; ++i) {
    all.push_back(static_cast<char>(i));
  }
  const std::string encoded = uri_encode(all, false);
  EXPECT_EQ(encoded.find(' '), std::string::npos);
  EXPECT_EQ(url_decode(encoded, true), all);
}

}  // namespace
}  // namespace gsync::util
