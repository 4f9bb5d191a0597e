#include "sync/sync_runner.hpp"

#include "sync/listing_transfer.hpp"
#include "sync/sync_context.hpp"

namespace gsync::sync {

SyncRunner::SyncRunner(s3::S3Session& session, http::TransferEngine& engine, SyncEvents& events)
    : m_session(session), m_engine(engine), m_events(events) {}

SyncReport SyncRunner::run(const SyncJob& job) {
  SyncContext context(job, m_session, m_engine, m_events);
  // Listing the first level with a delimiter lists the region folders in parallel; when
  // excluding downloads one more level lets whole download/ folders go unlisted.
  const int delimiter_depth = job.exclude.active() ? 2 : 1;
  context.submit_listing(
      std::make_unique<ListingTransfer>(context, job.root_prefix, delimiter_depth));
  m_engine.set_idle_hook([&context] { context.release_listings(); });
  m_engine.run();
  m_engine.set_idle_hook({});
  if (context.fatal) {
    throw *context.fatal;
  }
  if (m_engine.stopping()) {
    throw Fatal("interrupted; no partial file was left under a real name", ExitCode::interrupted);
  }
  return std::move(context.report);
}

}  // namespace gsync::sync
