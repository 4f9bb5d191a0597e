#include "sync/ranged_download.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sync/download_transfer.hpp"
#include "sync/part_layout_transfer.hpp"

namespace gsync::sync {

void RangedDownload::begin(SyncContext& context, RemoteObject object,
                           std::filesystem::path relative_path, bool replace) {
  if (multipart_etag_parts(object.etag)) {
    context.engine.submit(std::make_unique<PartLayoutTransfer>(context, std::move(object),
                                                               std::move(relative_path), replace));
    return;
  }
  start(context, std::move(object), std::move(relative_path), replace, context.job.part_size);
}

void RangedDownload::start(SyncContext& context, RemoteObject object,
                           std::filesystem::path relative_path, bool replace,
                           std::uint64_t part_size, int attempt, std::optional<PartLayout> layout) {
  std::optional<AtomicFileWriter> writer;
  try {
    // Without an ETag, If-Match cannot pin the version a later run would resume against.
    if (!object.etag.empty()) {
      writer = AtomicFileWriter::open_partial(context.folders, relative_path);
    }
  } catch (const Error& error) {
    record_failure(context, object.key, error.what());
    return;
  }
  if (!writer) {
    // No ETag, or another run holds the partial file (it is fetching this very object):
    // download into a private temp file; whichever finishes first wins the rename.
    writer.emplace(context.folders, std::move(relative_path));
  }
  auto download = std::make_shared<RangedDownload>(context, std::move(object), std::move(*writer),
                                                   replace, part_size, attempt, layout);
  download->submit_parts();
}

RangedDownload::RangedDownload(SyncContext& context, RemoteObject object, AtomicFileWriter writer,
                               bool replace, std::uint64_t part_size, int attempt,
                               std::optional<PartLayout> layout)
    : m_context(context),
      m_object(std::move(object)),
      m_writer(std::move(writer)),
      m_replace(replace),
      m_part_size(part_size),
      m_attempt(attempt),
      m_parts_left(static_cast<std::size_t>((m_object.size + part_size - 1) / part_size)),
      m_part_received(m_parts_left, 0),
      m_layout(layout),
      m_part_md5(m_layout ? m_parts_left : 0) {}

void RangedDownload::submit_parts() {
  try {
    if (m_writer.is_partial()) {
      load_or_start_journal();
    }
  } catch (const Error& error) {
    part_failed(error.what());
    return;
  }
  const std::uint64_t size = m_object.size;
  for (std::uint64_t offset = 0; offset < size; offset += m_part_size) {
    const std::uint64_t length = std::min(m_part_size, size - offset);
    if (m_journal && m_journal->covers(offset, offset + length)) {
      m_part_received[static_cast<std::size_t>(offset / m_part_size)] = length;
      m_writer.note_existing_bytes(offset + length);
      m_resumed_bytes += length;
      --m_parts_left;
      continue;
    }
    m_parts_to_start.push_back(offset);
  }
  submit_more_parts();
  if (m_resumed_bytes > 0) {
    ++m_context.report.resumed;
    m_context.report.resumed_bytes += m_resumed_bytes;
  }
  if (m_parts_left == 0) {
    // Every part was done when the last run stopped; only the commit was missing.
    try {
      finish();
    } catch (const Error& error) {
      part_failed(error.what());
    }
  }
}

void RangedDownload::submit_more_parts() {
  while (!m_failed && !m_parts_to_start.empty() &&
         m_parts_in_flight < std::max(1, m_context.job.streams_per_file)) {
    const std::uint64_t offset = m_parts_to_start.front();
    m_parts_to_start.pop_front();
    ++m_parts_in_flight;
    m_context.engine.submit(std::make_unique<PartTransfer>(
        shared_from_this(), offset, std::min(m_part_size, m_object.size - offset)));
  }
}

void RangedDownload::load_or_start_journal() {
  // Header plus one short line per part; more than that is never written.
  const std::size_t capacity = 256 + m_parts_left * 64;
  std::string text(capacity, '\0');
  const std::size_t got = m_writer.read_at(m_object.size, text.data(), text.size());
  text.resize(got);
  if (auto journal = PartialJournal::parse(text, m_object.etag, m_object.size)) {
    m_journal = std::move(*journal);
    return;
  }
  // Empty, or left by another version of the object: start over.
  m_writer.truncate(0);
  m_journal.emplace(m_object.etag, m_object.size);
  const std::string header = m_journal->header();
  m_writer.write_journal_at(m_object.size, header);
  m_journal->set_text_length(header.size());
}

void RangedDownload::response_started(const http::HttpResponse& response) {
  if (m_verifier) {
    return;
  }
  // A range carries no full-object checksum: the ETag's MD5 is the only whole-object check.
  VerifyPlan plan = plan_verification(response, m_object.etag);
  if (plan.method != VerifyMethod::md5 && plan.method != VerifyMethod::none) {
    plan = plan_verification_for_etag(m_object.etag);
  }
  m_verifier.emplace(std::move(plan));
}

void RangedDownload::part_wrote(std::uint64_t offset, std::string_view chunk,
                                std::uint64_t part_received) {
  m_part_received[static_cast<std::size_t>(offset / m_part_size)] = part_received;
  if (!m_verifier || !m_verifier->verifies()) {
    return;
  }
  // A retried part rewrites bytes already hashed (the same bytes: If-Match pins the
  // version), so only what lies beyond the frontier counts.
  if (offset <= m_verified_up_to && m_verified_up_to < offset + chunk.size()) {
    m_verifier->update(chunk.substr(static_cast<std::size_t>(m_verified_up_to - offset)));
    m_verified_up_to = offset + chunk.size();
  }
  catch_up_verification();
}

void RangedDownload::catch_up_verification() {
  static constexpr std::size_t k_read_size = 1 << 20;
  std::string buffer;
  while (m_verified_up_to < m_object.size) {
    const auto part = static_cast<std::size_t>(m_verified_up_to / m_part_size);
    const std::uint64_t available = part * m_part_size + m_part_received[part];
    if (m_verified_up_to >= available) {
      return;
    }
    buffer.resize(static_cast<std::size_t>(
        std::min<std::uint64_t>(k_read_size, available - m_verified_up_to)));
    const std::size_t got = m_writer.read_at(m_verified_up_to, buffer.data(), buffer.size());
    if (got == 0) {
      throw Error("the temporary file is shorter than the bytes written to it");
    }
    m_verifier->update(std::string_view(buffer.data(), got));
    m_verified_up_to += got;
  }
}

void RangedDownload::part_succeeded(std::uint64_t offset, std::uint64_t length,
                                    std::string part_md5) {
  if (m_failed) {
    return;
  }
  if (m_layout) {
    m_part_md5[static_cast<std::size_t>(offset / m_part_size)] = std::move(part_md5);
  }
  try {
    if (m_journal) {
      // Recorded only once its bytes are all in the file, so a resumed run never trusts a
      // part that was cut off. (Not fsync'd: a power cut may lose recent parts' data, which
      // the MD5 check then catches where the ETag allows one.)
      const std::string line = PartialJournal::done_line(offset, offset + length);
      m_writer.write_journal_at(m_object.size + m_journal->text_length(), line);
      m_journal->add_done(offset, offset + length);
      m_journal->set_text_length(m_journal->text_length() + line.size());
    }
    --m_parts_in_flight;
    if (--m_parts_left > 0) {
      submit_more_parts();
      return;
    }
    finish();
  } catch (const Error& error) {
    part_failed(error.what());
  }
}

std::optional<std::string> RangedDownload::multipart_mismatch() {
  // Parts resumed from an earlier run were not hashed as they arrived: read them back.
  static constexpr std::size_t k_read_size = 1 << 20;
  std::string buffer(k_read_size, '\0');
  for (std::size_t part = 0; part < m_part_md5.size(); ++part) {
    if (!m_part_md5[part].empty()) {
      continue;
    }
    util::Digest md5(util::DigestKind::md5);
    const std::uint64_t first = part * m_part_size;
    const std::uint64_t end = std::min(first + m_part_size, m_object.size);
    for (std::uint64_t at = first; at < end;) {
      const std::size_t want =
          static_cast<std::size_t>(std::min<std::uint64_t>(k_read_size, end - at));
      const std::size_t got = m_writer.read_at(at, buffer.data(), want);
      if (got == 0) {
        return std::string("the temporary file is shorter than its parts");
      }
      md5.update(std::string_view(buffer.data(), got));
      at += got;
    }
    const auto raw = md5.finish();
    m_part_md5[part].assign(raw.begin(), raw.end());
  }
  const std::string_view expected = unquoted_etag(m_object.etag);
  const std::string actual = multipart_etag(m_part_md5);
  if (actual == expected) {
    return std::nullopt;
  }
  return "multipart MD5 mismatch: expected " + std::string(expected) + ", got " + actual +
         " (corrupted in transit?)";
}

void RangedDownload::retry_or_fail(const std::string& mismatch) {
  m_failed = true;  // cancels nothing: every part is done
  m_writer.keep_partial_on_abort(false);
  m_writer.abort();
  const auto& policy = m_context.session.retry_policy();
  if (policy.may_retry(m_attempt) && !m_context.engine.stopping()) {
    m_context.events.retrying("download " + m_context.job.s3_url(m_object.key), mismatch,
                              m_attempt);
    start(m_context, m_object, m_writer.relative_path(), m_replace, m_part_size, m_attempt + 1,
          m_layout);
  } else {
    record_failure(m_context, m_object.key, mismatch);
  }
}

void RangedDownload::finish() {
  if (m_layout) {
    if (auto mismatch = multipart_mismatch()) {
      retry_or_fail(*mismatch);
      return;
    }
    const BodyVerifier checked(VerifyPlan{VerifyMethod::multipart_md5, {}, {}});
    const CommitResult result = m_writer.commit(m_object.last_modified, m_object.size, m_replace);
    record_commit(m_context, m_object, m_writer.relative_path(), result, m_replace, checked);
    return;
  }
  if (!m_verifier) {
    m_verifier.emplace(plan_verification_for_etag(m_object.etag));
  }
  if (m_verifier->verifies()) {
    catch_up_verification();
    std::optional<std::string> mismatch =
        m_verified_up_to == m_object.size
            ? m_verifier->mismatch()
            : std::optional<std::string>("parts missing when verifying");
    if (mismatch) {
      retry_or_fail(*mismatch);
      return;
    }
  }
  const CommitResult result = m_writer.commit(m_object.last_modified, m_object.size, m_replace);
  record_commit(m_context, m_object, m_writer.relative_path(), result, m_replace, *m_verifier);
}

void RangedDownload::part_failed(const std::string& reason) {
  if (m_failed) {
    return;
  }
  m_failed = true;
  // An interrupted run keeps its partial file for the next run to resume; a real failure
  // removes it.
  m_writer.keep_partial_on_abort(m_context.engine.stopping());
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
  if (m_download->checks_part_md5()) {
    m_md5.emplace(util::DigestKind::md5);
  }
  SyncContext& context = m_download->context();
  auto request = s3::get_object_request(context.job.bucket, m_download->object().key);
  request.headers.emplace_back("range",
                               fmt::format("bytes={}-{}", m_offset, m_offset + m_length - 1));
  if (!m_download->object().etag.empty()) {
    request.headers.emplace_back("if-match", m_download->object().etag);
  }
  auto signed_request = context.session.sign(request);
  signed_request.receive_buffer_bytes = k_large_receive_buffer;
  return signed_request;
}

void PartTransfer::on_response_start(const http::HttpResponse& response) {
  m_download->response_started(response);
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
    if (m_md5) {
      m_md5->update(chunk);
    }
    m_received += chunk.size();
    m_download->part_wrote(m_offset + m_received - chunk.size(), chunk, m_received);
  } catch (const Error& error) {
    m_local_error = error.what();
    return false;
  }
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
      std::string part_md5;
      if (m_md5) {
        const auto raw = m_md5->finish();
        part_md5.assign(raw.begin(), raw.end());
      }
      m_download->part_succeeded(m_offset, m_length, std::move(part_md5));
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
