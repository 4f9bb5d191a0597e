#include <gtest/gtest.h>

#include "s3/error_response.hpp"

namespace gsync::s3 {
namespace {

TEST(S3ErrorResponse, AccessDenied) {
  const auto error = parse_error_response(R"(<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>AccessDenied</Code>
  <Message>Access Denied</Message>
  <RequestId>656c76696e6727732072657175657374</RequestId>
  <HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId>
</Error>)");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, "AccessDenied");
  EXPECT_EQ(error->message, "Access Denied");
  EXPECT_EQ(error->request_id, "656c76696e6727732072657175657374");
  EXPECT_EQ(error->region, "");
  EXPECT_EQ(error->bucket_name, "");
}

TEST(S3ErrorResponse, NoSuchBucket) {
  const auto error = parse_error_response(
      R"(<?xml version="1.0" encoding="UTF-8"?>)"
      "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>"
      "<BucketName>missing-bucket</BucketName><RequestId>4442587FB7D0A2F9</RequestId>"
      "<HostId>abc=</HostId></Error>");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, "NoSuchBucket");
  EXPECT_EQ(error->message, "The specified bucket does not exist");
  EXPECT_EQ(error->bucket_name, "missing-bucket");
  EXPECT_EQ(error->request_id, "4442587FB7D0A2F9");
}

TEST(S3ErrorResponse, PermanentRedirectWithRegionAndEndpoint) {
  const auto error = parse_error_response(R"(<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>PermanentRedirect</Code>
  <Message>The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.</Message>
  <Endpoint>my-bucket.s3.eu-central-1.amazonaws.com</Endpoint>
  <Bucket>my-bucket</Bucket>
  <Region>eu-central-1</Region>
  <RequestId>0F5F3A6C3E1A2B7D</RequestId>
  <HostId>xyz</HostId>
</Error>)");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, "PermanentRedirect");
  EXPECT_EQ(error->region, "eu-central-1");
  EXPECT_EQ(error->endpoint, "my-bucket.s3.eu-central-1.amazonaws.com");
  EXPECT_EQ(error->bucket_name, "my-bucket");
}

TEST(S3ErrorResponse, AuthorizationHeaderMalformedWithRegion) {
  const auto error = parse_error_response(
      "<Error><Code>AuthorizationHeaderMalformed</Code>"
      "<Message>The authorization header is malformed; the region 'us-east-1' is wrong; "
      "expecting 'us-west-2'</Message><Region>eu-west-1</Region>"
      "<RequestId>R1</RequestId></Error>");
  ASSERT_TRUE(error.has_value());
  // An explicit Region element wins over the message text.
  EXPECT_EQ(error->region, "eu-west-1");
}

TEST(S3ErrorResponse, AuthorizationHeaderMalformedMessageOnly) {
  const auto error = parse_error_response(
      "<Error><Code>AuthorizationHeaderMalformed</Code>"
      "<Message>The authorization header is malformed; the region 'us-east-1' is wrong; "
      "expecting 'us-west-2'</Message><RequestId>R2</RequestId></Error>");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, "AuthorizationHeaderMalformed");
  EXPECT_EQ(error->region, "us-west-2");
  EXPECT_EQ(error->request_id, "R2");
}

TEST(S3ErrorResponse, RegionIsOnlyGuessedForAuthorizationHeaderMalformed) {
  const auto error = parse_error_response(
      "<Error><Code>InvalidRequest</Code><Message>expecting 'us-west-2'</Message></Error>");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->region, "");

  const auto unterminated = parse_error_response(
      "<Error><Code>AuthorizationHeaderMalformed</Code><Message>the region 'a' is wrong; "
      "expecting 'us-we</Message></Error>");
  ASSERT_TRUE(unterminated.has_value());
  EXPECT_EQ(unterminated->region, "");
}

TEST(S3ErrorResponse, NotAnErrorDocument) {
  EXPECT_EQ(parse_error_response(""), std::nullopt);
  EXPECT_EQ(parse_error_response("<html><body>502 Bad Gateway</body></html>"), std::nullopt);
  EXPECT_EQ(parse_error_response("<ListBucketResult></ListBucketResult>"), std::nullopt);
  EXPECT_EQ(parse_error_response("<Error><Code>Oops"), std::nullopt);
  EXPECT_EQ(parse_error_response("Service Unavailable"), std::nullopt);
}

}  // namespace
}  // namespace gsync::s3
