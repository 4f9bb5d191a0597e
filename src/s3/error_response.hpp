#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gsync::s3 {

// The body S3 sends with a 3xx/4xx/5xx status. Absent fields are empty.
struct ErrorResponse {
  std::string code;     // "NoSuchBucket"
  std::string message;  // human-readable
  std::string region;   // the bucket's region, when S3 tells it
  std::string bucket_name;
  std::string request_id;
  std::string endpoint;  // PermanentRedirect: the host to use instead
};

// Parses S3's <Error><Code>..</Code><Message>..</Message>...</Error> body. nullopt when the
// body is empty, not XML, or not an <Error> document (HEAD responses have no body; proxies
// send HTML). For AuthorizationHeaderMalformed without <Region>, the region is taken from
// the message "...the region 'us-east-1' is wrong; expecting 'us-west-2'" (the expected
// one), so the caller can re-sign for the right region.
std::optional<ErrorResponse> parse_error_response(std::string_view xml);

}  // namespace gsync::s3
