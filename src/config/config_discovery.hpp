#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gsync::config {

// Everything the search depends on, so the decision is testable without touching the
// process; real_discovery_inputs() fills it from the running process.
struct DiscoveryInputs {
  std::optional<std::filesystem::path> explicit_config;  // --config
  std::optional<std::string> env_config;                 // $GLACIER_SYNC_CONFIG
  std::filesystem::path executable_path;                 // symlinks resolved; empty = unknown
  std::filesystem::path current_dir;
  std::optional<std::string> home;
  std::function<bool(const std::filesystem::path&)> is_file;
  std::function<bool(const std::filesystem::path&)> exists;  // ".git" dir or file = checkout root
};

struct DiscoveryResult {
  std::filesystem::path config_path;
  std::vector<std::filesystem::path> searched;  // candidates tried, in order, found one last
};

// First found wins: --config, $GLACIER_SYNC_CONFIG, the executable's directory and its parents
// up to and including the root of the git checkout holding it (only the executable's
// directory when it is not in a checkout), the current directory,
// ~/Github/greenland-glacier-flow/. Each candidate is DIR/config.ini; relative paths are taken
// from current_dir. A given --config or $GLACIER_SYNC_CONFIG that is missing is Fatal rather
// than skipped: the user asked for that file. Nothing found: Fatal listing every place searched.
DiscoveryResult discover_config(const DiscoveryInputs& inputs);

// Reads /proc/self/exe, $GLACIER_SYNC_CONFIG, $HOME and the current directory.
DiscoveryInputs real_discovery_inputs(std::optional<std::filesystem::path> explicit_config);

}  // namespace gsync::config
