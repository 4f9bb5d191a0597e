#include "http/retry_policy.hpp"

#include <algorithm>
#include <random>

namespace gsync::http {

std::chrono::milliseconds RetryPolicy::delay_after(
    int attempts_made, double random_unit,
    std::optional<std::chrono::milliseconds> retry_after) const noexcept {
  const int exponent = std::clamp(attempts_made - 1, 0, 30);
  const long double ceiling =
      std::min<long double>(static_cast<long double>(base_delay.count()) * (1LL << exponent),
                            static_cast<long double>(max_delay.count()));
  auto delay = std::chrono::milliseconds(
      static_cast<long long>(ceiling * std::clamp(random_unit, 0.0, 1.0)));
  if (retry_after && *retry_after > delay) {
    delay = std::min(*retry_after, max_delay);
  }
  return delay;
}

double random_unit() noexcept {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace gsync::http
