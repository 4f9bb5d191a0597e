#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "http/transfer_engine.hpp"
#include "s3/response_outcome.hpp"
#include "s3/s3_session.hpp"
#include "sync/folder_handle_cache.hpp"
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
        folders(job.data_root),
        planner(job,
                [this](const std::filesystem::path& path) { return local_index.lookup(path); }) {}

  const SyncJob& job;
  s3::S3Session& session;
  http::TransferEngine& engine;
  SyncEvents& events;
  LocalDirectoryIndex local_index;
  FolderHandleCache folders;
  Planner planner;
  SyncReport report;
  std::optional<Fatal> fatal;
  // Temp and partial files met while reading folders (absolute folder, name): candidates for
  // removal at the end of the run, when nothing of this run can still be using them.
  std::vector<std::pair<std::string, std::string>> leftovers;
  static constexpr std::size_t k_max_leftovers = 100'000;

  // Listings not yet handed to the engine (see submit_listing).
  std::deque<std::unique_ptr<http::Transfer>> parked_listings;
  // Listings handed to the engine and not yet finished for good (a retry still counts).
  std::size_t listings_in_flight = 0;

  // Listing is far faster than downloading, so unchecked it would queue every object of a
  // million-object bucket at once. A listing page can add up to 1,000 downloads, so a
  // listing is handed to the engine only while the queued transfers plus 1,000 per listing
  // in flight stay within k_object_budget (and within one listing per transfer slot); the
  // rest wait here as a prefix and a token. Queued work, and so memory, is bounded whatever
  // the bucket holds. A no-op sync queues nothing, so its listings run ~30 at a time.
  static constexpr std::size_t k_objects_per_page = 1'000;
  static constexpr std::size_t k_object_budget = 32'000;
  void submit_listing(std::unique_ptr<http::Transfer> listing) {
    parked_listings.push_back(std::move(listing));
    release_listings();
  }
  // Called by a listing when it is done for good (finished or failed; not when retrying).
  void listing_finished() noexcept {
    if (listings_in_flight > 0) {
      --listings_in_flight;
    }
  }
  // Hands parked listings to the engine while there is room; run from the engine's idle
  // hook, after every batch of completions.
  void release_listings() {
    while (!parked_listings.empty() && listings_in_flight < engine.max_concurrent() &&
           engine.queued_count() + (listings_in_flight + 1) * k_objects_per_page <=
               k_object_budget) {
      ++listings_in_flight;
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
