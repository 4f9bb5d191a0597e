#include "util/human_units.hpp"

#include <array>
#include <cmath>

#include <fmt/format.h>

namespace gsync::util {

std::string format_bytes(std::uint64_t bytes) {
  static constexpr std::array<const char*, 6> k_units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) {
    return fmt::format("{} B", bytes);
  }
  double value = static_cast<double>(bytes) / 1024.0;
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < k_units.size()) {
    value /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, k_units[unit]);
}

std::string format_duration(std::chrono::duration<double> elapsed) {
  const double seconds = std::max(0.0, elapsed.count());
  if (seconds < 60.0) {
    return fmt::format("{:.2f} s", seconds);
  }
  const auto whole = static_cast<long long>(std::llround(seconds));
  if (whole < 3600) {
    return fmt::format("{} min {:02} s", whole / 60, whole % 60);
  }
  return fmt::format("{} h {:02} min", whole / 3600, (whole % 3600) / 60);
}

std::string format_rate(std::uint64_t bytes, std::chrono::duration<double> elapsed) {
  if (elapsed.count() <= 0.0) {
    return "-";
  }
  const auto per_second = static_cast<std::uint64_t>(static_cast<double>(bytes) / elapsed.count());
  return format_bytes(per_second) + "/s";
}

}  // namespace gsync::util
