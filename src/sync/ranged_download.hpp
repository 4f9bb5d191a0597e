#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "http/transfer.hpp"
#include "sync/atomic_file_writer.hpp"
#include "sync/remote_object.hpp"
#include "sync/sync_context.hpp"

namespace gsync::sync {

// One large object fetched as ranged parts in parallel. The parts write with pwrite into
// one temporary file, which is renamed into place only when every part has all its bytes,
// exactly as a single-stream download would be. Parts carry If-Match with the listed ETag,
// so an object rewritten in S3 mid-download fails instead of producing a mixed file.
class RangedDownload : public std::enable_shared_from_this<RangedDownload> {
 public:
  // Submits one transfer per part to the engine.
  static void start(SyncContext& context, RemoteObject object, std::filesystem::path relative_path,
                    bool replace, std::uint64_t part_size);

  RangedDownload(SyncContext& context, RemoteObject object, std::filesystem::path relative_path,
                 bool replace, std::size_t part_count);

  SyncContext& context() { return m_context; }
  const RemoteObject& object() const { return m_object; }
  AtomicFileWriter& writer() { return m_writer; }
  bool failed() const { return m_failed; }

  void part_succeeded();
  void part_failed(const std::string& reason);

 private:
  SyncContext& m_context;
  RemoteObject m_object;
  AtomicFileWriter m_writer;
  bool m_replace;
  std::size_t m_parts_left;
  bool m_failed = false;
};

class PartTransfer final : public http::Transfer {
 public:
  PartTransfer(std::shared_ptr<RangedDownload> download, std::uint64_t offset,
               std::uint64_t length);

  http::HttpRequest make_request() override;
  bool on_body(std::string_view chunk) override;
  std::optional<std::chrono::milliseconds> on_complete(http::HttpResponse&& response) override;
  bool cancelled() const override { return m_download->failed(); }

 private:
  std::shared_ptr<RangedDownload> m_download;
  std::uint64_t m_offset;
  std::uint64_t m_length;
  std::uint64_t m_received = 0;
  std::optional<std::string> m_local_error;
  int m_attempts = 0;
};

}  // namespace gsync::sync
