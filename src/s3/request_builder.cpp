#include "s3/request_builder.hpp"

#include "s3/signer.hpp"

namespace gsync::s3 {

namespace {

// SHA-256 of the empty string: every request this tool sends has an empty body.
constexpr const char* k_empty_payload_hash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

}  // namespace

S3Request list_objects_v2_request(const std::string& bucket, const std::string& prefix,
                                  const std::optional<std::string>& delimiter,
                                  const std::optional<std::string>& continuation_token) {
  S3Request request;
  request.bucket = bucket;
  request.query = {{"list-type", "2"}, {"prefix", prefix}, {"encoding-type", "url"}};
  if (delimiter) {
    request.query.emplace_back("delimiter", *delimiter);
  }
  if (continuation_token) {
    request.query.emplace_back("continuation-token", *continuation_token);
  }
  return request;
}

S3Request get_object_request(const std::string& bucket, const std::string& key) {
  S3Request request;
  request.bucket = bucket;
  request.key = key;
  return request;
}

S3Request head_object_part_request(const std::string& bucket, const std::string& key,
                                   int part_number) {
  S3Request request;
  request.method = http::Method::head;
  request.bucket = bucket;
  request.key = key;
  request.query.emplace_back("partNumber", std::to_string(part_number));
  return request;
}

S3Request head_bucket_request(const std::string& bucket) {
  S3Request request;
  request.method = http::Method::head;
  request.bucket = bucket;
  return request;
}

http::HttpRequest build_signed_request(const S3Request& request, const Endpoint& endpoint,
                                       const Credentials& credentials, std::string_view region,
                                       util::SystemTime now) {
  const RequestTarget target = endpoint.target(region, request.bucket, request.key);

  SigningInput input;
  input.method = std::string(http::method_name(request.method));
  input.decoded_path = target.decoded_path;
  input.query = request.query;
  input.payload_hash = k_empty_payload_hash;
  input.headers = {{"host", target.host}, {"x-amz-content-sha256", k_empty_payload_hash}};
  input.headers.insert(input.headers.end(), request.headers.begin(), request.headers.end());

  http::HttpRequest http_request;
  http_request.method = request.method;
  http_request.url = target.scheme_and_host + canonical_uri(target.decoded_path, PathEncoding::s3);
  if (!request.query.empty()) {
    http_request.url += "?" + canonical_query(request.query);
  }
  http_request.headers = input.headers;
  for (auto& header : sign_request(input, credentials, region, "s3", now, PathEncoding::s3)) {
    http_request.headers.push_back(std::move(header));
  }
  return http_request;
}

}  // namespace gsync::s3
