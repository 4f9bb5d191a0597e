#include "config/config_discovery.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include "util/error.hpp"

namespace gsync::config {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_file_name = "config.ini";
constexpr const char* k_env_variable = "GLACIER_SYNC_CONFIG";

fs::path absolute_from(const fs::path& path, const fs::path& base) {
  return (path.is_absolute() ? path : base / path).lexically_normal();
}

// A user-named file that is missing is an error even though later places might have one:
// silently reading a different config would sync to a different directory.
DiscoveryResult named_file(const fs::path& path, const DiscoveryInputs& inputs,
                           const std::string& origin) {
  if (!inputs.is_file(path)) {
    const bool exists = inputs.exists && inputs.exists(path);
    throw Fatal(
        std::string(exists ? "config file is not a regular file: " : "config file not found: ") +
        path.string() + origin);
  }
  return {path, {path}};
}

// The executable's directory, then its parents up to the checkout root, so a binary in
// build/ (or build/Release/) finds the checkout's config.ini.
std::vector<fs::path> executable_dirs(const DiscoveryInputs& inputs) {
  if (inputs.executable_path.empty()) {
    return {};
  }
  const auto exe_dir = absolute_from(inputs.executable_path, inputs.current_dir).parent_path();
  std::vector<fs::path> chain;
  for (auto dir = exe_dir;; dir = dir.parent_path()) {
    chain.push_back(dir);
    if (inputs.exists && inputs.exists(dir / ".git")) {
      return chain;
    }
    if (dir == dir.root_path() || dir.parent_path() == dir) {
      break;
    }
  }
  return {exe_dir};  // not inside a checkout: climbing further would search unrelated folders
}

}  // namespace

DiscoveryResult discover_config(const DiscoveryInputs& inputs) {
  if (inputs.explicit_config) {
    return named_file(absolute_from(*inputs.explicit_config, inputs.current_dir), inputs, "");
  }
  if (inputs.env_config && !inputs.env_config->empty()) {
    return named_file(absolute_from(*inputs.env_config, inputs.current_dir), inputs,
                      std::string(" (from $") + k_env_variable + ")");
  }

  std::vector<fs::path> candidates;
  const auto add = [&](const fs::path& dir) {
    const auto file = (dir / k_file_name).lexically_normal();
    if (std::find(candidates.begin(), candidates.end(), file) == candidates.end()) {
      candidates.push_back(file);
    }
  };
  for (const auto& dir : executable_dirs(inputs)) {
    add(dir);
  }
  if (!inputs.current_dir.empty()) {
    add(inputs.current_dir);
  }
  if (inputs.home && !inputs.home->empty()) {
    add(fs::path(*inputs.home) / "Github" / "greenland-glacier-flow");
  }

  DiscoveryResult result;
  for (const auto& candidate : candidates) {
    result.searched.push_back(candidate);
    if (inputs.is_file(candidate)) {
      result.config_path = candidate;
      return result;
    }
  }
  std::string list;
  for (const auto& candidate : candidates) {
    list += (list.empty() ? "" : ", ") + candidate.string();
  }
  throw Fatal("no config.ini found; searched: " + list + " (use --config FILE or set " +
              k_env_variable + ")");
}

DiscoveryInputs real_discovery_inputs(std::optional<std::filesystem::path> explicit_config) {
  DiscoveryInputs inputs;
  inputs.explicit_config = std::move(explicit_config);
  if (const char* value = std::getenv(k_env_variable)) {
    inputs.env_config = value;
  }
  if (const char* value = std::getenv("HOME")) {
    inputs.home = value;
  }
  std::error_code ec;
  // The kernel resolves every symlink in /proc/self/exe, so a symlink to the binary placed
  // in a data directory still leads back to the checkout.
  inputs.executable_path = fs::read_symlink("/proc/self/exe", ec);
  if (ec) {
    inputs.executable_path.clear();
  }
  inputs.current_dir = fs::current_path(ec);
  if (ec) {
    inputs.current_dir.clear();
  }
  inputs.is_file = [](const fs::path& path) {
    std::error_code error;
    return fs::is_regular_file(path, error);
  };
  inputs.exists = [](const fs::path& path) {
    std::error_code error;
    return fs::exists(fs::symlink_status(path, error));
  };
  return inputs;
}

}  // namespace gsync::config
