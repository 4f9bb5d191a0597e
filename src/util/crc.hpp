#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace gsync::util {

// Incremental reflected CRCs, as S3 computes its x-amz-checksum-crc32, -crc32c and
// -crc64nvme values. A table per polynomial, built at compile time; byte at a time is
// fast enough for verification, which runs at disk speed anyway.
template <typename Word, Word reflected_polynomial>
class ReflectedCrc {
 public:
  void update(std::string_view bytes) noexcept {
    Word crc = m_state;
    for (const char c : bytes) {
      crc = k_table[(crc ^ static_cast<unsigned char>(c)) & 0xffu] ^ (crc >> 8);
    }
    m_state = crc;
  }
  Word value() const noexcept { return static_cast<Word>(~m_state); }

 private:
  static constexpr std::array<Word, 256> make_table() {
    std::array<Word, 256> table{};
    for (Word i = 0; i < 256; ++i) {
      Word crc = i;
      for (int bit = 0; bit < 8; ++bit) {
        crc = (crc & 1u) != 0 ? static_cast<Word>((crc >> 1) ^ reflected_polynomial)
                              : static_cast<Word>(crc >> 1);
      }
      table[i] = crc;
    }
    return table;
  }
  static constexpr std::array<Word, 256> k_table = make_table();

  Word m_state = static_cast<Word>(~Word{0});
};

using Crc32 = ReflectedCrc<std::uint32_t, 0xEDB88320u>;              // IEEE 802.3, zlib's
using Crc32c = ReflectedCrc<std::uint32_t, 0x82F63B78u>;             // Castagnoli
using Crc64Nvme = ReflectedCrc<std::uint64_t, 0x9A6C9329AC4BC9B5u>;  // NVMe, S3's default

}  // namespace gsync::util
