#include "cli/console_events.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/human_units.hpp"
#include "util/printable.hpp"

namespace gsync::cli {

ConsoleEvents::ConsoleEvents(Console& console, bool verbose)
    : m_console(console), m_verbose(verbose) {}

void ConsoleEvents::would_download(const std::string& s3_url, const std::string& relative_path) {
  m_dry_run_lines.emplace_back(s3_url,
                               fmt::format("(dryrun) download: {} to {}", s3_url, relative_path));
  // Sorted output is nice, bounded memory is essential: a million-object dry run prints in
  // sorted batches.
  if (m_dry_run_lines.size() >= k_max_buffered_lines) {
    flush_dry_run_lines();
  }
}

void ConsoleEvents::downloaded(const std::string& s3_url, const std::string& relative_path,
                               std::uint64_t bytes, bool replaced) {
  if (m_verbose) {
    m_console.out(fmt::format("{}: {} to {} ({})", replaced ? "replace" : "download", s3_url,
                              relative_path, util::format_bytes(bytes)));
  }
}

void ConsoleEvents::refused_key(const std::string& key, const std::string& reason) {
  m_console.err(fmt::format("Warning: skipped unsafe key '{}': {}", util::printable(key), reason),
                Tone::warning);
}

void ConsoleEvents::file_failed(const std::string& s3_url, const std::string& reason) {
  m_console.err(fmt::format("Error: download failed: {}: {}", s3_url, reason));
}

void ConsoleEvents::retrying(const std::string& what, const std::string& reason, int attempt) {
  if (m_verbose) {
    m_console.err(fmt::format("Retrying {} after attempt {}: {}", what, attempt, reason),
                  Tone::warning);
  }
}

void ConsoleEvents::flush_dry_run_lines() {
  std::sort(m_dry_run_lines.begin(), m_dry_run_lines.end());
  for (const auto& [url, line] : m_dry_run_lines) {
    m_console.out(line);
  }
  m_dry_run_lines.clear();
}

}  // namespace gsync::cli
