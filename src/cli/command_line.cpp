#include "cli/command_line.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/version.hpp"

namespace gsync::cli {

namespace {

constexpr const char* k_description =
    "Sync glacier results from S3 to this machine's data directory (read from config.ini).\n"
    "Safe by default: existing local files are never overwritten.";

}  // namespace

std::variant<CommandLine, EarlyExit> parse_command_line(int argc, const char* const* argv) {
  CommandLine command_line;
  CLI::App app(k_description, "glacier-sync");
  app.set_version_flag("--version", fmt::format("glacier-sync {}", k_version));

  std::vector<std::string> positionals;
  app.add_option("satellite", positionals, "sentinel2, landsat or all (default: all)")
      ->check(CLI::IsMember({"sentinel2", "landsat", "all"}));
  app.add_flag("--exclude-downloads", command_line.exclude_downloads,
               "Skip every download/ folder at any depth (raw scenes)");
  app.add_flag("--dry-run", command_line.dry_run, "Show what would be downloaded; write nothing");
  app.add_flag("--force-overwrite", command_line.force_overwrite,
               "Replace local files whose size or modification time differs from S3");
  app.add_option("--config", command_line.config_file, "config.ini to use");
  app.add_option("--env", command_line.overrides.env, "Execution environment")
      ->check(CLI::IsMember({"auto", "hpc", "local"}));
  app.add_option("--data-dir", command_line.overrides.data_dir,
                 "Data directory (overrides config.ini [PATHS])");
  app.add_option("--bucket", command_line.overrides.bucket, "S3 bucket");
  app.add_option("--prefix", command_line.overrides.prefix, "Prefix inside the bucket");
  app.add_option("--region", command_line.overrides.region, "AWS region of the bucket");
  app.add_option("--endpoint-url", command_line.overrides.endpoint_url,
                 "S3-compatible endpoint (path-style addressing)");
  app.add_option("--profile", command_line.overrides.profile, "AWS profile");
  app.add_option("--jobs", command_line.overrides.jobs, "Concurrent transfers (1-1024, default 64)")
      ->check(CLI::Range(1, 1024));
  app.add_option("--multipart-threshold", command_line.overrides.multipart_threshold,
                 "Download objects larger than this as ranged parts in parallel (default 16MiB)");
  app.add_option("--part-size", command_line.overrides.part_size,
                 "Size of each ranged part (default 16MiB, at least 1MiB)");
  app.add_option("--streams-per-file", command_line.streams_per_file,
                 "Ranged parts of one large object downloaded at once (1-64, default 4)")
      ->check(CLI::Range(1, 64));
  app.add_option("--retries", command_line.retries,
                 "Retries of a failed request before the file counts as failed (0-100, "
                 "default 4)")
      ->check(CLI::Range(0, 100));
  app.add_option("--stall-timeout", command_line.stall_timeout_seconds,
                 "Abandon and retry a transfer that receives nothing for this many seconds "
                 "(1-3600, default 60)")
      ->check(CLI::Range(1, 3600));
  app.add_flag("-v,--verbose", command_line.verbose, "Print every file and every retry");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return EarlyExit{0, app.help(), false};
  } catch (const CLI::CallForVersion&) {
    return EarlyExit{0, fmt::format("glacier-sync {}\n", k_version), false};
  } catch (const CLI::ParseError& error) {
    return EarlyExit{2, fmt::format("Error: {}\n{}", error.what(), app.help()), true};
  }

  const bool all = positionals.empty() ||
                   std::find(positionals.begin(), positionals.end(), "all") != positionals.end();
  if (!all) {
    for (const auto& satellite : positionals) {
      if (std::find(command_line.satellites.begin(), command_line.satellites.end(), satellite) ==
          command_line.satellites.end()) {
        command_line.satellites.push_back(satellite);
      }
    }
  }
  return command_line;
}

}  // namespace gsync::cli
