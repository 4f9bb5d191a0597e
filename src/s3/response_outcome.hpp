#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "http/http_message.hpp"

namespace gsync::s3 {

// What a finished attempt means for the caller: the single place where HTTP statuses,
// S3 error codes and transport errors turn into retry-or-abort decisions.
enum class OutcomeKind {
  success,
  transient,       // retry with backoff: network errors, 5xx, throttling, timeouts
  wrong_region,    // retry at once, signed for `region`
  access_denied,   // ends the run: nothing else in the bucket will work either
  no_such_bucket,  // ends the run
  not_found,       // this object vanished between listing and download
  archived,        // in Glacier storage: needs a restore first
  permanent,       // this request will never succeed as it is
};

struct ResponseOutcome {
  OutcomeKind kind = OutcomeKind::success;
  std::string description;  // one line, for the user
  std::string region;       // for wrong_region
  std::optional<std::chrono::milliseconds> retry_after;
};

ResponseOutcome classify_response(const http::HttpResponse& response);

}  // namespace gsync::s3
