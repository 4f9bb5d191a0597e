#include "sync/ranged_download.hpp"

#include <fmt/format.h>

#include "sync/download_transfer.hpp"

namespace gsync::sync {

void RangedDownload::start(SyncContext& context, RemoteObject object,
                           std::filesystem::path relative_path, bool replace,
                           std::uint64_t part_size) {
  const std::uint64_t size = object.size;
  const auto part_count = static_cast<std::size_t>((size + part_size - 1) / part_size);
  auto download = std::make_shared<RangedDownload>(context, std::move(object),
                                                   std::move(relative_path), replace, part_count);
  for (std::uint64_t offset = 0; offset < size; offset += part_size) {
    context.engine.submit(
        std::make_unique<PartTransfer>(download, offset, std::min(part_size, size - offset)));
  }
}

RangedDownload::RangedDownload(SyncContext& context, RemoteObject object,
                               std::filesystem::path relative_path, bool replace,
                               std::size_t part_count)
    : m_context(context),
      m_object(std::move(object)),
      m_writer(context.folders, std::move(relative_path)),
      m_replace(replace),
      m_parts_left(part_count) {}

void RangedDownload::part_succeeded() {
  if (m_failed || --m_parts_left > 0) {
    return;
  }
  try {
    const CommitResult result = m_writer.commit(m_object.last_modified, m_object.size, m_replace);
    record_commit(m_context, m_object, m_writer.relative_path(), result, m_replace);
  } catch (const Error& error) {
    part_failed(error.what());
  }
}

void RangedDownload::part_failed(const std::string& reason) {
  if (m_failed) {
    return;
  }
  m_failed = true;
  m_writer.abort();
  record_failure(m_context, m_object.key, reason);
}

PartTransfer::PartTransfer(std::shared_ptr<RangedDownload> download, std::uint64_t offset,
                           std::uint64_t length)
    : m_download(std::move(download)), m_offset(offset), m_length(length) {}

http::HttpRequest PartTransfer::make_request() {
  ++m_attempts;
  m_received = 0;
  m_local_error.reset();
  SyncContext& context = m_download->context();
  auto request = s3::get_object_request(context.job.bucket, m_download->object().key);
  request.headers.emplace_back("range",
                               fmt::format("bytes={}-{}", m_offset, m_offset + m_length - 1));
  if (!m_download->object().etag.empty()) {
    request.headers.emplace_back("if-match", m_download->object().etag);
  }
  return context.session.sign(request);
}

bool PartTransfer::on_body(std::string_view chunk) {
  if (m_download->failed()) {
    return false;
  }
  if (m_received + chunk.size() > m_length) {
    m_local_error = "the server sent more bytes than the requested range";
    return false;
  }
  try {
    m_download->writer().write_at(m_offset + m_received, chunk);
  } catch (const Error& error) {
    m_local_error = error.what();
    return false;
  }
  m_received += chunk.size();
  return true;
}

std::optional<std::chrono::milliseconds> PartTransfer::on_complete(http::HttpResponse&& response) {
  if (m_download->failed()) {
    return std::nullopt;
  }
  if (m_local_error) {
    m_download->part_failed(*m_local_error);
    return std::nullopt;
  }
  SyncContext& context = m_download->context();
  s3::ResponseOutcome outcome = s3::classify_response(response);
  if (outcome.kind == s3::OutcomeKind::success) {
    if (response.status != 206) {
      outcome.kind = s3::OutcomeKind::permanent;
      outcome.description =
          fmt::format("the server ignored the Range request (HTTP {})", response.status);
    } else if (m_received != m_length) {
      outcome.kind = s3::OutcomeKind::transient;
      outcome.description =
          fmt::format("part at {} truncated: got {} of {} bytes", m_offset, m_received, m_length);
    } else {
      m_download->part_succeeded();
      return std::nullopt;
    }
  }
  if (response.status == 412) {
    m_download->part_failed("the object changed in S3 during the download; run the sync again");
    return std::nullopt;
  }
  const std::string what = "download " + context.job.s3_url(m_download->object().key);
  if (auto delay = retry_delay(context, outcome, m_attempts, what)) {
    return delay;
  }
  m_download->part_failed(describe_download_failure(outcome));
  return std::nullopt;
}

}  // namespace gsync::sync
