#include <gtest/gtest.h>

#include "sync/sync_context.hpp"

using namespace gsync;

namespace {

class IdleTransfer final : public http::Transfer {
 public:
  http::HttpRequest make_request() override { return {}; }
  bool on_body(std::string_view) override { return true; }
  std::optional<std::chrono::milliseconds> on_complete(http::HttpResponse&&) override {
    return std::nullopt;
  }
};

class SilentEvents final : public sync::SyncEvents {
 public:
  void would_download(const std::string&, const std::string&) override {}
  void downloaded(const std::string&, const std::string&, std::uint64_t, bool) override {}
  void refused_key(const std::string&, const std::string&) override {}
  void file_failed(const std::string&, const std::string&) override {}
  void retrying(const std::string&, const std::string&, int) override {}
};

}  // namespace

TEST(SyncContext, ListingsWaitWhileTheDownloadQueueIsFull) {
  s3::S3Session session(s3::Endpoint::parse(std::string("http://127.0.0.1:1")),
                        s3::Credentials{"id", "secret", ""}, "us-east-1", {});
  http::TransferEngine engine({});
  SilentEvents events;
  sync::SyncJob job;
  sync::SyncContext context(job, session, engine, events);

  context.submit_listing(std::make_unique<IdleTransfer>());
  EXPECT_EQ(engine.queued_count(), 1u);
  EXPECT_TRUE(context.parked_listings.empty());

  for (std::size_t i = 0; i < sync::SyncContext::k_queue_high_water; ++i) {
    engine.submit(std::make_unique<IdleTransfer>());
  }
  const std::size_t queued = engine.queued_count();
  context.submit_listing(std::make_unique<IdleTransfer>());
  EXPECT_EQ(engine.queued_count(), queued);  // parked, not queued
  EXPECT_EQ(context.parked_listings.size(), 1u);

  context.resume_parked_listings();  // still above the low-water mark: stays parked
  EXPECT_EQ(context.parked_listings.size(), 1u);
}

TEST(SyncContext, ParkedListingsResumeBelowTheLowWaterMark) {
  s3::S3Session session(s3::Endpoint::parse(std::string("http://127.0.0.1:1")),
                        s3::Credentials{"id", "secret", ""}, "us-east-1", {});
  http::TransferEngine engine({});
  SilentEvents events;
  sync::SyncJob job;
  sync::SyncContext context(job, session, engine, events);
  context.parked_listings.push_back(std::make_unique<IdleTransfer>());
  context.parked_listings.push_back(std::make_unique<IdleTransfer>());
  context.resume_parked_listings();
  EXPECT_TRUE(context.parked_listings.empty());
  EXPECT_EQ(engine.queued_count(), 2u);
}
