#pragma once

#include <chrono>
#include <cstdint>
#include <string>

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

}  // namespace gsync::sync
