#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/time_format.hpp"

namespace gsync::sync {

// One object as a listing reports it. The key is the raw (URL-decoded) S3 key; it is
// untrusted and must go through map_key before it names anything on disk.
struct RemoteObject {
  std::string key;
  std::uint64_t size = 0;
  util::SystemTime last_modified;
  std::string etag;
};

// An ETag without the quotes S3 puts around it (listings and headers both quote it).
inline std::string_view unquoted_etag(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return etag;
}

}  // namespace gsync::sync
