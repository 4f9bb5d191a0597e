#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "http/transfer.hpp"
#include "sync/atomic_file_writer.hpp"
#include "sync/body_verifier.hpp"
#include "sync/part_layout.hpp"
#include "sync/partial_journal.hpp"
#include "sync/remote_object.hpp"
#include "sync/sync_context.hpp"
#include "util/digest.hpp"

namespace gsync::sync {

// One large object fetched as ranged parts in parallel. The parts write with pwrite into
// one temporary file, which is renamed into place only when every part has all its bytes,
// exactly as a single-stream download would be. Parts carry If-Match with the listed ETag,
// so an object rewritten in S3 mid-download fails instead of producing a mixed file.
class RangedDownload : public std::enable_shared_from_this<RangedDownload> {
 public:
  // Submits one transfer per part to the engine.
  // `attempt` counts whole-object attempts: a download whose assembled bytes fail their
  // MD5 starts over, as a new RangedDownload, until the retries run out.
  // With a layout (see PartLayoutTransfer) the parts are the upload's parts, each is
  // hashed as it arrives, and the ETag's MD5 of part MD5s is checked.
  static void start(SyncContext& context, RemoteObject object, std::filesystem::path relative_path,
                    bool replace, std::uint64_t part_size, int attempt = 1,
                    std::optional<PartLayout> layout = std::nullopt);
  // The first attempt: multipart objects ask for their part layout first.
  static void begin(SyncContext& context, RemoteObject object, std::filesystem::path relative_path,
                    bool replace);

  RangedDownload(SyncContext& context, RemoteObject object, AtomicFileWriter writer, bool replace,
                 std::uint64_t part_size, int attempt, std::optional<PartLayout> layout);

  SyncContext& context() { return m_context; }
  const RemoteObject& object() const { return m_object; }
  AtomicFileWriter& writer() { return m_writer; }
  bool failed() const { return m_failed; }

  void response_started(const http::HttpResponse& response);
  // A part attempt wrote `chunk` at `offset`; the part now has `part_received` bytes.
  void part_wrote(std::uint64_t offset, std::string_view chunk, std::uint64_t part_received);
  // part_md5 is the raw MD5 of the part's bytes when checks_part_md5(), else empty.
  void part_succeeded(std::uint64_t offset, std::uint64_t length, std::string part_md5);
  bool checks_part_md5() const { return m_layout.has_value(); }
  void part_failed(const std::string& reason);

 private:
  // Resumes what an earlier run left in a partial file, or starts its journal afresh;
  // then submits the parts still missing.
  void submit_parts();
  void submit_more_parts();
  void load_or_start_journal();
  void catch_up_verification();
  void finish();
  std::optional<std::string> multipart_mismatch();
  void retry_or_fail(const std::string& mismatch);

  SyncContext& m_context;
  RemoteObject m_object;
  AtomicFileWriter m_writer;
  bool m_replace;
  std::uint64_t m_part_size;
  int m_attempt;
  std::size_t m_parts_left;
  bool m_failed = false;
  // Whole-object MD5 over parts that arrive in any order: bytes are hashed in file order. A
  // chunk landing at the frontier is hashed from memory; the frontier then catches up
  // through bytes later parts already wrote, read back from the (page-cached) temp file.
  std::optional<BodyVerifier> m_verifier;
  std::vector<std::uint64_t> m_part_received;
  std::uint64_t m_verified_up_to = 0;
  // Set when the temp file is a resumable partial file (see PartialJournal).
  std::optional<PartialJournal> m_journal;
  std::uint64_t m_resumed_bytes = 0;
  // Offsets of parts still to start; at most job.streams_per_file run at once.
  std::deque<std::uint64_t> m_parts_to_start;
  int m_parts_in_flight = 0;
  // Known for multipart objects on servers that report it: then each part's MD5.
  std::optional<PartLayout> m_layout;
  std::vector<std::string> m_part_md5;
};

class PartTransfer final : public http::Transfer {
 public:
  PartTransfer(std::shared_ptr<RangedDownload> download, std::uint64_t offset,
               std::uint64_t length);

  http::HttpRequest make_request() override;
  void on_response_start(const http::HttpResponse& response) override;
  bool on_body(std::string_view chunk) override;
  std::optional<std::chrono::milliseconds> on_complete(http::HttpResponse&& response) override;
  bool cancelled() const override { return m_download->failed(); }

 private:
  std::shared_ptr<RangedDownload> m_download;
  std::uint64_t m_offset;
  std::uint64_t m_length;
  std::uint64_t m_received = 0;
  std::optional<std::string> m_local_error;
  std::optional<util::Digest> m_md5;  // this attempt's bytes, when the download checks parts
  int m_attempts = 0;
};

}  // namespace gsync::sync
