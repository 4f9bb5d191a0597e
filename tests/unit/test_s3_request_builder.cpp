#include <gtest/gtest.h>

#include "s3/request_builder.hpp"
#include "util/time_format.hpp"

using namespace gsync;

namespace {

std::string header(const http::HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    std::string lower = key;
    for (auto& c : lower) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (lower == name) {
      return value;
    }
  }
  return "<missing>";
}

const s3::Credentials k_credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
const util::SystemTime k_now = *util::parse_amz_date("20150830T123600Z");

}  // namespace

TEST(RequestBuilder, GetObjectEncodesTheKeyOnceInPathStyle) {
  const auto endpoint = s3::Endpoint::parse("http://127.0.0.1:7480");
  const auto request =
      s3::build_signed_request(s3::get_object_request("bucket", "a b/c+d%e=f/\xC3\xBC.txt"),
                               endpoint, k_credentials, "us-east-1", k_now);
  EXPECT_EQ(request.url, "http://127.0.0.1:7480/bucket/a%20b/c%2Bd%25e%3Df/%C3%BC.txt");
  EXPECT_EQ(header(request, "host"), "127.0.0.1:7480");
  EXPECT_EQ(header(request, "x-amz-date"), "20150830T123600Z");
  EXPECT_EQ(header(request, "x-amz-content-sha256"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string authorization = header(request, "authorization");
  EXPECT_TRUE(authorization.starts_with(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, "
      "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="))
      << authorization;
}

TEST(RequestBuilder, ListingQueryIsSortedAndEncodedLikeTheSignature) {
  const auto endpoint = s3::Endpoint::parse("http://localhost:9000");
  const auto request = s3::build_signed_request(
      s3::list_objects_v2_request("bucket", "prefix with space/", std::string("/"),
                                  std::string("token+/=")),
      endpoint, k_credentials, "us-east-1", k_now);
  EXPECT_EQ(request.url,
            "http://localhost:9000/bucket?continuation-token=token%2B%2F%3D&delimiter=%2F&"
            "encoding-type=url&list-type=2&prefix=prefix%20with%20space%2F");
}

TEST(RequestBuilder, AwsUsesVirtualHostedStyle) {
  const auto endpoint = s3::Endpoint::parse(std::nullopt);
  const auto request =
      s3::build_signed_request(s3::get_object_request("greenland-glacier-data", "k/x.tif"),
                               endpoint, k_credentials, "us-west-2", k_now);
  EXPECT_EQ(request.url, "https://greenland-glacier-data.s3.us-west-2.amazonaws.com/k/x.tif");
  EXPECT_EQ(header(request, "host"), "greenland-glacier-data.s3.us-west-2.amazonaws.com");
}

TEST(RequestBuilder, SessionTokenIsSentAndSigned) {
  const s3::Credentials temporary{"ASIAEXAMPLE", "secret", "the-token"};
  const auto request =
      s3::build_signed_request(s3::head_bucket_request("b"), s3::Endpoint::parse("http://h:1"),
                               temporary, "us-east-1", k_now);
  EXPECT_EQ(header(request, "x-amz-security-token"), "the-token");
  EXPECT_NE(header(request, "authorization").find("x-amz-security-token"), std::string::npos);
  EXPECT_EQ(request.method, http::Method::head);
}

TEST(RequestBuilder, ExtraHeadersAreSigned) {
  auto get = s3::get_object_request("b", "k");
  get.headers.emplace_back("Range", "bytes=0-9");
  const auto request = s3::build_signed_request(get, s3::Endpoint::parse("http://h:1"),
                                                k_credentials, "us-east-1", k_now);
  EXPECT_EQ(header(request, "range"), "bytes=0-9");
  EXPECT_NE(header(request, "authorization").find("SignedHeaders=host;range;"), std::string::npos);
}
