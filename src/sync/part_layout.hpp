#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_message.hpp"

namespace gsync::sync {

// How a multipart-uploaded object was cut, which its ETag ("MD5-of-part-MD5s"-N) depends on.
struct PartLayout {
  std::uint64_t part_size = 0;  // every part but the last
  std::size_t part_count = 0;
};

// N of a multipart ETag ("...-N"), or nullopt for any other ETag.
std::optional<std::size_t> multipart_etag_parts(std::string_view etag);

// The layout from the answer to HEAD ?partNumber=1 (AWS: the first part's Content-Length and
// x-amz-mp-parts-count). nullopt when the server did not say (the local gateway ignores
// partNumber) or when the answer does not fit the object: then it cannot be verified.
std::optional<PartLayout> parse_part_layout(const http::HttpResponse& response,
                                            std::uint64_t object_size, std::string_view etag);

// The ETag S3 gives a multipart object: hex MD5 of the concatenated raw part MD5s, "-N".
std::string multipart_etag(const std::vector<std::string>& raw_part_md5s);

}  // namespace gsync::sync
