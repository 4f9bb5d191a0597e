#pragma once

#include <stdexcept>
#include <string>

namespace gsync {

// Process exit statuses. They are part of the interface: scripts test them.
enum class ExitCode : int {
  ok = 0,
  some_files_failed = 1,
  usage_or_setup = 2,  // bad arguments, config, credentials or data directory
  interrupted = 130,   // SIGINT
  terminated = 143,    // SIGTERM
};

// A failure a caller may handle (retry, skip one file, fall back). Carries no exit code
// because the caller decides what it means for the run.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure that ends the run. Caught once, in main, which prints the message on one line
// and exits with the code.
class Fatal : public std::runtime_error {
 public:
  explicit Fatal(const std::string& message, ExitCode code = ExitCode::usage_or_setup)
      : std::runtime_error(message), m_code(code) {}
  ExitCode code() const noexcept { return m_code; }

 private:
  ExitCode m_code;
};

}  // namespace gsync
