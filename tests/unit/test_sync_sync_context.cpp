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

class SyncContextTest : public ::testing::Test {
 protected:
  static http::EngineOptions two_slots() {
    http::EngineOptions options;
    options.max_concurrent = 2;
    return options;
  }

  s3::S3Session session{s3::Endpoint::parse(std::string("http://127.0.0.1:1")),
                        s3::Credentials{"id", "secret", ""},
                        "us-east-1",
                        {}};
  http::TransferEngine engine{two_slots()};
  SilentEvents events;
  sync::SyncJob job;
  sync::SyncContext context{job, session, engine, events};
};

TEST_F(SyncContextTest, ListingsWaitWhileTheDownloadQueueIsFull) {
  context.submit_listing(std::make_unique<IdleTransfer>());
  EXPECT_EQ(engine.queued_count(), 1u);
  EXPECT_TRUE(context.parked_listings.empty());
  EXPECT_EQ(context.listings_in_flight, 1u);
  context.listing_finished();

  const std::size_t room =
      sync::SyncContext::k_object_budget - sync::SyncContext::k_objects_per_page;
  for (std::size_t i = 0; i <= room; ++i) {
    engine.submit(std::make_unique<IdleTransfer>());
  }
  const std::size_t queued = engine.queued_count();
  context.submit_listing(std::make_unique<IdleTransfer>());
  EXPECT_EQ(engine.queued_count(), queued);  // parked, not queued
  EXPECT_EQ(context.parked_listings.size(), 1u);

  context.release_listings();  // the queue is still full: stays parked
  EXPECT_EQ(context.parked_listings.size(), 1u);
  EXPECT_EQ(context.listings_in_flight, 0u);
}

TEST_F(SyncContextTest, NoMoreListingsInFlightThanTransferSlots) {
  for (int i = 0; i < 5; ++i) {
    context.submit_listing(std::make_unique<IdleTransfer>());
  }
  EXPECT_EQ(context.listings_in_flight, 2u);
  EXPECT_EQ(context.parked_listings.size(), 3u);
  EXPECT_EQ(engine.queued_count(), 2u);

  context.listing_finished();
  context.release_listings();
  EXPECT_EQ(context.listings_in_flight, 2u);
  EXPECT_EQ(context.parked_listings.size(), 2u);
  EXPECT_EQ(engine.queued_count(), 3u);
}

TEST_F(SyncContextTest, ParkedListingsAreReleasedInOrderOnceThereIsRoom) {
  context.parked_listings.push_back(std::make_unique<IdleTransfer>());
  http::Transfer* second =
      context.parked_listings.emplace_back(std::make_unique<IdleTransfer>()).get();
  context.parked_listings.push_back(std::make_unique<IdleTransfer>());
  context.release_listings();
  EXPECT_EQ(context.listings_in_flight, 2u);
  ASSERT_EQ(context.parked_listings.size(), 1u);
  EXPECT_NE(context.parked_listings.front().get(), second);
}
