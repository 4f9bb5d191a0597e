#include "cli/interrupt.hpp"

#include <atomic>
#include <csignal>

namespace gsync::cli {

namespace {

std::atomic<http::TransferEngine*> g_engine{nullptr};
volatile std::sig_atomic_t g_signal = 0;

extern "C" void handle_stop_signal(int signal_number) {
  g_signal = signal_number;
  if (http::TransferEngine* engine = g_engine.load()) {
    // Both only set a flag and write to curl's wake-up pipe: safe in a signal handler.
    engine->stop();
    engine->wake();
  }
}

}  // namespace

InterruptGuard::InterruptGuard(http::TransferEngine& engine) {
  g_engine.store(&engine);
  struct sigaction action {};
  action.sa_handler = handle_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

InterruptGuard::~InterruptGuard() noexcept {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  g_engine.store(nullptr);
}

ExitCode InterruptGuard::exit_code_for_received_signal() noexcept {
  return g_signal == SIGTERM ? ExitCode::terminated : ExitCode::interrupted;
}

}  // namespace gsync::cli
