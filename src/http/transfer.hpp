#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "http/http_message.hpp"

namespace gsync::http {

// One logical request that the engine runs, possibly several times. The transfer, not the
// engine, decides whether a finished attempt is retried, and keeps its own try counter.
class Transfer {
 public:
  virtual ~Transfer() = default;

  // Called before each attempt, so every retry is signed afresh with the current time.
  virtual HttpRequest make_request() = 0;

  // Called once per attempt, before the first body bytes of a successful (2xx) response,
  // with its status and headers (the body is not in it). Not called for an empty body.
  virtual void on_response_start(const HttpResponse& /*response*/) {}

  // Body bytes of a successful (2xx) response. Returning false aborts the attempt (for
  // example when the disk is full); the transfer then sees CURLE_WRITE_ERROR.
  virtual bool on_body(std::string_view chunk) = 0;

  // Called once per attempt. Return a delay to run the transfer again after it, or
  // nullopt when it is finished (successfully or not).
  virtual std::optional<std::chrono::milliseconds> on_complete(HttpResponse&& response) = 0;

  // Urgent transfers jump the queue. Listings are urgent: each page feeds the downloads, so
  // a listing stuck behind thousands of queued downloads would starve the pipeline.
  virtual bool urgent() const { return false; }

  // A transfer whose purpose has gone (the other parts of its object failed) is dropped by
  // the engine instead of being started; it gets no further callbacks.
  virtual bool cancelled() const { return false; }
};

}  // namespace gsync::http
