#include "cli/report_printer.hpp"

#include <fmt/format.h>

#include "util/human_units.hpp"
#include "util/printable.hpp"

namespace gsync::cli {

namespace {

// A long list helps nobody on a terminal; the count says how many more there are.
constexpr std::size_t k_max_listed_files = 50;

}  // namespace

std::string summary_line(const sync::SyncReport& report, bool dry_run) {
  return fmt::format(
      "Summary: downloaded {}, skipped {}, kept {}, failed {}, refused {}, excluded {}{}",
      report.downloaded, report.skipped, report.kept, report.failed, report.refused,
      report.excluded, dry_run ? " (dry run: what would happen; nothing was written)" : "");
}

std::string verification_line(const sync::SyncReport& report) {
  std::string line = fmt::format("Verified: {} (MD5 ETag or S3 checksum); not verified: {}",
                                 report.verified, report.not_verified);
  if (!report.not_verified_reasons.empty()) {
    std::string reasons;
    for (const auto& [reason, count] : report.not_verified_reasons) {
      reasons += fmt::format("{}{}: {}", reasons.empty() ? "" : "; ", reason, count);
    }
    line += " (" + reasons + ")";
  }
  return line;
}

void print_report(Console& console, const sync::SyncReport& report,
                  std::chrono::duration<double> elapsed, bool dry_run,
                  const std::string& download_folder) {
  console.out(summary_line(report, dry_run));
  if (report.replaced > 0) {
    console.out(fmt::format("Replaced (--force-overwrite): {}", report.replaced));
  }
  if (report.excluded_folders > 0) {
    console.out(fmt::format("Excluded folders not listed: {} ({}/)", report.excluded_folders,
                            download_folder));
  }
  if (!dry_run && report.downloaded > 0) {
    console.out(verification_line(report));
  }
  if (report.resumed > 0) {
    console.out(fmt::format("Resumed: {} interrupted download{} ({} already on disk)",
                            report.resumed, report.resumed == 1 ? "" : "s",
                            util::format_bytes(report.resumed_bytes)));
  }
  if (report.leftovers_removed > 0) {
    console.out(fmt::format("Removed {} leftover temporary file{} of interrupted runs",
                            report.leftovers_removed, report.leftovers_removed == 1 ? "" : "s"));
  }
  if (dry_run) {
    console.out(fmt::format("Transferred: 0 B in {} (dry run; {} would be downloaded)",
                            util::format_duration(elapsed), util::format_bytes(report.bytes)));
  } else {
    console.out(fmt::format("Transferred: {} in {} ({})", util::format_bytes(report.bytes),
                            util::format_duration(elapsed),
                            util::format_rate(report.bytes, elapsed)));
  }

  if (!report.kept_files.empty()) {
    console.out("");
    console.out(fmt::format("Kept {} local file{} that differ{} from S3 (not overwritten; use "
                            "--force-overwrite to replace):",
                            report.kept, report.kept == 1 ? "" : "s", report.kept == 1 ? "s" : ""),
                Tone::warning);
    std::size_t shown = 0;
    for (const auto& kept : report.kept_files) {
      if (shown++ == k_max_listed_files) {
        console.out(fmt::format("  ... and {} more", report.kept - k_max_listed_files));
        break;
      }
      console.out(fmt::format("  {} (local {}, S3 {})", util::printable(kept.relative_path),
                              util::format_bytes(kept.local_size),
                              util::format_bytes(kept.remote_size)));
    }
  }
  if (!report.failures.empty()) {
    console.out("");
    console.out(fmt::format("Failed: {}", report.failed), Tone::bad);
    std::size_t shown = 0;
    for (const auto& failure : report.failures) {
      if (shown++ == k_max_listed_files) {
        console.out(fmt::format("  ... and {} more", report.failed - k_max_listed_files));
        break;
      }
      console.out(fmt::format("  {}: {}", util::printable(failure.s3_url), failure.reason));
    }
  }
}

}  // namespace gsync::cli
