#pragma once

#include "cli/command_line.hpp"
#include "cli/console.hpp"

namespace gsync::cli {

// The whole run, in the order the old script did it: find config.ini, decide the
// environment and data directory, cd there, then sync each satellite and report.
// Returns the exit code; throws gsync::Fatal for errors that end the run.
int run_sync_command(const CommandLine& command_line, Console& console);

}  // namespace gsync::cli
