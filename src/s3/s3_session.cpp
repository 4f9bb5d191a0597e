#include "s3/s3_session.hpp"

#include <chrono>

namespace gsync::s3 {

S3Session::S3Session(Endpoint endpoint, Credentials credentials, std::string region,
                     http::RetryPolicy retry_policy)
    : m_endpoint(std::move(endpoint)),
      m_credentials(std::move(credentials)),
      m_region(std::move(region)),
      m_retry_policy(retry_policy) {}

http::HttpRequest S3Session::sign(const S3Request& request) const {
  return build_signed_request(request, m_endpoint, m_credentials, m_region,
                              std::chrono::system_clock::now());
}

bool S3Session::switch_region(const std::string& region) {
  if (region == m_region) {
    // Already signing for it: S3 contradicts itself, or another transfer switched first.
    return m_region_switches <= k_max_region_switches;
  }
  if (++m_region_switches > k_max_region_switches) {
    return false;
  }
  m_region = region;
  return true;
}

}  // namespace gsync::s3
