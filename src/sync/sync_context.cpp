#include "sync/sync_context.hpp"

namespace gsync::sync {

std::optional<std::chrono::milliseconds> retry_delay(SyncContext& context,
                                                     const s3::ResponseOutcome& outcome,
                                                     int attempts_made, const std::string& what) {
  const auto& policy = context.session.retry_policy();
  if (context.engine.stopping()) {
    return std::nullopt;
  }
  if (outcome.kind == s3::OutcomeKind::wrong_region) {
    // A redirect is not the server failing, but it still counts towards the attempts, so
    // a server that keeps redirecting to the region we already use cannot loop forever.
    if (policy.may_retry(attempts_made) && context.session.switch_region(outcome.region)) {
      return std::chrono::milliseconds(0);
    }
    return std::nullopt;
  }
  if (outcome.kind != s3::OutcomeKind::transient || !policy.may_retry(attempts_made)) {
    return std::nullopt;
  }
  context.events.retrying(what, outcome.description, attempts_made);
  return policy.delay_after(attempts_made, http::random_unit(), outcome.retry_after);
}

}  // namespace gsync::sync
