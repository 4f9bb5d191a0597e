#include "sync/planner.hpp"

#include "sync/key_path.hpp"
#include "util/error.hpp"

namespace gsync::sync {

Planner::Planner(const SyncJob& job, StatFunction stat) : m_job(job), m_stat(std::move(stat)) {}

PlanStep Planner::plan(const RemoteObject& object) const {
  PlanStep step;
  const std::string_view key = object.key;
  if (key.starts_with(m_job.root_prefix) &&
      m_job.exclude.excludes_key_remainder(key.substr(m_job.root_prefix.size()))) {
    step.kind = StepKind::excluded;
    return step;
  }
  KeyMapping mapping = map_key(key, m_job.root_prefix);
  if (mapping.kind == KeyKind::directory_marker) {
    step.kind = StepKind::directory_marker;
    return step;
  }
  if (mapping.kind == KeyKind::refused) {
    step.kind = StepKind::refused;
    step.reason = mapping.reason;
    return step;
  }
  step.relative_path = std::move(mapping.relative_path);

  try {
    step.local = m_stat(m_job.data_root / step.relative_path);
  } catch (const Error& error) {
    step.kind = StepKind::local_problem;
    step.reason = error.what();
    return step;
  }
  switch (decide(object, step.local, m_job.policy)) {
    case Action::download:
      step.kind = StepKind::download;
      break;
    case Action::skip_same:
      step.kind = StepKind::skip;
      break;
    case Action::keep_differs:
      step.kind = StepKind::keep;
      step.reason = "differs from S3";
      break;
    case Action::replace:
      step.kind = StepKind::replace;
      break;
    case Action::conflict_not_a_file:
      step.kind = StepKind::local_problem;
      step.reason = "the local path exists but is not a regular file; left untouched";
      break;
  }
  return step;
}

}  // namespace gsync::sync
