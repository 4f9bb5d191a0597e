#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "http/transfer_engine.hpp"
#include "s3/response_outcome.hpp"
#include "s3/s3_session.hpp"
#include "sync/local_directory_index.hpp"
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
      : job(job),
        session(session),
        engine(engine),
        events(events),
        planner(job,
                [this](const std::filesystem::path& path) { return local_index.lookup(path); }) {}

  const SyncJob& job;
  s3::S3Session& session;
  http::TransferEngine& engine;
  SyncEvents& events;
  LocalDirectoryIndex local_index;
  Planner planner;
  SyncReport report;
  std::optional<Fatal> fatal;
  // Listings waiting for the download queue to drain (see submit_listing).
  std::deque<std::unique_ptr<http::Transfer>> parked_listings;

  // Listing is far faster than downloading, so unchecked it would queue every object of a
  // million-object bucket at once. Above the high-water mark, listings wait (parked) until
  // the engine's queue drains below the low-water mark: memory stays bounded.
  static constexpr std::size_t k_queue_high_water = 10'000;
  static constexpr std::size_t k_queue_low_water = 5'000;
  void submit_listing(std::unique_ptr<http::Transfer> listing) {
    if (engine.queued_count() > k_queue_high_water) {
      parked_listings.push_back(std::move(listing));
    } else {
      engine.submit(std::move(listing));
    }
  }
  void resume_parked_listings() {
    while (!parked_listings.empty() && engine.queued_count() < k_queue_low_water) {
      engine.submit(std::move(parked_listings.front()));
      parked_listings.pop_front();
    }
  }

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
