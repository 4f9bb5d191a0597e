#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/http_message.hpp"
#include "s3/credentials.hpp"
#include "s3/endpoint.hpp"
#include "util/time_format.hpp"

namespace gsync::s3 {

// What to ask S3, before addressing and signing. Keys and query values are decoded.
struct S3Request {
  http::Method method = http::Method::get;
  std::string bucket;
  std::string key;  // empty for bucket-level requests
  std::vector<std::pair<std::string, std::string>> query;
  http::HeaderList headers;  // extra headers to send and sign, such as Range
};

S3Request list_objects_v2_request(const std::string& bucket, const std::string& prefix,
                                  const std::optional<std::string>& delimiter,
                                  const std::optional<std::string>& continuation_token);
S3Request get_object_request(const std::string& bucket, const std::string& key);
S3Request head_bucket_request(const std::string& bucket);
// HEAD ?partNumber=N: on AWS, the part's size and x-amz-mp-parts-count of a multipart object.
S3Request head_object_part_request(const std::string& bucket, const std::string& key,
                                   int part_number);

// Addresses and signs a request. The path is encoded once, and the very same string goes
// into the URL and the signature, so keys with spaces, '+', '%' or unicode sign correctly.
http::HttpRequest build_signed_request(const S3Request& request, const Endpoint& endpoint,
                                       const Credentials& credentials, std::string_view region,
                                       util::SystemTime now);

}  // namespace gsync::s3
