#pragma once

#include "http/transfer_engine.hpp"
#include "util/error.hpp"

namespace gsync::cli {

// Turns SIGINT/SIGTERM into an orderly stop of the engine: running downloads are abandoned
// and their temporary files removed, so Ctrl-C never leaves a partial file behind.
// Installed for the lifetime of this object; one engine at a time.
class InterruptGuard {
 public:
  explicit InterruptGuard(http::TransferEngine& engine);
  ~InterruptGuard() noexcept;
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // The exit code for the signal received, if any.
  static ExitCode exit_code_for_received_signal() noexcept;
};

}  // namespace gsync::cli
