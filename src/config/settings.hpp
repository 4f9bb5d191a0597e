#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/ini_file.hpp"

namespace gsync::config {

enum class ExecutionMode { auto_detect, hpc, local };

// "auto" | "hpc" | "local", case-insensitive, surrounding blanks ignored.
std::optional<ExecutionMode> parse_execution_mode(std::string_view text);

// Values from command-line flags; nullopt = flag not given.
struct CommandLineOverrides {
  std::optional<std::string> env, data_dir, bucket, prefix, region, endpoint_url, profile;
  std::optional<int> jobs;
  std::optional<std::string> multipart_threshold, part_size;  // sizes such as "16MiB"
};

// Everything the run needs from config.ini and the flags, validated. Precedence for every
// value: command line > config.ini > built-in default.
struct Settings {
  std::filesystem::path config_path;
  std::optional<std::string> base_dir, local_base_dir;        // [PATHS], '~' expanded
  ExecutionMode execution_mode = ExecutionMode::auto_detect;  // --env > [SETTINGS] > auto
  std::optional<std::string> data_dir_override;               // --data-dir, '~' expanded
  std::string bucket = "greenland-glacier-data";
  std::string prefix = "1_download_merge_and_clip";  // leading/trailing '/' stripped
  std::optional<std::string> region;                 // --region > [S3] region
  std::optional<std::string> endpoint_url;           // --endpoint-url > [S3] endpoint_url
  std::optional<std::string> profile;                // --profile > [S3] profile
  std::vector<std::string> satellites = {"sentinel2", "landsat"};  // [SYNC] satellites
  std::string download_folder = "download";                        // [SYNC] download_folder
  std::optional<int> jobs;                                         // --jobs > [SYNC] jobs
  // Objects above the threshold download as ranged parts of part_size in parallel.
  std::uint64_t multipart_threshold = 16ULL << 20;  // --multipart-threshold > [SYNC]
  std::uint64_t part_size = 16ULL << 20;            // --part-size > [SYNC]
};

// Throws gsync::Fatal (exit 2) with a one-line message naming the file and key, or the flag,
// on a bad value: unknown execution_mode, jobs not a whole number in 1..1024, empty bucket,
// a satellite other than sentinel2/landsat, a download_folder or prefix that is not a plain
// relative path. getenv supplies HOME for '~'.
Settings resolve_settings(const util::IniFile& ini, const std::filesystem::path& config_path,
                          const CommandLineOverrides& cli,
                          const std::function<std::optional<std::string>(const char*)>& getenv);

// "~" and "~/rest" become HOME and HOME/rest; anything else (including "~user") is returned
// unchanged, as is everything when home is unset or empty.
std::string expand_tilde(std::string_view path, const std::optional<std::string>& home);

}  // namespace gsync::config
