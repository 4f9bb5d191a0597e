#pragma once

#include <cstdint>
#include <string>

namespace gsync::sync {

// What the pipeline tells the user as it goes. The console implements it; tests record it.
// Called from the transfer thread only.
class SyncEvents {
 public:
  virtual ~SyncEvents() = default;
  virtual void would_download(const std::string& s3_url, const std::string& relative_path) = 0;
  virtual void downloaded(const std::string& s3_url, const std::string& relative_path,
                          std::uint64_t bytes, bool replaced) = 0;
  virtual void refused_key(const std::string& key, const std::string& reason) = 0;
  virtual void file_failed(const std::string& s3_url, const std::string& reason) = 0;
  virtual void retrying(const std::string& what, const std::string& reason, int attempt) = 0;
};

}  // namespace gsync::sync
