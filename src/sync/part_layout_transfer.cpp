#include "sync/part_layout_transfer.hpp"

#include "sync/part_layout.hpp"
#include "sync/ranged_download.hpp"

namespace gsync::sync {

PartLayoutTransfer::PartLayoutTransfer(SyncContext& context, RemoteObject object,
                                       std::filesystem::path relative_path, bool replace)
    : m_context(context),
      m_object(std::move(object)),
      m_relative_path(std::move(relative_path)),
      m_replace(replace) {}

http::HttpRequest PartLayoutTransfer::make_request() {
  ++m_attempts;
  return m_context.session.sign(
      s3::head_object_part_request(m_context.job.bucket, m_object.key, 1));
}

std::optional<std::chrono::milliseconds> PartLayoutTransfer::on_complete(
    http::HttpResponse&& response) {
  const s3::ResponseOutcome outcome = s3::classify_response(response);
  if (outcome.kind == s3::OutcomeKind::transient || outcome.kind == s3::OutcomeKind::wrong_region) {
    if (auto delay = retry_delay(m_context, outcome, m_attempts,
                                 "part layout of " + m_context.job.s3_url(m_object.key))) {
      return delay;
    }
  }
  if (m_context.engine.stopping()) {
    return std::nullopt;
  }
  const auto layout = parse_part_layout(response, m_object.size, m_object.etag);
  const std::uint64_t part_size = layout ? layout->part_size : m_context.job.part_size;
  RangedDownload::start(m_context, std::move(m_object), std::move(m_relative_path), m_replace,
                        part_size, 1, layout);
  return std::nullopt;
}

}  // namespace gsync::sync
