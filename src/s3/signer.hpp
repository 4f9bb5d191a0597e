#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "s3/credentials.hpp"
#include "util/time_format.hpp"

// AWS Signature Version 4 (header form). Pure functions: the time is an argument and
// nothing here does I/O, so AWS's published test vectors pin the behaviour down.
namespace gsync::s3 {

// How the path becomes the canonical URI.
// s3: percent-encode the decoded path once, '/' kept, no dot-segment normalization: S3
//     object keys may legitimately contain "//", "./" and "../".
// normalized: what every other AWS service (and the generic test vectors) expect: remove
//     dot segments (RFC 3986 section 5.2.4) and collapse "//", then percent-encode. The
//     vectors give the path as it appears on the request line and expect it encoded once
//     ("/ሴ" -> "/%E1%88%B4", "/example space/" -> "/example%20space/"); AWS's "encode
//     twice" refers to encoding that already-encoded request-line path again, so a caller
//     with a decoded path for such a service passes util::uri_encode(path, true) here.
enum class PathEncoding { s3, normalized };

struct SigningInput {
  std::string method;                                      // "GET"
  std::string decoded_path;                                // "/bucket/key with space", NOT encoded
  std::vector<std::pair<std::string, std::string>> query;  // decoded, any order
  // Every header listed here is signed, so list exactly the headers sent (any case/order,
  // Host included; S3 also needs x-amz-content-sha256).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload_hash;  // hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
};

std::string canonical_uri(std::string_view decoded_path, PathEncoding encoding);
// Sorted, encoded "name=value" pairs joined by '&'; also used verbatim as the URL's query
// string so that what is signed is exactly what is sent.
std::string canonical_query(const std::vector<std::pair<std::string, std::string>>& query);
// "host;range;x-amz-date": lower-case, sorted, unique names.
std::string signed_header_names(const std::vector<std::pair<std::string, std::string>>& headers);
std::string canonical_request(const SigningInput& input, PathEncoding encoding);
// "20150830/us-east-1/service/aws4_request"
std::string credential_scope(util::SystemTime now, std::string_view region,
                             std::string_view service);
std::string string_to_sign(std::string_view canonical_request, util::SystemTime now,
                           std::string_view region, std::string_view service);
std::vector<unsigned char> signing_key(std::string_view secret_access_key, util::SystemTime now,
                                       std::string_view region, std::string_view service);

// Returns the headers to ADD to the request, in this order: "x-amz-date" (unless
// input.headers already has X-Amz-Date, whose value is then used as the signing time),
// "x-amz-security-token" when creds.session_token is non-empty and the request lacks one,
// and "Authorization". The added x-amz-* headers are signed too.
// Throws gsync::Error when an X-Amz-Date header in input.headers is not a valid amz date.
std::vector<std::pair<std::string, std::string>> sign_request(
    const SigningInput& input, const Credentials& creds, std::string_view region,
    std::string_view service, util::SystemTime now, PathEncoding encoding);

}  // namespace gsync::s3
