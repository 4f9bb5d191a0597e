#include "s3/response_outcome.hpp"

#include <charconv>

#include <fmt/format.h>

#include "s3/error_response.hpp"

namespace gsync::s3 {

namespace {

bool is_transient_transport_error(CURLcode code) {
  switch (code) {
    // A wrong URL, a bad CA bundle or a refused certificate will not heal on retry.
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_NOT_BUILT_IN:
    case CURLE_OUT_OF_MEMORY:
      return false;
    default:
      return true;
  }
}

std::optional<std::chrono::milliseconds> parse_retry_after(const http::HttpResponse& response) {
  const auto value = response.header("retry-after");
  if (!value) {
    return std::nullopt;
  }
  long long seconds = 0;
  const auto* end = value->data() + value->size();
  const auto result = std::from_chars(value->data(), end, seconds);
  if (result.ec != std::errc() || result.ptr != end || seconds < 0) {
    return std::nullopt;
  }
  return std::chrono::seconds(seconds);
}

bool is_throttling_or_server_code(const std::string& code) {
  return code == "SlowDown" || code == "RequestTimeout" || code == "InternalError" ||
         code == "ServiceUnavailable" || code == "Throttling" || code == "ThrottlingException" ||
         code == "RequestLimitExceeded" || code == "TooManyRequests";
}

std::string describe_status(long status, const std::optional<ErrorResponse>& error) {
  if (!error) {
    return fmt::format("HTTP {}", status);
  }
  if (error->message.empty()) {
    return fmt::format("HTTP {} {}", status, error->code);
  }
  return fmt::format("HTTP {} {}: {}", status, error->code, error->message);
}

}  // namespace

ResponseOutcome classify_response(const http::HttpResponse& response) {
  ResponseOutcome outcome;
  if (response.transport_failed()) {
    outcome.kind = is_transient_transport_error(response.transport_code) ? OutcomeKind::transient
                                                                         : OutcomeKind::permanent;
    outcome.description = response.transport_error.empty()
                              ? std::string(curl_easy_strerror(response.transport_code))
                              : response.transport_error;
    return outcome;
  }
  const long status = response.status;
  if (status >= 200 && status < 300) {
    return outcome;
  }

  const auto error = parse_error_response(response.body);
  const std::string code = error ? error->code : std::string();
  outcome.description = describe_status(status, error);
  outcome.retry_after = parse_retry_after(response);

  // S3 names the bucket's region in a header on redirects and in the error body when a
  // request was signed for the wrong region.
  std::string region = response.header("x-amz-bucket-region").value_or("");
  if (region.empty() && error) {
    region = error->region;
  }
  const bool region_error = status == 301 || status == 307 || code == "PermanentRedirect" ||
                            code == "AuthorizationHeaderMalformed" ||
                            code == "IllegalLocationConstraintException";
  if (region_error && !region.empty()) {
    outcome.kind = OutcomeKind::wrong_region;
    outcome.region = region;
    return outcome;
  }
  if (code == "InvalidObjectState") {
    outcome.kind = OutcomeKind::archived;
    return outcome;
  }
  if (code == "NoSuchBucket") {
    outcome.kind = OutcomeKind::no_such_bucket;
    return outcome;
  }
  if (status == 404 || code == "NoSuchKey") {
    outcome.kind = OutcomeKind::not_found;
    return outcome;
  }
  if (code == "RequestTimeTooSkewed") {
    outcome.kind = OutcomeKind::permanent;
    outcome.description += " (the system clock is wrong)";
    return outcome;
  }
  if (status == 401 || status == 403) {
    outcome.kind = OutcomeKind::access_denied;
    return outcome;
  }
  if (status == 408 || status == 429 || status >= 500 || is_throttling_or_server_code(code)) {
    outcome.kind = OutcomeKind::transient;
    return outcome;
  }
  outcome.kind = OutcomeKind::permanent;
  return outcome;
}

}  // namespace gsync::s3
