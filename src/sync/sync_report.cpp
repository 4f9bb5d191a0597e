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
  kept_files.insert(kept_files.end(), other.kept_files.begin(), other.kept_files.end());
  failures.insert(failures.end(), other.failures.begin(), other.failures.end());
}

}  // namespace gsync::sync
