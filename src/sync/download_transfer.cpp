#include "sync/download_transfer.hpp"

#include <charconv>

#include <fmt/format.h>

#include "sync/ranged_download.hpp"

namespace gsync::sync {

DownloadTransfer::DownloadTransfer(SyncContext& context, RemoteObject object,
                                   std::filesystem::path relative_path, bool replace)
    : m_context(context),
      m_object(std::move(object)),
      m_relative_path(std::move(relative_path)),
      m_replace(replace) {}

http::HttpRequest DownloadTransfer::make_request() {
  ++m_attempts;
  // A fresh temporary file per attempt; the previous attempt's one is removed with its writer.
  m_writer = std::make_unique<AtomicFileWriter>(m_context.folders, m_relative_path);
  m_verifier.reset();
  m_local_error.reset();
  auto request = s3::get_object_request(m_context.job.bucket, m_object.key);
  // Asks S3 for the object's full-object checksum, where it has one, to verify against.
  request.headers.emplace_back("x-amz-checksum-mode", "ENABLED");
  auto signed_request = m_context.session.sign(request);
  signed_request.receive_buffer_bytes = k_large_receive_buffer;
  return signed_request;
}

void DownloadTransfer::on_response_start(const http::HttpResponse& response) {
  m_verifier.emplace(plan_verification(response, m_object.etag));
}

bool DownloadTransfer::on_body(std::string_view chunk) {
  try {
    if (!m_verifier) {  // the engine announces every 2xx body; this is only a safety net
      m_verifier.emplace(VerifyPlan{VerifyMethod::none, {}, "no response headers"});
    }
    m_verifier->update(chunk);
    m_writer->write(chunk);
    return true;
  } catch (const Error& error) {
    m_local_error = error.what();
    return false;
  }
}

std::optional<std::chrono::milliseconds> DownloadTransfer::on_complete(
    http::HttpResponse&& response) {
  if (m_local_error) {
    m_writer->abort();
    record_failure(m_context, m_object.key, *m_local_error);
    return std::nullopt;
  }
  s3::ResponseOutcome outcome = s3::classify_response(response);
  if (outcome.kind == s3::OutcomeKind::success) {
    try {
      finish_successful_response(response);
      return std::nullopt;
    } catch (const Error& error) {
      // Fewer bytes than announced, or bytes that do not match their checksum: the
      // connection broke or garbled them in a way curl did not notice. Ask again.
      outcome.kind = s3::OutcomeKind::transient;
      outcome.description = error.what();
    }
  }
  m_writer->abort();
  const std::string url = m_context.job.s3_url(m_object.key);
  if (auto delay = retry_delay(m_context, outcome, m_attempts, "download " + url)) {
    return delay;
  }
  record_failure(m_context, m_object.key, describe_download_failure(outcome));
  return std::nullopt;
}

void DownloadTransfer::finish_successful_response(const http::HttpResponse& response) {
  // The object may have been rewritten since it was listed; trust what this response says.
  std::uint64_t expected = m_object.size;
  if (auto length = response.header("content-length")) {
    std::uint64_t parsed = 0;
    const auto result = std::from_chars(length->data(), length->data() + length->size(), parsed);
    if (result.ec == std::errc() && result.ptr == length->data() + length->size()) {
      expected = parsed;
    }
  }
  if (!m_verifier) {
    m_verifier.emplace(plan_verification(response, m_object.etag));  // an empty body
  }
  if (m_writer->bytes_written() == expected) {
    if (auto mismatch = m_verifier->mismatch()) {
      throw Error(*mismatch);  // never renamed into place
    }
  }
  const CommitResult result = m_writer->commit(m_object.last_modified, expected, m_replace);
  m_object.size = expected;
  record_commit(m_context, m_object, m_relative_path, result, m_replace, *m_verifier);
}

std::string describe_download_failure(const s3::ResponseOutcome& outcome) {
  switch (outcome.kind) {
    case s3::OutcomeKind::not_found:
      return "the object was deleted from S3 after it was listed";
    case s3::OutcomeKind::archived:
      return "the object is archived (Glacier storage class); restore it before syncing";
    default:
      return outcome.description;
  }
}

void record_commit(SyncContext& context, const RemoteObject& object,
                   const std::filesystem::path& relative_path, CommitResult result, bool replace,
                   const BodyVerifier& verifier) {
  if (result == CommitResult::already_exists) {
    // Someone else (a colleague's sync of the same shared folder) created it meanwhile;
    // safe mode never overwrites, and their copy is as good as ours.
    ++context.report.skipped;
    return;
  }
  ++context.report.downloaded;
  if (verifier.verifies()) {
    ++context.report.verified;
  } else {
    context.report.add_not_verified(verifier.why_not());
  }
  if (replace) {
    ++context.report.replaced;
  }
  context.report.bytes += object.size;
  context.events.downloaded(context.job.s3_url(object.key), relative_path.string(), object.size,
                            replace);
}

void record_failure(SyncContext& context, const std::string& key, const std::string& reason) {
  if (context.engine.stopping()) {
    return;  // interrupted, not failed: the run reports the interruption once
  }
  const std::string url = context.job.s3_url(key);
  context.report.add_failure(url, reason);
  context.events.file_failed(url, reason);
}

void plan_and_start(SyncContext& context, RemoteObject object) {
  ++context.report.listed;
  PlanStep step = context.planner.plan(object);
  SyncReport& report = context.report;
  switch (step.kind) {
    case StepKind::excluded:
      ++report.excluded;
      return;
    case StepKind::directory_marker:
      return;
    case StepKind::refused:
      ++report.refused;
      context.events.refused_key(object.key, step.reason);
      return;
    case StepKind::skip:
      ++report.skipped;
      return;
    case StepKind::keep:
      report.add_kept(
          {step.relative_path.string(), step.local ? step.local->size : 0, object.size});
      return;
    case StepKind::local_problem:
      record_failure(context, object.key, step.reason);
      return;
    case StepKind::download:
    case StepKind::replace:
      break;
  }
  const bool replace = step.kind == StepKind::replace;
  if (context.job.dry_run) {
    ++report.downloaded;
    if (replace) {
      ++report.replaced;
    }
    report.bytes += object.size;
    context.events.would_download(context.job.s3_url(object.key), step.relative_path.string());
    return;
  }
  if (object.size > context.job.multipart_threshold) {
    RangedDownload::begin(context, std::move(object), std::move(step.relative_path), replace);
    return;
  }
  context.engine.submit(std::make_unique<DownloadTransfer>(context, std::move(object),
                                                           std::move(step.relative_path), replace));
}

}  // namespace gsync::sync
