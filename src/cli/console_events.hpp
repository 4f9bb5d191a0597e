#pragma once

#include <string>
#include <utility>
#include <vector>

#include "cli/console.hpp"
#include "sync/sync_events.hpp"

namespace gsync::cli {

// Prints the pipeline's events. Dry-run lines arrive in the order parallel listings finish;
// they are held and printed sorted by key when the satellite is done, so the output is the
// same from run to run and reads like aws-cli's.
class ConsoleEvents final : public sync::SyncEvents {
 public:
  ConsoleEvents(Console& console, bool verbose);

  void would_download(const std::string& s3_url, const std::string& relative_path) override;
  void downloaded(const std::string& s3_url, const std::string& relative_path, std::uint64_t bytes,
                  bool replaced) override;
  void refused_key(const std::string& key, const std::string& reason) override;
  void file_failed(const std::string& s3_url, const std::string& reason) override;
  void retrying(const std::string& what, const std::string& reason, int attempt) override;

  void flush_dry_run_lines();

 private:
  static constexpr std::size_t k_max_buffered_lines = 10'000;
  Console& m_console;
  bool m_verbose;
  std::vector<std::pair<std::string, std::string>> m_dry_run_lines;  // (s3 url, line)
};

}  // namespace gsync::cli
