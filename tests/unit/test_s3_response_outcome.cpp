#include <gtest/gtest.h>

#include "s3/response_outcome.hpp"

using gsync::http::HttpResponse;
using gsync::s3::classify_response;
using gsync::s3::OutcomeKind;

namespace {

HttpResponse response_with(long status, const std::string& code, const std::string& extra = "") {
  HttpResponse response;
  response.status = status;
  if (!code.empty()) {
    response.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code +
                    "</Code><Message>message for " + code + "</Message>" + extra +
                    "<RequestId>1</RequestId></Error>";
  }
  return response;
}

}  // namespace

TEST(ResponseOutcome, SuccessfulStatusesSucceed) {
  EXPECT_EQ(classify_response(response_with(200, "")).kind, OutcomeKind::success);
  EXPECT_EQ(classify_response(response_with(206, "")).kind, OutcomeKind::success);
}

TEST(ResponseOutcome, TransportErrorsAreTransientExceptCertificateProblems) {
  HttpResponse reset;
  reset.transport_code = CURLE_RECV_ERROR;
  reset.transport_error = "Connection reset by peer";
  const auto outcome = classify_response(reset);
  EXPECT_EQ(outcome.kind, OutcomeKind::transient);
  EXPECT_EQ(outcome.description, "Connection reset by peer");

  HttpResponse certificate;
  certificate.transport_code = CURLE_PEER_FAILED_VERIFICATION;
  EXPECT_EQ(classify_response(certificate).kind, OutcomeKind::permanent);
}

TEST(ResponseOutcome, ServerErrorsAndThrottlingAreTransient) {
  EXPECT_EQ(classify_response(response_with(500, "InternalError")).kind, OutcomeKind::transient);
  EXPECT_EQ(classify_response(response_with(503, "SlowDown")).kind, OutcomeKind::transient);
  EXPECT_EQ(classify_response(response_with(502, "")).kind, OutcomeKind::transient);
  EXPECT_EQ(classify_response(response_with(429, "")).kind, OutcomeKind::transient);
  EXPECT_EQ(classify_response(response_with(400, "RequestTimeout")).kind, OutcomeKind::transient);
}

TEST(ResponseOutcome, RetryAfterHeaderIsRead) {
  auto response = response_with(503, "SlowDown");
  response.headers.emplace_back("retry-after", "7");
  EXPECT_EQ(classify_response(response).retry_after, std::chrono::seconds(7));
}

TEST(ResponseOutcome, RegionRedirectFromHeader) {
  auto response = response_with(301, "PermanentRedirect");
  response.headers.emplace_back("x-amz-bucket-region", "eu-central-1");
  const auto outcome = classify_response(response);
  EXPECT_EQ(outcome.kind, OutcomeKind::wrong_region);
  EXPECT_EQ(outcome.region, "eu-central-1");
}

TEST(ResponseOutcome, RegionFromAuthorizationHeaderMalformedBody) {
  const auto outcome = classify_response(
      response_with(400, "AuthorizationHeaderMalformed", "<Region>us-west-2</Region>"));
  EXPECT_EQ(outcome.kind, OutcomeKind::wrong_region);
  EXPECT_EQ(outcome.region, "us-west-2");
}

TEST(ResponseOutcome, RedirectWithoutRegionIsNotFollowedBlindly) {
  EXPECT_EQ(classify_response(response_with(301, "PermanentRedirect")).kind,
            OutcomeKind::permanent);
}

TEST(ResponseOutcome, AccessProblems) {
  EXPECT_EQ(classify_response(response_with(403, "AccessDenied")).kind, OutcomeKind::access_denied);
  EXPECT_EQ(classify_response(response_with(403, "SignatureDoesNotMatch")).kind,
            OutcomeKind::access_denied);
  EXPECT_EQ(classify_response(response_with(403, "")).kind, OutcomeKind::access_denied);
  const auto skewed = classify_response(response_with(403, "RequestTimeTooSkewed"));
  EXPECT_EQ(skewed.kind, OutcomeKind::permanent);
  EXPECT_NE(skewed.description.find("clock"), std::string::npos);
}

TEST(ResponseOutcome, MissingThings) {
  EXPECT_EQ(classify_response(response_with(404, "NoSuchBucket")).kind,
            OutcomeKind::no_such_bucket);
  EXPECT_EQ(classify_response(response_with(404, "NoSuchKey")).kind, OutcomeKind::not_found);
  EXPECT_EQ(classify_response(response_with(404, "")).kind, OutcomeKind::not_found);
  EXPECT_EQ(classify_response(response_with(403, "InvalidObjectState")).kind,
            OutcomeKind::archived);
}

TEST(ResponseOutcome, DescriptionNamesStatusAndCode) {
  const auto outcome = classify_response(response_with(500, "InternalError"));
  EXPECT_EQ(outcome.description, "HTTP 500 InternalError: message for InternalError");
}
