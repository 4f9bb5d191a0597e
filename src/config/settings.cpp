#include "config/settings.hpp"

#include <algorithm>
#include <charconv>

#include "util/byte_size.hpp"
#include "util/error.hpp"

namespace gsync::config {
namespace {

constexpr int k_min_jobs = 1;
constexpr int k_max_jobs = 1024;
constexpr std::string_view k_whitespace = " \t\r\n\f\v";

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(k_whitespace);
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(k_whitespace);
  return std::string(text.substr(first, last - first + 1));
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

// Reads one config.ini value and remembers where it came from, so every error names the
// file and key (or the flag) the user has to fix.
class Reader {
 public:
  Reader(const util::IniFile& ini, const std::filesystem::path& path) : m_ini(ini), m_path(path) {}

  // Trimmed, because a value continued on indented lines starts with a newline.
  std::optional<std::string> get(std::string_view section, std::string_view key) const {
    auto value = m_ini.get(section, key);
    if (!value) {
      return std::nullopt;
    }
    auto trimmed = trim(*value);
    if (trimmed.empty()) {
      return std::nullopt;
    }
    return trimmed;
  }

  std::string where(std::string_view section, std::string_view key, std::string_view value) const {
    return m_path.string() + ": [" + std::string(section) + "] " + std::string(key) + " = '" +
           std::string(value) + "'";
  }

 private:
  const util::IniFile& m_ini;
  const std::filesystem::path& m_path;
};

// A value given on the command line wins; "--flag ''" is a mistake, not "unset".
std::optional<std::string> pick(const std::optional<std::string>& flag_value,
                                std::string_view flag_name, std::optional<std::string> configured) {
  if (flag_value) {
    if (trim(*flag_value).empty()) {
      throw Fatal(std::string(flag_name) + " must not be empty");
    }
    return flag_value;
  }
  return configured;
}

std::optional<int> parse_jobs(std::string_view text) {
  int value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || value < k_min_jobs || value > k_max_jobs) {
    return std::nullopt;
  }
  return value;
}

// Below 1 MiB a part costs more in request overhead than it gains in parallelism; S3's own
// multipart minimum is 5 MiB.
constexpr std::uint64_t k_min_part_size = 1ULL << 20;
constexpr std::uint64_t k_max_part_size = 5ULL << 30;

std::uint64_t resolve_size(const Reader& config, const std::optional<std::string>& flag_value,
                           std::string_view flag, std::string_view key, std::uint64_t fallback,
                           std::uint64_t minimum) {
  std::optional<std::string> text;
  std::string where;
  if (flag_value) {
    text = flag_value;
    where = std::string(flag) + " " + *flag_value;
  } else if (auto value = config.get("SYNC", key)) {
    text = value;
    where = config.where("SYNC", key, *value);
  }
  if (!text) {
    return fallback;
  }
  const auto size = util::parse_byte_size(*text);
  if (!size || *size < minimum || *size > k_max_part_size * 1024) {
    throw Fatal(where + ": expected a size such as 16MiB" +
                (minimum > 0 ? " (at least " + std::to_string(minimum >> 20) + " MiB)" : ""));
  }
  return *size;
}

std::string jobs_range() {
  return "expected a whole number from " + std::to_string(k_min_jobs) + " to " +
         std::to_string(k_max_jobs);
}

// The prefix becomes part of the local path DATA_DIR/PREFIX/SAT, so it must not be able to
// climb out of the data directory.
std::string normalize_prefix(std::string_view raw, const std::string& origin) {
  const auto first = raw.find_first_not_of('/');
  if (first == std::string_view::npos) {
    return {};
  }
  const auto stripped = raw.substr(first, raw.find_last_not_of('/') - first + 1);
  std::size_t start = 0;
  while (start <= stripped.size()) {
    const auto end = std::min(stripped.find('/', start), stripped.size());
    const auto segment = stripped.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == ".." ||
        segment.find('\0') != std::string_view::npos) {
      throw Fatal(origin + ": the prefix must be a plain relative path (no '.', '..' or '//')");
    }
    start = end + 1;
  }
  return std::string(stripped);
}

std::vector<std::string> parse_satellites(std::string_view text, const std::string& origin) {
  std::vector<std::string> satellites;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto begin = text.find_first_not_of(", \t\r\n", start);
    if (begin == std::string_view::npos) {
      break;
    }
    const auto end = std::min(text.find_first_of(", \t\r\n", begin), text.size());
    auto name = lower(text.substr(begin, end - begin));
    if (name != "sentinel2" && name != "landsat") {
      throw Fatal(origin + ": unknown satellite '" + name +
                  "' (expected sentinel2 and/or landsat)");
    }
    if (std::find(satellites.begin(), satellites.end(), name) == satellites.end()) {
      satellites.push_back(std::move(name));
    }
    start = end;
  }
  if (satellites.empty()) {
    throw Fatal(origin + ": no satellite listed (expected sentinel2 and/or landsat)");
  }
  return satellites;
}

}  // namespace

std::optional<ExecutionMode> parse_execution_mode(std::string_view text) {
  const auto mode = lower(trim(text));
  if (mode == "auto") {
    return ExecutionMode::auto_detect;
  }
  if (mode == "hpc") {
    return ExecutionMode::hpc;
  }
  if (mode == "local") {
    return ExecutionMode::local;
  }
  return std::nullopt;
}

std::string expand_tilde(std::string_view path, const std::optional<std::string>& home) {
  if (!home || home->empty() || path.empty() || path.front() != '~' ||
      (path.size() > 1 && path[1] != '/')) {
    return std::string(path);
  }
  std::string expanded = *home;
  // "/" as HOME must not turn "~/x" into "//x".
  while (expanded.size() > 1 && expanded.back() == '/') {
    expanded.pop_back();
  }
  auto rest = path.substr(1);
  if (expanded == "/" && !rest.empty()) {
    rest.remove_prefix(1);
  }
  return expanded + std::string(rest);
}

Settings resolve_settings(const util::IniFile& ini, const std::filesystem::path& config_path,
                          const CommandLineOverrides& cli,
                          const std::function<std::optional<std::string>(const char*)>& getenv) {
  const Reader config(ini, config_path);
  const auto home = getenv("HOME");
  Settings settings;
  settings.config_path = config_path;

  if (const auto base = config.get("PATHS", "base_dir")) {
    settings.base_dir = expand_tilde(*base, home);
  }
  if (const auto local = config.get("PATHS", "local_base_dir")) {
    settings.local_base_dir = expand_tilde(*local, home);
  }

  if (cli.env) {
    const auto mode = parse_execution_mode(*cli.env);
    if (!mode) {
      throw Fatal("--env '" + *cli.env + "' is not one of auto, hpc, local");
    }
    settings.execution_mode = *mode;
  } else if (const auto text = config.get("SETTINGS", "execution_mode")) {
    const auto mode = parse_execution_mode(*text);
    if (!mode) {
      throw Fatal(config.where("SETTINGS", "execution_mode", *text) +
                  " is not one of auto, hpc, local");
    }
    settings.execution_mode = *mode;
  }

  if (const auto dir = pick(cli.data_dir, "--data-dir", std::nullopt)) {
    settings.data_dir_override = expand_tilde(*dir, home);
  }

  if (cli.bucket) {
    settings.bucket = trim(*cli.bucket);
    if (settings.bucket.empty()) {
      throw Fatal("--bucket must not be empty");
    }
  } else if (const auto bucket = config.get("S3", "bucket")) {
    settings.bucket = *bucket;
  }
  if (settings.bucket.find_first_of("/ \t") != std::string::npos) {
    const auto origin = cli.bucket ? "--bucket '" + settings.bucket + "'"
                                   : config.where("S3", "bucket", settings.bucket);
    throw Fatal(origin + ": a bucket name has no '/' or spaces (put the path in prefix)");
  }

  if (cli.prefix) {
    settings.prefix = normalize_prefix(*cli.prefix, "--prefix '" + *cli.prefix + "'");
  } else if (const auto prefix = config.get("S3", "prefix")) {
    settings.prefix = normalize_prefix(*prefix, config.where("S3", "prefix", *prefix));
  }

  settings.region = pick(cli.region, "--region", config.get("S3", "region"));
  settings.endpoint_url =
      pick(cli.endpoint_url, "--endpoint-url", config.get("S3", "endpoint_url"));
  settings.profile = pick(cli.profile, "--profile", config.get("S3", "profile"));

  if (const auto satellites = config.get("SYNC", "satellites")) {
    settings.satellites =
        parse_satellites(*satellites, config.where("SYNC", "satellites", *satellites));
  }

  if (const auto folder = config.get("SYNC", "download_folder")) {
    if (folder->find('/') != std::string::npos || *folder == "." || *folder == "..") {
      throw Fatal(config.where("SYNC", "download_folder", *folder) +
                  ": expected a single folder name without '/'");
    }
    settings.download_folder = *folder;
  }

  if (cli.jobs) {
    if (*cli.jobs < k_min_jobs || *cli.jobs > k_max_jobs) {
      throw Fatal("--jobs " + std::to_string(*cli.jobs) + ": " + jobs_range());
    }
    settings.jobs = cli.jobs;
  } else if (const auto jobs = config.get("SYNC", "jobs")) {
    settings.jobs = parse_jobs(*jobs);
    if (!settings.jobs) {
      throw Fatal(config.where("SYNC", "jobs", *jobs) + ": " + jobs_range());
    }
  }
  settings.multipart_threshold =
      resolve_size(config, cli.multipart_threshold, "--multipart-threshold", "multipart_threshold",
                   settings.multipart_threshold, 0);
  settings.part_size = resolve_size(config, cli.part_size, "--part-size", "part_size",
                                    settings.part_size, k_min_part_size);
  return settings;
}

}  // namespace gsync::config
