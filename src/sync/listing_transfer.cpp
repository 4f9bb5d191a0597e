#include "sync/listing_transfer.hpp"

#include <fmt/format.h>

#include "s3/list_objects_result.hpp"
#include "sync/download_transfer.hpp"

namespace gsync::sync {

ListingTransfer::ListingTransfer(SyncContext& context, std::string prefix, int delimiter_depth,
                                 std::optional<std::string> continuation_token)
    : m_context(context),
      m_prefix(std::move(prefix)),
      m_delimiter_depth(delimiter_depth),
      m_continuation_token(std::move(continuation_token)) {}

http::HttpRequest ListingTransfer::make_request() {
  ++m_attempts;
  m_body.clear();
  const auto delimiter = m_delimiter_depth > 0 ? std::optional<std::string>("/") : std::nullopt;
  return m_context.session.sign(
      s3::list_objects_v2_request(m_context.job.bucket, m_prefix, delimiter, m_continuation_token));
}

bool ListingTransfer::on_body(std::string_view chunk) {
  m_body.append(chunk);
  return true;
}

std::optional<std::chrono::milliseconds> ListingTransfer::on_complete(
    http::HttpResponse&& response) {
  auto delay = handle_response(std::move(response));
  if (!delay) {
    m_context.listing_finished();
  }
  return delay;
}

std::optional<std::chrono::milliseconds> ListingTransfer::handle_response(
    http::HttpResponse&& response) {
  s3::ResponseOutcome outcome = s3::classify_response(response);
  if (outcome.kind == s3::OutcomeKind::success) {
    s3::ListObjectsPage page;
    try {
      page = s3::parse_list_objects_v2(m_body);
    } catch (const Error& error) {
      // A cut-off or garbled page is a transport problem in disguise: ask again.
      outcome.kind = s3::OutcomeKind::transient;
      outcome.description = fmt::format("unreadable listing: {}", error.what());
    }
    if (outcome.kind == s3::OutcomeKind::success) {
      for (auto& object : page.objects) {
        plan_and_start(m_context, RemoteObject{std::move(object.key), object.size,
                                               object.last_modified, std::move(object.etag)});
      }
      for (auto& common_prefix : page.common_prefixes) {
        const std::string_view remainder =
            std::string_view(common_prefix)
                .substr(std::min(common_prefix.size(), m_context.job.root_prefix.size()));
        if (m_context.job.exclude.excludes_common_prefix(remainder)) {
          ++m_context.report.excluded_folders;
          continue;
        }
        m_context.submit_listing(std::make_unique<ListingTransfer>(
            m_context, std::move(common_prefix), m_delimiter_depth - 1));
      }
      if (!page.is_truncated) {
        return std::nullopt;
      }
      // The next page is a new listing transfer, so it waits its turn like any other when
      // the download queue is full.
      m_context.submit_listing(std::make_unique<ListingTransfer>(
          m_context, m_prefix, m_delimiter_depth, std::move(page.next_continuation_token)));
      return std::nullopt;
    }
  }
  const std::string what = fmt::format("listing {}", m_context.job.s3_url(m_prefix));
  if (auto delay = retry_delay(m_context, outcome, m_attempts, what)) {
    return delay;
  }
  handle_failure(outcome);
  return std::nullopt;
}

void ListingTransfer::handle_failure(const s3::ResponseOutcome& outcome) {
  const std::string url = m_context.job.s3_url(m_prefix);
  switch (outcome.kind) {
    case s3::OutcomeKind::access_denied:
      m_context.fail_run(Fatal(fmt::format(
          "Access denied listing {} ({}). Check that the credentials in use may list bucket "
          "'{}' under prefix '{}'.",
          url, outcome.description, m_context.job.bucket, m_prefix)));
      return;
    case s3::OutcomeKind::no_such_bucket:
      m_context.fail_run(Fatal(fmt::format("bucket '{}' does not exist ({})", m_context.job.bucket,
                                           outcome.description)));
      return;
    default:
      if (m_context.engine.stopping()) {
        return;
      }
      m_context.report.add_failure(url, "listing failed: " + outcome.description);
      m_context.events.file_failed(url, "listing failed: " + outcome.description);
      return;
  }
}

}  // namespace gsync::sync
