#include "cli/main_entry.hpp"

#include <csignal>
#include <cstdio>
#include <exception>

#include "cli/command_line.hpp"
#include "cli/console.hpp"
#include "cli/sync_command.hpp"
#include "util/error.hpp"

namespace gsync::cli {

int main_entry(int argc, const char* const* argv) {
  // A closed stdout pipe (`glacier-sync | head`) must end in an error code, not a kill.
  std::signal(SIGPIPE, SIG_IGN);
  Console console;
  auto parsed = parse_command_line(argc, argv);
  if (auto* early = std::get_if<EarlyExit>(&parsed)) {
    std::fputs(early->text.c_str(), early->to_stderr ? stderr : stdout);
    return early->exit_code;
  }
  try {
    return run_sync_command(std::get<CommandLine>(parsed), console);
  } catch (const Fatal& fatal) {
    console.err(std::string("Error: ") + fatal.what());
    return static_cast<int>(fatal.code());
  } catch (const std::exception& error) {
    // A bug or an unexpected library error: still one line and a non-zero code.
    console.err(std::string("Error: unexpected failure: ") + error.what());
    return static_cast<int>(ExitCode::usage_or_setup);
  }
}

}  // namespace gsync::cli
