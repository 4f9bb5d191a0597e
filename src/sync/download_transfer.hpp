#pragma once

#include <memory>
#include <optional>
#include <string>

#include "http/transfer.hpp"
#include "sync/atomic_file_writer.hpp"
#include "sync/body_verifier.hpp"
#include "sync/remote_object.hpp"
#include "sync/sync_context.hpp"

namespace gsync::sync {

// Streams one object to a temporary file beside its destination and renames it into place
// only once every byte has arrived, with the object's LastModified as its mtime.
class DownloadTransfer final : public http::Transfer {
 public:
  DownloadTransfer(SyncContext& context, RemoteObject object, std::filesystem::path relative_path,
                   bool replace);

  http::HttpRequest make_request() override;
  void on_response_start(const http::HttpResponse& response) override;
  bool on_body(std::string_view chunk) override;
  std::optional<std::chrono::milliseconds> on_complete(http::HttpResponse&& response) override;

 private:
  void finish_successful_response(const http::HttpResponse& response);

  SyncContext& m_context;
  RemoteObject m_object;
  std::filesystem::path m_relative_path;
  bool m_replace;
  std::unique_ptr<AtomicFileWriter> m_writer;
  std::optional<BodyVerifier> m_verifier;    // per attempt, from the response's headers
  std::optional<std::string> m_local_error;  // a disk problem: retrying the request won't help
  int m_attempts = 0;
};

// libcurl's receive buffer for object bodies: fewer, larger writes to disk. Listings keep
// the 16 KiB default, so a no-op sync (listings only) stays small.
constexpr long k_large_receive_buffer = 256L * 1024L;

// Plans one listed object and acts on the step: counts it, prints it (dry run) or starts
// its download (single-stream, or ranged parts above the job's threshold).
void plan_and_start(SyncContext& context, RemoteObject object);

// Shared by single-stream and ranged downloads: count a finished commit or a failure.
// `verifier` is the check the bytes passed (or why none was possible).
void record_commit(SyncContext& context, const RemoteObject& object,
                   const std::filesystem::path& relative_path, CommitResult result, bool replace,
                   const BodyVerifier& verifier);
void record_failure(SyncContext& context, const std::string& key, const std::string& reason);
std::string describe_download_failure(const s3::ResponseOutcome& outcome);

}  // namespace gsync::sync
