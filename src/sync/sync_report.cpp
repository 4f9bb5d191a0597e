#include "sync/sync_report.hpp"

namespace gsync::sync {

void SyncReport::merge(const SyncReport& other) {
  downloaded += other.downloaded;
  replaced += other.replaced;
  skipped += other.skipped;
  kept += other.kept;
  failed += other.failed;
  refused += other.refused;
  excluded += other.excluded;
  excluded_folders += other.excluded_folders;
  bytes += other.bytes;
  listed += other.listed;
  verified += other.verified;
  resumed += other.resumed;
  resumed_bytes += other.resumed_bytes;
  leftovers_removed += other.leftovers_removed;
  interrupted = interrupted || other.interrupted;
  not_verified += other.not_verified;
  for (const auto& [reason, count] : other.not_verified_reasons) {
    not_verified_reasons[reason] += count;
  }
  for (const auto& file : other.kept_files) {
    if (kept_files.size() < k_max_listed_files) {
      kept_files.push_back(file);
    }
  }
  for (const auto& failure : other.failures) {
    if (failures.size() < k_max_listed_files) {
      failures.push_back(failure);
    }
  }
}

void SyncReport::add_kept(KeptFile file) {
  ++kept;
  if (kept_files.size() < k_max_listed_files) {
    kept_files.push_back(std::move(file));
  }
}

void SyncReport::add_failure(std::string s3_url, std::string reason) {
  ++failed;
  if (failures.size() < k_max_listed_files) {
    failures.push_back({std::move(s3_url), std::move(reason)});
  }
}

void SyncReport::add_not_verified(const std::string& reason) {
  ++not_verified;
  ++not_verified_reasons[reason];
}

}  // namespace gsync::sync
