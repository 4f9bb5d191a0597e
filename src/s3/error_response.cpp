#include "s3/error_response.hpp"

#include <pugixml.hpp>

namespace gsync::s3 {
namespace {

std::string region_from_message(std::string_view message) {
  constexpr std::string_view k_marker = "expecting '";
  const std::size_t start = message.find(k_marker);
  if (start == std::string_view::npos) {
    return {};
  }
  const std::size_t begin = start + k_marker.size();
  const std::size_t end = message.find('\'', begin);
  if (end == std::string_view::npos) {
    return {};
  }
  return std::string(message.substr(begin, end - begin));
}

}  // namespace

std::optional<ErrorResponse> parse_error_response(std::string_view xml) {
  if (xml.empty()) {
    return std::nullopt;
  }
  pugi::xml_document document;
  if (!document.load_buffer(xml.data(), xml.size())) {
    return std::nullopt;
  }
  const pugi::xml_node root = document.child("Error");
  if (!root) {
    return std::nullopt;
  }

  ErrorResponse out;
  out.code = root.child("Code").text().as_string();
  out.message = root.child("Message").text().as_string();
  out.region = root.child("Region").text().as_string();
  // NoSuchBucket says BucketName; PermanentRedirect says Bucket.
  out.bucket_name = root.child("BucketName").text().as_string();
  if (out.bucket_name.empty()) {
    out.bucket_name = root.child("Bucket").text().as_string();
  }
  out.request_id = root.child("RequestId").text().as_string();
  out.endpoint = root.child("Endpoint").text().as_string();
  if (out.region.empty() && out.code == "AuthorizationHeaderMalformed") {
    out.region = region_from_message(out.message);
  }
  return out;
}

}  // namespace gsync::s3
