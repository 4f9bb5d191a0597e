#include "util/byte_size.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace gsync::util {

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  std::size_t number_end = 0;
  while (number_end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[number_end])) || text[number_end] == '.')) {
    ++number_end;
  }
  if (number_end == 0) {
    return std::nullopt;
  }
  const std::string number(text.substr(0, number_end));
  std::string unit(text.substr(number_end));
  while (!unit.empty() && unit.front() == ' ') {
    unit.erase(0, 1);
  }
  for (auto& c : unit) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  int shift = 0;
  if (unit.empty() || unit == "b") {
    shift = 0;
  } else {
    static constexpr std::string_view k_prefixes = "kmgt";
    const auto position = k_prefixes.find(unit.front());
    const std::string_view rest = std::string_view(unit).substr(1);
    if (position == std::string_view::npos || !(rest.empty() || rest == "b" || rest == "ib")) {
      return std::nullopt;
    }
    shift = 10 * static_cast<int>(position + 1);
  }
  char* end = nullptr;
  const double value = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !std::isfinite(value) || value < 0) {
    return std::nullopt;
  }
  const long double bytes = static_cast<long double>(value) * std::ldexp(1.0L, shift);
  if (bytes > 18'000'000'000'000'000'000.0L) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(std::llround(bytes));
}

}  // namespace gsync::util
