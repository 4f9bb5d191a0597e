#pragma once

#include <string>

#include "http/transfer.hpp"
#include "sync/sync_context.hpp"

namespace gsync::sync {

// Lists one prefix page by page and feeds every object to the planner as soon as its page
// arrives, so downloads start while listing goes on. With delimiter_depth > 0 it lists one
// level with '/' as delimiter and starts a listing per sub-folder: sub-folders are listed
// in parallel, and excluded folders are never listed at all.
class ListingTransfer final : public http::Transfer {
 public:
  ListingTransfer(SyncContext& context, std::string prefix, int delimiter_depth,
                  std::optional<std::string> continuation_token = std::nullopt);

  http::HttpRequest make_request() override;
  bool on_body(std::string_view chunk) override;
  std::optional<std::chrono::milliseconds> on_complete(http::HttpResponse&& response) override;
  bool urgent() const override { return true; }

 private:
  std::optional<std::chrono::milliseconds> handle_response(http::HttpResponse&& response);
  void handle_failure(const s3::ResponseOutcome& outcome);

  SyncContext& m_context;
  std::string m_prefix;
  int m_delimiter_depth;
  std::optional<std::string> m_continuation_token;
  std::string m_body;
  int m_attempts = 0;
};

}  // namespace gsync::sync
