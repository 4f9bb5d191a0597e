#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "http/curl_easy.hpp"
#include "http/curl_multi.hpp"
#include "http/transfer.hpp"

namespace gsync::http {

struct EngineOptions {
  std::size_t max_concurrent = 64;
  std::optional<std::string> ca_bundle;  // AWS_CA_BUNDLE, honoured as AWS tools do
  std::chrono::seconds connect_timeout{10};
  // A transfer slower than this for this long counts as stalled and fails (then retries).
  long low_speed_bytes_per_second = 1;
  std::chrono::seconds low_speed_time{60};
};

// Runs many transfers at once from one thread on libcurl's multi interface, over a pool of
// reused easy handles so keep-alive connections carry many requests. Transfers may submit
// more transfers from their callbacks (listing pages feeding downloads), which is how the
// pipeline overlaps listing with transfer.
class TransferEngine {
 public:
  explicit TransferEngine(EngineOptions options);
  ~TransferEngine() noexcept;
  TransferEngine(const TransferEngine&) = delete;
  TransferEngine& operator=(const TransferEngine&) = delete;

  void submit(std::unique_ptr<Transfer> transfer);

  // Runs until no transfer is running, ready or waiting for a retry, or until stop().
  void run();

  // Asks run() to start nothing new and to abandon the running transfers, each of which is
  // told through on_complete so it can remove its temporary file.
  void stop() noexcept { m_stopping = true; }
  void wake() noexcept;

  std::size_t active_count() const noexcept { return m_active.size(); }
  std::size_t max_concurrent() const noexcept { return m_options.max_concurrent; }
  std::size_t queued_count() const noexcept { return m_ready.size() + m_delayed.size(); }
  bool stopping() const noexcept { return m_stopping; }

  // Hook called after every batch of completions, where a caller can feed more work
  // (for example resume listing once the download queue has drained).
  void set_idle_hook(std::function<void()> hook) { m_idle_hook = std::move(hook); }

 private:
  struct ActiveTransfer;
  struct DelayedTransfer {
    std::chrono::steady_clock::time_point due;
    std::unique_ptr<Transfer> transfer;
    bool operator>(const DelayedTransfer& other) const { return due > other.due; }
  };

  void enqueue(std::unique_ptr<Transfer> transfer);
  void start_ready_transfers();
  void start(std::unique_ptr<Transfer> transfer);
  bool finish_completed_transfers();
  void promote_due_transfers();
  int poll_timeout_ms() const;
  void abandon_all() noexcept;

  static std::size_t write_callback(char* data, std::size_t size, std::size_t count, void* user);
  static std::size_t header_callback(char* data, std::size_t size, std::size_t count, void* user);

  EngineOptions m_options;
  CurlMulti m_multi;
  std::vector<CurlEasy> m_idle_handles;
  std::vector<std::unique_ptr<ActiveTransfer>> m_active;
  std::deque<std::unique_ptr<Transfer>> m_ready;
  std::priority_queue<DelayedTransfer, std::vector<DelayedTransfer>, std::greater<>> m_delayed;
  std::function<void()> m_idle_hook;
  volatile bool m_stopping = false;
};

}  // namespace gsync::http
