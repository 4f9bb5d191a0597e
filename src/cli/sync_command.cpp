#include "cli/sync_command.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include <fmt/format.h>

#include "cli/console_events.hpp"
#include "cli/interrupt.hpp"
#include "cli/report_printer.hpp"
#include "cli/tree_printer.hpp"
#include "config/config_discovery.hpp"
#include "config/environment.hpp"
#include "config/settings.hpp"
#include "http/transfer_engine.hpp"
#include "s3/credentials_chain.hpp"
#include "s3/s3_session.hpp"
#include "sync/sync_runner.hpp"
#include "util/error.hpp"
#include "util/ini_file.hpp"

namespace gsync::cli {

namespace {

// Enough requests in flight to hide S3's per-request latency (tens of ms on AWS) for small
// files; measured in bench/.
constexpr int k_default_jobs = 64;
constexpr const char* k_rule = "==========================================";

std::optional<std::string> real_getenv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  return std::string(value);
}

bool is_executable_file(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error) && access(path.c_str(), X_OK) == 0;
}

std::string environment_reason(const config::Settings& settings, const CommandLine& command_line) {
  if (command_line.overrides.env && *command_line.overrides.env != "auto") {
    return "--env " + *command_line.overrides.env;
  }
  if (!command_line.overrides.env &&
      settings.execution_mode != config::ExecutionMode::auto_detect) {
    return "execution_mode in config.ini";
  }
  return "";
}

std::vector<std::string> satellites_to_sync(const CommandLine& command_line,
                                            const config::Settings& settings) {
  if (!command_line.satellites.empty()) {
    return command_line.satellites;
  }
  return settings.satellites;
}

void print_mode_lines(Console& console, const CommandLine& command_line,
                      const std::string& download_folder) {
  if (command_line.dry_run) {
    console.out("DRY RUN MODE - No files will be downloaded", Tone::warning);
  }
  if (command_line.exclude_downloads) {
    console.out(fmt::format("EXCLUDING {}/ folders - Only processed results will be synced",
                            download_folder));
  }
  if (command_line.force_overwrite) {
    console.out(
        "FORCE OVERWRITE MODE - Local files that differ from S3 (size or time) will be replaced",
        Tone::warning);
  } else {
    console.out("SAFE MODE - Existing files will be skipped (multi-user friendly)", Tone::good);
  }
}

}  // namespace

int run_sync_command(const CommandLine& command_line, Console& console) {
  const auto started = std::chrono::steady_clock::now();

  const auto discovery =
      config::discover_config(config::real_discovery_inputs(command_line.config_file));
  console.out(fmt::format("Reading configuration from: {}", discovery.config_path.string()));
  const auto ini = util::IniFile::load(discovery.config_path);
  const config::Settings settings =
      config::resolve_settings(ini, discovery.config_path, command_line.overrides, real_getenv);

  const config::Environment environment =
      config::detect_environment(settings.execution_mode, real_getenv("PATH"), is_executable_file);
  std::string reason = environment_reason(settings, command_line);
  if (reason.empty()) {
    reason =
        environment == config::Environment::hpc ? "sbatch found on PATH" : "sbatch not on PATH";
  }
  console.out(fmt::format("Environment: {} ({})", config::environment_name(environment), reason));

  const std::filesystem::path data_dir =
      config::check_data_dir(config::choose_data_dir(settings, environment));
  if (chdir(data_dir.c_str()) != 0) {
    throw Fatal(fmt::format("Cannot cd to {}", data_dir.string()));
  }
  console.out(fmt::format("Working in data directory: {}", data_dir.string()));

  const s3::ResolvedAws aws =
      s3::resolve_aws(settings.profile, settings.region, settings.endpoint_url, real_getenv);
  if (command_line.verbose) {
    console.out(fmt::format("Credentials: {}; region {}; endpoint {}", aws.credentials_source,
                            aws.region, aws.endpoint_url.value_or("AWS")));
  }

  http::RetryPolicy retry_policy;
  if (command_line.retries) {
    retry_policy.max_attempts = *command_line.retries + 1;
  }
  s3::S3Session session(s3::Endpoint::parse(aws.endpoint_url), aws.credentials, aws.region,
                        retry_policy);
  http::EngineOptions engine_options;
  engine_options.max_concurrent = static_cast<std::size_t>(settings.jobs.value_or(k_default_jobs));
  engine_options.ca_bundle = aws.ca_bundle;
  if (command_line.stall_timeout_seconds) {
    engine_options.low_speed_time = std::chrono::seconds(*command_line.stall_timeout_seconds);
  }
  http::TransferEngine engine(engine_options);
  InterruptGuard interrupt_guard(engine);

  console.out("");
  console.out(k_rule);
  console.out("AWS S3 Data Sync", Tone::heading);
  console.out(k_rule);
  print_mode_lines(console, command_line, settings.download_folder);

  ConsoleEvents events(console, command_line.verbose);
  sync::SyncRunner runner(session, engine, events);
  sync::SyncReport total;
  for (const std::string& satellite : satellites_to_sync(command_line, settings)) {
    sync::SyncJob job;
    job.bucket = settings.bucket;
    job.root_prefix =
        settings.prefix.empty() ? satellite + "/" : settings.prefix + "/" + satellite + "/";
    job.data_root = data_dir;
    if (command_line.exclude_downloads) {
      job.exclude = sync::ExcludeFilter(settings.download_folder);
    }
    job.policy = command_line.force_overwrite ? sync::OverwritePolicy::when_different
                                              : sync::OverwritePolicy::never;
    job.dry_run = command_line.dry_run;
    job.multipart_threshold = settings.multipart_threshold;
    job.part_size = settings.part_size;
    if (command_line.streams_per_file) {
      job.streams_per_file = *command_line.streams_per_file;
    }

    console.out("");
    console.out(fmt::format("Syncing {} data...", satellite), Tone::heading);
    console.out(fmt::format("From: s3://{}/{}", job.bucket, job.root_prefix));
    console.out(fmt::format("To:   {}", (data_dir / job.root_prefix).string()));
    if (command_line.exclude_downloads) {
      console.out(fmt::format("Excluding: {}/ folders", settings.download_folder));
    }
    sync::SyncReport report;
    try {
      report = runner.run(job);
    } catch (const Fatal& fatal) {
      events.flush_dry_run_lines();
      if (fatal.code() == ExitCode::interrupted) {
        throw Fatal(fatal.what(), InterruptGuard::exit_code_for_received_signal());
      }
      throw;
    }
    events.flush_dry_run_lines();
    if (report.interrupted) {
      total.merge(report);
      break;
    }
    if (report.listed == 0 && report.excluded_folders == 0 && report.failed == 0) {
      // Usually a wrong bucket, prefix or satellite name rather than an empty folder.
      console.out(
          fmt::format("Note: no objects found under s3://{}/{}", job.bucket, job.root_prefix),
          Tone::warning);
    }
    if (report.failed == 0) {
      console.out(fmt::format("✅ {} sync complete", satellite), Tone::good);
    } else {
      console.out(fmt::format("⚠️  {} sync finished with {} failed", satellite, report.failed),
                  Tone::bad);
    }
    total.merge(report);
  }

  console.out("");
  console.out(k_rule);
  console.out(total.interrupted ? "Sync Interrupted" : "Sync Complete!", Tone::heading);
  console.out(k_rule);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  print_report(console, total, elapsed, command_line.dry_run, settings.download_folder);
  if (total.interrupted) {
    // The summary above is what was done; the files in flight were abandoned (large ones
    // keep a partial file that the next run resumes), none is under its real name.
    throw Fatal(
        "interrupted; run the same command again to finish (no partial file was left "
        "under a real name)",
        InterruptGuard::exit_code_for_received_signal());
  }
  console.out("");
  console.out(fmt::format("Local data ({}):", data_dir.string()));
  std::string tree = render_tree(data_dir, TreeOptions{});
  while (!tree.empty() && tree.back() == '\n') {
    tree.pop_back();
  }
  console.out(tree);
  return total.failed == 0 ? static_cast<int>(ExitCode::ok)
                           : static_cast<int>(ExitCode::some_files_failed);
}

}  // namespace gsync::cli
