#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config/settings.hpp"

namespace gsync::cli {

// The run the user asked for, as typed: the old script's interface plus the new options.
struct CommandLine {
  std::vector<std::string> satellites;  // empty = every configured satellite
  bool exclude_downloads = false;
  bool dry_run = false;
  bool force_overwrite = false;
  bool verbose = false;
  std::optional<std::string> config_file;
  std::optional<int> retries;
  std::optional<int> stall_timeout_seconds;
  std::optional<int> streams_per_file;
  config::CommandLineOverrides overrides;
};

// --help, --version and usage errors end the program right away with this text and code.
struct EarlyExit {
  int exit_code = 0;
  std::string text;
  bool to_stderr = false;
};

std::variant<CommandLine, EarlyExit> parse_command_line(int argc, const char* const* argv);

}  // namespace gsync::cli
