#pragma once

#include <chrono>
#include <string>

#include "cli/console.hpp"
#include "sync/sync_report.hpp"

namespace gsync::cli {

// The end-of-run summary: one counts line, the bytes and rate, and the lists a user must
// act on (files kept because they differ, files that failed).
void print_report(Console& console, const sync::SyncReport& report,
                  std::chrono::duration<double> elapsed, bool dry_run,
                  const std::string& download_folder);

std::string summary_line(const sync::SyncReport& report, bool dry_run);
// "Verified: N (...); not verified: M (reason: count; ...)": what the integrity checks covered.
std::string verification_line(const sync::SyncReport& report);

}  // namespace gsync::cli
