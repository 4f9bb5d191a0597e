#include "s3/endpoint.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "util/error.hpp"

namespace gsync::s3 {

namespace {

bool is_valid_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
         c == '[' || c == ']';
}

// Bucket-level requests (listing) address "/bucket", as aws-cli does, not "/bucket/".
std::string path_style_path(std::string_view bucket, std::string_view key) {
  return key.empty() ? fmt::format("/{}", bucket) : fmt::format("/{}/{}", bucket, key);
}

}  // namespace

Endpoint Endpoint::parse(const std::optional<std::string>& endpoint_url) {
  Endpoint endpoint;
  if (!endpoint_url || endpoint_url->empty()) {
    return endpoint;
  }
  const std::string& url = *endpoint_url;
  const auto scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    throw Fatal(fmt::format(
        "invalid endpoint URL '{}': expected http://HOST[:PORT] or https://HOST[:PORT]", url));
  }
  std::string rest = url.substr(scheme_end + 3);
  while (!rest.empty() && rest.back() == '/') {
    rest.pop_back();
  }
  if (rest.empty() || rest.find('/') != std::string::npos ||
      !std::all_of(rest.begin(), rest.end(), is_valid_host_char)) {
    throw Fatal(
        fmt::format("invalid endpoint URL '{}': expected http://HOST[:PORT] or https://HOST[:PORT] "
                    "with no path",
                    url));
  }
  const auto colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find(']') == std::string::npos) {
    const std::string port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
        std::stoi(port) == 0 || std::stoi(port) > 65535) {
      throw Fatal(fmt::format("invalid endpoint URL '{}': bad port '{}'", url, port));
    }
    // curl omits a default port from the Host header; so must the signature.
    if ((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) {
      rest.resize(colon);
    }
  }
  endpoint.m_custom = CustomEndpoint{scheme, rest};
  return endpoint;
}

bool is_virtual_host_compatible_bucket(std::string_view bucket) {
  // Dots break the wildcard TLS certificate of *.s3.amazonaws.com; upper case and
  // underscores are not valid DNS labels. Such buckets fall back to path-style.
  if (bucket.size() < 3 || bucket.size() > 63) {
    return false;
  }
  return std::all_of(bucket.begin(), bucket.end(),
                     [](char c) {
                       return std::islower(static_cast<unsigned char>(c)) ||
                              std::isdigit(static_cast<unsigned char>(c)) || c == '-';
                     }) &&
         bucket.front() != '-' && bucket.back() != '-';
}

RequestTarget Endpoint::target(std::string_view region, std::string_view bucket,
                               std::string_view key) const {
  RequestTarget target;
  if (m_custom) {
    target.scheme_and_host = fmt::format("{}://{}", m_custom->scheme, m_custom->host);
    target.host = m_custom->host;
    target.decoded_path = path_style_path(bucket, key);
    return target;
  }
  const std::string regional_host = fmt::format("s3.{}.amazonaws.com", region);
  if (is_virtual_host_compatible_bucket(bucket)) {
    target.host = fmt::format("{}.{}", bucket, regional_host);
    target.decoded_path = fmt::format("/{}", key);
  } else {
    target.host = regional_host;
    target.decoded_path = path_style_path(bucket, key);
  }
  target.scheme_and_host = "https://" + target.host;
  return target;
}

std::string Endpoint::describe(std::string_view region) const {
  if (m_custom) {
    return fmt::format("{}://{}", m_custom->scheme, m_custom->host);
  }
  return fmt::format("https://s3.{}.amazonaws.com", region);
}

}  // namespace gsync::s3
