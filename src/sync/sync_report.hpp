#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gsync::sync {

// A local file left alone in safe mode because it differs from S3.
struct KeptFile {
  std::string relative_path;
  std::uint64_t local_size = 0;
  std::uint64_t remote_size = 0;
};

struct FailedFile {
  std::string s3_url;
  std::string reason;
};

// What one sync did (or, in a dry run, would do). In a dry run "downloaded" counts the files
// that would be downloaded.
struct SyncReport {
  std::uint64_t downloaded = 0;  // includes replaced
  std::uint64_t replaced = 0;    // --force-overwrite replacements, a subset of downloaded
  std::uint64_t skipped = 0;
  std::uint64_t kept = 0;
  std::uint64_t failed = 0;
  std::uint64_t refused = 0;
  std::uint64_t excluded = 0;          // objects under an excluded folder
  std::uint64_t excluded_folders = 0;  // excluded folders pruned from the listing
  std::uint64_t bytes = 0;             // bytes downloaded (or that would be)
  std::uint64_t listed = 0;            // objects seen in listings
  // Downloads whose bytes were checked against an MD5 ETag or an x-amz-checksum-*, and
  // those that could not be (multipart ETag without a part layout, KMS encryption).
  std::uint64_t verified = 0;
  std::uint64_t not_verified = 0;
  std::map<std::string, std::uint64_t> not_verified_reasons;
  // Large downloads continued from a partial file an interrupted run left, and the bytes
  // that were already there.
  std::uint64_t resumed = 0;
  std::uint64_t resumed_bytes = 0;
  // Temp and partial files of runs that died (kill -9) found in the folders synced, and
  // removed because no running glacier-sync held them.
  std::uint64_t leftovers_removed = 0;
  // The run was stopped by SIGINT/SIGTERM: the counts are what was done until then.
  bool interrupted = false;
  // The first files of each kind, for the user to act on. Capped so that memory stays
  // bounded when a million files differ; the counts above stay exact.
  std::vector<KeptFile> kept_files;
  std::vector<FailedFile> failures;
  static constexpr std::size_t k_max_listed_files = 1000;

  void add_kept(KeptFile file);
  void add_failure(std::string s3_url, std::string reason);  // also counts it as failed
  void add_not_verified(const std::string& reason);
  void merge(const SyncReport& other);
};

}  // namespace gsync::sync
