#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace gsync::http {

// How often and how long to wait before trying a failed request again. Full-jitter
// exponential backoff (AWS's recommendation), so many transfers failing together on an
// overloaded server do not come back in lockstep.
struct RetryPolicy {
  int max_attempts = 5;  // including the first
  std::chrono::milliseconds base_delay{200};
  std::chrono::milliseconds max_delay{20'000};

  bool may_retry(int attempts_made) const noexcept { return attempts_made < max_attempts; }

  // Delay before attempt `attempts_made + 1`. A server's Retry-After wins when it is longer.
  // `random_unit` is a uniform draw from [0, 1), passed in so tests are deterministic.
  std::chrono::milliseconds delay_after(
      int attempts_made, double random_unit,
      std::optional<std::chrono::milliseconds> retry_after = std::nullopt) const noexcept;
};

// A uniform draw from [0, 1) from a per-thread generator.
double random_unit() noexcept;

}  // namespace gsync::http
