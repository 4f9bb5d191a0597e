#pragma once

#include <cstdint>
#include <filesystem>

#include "http/transfer.hpp"
#include "sync/remote_object.hpp"
#include "sync/sync_context.hpp"

namespace gsync::sync {

// Asks for a multipart object's part layout (HEAD ?partNumber=1) before its ranged
// download starts, so the download can cut its ranges at the upload's part boundaries and
// check the ETag's MD5 of part MD5s. Any answer that does not give the layout (a gateway
// without partNumber support, an error) starts the download unverifiable, never fails it.
class PartLayoutTransfer final : public http::Transfer {
 public:
  PartLayoutTransfer(SyncContext& context, RemoteObject object, std::filesystem::path relative_path,
                     bool replace);

  http::HttpRequest make_request() override;
  bool on_body(std::string_view) override { return true; }
  std::optional<std::chrono::milliseconds> on_complete(http::HttpResponse&& response) override;

 private:
  SyncContext& m_context;
  RemoteObject m_object;
  std::filesystem::path m_relative_path;
  bool m_replace;
  int m_attempts = 0;
};

}  // namespace gsync::sync
