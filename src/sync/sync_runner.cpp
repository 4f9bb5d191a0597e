#include "sync/sync_runner.hpp"

#include "sync/atomic_file_writer.hpp"
#include "sync/listing_transfer.hpp"
#include "sync/sync_context.hpp"

namespace gsync::sync {
namespace {

// Temp and partial files of runs that died, met while reading the synced folders. This
// run's own are gone by now (committed, removed, or resumed and committed), so whatever
// is left and unlocked belongs to nobody.
void remove_leftovers(SyncContext& context) {
  for (const auto& [folder, name] : context.leftovers) {
    const std::filesystem::path relative =
        std::filesystem::path(folder).lexically_relative(context.job.data_root);
    if (relative.empty() || *relative.begin() == "..") {
      continue;
    }
    try {
      const SharedFolder handle =
          context.folders.open(relative == "." ? std::filesystem::path() : relative);
      if (remove_if_abandoned(handle->get(), name)) {
        ++context.report.leftovers_removed;
      }
    } catch (const Error&) {
      // A folder that cannot be opened now is reported by the downloads into it, if any.
    }
  }
}

}  // namespace

SyncRunner::SyncRunner(s3::S3Session& session, http::TransferEngine& engine, SyncEvents& events)
    : m_session(session), m_engine(engine), m_events(events) {}

SyncReport SyncRunner::run(const SyncJob& job) {
  SyncContext context(job, m_session, m_engine, m_events);
  if (!job.dry_run) {
    context.local_index.set_leftover_hook(
        [&context](const std::string& folder, const std::string& name) {
          if (context.leftovers.size() < SyncContext::k_max_leftovers) {
            context.leftovers.emplace_back(folder, name);
          }
        });
  }
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
    // What was done until the signal still counts: the caller prints it, then exits 130/143.
    context.report.interrupted = true;
    return std::move(context.report);
  }
  remove_leftovers(context);
  return std::move(context.report);
}

}  // namespace gsync::sync
