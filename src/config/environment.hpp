#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "config/settings.hpp"

namespace gsync::config {

enum class Environment { hpc, local };

// hpc and local are taken as given. auto means HPC when an executable "sbatch" is in one of
// PATH's entries (the SLURM cluster has it, workstations do not), as the old script's
// `command -v sbatch` did. Empty PATH entries are skipped rather than meaning ".", so the
// current directory cannot change the answer.
Environment detect_environment(
    ExecutionMode mode, const std::optional<std::string>& path_env,
    const std::function<bool(const std::filesystem::path&)>& is_executable);

// The real check for detect_environment: a regular file (after symlinks) the user may execute.
bool is_executable_file(const std::filesystem::path& path);

std::string_view environment_name(Environment env);  // "HPC" / "local"

// --data-dir if given, else [PATHS] base_dir (HPC) or local_base_dir (local). Throws
// gsync::Fatal when the needed value is not set.
std::filesystem::path choose_data_dir(const Settings& settings, Environment env);

// Missing or not a directory: Fatal("Cannot cd to DIR\n  Create it with: mkdir -p DIR").
// Inside a git work tree (DIR or a parent holds ".git"): Fatal, because data never goes into a
// code repository. Returns the canonical absolute path.
std::filesystem::path check_data_dir(const std::filesystem::path& dir);

}  // namespace gsync::config
