#pragma once

#include "http/transfer_engine.hpp"
#include "s3/s3_session.hpp"
#include "sync/sync_events.hpp"
#include "sync/sync_job.hpp"
#include "sync/sync_report.hpp"

namespace gsync::sync {

// Runs one job through list -> compare -> plan -> transfer on a shared engine, whose
// connections are kept alive from one job to the next.
class SyncRunner {
 public:
  SyncRunner(s3::S3Session& session, http::TransferEngine& engine, SyncEvents& events);

  // Throws gsync::Fatal when the run cannot go on (access denied, no such bucket) or was
  // interrupted; per-file failures are in the report instead.
  SyncReport run(const SyncJob& job);

 private:
  s3::S3Session& m_session;
  http::TransferEngine& m_engine;
  SyncEvents& m_events;
};

}  // namespace gsync::sync
