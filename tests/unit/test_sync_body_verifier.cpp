#include <string>

#include <gtest/gtest.h>

#include "sync/body_verifier.hpp"
#include "util/base64.hpp"
#include "util/digest.hpp"

namespace gsync::sync {
namespace {

const std::string k_body = "123456789";
// MD5 of k_body, and its CRC32 (0xCBF43926) as S3 sends it: base64 of big-endian bytes.
const std::string k_body_md5 = "25f9e794323b453885f5181f1b624d0b";
const std::string k_body_crc32 = "y/Q5Jg==";

http::HttpResponse response_with(http::HeaderList headers) {
  http::HttpResponse response;
  response.status = 200;
  response.headers = std::move(headers);
  return response;
}

TEST(SyncBodyVerifier, PlainEtagIsCheckedAsMd5) {
  const auto plan = plan_verification(response_with({{"etag", "\"" + k_body_md5 + "\""}}), "");
  ASSERT_EQ(plan.method, VerifyMethod::md5);
  BodyVerifier verifier(plan);
  verifier.update("1234");
  verifier.update("56789");
  EXPECT_EQ(verifier.mismatch(), std::nullopt);
}

TEST(SyncBodyVerifier, OneWrongByteIsAMismatchNamingBothDigests) {
  BodyVerifier verifier(plan_verification(response_with({}), "\"" + k_body_md5 + "\""));
  verifier.update("123456780");
  const auto mismatch = verifier.mismatch();
  ASSERT_TRUE(mismatch);
  EXPECT_NE(mismatch->find("MD5 mismatch"), std::string::npos) << *mismatch;
  EXPECT_NE(mismatch->find(k_body_md5), std::string::npos) << *mismatch;
}

TEST(SyncBodyVerifier, AChecksumHeaderWinsOverTheEtag) {
  const auto plan =
      plan_verification(response_with({{"etag", "\"0123456789abcdef0123456789abcdef\""},
                                       {"x-amz-checksum-crc32", k_body_crc32}}),
                        "");
  ASSERT_EQ(plan.method, VerifyMethod::crc32);
  BodyVerifier verifier(plan);
  verifier.update(k_body);
  EXPECT_EQ(verifier.mismatch(), std::nullopt);

  BodyVerifier wrong(plan);
  wrong.update("12345678");
  const auto mismatch = wrong.mismatch();
  ASSERT_TRUE(mismatch);
  EXPECT_NE(mismatch->find("CRC32 mismatch: expected " + k_body_crc32), std::string::npos)
      << *mismatch;
}

TEST(SyncBodyVerifier, Sha256ChecksumIsChecked) {
  util::Digest sha256(util::DigestKind::sha256);
  sha256.update(k_body);
  const auto raw = sha256.finish();
  const std::string digest = util::base64_encode(std::string(raw.begin(), raw.end()));
  const auto plan = plan_verification(response_with({{"x-amz-checksum-sha256", digest}}), "");
  ASSERT_EQ(plan.method, VerifyMethod::sha256);
  BodyVerifier verifier(plan);
  verifier.update(k_body);
  EXPECT_EQ(verifier.mismatch(), std::nullopt);
}

TEST(SyncBodyVerifier, CompositeChecksumsFallBackToTheEtag) {
  auto plan = plan_verification(
      response_with({{"x-amz-checksum-crc32", k_body_crc32}, {"x-amz-checksum-type", "COMPOSITE"}}),
      k_body_md5);
  EXPECT_EQ(plan.method, VerifyMethod::md5);
  plan = plan_verification(response_with({{"x-amz-checksum-crc32c", "AAAAAA==-3"}}), k_body_md5);
  EXPECT_EQ(plan.method, VerifyMethod::md5);
}

TEST(SyncBodyVerifier, MultipartEtagCannotBeChecked) {
  const auto plan = plan_verification(response_with({{"etag", "\"" + k_body_md5 + "-3\""}}), "");
  EXPECT_EQ(plan.method, VerifyMethod::none);
  EXPECT_EQ(plan.why_not, "multipart ETag");
  BodyVerifier verifier(plan);
  verifier.update("anything");
  EXPECT_FALSE(verifier.verifies());
  EXPECT_EQ(verifier.mismatch(), std::nullopt);
}

TEST(SyncBodyVerifier, KmsEncryptedObjectsHaveNoMd5Etag) {
  const auto plan = plan_verification(response_with({{"etag", "\"" + k_body_md5 + "\""},
                                                     {"x-amz-server-side-encryption", "aws:kms"}}),
                                      "");
  EXPECT_EQ(plan.method, VerifyMethod::none);
  EXPECT_NE(plan.why_not.find("KMS"), std::string::npos);
  EXPECT_EQ(plan_verification(response_with({{"etag", "\"" + k_body_md5 + "\""},
                                             {"x-amz-server-side-encryption", "AES256"}}),
                              "")
                .method,
            VerifyMethod::md5);
}

TEST(SyncBodyVerifier, AnEtagThatIsNotHexIsNotChecked) {
  EXPECT_EQ(plan_verification_for_etag("\"not-an-md5\"").method, VerifyMethod::none);
  EXPECT_EQ(plan_verification_for_etag("zz" + k_body_md5.substr(2)).method, VerifyMethod::none);
  EXPECT_EQ(plan_verification_for_etag(k_body_md5).method, VerifyMethod::md5);
}

}  // namespace
}  // namespace gsync::sync
