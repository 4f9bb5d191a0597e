#include "sync/part_layout.hpp"

#include <charconv>

#include "sync/remote_object.hpp"
#include "util/digest.hpp"
#include "util/hex.hpp"

namespace gsync::sync {
namespace {

template <typename Number>
std::optional<Number> parse_number(std::string_view text) {
  Number value{};
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<std::size_t> multipart_etag_parts(std::string_view etag) {
  etag = unquoted_etag(etag);
  const auto dash = etag.rfind('-');
  if (dash != 32 || !util::from_hex(etag.substr(0, 32))) {
    return std::nullopt;
  }
  const auto parts = parse_number<std::size_t>(etag.substr(dash + 1));
  if (!parts || *parts == 0) {
    return std::nullopt;
  }
  return parts;
}

std::optional<PartLayout> parse_part_layout(const http::HttpResponse& response,
                                            std::uint64_t object_size, std::string_view etag) {
  const auto expected_parts = multipart_etag_parts(etag);
  if (!response.succeeded() || !expected_parts) {
    return std::nullopt;
  }
  const auto count_header = response.header("x-amz-mp-parts-count");
  const auto length_header = response.header("content-length");
  if (!count_header || !length_header) {
    return std::nullopt;
  }
  const auto count = parse_number<std::size_t>(*count_header);
  const auto first = parse_number<std::uint64_t>(*length_header);
  if (!count || !first || *count != *expected_parts || *first == 0) {
    return std::nullopt;
  }
  // Equal parts but the last is how every SDK uploads; anything else cannot be checked
  // from the first part's size alone.
  if ((object_size + *first - 1) / *first != *count) {
    return std::nullopt;
  }
  return PartLayout{*first, *count};
}

std::string multipart_etag(const std::vector<std::string>& raw_part_md5s) {
  util::Digest md5(util::DigestKind::md5);
  for (const auto& part : raw_part_md5s) {
    md5.update(part);
  }
  return md5.finish_hex() + "-" + std::to_string(raw_part_md5s.size());
}

}  // namespace gsync::sync
