#pragma once

#include <string>

#include "http/http_message.hpp"
#include "http/retry_policy.hpp"
#include "s3/credentials.hpp"
#include "s3/endpoint.hpp"
#include "s3/request_builder.hpp"

namespace gsync::s3 {

// Everything needed to address and sign requests to one S3 service during a run. The
// region can change once S3 tells us where the bucket really is, and every later request
// (including retries of earlier ones, which re-sign) uses the new one.
class S3Session {
 public:
  S3Session(Endpoint endpoint, Credentials credentials, std::string region,
            http::RetryPolicy retry_policy);

  // Signs with the current time: called for every attempt, so retries never reuse a
  // signature that may have expired while waiting.
  http::HttpRequest sign(const S3Request& request) const;

  const std::string& region() const noexcept { return m_region; }
  const Endpoint& endpoint() const noexcept { return m_endpoint; }
  const http::RetryPolicy& retry_policy() const noexcept { return m_retry_policy; }

  // Returns false when S3 has already redirected us too often, which means the answers
  // contradict each other and following them again would loop.
  bool switch_region(const std::string& region);

 private:
  static constexpr int k_max_region_switches = 3;

  Endpoint m_endpoint;
  Credentials m_credentials;
  std::string m_region;
  http::RetryPolicy m_retry_policy;
  int m_region_switches = 0;
};

}  // namespace gsync::s3
