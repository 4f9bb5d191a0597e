#include "config/environment.hpp"

#include <cerrno>
#include <cstring>
#include <system_error>
#include <unistd.h>

#include "util/error.hpp"

namespace gsync::config {
namespace {

namespace fs = std::filesystem;

// The hint is meant to be pasted into a shell, so a path with blanks or quotes is quoted.
std::string shell_word(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                              "0123456789/._-+~=,:@%") == std::string::npos) {
    return text;
  }
  std::string quoted = "'";
  for (const char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

std::optional<fs::path> git_root_containing(const fs::path& canonical_dir) {
  for (auto dir = canonical_dir;; dir = dir.parent_path()) {
    std::error_code ec;
    // ".git" is a directory in a checkout and a file in a worktree or submodule.
    if (fs::exists(fs::symlink_status(dir / ".git", ec))) {
      return dir;
    }
    if (dir.parent_path() == dir || dir.empty()) {
      return std::nullopt;
    }
  }
}

}  // namespace

Environment detect_environment(ExecutionMode mode, const std::optional<std::string>& path_env,
                               const std::function<bool(const fs::path&)>& is_executable) {
  if (mode == ExecutionMode::hpc) {
    return Environment::hpc;
  }
  if (mode == ExecutionMode::local || !path_env) {
    return Environment::local;
  }
  std::string_view rest = *path_env;
  while (true) {
    const auto colon = rest.find(':');
    const auto entry = rest.substr(0, colon);
    if (!entry.empty() && is_executable(fs::path(entry) / "sbatch")) {
      return Environment::hpc;
    }
    if (colon == std::string_view::npos) {
      return Environment::local;
    }
    rest.remove_prefix(colon + 1);
  }
}

bool is_executable_file(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

std::string_view environment_name(Environment env) {
  return env == Environment::hpc ? "HPC" : "local";
}

fs::path choose_data_dir(const Settings& settings, Environment env) {
  if (settings.data_dir_override) {
    return *settings.data_dir_override;
  }
  const bool hpc = env == Environment::hpc;
  const auto& configured = hpc ? settings.base_dir : settings.local_base_dir;
  if (!configured) {
    const std::string key = hpc ? "base_dir" : "local_base_dir";
    std::string message = "config.ini [PATHS] " + key + " is not set (needed in " +
                          std::string(environment_name(env)) + " mode)";
    if (!settings.config_path.empty()) {
      message += "; set it in " + settings.config_path.string() + " or pass --data-dir DIR";
    }
    throw Fatal(message);
  }
  return *configured;
}

fs::path check_data_dir(const fs::path& dir) {
  const auto hint = "\n  Create it with: mkdir -p " + shell_word(dir.string());
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    if (fs::exists(fs::symlink_status(dir, ec))) {
      // Something else is in its place: "mkdir -p" would fail, so don't suggest it.
      throw Fatal("Cannot cd to " + dir.string() + ": not a folder (a file is in its place)");
    }
    throw Fatal("Cannot cd to " + dir.string() + hint);
  }
  if (::access(dir.c_str(), X_OK) != 0) {
    throw Fatal("Cannot cd to " + dir.string() + ": " + std::strerror(errno));
  }
  const auto canonical = fs::canonical(dir, ec);
  if (ec) {
    throw Fatal("Cannot cd to " + dir.string() + ": " + ec.message());
  }
  if (const auto root = git_root_containing(canonical)) {
    throw Fatal("refusing data directory " + canonical.string() +
                ": it is inside the git work tree " + root->string() +
                "; data never goes into a code repository");
  }
  return canonical;
}

}  // namespace gsync::config
