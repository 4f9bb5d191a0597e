#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "util/digest.hpp"
#include "util/hex.hpp"

namespace gsync::util {
namespace {

constexpr const char* k_sha256_empty =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* k_sha256_abc =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

static_assert(!std::is_copy_constructible_v<Digest>);
static_assert(!std::is_copy_assignable_v<Digest>);
static_assert(std::is_nothrow_move_constructible_v<Digest>);
static_assert(std::is_nothrow_move_assignable_v<Digest>);
static_assert(std::is_nothrow_destructible_v<Digest>);

TEST(UtilDigest, Sha256KnownAnswers) {
  EXPECT_EQ(sha256_hex(""), k_sha256_empty);
  EXPECT_EQ(sha256_hex("abc"), k_sha256_abc);
  EXPECT_EQ(sha256_hex(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(UtilDigest, Md5KnownAnswers) {
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(md5_hex("The quick brown fox jumps over the lazy dog"),
            "9e107d9d372bb6826bd81d3542a419d6");
}

TEST(UtilDigest, IncrementalUpdatesEqualOneShot) {
  Digest digest(DigestKind::sha256);
  digest.update("a");
  digest.update("");
  digest.update("bc");
  EXPECT_EQ(digest.finish_hex(), k_sha256_abc);
}

TEST(UtilDigest, BinaryDataWithNulBytesIsHashedWhole) {
  const std::string with_nul("a\0b", 3);
  EXPECT_NE(sha256_hex(with_nul), sha256_hex("a"));
  Digest digest(DigestKind::sha256);
  digest.update(std::string_view("a\0", 2));
  digest.update("b");
  EXPECT_EQ(digest.finish_hex(), sha256_hex(with_nul));
}

TEST(UtilDigest, FinishReturnsRawBytesAndRestarts) {
  Digest digest(DigestKind::md5);
  digest.update("abc");
  const std::vector<unsigned char> raw = digest.finish();
  EXPECT_EQ(raw.size(), 16u);
  EXPECT_EQ(to_hex(raw), "900150983cd24fb0d6963f7d28e17f72");
  // After finish the object hashes a fresh message.
  EXPECT_EQ(digest.finish_hex(), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(UtilDigest, MoveTransfersTheRunningState) {
  Digest first(DigestKind::sha256);
  first.update("ab");
  Digest second(std::move(first));
  second.update("c");
  EXPECT_EQ(second.finish_hex(), k_sha256_abc);
  EXPECT_THROW(first.update("x"), std::logic_error);  // NOLINT(bugprone-use-after-move)

  Digest third(DigestKind::md5);
  third = std::move(second);
  third.update("abc");
  EXPECT_EQ(third.finish_hex(), k_sha256_abc);  // keeps the moved-in kind
}

// RFC 4231 test cases 1, 2 and 6 (key longer than the block size).
TEST(UtilDigest, HmacSha256Rfc4231) {
  const std::vector<unsigned char> key1(20, 0x0b);
  EXPECT_EQ(to_hex(hmac_sha256(key1, "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(to_hex(hmac_sha256(std::string_view("Jefe"), "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  const std::vector<unsigned char> key6(131, 0xaa);
  EXPECT_EQ(to_hex(hmac_sha256(key6, "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(UtilDigest, HmacStringAndByteKeysAgree) {
  const std::string key = "AWS4secret";
  const std::vector<unsigned char> bytes(key.begin(), key.end());
  EXPECT_EQ(hmac_sha256(key, "20150830"), hmac_sha256(bytes, "20150830"));
  EXPECT_EQ(hmac_sha256(key, "20150830").size(), 32u);
  EXPECT_EQ(hmac_sha256(std::string_view(), "data").size(), 32u);
}

}  // namespace
}  // namespace gsync::util
