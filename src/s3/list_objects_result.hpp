#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/time_format.hpp"

namespace gsync::s3 {

struct ListedObject {
  std::string key;  // decoded
  std::uint64_t size = 0;
  util::SystemTime last_modified;
  std::string etag;  // exactly as S3 sends it, quotes included, like the ETag header
  std::string storage_class;
};

struct ListObjectsPage {
  std::vector<ListedObject> objects;
  std::vector<std::string> common_prefixes;  // decoded
  bool is_truncated = false;
  std::string next_continuation_token;
  // Echoes of the request, decoded; empty when absent.
  std::string prefix;
  std::string delimiter;
  std::string start_after;
};

// Parses a ListObjectsV2 response body. When <EncodingType>url</EncodingType> is present,
// Key, Prefix (top level and in CommonPrefixes), StartAfter and Delimiter are URL-decoded
// with '+' meaning space (S3 and RGW encode a space as '+').
// Throws gsync::Error on malformed XML, a root other than ListBucketResult, a missing
// Key/Size/LastModified, a bad number/date/escape, or IsTruncated=true without a
// NextContinuationToken (the listing could not be continued).
ListObjectsPage parse_list_objects_v2(std::string_view xml);

}  // namespace gsync::s3
