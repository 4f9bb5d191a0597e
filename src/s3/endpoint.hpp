#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gsync::s3 {

// Where a request for a bucket and key goes. The path is decoded; the request factory
// encodes it once, identically for the URL and the signature.
struct RequestTarget {
  std::string scheme_and_host;  // "https://bucket.s3.us-west-2.amazonaws.com"
  std::string host;             // Host header value, with a port when it is not the default
  std::string decoded_path;     // "/key" (virtual-hosted) or "/bucket/key" (path-style)
};

// Custom endpoints (Ceph, MinIO, a proxy) get path-style addressing, which needs no DNS
// for each bucket; AWS gets virtual-hosted style, its only style for new buckets.
class Endpoint {
 public:
  // Throws gsync::Fatal on a URL that is not http(s)://host[:port][/].
  static Endpoint parse(const std::optional<std::string>& endpoint_url);

  RequestTarget target(std::string_view region, std::string_view bucket,
                       std::string_view key) const;
  bool is_custom() const noexcept { return m_custom.has_value(); }
  std::string describe(std::string_view region) const;

 private:
  struct CustomEndpoint {
    std::string scheme;
    std::string host;  // with port if given
  };
  std::optional<CustomEndpoint> m_custom;
};

bool is_virtual_host_compatible_bucket(std::string_view bucket);

}  // namespace gsync::s3
