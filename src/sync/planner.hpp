#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "sync/decision.hpp"
#include "sync/remote_object.hpp"
#include "sync/sync_job.hpp"

namespace gsync::sync {

enum class StepKind {
  excluded,          // under an excluded folder
  directory_marker,  // key ends in '/': nothing to write
  refused,           // unsafe key: never written
  skip,              // already present
  keep,              // differs, but safe mode never overwrites
  download,          // no local file
  replace,           // --force-overwrite and the local file differs
  local_problem,     // a directory or symlink in the way, or stat failed
};

// The decision for one listed object, with the reason a user would want to see.
struct PlanStep {
  StepKind kind = StepKind::skip;
  std::filesystem::path relative_path;  // relative to the data root
  std::string reason;
  std::optional<LocalFileInfo> local;
};

// Compare stage of list -> compare -> plan -> transfer -> report: turns one listed object
// into a step, looking only at the local file it maps to.
class Planner {
 public:
  using StatFunction =
      std::function<std::optional<LocalFileInfo>(const std::filesystem::path& absolute_path)>;

  explicit Planner(const SyncJob& job, StatFunction stat = stat_local_file);
  PlanStep plan(const RemoteObject& object) const;

 private:
  const SyncJob& m_job;
  StatFunction m_stat;
};

}  // namespace gsync::sync
