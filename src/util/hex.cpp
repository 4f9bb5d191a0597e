#include "util/hex.hpp"

namespace gsync::util {

std::string to_hex(std::span<const unsigned char> bytes) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const unsigned char byte : bytes) {
    out.push_back(k_digits[byte >> 4]);
    out.push_back(k_digits[byte & 0x0F]);
  }
  return out;
}

}  // namespace gsync::util
