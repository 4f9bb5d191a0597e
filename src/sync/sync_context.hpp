#pragma once

#include <optional>
#include <string>

#include "http/transfer_engine.hpp"
#include "s3/response_outcome.hpp"
#include "s3/s3_session.hpp"
#include "sync/planner.hpp"
#include "sync/sync_events.hpp"
#include "sync/sync_job.hpp"
#include "sync/sync_report.hpp"
#include "util/error.hpp"

namespace gsync::sync {

// State shared by the transfers of one sync. Everything runs on the engine's thread, so
// no locking is needed.
struct SyncContext {
  SyncContext(const SyncJob& job, s3::S3Session& session, http::TransferEngine& engine,
              SyncEvents& events)
      : job(job), session(session), engine(engine), events(events), planner(job) {}

  const SyncJob& job;
  s3::S3Session& session;
  http::TransferEngine& engine;
  SyncEvents& events;
  Planner planner;
  SyncReport report;
  std::optional<Fatal> fatal;

  // Ends the whole run: used when nothing else in the bucket can work either.
  void fail_run(const Fatal& error) {
    if (!fatal) {
      fatal = error;
    }
    engine.stop();
  }
};

// The retry decision shared by listing and download transfers: follow a region redirect at
// once, back off on transient errors, give up on the rest. Returns the delay before the next
// attempt, or nullopt when the request has failed for good.
std::optional<std::chrono::milliseconds> retry_delay(SyncContext& context,
                                                     const s3::ResponseOutcome& outcome,
                                                     int attempts_made, const std::string& what);

}  // namespace gsync::sync
